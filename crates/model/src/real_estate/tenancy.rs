//! Tenancy, month by month: tenants pay rent, and each quarter every tenant's stress —
//! AI revenue short of plan, idle capacity in the building, a falling share price —
//! raises the log-odds that it asks for a rent cut, uses its break option (once allowed)
//! or defaults; a default also needs financial distress (cash short of
//! `cash_cover_months` of rent and interest). The landlord grants a cut only down to the
//! market rent, which falls with vacancy. The landlord's income follows: a cut lowers it,
//! a break or default stops it and leaves the building vacant, and the tenant's GPUs in
//! it are retired and written off. The lease terms and the stress arithmetic are in
//! `real_estate::leases`.

use crate::common::calendar::Clock;
use crate::common::directory::Directory;
use crate::common::events::{EventKind, EventLog};
use crate::common::ids::AgentId;
use crate::common::params::{Params, Seed};
use crate::common::rng::{Purpose, uniform};
use crate::compute::fleet::FleetIndex;
use crate::compute::generations::{Generations, GpuCohort};
use crate::compute::market::ComputeMarket;
use crate::firms::firm::Firm;
use crate::firms::listed::Listed;
use crate::firms::roles::Provider;
use crate::money::accounts::Accounts;
use crate::money::ledger::Ledger;
use crate::real_estate::datacenters::{DataCenter, vacancy_share};
use crate::real_estate::leases::{
    Lease, LeaseStatus, NOTICE_MONTHS, Outcome, StressInputs, draw_outcome, market_rent_usd_per_mw_month, months,
};
use bevy_ecs::prelude::*;
use std::collections::BTreeMap;

/// Monthly: tenants pay rent, escalators apply on anniversaries, terms end.
pub fn pay_lease_rent(
    params: Res<Params>,
    clock: Res<Clock>,
    directory: Res<Directory>,
    fleet: Res<FleetIndex>,
    mut leases: Query<(&AgentId, &mut Lease)>,
    mut datacenters: Query<(&AgentId, &mut DataCenter)>,
    mut accounts: Query<&mut Accounts>,
    mut events: ResMut<EventLog>,
    mut ledger: ResMut<Ledger>,
) {
    let month = clock.month as i32;
    let years = clock.years_elapsed();
    let vacancy = vacancy_share(datacenters.iter().sort::<&AgentId>().map(|(_, dc)| dc), clock.month);
    for (&id, mut lease) in leases.iter_mut().sort::<&AgentId>() {
        if lease.status != LeaseStatus::Active || month < lease.start_month {
            continue;
        }
        if month >= lease.end_month {
            // At term: take an extension option, or renew at market rent, if the tenant
            // still uses the building.
            let in_use = fleet.datacenter_generations(lease.datacenter).any(|(_, gpus)| gpus > 0);
            if in_use && lease.extension_options_left > 0 {
                lease.extension_options_left -= 1;
                lease.end_month += lease.extension_months;
                lease.break_month = lease.end_month - NOTICE_MONTHS;
            } else if in_use {
                let capacity = datacenters
                    .get(directory.get(lease.datacenter))
                    .map(|(_, dc)| dc.capacity_mw)
                    .unwrap_or(0.0);
                lease.rent_usd_per_month = market_rent_usd_per_mw_month(&params, years, vacancy) * capacity;
                lease.start_month = month;
                lease.break_month = month + months(params.datacenters.break_option_years);
                lease.end_month = month + months(params.datacenters.lease_term_years);
            } else {
                lease.status = LeaseStatus::Expired;
                if let Ok((_, mut dc)) = datacenters.get_mut(directory.get(lease.datacenter)) {
                    dc.vacate();
                }
                events.record(
                    &clock,
                    EventKind::LeaseExpiry,
                    id,
                    Some(lease.tenant),
                    None,
                    "term ended with the building unused".to_owned(),
                );
                continue;
            }
        }
        // Anniversaries escalate the rent (an extension keeps the lease's anniversaries).
        if month > lease.start_month && (month - lease.start_month) % 12 == 0 {
            lease.rent_usd_per_month *= 1.0 + params.datacenters.rent_escalator_per_year;
        }
        let rent = lease.rent_usd_per_month;
        if let Ok(mut tenant) = accounts.get_mut(directory.get(lease.tenant)) {
            tenant.cash_usd -= rent;
            tenant.month.lease_cost_usd += rent;
        }
        if let Ok(mut landlord) = accounts.get_mut(directory.get(lease.landlord)) {
            landlord.cash_usd += rent;
            landlord.month.lease_income_usd += rent;
        }
        ledger.pay(lease.tenant, lease.landlord, rent);
    }
}

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
    }
}

