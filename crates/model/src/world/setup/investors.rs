//! The investors: institutions holding the listed firms at their starting prices, and
//! the retail population with its strategies, novices, cash and holdings.

use bevy_ecs::prelude::*;
use bubblesim_config::Config;

use crate::common::ids::AgentId;
use crate::common::rng::{Purpose, uniform};
use crate::finance::institutions::initial_institutions;
use crate::firms::listed::Listed;
use crate::markets::retail::{RetailFlow, RetailInvestor, Strategy};
use crate::world::setup::spawner::SetupSpawner;

/// The institutions, each holding the listed firms at today's prices.
pub fn spawn_institutions(world: &mut World, spawner: &mut SetupSpawner, config: &Config) {
    let listed: Vec<(AgentId, f64, f64)> = {
        let mut query = world.query::<(&AgentId, &Listed)>();
        query
            .iter(world)
            .sort::<&AgentId>()
            .map(|(&id, l)| (id, l.price_usd, l.market_cap_usd()))
            .collect()
    };
    for institution in initial_institutions(config, &listed) {
        spawner.spawn(world, institution);
    }
}

/// The retail population; returns its starting counts.
pub fn spawn_retail(world: &mut World, spawner: &mut SetupSpawner, config: &Config, seed: u64) -> RetailFlow {
    let r = &config.retail;
    let mut flow = RetailFlow {
        population: u64::from(r.count),
        ..RetailFlow::default()
    };
    let investors: Vec<(AgentId, RetailInvestor)> = (0..u64::from(r.count))
        .map(|index| {
            let novice = uniform(seed, Purpose::Setup, 0, index, 0) < r.novice_share;
            flow.novices += u64::from(novice);
            let draw = uniform(seed, Purpose::Setup, 0, index, 1);
            let strategy = if draw < r.initial_fundamentalist_share {
                flow.fundamentalists += 1;
                Strategy::Fundamentalist
            } else if draw < r.initial_fundamentalist_share + r.initial_optimist_share {
                flow.optimists += 1;
                Strategy::Optimist
            } else {
                flow.pessimists += 1;
                Strategy::Pessimist
            };
            let investor = RetailInvestor {
                strategy,
                novice,
                cash_usd: r.wealth_usd * (1.0 - r.initial_ai_share),
                ai_units: r.wealth_usd * r.initial_ai_share / 100.0,
                traded_usd: 0.0,
            };
            (spawner.ids.allocate(), investor)
        })
        .collect();
    spawner.spawn_batch(world, &investors);
    flow
}
