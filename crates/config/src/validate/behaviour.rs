//! Ranges and relations of behaviour: leases' renegotiation, retail investors, the
//! market and the narrative.

use crate::schema::Config;
use crate::validate::check::{Problem, at};

pub(crate) fn validate_behaviour(config: &Config) -> Result<(), Problem> {
    let leases = at("leases");
    let l = &config.leases;
    leases.non_negative("weight_revenue_shortfall", l.weight_revenue_shortfall)?;
    leases.non_negative("weight_idle_capacity", l.weight_idle_capacity)?;
    leases.non_negative("weight_cash_shortfall", l.weight_cash_shortfall)?;
    leases.non_negative("weight_rent_to_revenue", l.weight_rent_to_revenue)?;
    leases.non_negative("weight_share_drawdown", l.weight_share_drawdown)?;
    leases.rate("plan_growth_per_year", l.plan_growth_per_year)?;
    for (key, value) in [
        ("cut_log_odds_base", l.cut_log_odds_base),
        ("break_log_odds_base", l.break_log_odds_base),
        ("default_log_odds_base", l.default_log_odds_base),
    ] {
        leases.within(key, value, -50.0, 50.0)?;
    }
    leases.within("cut_log_odds_per_stress", l.cut_log_odds_per_stress, 0.0, 50.0)?;
    leases.within("break_log_odds_per_stress", l.break_log_odds_per_stress, 0.0, 50.0)?;
    leases.within("default_log_odds_per_stress", l.default_log_odds_per_stress, 0.0, 50.0)?;
    leases.within(
        "default_log_odds_per_cash_shortfall",
        l.default_log_odds_per_cash_shortfall,
        0.0,
        50.0,
    )?;
    leases.within("cash_cover_months", l.cash_cover_months, 0.0, 600.0)?;
    leases.within("rent_cut_share", l.rent_cut_share, 0.0, 0.99)?;
    leases.non_negative("stress_event_threshold", l.stress_event_threshold)?;

    let retail = at("retail");
    let r = &config.retail;
    retail.within("count", r.count.into(), 1.0, 20_000_000.0)?;
    retail.probability("novice_share", r.novice_share)?;
    retail.probability("initial_fundamentalist_share", r.initial_fundamentalist_share)?;
    retail.probability("initial_optimist_share", r.initial_optimist_share)?;
    if r.initial_fundamentalist_share + r.initial_optimist_share > 1.0 + 1e-9 {
        retail.fail(
            "initial_optimist_share",
            format!(
                "initial_fundamentalist_share + initial_optimist_share must be at most 1 (the rest are pessimists), got {}",
                r.initial_fundamentalist_share + r.initial_optimist_share
            ),
        )?;
    }
    retail.positive("wealth_usd", r.wealth_usd)?;
    retail.within("ownership_share", r.ownership_share, 0.0, 0.9)?;
    retail.probability("initial_share_dispersion", r.initial_share_dispersion)?;
    retail.probability("optimist_ai_share", r.optimist_ai_share)?;
    retail.probability("pessimist_ai_share", r.pessimist_ai_share)?;
    retail.probability("fundamentalist_ai_share", r.fundamentalist_ai_share)?;
    if r.pessimist_ai_share > r.optimist_ai_share {
        retail.fail(
            "pessimist_ai_share",
            format!(
                "a pessimist's target AI share must be at most an optimist's ({}), got {}",
                r.optimist_ai_share, r.pessimist_ai_share
            ),
        )?;
    }
    retail.within("fundamentalist_value_elasticity", r.fundamentalist_value_elasticity, 0.0, 10.0)?;
    retail.probability("rebalance_per_day", r.rebalance_per_day)?;
    retail.within("savings_per_year", r.savings_per_year, 0.0, 1.0)?;
    retail.probability("opinion_switch_frequency", r.opinion_switch_frequency)?;
    retail.probability("strategy_switch_frequency", r.strategy_switch_frequency)?;
    retail.within("herding_weight", r.herding_weight, 0.0, 20.0)?;
    retail.within("trend_weight", r.trend_weight, 0.0, 20.0)?;
    retail.within("narrative_weight", r.narrative_weight, 0.0, 20.0)?;
    retail.within("novice_multiplier", r.novice_multiplier, 0.0, 20.0)?;
    retail.within("profit_sensitivity", r.profit_sensitivity, 0.0, 20.0)?;
    retail.probability("fundamentalist_discount", r.fundamentalist_discount)?;
    retail.probability("novice_learning_per_drawdown", r.novice_learning_per_drawdown)?;
    retail.probability("novice_entry_per_hype", r.novice_entry_per_hype)?;
    retail.within("min_group_share", r.min_group_share, 0.0, 0.33)?;
    retail.within("trend_halflife_ticks", r.trend_halflife_ticks, 0.1, 10_000.0)?;

    let market = at("market");
    let m = &config.market;
    market.within("min_earnings_months", m.min_earnings_months.into(), 1.0, 12.0)?;
    market.within("demand_elasticity", m.demand_elasticity, 0.05, 20.0)?;
    market.within("value_view_halflife_months", m.value_view_halflife_months, 0.05, 600.0)?;
    market.within("noise_volatility_daily", m.noise_volatility_daily, 0.0, 0.5)?;
    market.within("core_volatility_daily", m.core_volatility_daily, 0.0, 0.5)?;
    market.non_negative("fair_price_book", m.fair_price_book)?;
    market.within("equity_risk_premium", m.equity_risk_premium, 0.0, 0.5)?;
    market.within("terminal_growth_per_year", m.terminal_growth_per_year, -0.5, 0.5)?;
    market.within("growth_horizon_years", m.growth_horizon_years, 0.0, 50.0)?;
    market.within("max_consensus_growth", m.max_consensus_growth, 0.0, 5.0)?;
    market.probability("consensus_growth_weight", m.consensus_growth_weight)?;
    let required = config.financing.risk_free_rate + m.equity_risk_premium;
    if required - m.terminal_growth_per_year < 0.01 {
        market.fail(
            "terminal_growth_per_year",
            format!(
                "the required return (financing.risk_free_rate + market.equity_risk_premium = {required}) must exceed the terminal growth by at least 0.01, got a terminal growth of {}",
                m.terminal_growth_per_year
            ),
        )?;
    }
    market.within("sector_volatility_daily", m.sector_volatility_daily, 0.0, 0.5)?;
    market.within("attention_weight", m.attention_weight, 0.0, 0.99)?;
    market.within("attention_halflife_ticks", m.attention_halflife_ticks, 1.0, 10_000.0)?;
    market.within(
        "attention_baseline_halflife_ticks",
        m.attention_baseline_halflife_ticks,
        m.attention_halflife_ticks,
        100_000.0,
    )?;
    market.probability("institution_rebalance_per_day", m.institution_rebalance_per_day)?;
    market.within("hedge_fund_value_tilt", m.hedge_fund_value_tilt, 0.0, 10.0)?;
    market.probability("hedge_fund_buy_leverage_share", m.hedge_fund_buy_leverage_share)?;
    market.probability("earnings_price_response", m.earnings_price_response)?;

    let payouts = at("payouts");
    let p = &config.payouts;
    payouts.within("cash_target_months_of_costs", p.cash_target_months_of_costs, 0.0, 600.0)?;
    payouts.probability("payout_share_per_quarter", p.payout_share_per_quarter)?;
    payouts.probability("buyback_share", p.buyback_share)?;
    payouts.within("max_buyback_share_of_shares", p.max_buyback_share_of_shares, 0.0, 0.5)?;

    let narrative = at("narrative");
    let n = &config.narrative;
    narrative.probability("initial_hype", n.initial_hype)?;
    narrative.probability("reversion_per_tick", n.reversion_per_tick)?;
    narrative.within("volatility_daily", n.volatility_daily, 0.0, 1.0)?;
    narrative.probability("target_base", n.target_base)?;
    narrative.within("growth_weight", n.growth_weight, 0.0, 20.0)?;
    narrative.within("adoption_weight", n.adoption_weight, 0.0, 20.0)?;
    narrative.within("drawdown_weight", n.drawdown_weight, 0.0, 20.0)?;
    narrative.within("neutral_revenue_growth", n.neutral_revenue_growth, -0.99, 100.0)?;
    narrative.within("memory_ticks", n.memory_ticks, 1.0, 100_000.0)
}
