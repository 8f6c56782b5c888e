//! Data centres: buildings with a power capacity, owned by a sponsor and leased to one
//! tenant at a time. The GPUs they host are cohorts that point back at them.

use bevy_ecs::prelude::Component;

use crate::common::ids::AgentId;

/// A data-centre campus building.
#[derive(Component, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DataCenter {
    /// The sponsor that owns the building.
    pub owner: AgentId,
    /// Power capacity, MW.
    pub capacity_mw: f64,
    /// Month (relative to the start) the building is ready; before it, under construction.
    pub completion_month: i32,
    /// The lease in force, if any.
    pub lease: Option<AgentId>,
    /// The tenant of that lease, if any.
    pub tenant: Option<AgentId>,
}

/// Share of completed capacity (MW) with no tenant; pass buildings in `AgentId` order.
pub fn vacancy_share<'a>(buildings: impl Iterator<Item = &'a DataCenter>, month: u32) -> f64 {
    let (mut completed_mw, mut vacant_mw) = (0.0, 0.0);
    for dc in buildings.filter(|dc| dc.completed(month)) {
        completed_mw += dc.capacity_mw;
        if dc.tenant.is_none() {
            vacant_mw += dc.capacity_mw;
        }
    }
    if completed_mw > 0.0 { vacant_mw / completed_mw } else { 0.0 }
}

impl DataCenter {
    /// Power capacity in whole watts (capacity accounting is done in integers).
    pub fn capacity_watts(&self) -> u64 {
        (self.capacity_mw * 1e6).round() as u64
    }

    /// Whether the building is ready by calendar month `month`.
    pub fn completed(&self, month: u32) -> bool {
        self.completion_month <= month as i32
    }

    /// The tenant leaves: no lease, no tenant.
    pub fn vacate(&mut self) {
        self.tenant = None;
        self.lease = None;
    }

    /// The label of its state in the traces.
    pub fn status(&self, month: u32) -> &'static str {
        match (self.completed(month), self.tenant.is_some()) {
            (false, _) => "under_construction",
            (true, true) => "leased",
            (true, false) => "vacant",
        }
    }
}
