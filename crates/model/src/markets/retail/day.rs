//! The retail block's daily pass over its agents: settle yesterday's orders at
//! yesterday's clearing level (T+1), switch opinion or strategy, learn or turn novice,
//! save income into cash, and tally the holdings that today's clearing reads.

use std::sync::Mutex;

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;
use bevy_tasks::ComputeTaskPool;
use bubblesim_config::RetailConfig;

use crate::beliefs::narrative::Narrative;
use crate::common::ids::AgentId;
use crate::common::rng::{Purpose, uniform};
use crate::common::today::Today;
use crate::markets::fundamentals::required_return;
use crate::markets::index::AiIndex;
use crate::markets::retail::block::{BlockHoldings, RetailFlow, RetailInvestor};
use crate::markets::retail::switching::{STRATEGIES, Signals, Strategy, switch_probabilities};
use crate::money::ledger::Ledger;

/// Micro-units per basket unit in the tallies.
const MICRO: f64 = 1e6;

/// What every retail investor faces today: yesterday's fill, the switching
/// probabilities of each (strategy, novice) pair, computed once rather than once per
/// investor (they depend on nothing else), and the day's savings.
#[derive(Debug, Clone)]
pub struct RetailDay {
    /// (to fundamentalist, to optimist, to pessimist), by `[strategy][novice]`.
    switching: [[(f64, f64, f64); 2]; 3],
    /// Yesterday's targets by strategy and the level its orders fill at (0: no fill).
    fill_targets: [f64; 3],
    fill_level: f64,
    /// Share of the gap to the target an order closes.
    rebalance: f64,
    seed: u64,
    tick: u32,
    /// Chance a novice learns, and that an experienced investor turns novice.
    learn: f64,
    enter: f64,
    /// Income each investor saves into cash today (agents' USD; 0 but on a month's first day).
    savings_usd: f64,
}

impl RetailDay {
    /// Today's switching probabilities from the signals; `fill` holds yesterday's
    /// targets and clearing level, `learn` and `enter` the chances that a novice learns
    /// and that an experienced investor turns novice, and `savings_usd` what each
    /// investor saves into cash today.
    pub fn new(
        config: &RetailConfig,
        required_return: f64,
        signals: &Signals,
        (seed, tick): (u64, u32),
        (fill_targets, fill_level): ([f64; 3], f64),
        (learn, enter, savings_usd): (f64, f64, f64),
    ) -> Self {
        Self {
            switching: STRATEGIES
                .map(|strategy| [false, true].map(|novice| switch_probabilities(config, required_return, signals, strategy, novice))),
            fill_targets,
            fill_level,
            rebalance: config.rebalance_per_day,
            seed,
            tick,
            learn,
            enter,
            savings_usd,
        }
    }
}

/// Tallies of a day's retail pass: group sizes, settled cents, novices, and cash and
/// units by strategy. Integer sums, so they do not depend on the order investors are
/// visited in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetailTally {
    /// Investors by strategy (optimist, pessimist, fundamentalist).
    pub by_strategy: [i64; 3],
    /// Net cents settled by chartists.
    pub chartist_cents: i64,
    /// Net cents settled by fundamentalists.
    pub fundamentalist_cents: i64,
    /// Cents bought plus cents sold.
    pub gross_cents: i64,
    /// Novices among the investors.
    pub novices: i64,
    /// Cash by strategy after the day's pass, cents.
    pub cash_cents: [i128; 3],
    /// Basket units by strategy after the day's pass, millionths.
    pub micro_units: [i128; 3],
}

impl RetailTally {
    fn merge(&mut self, other: &RetailTally) {
        for s in 0..3 {
            self.by_strategy[s] += other.by_strategy[s];
            self.cash_cents[s] += other.cash_cents[s];
            self.micro_units[s] += other.micro_units[s];
        }
        self.chartist_cents += other.chartist_cents;
        self.fundamentalist_cents += other.fundamentalist_cents;
        self.gross_cents += other.gross_cents;
        self.novices += other.novices;
    }

    /// Net purchases settled, USD.
    pub fn net_usd(&self) -> f64 {
        (self.chartist_cents + self.fundamentalist_cents) as f64 / 100.0
    }

    /// The block's cash and units by strategy.
    pub fn holdings(&self) -> BlockHoldings {
        BlockHoldings {
            cash_usd: self.cash_cents.map(|c| c as f64 / 100.0),
            units: self.micro_units.map(|u| u as f64 / MICRO),
        }
    }
}

