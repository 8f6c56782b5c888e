//! Ranges and relations of the `boom` sections: carmaker, news, adoption, forecasts,
//! venture, the circular deal and the bubble index's thresholds.

use crate::schema::Config;
use crate::validate::check::{Problem, at};

pub(crate) fn validate_boom(config: &Config) -> Result<(), Problem> {
    let carmaker = at("carmaker");
    let c = &config.carmaker;
    carmaker.name("name", &c.name)?;
    let firm_names: Vec<&str> = config
        .labs
        .iter()
        .map(|l| l.name.as_str())
        .chain(config.hyperscalers.iter().map(|h| h.name.as_str()))
        .chain(config.clouds.iter().map(|c| c.name.as_str()))
        .chain([config.chipmaker.name.as_str()])
        .collect();
    if firm_names.contains(&c.name.as_str()) {
        carmaker.fail("name", format!("firm names must be unique; {:?} is also another firm's", c.name))?;
    }
    carmaker.non_negative("cash_usd", c.cash_usd)?;
    carmaker.positive("shares_outstanding", c.shares_outstanding)?;
    carmaker.positive("share_price_usd", c.share_price_usd)?;
    carmaker.non_negative("book_equity_usd", c.book_equity_usd)?;
    carmaker.non_negative("core_revenue_usd_per_year", c.core_revenue_usd_per_year)?;
    carmaker.within("core_operating_margin", c.core_operating_margin, -1.0, 1.0)?;
    carmaker.rate("core_growth_per_year", c.core_growth_per_year)?;
    carmaker.positive("fair_price_earnings", c.fair_price_earnings)?;
    carmaker.within("noise_volatility_daily", c.noise_volatility_daily, 0.0, 0.5)?;

    let news = at("news");
    let n = &config.news;
    news.within("first_release_months", n.first_release_months.into(), 0.0, 12_000.0)?;
    news.within("release_every_months", n.release_every_months.into(), 1.0, 12_000.0)?;
    news.within("initial_capability_gain", n.initial_capability_gain, 0.0, 100.0)?;
    news.within("capability_gain_decay", n.capability_gain_decay, 0.0, 1.0)?;
    news.within("capability_gain_noise", n.capability_gain_noise, 0.0, 5.0)?;
    news.within("expected_capability_gain", n.expected_capability_gain, 0.0, 100.0)?;
    news.probability("expectation_learning_rate", n.expectation_learning_rate)?;
    news.within("hype_per_capability_surprise", n.hype_per_capability_surprise, 0.0, 10.0)?;
    news.within("hype_per_earnings_surprise", n.hype_per_earnings_surprise, 0.0, 10.0)?;
    news.probability("hype_per_lab_failure", n.hype_per_lab_failure)?;

    let adoption = at("adoption");
    let a = &config.adoption;
    adoption.within("count", a.count.into(), 1.0, 10_000_000.0)?;
    adoption.probability("initial_adopter_share", a.initial_adopter_share)?;
    if a.initial_adopter_share <= 0.0 {
        adoption.fail(
            "initial_adopter_share",
            "must be greater than 0: enterprise volume at the start is spread over the adopters piloting then".to_owned(),
        )?;
    }
    adoption.probability("adoption_per_month_base", a.adoption_per_month_base)?;
    adoption.probability("adoption_per_month_per_hype", a.adoption_per_month_per_hype)?;
    if a.adoption_per_month_base + a.adoption_per_month_per_hype > 1.0 {
        adoption.fail(
            "adoption_per_month_per_hype",
            format!(
                "adoption_per_month_base + adoption_per_month_per_hype is a monthly probability at full hype: at most 1, got {}",
                a.adoption_per_month_base + a.adoption_per_month_per_hype
            ),
        )?;
    }
    adoption.within("pilot_months", a.pilot_months.into(), 1.0, 600.0)?;
    adoption.probability("share_with_return", a.share_with_return)?;
    adoption.probability("churn_per_month_without_return", a.churn_per_month_without_return)?;
    adoption.within("return_usage_multiplier", a.return_usage_multiplier, 0.0, 1000.0)?;

    let forecasts = at("forecasts");
    let f = &config.forecasts;
    forecasts.within("horizon_years", f.horizon_years, 0.1, 100.0)?;
    forecasts.within("initial_belief_dispersion", f.initial_belief_dispersion, 0.0, 10.0)?;
    forecasts.within("evidence_precision_per_month", f.evidence_precision_per_month, 0.0, 1e6)?;
    forecasts.within("capex_tilt_per_belief", f.capex_tilt_per_belief, 0.0, 10.0)?;

    let venture = at("venture");
    let v = &config.venture;
    venture.within("funds", v.funds.into(), 1.0, 10_000.0)?;
    venture.non_negative("new_capital_usd_per_month", v.new_capital_usd_per_month)?;
    venture.probability("ai_share_base", v.ai_share_base)?;
    venture.within("ai_share_per_hype", v.ai_share_per_hype, 0.0, 1.0)?;
    venture.within("ai_share_per_mark_return", v.ai_share_per_mark_return, 0.0, 10.0)?;
    venture.within("marks_lookback_months", v.marks_lookback_months.into(), 1.0, 120.0)?;
    venture.within("dry_powder_months", v.dry_powder_months, 1.0, 1200.0)?;
    venture.within("valuation_revenue_multiple", v.valuation_revenue_multiple, 0.01, 1000.0)?;
    venture.within("valuation_hype_sensitivity", v.valuation_hype_sensitivity, 0.0, 20.0)?;

    let circular = at("circular");
    let l = &config.circular;
    if !l.lab.is_empty() {
        let labs: Vec<&str> = config.labs.iter().map(|l| l.name.as_str()).collect();
        if !labs.contains(&l.lab.as_str()) {
            circular.fail(
                "lab",
                format!("must be \"\" (no loop) or the name of a lab ({}), got {:?}", labs.join(", "), l.lab),
            )?;
        }
        let clouds: Vec<&str> = config.clouds.iter().map(|c| c.name.as_str()).collect();
        if !clouds.contains(&l.cloud.as_str()) {
            circular.fail("cloud", format!("must name a cloud ({}), got {:?}", clouds.join(", "), l.cloud))?;
        }
    }
    circular.non_negative("contract_value_usd", l.contract_value_usd)?;
    circular.within("contract_years", l.contract_years, 1.0 / 12.0, 100.0)?;
    circular.within("contract_gw", l.contract_gw, 0.0, 1000.0)?;
    circular.within("contract_start_months", l.contract_start_months.into(), 0.0, 12_000.0)?;
    circular.within("deployment_months", l.deployment_months.into(), 1.0, 600.0)?;
    circular.non_negative("investment_usd_per_gw", l.investment_usd_per_gw)?;
    circular.non_negative("investment_cap_usd", l.investment_cap_usd)?;

    let bubble = at("bubble");
    let b = &config.bubble;
    for (key, [low, high]) in [
        ("forecast_dispersion_thresholds", b.forecast_dispersion_thresholds),
        ("capex_to_revenue_thresholds", b.capex_to_revenue_thresholds),
        ("ai_capital_share_thresholds", b.ai_capital_share_thresholds),
        ("retail_ownership_thresholds", b.retail_ownership_thresholds),
        ("novice_share_thresholds", b.novice_share_thresholds),
        ("hype_thresholds", b.hype_thresholds),
    ] {
        if !(low.is_finite() && high.is_finite() && 0.0 <= low && low <= high) {
            bubble.fail(
                key,
                format!("must be two thresholds [low, high] with 0 ≤ low ≤ high, got [{low}, {high}]"),
            )?;
        }
    }
    Ok(())
}
