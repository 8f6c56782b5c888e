//! Identity shared by every agent: a stable [`AgentId`] that the traces use (bevy's
//! `Entity` ids are reused and not stable across runs), and the allocator that hands
//! them out in spawn order.

use bevy_ecs::prelude::{Component, Resource};

/// A stable, run-unique agent id. 0 is never allocated: tables use it for "none".
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct AgentId(pub u64);

/// True when `ids` (a query's storage order) already increase. Ids are handed out in
/// spawn order, so this is the usual case: a system that must reduce in id order checks
/// it (one pass over the ids) and sorts only when it fails — the same order either way.
pub fn in_id_order<'a>(ids: impl Iterator<Item = &'a AgentId>) -> bool {
    ids.is_sorted()
}

/// Hands out [`AgentId`]s in spawn order, so the same config always gives the same ids.
#[derive(Resource, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct IdAllocator {
    last: u64,
}

impl IdAllocator {
    /// The next unused id.
    pub fn allocate(&mut self) -> AgentId {
        self.last += 1;
        AgentId(self.last)
    }
}
