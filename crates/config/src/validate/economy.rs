//! Ranges and relations of the economy sections: macro, regions, grid, accounting, and
//! the shock levers that name firms.

use crate::schema::Config;
use crate::validate::check::{Check, Problem, at};

pub(crate) fn validate_economy(config: &Config) -> Result<(), Problem> {
    let macro_ = at("macro");
    let m = &config.macroeconomy;
    macro_.positive("gdp_usd_per_year", m.gdp_usd_per_year)?;
    macro_.probability("consumption_share_of_gdp", m.consumption_share_of_gdp)?;
    macro_.probability("other_investment_share_of_gdp", m.other_investment_share_of_gdp)?;
    if m.consumption_share_of_gdp + m.other_investment_share_of_gdp >= 1.0 {
        macro_.fail(
            "other_investment_share_of_gdp",
            format!(
                "consumption_share_of_gdp + other_investment_share_of_gdp must be below 1 (the rest is AI investment, government and net exports), got {}",
                m.consumption_share_of_gdp + m.other_investment_share_of_gdp
            ),
        )?;
    }
    macro_.rate("non_ai_growth_per_year_at_start", m.non_ai_growth_per_year_at_start)?;
    macro_.rate("non_ai_growth_per_year_long_run", m.non_ai_growth_per_year_long_run)?;
    macro_.positive("non_ai_growth_recovery_halflife_years", m.non_ai_growth_recovery_halflife_years)?;
    macro_.within("ai_investment_per_model_capex", m.ai_investment_per_model_capex, 0.0, 100.0)?;
    macro_.probability("ai_investment_import_share", m.ai_investment_import_share)?;
    macro_.positive("trend_ai_investment_halflife_years", m.trend_ai_investment_halflife_years)?;
    macro_.within("other_investment_per_output_gap", m.other_investment_per_output_gap, 0.0, 20.0)?;
    macro_.within("other_investment_per_rate_point", m.other_investment_per_rate_point, 0.0, 1.0)?;
    macro_.within("policy_rate_at_start", m.policy_rate_at_start, -0.05, 0.5)?;
    macro_.within("neutral_real_rate", m.neutral_real_rate, -0.05, 0.2)?;
    macro_.within("inflation_target", m.inflation_target, -0.05, 0.2)?;
    macro_.within("inflation_per_output_gap", m.inflation_per_output_gap, 0.0, 5.0)?;
    macro_.within("taylor_inflation_weight", m.taylor_inflation_weight, 0.0, 10.0)?;
    macro_.within("taylor_output_gap_weight", m.taylor_output_gap_weight, 0.0, 10.0)?;
    macro_.probability("policy_smoothing_per_month", m.policy_smoothing_per_month)?;
    macro_.within("policy_rate_floor", m.policy_rate_floor, -0.05, 0.5)?;
    macro_.within(
        "consumption_smoothing_halflife_months",
        m.consumption_smoothing_halflife_months,
        0.0,
        120.0,
    )?;
    macro_.within("wealth_effect_per_year", m.wealth_effect_per_year, 0.0, 1.0)?;
    macro_.probability("household_equity_share", m.household_equity_share)?;
    macro_.positive("labour_force", m.labour_force)?;
    macro_.within("unemployment_rate_at_start", m.unemployment_rate_at_start, 0.0, 0.99)?;
    macro_.within("natural_unemployment_rate", m.natural_unemployment_rate, 0.0, 0.99)?;
    macro_.positive("okun_coefficient", m.okun_coefficient)?;
    macro_.probability("employment_adjustment_per_month", m.employment_adjustment_per_month)?;
    macro_.probability("benefit_replacement_rate", m.benefit_replacement_rate)?;
    macro_.within("labour_cost_replaced_per_ai_usd", m.labour_cost_replaced_per_ai_usd, 0.0, 1000.0)?;
    macro_.positive("wage_usd_per_year", m.wage_usd_per_year)?;
    macro_.probability("automatable_share_of_labour", m.automatable_share_of_labour)?;
    macro_.probability("reemployment_per_month", m.reemployment_per_month)?;

    let regions = at("regions");
    let r = &config.regions;
    regions.within("count", r.count.into(), 1.0, 10_000.0)?;
    regions.within("activity_concentration", r.activity_concentration, 0.0, 10.0)?;
    regions.within("datacenter_concentration", r.datacenter_concentration, 0.0, 10.0)?;
    regions.within("growth_dispersion_per_year", r.growth_dispersion_per_year, 0.0, 1.0)?;
    regions.within("growth_persistence_per_quarter", r.growth_persistence_per_quarter, 0.0, 0.999)?;
    regions.within("level_noise", r.level_noise, 0.0, 0.5)?;
    regions.within("near_recession_growth_per_year", r.near_recession_growth_per_year, -1.0, 1.0)?;

    let grid = at("grid");
    grid.within("headroom_gw_at_start", config.grid.headroom_gw_at_start, 0.0, 1e6)?;
    grid.within("added_gw_per_year", config.grid.added_gw_per_year, 0.0, 1e6)?;

    let accounting = at("accounting");
    let tolerance = config.accounting.tolerance_usd_per_usd;
    if !(tolerance > 0.0 && tolerance <= 1e-3) {
        accounting.fail(
            "tolerance_usd_per_usd",
            format!("must be above 0 and at most 0.001 (a check that tolerates more is no check), got {tolerance}"),
        )?;
    }
    validate_shock_levers(config, &at("shock"))
}

fn validate_shock_levers(config: &Config, shock: &Check<'_>) -> Result<(), Problem> {
    let k = &config.shock;
    let labs: Vec<&str> = config.labs.iter().map(|l| l.name.as_str()).collect();
    if !k.lab_default.is_empty() && !labs.contains(&k.lab_default.as_str()) {
        shock.fail(
            "lab_default",
            format!(
                "must be \"\" (none) or the name of a lab ({}), got {:?}",
                labs.join(", "),
                k.lab_default
            ),
        )?;
    }
    let tenants: Vec<&str> = config
        .hyperscalers
        .iter()
        .map(|h| h.name.as_str())
        .chain(config.clouds.iter().map(|c| c.name.as_str()))
        .collect();
    if !k.walk_away_firm.is_empty() && !tenants.contains(&k.walk_away_firm.as_str()) {
        shock.fail(
            "walk_away_firm",
            format!(
                "must be \"\" (none) or the name of a hyperscaler or cloud ({}), got {:?}",
                tenants.join(", "),
                k.walk_away_firm
            ),
        )?;
    }
    shock.within("rate_rise", k.rate_rise, -0.04, 0.2)?;
    let lowest = [
        ("financing.risk_free_rate", config.financing.risk_free_rate),
        ("gpus.discount_rate", config.gpus.discount_rate),
    ];
    for (key, rate) in lowest {
        if rate + k.rate_rise < 0.0 {
            shock.fail(
                "rate_rise",
                format!(
                    "a fall of {} would take {key} ({rate}) below zero; it can fall by at most that rate",
                    -k.rate_rise
                ),
            )?;
        }
    }
    Ok(())
}
