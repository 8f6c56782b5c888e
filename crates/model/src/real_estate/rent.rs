//! Rent, month by month: each active lease's tenant pays its landlord; anniversaries
//! escalate the rent; at term a tenant still using the building takes an extension
//! option or renews at the market rent, and one that does not leaves it vacant.

use bevy_ecs::prelude::*;

use crate::common::calendar::Clock;
use crate::common::events::EventKind;
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::compute::fleet::FleetIndex;
use crate::money::bookkeeping::FirmBooks;
use crate::real_estate::datacenters::{DataCenter, vacancy_share};
use crate::real_estate::leases::{Lease, LeaseStatus, NOTICE_MONTHS, market_rent_usd_per_mw_month, months};

/// What a lease does at the end of its term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtTerm {
    /// The tenant takes an extension option.
    Extend,
    /// The tenant renews at the market rent.
    Renew,
    /// The building is unused: the lease expires.
    Expire,
}

/// What a lease at its end does: a tenant still using the building extends while it has
/// options, then renews; an unused building's lease expires.
pub fn at_term(in_use: bool, extension_options_left: u32) -> AtTerm {
    match (in_use, extension_options_left > 0) {
        (true, true) => AtTerm::Extend,
        (true, false) => AtTerm::Renew,
        (false, _) => AtTerm::Expire,
    }
}

/// Whether `month` is an anniversary of a lease that started in `start_month` (rent
/// escalates then; an extension keeps the lease's anniversaries).
pub fn is_anniversary(month: i32, start_month: i32) -> bool {
    month > start_month && (month - start_month) % 12 == 0
}

/// Monthly: tenants pay rent, escalators apply on anniversaries, terms end.
pub fn pay_lease_rent(
    params: Res<Params>,
    clock: Res<Clock>,
    fleet: Res<FleetIndex>,
    mut leases: Query<(&AgentId, &mut Lease)>,
    mut datacenters: Query<(&AgentId, &mut DataCenter)>,
    mut books: FirmBooks,
) {
    let month = clock.month as i32;
    let years = clock.years_elapsed();
    let vacancy = vacancy_share(datacenters.iter().sort::<&AgentId>().map(|(_, dc)| dc), clock.month);
    for (&id, mut lease) in leases.iter_mut().sort::<&AgentId>() {
        if lease.status != LeaseStatus::Active || month < lease.start_month {
            continue;
        }
        if month >= lease.end_month {
            let in_use = fleet.datacenter_generations(lease.datacenter).any(|(_, gpus)| gpus > 0);
            match at_term(in_use, lease.extension_options_left) {
                AtTerm::Extend => {
                    lease.extension_options_left -= 1;
                    lease.end_month += lease.extension_months;
                    lease.break_month = lease.end_month - NOTICE_MONTHS;
                }
                AtTerm::Renew => {
                    let capacity = datacenters
                        .get(books.directory.get(lease.datacenter))
                        .map(|(_, dc)| dc.capacity_mw)
                        .unwrap_or(0.0);
                    lease.rent_usd_per_month = market_rent_usd_per_mw_month(&params, years, vacancy) * capacity;
                    lease.start_month = month;
                    lease.break_month = month + months(params.datacenters.break_option_years);
                    lease.end_month = month + months(params.datacenters.lease_term_years);
                }
                AtTerm::Expire => {
                    lease.status = LeaseStatus::Expired;
                    if let Ok((_, mut dc)) = datacenters.get_mut(books.directory.get(lease.datacenter)) {
                        dc.vacate();
                    }
                    books.events.record(
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
        }
        if is_anniversary(month, lease.start_month) {
            lease.rent_usd_per_month *= 1.0 + params.datacenters.rent_escalator_per_year;
        }
        let rent = lease.rent_usd_per_month;
        if let Ok(mut tenant) = books.accounts.get_mut(books.directory.get(lease.tenant)) {
            tenant.cash_usd -= rent;
            tenant.month.lease_cost_usd += rent;
        }
        if let Ok(mut landlord) = books.accounts.get_mut(books.directory.get(lease.landlord)) {
            landlord.cash_usd += rent;
            landlord.month.lease_income_usd += rent;
        }
        books.ledger.pay(lease.tenant, lease.landlord, rent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_used_building_is_extended_then_renewed_and_an_unused_one_expires() {
        assert_eq!(at_term(true, 2), AtTerm::Extend);
        assert_eq!(at_term(true, 0), AtTerm::Renew);
        assert_eq!(at_term(false, 2), AtTerm::Expire);
    }

    #[test]
    fn rent_escalates_on_anniversaries_only() {
        assert!(!is_anniversary(10, 10), "not in the first month");
        assert!(is_anniversary(22, 10) && is_anniversary(34, 10));
        assert!(!is_anniversary(23, 10));
    }
}
