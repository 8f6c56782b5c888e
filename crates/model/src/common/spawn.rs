//! Spawning agents while the world runs: each gets the next [`AgentId`] and is
//! registered in the [`Directory`], so the same config always gives the same ids. A
//! system that spawns takes a [`Spawner`].

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use crate::common::directory::Directory;
use crate::common::ids::{AgentId, IdAllocator};

/// Spawns an agent with a fresh id and registers it in the directory.
fn spawn_agent(commands: &mut Commands, ids: &mut IdAllocator, directory: &mut Directory, bundle: impl Bundle) -> AgentId {
    let id = ids.allocate();
    spawn_with_id(commands, directory, id, bundle);
    id
}

/// Spawns an agent under an id allocated earlier (when two agents must name each other).
fn spawn_with_id(commands: &mut Commands, directory: &mut Directory, id: AgentId, bundle: impl Bundle) {
    let entity = commands.spawn((id, bundle)).id();
    directory.insert(id, entity);
}

/// What a system needs to spawn agents: commands, the id allocator and the directory
/// (which it also reads, to find agents by id).
#[derive(SystemParam)]
pub struct Spawner<'w, 's> {
    commands: Commands<'w, 's>,
    ids: ResMut<'w, IdAllocator>,
    directory: ResMut<'w, Directory>,
}

impl Spawner<'_, '_> {
    /// The next unused id, for an agent spawned later with [`Spawner::spawn_with_id`]
    /// (when two agents must name each other).
    pub fn allocate(&mut self) -> AgentId {
        self.ids.allocate()
    }

    /// Spawns an agent with a fresh id and registers it in the directory.
    pub fn spawn(&mut self, bundle: impl Bundle) -> AgentId {
        spawn_agent(&mut self.commands, &mut self.ids, &mut self.directory, bundle)
    }

    /// Spawns an agent under an id allocated earlier.
    pub fn spawn_with_id(&mut self, id: AgentId, bundle: impl Bundle) {
        spawn_with_id(&mut self.commands, &mut self.directory, id, bundle);
    }

    /// The directory, to find agents by id.
    pub fn directory(&self) -> &Directory {
        &self.directory
    }
}
