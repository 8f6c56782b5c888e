//! Renegotiation, each quarter: every tenant's stress — what its cash says: AI revenue
//! short of plan, idle capacity in the building, cash short of `cash_cover_months` of
//! rent and interest, rent against its revenue; a falling share price only through a
//! small weight — raises the log-odds that it asks for a rent cut, uses its break
//! option (once allowed) or defaults; a default also needs financial distress (the cash
//! shortfall weighs on it again).
//! The landlord grants a cut only down to the market rent, which falls with vacancy. A
//! break or default leaves the building vacant, and the tenant's GPUs in it are retired
//! and written off. The stress arithmetic is in `real_estate::leases`.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;
use bubblesim_config::LeaseConfig;

use crate::common::calendar::Clock;
use crate::common::events::{EventKind, EventLog};
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::common::rng::{Purpose, uniform};
use crate::common::today::Today;
use crate::compute::generations::GpuCohort;
use crate::compute::view::ComputeView;
use crate::firms::firm::Firm;
use crate::firms::listed::Listed;
use crate::firms::roles::Provider;
use crate::money::accounts::Accounts;
use crate::money::bookkeeping::FirmBooks;
use crate::real_estate::datacenters::{DataCenter, vacancy_share};
use crate::real_estate::leases::{Lease, LeaseStatus, Outcome, StressInputs, draw_outcome, market_rent_usd_per_mw_month};

/// A tenant's firm-level stress inputs (everything but the building's idle share); the
/// cash shortfall is measured against `cash_cover_months` of rent and interest.
fn tenant_inputs(params: &Params, years: f64, accounts: &Accounts, provider: &Provider, listed: Option<&Listed>) -> StressInputs {
    let plan_per_month = provider.plan_base_ai_revenue_usd_per_month * (1.0 + params.leases.plan_growth_per_year).powf(years);
    let actual_per_month = accounts.ai_revenue.annualised() / 12.0;
    let fixed_charges = params.leases.cash_cover_months * (accounts.last_month.lease_cost_usd + accounts.last_month.interest_usd);
    StressInputs {
        revenue_shortfall: if plan_per_month > 0.0 {
            (1.0 - actual_per_month / plan_per_month).clamp(0.0, 1.0)
        } else {
            0.0
        },
        idle_capacity: 0.0,
        share_drawdown: listed.map(Listed::drawdown).unwrap_or(0.0).clamp(0.0, 1.0),
        cash_shortfall: if fixed_charges > 0.0 {
            (1.0 - accounts.cash_usd / fixed_charges).clamp(0.0, 1.0)
        } else {
            0.0
        },
        rent_to_revenue: {
            let revenue = accounts.revenue.annualised();
            let rent = 12.0 * accounts.last_month.lease_cost_usd;
            if revenue > 0.0 {
                (rent / revenue).clamp(0.0, 1.0)
            } else if rent > 0.0 {
                1.0
            } else {
                0.0
            }
        },
    }
}

/// Records a tenant's stress on its lease (and its modelled default and exit odds), with
/// an event the first time it crosses `stress_event_threshold`.
fn record_stress(
    config: &LeaseConfig,
    clock: &Clock,
    (id, lease): (AgentId, &mut Lease),
    inputs: &StressInputs,
    events: &mut EventLog,
) -> f64 {
    let month = clock.month as i32;
    let stress = inputs.stress(config);
    lease.stress = stress;
    lease.assess(config, inputs, month);
    if stress >= config.stress_event_threshold && !lease.stress_flagged {
        events.record(
            clock,
            EventKind::TenantStress,
            id,
            Some(lease.tenant),
            Some(lease.rent_usd_per_month),
            format!(
                "tenant stress {stress:.2}: revenue {:.0}% short of plan, {:.0}% idle, cash {:.0}% short of cover, rent {:.0}% of revenue, shares {:.0}% off peak",
                inputs.revenue_shortfall * 100.0,
                inputs.idle_capacity * 100.0,
                inputs.cash_shortfall * 100.0,
                inputs.rent_to_revenue * 100.0,
                inputs.share_drawdown * 100.0
            ),
        );
    }
    lease.stress_flagged = stress >= config.stress_event_threshold;
    stress
}