/// One investor's day: settle yesterday's order in whole cents (within its cash and
/// holdings), switch strategy, learn or turn novice, save, and add itself to `tally`.
pub fn step_investor(day: &RetailDay, id: AgentId, investor: &mut RetailInvestor, tally: &mut RetailTally) {
    investor.traded_usd = 0.0;
    if day.fill_level > 0.0 {
        let level = day.fill_level;
        let held_usd = investor.ai_units * level;
        let target_usd = day.fill_targets[investor.strategy.index()] * (investor.cash_usd + held_usd);
        // A target within 0 … 1 of wealth keeps the order within cash and holdings; the
        // bounds only catch rounding. Whole cents, toward zero, so never past a bound.
        let order_cents = day.rebalance * (target_usd - held_usd) * 100.0;
        let cents = order_cents.clamp(-(held_usd * 100.0).max(0.0), (investor.cash_usd * 100.0).max(0.0)) as i64;
        if cents != 0 {
            let usd = cents as f64 / 100.0;
            investor.traded_usd = usd;
            investor.cash_usd -= usd;
            investor.ai_units += usd / level;
            if investor.strategy == Strategy::Fundamentalist {
                tally.fundamentalist_cents += cents;
            } else {
                tally.chartist_cents += cents;
            }
            tally.gross_cents += cents.abs();
        }
    }
    let (to_f, to_opt, to_pess) = day.switching[investor.strategy.index()][usize::from(investor.novice)];
    let u = uniform(day.seed, Purpose::RetailSwitch, day.tick, id.0, 0);
    if u < to_f {
        investor.strategy = Strategy::Fundamentalist;
    } else if u < to_f + to_opt {
        investor.strategy = Strategy::Optimist;
    } else if u < to_f + to_opt + to_pess {
        investor.strategy = Strategy::Pessimist;
    }
    let v = uniform(day.seed, Purpose::RetailSwitch, day.tick, id.0, 1);
    if investor.novice && v < day.learn {
        investor.novice = false;
    } else if !investor.novice && v < day.enter {
        investor.novice = true;
    }
    investor.cash_usd += day.savings_usd;
    let s = investor.strategy.index();
    tally.by_strategy[s] += 1;
    tally.novices += i64::from(investor.novice);
    // Both are never negative: + 0.5 and truncation round to the nearest (and compile
    // to one instruction, where `round` is a library call on baseline x86-64).
    tally.cash_cents[s] += (investor.cash_usd * 100.0 + 0.5) as i128;
    tally.micro_units[s] += (investor.ai_units * MICRO + 0.5) as i128;
}

/// A parallel batch's tally, merged into the day's total once, when the batch ends.
struct BatchTally<'a> {
    tally: RetailTally,
    total: &'a Mutex<RetailTally>,
}

impl Drop for BatchTally<'_> {
    fn drop(&mut self) {
        if let Ok(mut total) = self.total.lock() {
            total.merge(&self.tally);
        }
    }
}

/// What retail investors see: the AI index and the narrative.
#[derive(SystemParam)]
pub struct MarketSignals<'w> {
    index: Res<'w, AiIndex>,
    narrative: Res<'w, Narrative>,
}

