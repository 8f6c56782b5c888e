//! Per-system throughput at 10⁴, 10⁵ and 10⁶ agents, each beside a plain-loop reference:
//! the same per-agent function over a `Vec` of the same agent data, in id order, with the
//! same reduction — so `ecs / loop` is the cost of the ECS (query iteration, change
//! detection, the schedule) and nothing else.
//!
//! `cargo bench --bench systems`; figures and how to read them: `benches/README.md`.

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::SingleThreadedExecutor;
use bubblesim_config::{Config, ConfigSource};
use bubblesim_model::prelude::kernels::*;
use bubblesim_model::prelude::*;
use divan::Bencher;
use divan::counter::ItemsCount;

fn main() {
    divan::main();
}

const SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];

fn config(overrides: &[String]) -> Config {
    bubblesim_config::load(&ConfigSource::baseline(), overrides).expect("the baseline loads")
}

fn simulation(overrides: &[String]) -> Simulation {
    let config = config(overrides);
    let seed = config.run.seed;
    Simulation::new(config, seed, 1).expect("the schedule builds")
}

/// A schedule holding one system, run on this thread.
fn schedule_of<M>(world: &mut World, system: impl IntoScheduleConfigs<bevy_ecs::system::ScheduleSystem, M>) -> Schedule {
    let mut schedule = Schedule::default();
    schedule.set_executor(SingleThreadedExecutor::new());
    schedule.add_systems(system);
    schedule.initialize(world).expect("the system initialises");
    schedule
}

fn sorted<C: Component + Clone>(world: &mut World) -> Vec<(AgentId, C)> {
    let mut rows: Vec<(AgentId, C)> = world
        .query::<(&AgentId, &C)>()
        .iter(world)
        .map(|(id, c)| (*id, c.clone()))
        .collect();
    rows.sort_by_key(|(id, _)| *id);
    rows
}

/// Retail sentiment and trading (daily): switch, learn, trade, tally, post payments.
mod retail_sentiment {
    use super::*;

    #[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
    fn ecs(bencher: Bencher, agents: usize) {
        let mut sim = simulation(&[format!("retail.count={agents}")]);
        let world = sim.world_mut();
        let mut schedule = schedule_of(world, retail_sentiment);
        bencher.counter(ItemsCount::new(agents)).bench_local(|| schedule.run(world));
    }

    #[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
    fn plain_loop(bencher: Bencher, agents: usize) {
        let mut sim = simulation(&[format!("retail.count={agents}")]);
        let config = config(&[]);
        let mut investors: Vec<(AgentId, RetailInvestor)> = sorted(sim.world_mut());
        let signals = Signals {
            opinion: 0.1,
            trend_per_year: 0.2,
            mispricing: -0.1,
            earnings_yield: 0.03,
            hype: 0.8,
            chartist_share: 0.6,
            optimist_share: 0.35,
            pessimist_share: 0.25,
            fundamentalist_share: 0.4,
        };
        // Yesterday's orders fill at level 100 toward the strategies' targets.
        let day = RetailDay::new(
            &config.retail,
            0.09,
            &signals,
            (1, 1),
            ([0.8, 0.05, 0.2], 100.0),
            (0.0001, 0.0003, 0.0),
        );
        let mut ledger = Ledger::default();
        bencher.counter(ItemsCount::new(agents)).bench_local(|| {
            let mut tally = RetailTally::default();
            for (id, investor) in investors.iter_mut() {
                step_investor(&day, *id, investor, &mut tally);
            }
            ledger.pay_with_rest(
                investors
                    .iter()
                    .filter(|(_, i)| i.traded_usd != 0.0)
                    .map(|(id, i)| (*id, i.traded_usd)),
                tally.net_usd(),
                tally.gross_cents as f64 / 100.0,
            );
            tally
        });
    }
}

/// GPU cohorts' monthly revaluation: economic value, depreciation, impairment and
/// retirement, charges summed per owner in id order.
mod revalue_cohorts {
    use std::collections::BTreeMap;

    use super::*;

    /// A baseline world whose fleet is cut into about `cohorts` cohorts.
    fn fleet(cohorts: usize) -> Simulation {
        let mut sim = simulation(&[]);
        let world = sim.world_mut();
        let gpus: u64 = world.query::<&GpuCohort>().iter(world).map(|c| u64::from(c.gpus)).sum();
        let size = (gpus / cohorts as u64).max(1);
        simulation(&[format!("gpus.cohort_size={size}")])
    }

    fn count(world: &mut World) -> usize {
        world.query::<&GpuCohort>().iter(world).count()
    }

    #[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
    fn ecs(bencher: Bencher, cohorts: usize) {
        let mut sim = fleet(cohorts);
        let world = sim.world_mut();
        let n = count(world);
        let mut schedule = schedule_of(world, revalue_cohorts);
        bencher.counter(ItemsCount::new(n)).bench_local(|| schedule.run(world));
    }

    #[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
    fn plain_loop(bencher: Bencher, cohorts: usize) {
        let mut sim = fleet(cohorts);
        let config = config(&[]);
        let world = sim.world_mut();
        let n = count(world);
        let generations = Generations::from_config(&config.gpus);
        let mut fleet: Vec<(AgentId, GpuCohort)> = sorted(world);
        let at = RevaluationMonth {
            gpus: &config.gpus,
            generations: &generations,
            rent_decline_per_year: expected_rent_decline_per_year(&config.gpus),
            month: 0,
            tick: 0,
            quarter_start: true,
        };
        bencher.counter(ItemsCount::new(n)).bench_local(|| {
            let mut charges: BTreeMap<AgentId, OwnerCharges> = BTreeMap::new();
            for (_, cohort) in fleet.iter_mut() {
                if cohort.in_service(at.month) {
                    let owner = cohort.owner;
                    revalue_cohort(cohort, &at, charges.entry(owner).or_default());
                }
            }
            charges
        });
    }
}