/// Applies an outcome to the lease: a cut (only down to the market rent: the landlord
/// would rather keep what the market pays), a break or a default. Returns the event to
/// record, or None when nothing changes.
fn apply_outcome(
    config: &LeaseConfig,
    lease: &mut Lease,
    outcome: Outcome,
    (stress, market_rent, walks): (f64, f64, bool),
) -> Option<(EventKind, String)> {
    match outcome {
        Outcome::Keep => None,
        Outcome::RentCut if lease.rent_usd_per_month * (1.0 - config.rent_cut_share) < market_rent => None,
        Outcome::RentCut => {
            let old = lease.rent_usd_per_month;
            lease.rent_usd_per_month *= 1.0 - config.rent_cut_share;
            lease.rent_cuts += 1;
            Some((
                EventKind::LeaseRentCut,
                format!(
                    "rent cut from ${old:.0} to ${:.0} a month at stress {stress:.2}",
                    lease.rent_usd_per_month
                ),
            ))
        }
        Outcome::Break => {
            lease.status = LeaseStatus::Broken;
            Some((EventKind::LeaseBreak, format!("break option used at stress {stress:.2}")))
        }
        Outcome::Default => {
            lease.status = LeaseStatus::Defaulted;
            let why = if walks {
                "walks away (the scenario's shock)".to_owned()
            } else {
                format!("stops paying at stress {stress:.2}")
            };
            Some((EventKind::LeaseDefault, format!("tenant {why}")))
        }
    }
}

/// A tenant that leaves a building retires the GPUs it has in it and writes off their
/// book value. `vacated` holds (building, tenant), sorted.
fn retire_with_buildings(
    clock: &Clock,
    vacated: &[(AgentId, AgentId)],
    cohorts: &mut Query<(&AgentId, &mut GpuCohort)>,
    books: &mut FirmBooks,
) {
    let mut written_off: BTreeMap<(AgentId, AgentId), (u32, f64)> = BTreeMap::new();
    for (_, mut cohort) in cohorts.iter_mut().sort::<&AgentId>() {
        if cohort.retired || vacated.binary_search(&(cohort.datacenter, cohort.owner)).is_err() {
            continue;
        }
        let entry = written_off.entry((cohort.owner, cohort.datacenter)).or_default();
        entry.0 += 1;
        entry.1 += cohort.book_value_usd;
        cohort.book_value_usd = 0.0;
        cohort.economic_value_usd = 0.0;
        cohort.utilisation = 0.0;
        cohort.retired = true;
        cohort.retired_tick = clock.tick;
    }
    for ((owner, building), (count, book)) in written_off {
        if let Ok(mut accounts) = books.accounts.get_mut(books.directory.get(owner)) {
            accounts.month.impairment_usd += book;
        }
        books.events.record(
            clock,
            EventKind::Retirement,
            owner,
            Some(building),
            Some(book),
            format!("{count} GPU cohorts retired with the building the tenant left"),
        );
    }
}

/// Whether the scenario sends this tenant away from its leases today: it stops paying at
/// its first review from the shock's month, whatever its stress.
fn walks_away(params: &Params, clock: &Clock, tenant: &Firm) -> bool {
    let shock = &params.shock;
    !shock.walk_away_firm.is_empty() && *tenant.name == *shock.walk_away_firm && clock.month >= shock.start_month
}

