//! Retail sentiment, after Lux & Marchesi (1999). Each retail investor is a
//! fundamentalist, an optimistic chartist or a pessimistic chartist, and holds cash and
//! units of the AI basket (the listed AI firms, cap-weighted). Every tick each one may
//! switch:
//!
//! - chartists flip opinion with rates v1·(n_c/N)·e^{±U1}, where U1 weighs herding (the
//!   opinion index x = (n₊ − n₋)/n_c), the price trend and the narrative's hype;
//! - chartists and fundamentalists swap strategy with rates v2·(n/N)·e^{±U2}, where U2
//!   compares a chartist's return (earnings yield plus trend) with the required return
//!   less a penalty for mispricing.
//!
//! Novices weigh herding and hype `novice_multiplier` times more and turn
//! fundamentalist that many times less often. Losses teach: a novice becomes
//! experienced with a chance that rises with the AI index's drawdown, and hype draws
//! newcomers in (an experienced investor turns novice with a chance that rises with
//! hype; an agent stands for many households, and keeps its cash, holdings and
//! strategy). Then each trades whole lots at yesterday's basket level: optimists buy,
//! pessimists sell, fundamentalists buy the undervalued basket and sell the overvalued
//! one. Counts and lots are integers, so their totals do not depend on the order agents
//! are visited in — the update runs in parallel and stays exact.

use std::sync::Mutex;

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;
use bevy_tasks::ComputeTaskPool;

use crate::beliefs::narrative::Narrative;
use crate::common::calendar::Clock;
use crate::common::ids::AgentId;
use crate::common::params::{Params, Seed};
use crate::common::rng::{Purpose, uniform};
use crate::markets::index::AiIndex;
use crate::money::ledger::Ledger;
use bubblesim_config::RetailConfig;

/// A retail investor's strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Strategy {
    /// Trades on value: buys the basket below its fundamental value and sells it above.
    Fundamentalist,
    /// An optimistic chartist: buys.
    Optimist,
    /// A pessimistic chartist: sells.
    Pessimist,
}

impl Strategy {
    /// The strategy's label in the traces.
    pub fn label(self) -> &'static str {
        match self {
            Strategy::Fundamentalist => "fundamentalist",
            Strategy::Optimist => "optimist",
            Strategy::Pessimist => "pessimist",
        }
    }
}

/// One retail investor.
#[derive(Component, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RetailInvestor {
    /// Its current strategy.
    pub strategy: Strategy,
    /// Whether it is a novice: it weighs herding and hype `retail.novice_multiplier` times more.
    pub novice: bool,
    /// Cash held, USD.
    pub cash_usd: f64,
    /// Units of the AI basket (one unit is worth the AI index level).
    pub ai_units: f64,
    /// Today's purchase in USD (negative: a sale), paid to the wider market.
    pub traded_usd: f64,
}

/// Today's retail population counts and net orders.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RetailFlow {
    /// Retail investor agents (`retail.count`), each standing for `retail.households_per_agent` households.
    pub population: u64,
    /// Optimistic chartists today.
    pub optimists: u64,
    /// Pessimistic chartists today.
    pub pessimists: u64,
    /// Fundamentalists today.
    pub fundamentalists: u64,
    /// Net lots bought by chartists (after cash and holdings limits).
    pub chartist_net_lots: i64,
    /// Net lots bought by fundamentalists (after cash and holdings limits).
    pub fundamentalist_net_lots: i64,
    /// Lots bought plus lots sold.
    pub gross_lots: i64,
    /// Novices in the population.
    pub novices: u64,
}

impl RetailFlow {
    /// Share of the population that are novices.
    pub fn novice_share(&self) -> f64 {
        if self.population == 0 {
            0.0
        } else {
            self.novices as f64 / self.population as f64
        }
    }

    /// Chartists: optimists and pessimists together.
    pub fn chartists(&self) -> u64 {
        self.optimists + self.pessimists
    }

    /// (n₊ − n₋)/n_c, in [−1, 1].
    pub fn opinion_index(&self) -> f64 {
        if self.chartists() == 0 {
            0.0
        } else {
            (self.optimists as f64 - self.pessimists as f64) / self.chartists() as f64
        }
    }
}

/// Market signals every retail investor sees today.
#[derive(Debug, Clone, Copy)]
pub struct Signals {
    /// Opinion index of chartists.
    pub opinion: f64,
    /// Trend of the AI index, as an annualised log return.
    pub trend_per_year: f64,
    /// (fundamental − price)/price of the basket, clamped to [−1, 1].
    pub mispricing: f64,
    /// Earnings yield of the basket (per year).
    pub earnings_yield: f64,
    /// The narrative's hype, 0 … 1.
    pub hype: f64,
    /// Chartists' share of the population (floored, like the other shares, at `retail.min_group_share`).
    pub chartist_share: f64,
    /// Optimists' share of the population.
    pub optimist_share: f64,
    /// Pessimists' share of the population.
    pub pessimist_share: f64,
    /// Fundamentalists' share of the population.
    pub fundamentalist_share: f64,
}

