//! The driver's handle on the model: a world and its schedule, stepped one trading day
//! at a time, snapshotted and restored, with its observations and summary to take.

use std::sync::Arc;

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{MultiThreadedExecutor, SingleThreadedExecutor};
use bevy_tasks::{ComputeTaskPool, TaskPoolBuilder};
use bubblesim_config::Config;

use crate::ai_industry::circular::CircularDeal;
use crate::ai_industry::venture::VentureFund;
use crate::beliefs::bubble::BubbleIndex;
use crate::common::calendar::Clock;
use crate::common::directory::Directory;
use crate::common::events::EventLog;
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::economy::macroeconomy::Economy;
use crate::economy::regions::Regions;
use crate::finance::institutions::Institution;
use crate::firms::firm::Firm;
use crate::markets::index::AiIndex;
use crate::markets::retail::RetailInvestor;
use crate::money::ledger::{Breach, Ledger, REST_OF_ECONOMY};
use crate::tick::schedule::build_schedule;
use crate::tick::summary::{EconomySummary, Summary};
use crate::tick::tables::{Observations, take_observations};
use crate::world::setup::populate::populate;
use crate::world::snapshot;

/// Why a simulation could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The schedule could not be initialised (conflicting ordering constraints): a bug.
    #[error("the schedule is inconsistent (a bug): {0}")]
    Schedule(String),
    /// A snapshot could not be taken or restored.
    #[error(transparent)]
    Snapshot(#[from] crate::world::snapshot::SnapshotError),
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
        populate(&mut world, &Arc::new(config), seed);
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
        let mut schedule = build_schedule();
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
    pub fn step(&mut self) -> Result<(), Breach> {
        self.schedule.run(&mut self.world);
        if let Some(breach) = self.world.resource_mut::<Ledger>().breach.take() {
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

    /// The clock: today's tick and date.
    pub fn clock(&self) -> &Clock {
        self.world.resource::<Clock>()
    }

    /// The AI index level now.
    pub fn ai_index_level(&self) -> f64 {
        self.world.resource::<AiIndex>().level
    }

    /// Takes the rows recorded since the last call.
    pub fn take_observations(&mut self) -> Observations {
        take_observations(&mut self.world)
    }

    /// The run so far in brief: final levels, extremes and event totals.
    pub fn summary(&self) -> Summary {
        let index = self.world.resource::<AiIndex>();
        let bubble = self.world.resource::<BubbleIndex>();
        Summary {
            ticks: self.ticks_run,
            first_date: self.clock().start_date,
            last_date: self.clock().date,
            ai_index_level: index.level,
            ai_index_max_drawdown: index.max_drawdown,
            totals: self.world.resource::<EventLog>().totals,
            bubble_first: bubble.first_total,
            bubble_lowest: bubble.lowest_total,
            bubble_highest: bubble.highest_total,
            bubble_last: bubble.total(),
            circular: self.world.resource::<CircularDeal>().clone(),
            economy: {
                let economy = self.world.resource::<Economy>();
                let regions = self.world.resource::<Regions>();
                let params = self.world.resource::<Params>();
                EconomySummary {
                    first_ai_share_of_gdp: economy.first_ai_share_of_gdp,
                    first_unemployment_rate: params.macroeconomy.unemployment_rate_at_start,
                    peak_unemployment_rate: economy.peak_unemployment_rate,
                    lowest_gdp_growth_yoy: economy.lowest_gdp_growth_yoy,
                    most_regions_in_recession: regions.most_in_recession,
                    regions: regions.regions.len() as u32,
                    largest_money_residual_usd: self.world.resource::<Ledger>().largest_residual_usd,
                }
            },
        }
    }

    /// What an agent is, in words, for messages: its name and kind.
    pub fn agent_label(&self, id: AgentId) -> String {
        if id == REST_OF_ECONOMY {
            return "the rest of the economy (the closure)".to_owned();
        }
        let Some(entity) = self.world.resource::<Directory>().try_get(id) else {
            return "not spawned".to_owned();
        };
        let entity = self.world.entity(entity);
        if let Some(firm) = entity.get::<Firm>() {
            format!("{} ({:?})", firm.name, firm.kind)
        } else if let Some(institution) = entity.get::<Institution>() {
            format!("{} ({:?})", institution.name, institution.kind)
        } else if let Some(fund) = entity.get::<VentureFund>() {
            format!("{} (venture fund)", fund.name)
        } else if entity.contains::<RetailInvestor>() {
            "a retail investor".to_owned()
        } else {
            "an agent that holds no money".to_owned()
        }
    }

    /// The world, for tests and tools that inspect state directly.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The world, mutably, for tests and tools that change state directly.
    pub fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }
}
