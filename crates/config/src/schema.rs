//! The typed configuration. Field meanings, units and defaults are documented in
//! `configs/baseline.toml`, which is the single source of every default.

use serde::{Deserialize, Serialize};

pub use crate::boom::*;
pub use crate::economy::*;
pub use crate::finance::*;

/// A whole scenario: every parameter the model reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct Config {
    pub run: RunConfig,
    pub record: RecordConfig,
    pub demand: DemandConfig,
    pub funding: FundingConfig,
    pub labs: Vec<LabConfig>,
    pub hyperscalers: Vec<HyperscalerConfig>,
    pub clouds: Vec<CloudConfig>,
    pub chipmaker: ChipmakerConfig,
    pub sponsors: SponsorsConfig,
    pub gpus: GpuConfig,
    pub compute_market: ComputeMarketConfig,
    pub capex: CapexConfig,
    pub datacenters: DatacenterConfig,
    pub leases: LeaseConfig,
    pub retail: RetailConfig,
    pub market: MarketConfig,
    pub payouts: PayoutConfig,
    pub narrative: NarrativeConfig,
    pub financing: FinancingConfig,
    pub securitisation: SecuritisationConfig,
    pub ratings: RatingConfig,
    pub institutions: Vec<InstitutionConfig>,
    pub fire_sales: FireSaleConfig,
    pub shock: ShockConfig,
    pub carmaker: CarmakerConfig,
    pub news: NewsConfig,
    pub adoption: AdoptionConfig,
    pub forecasts: ForecastConfig,
    pub venture: VentureConfig,
    pub circular: CircularConfig,
    pub bubble: BubbleConfig,
    #[serde(rename = "macro")]
    pub macroeconomy: MacroConfig,
    pub regions: RegionsConfig,
    pub grid: GridConfig,
    pub accounting: AccountingConfig,
}

/// Scenario identity, seed and horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct RunConfig {
    pub scenario: String,
    pub description: String,
    pub seed: u64,
    /// First simulated trading day, `YYYY-MM-DD`.
    pub start_date: String,
    pub years: f64,
}

/// Recording cadence per table and Parquet settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct RecordConfig {
    pub market_every_ticks: u32,
    pub sentiment_every_ticks: u32,
    pub compute_every_ticks: u32,
    pub firms_every_ticks: u32,
    pub retail_every_ticks: u32,
    pub datacenters_every_ticks: u32,
    pub gpus_every_ticks: u32,
    pub leases_every_ticks: u32,
    pub securities_every_ticks: u32,
    pub investors_every_ticks: u32,
    pub holdings_every_ticks: u32,
    pub bubble_every_ticks: u32,
    pub accounts_every_ticks: u32,
    pub row_group_rows: u32,
    pub row_group_ticks: u32,
    pub zstd_level: i32,
}

impl RecordConfig {
    /// The suffix of a table's cadence key: `record.<table>_every_ticks`.
    pub const EVERY_TICKS_SUFFIX: &'static str = "_every_ticks";

    /// Each table's recording cadence in trading days, by table name: every
    /// `<table>_every_ticks` key of this section. Tables recorded monthly, quarterly or
    /// as things happen have no key.
    pub fn every_ticks(&self) -> std::collections::BTreeMap<String, u32> {
        let section = toml::Table::try_from(self).expect("the record section serializes to a TOML table");
        section
            .into_iter()
            .filter_map(|(key, value)| {
                let table = key.strip_suffix(Self::EVERY_TICKS_SUFFIX)?.to_owned();
                Some((table, u32::try_from(value.as_integer()?).ok()?))
            })
            .collect()
    }
}

