//! bubblesim's economy: a bevy_ecs world of firms, investors, data centres, GPU cohorts,
//! leases and the securities built on them, and the systems that move money, assets and
//! beliefs between them. No I/O: the driver steps the [`Simulation`] and drains its
//! [`Observations`].
//!
//! How the parts fit:
//! - `setup` spawns the agents of a `Config`, each with a stable [`AgentId`];
//! - `schedule` chains the phases of a tick; monthly and quarterly systems run on the
//!   first trading day of a month or quarter (`calendar`);
//! - one module per mechanism, its components beside it — the real side: `demand`,
//!   `compute_market`, `revenue`, `funding`, `obsolescence`, `capex`, `construction`,
//!   `leases`, `shock`; the financing chain: `spv` (SPVs and lease-backs),
//!   `securitisation` (pools and their waterfall), `securities` (bonds, tranches, their
//!   risk and prices), `ratings`, `institutions` (holders), `fire_sales` (forced sales
//!   and contagion); markets and beliefs: `news` (model releases), `narrative` (hype),
//!   `adoption` (enterprise pilots and churn), `forecasts` (uncertainty), `venture` and
//!   `funding` (VC money and lab rounds), `circular` (chipmaker → lab → cloud → chipmaker
//!   and the `flows` it records), `sentiment` (retail), `equity_trading`
//!   (institutions), `market` (prices, indices, earnings), `bubble` (Goldfarb–Kirsch);
//!   the real economy: `economy` (GDP, employment, displacement), `regions`, `grid`
//!   (connections data centres wait for); and `accounting` (books close monthly) and
//!   `ledger` (stock–flow consistency: every payment posted on both sides and checked
//!   after each system that moves money);
//! - `stats` holds the sample statistics of the stylised-facts checks;
//! - `credit` and `waterfall` are the pure arithmetic the financing chain uses (Vasicek
//!   pool losses, the rating scale, the tranche waterfall), tested on their own;
//! - `observe` (and `observe_boom`, `observe_economy`) copy state into rows for the recorder; `events` keeps the event log;
//! - `rng` derives every random draw from (seed, purpose, tick, agent), so results do not
//!   depend on thread count or iteration order.

// Bevy systems receive their data as parameters, so long parameter lists and nested
// query types are the idiom here, as in bevy itself.
#![allow(clippy::too_many_arguments, clippy::type_complexity)]

pub mod accounting;
pub mod adoption;
pub mod agents;
pub mod bubble;
pub mod calendar;
pub mod capex;
pub mod circular;
pub mod compute_market;
pub mod construction;
pub mod credit;
pub mod datacenters;
pub mod demand;
pub mod economy;
pub mod equity_trading;
pub mod events;
pub mod fire_sales;
pub mod firms;
pub mod fleet;
pub mod forecasts;
pub mod funding;
pub mod grid;
pub mod institutions;
pub mod leases;
pub mod ledger;
pub mod market;
pub mod math;
pub mod narrative;
pub mod news;
pub mod observe;
pub mod observe_boom;
pub mod observe_economy;
pub mod obsolescence;
pub mod params;
pub mod ratings;
pub mod regions;
pub mod revenue;
pub mod rng;
pub mod schedule;
pub mod securities;
pub mod securitisation;
pub mod sentiment;
pub mod setup;
pub mod shock;
pub mod snapshot;
pub mod spv;
pub mod stats;
pub mod venture;
pub mod waterfall;

use std::sync::Arc;

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{MultiThreadedExecutor, SingleThreadedExecutor};
use bevy_tasks::{ComputeTaskPool, TaskPoolBuilder};
use bubblesim_config::Config;

pub use agents::AgentId;
pub use calendar::Clock;
pub use events::{Event, EventKind, Totals};
pub use observe::Observations;

/// Why a simulation could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("the schedule is inconsistent (a bug): {0}")]
    Schedule(String),
    #[error(transparent)]
    Snapshot(#[from] snapshot::SnapshotError),
}

/// What the run did, for the end-of-run summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub ticks: u32,
    pub first_date: i32,
    pub last_date: i32,
    pub ai_index_level: f64,
    /// Deepest peak-to-trough fall of the AI index, 0 … 1.
    pub ai_index_max_drawdown: f64,
    pub totals: Totals,
    /// The bubble index on the first day, its lowest, its highest and its last reading.
    pub bubble_first: u8,
    pub bubble_lowest: u8,
    pub bubble_highest: u8,
    pub bubble_last: u8,
    /// The circular deal (all zero without one).
    pub circular: circular::CircularDeal,
    pub economy: EconomySummary,
}

/// The real economy and the accounts over the run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EconomySummary {
    pub first_ai_share_of_gdp: f64,
    pub first_unemployment_rate: f64,
    pub peak_unemployment_rate: f64,
    /// NaN for runs shorter than a year.
    pub lowest_gdp_growth_yoy: f64,
    pub most_regions_in_recession: u32,
    pub regions: u32,
    /// The largest |sum of all money| at the end of any tick (zero but for rounding).
    pub largest_money_residual_usd: f64,
}

/// A world and its schedule, stepped one trading day at a time.
pub struct Simulation {
    world: World,
    schedule: Schedule,
    ticks_run: u32,
}

