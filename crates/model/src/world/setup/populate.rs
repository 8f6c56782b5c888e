//! Building the world from a [`Config`]: the steps in the order their agents are
//! spawned (so the same config always gives the same `AgentId`s), then every resource.

use std::sync::Arc;

use bevy_ecs::prelude::*;
use bubblesim_config::Config;

use crate::ai_industry::demand::Demand;
use crate::ai_industry::venture::Venture;
use crate::beliefs::bubble::BubbleIndex;
use crate::beliefs::narrative::Narrative;
use crate::beliefs::news::NewsFlow;
use crate::common::calendar::{Clock, days_from_civil};
use crate::common::directory::KeyAgents;
use crate::common::events::EventLog;
use crate::common::ids::AgentId;
use crate::common::params::{Params, Seed};
use crate::compute::fleet::FleetIndex;
use crate::compute::generations::Generations;
use crate::compute::market::ComputeMarket;
use crate::finance::fire_sales::orders::ForcedEquitySales;
use crate::finance::securities::SecurityCashflows;
use crate::firms::listed::Listed;
use crate::markets::index::{AiIndex, EquityVolume};
use crate::markets::rebalancing::InstitutionalOrders;
use crate::money::flows::FlowLog;
use crate::tick::money_audit::SectorBooks;
use crate::tick::tables::insert_row_buffers;
use crate::world::setup::boom::spawn_boom;
use crate::world::setup::economy::open_economy;
use crate::world::setup::firms::spawn_firms;
use crate::world::setup::fleet::{Landlords, spawn_initial_fleet};
use crate::world::setup::investors::{divide_the_shares, spawn_institutions, spawn_retail};
use crate::world::setup::spawner::SetupSpawner;

/// The AI index at 100 on the listed firms' starting market cap.
fn ai_index_at_start(world: &mut World) -> AiIndex {
    let total_cap: f64 = {
        let mut query = world.query::<(&AgentId, &Listed)>();
        query.iter(world).sort::<&AgentId>().map(|(_, l)| l.market_cap_usd()).sum()
    };
    AiIndex {
        level: 100.0,
        peak: 100.0,
        fundamental_level: 100.0,
        divisor: total_cap / 100.0,
        attention: 1.0,
        ..AiIndex::default()
    }
}

/// Inserts every resource and spawns every agent of the scenario.
pub fn populate(world: &mut World, config: &Arc<Config>, seed: u64) {
    let start = {
        let (y, m, d) = bubblesim_config::parse_date(&config.run.start_date).expect("start_date is validated");
        days_from_civil(y, m, d)
    };
    let params = Params(config.clone());
    let mut spawner = SetupSpawner::new();
    let founded = spawn_firms(world, &mut spawner, config);
    let generations = Generations::from_config(&config.gpus);
    let mut landlords = Landlords {
        sponsors: &founded.sponsors,
        buildings: 0,
    };
    for &provider in &founded.providers {
        spawn_initial_fleet(world, &mut spawner, (&params, &generations), provider, &mut landlords);
    }
    spawn_institutions(world, &mut spawner, config);
    let mut flow = spawn_retail(world, &mut spawner, config, seed);
    let index = ai_index_at_start(world);
    divide_the_shares(world, config, &mut flow, &index);
    world.insert_resource(index);
    let boom = spawn_boom(world, &mut spawner, config, seed, founded.chipmaker);
    world.insert_resource(boom.deal);
    world.insert_resource(boom.adoption);
    world.insert_resource(boom.forecasts);
    world.insert_resource(boom.old_economy);
    world.insert_resource(NewsFlow::default());
    world.insert_resource(Venture::default());
    world.insert_resource(FlowLog::default());
    world.insert_resource(InstitutionalOrders::default());
    world.insert_resource(EquityVolume::default());
    world.insert_resource(BubbleIndex::default());
    world.insert_resource(flow);
    world.insert_resource(params);
    world.insert_resource(Seed(seed));
    world.insert_resource(Clock::new(start, config.run.years));
    world.insert_resource(Demand::from_config(&config.demand));
    world.insert_resource(Narrative::new(config.narrative.initial_hype));
    world.insert_resource(generations);
    world.insert_resource(ComputeMarket::default());
    world.insert_resource(FleetIndex::default());
    world.insert_resource(EventLog::default());
    world.insert_resource(SecurityCashflows::default());
    world.insert_resource(ForcedEquitySales::default());
    world.insert_resource(KeyAgents {
        chipmaker: founded.chipmaker,
        sponsors: founded.sponsors,
    });
    world.insert_resource(spawner.ids);
    world.insert_resource(spawner.directory);
    open_economy(world, config, seed);
    insert_row_buffers(world);
    world.insert_resource(SectorBooks::default());
}
