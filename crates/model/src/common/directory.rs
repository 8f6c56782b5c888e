//! Finding agents: the directory from stable [`AgentId`]s to bevy entities, and the key
//! agents systems look up directly.

use bevy_ecs::prelude::{Entity, Resource};

use crate::common::ids::AgentId;

/// AgentId → Entity, for systems that act on a counterparty.
#[derive(Resource, Debug, Default)]
pub struct Directory {
    entities: Vec<Option<Entity>>,
}

impl Directory {
    /// Registers the entity of an agent (growing the table as needed).
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

/// Agents other systems need to find directly.
#[derive(Resource, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct KeyAgents {
    /// The chipmaker.
    pub chipmaker: AgentId,
    /// The data-centre sponsors, in spawn order.
    pub sponsors: Vec<AgentId>,
}