/// End-user AI demand, prices and the compute each query needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct DemandConfig {
    pub consumer_kqueries_per_month: f64,
    pub enterprise_kqueries_per_month: f64,
    pub consumer_price_usd_per_kquery: f64,
    pub enterprise_price_usd_per_kquery: f64,
    pub price_change_per_year: f64,
    pub consumer_growth_per_year: f64,
    pub enterprise_growth_per_year: f64,
    pub growth_halflife_years: f64,
    pub volatility_monthly: f64,
    pub consumer_gpu_hours_per_kquery: f64,
    pub enterprise_gpu_hours_per_kquery: f64,
    pub query_cost_dispersion: f64,
    pub inference_efficiency_gain_per_year: f64,
    pub price_elasticity: f64,
    pub compute_share_of_price: f64,
    pub cost_pass_through_halflife_months: f64,
    pub ceiling_share_of_gdp: f64,
    pub return_price_elasticity: f64,
}

/// How labs raise equity when their runway gets short.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct FundingConfig {
    pub runway_trigger_months: f64,
    pub round_size_months: f64,
    pub success_probability_at_no_hype: f64,
    pub success_probability_at_full_hype: f64,
}

/// One AI lab (private pure play).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct LabConfig {
    pub name: String,
    pub end_market_share: f64,
    pub cash_usd: f64,
    pub training_gpu_hours_per_month: f64,
    pub training_growth_per_year: f64,
    pub other_opex_usd_per_month: f64,
}

/// One hyperscaler (listed): AI products, GPU fleet, core business.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct HyperscalerConfig {
    pub name: String,
    pub end_market_share: f64,
    pub training_gpu_hours_per_month: f64,
    pub training_growth_per_year: f64,
    pub cash_usd: f64,
    pub core_revenue_usd_per_year: f64,
    pub core_operating_margin: f64,
    pub core_growth_per_year: f64,
    pub shares_outstanding: f64,
    pub share_price_usd: f64,
    pub book_equity_usd: f64,
    pub installed_h100_equivalents: f64,
}

/// One cloud / neocloud (listed, levered).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct CloudConfig {
    pub name: String,
    pub cash_usd: f64,
    pub debt_usd: f64,
    pub interest_rate: f64,
    pub shares_outstanding: f64,
    pub share_price_usd: f64,
    pub book_equity_usd: f64,
    pub installed_h100_equivalents: f64,
}

/// The chipmaker (listed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct ChipmakerConfig {
    pub name: String,
    pub cash_usd: f64,
    pub shares_outstanding: f64,
    pub share_price_usd: f64,
    pub book_equity_usd: f64,
    pub gross_margin: f64,
    pub other_revenue_usd_per_year: f64,
    pub operating_expenses_usd_per_year: f64,
}

/// Private-equity sponsors that own and lease out data centres.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct SponsorsConfig {
    pub count: u32,
    pub cash_usd: f64,
    pub interest_rate: f64,
}

/// GPU generations, cohorts, power and accounting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct GpuConfig {
    pub cohort_size: u32,
    pub initial_performance: Vec<f64>,
    pub initial_price_usd: Vec<f64>,
    pub initial_release_months_before_start: Vec<u32>,
    pub initial_fleet_share: Vec<f64>,
    pub next_release_months: u32,
    pub release_cadence_months: u32,
    pub performance_gain_per_generation: f64,
    pub price_gain_per_generation: f64,
    pub power_kw_per_gpu: f64,
    pub power_gain_per_generation: f64,
    pub electricity_usd_per_kwh: f64,
    pub accounting_life_years: f64,
    pub physical_life_years: f64,
    pub discount_rate: f64,
    pub impairment_trigger: f64,
}

/// How the rent per GPU-hour forms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct ComputeMarketConfig {
    pub capital_recovery_years: f64,
    pub target_utilisation: f64,
    pub scarcity_elasticity: f64,
    pub min_rent_usd_per_h100_hour: f64,
    pub max_rent_usd_per_h100_hour: f64,
}

/// Providers' quarterly GPU orders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct CapexConfig {
    pub lead_quarters: u32,
    pub adjustment_per_quarter: f64,
    pub hype_growth_premium: f64,
    pub return_elasticity: f64,
    pub max_cash_share_per_quarter: f64,
    pub build_months: u32,
}

