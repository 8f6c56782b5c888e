//! Spawning agents while the world is built, before any system runs: each gets the next
//! [`AgentId`] and is registered in the directory, in a fixed order, so the same config
//! always gives the same ids.

use std::sync::Arc;

use bevy_ecs::prelude::*;

use crate::common::directory::Directory;
use crate::common::ids::{AgentId, IdAllocator};
use crate::firms::firm::{Firm, FirmKind};

/// The id allocator and the directory, filled as agents are spawned into the world.
pub struct SetupSpawner {
    /// Hands out ids in spawn order.
    pub ids: IdAllocator,
    /// AgentId → entity.
    pub directory: Directory,
}

impl SetupSpawner {
    /// An empty spawner: no ids handed out yet.
    pub fn new() -> Self {
        Self {
            ids: IdAllocator::default(),
            directory: Directory::default(),
        }
    }

    /// Spawns an agent with the next id and registers it.
    pub fn spawn(&mut self, world: &mut World, bundle: impl Bundle) -> AgentId {
        let id = self.ids.allocate();
        let entity = world.spawn((id, bundle)).id();
        self.directory.insert(id, entity);
        id
    }

    /// Spawns agents already given ids (a large population, in one batch) and registers them.
    pub fn spawn_batch<C: Component + Clone>(&mut self, world: &mut World, agents: &[(AgentId, C)]) {
        let entities: Vec<Entity> = world.spawn_batch(agents.iter().cloned()).collect();
        for ((id, _), entity) in agents.iter().zip(entities) {
            self.directory.insert(*id, entity);
        }
    }
}

impl Default for SetupSpawner {
    fn default() -> Self {
        Self::new()
    }
}

/// An operating firm of `kind` named `name`.
pub fn firm(kind: FirmKind, name: &str) -> Firm {
    Firm {
        kind,
        name: Arc::from(name),
        active: true,
    }
}
