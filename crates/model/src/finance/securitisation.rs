//! Securitisation (docs/model.md#securitisation-and-the-waterfall). Each quarter a
//! sponsor with `pool_size` paying wholesale leases not yet pooled borrows against them
//! through a pool: a loan of `advance_rate` × the building's value per lease, cut into
//! senior / mezzanine / equity tranches by attachment point. Senior and mezzanine
//! tranches are sold to investors at a par coupon (risk-free + liquidity premium +
//! expected loss) the same day; the sponsor keeps the equity tranche and whatever
//! investors did not buy. From the next month the pooled leases' rent runs through the
//! waterfall: losses are written off from the bottom, interest is paid senior first,
//! and a breached coverage test diverts the rest to the senior tranche; what is left
//! goes back to the sponsor. When a pooled lease ends (default, break, expiry) its loan
//! stops performing: the sponsor buys it out at the building's liquidation value, which
//! repays principal senior first (before the coverage test), and the shortfall is a
//! loss written off from the bottom.

use bevy_ecs::prelude::*;

use crate::common::calendar::Clock;
use crate::common::directory::{Directory, KeyAgents};
use crate::common::events::{EventKind, EventLog};
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::common::spawn::Spawner;
use crate::finance::books::IssuerBooks;
use crate::finance::credit::Rating;
use crate::finance::securities::{Collateral, LoanRisk, Pool, Security, SecurityClass, assess_pool, fair_price, par_coupon};
use crate::finance::waterfall::{Tranche, pay_principal_sequential, run_month};
use crate::money::ledger::REST_OF_ECONOMY;
use crate::real_estate::datacenters::{DataCenter, vacancy_share};
use crate::real_estate::leases::{Lease, LeaseStatus, LeaseStructure, building_value_usd, market_rent_usd_per_mw_month};

/// Market rent per MW-month now, for building values.
fn market_rent_now(params: &Params, clock: &Clock, datacenters: &Query<(&AgentId, &DataCenter)>) -> f64 {
    let vacancy = vacancy_share(datacenters.iter().sort::<&AgentId>().map(|(_, dc)| dc), clock.month);
    market_rent_usd_per_mw_month(params, clock.years_elapsed(), vacancy)
}

/// A building's value at the market rent now.
fn value_usd(
    params: &Params,
    rent_per_mw: f64,
    datacenters: &Query<(&AgentId, &DataCenter)>,
    directory: &Directory,
    building: AgentId,
) -> f64 {
    datacenters
        .get(directory.get(building))
        .map_or(0.0, |(_, dc)| building_value_usd(params, rent_per_mw, dc.capacity_mw))
}

