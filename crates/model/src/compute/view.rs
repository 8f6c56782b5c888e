//! The compute side as other domains read it: the fleet, the GPU generations and the
//! GPU-hour market, as one system parameter.

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use crate::common::ids::AgentId;
use crate::compute::fleet::FleetIndex;
use crate::compute::generations::Generations;
use crate::compute::market::ComputeMarket;

/// The fleet index, the generations released and the compute market, read-only.
#[derive(SystemParam)]
pub struct ComputeView<'w> {
    /// GPUs by owner, building and generation.
    pub fleet: Res<'w, FleetIndex>,
    /// Every generation released so far.
    pub generations: Res<'w, Generations>,
    /// The GPU-hour market: rent, demand, supply, utilisation by generation.
    pub market: Res<'w, ComputeMarket>,
}

impl ComputeView<'_> {
    /// Power the GPUs in a building draw this month at their generations' utilisation, watts.
    pub fn busy_watts(&self, datacenter: AgentId) -> f64 {
        self.fleet
            .datacenter_generations(datacenter)
            .map(|(generation, gpus)| {
                gpus as f64 * self.generations.get(generation).power_watts() as f64 * self.market.utilisation(generation)
            })
            .sum()
    }
}
