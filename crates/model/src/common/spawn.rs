//! Spawning agents while the world runs: each gets the next [`AgentId`] and is
//! registered in the [`Directory`], so the same config always gives the same ids.

use bevy_ecs::prelude::*;

use crate::common::directory::Directory;
use crate::common::ids::{AgentId, IdAllocator};

/// Spawns an agent with a fresh id and registers it in the directory.
pub fn spawn_agent(commands: &mut Commands, ids: &mut IdAllocator, directory: &mut Directory, bundle: impl Bundle) -> AgentId {
    let id = ids.allocate();
    spawn_with_id(commands, directory, id, bundle);
    id
}

/// Spawns an agent under an id allocated earlier (when two agents must name each other).
pub fn spawn_with_id(commands: &mut Commands, directory: &mut Directory, id: AgentId, bundle: impl Bundle) {
    let entity = commands.spawn((id, bundle)).id();
    directory.insert(id, entity);
}
