//! Leases: a tenant (hyperscaler or cloud) rents a data-centre building from its
//! sponsor — monthly rent with a yearly escalator, a fixed term and a break option after
//! `break_option_years` (or, for a lease-back, extension options and a residual value
//! guarantee). Here are the lease terms, the market rent and building values, and the
//! arithmetic of a tenant's stress and what it leads to; the monthly and quarterly
//! systems that apply them are in `real_estate::rent` and `real_estate::renegotiation`.

use bevy_ecs::prelude::*;

use crate::common::ids::AgentId;
use crate::common::math::logistic;
use crate::common::params::Params;
use bubblesim_config::LeaseConfig;

/// Where a lease stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LeaseStatus {
    /// In force: the tenant pays rent.
    Active,
    /// The tenant left at a break option (a lease-back: gave notice not to extend).
    Broken,
    /// The tenant stopped paying.
    Defaulted,
    /// The term ended with the building unused: no extension or renewal.
    Expired,
}

impl LeaseStatus {
    /// The status's label in the traces.
    pub fn label(self) -> &'static str {
        match self {
            LeaseStatus::Active => "active",
            LeaseStatus::Broken => "broken",
            LeaseStatus::Defaulted => "defaulted",
            LeaseStatus::Expired => "expired",
        }
    }
}

/// How a lease came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LeaseStructure {
    /// A sponsor's building let to a tenant: long term, a break option, no guarantee.
    Wholesale,
    /// A hyperscaler leasing back the building an SPV built for it: short initial term,
    /// extension options, a capped residual value guarantee.
    Leaseback,
}

impl LeaseStructure {
    /// The structure's label in the traces.
    pub fn label(self) -> &'static str {
        match self {
            LeaseStructure::Wholesale => "wholesale",
            LeaseStructure::Leaseback => "leaseback",
        }
    }
}

/// A lease of one building. Months are relative to the start month.
#[derive(Component, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Lease {
    /// The hyperscaler or cloud renting the building.
    pub tenant: AgentId,
    /// The building's owner: a sponsor, or for a lease-back the SPV.
    pub landlord: AgentId,
    /// The building leased.
    pub datacenter: AgentId,
    /// Wholesale lease or lease-back.
    pub structure: LeaseStructure,
    /// Rent in force, USD per month (escalated on anniversaries, lowered by rent cuts).
    pub rent_usd_per_month: f64,
    /// Rent is due from this month (the building's completion).
    pub start_month: i32,
    /// The first month the tenant may break (a lease-back: give notice not to extend).
    pub break_month: i32,
    /// End of the current term.
    pub end_month: i32,
    /// Extensions the tenant may still take, each of `extension_months`, at the
    /// escalated rent in force.
    pub extension_options_left: u32,
    /// Length of each extension, months.
    pub extension_months: i32,
    /// Residual value guarantee: what the tenant pays at most if it leaves before
    /// `rvg_end_month` (0 = none).
    pub rvg_cap_usd: f64,
    /// Month (relative to the start) the residual value guarantee lapses.
    pub rvg_end_month: i32,
    /// Where the lease stands.
    pub status: LeaseStatus,
    /// Rent cuts granted so far at renegotiation windows.
    pub rent_cuts: u32,
    /// The tenant's stress at the last renegotiation window.
    pub stress: f64,
    /// Whether stress is above `stress_event_threshold` (an event fires on crossing it).
    pub stress_flagged: bool,
    /// Modelled one-year probability that the tenant defaults, from the last renegotiation window.
    pub default_probability_1y: f64,
    /// Modelled one-year probability that the tenant leaves at a break or option date, from the last renegotiation window.
    pub exit_probability_1y: f64,
    /// The pool whose collateral this lease is, if a sponsor securitised it.
    pub pool: Option<AgentId>,
}

impl Lease {
    /// A sponsor's wholesale lease on the configured term and break option, with the
    /// one-year risks of an unstressed tenant until its first renegotiation window.
    pub fn wholesale(
        params: &Params,
        tenant: AgentId,
        landlord: AgentId,
        datacenter: AgentId,
        rent_usd_per_month: f64,
        start_month: i32,
    ) -> Self {
        let d = &params.datacenters;
        let mut lease = Self {
            tenant,
            landlord,
            datacenter,
            structure: LeaseStructure::Wholesale,
            rent_usd_per_month,
            start_month,
            break_month: start_month + months(d.break_option_years),
            end_month: start_month + months(d.lease_term_years),
            extension_options_left: 0,
            extension_months: 0,
            rvg_cap_usd: 0.0,
            rvg_end_month: start_month,
            status: LeaseStatus::Active,
            rent_cuts: 0,
            stress: 0.0,
            stress_flagged: false,
            default_probability_1y: 0.0,
            exit_probability_1y: 0.0,
            pool: None,
        };
        lease.assess(&params.leases, &StressInputs::default(), start_month);
        lease
    }

