//! Building the world from a [`Config`]: firms, their starting GPU fleets in leased
//! data centres, the institutional investors and the retail population. Agents are spawned in a fixed order, so the
//! same config always gives the same `AgentId`s.

use std::sync::Arc;

use bevy_ecs::prelude::*;
use bubblesim_config::Config;

use crate::ai_industry::adoption::{AdoptionStats, initial_adopters, tally};
use crate::ai_industry::circular::CircularDeal;
use crate::ai_industry::demand::Demand;
use crate::ai_industry::venture::{Venture, VentureFund};
use crate::beliefs::bubble::BubbleIndex;
use crate::beliefs::forecasts::{Forecaster, Forecasts};
use crate::beliefs::narrative::Narrative;
use crate::beliefs::news::NewsFlow;
use crate::common::calendar::Clock;
use crate::common::directory::Directory;
use crate::common::directory::KeyAgents;
use crate::common::events::EventLog;
use crate::common::ids::{AgentId, IdAllocator};
use crate::common::params::{Params, Seed};
use crate::common::rng::{Purpose, normal, uniform};
use crate::compute::fleet::FleetIndex;
use crate::compute::generations::{Generations, GpuCohort};
use crate::compute::market::ComputeMarket;
use crate::economy::macroeconomy::Economy;
use crate::economy::regions::Regions;
use crate::economy::shock::Rates;
use crate::finance::fire_sales::ForcedEquitySales;
use crate::finance::institutions::{Institution, initial_institutions};
use crate::finance::securities::SecurityCashflows;
use crate::firms::firm::{Firm, FirmKind};
use crate::firms::listed::Listed;
use crate::firms::roles::{AiSeller, Borrower, Chipmaker, CoreBusiness, Lab, Provider, Sponsor, Stakes};
use crate::markets::index::{AiIndex, EquityVolume, OldEconomyIndex};
use crate::markets::rebalancing::InstitutionalOrders;
use crate::markets::retail::{RetailFlow, RetailInvestor, Strategy};
use crate::money::accounts::Accounts;
use crate::money::flows::FlowLog;
use crate::money::ledger::Ledger;
use crate::real_estate::datacenters::DataCenter;
use crate::real_estate::grid::Grid;
use crate::real_estate::leases::Lease;
use crate::tick::money_audit::SectorBooks;
use crate::tick::tables::insert_row_buffers;

struct Spawner {
    ids: IdAllocator,
    directory: Directory,
}

impl Spawner {
    fn spawn(&mut self, world: &mut World, bundle: impl Bundle) -> AgentId {
        let id = self.ids.allocate();
        let entity = world.spawn((id, bundle)).id();
        self.directory.insert(id, entity);
        id
    }
}

fn firm(kind: FirmKind, name: &str) -> Firm {
    Firm {
        kind,
        name: Arc::from(name),
        active: true,
    }
}

