//! The sections of the financing chain: SPVs and their bonds, securitisation, ratings,
//! the institutions that hold the securities, fire sales, and the shocks of the stress
//! scenarios. Meanings and defaults are in `configs/baseline.toml`.

use serde::{Deserialize, Serialize};

/// How data centres are financed: hyperscalers' choice between their own balance sheet
/// and a sponsor's SPV, the SPV's structure and lease-back terms, building values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct FinancingConfig {
    pub risk_free_rate: f64,
    pub own_debt_spread: f64,
    pub own_debt_spread_per_drawdown: f64,
    pub reported_debt_penalty: f64,
    pub spv_sponsor_equity_share: f64,
    pub spv_bond_share_of_cost: f64,
    pub spv_reserve_months: f64,
    pub spv_initial_term_years: f64,
    pub spv_extension_options: u32,
    pub spv_extension_years: f64,
    pub rvg_cap_share_of_cost: f64,
    pub rvg_years: f64,
    pub bond_amortisation_years: f64,
    pub building_noi_margin: f64,
    pub building_cap_rate: f64,
    pub liquidation_haircut: f64,
    pub building_value_volatility: f64,
}

/// Pools of sponsors' leases cut into tranches, and how securities are priced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct SecuritisationConfig {
    pub pool_size: u32,
    pub advance_rate: f64,
    pub mezzanine_attachment: f64,
    pub senior_attachment: f64,
    pub coverage_trigger: f64,
    pub asset_correlation: f64,
    pub liquidity_premium: f64,
    pub duration_years: f64,
}

/// The rating agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct RatingConfig {
    pub lag_quarters: f64,
    pub optimism: f64,
}

/// One group of institutional investors of the same kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct InstitutionConfig {
    pub kind: String,
    pub name: String,
    pub count: u32,
    pub nav_usd: f64,
    pub leverage: f64,
    pub ai_equity_share: f64,
    pub securities_share: f64,
    pub min_rating: String,
}

/// Forced sales: rating constraints, redemptions, margin calls and their price impact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct FireSaleConfig {
    pub security_price_impact: f64,
    pub recovery_halflife_ticks: f64,
    pub max_cascade_rounds: u32,
    pub insurer_sale_window_days: u32,
    pub hedge_fund_max_leverage: f64,
    pub hedge_fund_borrowing_spread: f64,
    pub mutual_fund_flow_per_excess_return: f64,
    pub mutual_fund_lookback_months: u32,
    pub mutual_fund_benchmark_return: f64,
    pub mutual_fund_max_monthly_flow: f64,
}

/// An imposed shock: one AI seller loses most of its end-user demand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct ShockConfig {
    pub firm: String,
    pub start_month: u32,
    pub ai_demand_loss_share: f64,
    pub lab_default: String,
    pub walk_away_firm: String,
    pub rate_rise: f64,
}
