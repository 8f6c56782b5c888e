//! Ranges and relations of the firms: labs, hyperscalers, clouds, the chipmaker and
//! the sponsors.

use crate::schema::Config;
use crate::validate::check::{Problem, at, unique_names};

pub(crate) fn validate_firms(config: &Config) -> Result<(), Problem> {
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