/// Quarterly: sponsors pool their unpooled paying wholesale leases.
pub fn securitise_leases(
    params: Res<Params>,
    clock: Res<Clock>,
    key: Res<KeyAgents>,
    mut leases: Query<(&AgentId, &mut Lease)>,
    datacenters: Query<(&AgentId, &DataCenter)>,
    mut events: ResMut<EventLog>,
    mut spawner: Spawner,
) {
    let s = &params.securitisation;
    let size = s.pool_size as usize;
    if size == 0 {
        return;
    }
    let month = clock.month as i32;
    let rent_per_mw = market_rent_now(&params, &clock, &datacenters);
    for &sponsor in &key.sponsors {
        let candidates: Vec<AgentId> = leases
            .iter()
            .sort::<&AgentId>()
            .filter(|(_, l)| {
                l.landlord == sponsor
                    && l.structure == LeaseStructure::Wholesale
                    && l.status == LeaseStatus::Active
                    && l.pool.is_none()
                    && month >= l.start_month
            })
            .map(|(&id, _)| id)
            .collect();
        for group in candidates.chunks_exact(size) {
            let pool_id = spawner.allocate();
            let mut collateral = Vec::with_capacity(size);
            let mut risks = Vec::with_capacity(size);
            for &lease_id in group {
                let Ok((_, mut lease)) = leases.get_mut(spawner.directory().get(lease_id)) else {
                    continue;
                };
                let value = value_usd(&params, rent_per_mw, &datacenters, spawner.directory(), lease.datacenter);
                let sale_value = value * (1.0 - params.financing.liquidation_haircut);
                let loan = s.advance_rate * value;
                lease.pool = Some(pool_id);
                risks.push(LoanRisk::of(&lease, loan, sale_value));
                collateral.push(Collateral {
                    lease: lease_id,
                    datacenter: lease.datacenter,
                    loan_usd: loan,
                    performing: true,
                });
            }
            let total: f64 = collateral.iter().map(|c| c.loan_usd).sum();
            let bounds = [
                (s.senior_attachment, 1.0),
                (s.mezzanine_attachment, s.senior_attachment),
                (0.0, s.mezzanine_attachment),
            ];
            let principals: Vec<f64> = bounds.iter().map(|(a, d)| (d - a) * total).collect();
            let risk = assess_pool(&params, &risks, &principals);
            let classes = [SecurityClass::Senior, SecurityClass::Mezzanine, SecurityClass::Equity];
            let mut tranches = Vec::with_capacity(3);
            for k in 0..3 {
                let (pd, el) = risk[k];
                let equity = classes[k] == SecurityClass::Equity;
                let coupon = if equity { 0.0 } else { par_coupon(&params, el) };
                let agency_pd = pd * (1.0 - params.ratings.optimism);
                let id = spawner.spawn(Security {
                    class: classes[k],
                    issuer: pool_id,
                    sponsor,
                    proceeds_to: sponsor,
                    tranche: Tranche {
                        principal_usd: principals[k],
                        coupon,
                    },
                    original_principal_usd: principals[k],
                    attachment: bounds[k].0,
                    detachment: bounds[k].1,
                    issue_month: month,
                    // The sponsor keeps the equity tranche: nothing to sell.
                    placed: equity,
                    retained_share: 1.0,
                    outside_share: 0.0,
                    rating: (!equity).then(|| Rating::for_default_probability(agency_pd)),
                    agency_default_probability: agency_pd,
                    model_default_probability: pd,
                    expected_loss: el,
                    fair_price: if equity {
                        100.0 * (1.0 - el)
                    } else {
                        fair_price(&params, coupon, el)
                    },
                    fire_sale_discount: 0.0,
                    realised_loss_usd: 0.0,
                    interest_shortfall_usd: 0.0,
                    review_due: false,
                    issuer_defaulted: false,
                });
                if equity {
                    events.record(
                        &clock,
                        EventKind::SecurityIssued,
                        id,
                        Some(pool_id),
                        Some(principals[k]),
                        format!("equity tranche (first loss, unrated) kept by sponsor {}", sponsor.0),
                    );
                }
                tranches.push(id);
            }
            spawner.spawn_with_id(
                pool_id,
                Pool {
                    sponsor,
                    collateral,
                    tranches,
                },
            );
        }
    }
}

