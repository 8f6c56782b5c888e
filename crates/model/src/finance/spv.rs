//! Special-purpose vehicles: the off-balance-sheet route (DESIGN §1, link 5). A sponsor
//! and a hyperscaler put equity into an SPV (80/20 at baseline, as in Meta/Blue Owl
//! Hyperion); the SPV sells a bond for most of the building's cost, pays for
//! construction in monthly draws, and leases the finished building back to the
//! hyperscaler: a short initial term, extension options and a capped residual value
//! guarantee. The equity covers the cost the bonds do not, the coupons due before the
//! building earns rent, and a debt-service reserve. Each month the SPV collects rent, pays the bond's coupon and (once the
//! building is finished) its amortisation, keeps a debt-service reserve and distributes
//! the rest to its equity holders. When the tenant leaves within the guarantee period
//! the guarantee is called: the tenant pays the shortfall of the building's sale value
//! against the bonds, up to the cap, and the payment prepays the bonds. When the SPV's cash cannot pay the bond, the SPV
//! defaults: the sponsor buys the building at its liquidation value, the bond gets that
//! and the SPV's cash, the rest is written off, and the equity holders lose their stake.

use bevy_ecs::prelude::*;

use crate::common::calendar::Clock;
use crate::common::directory::Directory;
use crate::common::events::{EventKind, EventLog};
use crate::common::ids::{AgentId, IdAllocator};
use crate::common::params::Params;
use crate::common::spawn::{spawn_agent, spawn_with_id};
use crate::finance::credit::Rating;
use crate::finance::securities::{Security, SecurityCashflows, SecurityClass, TranchePaid, assess_spv_bond, fair_price, par_coupon};
use crate::finance::waterfall::Tranche;
use crate::firms::firm::{Firm, FirmKind};
use crate::money::accounts::Accounts;
use crate::money::ledger::{Ledger, REST_OF_ECONOMY};
use crate::real_estate::construction::Construction;
use crate::real_estate::datacenters::{DataCenter, vacancy_share};
use crate::real_estate::leases::{Lease, LeaseStatus, building_value_usd, market_rent_usd_per_mw_month};

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