impl Simulation {
    /// Builds the world of a validated config. `threads` > 1 runs systems and parallel
    /// iteration on that many threads; results are identical for any value.
    pub fn new(config: Config, seed: u64, threads: usize) -> Result<Self, ModelError> {
        let mut world = World::new();
        setup::populate(&mut world, &Arc::new(config), seed);
        Self::with_world(world, 0, threads)
    }

    /// Rebuilds a simulation from a [`Simulation::snapshot`]: it continues exactly as the
    /// original would have, for any `threads`.
    pub fn restore(snapshot: &[u8], threads: usize) -> Result<Self, ModelError> {
        let (world, ticks_run) = snapshot::load(snapshot)?;
        Self::with_world(world, ticks_run, threads)
    }

    /// The whole world's state, encoded (see `snapshot`). Drain the observations first.
    pub fn snapshot(&mut self) -> Result<Vec<u8>, ModelError> {
        Ok(snapshot::save(&mut self.world, self.ticks_run)?)
    }

    fn with_world(mut world: World, ticks_run: u32, threads: usize) -> Result<Self, ModelError> {
        let threads = threads.max(1);
        ComputeTaskPool::get_or_init(|| TaskPoolBuilder::new().num_threads(threads).build());
        let mut schedule = schedule::build_schedule();
        if threads > 1 {
            schedule.set_executor(MultiThreadedExecutor::new());
        } else {
            schedule.set_executor(SingleThreadedExecutor::new());
        }
        schedule
            .initialize(&mut world)
            .map_err(|err| ModelError::Schedule(format!("{err:?}")))?;
        Ok(Self {
            world,
            schedule,
            ticks_run,
        })
    }

    /// Simulates the current trading day, then moves the clock to the next one. Fails
    /// when the stock–flow check found money created or destroyed during the day.
    pub fn step(&mut self) -> Result<(), ledger::Breach> {
        self.schedule.run(&mut self.world);
        if let Some(breach) = self.world.resource_mut::<ledger::Ledger>().breach.take() {
            return Err(breach);
        }
        self.ticks_run += 1;
        if !self.finished() {
            self.world.resource_mut::<Clock>().advance();
        }
        Ok(())
    }

    /// Ticks simulated so far.
    pub fn ticks_run(&self) -> u32 {
        self.ticks_run
    }

    /// True once every tick of the horizon has run.
    pub fn finished(&self) -> bool {
        self.ticks_run >= self.clock().horizon_ticks()
    }

    pub fn clock(&self) -> &Clock {
        self.world.resource::<Clock>()
    }

    /// The AI index level now.
    pub fn ai_index_level(&self) -> f64 {
        self.world.resource::<market::AiIndex>().level
    }

    /// Takes the rows recorded since the last call.
    pub fn take_observations(&mut self) -> Observations {
        std::mem::take(&mut *self.world.resource_mut::<Observations>())
    }

    pub fn summary(&self) -> Summary {
        let index = self.world.resource::<market::AiIndex>();
        let bubble = self.world.resource::<bubble::BubbleIndex>();
        Summary {
            ticks: self.ticks_run,
            first_date: self.clock().start_date,
            last_date: self.clock().date,
            ai_index_level: index.level,
            ai_index_max_drawdown: index.max_drawdown,
            totals: self.world.resource::<events::EventLog>().totals,
            bubble_first: bubble.first_total,
            bubble_lowest: bubble.lowest_total,
            bubble_highest: bubble.highest_total,
            bubble_last: bubble.total(),
            circular: self.world.resource::<circular::CircularDeal>().clone(),
            economy: {
                let economy = self.world.resource::<economy::Economy>();
                let regions = self.world.resource::<regions::Regions>();
                let params = self.world.resource::<params::Params>();
                EconomySummary {
                    first_ai_share_of_gdp: economy.first_ai_share_of_gdp,
                    first_unemployment_rate: params.macroeconomy.unemployment_rate_at_start,
                    peak_unemployment_rate: economy.peak_unemployment_rate,
                    lowest_gdp_growth_yoy: economy.lowest_gdp_growth_yoy,
                    most_regions_in_recession: regions.most_in_recession,
                    regions: regions.regions.len() as u32,
                    largest_money_residual_usd: self.world.resource::<ledger::Ledger>().largest_residual_usd,
                }
            },
        }
    }

    /// What an agent is, in words, for messages: its name and kind.
    pub fn agent_label(&self, id: AgentId) -> String {
        if id == ledger::REST_OF_ECONOMY {
            return "the rest of the economy (the closure)".to_owned();
        }
        let Some(entity) = self.world.resource::<params::Directory>().try_get(id) else {
            return "not spawned".to_owned();
        };
        let entity = self.world.entity(entity);
        if let Some(firm) = entity.get::<firms::Firm>() {
            format!("{} ({:?})", firm.name, firm.kind)
        } else if let Some(institution) = entity.get::<institutions::Institution>() {
            format!("{} ({:?})", institution.name, institution.kind)
        } else if let Some(fund) = entity.get::<venture::VentureFund>() {
            format!("{} (venture fund)", fund.name)
        } else if entity.contains::<sentiment::RetailInvestor>() {
            "a retail investor".to_owned()
        } else {
            "an agent that holds no money".to_owned()
        }
    }

    /// The world, for tests and tools that inspect state directly.
    pub fn world(&self) -> &World {
        &self.world
    }

    pub fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }
}
