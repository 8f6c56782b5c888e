//! The fleet index: GPU counts by (owner, generation) and by (data centre, generation),
//! and the power each data centre has committed. Rebuilt from the cohorts whenever a
//! mechanism needs it. All sums are integers, so they do not depend on iteration order.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use crate::common::calendar::Clock;
use crate::common::ids::AgentId;
use crate::compute::generations::{Generations, GpuCohort};

/// GPU counts of the cohorts now in service, and the power committed per data centre.
#[derive(Resource, Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct FleetIndex {
    /// In-service GPUs by (owner, generation).
    pub by_owner: BTreeMap<(AgentId, u32), u64>,
    /// In-service GPUs by (data centre, generation).
    pub by_datacenter: BTreeMap<(AgentId, u32), u64>,
    /// GPUs ordered but not yet in service (their building is not finished), by owner and generation.
    pub pending_by_owner: BTreeMap<(AgentId, u32), u64>,
    /// Watts of every unretired cohort placed in a data centre, in service or pending.
    pub committed_watts: BTreeMap<AgentId, u64>,
}

impl FleetIndex {
    /// In-service GPUs of one owner, by generation.
    pub fn owner_generations(&self, owner: AgentId) -> impl Iterator<Item = (u32, u64)> + '_ {
        self.by_owner
            .range((owner, 0)..=(owner, u32::MAX))
            .map(|(&(_, generation), &gpus)| (generation, gpus))
    }

    /// In-service GPUs of one data centre, by generation.
    pub fn datacenter_generations(&self, datacenter: AgentId) -> impl Iterator<Item = (u32, u64)> + '_ {
        self.by_datacenter
            .range((datacenter, 0)..=(datacenter, u32::MAX))
            .map(|(&(_, generation), &gpus)| (generation, gpus))
    }

    /// Ordered GPUs not yet in service, by generation.
    pub fn owner_pending(&self, owner: AgentId) -> impl Iterator<Item = (u32, u64)> + '_ {
        self.pending_by_owner
            .range((owner, 0)..=(owner, u32::MAX))
            .map(|(&(_, generation), &gpus)| (generation, gpus))
    }

    /// In-service GPUs of each generation, across all owners.
    pub fn total_by_generation(&self) -> BTreeMap<u32, u64> {
        let mut totals = BTreeMap::new();
        for (&(_, generation), &gpus) in &self.by_owner {
            *totals.entry(generation).or_insert(0) += gpus;
        }
        totals
    }
}

/// Rebuilds the [`FleetIndex`] from every cohort.
pub fn rebuild_fleet_index(clock: Res<Clock>, generations: Res<Generations>, cohorts: Query<&GpuCohort>, mut index: ResMut<FleetIndex>) {
    let mut fresh = FleetIndex::default();
    for cohort in &cohorts {
        if cohort.retired {
            continue;
        }
        let gpus = u64::from(cohort.gpus);
        *fresh.committed_watts.entry(cohort.datacenter).or_insert(0) += gpus * generations.get(cohort.generation).power_watts();
        if cohort.in_service(clock.month) {
            *fresh.by_owner.entry((cohort.owner, cohort.generation)).or_insert(0) += gpus;
            *fresh.by_datacenter.entry((cohort.datacenter, cohort.generation)).or_insert(0) += gpus;
        } else {
            *fresh.pending_by_owner.entry((cohort.owner, cohort.generation)).or_insert(0) += gpus;
        }
    }
    *index = fresh;
}