/// Sets up an SPV: equity from sponsor and tenant, the building, its lease-back and an
/// unplaced bond. Returns (building, SPV).
pub fn create_spv(
    commands: &mut Commands,
    ids: &mut IdAllocator,
    directory: &mut Directory,
    params: &Params,
    clock: &Clock,
    accounts: &mut Query<&mut Accounts>,
    ledger: &mut Ledger,
    deal: &SpvDeal,
) -> (AgentId, AgentId) {
    let f = &params.financing;
    let cost = params.datacenters.build_cost_usd_per_mw * deal.capacity_mw;
    let spv_id = ids.allocate();
    let dc_id = ids.allocate();
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
        if let Ok(mut payer_accounts) = accounts.get_mut(directory.get(payer)) {
            payer_accounts.cash_usd -= amount;
            payer_accounts.month.investments_usd += amount;
        }
        ledger.pay(payer, spv_id, amount);
    }
    let lease_id = spawn_agent(commands, ids, directory, lease);
    let agency_pd = pd * (1.0 - params.ratings.optimism);
    let bond = spawn_agent(
        commands,
        ids,
        directory,
        Security {
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
        },
    );
    spawn_with_id(
        commands,
        directory,
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
    spawn_with_id(
        commands,
        directory,
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

/// Monthly, after rent: guarantees, debt service, distributions and defaults.
pub fn service_spvs(
    params: Res<Params>,
    clock: Res<Clock>,
    directory: Res<Directory>,
    mut spvs: Query<(&AgentId, &mut Spv, &mut Firm)>,
    mut securities: Query<&mut Security>,
    mut leases: Query<&mut Lease>,
    mut datacenters: Query<(&AgentId, &mut DataCenter)>,
    mut sites: Query<&mut Construction>,
    mut accounts: Query<&mut Accounts>,
    mut cashflows: ResMut<SecurityCashflows>,
    mut events: ResMut<EventLog>,
    mut ledger: ResMut<Ledger>,
) {
    let f = &params.financing;
    let month = clock.month as i32;
    let vacancy = vacancy_share(datacenters.iter().sort::<&AgentId>().map(|(_, dc)| dc), clock.month);
    let rent_per_mw = market_rent_usd_per_mw_month(&params, clock.years_elapsed(), vacancy);
    for (&spv_id, mut spv, mut firm) in spvs.iter_mut().sort::<&AgentId>() {
        if spv.defaulted {
            continue;
        }
        let Ok((_, building)) = datacenters.get(directory.get(spv.datacenter)) else {
            continue;
        };
        let sale_value = building_value_usd(&params, rent_per_mw, building.capacity_mw) * (1.0 - f.liquidation_haircut);
        let Ok(mut bond) = securities.get_mut(directory.get(spv.bond)) else {
            continue;
        };

        // The tenant left the lease-back: call the guarantee once.
        if !spv.guarantee_settled
            && let Ok(leaseback) = leases.get(directory.get(spv.leaseback))
            && leaseback.status != LeaseStatus::Active
        {
            spv.guarantee_settled = true;
            bond.review_due = true;
            if month < leaseback.rvg_end_month {
                let principal = bond.tranche.principal_usd;
                let claim = leaseback.rvg_cap_usd.min((principal - sale_value).max(0.0));
                let paid = accounts
                    .get(directory.get(spv.tenant))
                    .map_or(0.0, |tenant| claim.min(tenant.cash_usd.max(0.0)));
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
                events.record(&clock, EventKind::GuaranteeCalled, spv_id, Some(spv.tenant), Some(paid), detail);
                if paid > 0.0 {
                    if let Ok(mut tenant) = accounts.get_mut(directory.get(spv.tenant)) {
                        tenant.cash_usd -= paid;
                        tenant.month.other_costs_usd += paid;
                    }
                    if let Ok(mut own) = accounts.get_mut(directory.get(spv_id)) {
                        own.cash_usd += paid;
                        own.month.investment_income_usd += paid;
                    }
                    // The guarantee protects the lenders: it goes straight to them.
                    let prepaid = TranchePaid {
                        interest_usd: 0.0,
                        principal_usd: paid.min(principal),
                    };
                    ledger.pay(spv.tenant, spv_id, paid);
                    pay_bond(
                        &mut bond,
                        spv.bond,
                        prepaid,
                        spv_id,
                        &directory,
                        &mut accounts,
                        &mut cashflows,
                        &mut ledger,
                    );
                }
            }
        }

        let (interest, amortisation) = spv.debt_service_usd(&bond, &params, month);
        let cash = accounts.get(directory.get(spv_id)).map_or(0.0, |a| a.cash_usd);
        if cash + 1e-6 >= interest + amortisation {
            pay_bond(
                &mut bond,
                spv.bond,
                TranchePaid {
                    interest_usd: interest,
                    principal_usd: amortisation,
                },
                spv_id,
                &directory,
                &mut accounts,
                &mut cashflows,
                &mut ledger,
            );
            // Distribute what exceeds the reserve while the building earns rent.
            let leased = building.tenant.is_some() && building.completed(clock.month);
            if let Ok(mut own) = accounts.get_mut(directory.get(spv_id)) {
                own.debt_usd = bond.tranche.principal_usd;
                // Months of debt service kept before distributing cash.
                let reserve = f.spv_reserve_months * (interest + amortisation);
                let excess = own.cash_usd - reserve;
                if leased && excess > 0.0 {
                    own.cash_usd -= excess;
                    own.month.dividends_usd += excess;
                    let sponsor_share = spv.sponsor_equity_usd / (spv.sponsor_equity_usd + spv.tenant_equity_usd).max(f64::MIN_POSITIVE);
                    for (holder, amount) in [(spv.sponsor, excess * sponsor_share), (spv.tenant, excess * (1.0 - sponsor_share))] {
                        if let Ok(mut holder_accounts) = accounts.get_mut(directory.get(holder)) {
                            holder_accounts.cash_usd += amount;
                            holder_accounts.month.investment_income_usd += amount;
                        }
                        ledger.pay(spv_id, holder, amount);
                    }
                }
            }
            continue;
        }

        // Payment default: the sponsor buys the building at its liquidation value.
        spv.defaulted = true;
        firm.active = false;
        let owed = bond.tranche.principal_usd;
        let mut available = cash.max(0.0) + sale_value;
        if let Ok(mut sponsor) = accounts.get_mut(directory.get(spv.sponsor)) {
            sponsor.cash_usd -= sale_value;
            sponsor.month.capex_usd += sale_value;
            // Its SPV equity is lost.
            sponsor.month.impairment_usd += spv.sponsor_equity_usd;
        }
        ledger.pay(spv.sponsor, spv_id, sale_value);
        if let Ok(mut tenant) = accounts.get_mut(directory.get(spv.tenant)) {
            tenant.month.impairment_usd += spv.tenant_equity_usd;
        }
        let interest_paid = interest.min(available);
        available -= interest_paid;
        let principal_paid = owed.min(available);
        available -= principal_paid;
        let loss = owed - principal_paid;
        bond.interest_shortfall_usd += interest - interest_paid;
        if let Ok(mut own) = accounts.get_mut(directory.get(spv_id)) {
            own.cash_usd += sale_value;
        }
        pay_bond(
            &mut bond,
            spv.bond,
            TranchePaid {
                interest_usd: interest_paid,
                principal_usd: principal_paid,
            },
            spv_id,
            &directory,
            &mut accounts,
            &mut cashflows,
            &mut ledger,
        );
        bond.tranche.principal_usd = 0.0;
        bond.issuer_defaulted = true;
        bond.realised_loss_usd += loss;
        bond.review_due = true;
        // What is left after the bond goes to the equity holders pro rata; the sponsor
        // also bears its retained share of the bond's loss.
        let mut leftover = 0.0;
        if let Ok(mut own) = accounts.get_mut(directory.get(spv_id)) {
            own.debt_usd = 0.0;
            leftover = own.cash_usd.max(0.0);
            own.cash_usd -= leftover;
        }
        let sponsor_share = spv.sponsor_equity_usd / (spv.sponsor_equity_usd + spv.tenant_equity_usd).max(f64::MIN_POSITIVE);
        if let Ok(mut sponsor) = accounts.get_mut(directory.get(spv.sponsor)) {
            sponsor.cash_usd += leftover * sponsor_share;
            sponsor.month.impairment_usd += bond.retained_share * loss;
        }
        if let Ok(mut tenant) = accounts.get_mut(directory.get(spv.tenant)) {
            tenant.cash_usd += leftover * (1.0 - sponsor_share);
        }
        ledger.pay(spv_id, spv.sponsor, leftover * sponsor_share);
        ledger.pay(spv_id, spv.tenant, leftover * (1.0 - sponsor_share));
        // A building still under construction is finished by its new owner.
        if let Ok(mut site) = sites.get_mut(directory.get(spv.datacenter)) {
            site.payer = spv.sponsor;
        }
        debug_assert!(available >= -1e-6);
        if let Ok((_, mut dc)) = datacenters.get_mut(directory.get(spv.datacenter)) {
            dc.owner = spv.sponsor;
            if let Some(lease_id) = dc.lease
                && let Ok(mut lease) = leases.get_mut(directory.get(lease_id))
            {
                lease.landlord = spv.sponsor;
            }
        }
        events.record(
            &clock,
            EventKind::SpvDefault,
            spv_id,
            Some(spv.sponsor),
            Some(sale_value),
            format!(
                "cash ${cash:.0} short of ${:.0} due; building sold to the sponsor",
                interest + amortisation
            ),
        );
        if loss > 0.0 {
            events.record(
                &clock,
                EventKind::TrancheLoss,
                spv.bond,
                Some(spv_id),
                Some(loss),
                format!("bond written off: ${loss:.0} of ${owed:.0} lost"),
            );
        }
    }
}

/// Pays a bond's holders: the SPV's cash goes out, the sponsor receives its retained
/// share, and investors' shares are left in `cashflows` for them to collect. The
/// paying agent that passes them on is in the rest of the economy, which keeps what is
/// due to holders outside the model.
#[allow(clippy::too_many_arguments)]
fn pay_bond(
    bond: &mut Security,
    bond_id: AgentId,
    paid: TranchePaid,
    spv: AgentId,
    directory: &Directory,
    accounts: &mut Query<&mut Accounts>,
    cashflows: &mut SecurityCashflows,
    ledger: &mut Ledger,
) {
    bond.tranche.principal_usd -= paid.principal_usd;
    if let Ok(mut own) = accounts.get_mut(directory.get(spv)) {
        own.cash_usd -= paid.interest_usd + paid.principal_usd;
        own.month.interest_usd += paid.interest_usd;
    }
    let retained = bond.retained_share;
    if retained > 0.0
        && let Ok(mut sponsor) = accounts.get_mut(directory.get(bond.sponsor))
    {
        sponsor.cash_usd += retained * (paid.interest_usd + paid.principal_usd);
        sponsor.month.investment_income_usd += retained * paid.interest_usd;
        ledger.pay(spv, bond.sponsor, retained * (paid.interest_usd + paid.principal_usd));
        ledger.pay(spv, REST_OF_ECONOMY, (1.0 - retained) * (paid.interest_usd + paid.principal_usd));
    } else {
        ledger.pay(spv, REST_OF_ECONOMY, paid.interest_usd + paid.principal_usd);
    }
    let entry = cashflows.paid.entry(bond_id).or_default();
    entry.interest_usd += paid.interest_usd;
    entry.principal_usd += paid.principal_usd;
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use bevy_ecs::system::RunSystemOnce;

    use super::*;

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
