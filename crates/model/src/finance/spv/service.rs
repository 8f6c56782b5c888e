//! An SPV's month, after rent: the guarantee called once if the tenant left the
//! lease-back within the guarantee period, then the bond's coupon and amortisation and a
//! distribution of what exceeds the reserve — or, when the SPV's cash cannot pay, its
//! default: the sponsor buys the building at its liquidation value, the bond gets that
//! and the SPV's cash, the rest is written off, and the equity holders lose their stake.

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use crate::common::calendar::Clock;
use crate::common::events::EventKind;
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::finance::books::IssuerBooks;
use crate::finance::securities::{Security, TranchePaid};
use crate::finance::spv::vehicle::Spv;
use crate::firms::firm::Firm;
use crate::money::ledger::REST_OF_ECONOMY;
use crate::real_estate::construction::Construction;
use crate::real_estate::datacenters::{DataCenter, vacancy_share};
use crate::real_estate::leases::{Lease, LeaseStatus, building_value_usd, market_rent_usd_per_mw_month};

/// What an SPV owns: the lease-back, the building and its site.
#[derive(SystemParam)]
pub struct SpvAssets<'w, 's> {
    leases: Query<'w, 's, &'static mut Lease>,
    datacenters: Query<'w, 's, (&'static AgentId, &'static mut DataCenter)>,
    sites: Query<'w, 's, &'static mut Construction>,
}

/// Pays a bond's holders: the SPV's cash goes out, the sponsor receives its retained
/// share, and investors' shares are left in `cashflows` for them to collect. The paying
/// agent that passes them on is in the rest of the economy, which keeps what is due to
/// holders outside the model.
fn pay_bond(books: &mut IssuerBooks, bond: &mut Security, bond_id: AgentId, paid: TranchePaid, spv: AgentId) {
    bond.tranche.principal_usd -= paid.principal_usd;
    if let Some(mut own) = books.accounts_mut(spv) {
        own.cash_usd -= paid.interest_usd + paid.principal_usd;
        own.month.interest_usd += paid.interest_usd;
    }
    let retained = bond.retained_share;
    if retained > 0.0
        && let Some(mut sponsor) = books.accounts_mut(bond.sponsor)
    {
        sponsor.cash_usd += retained * (paid.interest_usd + paid.principal_usd);
        sponsor.month.investment_income_usd += retained * paid.interest_usd;
        books
            .ledger
            .pay(spv, bond.sponsor, retained * (paid.interest_usd + paid.principal_usd));
        books
            .ledger
            .pay(spv, REST_OF_ECONOMY, (1.0 - retained) * (paid.interest_usd + paid.principal_usd));
    } else {
        books.ledger.pay(spv, REST_OF_ECONOMY, paid.interest_usd + paid.principal_usd);
    }
    let entry = books.cashflows.paid.entry(bond_id).or_default();
    entry.interest_usd += paid.interest_usd;
    entry.principal_usd += paid.principal_usd;
}

/// The share of the SPV's equity the sponsor put in.
fn sponsor_share(spv: &Spv) -> f64 {
    spv.sponsor_equity_usd / (spv.sponsor_equity_usd + spv.tenant_equity_usd).max(f64::MIN_POSITIVE)
}

