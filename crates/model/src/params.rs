//! Resources every system may read: the scenario's parameters and seed, and the
//! directory from stable [`AgentId`]s to bevy entities.

use std::sync::Arc;

use bevy_ecs::prelude::{Entity, Resource};
use bubblesim_config::Config;

use crate::agents::AgentId;

/// The validated scenario, shared read-only by all systems.
#[derive(Resource, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Params(pub Arc<Config>);

impl std::ops::Deref for Params {
    type Target = Config;
    fn deref(&self) -> &Config {
        &self.0
    }
}

/// The run's master seed (from `run.seed` or `--seed`).
#[derive(Resource, Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct Seed(pub u64);

/// AgentId → Entity, for systems that act on a counterparty.
#[derive(Resource, Debug, Default)]
pub struct Directory {
    entities: Vec<Option<Entity>>,
}

impl Directory {
    pub fn insert(&mut self, id: AgentId, entity: Entity) {
        let index = id.0 as usize;
        if self.entities.len() <= index {
            self.entities.resize(index + 1, None);
        }
        self.entities[index] = Some(entity);
    }

    /// The entity of an agent, if it has been spawned.
    pub fn try_get(&self, id: AgentId) -> Option<Entity> {
        self.entities.get(id.0 as usize).copied().flatten()
    }

    /// The entity of an agent. Every allocated id is registered when spawned.
    pub fn get(&self, id: AgentId) -> Entity {
        self.entities
            .get(id.0 as usize)
            .copied()
            .flatten()
            .expect("every AgentId is registered in the Directory when it is spawned")
    }
}