/// Daily: every retail investor settles, switches and saves; totals and holdings go
/// to [`RetailFlow`] for today's clearing.
pub fn retail_sentiment(
    today: Today,
    mut flow: ResMut<RetailFlow>,
    mut investors: Query<(&AgentId, &mut RetailInvestor)>,
    mut ledger: ResMut<Ledger>,
    signals: MarketSignals,
) {
    let MarketSignals { index, narrative } = signals;
    let (params, clock) = (&today.params, &today.clock);
    let config = &params.retail;
    let population = flow.population.max(1) as f64;
    let floored = |count: u64| (count as f64 / population).max(config.min_group_share).max(1.0 / population);
    let signals = Signals {
        opinion: flow.opinion_index(),
        trend_per_year: index.trend_per_tick * 252.0,
        mispricing: index.mispricing(),
        earnings_yield: index.earnings_yield,
        hype: narrative.hype,
        chartist_share: floored(flow.chartists()),
        optimist_share: floored(flow.optimists),
        pessimist_share: floored(flow.pessimists),
        fundamentalist_share: floored(flow.fundamentalists),
    };
    let savings_usd = if clock.month_start && clock.tick > 0 {
        config.savings_per_year * config.wealth_usd / 12.0
    } else {
        0.0
    };
    let day = RetailDay::new(
        config,
        required_return(params.financing.risk_free_rate, &params.market),
        &signals,
        (today.seed.0, clock.tick),
        (flow.cleared_targets, flow.cleared_level),
        (
            config.novice_learning_per_drawdown * index.drawdown(),
            config.novice_entry_per_hype * narrative.hype,
            savings_usd,
        ),
    );
    // Through `bypass_change_detection`: the stock–flow check needs to see an investor
    // as changed only when its money moved.
    let step = |id: &AgentId, mut investor: Mut<RetailInvestor>, tally: &mut RetailTally| {
        let before = (investor.cash_usd, investor.traded_usd);
        step_investor(&day, *id, investor.bypass_change_detection(), tally);
        if (investor.cash_usd, investor.traded_usd) != before {
            investor.set_changed();
        }
    };
    let tally = if ComputeTaskPool::try_get().is_some_and(|pool| pool.thread_num() > 1) {
        let total = Mutex::new(RetailTally::default());
        investors.par_iter_mut().for_each_init(
            || BatchTally {
                tally: RetailTally::default(),
                total: &total,
            },
            |batch, (id, investor)| step(id, investor, &mut batch.tally),
        );
        total.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner())
    } else {
        // One thread: no batches to spawn. The tallies are integer sums, the same either way.
        let mut tally = RetailTally::default();
        investors.iter_mut().for_each(|(id, investor)| step(id, investor, &mut tally));
        tally
    };
    // Each trade's other side is the wider market, and savings come from the rest of
    // the economy (both the ledger's closure). The totals are exact in whole cents.
    let saved_usd = savings_usd * flow.population as f64;
    ledger.pay_with_rest(
        investors
            .iter()
            .map(|(&id, investor)| (id, investor.traded_usd - savings_usd))
            .filter(|&(_, paid)| paid != 0.0),
        tally.net_usd() - saved_usd,
        tally.gross_cents as f64 / 100.0 + saved_usd,
    );
    let [optimists, pessimists, fundamentalists] = tally.by_strategy;
    *flow = RetailFlow {
        optimists: optimists as u64,
        pessimists: pessimists as u64,
        fundamentalists: fundamentalists as u64,
        chartist_net_usd: tally.chartist_cents as f64 / 100.0,
        fundamentalist_net_usd: tally.fundamentalist_cents as f64 / 100.0,
        gross_usd: tally.gross_cents as f64 / 100.0,
        novices: tally.novices as u64,
        holdings: tally.holdings(),
        ..*flow
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signals(opinion: f64, hype: f64) -> Signals {
        Signals {
            opinion,
            trend_per_year: 0.0,
            mispricing: 0.0,
            earnings_yield: 0.04,
            hype,
            chartist_share: 0.6,
            optimist_share: 0.3,
            pessimist_share: 0.3,
            fundamentalist_share: 0.4,
        }
    }

    #[test]
    fn herding_and_hype_pull_pessimists_to_optimism() {
        let config = bubblesim_config::Config::baseline().retail;
        let (_, neutral, _) = switch_probabilities(&config, 0.08, &signals(0.0, 0.5), Strategy::Pessimist, false);
        let (_, herded, _) = switch_probabilities(&config, 0.08, &signals(0.5, 0.5), Strategy::Pessimist, false);
        let (_, hyped, _) = switch_probabilities(&config, 0.08, &signals(0.0, 0.9), Strategy::Pessimist, false);
        let (_, hyped_novice, _) = switch_probabilities(&config, 0.08, &signals(0.0, 0.9), Strategy::Pessimist, true);
        assert!(herded > neutral && hyped > neutral && hyped_novice > hyped);
    }

    /// A day with no switching, filling at level 100 toward `targets`.
    fn day(targets: [f64; 3], rebalance: f64, savings_usd: f64) -> RetailDay {
        let mut config = bubblesim_config::Config::baseline().retail;
        config.rebalance_per_day = rebalance;
        config.opinion_switch_frequency = 0.0;
        config.strategy_switch_frequency = 0.0;
        RetailDay::new(&config, 0.08, &signals(0.0, 0.5), (1, 1), (targets, 100.0), (0.0, 0.0, savings_usd))
    }

    #[test]
    fn an_investor_trades_toward_its_target_and_never_runs_dry() {
        let mut investor = RetailInvestor {
            strategy: Strategy::Optimist,
            novice: false,
            cash_usd: 90_000.0,
            ai_units: 100.0,
            traded_usd: 0.0,
        };
        let mut tally = RetailTally::default();
        let day = day([0.6, 0.05, 0.2], 0.1, 0.0);
        let mut shares = Vec::new();
        for _ in 0..200 {
            step_investor(&day, AgentId(9), &mut investor, &mut tally);
            assert!(investor.cash_usd >= 0.0 && investor.ai_units >= 0.0);
            shares.push(investor.ai_units * 100.0 / (investor.cash_usd + investor.ai_units * 100.0));
        }
        assert!(shares.windows(2).all(|w| w[1] >= w[0] - 1e-12), "the share rises toward the target");
        assert!((shares[199] - 0.6).abs() < 1e-3, "{}", shares[199]);
        // Wealth is unchanged at a constant level: trades swap cash for units.
        assert!((investor.cash_usd + investor.ai_units * 100.0 - 100_000.0).abs() < 1e-6);
        assert_eq!(tally.gross_cents, tally.chartist_cents, "an optimist only buys");
        assert_eq!(tally.by_strategy, [200, 0, 0]);
    }

    #[test]
    fn savings_arrive_as_cash_and_the_tally_holds_the_morning_after() {
        let mut investor = RetailInvestor {
            strategy: Strategy::Pessimist,
            novice: false,
            cash_usd: 1_000.0,
            ai_units: 0.0,
            traded_usd: 0.0,
        };
        let mut tally = RetailTally::default();
        step_investor(&day([0.6, 0.5, 0.2], 1.0, 500.0), AgentId(3), &mut investor, &mut tally);
        // Yesterday's order fills first (half the 1000 into units), then savings arrive.
        assert!((investor.ai_units * 100.0 - 500.0).abs() < 0.01);
        assert!((investor.cash_usd - 1_000.0).abs() < 0.01);
        let holdings = tally.holdings();
        assert!((holdings.cash_usd[1] - 1_000.0).abs() < 0.01 && (holdings.units[1] - 5.0).abs() < 1e-6);
    }
}
