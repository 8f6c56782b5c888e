//! Switching between strategies and opinions (Lux & Marchesi 1999): the signals every
//! investor sees and the chances that one switches today.

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

/// The strategies in the order tallies and targets list them.
pub const STRATEGIES: [Strategy; 3] = [Strategy::Optimist, Strategy::Pessimist, Strategy::Fundamentalist];

impl Strategy {
    /// Its place in [`STRATEGIES`].
    pub fn index(self) -> usize {
        match self {
            Strategy::Optimist => 0,
            Strategy::Pessimist => 1,
            Strategy::Fundamentalist => 2,
        }
    }

    /// The strategy's label in the traces.
    pub fn label(self) -> &'static str {
        match self {
            Strategy::Fundamentalist => "fundamentalist",
            Strategy::Optimist => "optimist",
            Strategy::Pessimist => "pessimist",
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
    /// Log mispricing of the basket, ln(fundamental / price).
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