/// Inserts every resource and spawns every agent of the scenario.
pub fn populate(world: &mut World, config: &Arc<Config>, seed: u64) {
    let start = {
        let (y, m, d) = bubblesim_config::parse_date(&config.run.start_date).expect("start_date is validated");
        crate::common::calendar::days_from_civil(y, m, d)
    };
    let params = Params(config.clone());
    let mut spawner = Spawner {
        ids: IdAllocator::default(),
        directory: Directory::default(),
    };

    for lab in &config.labs {
        spawner.spawn(
            world,
            (
                firm(FirmKind::Lab, &lab.name),
                Accounts::with_cash(lab.cash_usd, 0.0, lab.cash_usd),
                AiSeller::new(lab.end_market_share, lab.training_gpu_hours_per_month, lab.training_growth_per_year),
                Lab::new(lab.other_opex_usd_per_month),
            ),
        );
    }
    let installed_total: f64 = config
        .hyperscalers
        .iter()
        .map(|h| h.installed_h100_equivalents)
        .chain(config.clouds.iter().map(|c| c.installed_h100_equivalents))
        .sum::<f64>()
        .max(f64::MIN_POSITIVE);
    let mut providers: Vec<(AgentId, f64)> = Vec::new();
    for h in &config.hyperscalers {
        let id = spawner.spawn(
            world,
            (
                firm(FirmKind::Hyperscaler, &h.name),
                Accounts::with_cash(h.cash_usd, 0.0, h.book_equity_usd),
                Listed::new(h.shares_outstanding, h.share_price_usd),
                AiSeller::new(h.end_market_share, h.training_gpu_hours_per_month, h.training_growth_per_year),
                CoreBusiness {
                    revenue_usd_per_year: h.core_revenue_usd_per_year,
                    operating_margin: h.core_operating_margin,
                    growth_per_year: h.core_growth_per_year,
                },
                Provider {
                    plan_base_ai_revenue_usd_per_month: 0.0,
                    capacity_share: h.installed_h100_equivalents / installed_total,
                },
                // Debt it takes on when it builds on its own balance sheet.
                Borrower {
                    interest_rate: config.financing.risk_free_rate + config.financing.own_debt_spread,
                },
            ),
        );
        providers.push((id, h.installed_h100_equivalents));
    }
    for c in &config.clouds {
        let id = spawner.spawn(
            world,
            (
                firm(FirmKind::Cloud, &c.name),
                Accounts::with_cash(c.cash_usd, c.debt_usd, c.book_equity_usd),
                Listed::new(c.shares_outstanding, c.share_price_usd),
                Borrower {
                    interest_rate: c.interest_rate,
                },
                Provider {
                    plan_base_ai_revenue_usd_per_month: 0.0,
                    capacity_share: c.installed_h100_equivalents / installed_total,
                },
            ),
        );
        providers.push((id, c.installed_h100_equivalents));
    }
    let m = &config.chipmaker;
    let chipmaker = spawner.spawn(
        world,
        (
            firm(FirmKind::Chipmaker, &m.name),
            Accounts::with_cash(m.cash_usd, 0.0, m.book_equity_usd),
            Listed::new(m.shares_outstanding, m.share_price_usd),
            Chipmaker {
                gross_margin: m.gross_margin,
                other_revenue_usd_per_year: m.other_revenue_usd_per_year,
                operating_expenses_usd_per_year: m.operating_expenses_usd_per_year,
            },
            Stakes::default(),
        ),
    );
    let sponsors: Vec<AgentId> = (1..=config.sponsors.count)
        .map(|n| {
            spawner.spawn(
                world,
                (
                    firm(FirmKind::Sponsor, &format!("sponsor-{n}")),
                    Accounts::with_cash(config.sponsors.cash_usd, 0.0, config.sponsors.cash_usd),
                    Borrower {
                        interest_rate: config.sponsors.interest_rate,
                    },
                    Sponsor,
                ),
            )
        })
        .collect();

    let generations = Generations::from_config(&config.gpus);
    let mut buildings = 0usize;
    for &(provider, h100_equivalents) in &providers {
        spawn_initial_fleet(
            world,
            &mut spawner,
            &params,
            &generations,
            provider,
            h100_equivalents,
            &sponsors,
            &mut buildings,
        );
    }

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

    let flow = spawn_retail(world, &mut spawner, config, seed);

    let total_cap: f64 = {
        let mut query = world.query::<(&AgentId, &Listed)>();
        query.iter(world).sort::<&AgentId>().map(|(_, l)| l.market_cap_usd()).sum()
    };
    world.insert_resource(AiIndex {
        level: 100.0,
        peak: 100.0,
        fundamental_level: 100.0,
        divisor: total_cap / 100.0,
        attention: 1.0,
        ..AiIndex::default()
    });
    let boom = spawn_boom(world, &mut spawner, config, seed, chipmaker);
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
    world.insert_resource(KeyAgents { chipmaker, sponsors });
    world.insert_resource(spawner.ids);
    world.insert_resource(spawner.directory);
    open_economy(world, config, seed);
    insert_row_buffers(world);
    world.insert_resource(SectorBooks::default());
}

