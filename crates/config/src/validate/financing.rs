//! Ranges and relations of the financing chain: financing, securitisation, ratings,
//! the institutions, fire sales and the shock's timing.

use crate::schema::Config;
use crate::validate::check::{Problem, at, unique_names};

/// Rating labels a config may name, best first.
pub const RATING_LABELS: [&str; 7] = ["AAA", "AA", "A", "BBB", "BB", "B", "CCC"];
/// Kinds of institutional investor.
pub const INSTITUTION_KINDS: [&str; 4] = ["pension", "insurer", "mutual_fund", "hedge_fund"];

pub(crate) fn validate_financing(config: &Config) -> Result<(), Problem> {
    let financing = at("financing");
    let f = &config.financing;
    financing.within("risk_free_rate", f.risk_free_rate, 0.0, 0.5)?;
    financing.within("own_debt_spread", f.own_debt_spread, 0.0, 1.0)?;
    financing.within("own_debt_spread_per_drawdown", f.own_debt_spread_per_drawdown, 0.0, 1.0)?;
    financing.within("reported_debt_penalty", f.reported_debt_penalty, 0.0, 1.0)?;
    financing.probability("spv_sponsor_equity_share", f.spv_sponsor_equity_share)?;
    financing.within("spv_bond_share_of_cost", f.spv_bond_share_of_cost, 0.0, 1.0)?;
    financing.within("spv_reserve_months", f.spv_reserve_months, 0.0, 120.0)?;
    financing.within("spv_initial_term_years", f.spv_initial_term_years, 0.25, 100.0)?;
    financing.within("spv_extension_options", f.spv_extension_options.into(), 0.0, 100.0)?;
    financing.within("spv_extension_years", f.spv_extension_years, 0.25, 100.0)?;
    financing.within("rvg_cap_share_of_cost", f.rvg_cap_share_of_cost, 0.0, 2.0)?;
    financing.within("rvg_years", f.rvg_years, 0.0, 100.0)?;
    financing.within("bond_amortisation_years", f.bond_amortisation_years, 0.25, 100.0)?;
    financing.within("building_noi_margin", f.building_noi_margin, 0.0, 1.0)?;
    financing.within("building_cap_rate", f.building_cap_rate, 0.005, 1.0)?;
    financing.probability("liquidation_haircut", f.liquidation_haircut)?;
    financing.within("building_value_volatility", f.building_value_volatility, 0.001, 5.0)?;

    let pools = at("securitisation");
    let s = &config.securitisation;
    pools.within("pool_size", s.pool_size.into(), 0.0, 10_000.0)?;
    pools.within("advance_rate", s.advance_rate, 0.0, 1.0)?;
    pools.within("mezzanine_attachment", s.mezzanine_attachment, 0.0, 1.0)?;
    if !(s.mezzanine_attachment < s.senior_attachment && s.senior_attachment < 1.0) {
        pools.fail(
            "senior_attachment",
            format!(
                "must be above mezzanine_attachment ({}) and below 1, got {}",
                s.mezzanine_attachment, s.senior_attachment
            ),
        )?;
    }
    pools.within("coverage_trigger", s.coverage_trigger, 0.0, 10.0)?;
    pools.within("asset_correlation", s.asset_correlation, 0.001, 0.999)?;
    pools.within("liquidity_premium", s.liquidity_premium, 0.0, 1.0)?;
    pools.within("duration_years", s.duration_years, 0.0, 100.0)?;

    let ratings = at("ratings");
    ratings.within("lag_quarters", config.ratings.lag_quarters, 0.0, 100.0)?;
    ratings.within("optimism", config.ratings.optimism, 0.0, 0.99)?;

    if config.institutions.len() > 1000 {
        at("institutions").fail("N", format!("at most 1000 groups, got {}", config.institutions.len()))?;
    }
    let mut names: Vec<(String, &str)> = Vec::new();
    for (index, group) in config.institutions.iter().enumerate() {
        let prefix = format!("institutions.{index}");
        let c = at(&prefix);
        if !INSTITUTION_KINDS.contains(&group.kind.as_str()) {
            c.fail(
                "kind",
                format!("must be one of {}, got {:?}", INSTITUTION_KINDS.join(", "), group.kind),
            )?;
        }
        c.name("name", &group.name)?;
        c.within("count", group.count.into(), 0.0, 100_000.0)?;
        c.positive("nav_usd", group.nav_usd)?;
        c.within("leverage", group.leverage, 1.0, 100.0)?;
        c.probability("ai_equity_share", group.ai_equity_share)?;
        c.probability("securities_share", group.securities_share)?;
        if group.ai_equity_share + group.securities_share > 1.0 + 1e-9 {
            c.fail(
                "securities_share",
                format!(
                    "ai_equity_share + securities_share must be at most 1 (the rest is cash), got {}",
                    group.ai_equity_share + group.securities_share
                ),
            )?;
        }
        if !RATING_LABELS.contains(&group.min_rating.as_str()) {
            c.fail(
                "min_rating",
                format!("must be one of {}, got {:?}", RATING_LABELS.join(", "), group.min_rating),
            )?;
        }
        if group.kind == "hedge_fund" && group.leverage >= config.fire_sales.hedge_fund_max_leverage {
            c.fail(
                "leverage",
                format!(
                    "a hedge fund's target leverage must be below fire_sales.hedge_fund_max_leverage ({}), got {}",
                    config.fire_sales.hedge_fund_max_leverage, group.leverage
                ),
            )?;
        }
        names.push((c.path("name"), &group.name));
    }
    unique_names("group", names)?;

    let fire = at("fire_sales");
    let x = &config.fire_sales;
    fire.within("security_price_impact", x.security_price_impact, 0.0, 100.0)?;
    fire.within("recovery_halflife_ticks", x.recovery_halflife_ticks, 0.1, 100_000.0)?;
    fire.within("max_cascade_rounds", x.max_cascade_rounds.into(), 1.0, 1000.0)?;
    fire.within("insurer_sale_window_days", x.insurer_sale_window_days.into(), 1.0, 10_000.0)?;
    fire.within("hedge_fund_max_leverage", x.hedge_fund_max_leverage, 1.0, 100.0)?;
    fire.within("hedge_fund_borrowing_spread", x.hedge_fund_borrowing_spread, 0.0, 1.0)?;
    fire.within(
        "mutual_fund_flow_per_excess_return",
        x.mutual_fund_flow_per_excess_return,
        0.0,
        100.0,
    )?;
    fire.within("mutual_fund_lookback_months", x.mutual_fund_lookback_months.into(), 1.0, 12.0)?;
    fire.within("mutual_fund_benchmark_return", x.mutual_fund_benchmark_return, -0.99, 10.0)?;
    fire.within("mutual_fund_max_monthly_flow", x.mutual_fund_max_monthly_flow, 0.0, 0.99)?;

    let shock = at("shock");
    let k = &config.shock;
    if !k.firm.is_empty() && !config.labs.iter().any(|l| l.name == k.firm) && !config.hyperscalers.iter().any(|h| h.name == k.firm) {
        let sellers: Vec<&str> = config
            .labs
            .iter()
            .map(|l| l.name.as_str())
            .chain(config.hyperscalers.iter().map(|h| h.name.as_str()))
            .collect();
        shock.fail(
            "firm",
            format!(
                "must be \"\" (no shock) or the name of a lab or hyperscaler ({}), got {:?}",
                sellers.join(", "),
                k.firm
            ),
        )?;
    }
    shock.within("start_month", k.start_month.into(), 0.0, 12_000.0)?;
    shock.probability("ai_demand_loss_share", k.ai_demand_loss_share)
}
