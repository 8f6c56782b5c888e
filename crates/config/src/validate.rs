//! Ranges and relations that serde's types cannot express. Returns the first problem as
//! (key path, what is allowed).

use crate::Config;

pub(crate) type Problem = (String, String);

/// A tiny checker that records key paths in its error.
pub(crate) struct Check<'a> {
    prefix: &'a str,
}

impl Check<'_> {
    pub(crate) fn path(&self, key: &str) -> String {
        format!("{}.{key}", self.prefix)
    }
    pub(crate) fn fail(&self, key: &str, reason: String) -> Result<(), Problem> {
        Err((self.path(key), reason))
    }
    /// `low <= value <= high`.
    pub(crate) fn within(&self, key: &str, value: f64, low: f64, high: f64) -> Result<(), Problem> {
        if (low..=high).contains(&value) {
            Ok(())
        } else {
            self.fail(key, format!("must be between {low} and {high}, got {value}"))
        }
    }
    pub(crate) fn probability(&self, key: &str, value: f64) -> Result<(), Problem> {
        if (0.0..=1.0).contains(&value) {
            Ok(())
        } else {
            self.fail(key, format!("is a probability or share: must be between 0 and 1, got {value}"))
        }
    }
    pub(crate) fn positive(&self, key: &str, value: f64) -> Result<(), Problem> {
        if value > 0.0 {
            Ok(())
        } else {
            self.fail(key, format!("must be greater than 0, got {value}"))
        }
    }
    pub(crate) fn non_negative(&self, key: &str, value: f64) -> Result<(), Problem> {
        if value >= 0.0 {
            Ok(())
        } else {
            self.fail(key, format!("must be 0 or more, got {value}"))
        }
    }
    /// A yearly rate of change: above −100%.
    pub(crate) fn rate(&self, key: &str, value: f64) -> Result<(), Problem> {
        if value > -1.0 && value <= 100.0 {
            Ok(())
        } else {
            self.fail(
                key,
                format!("is a yearly rate: must be above -1 (−100%) and at most 100, got {value}"),
            )
        }
    }
    pub(crate) fn name(&self, key: &str, value: &str) -> Result<(), Problem> {
        let ok = !value.is_empty() && value.len() <= 64 && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if ok {
            Ok(())
        } else {
            self.fail(
                key,
                format!("must be 1–64 characters of letters, digits, '-', '_' or '.', got {value:?}"),
            )
        }
    }
}

/// Fails on the second of two entries with the same name; `names` holds (key path, name).
pub(crate) fn unique_names(what: &str, mut names: Vec<(String, &str)>) -> Result<(), Problem> {
    names.sort_by(|a, b| a.1.cmp(b.1));
    for pair in names.windows(2) {
        if pair[0].1 == pair[1].1 {
            return Err((
                pair[1].0.clone(),
                format!("{what} names must be unique; {:?} is also used by `{}`", pair[1].1, pair[0].0),
            ));
        }
    }
    Ok(())
}

pub(crate) fn at(prefix: &str) -> Check<'_> {
    Check { prefix }
}

/// The shortest horizon: one trading day.
pub const MIN_YEARS: f64 = 1.0 / 252.0;
/// The longest horizon accepted.
pub const MAX_YEARS: f64 = 200.0;