/// The tenant left the lease-back within the guarantee period: it pays the shortfall of
/// the building's sale value against the bonds, up to the cap and its cash, straight to
/// the bondholders. Called once (the guarantee is settled whatever it pays).
fn call_guarantee(
    (clock, spv_id, spv): (&Clock, AgentId, &mut Spv),
    leaseback: &Lease,
    bond: &mut Security,
    sale_value: f64,
    books: &mut IssuerBooks,
) {
    spv.guarantee_settled = true;
    bond.review_due = true;
    if clock.month as i32 >= leaseback.rvg_end_month {
        return;
    }
    let principal = bond.tranche.principal_usd;
    let claim = leaseback.rvg_cap_usd.min((principal - sale_value).max(0.0));
    let paid = books.cash(spv.tenant).map_or(0.0, |cash| claim.min(cash.max(0.0)));
    let detail = if claim > 0.0 {
        format!(
            "tenant left ({}); guarantee pays ${paid:.0} of a ${claim:.0} claim (cap ${:.0}, bonds ${principal:.0}, building would fetch ${sale_value:.0}); it prepays the bonds",
            leaseback.status.label(),
            leaseback.rvg_cap_usd,
        )
    } else {
        format!(
            "tenant left ({}); nothing to pay: the building would fetch ${sale_value:.0}, more than the bonds' ${principal:.0}",
            leaseback.status.label()
        )
    };
    books
        .events
        .record(clock, EventKind::GuaranteeCalled, spv_id, Some(spv.tenant), Some(paid), detail);
    if paid <= 0.0 {
        return;
    }
    if let Some(mut tenant) = books.accounts_mut(spv.tenant) {
        tenant.cash_usd -= paid;
        tenant.month.other_costs_usd += paid;
    }
    if let Some(mut own) = books.accounts_mut(spv_id) {
        own.cash_usd += paid;
        own.month.investment_income_usd += paid;
    }
    // The guarantee protects the lenders: it goes straight to them.
    let prepaid = TranchePaid {
        interest_usd: 0.0,
        principal_usd: paid.min(principal),
    };
    books.ledger.pay(spv.tenant, spv_id, paid);
    pay_bond(books, bond, spv.bond, prepaid, spv_id);
}

/// Pays the month's coupon and amortisation, then, while the building earns rent,
/// distributes what exceeds `spv_reserve_months` of debt service to the equity holders
/// pro rata.
fn serve_debt(
    params: &Params,
    (spv_id, spv): (AgentId, &Spv),
    bond: &mut Security,
    due: TranchePaid,
    leased: bool,
    books: &mut IssuerBooks,
) {
    pay_bond(books, bond, spv.bond, due, spv_id);
    let Some(mut own) = books.accounts_mut(spv_id) else { return };
    own.debt_usd = bond.tranche.principal_usd;
    // Months of debt service kept before distributing cash.
    let reserve = params.financing.spv_reserve_months * (due.interest_usd + due.principal_usd);
    let excess = own.cash_usd - reserve;
    if !(leased && excess > 0.0) {
        return;
    }
    own.cash_usd -= excess;
    own.month.dividends_usd += excess;
    let sponsor_share = sponsor_share(spv);
    for (holder, amount) in [(spv.sponsor, excess * sponsor_share), (spv.tenant, excess * (1.0 - sponsor_share))] {
        if let Some(mut holder_accounts) = books.accounts_mut(holder) {
            holder_accounts.cash_usd += amount;
            holder_accounts.month.investment_income_usd += amount;
        }
        books.ledger.pay(spv_id, holder, amount);
    }
}