/// Quarterly: each active lease's tenant may ask for a cut, break or default.
pub fn renegotiate_leases(
    params: Res<Params>,
    seed: Res<Seed>,
    clock: Res<Clock>,
    directory: Res<Directory>,
    fleet: Res<FleetIndex>,
    generations: Res<Generations>,
    market: Res<ComputeMarket>,
    mut leases: Query<(&AgentId, &mut Lease)>,
    mut datacenters: Query<(&AgentId, &mut DataCenter)>,
    tenants: Query<(&Firm, &Provider, Option<&Listed>)>,
    mut accounts: Query<&mut Accounts>,
    mut cohorts: Query<(&AgentId, &mut GpuCohort)>,
    mut events: ResMut<EventLog>,
) {
    let config = &params.leases;
    let month = clock.month as i32;
    let years = clock.years_elapsed();
    let vacancy = vacancy_share(datacenters.iter().sort::<&AgentId>().map(|(_, dc)| dc), clock.month);
    let market_rent_per_mw = market_rent_usd_per_mw_month(&params, years, vacancy);
    let mut vacated: Vec<(AgentId, AgentId)> = Vec::new(); // (building, tenant)
    for (&id, mut lease) in leases.iter_mut().sort::<&AgentId>() {
        if lease.status != LeaseStatus::Active || month < lease.start_month {
            continue;
        }
        let Ok((tenant_firm, provider, listed)) = tenants.get(directory.get(lease.tenant)) else {
            continue;
        };
        // A tenant the scenario sends away stops paying at its first review from the
        // shock's month, whatever its stress.
        let shock = &params.shock;
        let walks = !shock.walk_away_firm.is_empty() && *tenant_firm.name == *shock.walk_away_firm && clock.month >= shock.start_month;
        let Ok(tenant_accounts) = accounts.get(directory.get(lease.tenant)) else {
            continue;
        };
        let mut inputs = tenant_inputs(&params, years, tenant_accounts, provider, listed);
        let mut market_rent = 0.0;
        if let Ok((_, dc)) = datacenters.get(directory.get(lease.datacenter)) {
            market_rent = market_rent_per_mw * dc.capacity_mw;
            let busy_watts: f64 = fleet
                .datacenter_generations(lease.datacenter)
                .map(|(generation, gpus)| gpus as f64 * generations.get(generation).power_watts() as f64 * market.utilisation(generation))
                .sum();
            inputs.idle_capacity = (1.0 - busy_watts / dc.capacity_watts() as f64).clamp(0.0, 1.0);
        }
        let stress = inputs.stress(config);
        lease.stress = stress;
        lease.assess(config, &inputs, month);
        if stress >= config.stress_event_threshold && !lease.stress_flagged {
            events.record(
                &clock,
                EventKind::TenantStress,
                id,
                Some(lease.tenant),
                Some(lease.rent_usd_per_month),
                format!(
                    "tenant stress {stress:.2}: revenue {:.0}% short of plan, {:.0}% idle, shares {:.0}% off peak",
                    inputs.revenue_shortfall * 100.0,
                    inputs.idle_capacity * 100.0,
                    inputs.share_drawdown * 100.0
                ),
            );
        }
        lease.stress_flagged = stress >= config.stress_event_threshold;
        let u = uniform(seed.0, Purpose::Leases, clock.tick, id.0, 0);
        let outcome = if walks {
            Outcome::Default
        } else {
            draw_outcome(config, &inputs, lease.may_break(month), u)
        };
        let (kind, detail) = match outcome {
            Outcome::Keep => continue,
            // The landlord would rather keep the rent it can get from the market.
            Outcome::RentCut if lease.rent_usd_per_month * (1.0 - config.rent_cut_share) < market_rent => continue,
            Outcome::RentCut => {
                let old = lease.rent_usd_per_month;
                lease.rent_usd_per_month *= 1.0 - config.rent_cut_share;
                lease.rent_cuts += 1;
                (
                    EventKind::LeaseRentCut,
                    format!(
                        "rent cut from ${old:.0} to ${:.0} a month at stress {stress:.2}",
                        lease.rent_usd_per_month
                    ),
                )
            }
            Outcome::Break => {
                lease.status = LeaseStatus::Broken;
                (EventKind::LeaseBreak, format!("break option used at stress {stress:.2}"))
            }
            Outcome::Default => {
                lease.status = LeaseStatus::Defaulted;
                let why = if walks {
                    "walks away (the scenario's shock)".to_owned()
                } else {
                    format!("stops paying at stress {stress:.2}")
                };
                (EventKind::LeaseDefault, format!("tenant {why}"))
            }
        };
        if matches!(outcome, Outcome::Break | Outcome::Default) {
            vacated.push((lease.datacenter, lease.tenant));
            if let Ok((_, mut dc)) = datacenters.get_mut(directory.get(lease.datacenter)) {
                dc.vacate();
            }
        }
        events.record(&clock, kind, id, Some(lease.tenant), Some(lease.rent_usd_per_month), detail);
    }
    // A tenant that leaves a building retires the GPUs in it and writes off their book.
    if vacated.is_empty() {
        return;
    }
    vacated.sort();
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
        if let Ok(mut accounts) = accounts.get_mut(directory.get(owner)) {
            accounts.month.impairment_usd += book;
        }
        events.record(
            &clock,
            EventKind::Retirement,
            owner,
            Some(building),
            Some(book),
            format!("{count} GPU cohorts retired with the building the tenant left"),
        );
    }
}