/// Switching probabilities for one agent this tick: (to fundamentalist, to optimist, to pessimist).
pub fn switch_probabilities(
    config: &RetailConfig,
    required_return: f64,
    signals: &Signals,
    strategy: Strategy,
    novice: bool,
) -> (f64, f64, f64) {
    let novice_factor = if novice { config.novice_multiplier } else { 1.0 };
    let u1 = config.herding_weight * novice_factor * signals.opinion
        + config.trend_weight * signals.trend_per_year
        + config.narrative_weight * novice_factor * (2.0 * signals.hype - 1.0);
    let chartist_profit = signals.earnings_yield + signals.trend_per_year;
    let penalty = config.fundamentalist_discount * signals.mispricing.abs();
    let u2_optimist = config.profit_sensitivity * (chartist_profit - required_return - penalty);
    let u2_pessimist = config.profit_sensitivity * (required_return - chartist_profit - penalty);
    let v1 = config.opinion_switch_frequency;
    let v2 = config.strategy_switch_frequency;
    // Novices turn fundamentalist less often; novice fundamentalists leave more often.
    let to_fundamentalist_factor = if novice && config.novice_multiplier > 0.0 {
        1.0 / config.novice_multiplier
    } else {
        1.0
    };
    let (to_f, to_opt, to_pess) = match strategy {
        Strategy::Optimist => (
            v2 * signals.fundamentalist_share * (-u2_optimist).exp() * to_fundamentalist_factor,
            0.0,
            v1 * signals.chartist_share * (-u1).exp(),
        ),
        Strategy::Pessimist => (
            v2 * signals.fundamentalist_share * (-u2_pessimist).exp() * to_fundamentalist_factor,
            v1 * signals.chartist_share * u1.exp(),
            0.0,
        ),
        Strategy::Fundamentalist => (
            0.0,
            v2 * signals.optimist_share * u2_optimist.exp() * novice_factor,
            v2 * signals.pessimist_share * u2_pessimist.exp() * novice_factor,
        ),
    };
    let (to_f, to_opt, to_pess) = (to_f.clamp(0.0, 1.0), to_opt.clamp(0.0, 1.0), to_pess.clamp(0.0, 1.0));
    let total = to_f + to_opt + to_pess;
    if total > 1.0 {
        (to_f / total, to_opt / total, to_pess / total)
    } else {
        (to_f, to_opt, to_pess)
    }
}

/// Lots an agent wants to trade today (positive: buy), before cash and holdings limits.
pub fn desired_lots(config: &RetailConfig, strategy: Strategy, mispricing: f64) -> i64 {
    match strategy {
        Strategy::Optimist => i64::from(config.chartist_lots),
        Strategy::Pessimist => -i64::from(config.chartist_lots),
        Strategy::Fundamentalist => (config.fundamentalist_lots_per_mispricing * mispricing).round() as i64,
    }
}

/// What every retail investor faces today: the switching probabilities of each
/// (strategy, novice) pair and the lots each strategy wants, computed once rather than
/// once per investor (they depend on nothing else).
#[derive(Debug, Clone)]
pub struct RetailDay {
    /// (to fundamentalist, to optimist, to pessimist), by `[strategy][novice]`.
    switching: [[(f64, f64, f64); 2]; 3],
    /// Lots wanted, by strategy.
    wanted_lots: [i64; 3],
    seed: u64,
    tick: u32,
    /// Chance a novice learns, and that an experienced investor turns novice.
    learn: f64,
    enter: f64,
    level: f64,
    lot_usd: f64,
}

fn strategy_index(strategy: Strategy) -> usize {
    match strategy {
        Strategy::Optimist => 0,
        Strategy::Pessimist => 1,
        Strategy::Fundamentalist => 2,
    }
}

const STRATEGIES: [Strategy; 3] = [Strategy::Optimist, Strategy::Pessimist, Strategy::Fundamentalist];

impl RetailDay {
    /// Today's switching probabilities and wanted lots from the signals; `learn` and `enter` are the
    /// chances that a novice learns and that an experienced investor turns novice, and `level` is
    /// the AI index level trades are priced at.
    pub fn new(
        config: &RetailConfig,
        required_return: f64,
        signals: &Signals,
        (seed, tick): (u64, u32),
        (learn, enter): (f64, f64),
        level: f64,
    ) -> Self {
        Self {
            switching: STRATEGIES
                .map(|strategy| [false, true].map(|novice| switch_probabilities(config, required_return, signals, strategy, novice))),
            wanted_lots: STRATEGIES.map(|strategy| desired_lots(config, strategy, signals.mispricing)),
            seed,
            tick,
            learn,
            enter,
            level,
            lot_usd: config.lot_usd,
        }
    }
}