/// Payment default: the sponsor buys the building at its liquidation value; the bond
/// gets that and the SPV's cash (interest first), the rest of its principal is written
/// off; what is left goes to the equity holders, whose stakes are lost; the sponsor
/// takes over the building, its lease and any construction still to pay.
fn default_spv(
    clock: &Clock,
    (spv_id, spv, firm): (AgentId, &mut Spv, &mut Firm),
    bond: &mut Security,
    (due, cash, sale_value): (TranchePaid, f64, f64),
    assets: &mut SpvAssets,
    books: &mut IssuerBooks,
) {
    let interest = due.interest_usd;
    spv.defaulted = true;
    firm.active = false;
    let owed = bond.tranche.principal_usd;
    let mut available = cash.max(0.0) + sale_value;
    if let Some(mut sponsor) = books.accounts_mut(spv.sponsor) {
        sponsor.cash_usd -= sale_value;
        sponsor.month.capex_usd += sale_value;
        // Its SPV equity is lost.
        sponsor.month.impairment_usd += spv.sponsor_equity_usd;
    }
    books.ledger.pay(spv.sponsor, spv_id, sale_value);
    if let Some(mut tenant) = books.accounts_mut(spv.tenant) {
        tenant.month.impairment_usd += spv.tenant_equity_usd;
    }
    let interest_paid = interest.min(available);
    available -= interest_paid;
    let principal_paid = owed.min(available);
    available -= principal_paid;
    let loss = owed - principal_paid;
    bond.interest_shortfall_usd += interest - interest_paid;
    if let Some(mut own) = books.accounts_mut(spv_id) {
        own.cash_usd += sale_value;
    }
    let paid = TranchePaid {
        interest_usd: interest_paid,
        principal_usd: principal_paid,
    };
    pay_bond(books, bond, spv.bond, paid, spv_id);
    bond.tranche.principal_usd = 0.0;
    bond.issuer_defaulted = true;
    bond.realised_loss_usd += loss;
    bond.review_due = true;
    // What is left after the bond goes to the equity holders pro rata; the sponsor
    // also bears its retained share of the bond's loss.
    let mut leftover = 0.0;
    if let Some(mut own) = books.accounts_mut(spv_id) {
        own.debt_usd = 0.0;
        leftover = own.cash_usd.max(0.0);
        own.cash_usd -= leftover;
    }
    let sponsor_share = sponsor_share(spv);
    if let Some(mut sponsor) = books.accounts_mut(spv.sponsor) {
        sponsor.cash_usd += leftover * sponsor_share;
        sponsor.month.impairment_usd += bond.retained_share * loss;
    }
    if let Some(mut tenant) = books.accounts_mut(spv.tenant) {
        tenant.cash_usd += leftover * (1.0 - sponsor_share);
    }
    books.ledger.pay(spv_id, spv.sponsor, leftover * sponsor_share);
    books.ledger.pay(spv_id, spv.tenant, leftover * (1.0 - sponsor_share));
    // A building still under construction is finished by its new owner.
    if let Ok(mut site) = assets.sites.get_mut(books.directory.get(spv.datacenter)) {
        site.payer = spv.sponsor;
    }
    debug_assert!(available >= -1e-6);
    if let Ok((_, mut dc)) = assets.datacenters.get_mut(books.directory.get(spv.datacenter)) {
        dc.owner = spv.sponsor;
        if let Some(lease_id) = dc.lease
            && let Ok(mut lease) = assets.leases.get_mut(books.directory.get(lease_id))
        {
            lease.landlord = spv.sponsor;
        }
    }
    books.events.record(
        clock,
        EventKind::SpvDefault,
        spv_id,
        Some(spv.sponsor),
        Some(sale_value),
        format!(
            "cash ${cash:.0} short of ${:.0} due; building sold to the sponsor",
            due.interest_usd + due.principal_usd
        ),
    );
    if loss > 0.0 {
        books.events.record(
            clock,
            EventKind::TrancheLoss,
            spv.bond,
            Some(spv_id),
            Some(loss),
            format!("bond written off: ${loss:.0} of ${owed:.0} lost"),
        );
    }
}

