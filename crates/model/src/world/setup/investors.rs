//! The investors: institutions holding the listed firms at their starting prices, and
//! the retail population with its strategies, novices, cash and holdings.

use bevy_ecs::prelude::*;
use bubblesim_config::Config;

use crate::common::ids::AgentId;
use crate::common::rng::{Purpose, uniform};
use crate::finance::institutions::Institution;
use crate::finance::institutions::initial_institutions;
use crate::firms::listed::Listed;
use crate::markets::index::AiIndex;
use crate::markets::prices::MIN_WIDER_MARKET_SHARE;
use crate::markets::retail::switching::STRATEGIES;
use crate::markets::retail::{RetailFlow, RetailInvestor, Strategy, target_ai_share};
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
            let spread = r.initial_share_dispersion * (2.0 * uniform(seed, Purpose::Setup, 0, index, 2) - 1.0);
            let share = (target_ai_share(r, strategy, 0.0) * (1.0 + spread)).clamp(0.0, 1.0);
            let investor = RetailInvestor {
                strategy,
                novice,
                // Each starts near its strategy's target at fair value, the index at 100.
                cash_usd: r.wealth_usd * (1.0 - share),
                ai_units: r.wealth_usd * share / 100.0,
                traded_usd: 0.0,
            };
            (spawner.ids.allocate(), investor)
        })
        .collect();
    for (_, investor) in &investors {
        flow.holdings.cash_usd[investor.strategy.index()] += investor.cash_usd;
        flow.holdings.units[investor.strategy.index()] += investor.ai_units;
    }
    // The day before the start cleared at 100 with every strategy at its fair-value
    // target: those orders settle on the first day.
    flow.cleared_level = 100.0;
    flow.cleared_targets = STRATEGIES.map(|strategy| target_ai_share(r, strategy, 0.0));
    flow.cleared_units = flow.holdings.units();
    flow.units_at_start = flow.holdings.units();
    spawner.spawn_batch(world, &investors);
    flow
}

/// Who holds each listed AI firm's shares at the start: the retail block
/// `retail.ownership_share` of them (its units of the basket hold `shares / divisor` of
/// each firm, at `usd_per_agent_usd` real dollars per agents' dollar), the institutions
/// what they were given, and the wider market the rest — its normal holding.
pub fn divide_the_shares(world: &mut World, config: &Config, flow: &mut RetailFlow, index: &AiIndex) {
    let ownership = config.retail.ownership_share;
    let units = flow.holdings.units();
    flow.usd_per_agent_usd = if units > 0.0 { ownership * index.divisor / units } else { 0.0 };
    let firm_ids: Vec<AgentId> = {
        let mut firms = world.query::<(&AgentId, &Listed)>();
        firms.iter(world).sort::<&AgentId>().map(|(&id, _)| id).collect()
    };
    let institution_units: Vec<(AgentId, f64)> = {
        let mut query = world.query::<(&AgentId, &Institution)>();
        let institutions: Vec<&Institution> = query.iter(world).sort::<&AgentId>().map(|(_, i)| i).collect();
        firm_ids
            .iter()
            .map(|&id| (id, institutions.iter().map(|i| i.units_of(id)).sum()))
            .collect()
    };
    let mut firms = world.query::<(&AgentId, &mut Listed)>();
    for ((_, mut listed), (_, institutions)) in firms.iter_mut(world).sort::<&AgentId>().zip(institution_units) {
        if !listed.in_ai_index || index.divisor <= 0.0 {
            continue;
        }
        let retail = if flow.usd_per_agent_usd > 0.0 {
            ownership * listed.shares
        } else {
            0.0
        };
        listed.retail_shares_per_unit = listed.shares / index.divisor;
        listed.wider_normal_shares = (listed.shares - retail - institutions).max(MIN_WIDER_MARKET_SHARE * listed.shares);
    }
}