/// Tallies of a day's retail trading: group sizes, net and gross lots, novices. Integer
/// sums, so they do not depend on the order investors are visited in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetailTally {
    /// Investors by strategy (optimist, pessimist, fundamentalist).
    pub by_strategy: [i64; 3],
    /// Net lots bought by chartists.
    pub chartist_lots: i64,
    /// Net lots bought by fundamentalists.
    pub fundamentalist_lots: i64,
    /// Lots bought plus lots sold.
    pub gross_lots: i64,
    /// Novices among the investors.
    pub novices: i64,
}

impl RetailTally {
    fn add(&mut self, investor: &RetailInvestor, lots: i64) {
        self.by_strategy[strategy_index(investor.strategy)] += 1;
        if investor.strategy == Strategy::Fundamentalist {
            self.fundamentalist_lots += lots;
        } else {
            self.chartist_lots += lots;
        }
        self.gross_lots += lots.abs();
        self.novices += i64::from(investor.novice);
    }

    fn merge(&mut self, other: &RetailTally) {
        for (total, part) in self.by_strategy.iter_mut().zip(other.by_strategy) {
            *total += part;
        }
        self.chartist_lots += other.chartist_lots;
        self.fundamentalist_lots += other.fundamentalist_lots;
        self.gross_lots += other.gross_lots;
        self.novices += other.novices;
    }
}

/// One investor's day: switch strategy, learn or turn novice, then trade whole lots
/// within cash and holdings. Adds the investor to `tally`.
pub fn step_investor(day: &RetailDay, id: AgentId, investor: &mut RetailInvestor, tally: &mut RetailTally) {
    let (to_f, to_opt, to_pess) = day.switching[strategy_index(investor.strategy)][usize::from(investor.novice)];
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
    let wanted = day.wanted_lots[strategy_index(investor.strategy)];
    // Rounding can leave a hair below zero: neither limit is ever negative.
    let affordable = ((investor.cash_usd / day.lot_usd).floor() as i64).max(0);
    let held = ((investor.ai_units * day.level / day.lot_usd).floor() as i64).max(0);
    let lots = wanted.clamp(-held, affordable);
    let usd = lots as f64 * day.lot_usd;
    investor.traded_usd = usd;
    if lots != 0 {
        investor.cash_usd -= usd;
        investor.ai_units += usd / day.level;
    }
    tally.add(investor, lots);
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

/// Daily: every retail investor switches and trades; totals go to [`RetailFlow`].
pub fn retail_sentiment(
    params: Res<Params>,
    seed: Res<Seed>,
    clock: Res<Clock>,
    mut flow: ResMut<RetailFlow>,
    mut investors: Query<(&AgentId, &mut RetailInvestor)>,
    mut ledger: ResMut<Ledger>,
    signals: MarketSignals,
) {
    let MarketSignals { index, narrative } = signals;
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
    let day = RetailDay::new(
        config,
        params.market.required_return,
        &signals,
        (seed.0, clock.tick),
        (
            config.novice_learning_per_drawdown * index.drawdown(),
            config.novice_entry_per_hype * narrative.hype,
        ),
        index.level,
    );
    let lot_usd = config.lot_usd;
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
    let [optimists, pessimists, fundamentalists] = tally.by_strategy;
    let RetailTally {
        chartist_lots,
        fundamentalist_lots,
        gross_lots,
        novices,
        ..
    } = tally;
    // Each trade's other side is the wider market (the rest of the economy). The total
    // is exact in whole lots, so the closure's balance does not depend on the order.
    ledger.pay_with_rest(
        investors
            .iter()
            .filter(|(_, investor)| investor.traded_usd != 0.0)
            .map(|(&id, investor)| (id, investor.traded_usd)),
        (chartist_lots + fundamentalist_lots) as f64 * lot_usd,
        gross_lots as f64 * lot_usd,
    );
    *flow = RetailFlow {
        population: flow.population,
        optimists: optimists as u64,
        pessimists: pessimists as u64,
        fundamentalists: fundamentalists as u64,
        chartist_net_lots: chartist_lots,
        fundamentalist_net_lots: fundamentalist_lots,
        gross_lots,
        novices: novices as u64,
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

    #[test]
    fn fundamentalists_buy_cheap_and_sell_dear() {
        let config = bubblesim_config::Config::baseline().retail;
        assert!(desired_lots(&config, Strategy::Fundamentalist, 0.5) > 0);
        assert!(desired_lots(&config, Strategy::Fundamentalist, -0.5) < 0);
        assert!(desired_lots(&config, Strategy::Optimist, -0.5) > 0);
    }
}