/// Data-centre size, rent and lease terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct DatacenterConfig {
    pub capacity_mw: f64,
    pub rent_usd_per_mw_month: f64,
    pub rent_escalator_per_year: f64,
    pub lease_term_years: f64,
    pub break_option_years: f64,
    pub vacancy_elasticity: f64,
    pub build_cost_usd_per_mw: f64,
}

/// Tenant stress and the quarterly renegotiation window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct LeaseConfig {
    pub weight_revenue_shortfall: f64,
    pub weight_idle_capacity: f64,
    pub weight_cash_shortfall: f64,
    pub weight_rent_to_revenue: f64,
    pub weight_share_drawdown: f64,
    pub plan_growth_per_year: f64,
    pub cut_log_odds_base: f64,
    pub cut_log_odds_per_stress: f64,
    pub break_log_odds_base: f64,
    pub break_log_odds_per_stress: f64,
    pub default_log_odds_base: f64,
    pub default_log_odds_per_stress: f64,
    pub default_log_odds_per_cash_shortfall: f64,
    pub cash_cover_months: f64,
    pub rent_cut_share: f64,
    pub stress_event_threshold: f64,
}

/// Retail investors (Lux–Marchesi).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct RetailConfig {
    pub count: u32,
    pub novice_share: f64,
    pub initial_fundamentalist_share: f64,
    pub initial_optimist_share: f64,
    pub wealth_usd: f64,
    pub ownership_share: f64,
    pub initial_share_dispersion: f64,
    pub optimist_ai_share: f64,
    pub pessimist_ai_share: f64,
    pub fundamentalist_ai_share: f64,
    pub fundamentalist_value_elasticity: f64,
    pub rebalance_per_day: f64,
    pub savings_per_year: f64,
    pub opinion_switch_frequency: f64,
    pub strategy_switch_frequency: f64,
    pub herding_weight: f64,
    pub trend_weight: f64,
    pub narrative_weight: f64,
    pub novice_multiplier: f64,
    pub profit_sensitivity: f64,
    pub fundamentalist_discount: f64,
    pub min_group_share: f64,
    pub trend_halflife_ticks: f64,
    pub novice_learning_per_drawdown: f64,
    pub novice_entry_per_hype: f64,
}

/// Price formation of the listed firms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct MarketConfig {
    pub min_earnings_months: u32,
    pub demand_elasticity: f64,
    pub value_view_halflife_months: f64,
    pub noise_volatility_daily: f64,
    pub core_volatility_daily: f64,
    pub fair_price_book: f64,
    pub equity_risk_premium: f64,
    pub terminal_growth_per_year: f64,
    pub growth_horizon_years: f64,
    pub max_consensus_growth: f64,
    pub consensus_growth_weight: f64,
    pub sector_volatility_daily: f64,
    pub attention_weight: f64,
    pub attention_halflife_ticks: f64,
    pub attention_baseline_halflife_ticks: f64,
    pub institution_rebalance_per_day: f64,
    pub hedge_fund_value_tilt: f64,
    pub hedge_fund_buy_leverage_share: f64,
    pub earnings_price_response: f64,
}

/// Dividends and buybacks of listed firms holding cash above their target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct PayoutConfig {
    pub cash_target_months_of_costs: f64,
    pub payout_share_per_quarter: f64,
    pub buyback_share: f64,
    pub max_buyback_share_of_shares: f64,
}

/// The hype state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is a key documented, with its unit and default, in configs/baseline.toml"
)]
pub struct NarrativeConfig {
    pub initial_hype: f64,
    pub reversion_per_tick: f64,
    pub volatility_daily: f64,
    pub target_base: f64,
    pub growth_weight: f64,
    pub adoption_weight: f64,
    pub drawdown_weight: f64,
    pub neutral_revenue_growth: f64,
    pub memory_ticks: f64,
}
