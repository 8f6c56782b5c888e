//! An SPV and the terms of its deal: the vehicle (one building, one lease-back, one
//! bond), what a new one needs to know, and the bond it would sell — sized on the cost,
//! priced at par on its modelled risk.

use bevy_ecs::prelude::*;

use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::finance::securities::{Security, assess_spv_bond, par_coupon};
use crate::real_estate::leases::{Lease, building_value_usd};

/// An SPV: one building, one lease-back, one bond.
#[derive(Component, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Spv {
    pub sponsor: AgentId,
    pub tenant: AgentId,
    pub datacenter: AgentId,
    /// The original lease-back, whose guarantee protects the bond.
    pub leaseback: AgentId,
    pub bond: AgentId,
    pub sponsor_equity_usd: f64,
    pub tenant_equity_usd: f64,
    pub completion_month: i32,
    pub guarantee_settled: bool,
    pub defaulted: bool,
}

impl Spv {
    /// Coupon plus scheduled amortisation due in `month`.
    pub fn debt_service_usd(&self, bond: &Security, params: &Params, month: i32) -> (f64, f64) {
        let interest = bond.tranche.principal_usd * bond.tranche.coupon / 12.0;
        let amortisation = if month >= self.completion_month {
            (bond.original_principal_usd / (params.financing.bond_amortisation_years * 12.0)).min(bond.tranche.principal_usd)
        } else {
            0.0
        };
        (interest, amortisation)
    }
}

/// What a new SPV building needs to know.
pub struct SpvDeal {
    pub sponsor: AgentId,
    pub tenant: AgentId,
    pub capacity_mw: f64,
    pub rent_usd_per_month: f64,
    pub market_rent_usd_per_mw_month: f64,
    pub completion_month: i32,
}

/// The bond a new SPV would sell: sized on the cost, priced at par on its modelled risk
/// with the debt-service reserve as its only cash cover.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NewBond {
    pub principal_usd: f64,
    pub coupon: f64,
    pub default_probability: f64,
    pub expected_loss: f64,
    /// Equity the SPV needs: the cost the bond does not cover, the coupons until the
    /// building earns rent, and the debt-service reserve.
    pub equity_usd: f64,
}

impl NewBond {
    pub fn price(params: &Params, lease: &Lease, cost_usd: f64, market_rent_usd_per_mw_month: f64, capacity_mw: f64) -> Self {
        let f = &params.financing;
        let principal = f.spv_bond_share_of_cost * cost_usd;
        let sale_value = building_value_usd(params, market_rent_usd_per_mw_month, capacity_mw) * (1.0 - f.liquidation_haircut);
        let amortisation = principal / (f.bond_amortisation_years * 12.0);
        let reserve = |coupon: f64| f.spv_reserve_months * (principal * coupon / 12.0 + amortisation);
        let riskless_coupon = par_coupon(params, 0.0);
        let (pd, el) = assess_spv_bond(
            params,
            principal,
            sale_value,
            reserve(riskless_coupon),
            lease.rvg_cap_usd,
            Some(lease),
            0.0,
        );
        let coupon = par_coupon(params, el);
        let construction_interest = principal * coupon / 12.0 * f64::from(params.capex.build_months + 1);
        Self {
            principal_usd: principal,
            coupon,
            default_probability: pd,
            expected_loss: el,
            equity_usd: (cost_usd - principal).max(0.0) + construction_interest + reserve(coupon),
        }
    }

    /// The bond's spread over risk-free: what off-balance-sheet debt costs the tenant.
    pub fn spread(&self, params: &Params) -> f64 {
        self.coupon - params.financing.risk_free_rate
    }
}

/// A lease-back as an SPV would offer it to `tenant` now (for pricing, not spawned).
pub fn proposed_leaseback(params: &Params, tenant: AgentId, rent_usd_per_month: f64, completion_month: i32, cost_usd: f64) -> Lease {
    Lease::leaseback(
        params,
        tenant,
        AgentId(0),
        AgentId(0),
        rent_usd_per_month,
        completion_month,
        cost_usd,
    )
}
