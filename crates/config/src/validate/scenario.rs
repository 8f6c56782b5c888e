//! The whole scenario's validation: the run, recording, demand and funding sections
//! here, then every other section in its own file. Returns the first problem found.

use crate::dates::parse_date;
use crate::schema::{Config, RecordConfig};
use crate::validate::check::{Problem, at};
use crate::validate::{behaviour, boom, economy, financing, firms, infrastructure};

/// The shortest horizon: one trading day.
pub const MIN_YEARS: f64 = 1.0 / 252.0;
/// The longest horizon accepted.
pub const MAX_YEARS: f64 = 200.0;

/// Checks every range and relation; returns the first problem found.
pub fn validate(config: &Config) -> Result<(), Problem> {
    let run = at("run");
    run.name("scenario", &config.run.scenario)?;
    if parse_date(&config.run.start_date).is_none() {
        run.fail(
            "start_date",
            format!(
                "must be a date written YYYY-MM-DD between 1900 and 2200, got {:?}",
                config.run.start_date
            ),
        )?;
    }
    if !(MIN_YEARS..=MAX_YEARS).contains(&config.run.years) {
        run.fail(
            "years",
            format!(
                "the horizon must be at least one trading day ({MIN_YEARS:.4} years) and at most {MAX_YEARS} years, got {}",
                config.run.years
            ),
        )?;
    }

    let record = at("record");
    let r = &config.record;
    for (table, every) in r.every_ticks() {
        record.within(
            &format!("{table}{}", RecordConfig::EVERY_TICKS_SUFFIX),
            every.into(),
            1.0,
            1_000_000.0,
        )?;
    }
    record.within("row_group_rows", r.row_group_rows.into(), 1.0, 10_000_000.0)?;
    record.within("row_group_ticks", r.row_group_ticks.into(), 1.0, 1_000_000.0)?;
    record.within("zstd_level", r.zstd_level.into(), 1.0, 22.0)?;

    let demand = at("demand");
    let d = &config.demand;
    demand.non_negative("consumer_kqueries_per_month", d.consumer_kqueries_per_month)?;
    demand.non_negative("enterprise_kqueries_per_month", d.enterprise_kqueries_per_month)?;
    demand.positive("consumer_price_usd_per_kquery", d.consumer_price_usd_per_kquery)?;
    demand.positive("enterprise_price_usd_per_kquery", d.enterprise_price_usd_per_kquery)?;
    demand.rate("price_change_per_year", d.price_change_per_year)?;
    demand.rate("consumer_growth_per_year", d.consumer_growth_per_year)?;
    demand.rate("enterprise_growth_per_year", d.enterprise_growth_per_year)?;
    demand.positive("growth_halflife_years", d.growth_halflife_years)?;
    demand.within("volatility_monthly", d.volatility_monthly, 0.0, 1.0)?;
    demand.positive("consumer_gpu_hours_per_kquery", d.consumer_gpu_hours_per_kquery)?;
    demand.positive("enterprise_gpu_hours_per_kquery", d.enterprise_gpu_hours_per_kquery)?;
    demand.within("query_cost_dispersion", d.query_cost_dispersion, 0.0, 5.0)?;
    demand.within(
        "inference_efficiency_gain_per_year",
        d.inference_efficiency_gain_per_year,
        0.0,
        0.99,
    )?;
    demand.within("price_elasticity", d.price_elasticity, 0.0, 5.0)?;
    demand.probability("compute_share_of_price", d.compute_share_of_price)?;
    demand.within("cost_pass_through_halflife_months", d.cost_pass_through_halflife_months, 0.0, 120.0)?;
    demand.within("ceiling_share_of_gdp", d.ceiling_share_of_gdp, 1e-6, 1.0)?;
    demand.within("return_price_elasticity", d.return_price_elasticity, 0.0, 5.0)?;

    let funding = at("funding");
    let f = &config.funding;
    funding.non_negative("runway_trigger_months", f.runway_trigger_months)?;
    funding.positive("round_size_months", f.round_size_months)?;
    funding.probability("success_probability_at_no_hype", f.success_probability_at_no_hype)?;
    funding.probability("success_probability_at_full_hype", f.success_probability_at_full_hype)?;

    firms::validate_firms(config)?;
    infrastructure::validate_infrastructure(config)?;
    behaviour::validate_behaviour(config)?;
    financing::validate_financing(config)?;
    boom::validate_boom(config)?;
    economy::validate_economy(config)
}
