//! Ranges and relations of the infrastructure: GPUs, the compute market, capex and
//! data centres.

use crate::schema::Config;
use crate::validate::check::{Problem, at};

pub(crate) fn validate_infrastructure(config: &Config) -> Result<(), Problem> {
    let gpus = at("gpus");
    let g = &config.gpus;
    gpus.within("cohort_size", g.cohort_size.into(), 1.0, 10_000_000.0)?;
    let generations = g.initial_performance.len();
    if generations == 0 {
        gpus.fail("initial_performance", "needs at least one generation".to_owned())?;
    }
    for (key, len) in [
        ("initial_price_usd", g.initial_price_usd.len()),
        ("initial_release_months_before_start", g.initial_release_months_before_start.len()),
        ("initial_fleet_share", g.initial_fleet_share.len()),
    ] {
        if len != generations {
            gpus.fail(
                key,
                format!("must have one entry per generation ({generations}, as `initial_performance`), got {len}"),
            )?;
        }
    }
    for (index, &value) in g.initial_performance.iter().enumerate() {
        gpus.positive(&format!("initial_performance.{index}"), value)?;
    }
    for (index, &value) in g.initial_price_usd.iter().enumerate() {
        gpus.positive(&format!("initial_price_usd.{index}"), value)?;
    }
    for (index, &value) in g.initial_fleet_share.iter().enumerate() {
        gpus.probability(&format!("initial_fleet_share.{index}"), value)?;
    }
    for (index, &months) in g.initial_release_months_before_start.iter().enumerate() {
        gpus.within(&format!("initial_release_months_before_start.{index}"), months.into(), 0.0, 1200.0)?;
    }
    if generations > 100 {
        gpus.fail(
            "initial_performance",
            format!("at most 100 starting generations, got {generations}"),
        )?;
    }
    let fleet_sum: f64 = g.initial_fleet_share.iter().sum();
    if (fleet_sum - 1.0).abs() > 1e-6 {
        gpus.fail("initial_fleet_share", format!("shares must add up to 1, got {fleet_sum}"))?;
    }
    gpus.within("next_release_months", g.next_release_months.into(), 0.0, 12_000.0)?;
    gpus.within("release_cadence_months", g.release_cadence_months.into(), 1.0, 12_000.0)?;
    // The starting fleet becomes cohorts of `cohort_size` GPUs: keep their number sane.
    let installed: f64 = config
        .hyperscalers
        .iter()
        .map(|h| h.installed_h100_equivalents)
        .chain(config.clouds.iter().map(|c| c.installed_h100_equivalents))
        .sum();
    let starting_gpus: f64 = g
        .initial_performance
        .iter()
        .zip(&g.initial_fleet_share)
        .map(|(perf, share)| installed * share / perf)
        .sum();
    if starting_gpus / f64::from(g.cohort_size) > 5_000_000.0 {
        gpus.fail(
            "cohort_size",
            format!(
                "the starting fleet ({starting_gpus:.0} GPUs) would make more than 5,000,000 cohorts of {} GPUs: raise cohort_size",
                g.cohort_size
            ),
        )?;
    }
    gpus.within("performance_gain_per_generation", g.performance_gain_per_generation, 1.0, 100.0)?;
    gpus.within("price_gain_per_generation", g.price_gain_per_generation, 0.1, 100.0)?;
    gpus.positive("power_kw_per_gpu", g.power_kw_per_gpu)?;
    gpus.within("power_gain_per_generation", g.power_gain_per_generation, 0.1, 100.0)?;
    gpus.non_negative("electricity_usd_per_kwh", g.electricity_usd_per_kwh)?;
    gpus.within("accounting_life_years", g.accounting_life_years, 0.25, 50.0)?;
    gpus.within("physical_life_years", g.physical_life_years, 0.25, 50.0)?;
    gpus.within("discount_rate", g.discount_rate, 0.0, 1.0)?;
    gpus.within("impairment_trigger", g.impairment_trigger, 0.01, 1.0)?;

    let market = at("compute_market");
    let c = &config.compute_market;
    market.within("capital_recovery_years", c.capital_recovery_years, 0.25, 50.0)?;
    market.within("target_utilisation", c.target_utilisation, 0.05, 1.0)?;
    market.within("scarcity_elasticity", c.scarcity_elasticity, 0.0, 10.0)?;
    market.positive("min_rent_usd_per_h100_hour", c.min_rent_usd_per_h100_hour)?;
    if c.max_rent_usd_per_h100_hour <= c.min_rent_usd_per_h100_hour {
        market.fail(
            "max_rent_usd_per_h100_hour",
            format!(
                "must be greater than min_rent_usd_per_h100_hour ({}), got {}",
                c.min_rent_usd_per_h100_hour, c.max_rent_usd_per_h100_hour
            ),
        )?;
    }

    let capex = at("capex");
    let k = &config.capex;
    capex.within("lead_quarters", k.lead_quarters.into(), 1.0, 40.0)?;
    capex.within("build_months", k.build_months.into(), 0.0, 600.0)?;
    capex.probability("adjustment_per_quarter", k.adjustment_per_quarter)?;
    capex.non_negative("hype_growth_premium", k.hype_growth_premium)?;
    capex.within("return_elasticity", k.return_elasticity, 0.0, 20.0)?;
    capex.probability("max_cash_share_per_quarter", k.max_cash_share_per_quarter)?;

    let dc = at("datacenters");
    let d = &config.datacenters;
    dc.within("capacity_mw", d.capacity_mw, 0.1, 100_000.0)?;
    dc.non_negative("rent_usd_per_mw_month", d.rent_usd_per_mw_month)?;
    dc.rate("rent_escalator_per_year", d.rent_escalator_per_year)?;
    dc.within("lease_term_years", d.lease_term_years, 0.25, 100.0)?;
    dc.within("break_option_years", d.break_option_years, 0.0, d.lease_term_years)?;
    dc.within("vacancy_elasticity", d.vacancy_elasticity, 0.0, 10.0)?;
    dc.non_negative("build_cost_usd_per_mw", d.build_cost_usd_per_mw)
}
