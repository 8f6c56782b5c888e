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
    /// The sponsor: puts in `financing.spv_sponsor_equity_share` of the equity and buys the
    /// building if the SPV defaults.
    pub sponsor: AgentId,
    /// The hyperscaler that leases the building back and puts in the rest of the equity.
    pub tenant: AgentId,
    /// The building it owns.
    pub datacenter: AgentId,
    /// The original lease-back, whose guarantee protects the bond.
    pub leaseback: AgentId,
    /// The bond it sold.
    pub bond: AgentId,
    /// Equity the sponsor put in, USD.
    pub sponsor_equity_usd: f64,
    /// Equity the tenant put in, USD.
    pub tenant_equity_usd: f64,
    /// Month the building is finished, relative to the start: rent and amortisation begin.
    pub completion_month: i32,
    /// The lease-back has ended and its residual value guarantee was called (whatever it paid).
    pub guarantee_settled: bool,
    /// It could not serve the bond: the sponsor took the building and the SPV stopped.
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
    /// The sponsor that arranges it.
    pub sponsor: AgentId,
    /// The hyperscaler that will lease the building back.
    pub tenant: AgentId,
    /// The building's capacity, MW.
    pub capacity_mw: f64,
    /// Rent under the lease-back, USD per month.
    pub rent_usd_per_month: f64,
    /// Today's market rent, USD per MW per month (values the building for the bond).
    pub market_rent_usd_per_mw_month: f64,
    /// Month the building will be finished (relative to the start).
    pub completion_month: i32,
}

/// The bond a new SPV would sell: sized on the cost, priced at par on its modelled risk
/// with the debt-service reserve as its only cash cover.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NewBond {
    /// `financing.spv_bond_share_of_cost` × the building's cost, USD.
    pub principal_usd: f64,
    /// Par coupon, per year.
    pub coupon: f64,
    /// Modelled one-year probability that holders lose money.
    pub default_probability: f64,
    /// Modelled expected loss, share of principal.
    pub expected_loss: f64,
    /// Equity the SPV needs: the cost the bond does not cover, the coupons until the
    /// building earns rent, and the debt-service reserve.
    pub equity_usd: f64,
}

impl NewBond {
    /// Sizes and prices the bond of a building costing `cost_usd` (USD), let under `lease`.
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::finance::waterfall::Tranche;

    #[test]
    fn a_new_bond_covers_its_share_of_the_cost_and_equity_covers_the_rest() {
        let params = Params(Arc::new(bubblesim_config::Config::baseline()));
        let f = &params.financing;
        let (cost, rent_per_mw, capacity) = (3e9, 150_000.0, 300.0);
        let lease = proposed_leaseback(&params, AgentId(1), rent_per_mw * capacity, 12, cost);
        let bond = NewBond::price(&params, &lease, cost, rent_per_mw, capacity);
        assert!((bond.principal_usd - f.spv_bond_share_of_cost * cost).abs() < 1e-3);
        // Equity pays the cost the bond does not, and more (interest while building, the reserve).
        assert!(bond.equity_usd > cost - bond.principal_usd);
        assert!(bond.spread(&params) >= 0.0 && bond.coupon >= f.risk_free_rate);
        assert!((0.0..=1.0).contains(&bond.default_probability) && (0.0..=1.0).contains(&bond.expected_loss));
    }

    #[test]
    fn debt_service_amortises_only_once_the_building_is_finished() {
        let params = Params(Arc::new(bubblesim_config::Config::baseline()));
        let spv = Spv {
            sponsor: AgentId(1),
            tenant: AgentId(2),
            datacenter: AgentId(3),
            leaseback: AgentId(4),
            bond: AgentId(5),
            sponsor_equity_usd: 4e8,
            tenant_equity_usd: 1e8,
            completion_month: 12,
            guarantee_settled: false,
            defaulted: false,
        };
        let bond = Security {
            class: crate::finance::securities::SecurityClass::LeaseBond,
            issuer: AgentId(6),
            sponsor: AgentId(1),
            proceeds_to: AgentId(6),
            tranche: Tranche {
                principal_usd: 2.4e9,
                coupon: 0.06,
            },
            original_principal_usd: 2.4e9,
            attachment: 0.0,
            detachment: 1.0,
            issue_month: 0,
            placed: true,
            retained_share: 0.0,
            outside_share: 0.0,
            rating: None,
            agency_default_probability: 0.0,
            model_default_probability: 0.0,
            expected_loss: 0.0,
            fair_price: 100.0,
            fire_sale_discount: 0.0,
            realised_loss_usd: 0.0,
            interest_shortfall_usd: 0.0,
            review_due: false,
            issuer_defaulted: false,
        };
        let (interest, building) = spv.debt_service_usd(&bond, &params, 6);
        assert!((interest - 2.4e9 * 0.06 / 12.0).abs() < 1e-6 && building == 0.0);
        let (_, finished) = spv.debt_service_usd(&bond, &params, 12);
        let expected = 2.4e9 / (params.financing.bond_amortisation_years * 12.0);
        assert!((finished - expected).abs() < 1e-6);
    }
}
