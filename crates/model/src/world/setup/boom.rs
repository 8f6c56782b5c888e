//! The agents of markets and beliefs, spawned after the rest so that adding them left
//! earlier agents' ids alone: the carmaker, VC funds, enterprise adopters, each
//! forecaster's belief, and the circular deal between the lab and the cloud it names.

use std::sync::Arc;

use bevy_ecs::prelude::*;
use bubblesim_config::Config;

use crate::ai_industry::adoption::{AdoptionStats, initial_adopters, tally};
use crate::ai_industry::circular::CircularDeal;
use crate::ai_industry::venture::VentureFund;
use crate::beliefs::forecasts::{Forecaster, Forecasts};
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::common::rng::{Purpose, normal};
use crate::firms::firm::{Firm, FirmKind};
use crate::firms::listed::Listed;
use crate::firms::roles::{CoreBusiness, Provider, Stakes};
use crate::markets::index::OldEconomyIndex;
use crate::money::accounts::Accounts;
use crate::world::setup::spawner::{SetupSpawner, firm};

/// What `spawn_boom` sets up besides its agents.
pub struct BoomState {
    /// The circular deal, if the scenario names its lab and cloud.
    pub deal: CircularDeal,
    /// The adopters' starting tally.
    pub adoption: AdoptionStats,
    /// The forecasters' starting consensus.
    pub forecasts: Forecasts,
    /// The old-economy index at 100.
    pub old_economy: OldEconomyIndex,
}

/// The agents of markets and beliefs, spawned after the rest so that adding them left
/// earlier agents' ids alone: the carmaker, VC funds, enterprise adopters, and a
/// forecaster's belief on every provider, the chipmaker, VC funds and institutions.
pub fn spawn_boom(world: &mut World, spawner: &mut SetupSpawner, config: &Arc<Config>, seed: u64, chipmaker: AgentId) -> BoomState {
    let c = &config.carmaker;
    let carmaker = Listed::old_economy(c.shares_outstanding, c.share_price_usd);
    let old_economy = OldEconomyIndex {
        level: 100.0,
        peak: 100.0,
        divisor: carmaker.market_cap_usd() / 100.0,
        log_return: 0.0,
    };
    spawner.spawn(
        world,
        (
            firm(FirmKind::Carmaker, &c.name),
            Accounts::with_cash(c.cash_usd, 0.0, c.book_equity_usd),
            carmaker,
            CoreBusiness {
                revenue_usd_per_year: c.core_revenue_usd_per_year,
                operating_margin: c.core_operating_margin,
                growth_per_year: c.core_growth_per_year,
            },
        ),
    );
    for n in 1..=config.venture.funds {
        let fund = VentureFund {
            name: Arc::from(format!("venture-fund-{n}")),
            dry_powder_usd: 0.0,
        };
        spawner.spawn(world, (fund, Stakes::default()));
    }
    let params = Params(config.clone());
    let ids: Vec<AgentId> = (0..config.adoption.count).map(|_| spawner.ids.allocate()).collect();
    let adopters = initial_adopters(&params, seed, ids.into_iter());
    let mut adoption = tally(adopters.iter().map(|(_, a)| a), config.adoption.return_usage_multiplier);
    adoption.initial_usage = adoption.usage;
    spawner.spawn_batch(world, &adopters);

    // Forecasters: believed growth = the demand process's starting rate + a personal spread.
    let f = &config.forecasts;
    let start_growth = crate::ai_industry::demand::Demand::growth_rate(
        &crate::ai_industry::demand::Demand::from_config(&config.demand).consumer,
        0.0,
        config.demand.growth_halflife_years,
    );
    let mut who: Vec<(AgentId, Entity)> = {
        let mut query = world
            .query_filtered::<(Entity, &AgentId), Or<(With<Provider>, With<VentureFund>, With<crate::finance::institutions::Institution>)>>(
            );
        query.iter(world).map(|(e, &id)| (id, e)).collect()
    };
    who.push((chipmaker, spawner.directory.get(chipmaker)));
    who.sort_by_key(|&(id, _)| id);
    let mut beliefs = Vec::with_capacity(who.len());
    for (id, entity) in who {
        let belief = start_growth + f.initial_belief_dispersion * normal(seed, Purpose::Forecast, 0, id.0, 0);
        beliefs.push(belief);
        world
            .entity_mut(entity)
            .insert(Forecaster::new(belief, f.initial_belief_dispersion));
    }
    let mut forecasts = Forecasts::default();
    forecasts.summarise(beliefs.into_iter(), f.horizon_years);

    let named = |world: &mut World, name: &str| -> Option<AgentId> {
        let mut query = world.query::<(&AgentId, &Firm)>();
        query.iter(world).find(|(_, firm)| &*firm.name == name).map(|(&id, _)| id)
    };
    let lab = (!config.circular.lab.is_empty())
        .then(|| named(world, &config.circular.lab))
        .flatten();
    let cloud = lab.and_then(|_| named(world, &config.circular.cloud));
    let deal = CircularDeal {
        lab,
        cloud,
        active: lab.is_some() && cloud.is_some(),
        ..CircularDeal::default()
    };
    BoomState {
        deal,
        adoption,
        forecasts,
        old_economy,
    }
}
