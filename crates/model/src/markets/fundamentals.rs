//! Fundamental value, quarterly (docs/model.md#fundamental-value): forward normalised
//! earnings at a fair P/E that answers growth and rates, or book value if higher.
//!
//! - Normalised earnings leave out one-off impairments and write-offs (they stay in the
//!   accounts and in book equity).
//! - The fair P/E is a two-stage growth model: 1/(r − g∞) × ((1 + g)/(1 + g∞))^H, with r
//!   the required return (the risk-free rate plus the equity risk premium), g the
//!   consensus growth for H years and g∞ the terminal growth; earnings are taken one year
//!   forward, × (1 + g). A scenario's revenue path and a rate shock are thereby priced.
//! - Consensus growth starts at the growth the wider market's view implies (so the first
//!   report is no surprise to it) and then averages each quarter's trailing revenue growth,
//!   bounded at ± `market.max_consensus_growth`. The carmaker keeps its calibrated P/E,
//!   moved by the same model's response to its growth and to rates.
//!
//! The change of a firm's value on the quarter is its earnings surprise: the wider
//! market's view takes `earnings_price_response` of it at once
//! ([`crate::markets::prices`]), and the AI firms' cap-weighted surprise is news for
//! the narrative.

use bevy_ecs::prelude::*;
use bubblesim_config::MarketConfig;

use crate::beliefs::news::NewsFlow;
use crate::common::events::{EventKind, EventLog};
use crate::common::ids::AgentId;
use crate::common::today::Today;
use crate::economy::shock::Rates;
use crate::firms::listed::Listed;
use crate::markets::index::AiIndex;
use crate::money::accounts::Accounts;

/// The required return on equity: the risk-free rate plus the equity risk premium.
pub fn required_return(risk_free_rate: f64, market: &MarketConfig) -> f64 {
    risk_free_rate + market.equity_risk_premium
}

/// Fair price over forward earnings for growth `growth` and required return
/// `required`: 1/(r − g∞) × ((1 + g)/(1 + g∞))^H, with r − g∞ at least 0.01.
pub fn fair_forward_multiple(market: &MarketConfig, growth: f64, required: f64) -> f64 {
    let terminal = market.terminal_growth_per_year;
    let spread = (required - terminal).max(0.01);
    ((1.0 + growth) / (1.0 + terminal)).powf(market.growth_horizon_years) / spread
}

/// Value over trailing earnings: the forward multiple × (1 + g).
pub fn fair_trailing_multiple(market: &MarketConfig, growth: f64, required: f64) -> f64 {
    (1.0 + growth) * fair_forward_multiple(market, growth, required)
}

/// The consensus growth at which `market_cap_usd` is the fair value of
/// `earnings_usd` a year (the inverse of [`fair_trailing_multiple`]), bounded at ±
/// `max_consensus_growth`; the upper bound when earnings are not positive.
pub fn implied_growth(market: &MarketConfig, market_cap_usd: f64, earnings_usd: f64, required: f64) -> f64 {
    let bound = market.max_consensus_growth;
    if earnings_usd <= 0.0 || market_cap_usd <= 0.0 {
        return bound;
    }
    let terminal = market.terminal_growth_per_year;
    let spread = (required - terminal).max(0.01);
    let horizon = market.growth_horizon_years;
    let base = market_cap_usd / earnings_usd * spread * (1.0 + terminal).powf(horizon);
    (base.powf(1.0 / (horizon + 1.0)) - 1.0).clamp(-bound, bound)
}

/// The consensus after a quarter whose trailing revenue moved from `before_usd` to
/// `now_usd`: the quarter's annualised growth, bounded, gets `consensus_growth_weight`.
pub fn updated_consensus(market: &MarketConfig, consensus: f64, before_usd: f64, now_usd: f64) -> f64 {
    if before_usd <= 0.0 || now_usd <= 0.0 {
        return consensus;
    }
    let bound = market.max_consensus_growth;
    let observed = ((now_usd / before_usd).powi(4) - 1.0).clamp(-bound, bound);
    consensus + market.consensus_growth_weight * (observed - consensus)
}

/// A firm's fundamental value: max(earnings × multiple, book × fair P/B), ≥ 0.
pub fn fundamental_value_usd(earnings_per_year_usd: f64, book_equity_usd: f64, multiple: f64, fair_pb: f64) -> f64 {
    (earnings_per_year_usd * multiple).max(book_equity_usd * fair_pb).max(0.0)
}

