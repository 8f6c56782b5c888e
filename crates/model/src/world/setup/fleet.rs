//! Each provider's starting GPUs: each generation's share of its H100-equivalents, in
//! cohorts installed evenly since the generation's release, packed into leased
//! buildings whose leases began when they were first filled.

use bevy_ecs::prelude::*;
use bubblesim_config::GpuConfig;

use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::compute::generations::{Generations, GpuCohort};
use crate::real_estate::datacenters::DataCenter;
use crate::real_estate::leases::Lease;
use crate::world::setup::spawner::SetupSpawner;

/// A provider's starting cohorts, oldest first: (install month, generation, GPUs). Each
/// generation's share of `h100_equivalents` (`gpus.initial_fleet_share`) is cut into
/// cohorts of at most `cohort_size` GPUs, installed evenly between its release and the
/// month before the start.
pub fn initial_cohorts(gpus_cfg: &GpuConfig, generations: &Generations, h100_equivalents: f64) -> Vec<(i32, u32, u64)> {
    let cohort_size = u64::from(gpus_cfg.cohort_size);
    // Oldest first, so buildings fill in the order they were leased.
    let mut cohorts: Vec<(i32, u32, u64)> = Vec::new(); // (install month, generation, gpus)
    for generation in &generations.list {
        let share = gpus_cfg.initial_fleet_share[generation.index as usize];
        let mut gpus = (h100_equivalents * share / generation.performance_h100).round() as u64;
        let count = gpus.div_ceil(cohort_size);
        for k in 0..count {
            let size = gpus.min(cohort_size);
            gpus -= size;
            let span = f64::from(-generation.release_month);
            let install = generation.release_month + (span * (k as f64 + 0.5) / count as f64).floor() as i32;
            cohorts.push((install.min(-1), generation.index, size));
        }
    }
    cohorts.sort();
    cohorts
}

/// Where the initial fleets go: the sponsors that own the buildings, taken in turn, and
/// how many buildings have been let so far.
pub struct Landlords<'a> {
    /// The sponsors.
    pub sponsors: &'a [AgentId],
    /// Buildings spawned so far (the next one goes to sponsor `buildings % sponsors`).
    pub buildings: usize,
}

/// Spawns `provider`'s starting cohorts and the leased buildings they fill.
pub fn spawn_initial_fleet(
    world: &mut World,
    spawner: &mut SetupSpawner,
    (params, generations): (&Params, &Generations),
    (provider, h100_equivalents): (AgentId, f64),
    landlords: &mut Landlords,
) {
    let gpus_cfg = &params.gpus;
    let dc_cfg = &params.datacenters;
    let capacity_watts = (dc_cfg.capacity_mw * 1e6).round() as u64;
    let cohorts = initial_cohorts(gpus_cfg, generations, h100_equivalents);
    let mut current: Option<(AgentId, u64)> = None; // (building, free watts)
    for (install_month, generation_index, gpus) in cohorts {
        let generation = generations.get(generation_index);
        let needed = gpus * generation.power_watts();
        let building = match current {
            Some((building, free)) if free >= needed => building,
            _ => {
                let sponsor = landlords.sponsors[landlords.buildings % landlords.sponsors.len()];
                landlords.buildings += 1;
                let building = spawner.ids.allocate();
                let rent = dc_cfg.rent_usd_per_mw_month * dc_cfg.capacity_mw;
                let lease = spawner.spawn(world, Lease::wholesale(params, provider, sponsor, building, rent, install_month));
                let entity = world
                    .spawn((
                        building,
                        DataCenter {
                            owner: sponsor,
                            capacity_mw: dc_cfg.capacity_mw,
                            completion_month: install_month,
                            lease: Some(lease),
                            tenant: Some(provider),
                        },
                    ))
                    .id();
                spawner.directory.insert(building, entity);
                current = Some((building, capacity_watts));
                building
            }
        };
        if let Some((_, free)) = current.as_mut() {
            *free = free.saturating_sub(needed);
        }
        let age_years = f64::from(-install_month) / 12.0;
        let book = gpus as f64 * generation.price_usd * (1.0 - age_years / gpus_cfg.accounting_life_years).max(0.0);
        spawner.spawn(
            world,
            GpuCohort {
                owner: provider,
                datacenter: building,
                generation: generation_index,
                gpus: gpus as u32,
                price_usd_per_gpu: generation.price_usd,
                install_month,
                book_value_usd: book,
                economic_value_usd: book,
                rent_usd_per_gpu_hour: 0.0,
                utilisation: 0.0,
                impaired: false,
                retired: false,
                retired_tick: 0,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fleet_is_cut_into_cohorts_of_each_generation_installed_before_the_start() {
        let config = bubblesim_config::Config::baseline();
        let generations = Generations::from_config(&config.gpus);
        let cohorts = initial_cohorts(&config.gpus, &generations, 1e6);
        assert!(!cohorts.is_empty());
        assert!(cohorts.windows(2).all(|w| w[0] <= w[1]), "oldest first");
        assert!(
            cohorts
                .iter()
                .all(|&(month, _, gpus)| month <= -1 && gpus <= u64::from(config.gpus.cohort_size))
        );
        // The cohorts hold each generation's share of the H100-equivalents.
        for generation in &generations.list {
            let gpus: u64 = cohorts.iter().filter(|c| c.1 == generation.index).map(|c| c.2).sum();
            let share = config.gpus.initial_fleet_share[generation.index as usize];
            assert_eq!(gpus, (1e6 * share / generation.performance_h100).round() as u64);
        }
    }
}