/// Checks every range and relation; returns the first problem found.
pub fn validate(config: &Config) -> Result<(), Problem> {
    let run = at("run");
    run.name("scenario", &config.run.scenario)?;
    if crate::parse_date(&config.run.start_date).is_none() {
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
            &format!("{table}{}", crate::RecordConfig::EVERY_TICKS_SUFFIX),
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

    let funding = at("funding");
    let f = &config.funding;
    funding.non_negative("runway_trigger_months", f.runway_trigger_months)?;
    funding.positive("round_size_months", f.round_size_months)?;
    funding.probability("success_probability_at_no_hype", f.success_probability_at_no_hype)?;
    funding.probability("success_probability_at_full_hype", f.success_probability_at_full_hype)?;

    validate_firms(config)?;
    validate_infrastructure(config)?;
    validate_behaviour(config)?;
    validate_financing(config)?;
    crate::validate_boom::validate_boom(config)?;
    crate::validate_economy::validate_economy(config)
}

/// Rating labels a config may name, best first.
pub const RATING_LABELS: [&str; 7] = ["AAA", "AA", "A", "BBB", "BB", "B", "CCC"];
/// Kinds of institutional investor.
pub const INSTITUTION_KINDS: [&str; 4] = ["pension", "insurer", "mutual_fund", "hedge_fund"];

fn validate_financing(config: &Config) -> Result<(), Problem> {
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
    fire.within("equity_price_impact", x.equity_price_impact, 0.0, 1000.0)?;
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

fn validate_firms(config: &Config) -> Result<(), Problem> {
    for (key, len) in [
        ("labs", config.labs.len()),
        ("hyperscalers", config.hyperscalers.len()),
        ("clouds", config.clouds.len()),
    ] {
        if len > 1000 {
            at(key).fail("N", format!("at most 1000 entries, got {len}"))?;
        }
    }
    if config.labs.is_empty() {
        at("labs").fail("0", "at least one lab is needed".to_owned())?;
    }
    if config.hyperscalers.is_empty() {
        at("hyperscalers").fail("0", "at least one hyperscaler is needed".to_owned())?;
    }
    let mut names: Vec<(String, &str)> = Vec::new();
    let mut share_sum = 0.0;
    for (index, lab) in config.labs.iter().enumerate() {
        let prefix = format!("labs.{index}");
        let c = at(&prefix);
        c.name("name", &lab.name)?;
        c.probability("end_market_share", lab.end_market_share)?;
        c.non_negative("cash_usd", lab.cash_usd)?;
        c.non_negative("training_gpu_hours_per_month", lab.training_gpu_hours_per_month)?;
        c.rate("training_growth_per_year", lab.training_growth_per_year)?;
        c.non_negative("other_opex_usd_per_month", lab.other_opex_usd_per_month)?;
        share_sum += lab.end_market_share;
        names.push((c.path("name"), &lab.name));
    }
    for (index, firm) in config.hyperscalers.iter().enumerate() {
        let prefix = format!("hyperscalers.{index}");
        let c = at(&prefix);
        c.name("name", &firm.name)?;
        c.probability("end_market_share", firm.end_market_share)?;
        c.non_negative("training_gpu_hours_per_month", firm.training_gpu_hours_per_month)?;
        c.rate("training_growth_per_year", firm.training_growth_per_year)?;
        c.non_negative("cash_usd", firm.cash_usd)?;
        c.non_negative("core_revenue_usd_per_year", firm.core_revenue_usd_per_year)?;
        c.within("core_operating_margin", firm.core_operating_margin, -1.0, 1.0)?;
        c.rate("core_growth_per_year", firm.core_growth_per_year)?;
        c.positive("shares_outstanding", firm.shares_outstanding)?;
        c.positive("share_price_usd", firm.share_price_usd)?;
        c.non_negative("book_equity_usd", firm.book_equity_usd)?;
        c.within("installed_h100_equivalents", firm.installed_h100_equivalents, 0.0, 1e9)?;
        share_sum += firm.end_market_share;
        names.push((c.path("name"), &firm.name));
    }
    if share_sum <= 0.0 || share_sum > 1.0 + 1e-9 {
        at("labs").fail(
            "N.end_market_share",
            format!("the end-market shares of labs and hyperscalers must add up to more than 0 and at most 1, got {share_sum}"),
        )?;
    }
    for (index, cloud) in config.clouds.iter().enumerate() {
        let prefix = format!("clouds.{index}");
        let c = at(&prefix);
        c.name("name", &cloud.name)?;
        c.non_negative("cash_usd", cloud.cash_usd)?;
        c.non_negative("debt_usd", cloud.debt_usd)?;
        c.within("interest_rate", cloud.interest_rate, 0.0, 1.0)?;
        c.positive("shares_outstanding", cloud.shares_outstanding)?;
        c.positive("share_price_usd", cloud.share_price_usd)?;
        c.non_negative("book_equity_usd", cloud.book_equity_usd)?;
        c.within("installed_h100_equivalents", cloud.installed_h100_equivalents, 0.0, 1e9)?;
        names.push((c.path("name"), &cloud.name));
    }
    let chip = at("chipmaker");
    let m = &config.chipmaker;
    chip.name("name", &m.name)?;
    chip.non_negative("cash_usd", m.cash_usd)?;
    chip.positive("shares_outstanding", m.shares_outstanding)?;
    chip.positive("share_price_usd", m.share_price_usd)?;
    chip.non_negative("book_equity_usd", m.book_equity_usd)?;
    chip.probability("gross_margin", m.gross_margin)?;
    chip.non_negative("other_revenue_usd_per_year", m.other_revenue_usd_per_year)?;
    chip.non_negative("operating_expenses_usd_per_year", m.operating_expenses_usd_per_year)?;
    names.push((chip.path("name"), &m.name));
    unique_names("firm", names)?;
    let sponsors = at("sponsors");
    sponsors.within("count", config.sponsors.count.into(), 1.0, 10_000.0)?;
    sponsors.non_negative("cash_usd", config.sponsors.cash_usd)?;
    sponsors.within("interest_rate", config.sponsors.interest_rate, 0.0, 1.0)
}

fn validate_infrastructure(config: &Config) -> Result<(), Problem> {
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

fn validate_behaviour(config: &Config) -> Result<(), Problem> {
    let leases = at("leases");
    let l = &config.leases;
    leases.non_negative("weight_revenue_shortfall", l.weight_revenue_shortfall)?;
    leases.non_negative("weight_idle_capacity", l.weight_idle_capacity)?;
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
    retail.probability("initial_ai_share", r.initial_ai_share)?;
    retail.positive("lot_usd", r.lot_usd)?;
    retail.probability("opinion_switch_frequency", r.opinion_switch_frequency)?;
    retail.probability("strategy_switch_frequency", r.strategy_switch_frequency)?;
    retail.within("herding_weight", r.herding_weight, 0.0, 20.0)?;
    retail.within("trend_weight", r.trend_weight, 0.0, 20.0)?;
    retail.within("narrative_weight", r.narrative_weight, 0.0, 20.0)?;
    retail.within("novice_multiplier", r.novice_multiplier, 0.0, 20.0)?;
    retail.within("profit_sensitivity", r.profit_sensitivity, 0.0, 20.0)?;
    retail.probability("fundamentalist_discount", r.fundamentalist_discount)?;
    retail.within("chartist_lots", r.chartist_lots.into(), 0.0, 1e6)?;
    retail.within("households_per_agent", r.households_per_agent, 1e-6, 1e9)?;
    retail.probability("novice_learning_per_drawdown", r.novice_learning_per_drawdown)?;
    retail.probability("novice_entry_per_hype", r.novice_entry_per_hype)?;
    retail.within("fundamentalist_lots_per_mispricing", r.fundamentalist_lots_per_mispricing, 0.0, 1e6)?;
    retail.within("min_group_share", r.min_group_share, 0.0, 0.33)?;
    retail.within("trend_halflife_ticks", r.trend_halflife_ticks, 0.1, 10_000.0)?;

    let market = at("market");
    let m = &config.market;
    market.within("min_earnings_months", m.min_earnings_months.into(), 1.0, 12.0)?;
    market.within("price_impact", m.price_impact, 0.0, 1.0)?;
    for (key, lots) in [
        ("chartist_lots", f64::from(r.chartist_lots)),
        ("fundamentalist_lots_per_mispricing", r.fundamentalist_lots_per_mispricing),
    ] {
        if m.price_impact * lots > 0.5 {
            market.fail(
                "price_impact",
                format!("market.price_impact × retail.{key} must be at most 0.5 (a daily log move of 50% per lot and investor), got {} × {lots}", m.price_impact),
            )?;
        }
    }
    market.within("noise_volatility_daily", m.noise_volatility_daily, 0.0, 0.5)?;
    market.positive("fair_price_earnings", m.fair_price_earnings)?;
    market.non_negative("fair_price_book", m.fair_price_book)?;
    market.within("required_return", m.required_return, 0.0, 1.0)?;
    market.within("sector_volatility_daily", m.sector_volatility_daily, 0.0, 0.5)?;
    market.within("attention_weight", m.attention_weight, 0.0, 0.99)?;
    market.within("attention_halflife_ticks", m.attention_halflife_ticks, 1.0, 10_000.0)?;
    market.probability("institution_rebalance_per_day", m.institution_rebalance_per_day)?;
    market.within("hedge_fund_value_tilt", m.hedge_fund_value_tilt, 0.0, 10.0)?;
    market.probability("hedge_fund_buy_leverage_share", m.hedge_fund_buy_leverage_share)?;
    market.within("earnings_price_response", m.earnings_price_response, 0.0, 5.0)?;

    let narrative = at("narrative");
    let n = &config.narrative;
    narrative.probability("initial_hype", n.initial_hype)?;
    narrative.probability("reversion_per_tick", n.reversion_per_tick)?;
    narrative.within("volatility_daily", n.volatility_daily, 0.0, 1.0)?;
    narrative.probability("target_base", n.target_base)?;
    narrative.within("growth_weight", n.growth_weight, 0.0, 20.0)?;
    narrative.within("drawdown_weight", n.drawdown_weight, 0.0, 20.0)?;
    narrative.within("neutral_revenue_growth", n.neutral_revenue_growth, -0.99, 100.0)?;
    narrative.within("memory_ticks", n.memory_ticks, 1.0, 100_000.0)
}