/// The real economy and the books: the grid with the buildings present at the start
/// connected, the macro sector and regions, and the ledger holding every agent's
/// starting cash against the rest of the economy.
fn open_economy(world: &mut World, config: &Arc<Config>, seed: u64) {
    let connected_mw: f64 = {
        let mut query = world.query::<(&AgentId, &DataCenter)>();
        query.iter(world).sort::<&AgentId>().map(|(_, dc)| dc.capacity_mw).sum()
    };
    let mut grid = Grid::new(
        connected_mw / 1000.0,
        config.grid.headroom_gw_at_start,
        config.grid.added_gw_per_year,
    );
    grid.connect(-1, connected_mw);
    world.insert_resource(grid);
    world.insert_resource(Economy::default());
    world.insert_resource(Regions::new(&Params(config.clone()), seed));
    world.insert_resource(Rates::default());
    let mut cash: Vec<(AgentId, f64)> = Vec::new();
    cash.extend(world.query::<(&AgentId, &Accounts)>().iter(world).map(|(&id, a)| (id, a.cash_usd)));
    cash.extend(
        world
            .query::<(&AgentId, &Institution)>()
            .iter(world)
            .map(|(&id, i)| (id, i.cash_usd)),
    );
    cash.extend(
        world
            .query::<(&AgentId, &RetailInvestor)>()
            .iter(world)
            .map(|(&id, r)| (id, r.cash_usd)),
    );
    cash.extend(
        world
            .query::<(&AgentId, &VentureFund)>()
            .iter(world)
            .map(|(&id, f)| (id, f.dry_powder_usd)),
    );
    cash.sort_by_key(|&(id, _)| id);
    let mut ledger = Ledger::default();
    ledger.open(cash.into_iter());
    world.insert_resource(ledger);
}

/// What `spawn_boom` sets up besides its agents.
struct BoomState {
    deal: CircularDeal,
    adoption: AdoptionStats,
    forecasts: Forecasts,
    old_economy: OldEconomyIndex,
}

/// The agents of markets and beliefs, spawned after the rest so that adding them left
/// earlier agents' ids alone: the carmaker, VC funds, enterprise adopters, and a
/// forecaster's belief on every provider, the chipmaker, VC funds and institutions.
fn spawn_boom(world: &mut World, spawner: &mut Spawner, config: &Arc<Config>, seed: u64, chipmaker: AgentId) -> BoomState {
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
    let entities: Vec<Entity> = world.spawn_batch(adopters.iter().cloned()).collect();
    for ((id, _), entity) in adopters.iter().zip(entities) {
        spawner.directory.insert(*id, entity);
    }

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

/// A provider's starting GPUs: each generation's share of its H100-equivalents, in
/// cohorts installed evenly since the generation's release, packed into leased buildings
/// whose leases began when they were first filled.
fn spawn_initial_fleet(
    world: &mut World,
    spawner: &mut Spawner,
    params: &Params,
    generations: &Generations,
    provider: AgentId,
    h100_equivalents: f64,
    sponsors: &[AgentId],
    buildings: &mut usize,
) {
    let gpus_cfg = &params.gpus;
    let dc_cfg = &params.datacenters;
    let capacity_watts = (dc_cfg.capacity_mw * 1e6).round() as u64;
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
    let mut current: Option<(AgentId, u64)> = None; // (building, free watts)
    for (install_month, generation_index, gpus) in cohorts {
        let generation = generations.get(generation_index);
        let needed = gpus * generation.power_watts();
        let building = match current {
            Some((building, free)) if free >= needed => building,
            _ => {
                let sponsor = sponsors[*buildings % sponsors.len()];
                *buildings += 1;
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

/// The retail population; returns its starting counts.
fn spawn_retail(world: &mut World, spawner: &mut Spawner, config: &Config, seed: u64) -> RetailFlow {
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
    let entities: Vec<Entity> = world.spawn_batch(investors.iter().cloned()).collect();
    for ((id, _), entity) in investors.iter().zip(entities) {
        spawner.directory.insert(*id, entity);
    }
    flow
}