/// Quarterly, after the books close: each listed firm's consensus growth and
/// fundamental value; the change of value is its earnings surprise.
pub fn report_earnings(
    today: Today,
    rates: Res<Rates>,
    mut firms: Query<(&AgentId, &Accounts, &mut Listed)>,
    mut index: ResMut<AiIndex>,
    mut news: ResMut<NewsFlow>,
    mut events: ResMut<EventLog>,
) {
    let (params, clock) = (&today.params, &today.clock);
    let m = &params.market;
    let required = required_return(params.financing.risk_free_rate, m);
    // The carmaker's calibrated P/E holds at the starting rates and its configured growth.
    let carmaker_growth = params.carmaker.core_growth_per_year;
    let carmaker_base = fair_trailing_multiple(m, carmaker_growth, required - rates.rise);
    let (mut earnings, mut fundamental_cap, mut cap, mut weighted_surprise) = (0.0, 0.0, 0.0, 0.0);
    for (&id, accounts, mut listed) in firms.iter_mut().sort::<&AgentId>() {
        let before = listed.fundamental_usd_per_share;
        let reported_before = listed.fundamental_reported;
        let normalised = accounts.normalised_earnings_usd();
        let revenue = accounts.revenue.annualised();
        if accounts.earnings.len() >= m.min_earnings_months as usize {
            if !reported_before {
                // Implied by the wider market's view, not by a price retail may have bid up.
                listed.consensus_growth = if listed.in_ai_index {
                    implied_growth(m, listed.view_usd_per_share * listed.shares, normalised, required)
                } else {
                    carmaker_growth
                };
            } else {
                listed.consensus_growth = updated_consensus(m, listed.consensus_growth, listed.revenue_at_report_usd, revenue);
            }
            let multiple = if listed.in_ai_index {
                fair_trailing_multiple(m, listed.consensus_growth, required)
            } else {
                params.carmaker.fair_price_earnings * fair_trailing_multiple(m, listed.consensus_growth, required) / carmaker_base
            };
            let value = fundamental_value_usd(normalised, accounts.book_equity_usd, multiple, m.fair_price_book);
            listed.fundamental_usd_per_share = value / listed.shares;
            listed.fundamental_reported = true;
        }
        listed.revenue_at_report_usd = revenue;
        // The first value from earnings replaces the starting price: not news.
        let surprise = if reported_before && before > 0.0 && listed.fundamental_usd_per_share > 0.0 {
            (listed.fundamental_usd_per_share / before).ln()
        } else {
            0.0
        };
        if clock.tick > 0 {
            listed.earnings_jump = m.earnings_price_response * surprise;
            events.record(
                clock,
                EventKind::Earnings,
                id,
                None,
                Some(accounts.earnings.last_months(3)),
                format!(
                    "fundamental value {:+.1}% on the quarter (consensus growth {:.0}% a year)",
                    surprise.exp_m1() * 100.0,
                    listed.consensus_growth * 100.0
                ),
            );
        }
        if !listed.in_ai_index {
            continue;
        }
        earnings += accounts.earnings.annualised();
        fundamental_cap += listed.fundamental_usd_per_share * listed.shares;
        cap += listed.market_cap_usd();
        weighted_surprise += surprise.clamp(-1.0, 1.0) * listed.market_cap_usd();
    }
    index.fundamental_level = fundamental_cap / index.divisor;
    index.earnings_yield = if cap > 0.0 { earnings / cap } else { 0.0 };
    if cap > 0.0 && clock.tick > 0 {
        let surprise = weighted_surprise / cap;
        news.hype_jump += params.news.hype_per_earnings_surprise * surprise;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn market() -> MarketConfig {
        bubblesim_config::Config::baseline().market
    }

    #[test]
    fn the_fair_multiple_rises_with_growth_and_falls_with_rates() {
        let m = market();
        let base = fair_trailing_multiple(&m, 0.1, 0.09);
        assert!(fair_trailing_multiple(&m, 0.3, 0.09) > base);
        assert!(fair_trailing_multiple(&m, 0.1, 0.11) < base);
        // At the terminal growth the model is Gordon's: 1/(r − g) forward.
        let gordon = fair_forward_multiple(&m, m.terminal_growth_per_year, 0.09);
        assert!((gordon - 1.0 / (0.09 - m.terminal_growth_per_year)).abs() < 1e-9);
    }

    #[test]
    fn implied_growth_inverts_the_multiple_within_its_bounds() {
        let m = market();
        for growth in [-0.2, 0.0, 0.15, 0.35] {
            let cap = 10.0 * fair_trailing_multiple(&m, growth, 0.09);
            assert!((implied_growth(&m, cap, 10.0, 0.09) - growth).abs() < 1e-9, "{growth}");
        }
        assert_eq!(implied_growth(&m, 1e6, 1.0, 0.09), m.max_consensus_growth);
        assert_eq!(implied_growth(&m, 100.0, -1.0, 0.09), m.max_consensus_growth);
    }

    #[test]
    fn consensus_moves_toward_observed_growth() {
        let m = market();
        let faster = updated_consensus(&m, 0.1, 100.0, 110.0);
        assert!(faster > 0.1 && faster < 0.1 + m.consensus_growth_weight * (1.1f64.powi(4) - 1.0));
        assert!(updated_consensus(&m, 0.1, 100.0, 95.0) < 0.1);
        assert_eq!(updated_consensus(&m, 0.1, 0.0, 95.0), 0.1);
    }

    #[test]
    fn fundamental_value_takes_the_better_anchor() {
        assert_eq!(fundamental_value_usd(10.0, 50.0, 20.0, 1.0), 200.0);
        assert_eq!(fundamental_value_usd(-10.0, 50.0, 20.0, 1.0), 50.0);
        assert_eq!(fundamental_value_usd(-10.0, -50.0, 20.0, 1.0), 0.0);
    }
}