/// Monthly, after rent: guarantees, debt service, distributions and defaults.
pub fn service_spvs(
    params: Res<Params>,
    clock: Res<Clock>,
    mut spvs: Query<(&AgentId, &mut Spv, &mut Firm)>,
    mut bonds: Query<&mut Security>,
    mut assets: SpvAssets,
    mut books: IssuerBooks,
) {
    let f = &params.financing;
    let month = clock.month as i32;
    let vacancy = vacancy_share(assets.datacenters.iter().sort::<&AgentId>().map(|(_, dc)| dc), clock.month);
    let rent_per_mw = market_rent_usd_per_mw_month(&params, clock.years_elapsed(), vacancy);
    for (&spv_id, mut spv, mut firm) in spvs.iter_mut().sort::<&AgentId>() {
        if spv.defaulted {
            continue;
        }
        let Ok((_, building)) = assets.datacenters.get(books.directory.get(spv.datacenter)) else {
            continue;
        };
        let sale_value = building_value_usd(&params, rent_per_mw, building.capacity_mw) * (1.0 - f.liquidation_haircut);
        let leased = building.tenant.is_some() && building.completed(clock.month);
        let Ok(mut bond) = bonds.get_mut(books.directory.get(spv.bond)) else {
            continue;
        };
        if !spv.guarantee_settled
            && let Ok(leaseback) = assets.leases.get(books.directory.get(spv.leaseback))
            && leaseback.status != LeaseStatus::Active
        {
            call_guarantee((&clock, spv_id, &mut spv), leaseback, &mut bond, sale_value, &mut books);
        }
        let (interest, amortisation) = spv.debt_service_usd(&bond, &params, month);
        let due = TranchePaid {
            interest_usd: interest,
            principal_usd: amortisation,
        };
        let cash = books.cash(spv_id).unwrap_or(0.0);
        if cash + 1e-6 >= interest + amortisation {
            serve_debt(&params, (spv_id, &spv), &mut bond, due, leased, &mut books);
        } else {
            default_spv(
                &clock,
                (spv_id, &mut spv, &mut firm),
                &mut bond,
                (due, cash, sale_value),
                &mut assets,
                &mut books,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::common::directory::Directory;
    use crate::finance::securities::SecurityCashflows;
    use crate::prelude::Accounts;
    use crate::prelude::EventLog;
    use std::sync::Arc;

    use bevy_ecs::system::RunSystemOnce;

    use super::*;
    use crate::finance::credit::Rating;
    use crate::finance::securities::SecurityClass;
    use crate::finance::waterfall::Tranche;
    use crate::firms::firm::FirmKind;

    const SPONSOR: AgentId = AgentId(1);
    const TENANT: AgentId = AgentId(2);
    const SPV: AgentId = AgentId(3);
    const BUILDING: AgentId = AgentId(4);
    const LEASE: AgentId = AgentId(5);
    const BOND: AgentId = AgentId(6);

    /// One let SPV building with its bond, a quarter of it kept by the sponsor; the
    /// lease-back's status and the SPV's cash are the test's to choose.
    fn world(lease_status: LeaseStatus, spv_cash: f64, tenant_cash: f64) -> World {
        let params = Params(Arc::new(bubblesim_config::Config::baseline()));
        let cost = 3e9;
        let mut lease = Lease::leaseback(&params, TENANT, SPV, BUILDING, 4.8e7, 0, cost);
        lease.status = lease_status;
        let principal = 2.7e9;
        let bond = Security {
            class: SecurityClass::LeaseBond,
            issuer: SPV,
            sponsor: SPONSOR,
            proceeds_to: SPV,
            tranche: Tranche {
                principal_usd: principal,
                coupon: 0.065,
            },
            original_principal_usd: principal,
            attachment: 0.0,
            detachment: 1.0,
            issue_month: 0,
            placed: true,
            retained_share: 0.25,
            outside_share: 0.0,
            rating: Some(Rating::A),
            agency_default_probability: 0.0005,
            model_default_probability: 0.0005,
            expected_loss: 0.0,
            fair_price: 100.0,
            fire_sale_discount: 0.0,
            realised_loss_usd: 0.0,
            interest_shortfall_usd: 0.0,
            review_due: false,
            issuer_defaulted: false,
        };
        let spv = Spv {
            sponsor: SPONSOR,
            tenant: TENANT,
            datacenter: BUILDING,
            leaseback: LEASE,
            bond: BOND,
            sponsor_equity_usd: 4e8,
            tenant_equity_usd: 1e8,
            completion_month: 0,
            guarantee_settled: false,
            defaulted: false,
        };
        let firm = |kind| Firm {
            kind,
            name: Arc::from("x"),
            active: true,
        };
        let let_to = (lease_status == LeaseStatus::Active).then_some(TENANT);
        fn put(world: &mut World, directory: &mut Directory, id: AgentId, bundle: impl Bundle) {
            let entity = world.spawn((id, bundle)).id();
            directory.insert(id, entity);
        }
        let mut world = World::new();
        let mut directory = Directory::default();
        let d = &mut directory;
        put(
            &mut world,
            d,
            SPONSOR,
            (firm(FirmKind::Sponsor), Accounts::with_cash(2e10, 0.0, 2e10)),
        );
        put(
            &mut world,
            d,
            TENANT,
            (firm(FirmKind::Hyperscaler), Accounts::with_cash(tenant_cash, 0.0, 1e11)),
        );
        put(
            &mut world,
            d,
            SPV,
            (firm(FirmKind::Spv), Accounts::with_cash(spv_cash, principal, 5e8), spv),
        );
        put(
            &mut world,
            d,
            BUILDING,
            DataCenter {
                owner: SPV,
                capacity_mw: 300.0,
                completion_month: 0,
                lease: let_to.map(|_| LEASE),
                tenant: let_to,
            },
        );
        put(&mut world, d, LEASE, lease);
        put(&mut world, d, BOND, bond);
        let mut clock = Clock::new(crate::common::calendar::days_from_civil(2025, 1, 2), 10.0);
        clock.month = 13;
        world.insert_resource(params);
        world.insert_resource(clock);
        world.insert_resource(directory);
        world.insert_resource(SecurityCashflows::default());
        world.insert_resource(EventLog::default());
        world
    }

    /// Cash of sponsor, tenant and SPV together.
    fn inside_cash(world: &mut World) -> f64 {
        let mut query = world.query::<(&AgentId, &Accounts)>();
        let mut all: Vec<(AgentId, f64)> = query.iter(world).map(|(&id, a)| (id, a.cash_usd)).collect();
        all.sort_by_key(|(id, _)| *id);
        all.iter().map(|(_, cash)| cash).sum()
    }

    /// Runs a month and checks that what left the three is exactly what the bond's
    /// outside holders were paid; returns the world and the events.
    fn month_conserves_money(mut world: World) -> (World, Vec<crate::common::events::Event>) {
        let before = inside_cash(&mut world);
        world.insert_resource(crate::money::ledger::Ledger::default());
        world.run_system_once(service_spvs).expect("the system runs");
        let after = inside_cash(&mut world);
        let paid = world.resource::<SecurityCashflows>().paid.get(&BOND).copied().unwrap_or_default();
        let external = (paid.interest_usd + paid.principal_usd) * 0.75;
        assert!(
            (before - after - external).abs() < 1e-3,
            "inside cash fell by {} but holders outside got {external}",
            before - after
        );
        let events = world.resource_mut::<EventLog>().drain();
        (world, events)
    }

    fn bond(world: &mut World) -> Security {
        let mut query = world.query::<(&AgentId, &Security)>();
        query.iter(world).find(|(id, _)| **id == BOND).map(|(_, s)| s.clone()).unwrap()
    }

    /// A market where the building would fetch far less than the bonds.
    fn depress_building_values(world: &mut World) {
        let mut config = bubblesim_config::Config::baseline();
        config.financing.building_cap_rate = 0.5;
        world.resource_mut::<Params>().0 = Arc::new(config);
    }

    #[test]
    fn a_let_spv_pays_its_bond_and_distributes_the_rest() {
        let (mut world, _) = month_conserves_money(world(LeaseStatus::Active, 5e8, 1e11));
        let bond = bond(&mut world);
        assert!(bond.tranche.principal_usd < 2.7e9 && bond.realised_loss_usd == 0.0);
    }

    #[test]
    fn a_departing_tenant_pays_the_guarantee_to_the_bondholders() {
        let mut w = world(LeaseStatus::Broken, 5e8, 1e11);
        depress_building_values(&mut w);
        let (mut world, events) = month_conserves_money(w);
        let called = events
            .iter()
            .find(|e| e.kind == EventKind::GuaranteeCalled)
            .expect("the guarantee is called");
        assert!(called.amount_usd.unwrap() > 0.0);
        assert!(bond(&mut world).tranche.principal_usd < 2.7e9 - called.amount_usd.unwrap() + 1.0);
    }

    #[test]
    fn an_spv_that_cannot_pay_defaults_and_its_bond_takes_the_shortfall() {
        let mut w = world(LeaseStatus::Broken, 0.0, 0.0);
        depress_building_values(&mut w);
        let (mut world, events) = month_conserves_money(w);
        assert!(events.iter().any(|e| e.kind == EventKind::SpvDefault));
        let bond = bond(&mut world);
        assert!(bond.issuer_defaulted && bond.tranche.principal_usd == 0.0 && bond.realised_loss_usd > 0.0);
        assert_eq!(bond.status(), "defaulted");
    }
}
