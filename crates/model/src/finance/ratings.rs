//! Credit assessment and ratings (docs/model.md#credit-risk-prices-and-ratings). Each
//! month the model re-assesses every security from the state of its collateral:
//! tenants' modelled default and exit probabilities (set at each renegotiation window
//! from their stress), buildings' values at the market rent (which falls with vacancy),
//! an SPV's cash and guarantee. That gives the one-year probability that holders lose
//! money, the expected loss and the model price. The rating agency moves its own
//! estimate only part of the way towards the model's at each review (`lag_quarters`)
//! and shades it down (`optimism`); it reviews every quarter and whenever a deal's
//! collateral has an event. A rating is the grade whose historical default rate is
//! nearest the agency's estimate.

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use crate::common::calendar::Clock;
use crate::common::directory::Directory;
use crate::common::events::{EventKind, EventLog};
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::finance::credit::Rating;
use crate::finance::securities::{LoanRisk, Pool, Security, SecurityClass, assess_pool, assess_spv_bond, fair_price};
use crate::finance::spv::vehicle::Spv;
use crate::money::accounts::Accounts;
use crate::real_estate::construction::Construction;
use crate::real_estate::datacenters::{DataCenter, vacancy_share};
use crate::real_estate::leases::{Lease, building_value_usd, market_rent_usd_per_mw_month};

/// What a security's risk is assessed from: the leases, buildings and sites behind it.
#[derive(SystemParam)]
pub struct CollateralView<'w, 's> {
    directory: Res<'w, Directory>,
    leases: Query<'w, 's, &'static Lease>,
    datacenters: Query<'w, 's, (&'static AgentId, &'static DataCenter)>,
    sites: Query<'w, 's, &'static Construction>,
}

/// Monthly: every security's modelled default probability, expected loss and price.
pub fn assess_securities(
    params: Res<Params>,
    clock: Res<Clock>,
    pools: Query<(&AgentId, &Pool)>,
    spvs: Query<(&AgentId, &Spv, &Accounts)>,
    mut securities: Query<&mut Security>,
    collateral: CollateralView,
) {
    let CollateralView {
        directory,
        leases,
        datacenters,
        sites,
    } = collateral;
    let f = &params.financing;
    let month = clock.month as i32;
    let vacancy = vacancy_share(datacenters.iter().sort::<&AgentId>().map(|(_, dc)| dc), clock.month);
    let rent_per_mw = market_rent_usd_per_mw_month(&params, clock.years_elapsed(), vacancy);
    let sale_value = |building: AgentId| {
        datacenters.get(directory.get(building)).map_or(0.0, |(_, dc)| {
            building_value_usd(&params, rent_per_mw, dc.capacity_mw) * (1.0 - f.liquidation_haircut)
        })
    };
    let mut assessed: Vec<(AgentId, f64, f64)> = Vec::new();
    for (_, pool) in pools.iter().sort::<&AgentId>() {
        let risks: Vec<LoanRisk> = pool
            .collateral
            .iter()
            .filter(|c| c.performing)
            .filter_map(|c| {
                let lease = leases.get(directory.get(c.lease)).ok()?;
                Some(LoanRisk::of(lease, c.loan_usd, sale_value(c.datacenter)))
            })
            .collect();
        let principals: Vec<f64> = pool
            .tranches
            .iter()
            .map(|&id| securities.get(directory.get(id)).map_or(0.0, |s| s.tranche.principal_usd))
            .collect();
        for (&id, (pd, el)) in pool.tranches.iter().zip(assess_pool(&params, &risks, &principals)) {
            assessed.push((id, pd, el));
        }
    }
    for (_, spv, accounts) in spvs.iter().sort::<&AgentId>() {
        let Ok(bond) = securities.get(directory.get(spv.bond)) else {
            continue;
        };
        let current_lease = datacenters
            .get(directory.get(spv.datacenter))
            .ok()
            .and_then(|(_, dc)| dc.lease)
            .and_then(|id| leases.get(directory.get(id)).ok());
        let guarantee = match leases.get(directory.get(spv.leaseback)) {
            Ok(leaseback) if !spv.guarantee_settled && month < leaseback.rvg_end_month => leaseback.rvg_cap_usd,
            _ => 0.0,
        };
        let (interest, amortisation) = spv.debt_service_usd(bond, &params, month.max(spv.completion_month));
        // Cash still owed to the builders does not cover the bonds.
        let unspent = sites
            .get(directory.get(spv.datacenter))
            .map_or(0.0, |site| (site.cost_usd - site.spent_usd).max(0.0));
        let (pd, el) = assess_spv_bond(
            &params,
            bond.tranche.principal_usd,
            sale_value(spv.datacenter),
            accounts.cash_usd - unspent,
            guarantee,
            current_lease,
            interest + amortisation,
        );
        assessed.push((spv.bond, pd, el));
    }
    for (id, pd, el) in assessed {
        let Ok(mut security) = securities.get_mut(directory.get(id)) else {
            continue;
        };
        if security.tranche.principal_usd <= 0.0 {
            continue;
        }
        security.model_default_probability = pd;
        security.expected_loss = el;
        security.fair_price = if security.class == SecurityClass::Equity {
            100.0 * (1.0 - el)
        } else {
            fair_price(&params, security.tranche.coupon, el)
        };
    }
}

/// The agency's next estimate: part of the way from its last towards the (shaded) model's.
pub fn agency_estimate(params: &Params, last: f64, model: f64) -> f64 {
    let target = model * (1.0 - params.ratings.optimism);
    last + (target - last) / (1.0 + params.ratings.lag_quarters)
}

/// Monthly: quarterly reviews, and reviews of deals whose collateral had an event.
pub fn review_ratings(
    params: Res<Params>,
    clock: Res<Clock>,
    mut securities: Query<(&AgentId, &mut Security)>,
    mut events: ResMut<EventLog>,
) {
    let quarterly = clock.quarter_start;
    for (&id, mut security) in securities.iter_mut().sort::<&AgentId>() {
        let due = quarterly || security.review_due;
        security.review_due = false;
        let Some(old) = security.rating else {
            continue;
        };
        if !due || security.tranche.principal_usd <= 0.0 {
            continue;
        }
        let estimate = agency_estimate(&params, security.agency_default_probability, security.model_default_probability);
        security.agency_default_probability = estimate;
        let new = Rating::for_default_probability(estimate);
        if new == old {
            continue;
        }
        security.rating = Some(new);
        let kind = if new > old {
            EventKind::RatingDowngrade
        } else {
            EventKind::RatingUpgrade
        };
        events.record(
            &clock,
            kind,
            id,
            Some(security.issuer),
            Some(security.tranche.principal_usd),
            format!(
                "{} {} → {} (agency PD {:.3}%, model PD {:.3}%){}",
                security.class.label(),
                old.label(),
                new.label(),
                estimate * 100.0,
                security.model_default_probability * 100.0,
                if old.investment_grade() && !new.investment_grade() {
                    ": below investment grade"
                } else {
                    ""
                }
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_agency_lags_and_shades_the_model() {
        let params = Params(std::sync::Arc::new(bubblesim_config::Config::baseline()));
        let model = 0.05;
        let first = agency_estimate(&params, 0.0, model);
        assert!(first > 0.0 && first < model * (1.0 - params.ratings.optimism));
        let mut estimate = first;
        for _ in 0..50 {
            estimate = agency_estimate(&params, estimate, model);
        }
        assert!((estimate - model * (1.0 - params.ratings.optimism)).abs() < 1e-9);
    }
}
