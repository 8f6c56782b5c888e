//! The sections of the real economy and the accounts (issue 5): the macro sector and
//! outcome B's labour displacement, the regions, the grid that connects data centres,
//! and the tolerance of the stock–flow check. Meanings and defaults are in
//! `configs/baseline.toml`.

use serde::{Deserialize, Serialize};

/// GDP by expenditure, employment, and the displacement of labour by AI (outcome B).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct MacroConfig {
    pub gdp_usd_per_year: f64,
    pub consumption_share_of_gdp: f64,
    pub other_investment_share_of_gdp: f64,
    pub non_ai_growth_per_year_at_start: f64,
    pub non_ai_growth_per_year_long_run: f64,
    pub non_ai_growth_recovery_halflife_years: f64,
    pub ai_investment_per_model_capex: f64,
    pub ai_investment_import_share: f64,
    pub hold_ai_investment_flat: bool,
    pub trend_ai_investment_halflife_years: f64,
    pub other_investment_per_output_gap: f64,
    pub other_investment_per_rate_point: f64,
    pub policy_rate_at_start: f64,
    pub neutral_real_rate: f64,
    pub inflation_target: f64,
    pub inflation_per_output_gap: f64,
    pub taylor_inflation_weight: f64,
    pub taylor_output_gap_weight: f64,
    pub policy_smoothing_per_month: f64,
    pub policy_rate_floor: f64,
    pub consumption_smoothing_halflife_months: f64,
    pub wealth_effect_per_year: f64,
    pub household_equity_share: f64,
    pub labour_force: f64,
    pub unemployment_rate_at_start: f64,
    pub natural_unemployment_rate: f64,
    pub okun_coefficient: f64,
    pub employment_adjustment_per_month: f64,
    pub benefit_replacement_rate: f64,
    pub labour_cost_replaced_per_ai_usd: f64,
    pub wage_usd_per_year: f64,
    pub automatable_share_of_labour: f64,
    pub reemployment_per_month: f64,
}

/// The regions (states) among which construction and other activity are shared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct RegionsConfig {
    pub count: u32,
    pub activity_concentration: f64,
    pub datacenter_concentration: f64,
    pub growth_dispersion_per_year: f64,
    pub growth_persistence_per_quarter: f64,
    pub level_noise: f64,
    pub near_recession_growth_per_year: f64,
}

/// Grid capacity for data centres; a building waits for its connection when it is short.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct GridConfig {
    pub headroom_gw_at_start: f64,
    pub added_gw_per_year: f64,
}

/// The stock–flow check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct AccountingConfig {
    pub tolerance_usd_per_usd: f64,
}