    /// A lease-back of an SPV's building: initial term, extension options, and a
    /// residual value guarantee capped at a share of the building's cost.
    pub fn leaseback(
        params: &Params,
        tenant: AgentId,
        spv: AgentId,
        datacenter: AgentId,
        rent_usd_per_month: f64,
        start_month: i32,
        cost_usd: f64,
    ) -> Self {
        let f = &params.financing;
        let end_month = start_month + months(f.spv_initial_term_years);
        let mut lease = Self {
            structure: LeaseStructure::Leaseback,
            break_month: end_month - NOTICE_MONTHS,
            end_month,
            extension_options_left: f.spv_extension_options,
            extension_months: months(f.spv_extension_years),
            rvg_cap_usd: f.rvg_cap_share_of_cost * cost_usd,
            rvg_end_month: start_month + months(f.rvg_years),
            ..Self::wholesale(params, tenant, spv, datacenter, rent_usd_per_month, start_month)
        };
        lease.assess(&params.leases, &StressInputs::default(), start_month);
        lease
    }

    /// Whether the tenant may leave at a renegotiation window in `month`: any time after
    /// the break date for a wholesale lease; a lease-back only in the notice window
    /// before an option date.
    pub fn may_break(&self, month: i32) -> bool {
        match self.structure {
            LeaseStructure::Wholesale => month >= self.break_month,
            LeaseStructure::Leaseback => month >= self.break_month && month < self.end_month,
        }
    }

    /// Updates the one-year default and exit probabilities from the tenant's stress.
    pub fn assess(&mut self, config: &LeaseConfig, inputs: &StressInputs, month: i32) {
        let (_, brk, default) = outcome_probabilities(config, inputs, true);
        let windows = (0..4).filter(|quarter| self.may_break(month + 3 * quarter)).count() as i32;
        self.default_probability_1y = 1.0 - (1.0 - default).powi(4);
        self.exit_probability_1y = 1.0 - (1.0 - brk).powi(windows);
    }
}

/// Notice a lease-back tenant gives before an option date (one renegotiation window).
pub(crate) const NOTICE_MONTHS: i32 = 3;

pub(crate) fn months(years: f64) -> i32 {
    (years * 12.0).round() as i32
}

/// Value of a building: market rent capitalised at the cap rate after operating costs.
pub fn building_value_usd(params: &Params, market_rent_usd_per_mw_month: f64, capacity_mw: f64) -> f64 {
    let f = &params.financing;
    market_rent_usd_per_mw_month * capacity_mw * 12.0 * f.building_noi_margin / f.building_cap_rate
}

/// Market rent per MW-month: the configured rent, escalated since the start, lowered by
/// vacancy: × (1 − vacancy)^vacancy_elasticity.
pub fn market_rent_usd_per_mw_month(params: &Params, years: f64, vacancy: f64) -> f64 {
    let d = &params.datacenters;
    d.rent_usd_per_mw_month * (1.0 + d.rent_escalator_per_year).powf(years) * (1.0 - vacancy).clamp(0.0, 1.0).powf(d.vacancy_elasticity)
}

/// The parts of a tenant's stress, each 0 … 1.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StressInputs {
    /// Share by which the tenant's AI revenue falls short of its plan.
    pub revenue_shortfall: f64,
    /// Share of the building's capacity its GPUs leave idle.
    pub idle_capacity: f64,
    /// Fall of the tenant's share price from its peak (0 for an unlisted tenant).
    pub share_drawdown: f64,
    /// Cash short of `cash_cover_months` of rent and interest.
    pub cash_shortfall: f64,
    /// Rent paid as a share of all the tenant's revenue, at most 1.
    pub rent_to_revenue: f64,
}

