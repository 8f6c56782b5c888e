//! Setting up an SPV: equity from the sponsor and the tenant, the building, its
//! lease-back and an unplaced bond (sold to investors in the credit phase).

use bevy_ecs::prelude::*;

use crate::common::calendar::Clock;
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::common::spawn::Spawner;
use crate::finance::credit::Rating;
use crate::finance::securities::{Security, SecurityClass, fair_price};
use crate::finance::spv::vehicle::{NewBond, Spv, SpvDeal};
use crate::finance::waterfall::Tranche;
use crate::firms::firm::{Firm, FirmKind};
use crate::money::accounts::Accounts;
use crate::money::ledger::Ledger;
use crate::real_estate::construction::Construction;
use crate::real_estate::datacenters::DataCenter;
use crate::real_estate::leases::Lease;

/// Sets up an SPV: equity from sponsor and tenant, the building, its lease-back and an
/// unplaced bond. Returns (building, SPV).
pub fn create_spv(
    spawner: &mut Spawner,
    params: &Params,
    clock: &Clock,
    accounts: &mut Query<&mut Accounts>,
    ledger: &mut Ledger,
    deal: &SpvDeal,
) -> (AgentId, AgentId) {
    let f = &params.financing;
    let cost = params.datacenters.build_cost_usd_per_mw * deal.capacity_mw;
    let spv_id = spawner.allocate();
    let dc_id = spawner.allocate();
    let lease = Lease::leaseback(
        params,
        deal.tenant,
        spv_id,
        dc_id,
        deal.rent_usd_per_month,
        deal.completion_month,
        cost,
    );
    let bond = NewBond::price(params, &lease, cost, deal.market_rent_usd_per_mw_month, deal.capacity_mw);
    let (principal, coupon, pd, el, equity) = (
        bond.principal_usd,
        bond.coupon,
        bond.default_probability,
        bond.expected_loss,
        bond.equity_usd,
    );
    let sponsor_equity = equity * f.spv_sponsor_equity_share;
    let tenant_equity = equity - sponsor_equity;
    for (payer, amount) in [(deal.sponsor, sponsor_equity), (deal.tenant, tenant_equity)] {
        if let Ok(mut payer_accounts) = accounts.get_mut(spawner.directory().get(payer)) {
            payer_accounts.cash_usd -= amount;
            payer_accounts.month.investments_usd += amount;
        }
        ledger.pay(payer, spv_id, amount);
    }
    let lease_id = spawner.spawn(lease);
    let agency_pd = pd * (1.0 - params.ratings.optimism);
    let bond = spawner.spawn(Security {
        class: SecurityClass::LeaseBond,
        issuer: spv_id,
        sponsor: deal.sponsor,
        proceeds_to: spv_id,
        tranche: Tranche {
            principal_usd: principal,
            coupon,
        },
        original_principal_usd: principal,
        attachment: 0.0,
        detachment: 1.0,
        issue_month: clock.month as i32,
        placed: false,
        retained_share: 1.0,
        outside_share: 0.0,
        rating: Some(Rating::for_default_probability(agency_pd)),
        agency_default_probability: agency_pd,
        model_default_probability: pd,
        expected_loss: el,
        fair_price: fair_price(params, coupon, el),
        fire_sale_discount: 0.0,
        realised_loss_usd: 0.0,
        interest_shortfall_usd: 0.0,
        review_due: false,
        issuer_defaulted: false,
    });
    spawner.spawn_with_id(
        spv_id,
        (
            Firm {
                kind: FirmKind::Spv,
                name: std::sync::Arc::from(format!("spv-{}", dc_id.0)),
                active: true,
            },
            Accounts::with_cash(equity, principal, equity),
            Spv {
                sponsor: deal.sponsor,
                tenant: deal.tenant,
                datacenter: dc_id,
                leaseback: lease_id,
                bond,
                sponsor_equity_usd: sponsor_equity,
                tenant_equity_usd: tenant_equity,
                completion_month: deal.completion_month,
                guarantee_settled: false,
                defaulted: false,
            },
        ),
    );
    spawner.spawn_with_id(
        dc_id,
        (
            DataCenter {
                owner: spv_id,
                capacity_mw: deal.capacity_mw,
                completion_month: deal.completion_month,
                lease: Some(lease_id),
                tenant: Some(deal.tenant),
            },
            Construction {
                payer: spv_id,
                cost_usd: cost,
                spent_usd: 0.0,
                months: params.capex.build_months,
                ready_month: clock.month as i32 + params.capex.build_months as i32,
            },
        ),
    );
    (dc_id, spv_id)
}
