//! The sections of the boom's markets and beliefs (issue 4): the old-economy carmaker,
//! news, enterprise adoption, forecasts, venture capital, the circular deal and the
//! Goldfarb–Kirsch bubble index. Meanings and defaults are in `configs/baseline.toml`.

use serde::{Deserialize, Serialize};

/// The listed old-economy carmaker (outside the AI index).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct CarmakerConfig {
    pub name: String,
    pub cash_usd: f64,
    pub shares_outstanding: f64,
    pub share_price_usd: f64,
    pub book_equity_usd: f64,
    pub core_revenue_usd_per_year: f64,
    pub core_operating_margin: f64,
    pub core_growth_per_year: f64,
    pub fair_price_earnings: f64,
    pub noise_volatility_daily: f64,
}

/// News that moves the narrative: model releases and quarterly earnings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct NewsConfig {
    pub first_release_months: u32,
    pub release_every_months: u32,
    pub initial_capability_gain: f64,
    pub capability_gain_decay: f64,
    pub capability_gain_noise: f64,
    pub expected_capability_gain: f64,
    pub expectation_learning_rate: f64,
    pub hype_per_capability_surprise: f64,
    pub hype_per_earnings_surprise: f64,
    pub hype_per_lab_failure: f64,
}

/// Enterprise adopters: pilots, returns and churn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct AdoptionConfig {
    pub count: u32,
    pub initial_adopter_share: f64,
    pub adoption_per_month_base: f64,
    pub adoption_per_month_per_hype: f64,
    pub pilot_months: u32,
    pub share_with_return: f64,
    pub churn_per_month_without_return: f64,
    pub return_usage_multiplier: f64,
}

/// Forecasts of AI revenue and how evidence narrows their spread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct ForecastConfig {
    pub horizon_years: f64,
    pub initial_belief_dispersion: f64,
    pub evidence_precision_per_month: f64,
    pub capex_tilt_per_belief: f64,
}

/// Venture-capital funds and the pricing of lab rounds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct VentureConfig {
    pub funds: u32,
    pub new_capital_usd_per_month: f64,
    pub ai_share_base: f64,
    pub ai_share_per_hype: f64,
    pub ai_share_per_mark_return: f64,
    pub marks_lookback_months: u32,
    pub dry_powder_months: f64,
    pub valuation_revenue_multiple: f64,
    pub valuation_hype_sensitivity: f64,
}

/// The chipmaker → lab → cloud → chipmaker loop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct CircularConfig {
    pub lab: String,
    pub cloud: String,
    pub contract_value_usd: f64,
    pub contract_years: f64,
    pub contract_gw: f64,
    pub contract_start_months: u32,
    pub deployment_months: u32,
    pub investment_usd_per_gw: f64,
    pub investment_cap_usd: f64,
}

/// Thresholds of the Goldfarb–Kirsch factors: an input at or above its first threshold
/// scores 1, at or above its second 2.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct BubbleConfig {
    pub forecast_dispersion_thresholds: [f64; 2],
    pub capex_to_revenue_thresholds: [f64; 2],
    pub ai_capital_share_thresholds: [f64; 2],
    pub retail_ownership_thresholds: [f64; 2],
    pub novice_share_thresholds: [f64; 2],
    pub hype_thresholds: [f64; 2],
}