/// Monthly, after rent: collateral events and the waterfall of every pool.
pub fn service_pools(
    params: Res<Params>,
    clock: Res<Clock>,
    mut pools: Query<(&AgentId, &mut Pool)>,
    leases: Query<&Lease>,
    datacenters: Query<(&AgentId, &DataCenter)>,
    mut securities: Query<&mut Security>,
    books: IssuerBooks,
) {
    let IssuerBooks {
        directory,
        mut accounts,
        mut cashflows,
        mut events,
        mut ledger,
    } = books;
    let month = clock.month as i32;
    let rent_per_mw = market_rent_now(&params, &clock, &datacenters);
    for (&pool_id, mut pool) in pools.iter_mut().sort::<&AgentId>() {
        // A pool pays from the month after it is issued.
        let issued_this_month = pool
            .tranches
            .first()
            .and_then(|&id| securities.get(directory.get(id)).ok())
            .is_some_and(|s| s.issue_month == month);
        if issued_this_month {
            continue;
        }
        let (mut loss, mut recovered, mut rent) = (0.0, 0.0, 0.0);
        let mut collateral_event = false;
        for collateral in pool.collateral.iter_mut().filter(|c| c.performing) {
            let Ok(lease) = leases.get(directory.get(collateral.lease)) else {
                continue;
            };
            if lease.status == LeaseStatus::Active {
                if month >= lease.start_month {
                    rent += lease.rent_usd_per_month;
                }
                continue;
            }
            // The lease has ended: the sponsor buys the loan out at the building's sale value.
            collateral.performing = false;
            collateral_event = true;
            let sale_value = value_usd(&params, rent_per_mw, &datacenters, &directory, collateral.datacenter)
                * (1.0 - params.financing.liquidation_haircut);
            let recovery = collateral.loan_usd.min(sale_value);
            recovered += recovery;
            loss += collateral.loan_usd - recovery;
            events.record(
                &clock,
                EventKind::CollateralEnded,
                pool_id,
                Some(collateral.lease),
                Some(collateral.loan_usd - recovery),
                format!(
                    "lease {}: loan ${:.0}, building sold to the sponsor for ${recovery:.0}",
                    lease.status.label(),
                    collateral.loan_usd
                ),
            );
        }
        let balance = pool.performing_balance_usd();
        let mut tranches: Vec<Tranche> = pool
            .tranches
            .iter()
            .map(|&id| {
                securities.get(directory.get(id)).map_or(
                    Tranche {
                        principal_usd: 0.0,
                        coupon: 0.0,
                    },
                    |s| s.tranche,
                )
            })
            .collect();
        // Buy-outs repay the seniors before the coverage test compares what is left.
        let (recovery_paid, _) = pay_principal_sequential(&mut tranches, recovered);
        let result = run_month(&mut tranches, rent, loss, balance, params.securitisation.coverage_trigger);
        let sponsor = pool.sponsor;
        for (k, &security_id) in pool.tranches.iter().enumerate() {
            let Ok(mut security) = securities.get_mut(directory.get(security_id)) else {
                continue;
            };
            let payment = result.payments[k];
            let principal = payment.principal_paid_usd + recovery_paid[k];
            security.tranche = tranches[k];
            security.interest_shortfall_usd += payment.interest_shortfall_usd;
            security.review_due |= collateral_event;
            let external = 1.0 - security.retained_share;
            // The sponsor collected the rent and buys out ended loans: it pays out what
            // investors are owed; its own share stays with it.
            if let Ok(mut sponsor_accounts) = accounts.get_mut(directory.get(sponsor)) {
                sponsor_accounts.cash_usd -= external * (payment.interest_paid_usd + principal);
                sponsor_accounts.month.interest_usd += external * payment.interest_paid_usd;
                sponsor_accounts.month.impairment_usd += security.retained_share * payment.loss_usd;
                // Through the paying agent (in the rest of the economy) to the holders.
                ledger.pay(sponsor, REST_OF_ECONOMY, external * (payment.interest_paid_usd + principal));
            }
            let entry = cashflows.paid.entry(security_id).or_default();
            entry.interest_usd += payment.interest_paid_usd;
            entry.principal_usd += principal;
            if payment.loss_usd > 0.0 {
                security.realised_loss_usd += payment.loss_usd;
                events.record(
                    &clock,
                    EventKind::TrancheLoss,
                    security_id,
                    Some(pool_id),
                    Some(payment.loss_usd),
                    format!(
                        "{} tranche written down by ${:.0} to ${:.0} ({:.0}% of original lost)",
                        security.class.label(),
                        payment.loss_usd,
                        security.tranche.principal_usd,
                        security.realised_loss_usd / security.original_principal_usd * 100.0
                    ),
                );
            }
        }
    }
}