impl StressInputs {
    /// Stress, from what the tenant's cash says: revenue shortfall, idle capacity, cash
    /// shortfall and rent against revenue, plus the small weight on the share price.
    pub fn stress(&self, weights: &LeaseConfig) -> f64 {
        weights.weight_revenue_shortfall * self.revenue_shortfall
            + weights.weight_idle_capacity * self.idle_capacity
            + weights.weight_cash_shortfall * self.cash_shortfall
            + weights.weight_rent_to_revenue * self.rent_to_revenue
            + weights.weight_share_drawdown * self.share_drawdown
    }
}

/// What a tenant does in a renegotiation window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing changes.
    Keep,
    /// The tenant wins a rent cut of `leases.rent_cut_share` (not below the market rent).
    RentCut,
    /// The tenant leaves at its break option.
    Break,
    /// The tenant stops paying.
    Default,
}

/// Quarterly probabilities (cut, break, default) for a tenant's stress inputs. Break
/// needs the option to be exercisable.
pub fn outcome_probabilities(config: &LeaseConfig, inputs: &StressInputs, may_break: bool) -> (f64, f64, f64) {
    let stress = inputs.stress(config);
    let cut = logistic(config.cut_log_odds_base + config.cut_log_odds_per_stress * stress);
    let brk = if may_break {
        logistic(config.break_log_odds_base + config.break_log_odds_per_stress * stress)
    } else {
        0.0
    };
    let default = logistic(
        config.default_log_odds_base
            + config.default_log_odds_per_stress * stress
            + config.default_log_odds_per_cash_shortfall * inputs.cash_shortfall,
    );
    (cut, brk, default)
}

/// Draws the outcome from one uniform number: default first, then break, then cut.
pub fn draw_outcome(config: &LeaseConfig, inputs: &StressInputs, may_break: bool, u: f64) -> Outcome {
    let (cut, brk, default) = outcome_probabilities(config, inputs, may_break);
    if u < default {
        Outcome::Default
    } else if u < default + brk {
        Outcome::Break
    } else if u < (default + brk + cut).min(1.0) {
        Outcome::RentCut
    } else {
        Outcome::Keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stressed_tenants_renegotiate_more_often() {
        let config = bubblesim_config::Config::baseline().leases;
        let healthy = StressInputs::default();
        let stressed = StressInputs {
            revenue_shortfall: 0.5,
            idle_capacity: 0.6,
            share_drawdown: 0.5,
            cash_shortfall: 0.0,
            rent_to_revenue: 0.2,
        };
        assert!(stressed.stress(&config) > healthy.stress(&config));
        let rate = |inputs: &StressInputs| {
            let draws = 20_000;
            (0..draws)
                .filter(|&k| draw_outcome(&config, inputs, true, (k as f64 + 0.5) / draws as f64) != Outcome::Keep)
                .count() as f64
                / draws as f64
        };
        assert!(rate(&stressed) > 5.0 * rate(&healthy), "{} vs {}", rate(&stressed), rate(&healthy));
        // Each kind of request grows with stress, and a break needs the option.
        let (c0, b0, d0) = outcome_probabilities(&config, &healthy, true);
        let (c1, b1, d1) = outcome_probabilities(&config, &stressed, true);
        assert!(c1 > c0 && b1 > b0 && d1 > d0);
        assert_eq!(outcome_probabilities(&config, &stressed, false).1, 0.0);
        // A tenant short of cash defaults far more often than a rich one under the same stress.
        let broke = StressInputs {
            cash_shortfall: 1.0,
            ..stressed
        };
        assert!(outcome_probabilities(&config, &broke, true).2 > 20.0 * d1);
    }

    #[test]
    fn credit_reads_cash_more_than_the_share_price() {
        let config = bubblesim_config::Config::baseline().leases;
        let short_of_cash = StressInputs {
            cash_shortfall: 0.5,
            ..StressInputs::default()
        };
        let rent_heavy = StressInputs {
            rent_to_revenue: 0.5,
            ..StressInputs::default()
        };
        let sold_off = StressInputs {
            share_drawdown: 0.5,
            ..StressInputs::default()
        };
        assert!(short_of_cash.stress(&config) > 2.0 * sold_off.stress(&config));
        assert!(rent_heavy.stress(&config) > 2.0 * sold_off.stress(&config));
        assert!(sold_off.stress(&config) > 0.0, "the share price adds a little");
    }

    #[test]
    fn vacancy_lowers_market_rent() {
        let params = Params(std::sync::Arc::new(bubblesim_config::Config::baseline()));
        assert!(market_rent_usd_per_mw_month(&params, 1.0, 0.3) < market_rent_usd_per_mw_month(&params, 1.0, 0.0));
    }
}