/// Quarterly: each active lease's tenant may ask for a cut, break or default.
pub fn renegotiate_leases(
    today: Today,
    compute: ComputeView,
    mut leases: Query<(&AgentId, &mut Lease)>,
    mut datacenters: Query<(&AgentId, &mut DataCenter)>,
    tenants: Query<(&Firm, &Provider, Option<&Listed>)>,
    mut cohorts: Query<(&AgentId, &mut GpuCohort)>,
    mut books: FirmBooks,
) {
    let (params, clock) = (&*today.params, &*today.clock);
    let config = &params.leases;
    let month = clock.month as i32;
    let years = clock.years_elapsed();
    let vacancy = vacancy_share(datacenters.iter().sort::<&AgentId>().map(|(_, dc)| dc), clock.month);
    let market_rent_per_mw = market_rent_usd_per_mw_month(params, years, vacancy);
    let mut vacated: Vec<(AgentId, AgentId)> = Vec::new(); // (building, tenant)
    for (&id, mut lease) in leases.iter_mut().sort::<&AgentId>() {
        if lease.status != LeaseStatus::Active || month < lease.start_month {
            continue;
        }
        let Ok((tenant_firm, provider, listed)) = tenants.get(books.directory.get(lease.tenant)) else {
            continue;
        };
        let walks = walks_away(params, clock, tenant_firm);
        let Ok(tenant_accounts) = books.accounts.get(books.directory.get(lease.tenant)) else {
            continue;
        };
        let mut inputs = tenant_inputs(params, years, tenant_accounts, provider, listed);
        let mut market_rent = 0.0;
        if let Ok((_, dc)) = datacenters.get(books.directory.get(lease.datacenter)) {
            market_rent = market_rent_per_mw * dc.capacity_mw;
            inputs.idle_capacity = (1.0 - compute.busy_watts(lease.datacenter) / dc.capacity_watts() as f64).clamp(0.0, 1.0);
        }
        let stress = record_stress(config, clock, (id, &mut lease), &inputs, &mut books.events);
        let u = uniform(today.seed.0, Purpose::Leases, clock.tick, id.0, 0);
        let outcome = if walks {
            Outcome::Default
        } else {
            draw_outcome(config, &inputs, lease.may_break(month), u)
        };
        let Some((kind, detail)) = apply_outcome(config, &mut lease, outcome, (stress, market_rent, walks)) else {
            continue;
        };
        if matches!(outcome, Outcome::Break | Outcome::Default) {
            vacated.push((lease.datacenter, lease.tenant));
            if let Ok((_, mut dc)) = datacenters.get_mut(books.directory.get(lease.datacenter)) {
                dc.vacate();
            }
        }
        books
            .events
            .record(clock, kind, id, Some(lease.tenant), Some(lease.rent_usd_per_month), detail);
    }
    if vacated.is_empty() {
        return;
    }
    vacated.sort();
    retire_with_buildings(clock, &vacated, &mut cohorts, &mut books);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lease(rent: f64) -> Lease {
        let params = Params(std::sync::Arc::new(bubblesim_config::Config::baseline()));
        Lease::wholesale(&params, AgentId(1), AgentId(2), AgentId(3), rent, 0)
    }

    #[test]
    fn a_landlord_cuts_rent_only_down_to_the_market_and_breaks_and_defaults_end_the_lease() {
        let config = bubblesim_config::Config::baseline().leases;
        let mut rich = lease(100.0);
        let cut = apply_outcome(&config, &mut rich, Outcome::RentCut, (0.5, 10.0, false));
        assert_eq!(cut.map(|(kind, _)| kind), Some(EventKind::LeaseRentCut));
        assert!(rich.rent_usd_per_month < 100.0 && rich.rent_cuts == 1);
        let mut at_market = lease(100.0);
        assert_eq!(apply_outcome(&config, &mut at_market, Outcome::RentCut, (0.5, 99.0, false)), None);
        assert_eq!(at_market.rent_usd_per_month, 100.0);
        let mut broken = lease(100.0);
        assert_eq!(
            apply_outcome(&config, &mut broken, Outcome::Break, (0.5, 0.0, false)).map(|(k, _)| k),
            Some(EventKind::LeaseBreak)
        );
        assert_eq!(broken.status, LeaseStatus::Broken);
        let mut walked = lease(100.0);
        let (kind, detail) = apply_outcome(&config, &mut walked, Outcome::Default, (0.1, 0.0, true)).unwrap();
        assert_eq!((kind, walked.status), (EventKind::LeaseDefault, LeaseStatus::Defaulted));
        assert!(detail.contains("walks away"));
        assert_eq!(apply_outcome(&config, &mut lease(1.0), Outcome::Keep, (0.0, 0.0, false)), None);
    }
}
