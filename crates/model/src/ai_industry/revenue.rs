//! Revenue: the month's money flows from demand. Sellers earn from the queries they
//! serve and pay the market rent for the compute those queries (and their training)
//! used; providers receive that rent for the GPU-hours their cohorts delivered and pay
//! for the power; hyperscalers earn from their core business, the chipmaker from its
//! non-GPU business, labs pay staff and research, clouds pay interest on their debt.
//! Every payment between two agents leaves one account and enters the other; compute a
//! hyperscaler draws from its own fleet is internal use and moves no money.

use bevy_ecs::prelude::*;

use crate::ai_industry::demand::Demand;
use crate::common::ids::AgentId;
use crate::common::today::Today;
use crate::compute::generations::HOURS_PER_MONTH;
use crate::compute::view::ComputeView;
use crate::economy::shock::Rates;
use crate::firms::firm::Firm;
use crate::firms::roles::{AiSeller, Borrower, Chipmaker, CoreBusiness, Lab, Provider};
use crate::money::accounts::Accounts;
use crate::money::ledger::{Ledger, REST_OF_ECONOMY};

type FirmItem = (
    &'static AgentId,
    &'static Firm,
    &'static mut Accounts,
    Option<&'static AiSeller>,
    Option<&'static Lab>,
    Option<&'static Provider>,
    Option<&'static CoreBusiness>,
    Option<&'static Borrower>,
    Option<&'static Chipmaker>,
);

/// Monthly: books revenue, compute rent, power, core business, opex and interest.
pub fn settle_revenue(
    today: Today,
    demand: Res<Demand>,
    compute: ComputeView,
    rates: Res<Rates>,
    mut firms: Query<FirmItem>,
    mut ledger: ResMut<Ledger>,
) {
    let (params, clock) = (&*today.params, &*today.clock);
    let (market, generations, fleet) = (&*compute.market, &*compute.generations, &*compute.fleet);
    let years = clock.years_elapsed();
    let electricity = params.gpus.electricity_usd_per_kwh;
    let rent = market.rent_usd_per_h100_hour;
    let end_user_revenue = demand.revenue_usd();
    // Compute rent passes through the market: each buyer's payment is shared among the
    // providers in proportion to the rent they earned (the two totals are equal).
    let mut rent_paid: Vec<(AgentId, f64)> = Vec::new();
    let mut rent_received: Vec<(AgentId, f64)> = Vec::new();
    for (&id, firm, mut accounts, seller, lab, provider, core, borrower, chipmaker) in firms.iter_mut().sort::<&AgentId>() {
        if !firm.active {
            continue;
        }
        let flows_before = accounts.month;
        let (mut delivered, mut power) = (0.0, 0.0);
        if provider.is_some() {
            for (generation, gpus) in fleet.owner_generations(id) {
                let g = generations.get(generation);
                let busy_hours = gpus as f64 * market.utilisation(generation) * HOURS_PER_MONTH;
                delivered += busy_hours * g.performance_h100;
                power += busy_hours * g.power_cost_usd_per_hour(electricity);
            }
        }
        // A hyperscaler buys from the pool like any seller; the part that came from its own
        // fleet (its share of what was delivered) is internal use, not a payment.
        let mut internal = 0.0;
        if let Some(seller) = seller {
            let served = market.served_share * seller.compute_demand_h100_hours;
            if market.dispatched_h100_hours > 0.0 {
                internal = served * delivered / market.dispatched_h100_hours;
            }
            let sales = market.served_share * seller.share * end_user_revenue;
            accounts.month.ai_product_revenue_usd += sales;
            ledger.pay(REST_OF_ECONOMY, id, sales);
            accounts.month.compute_cost_usd += (served - internal) * rent;
            rent_paid.push((id, (served - internal) * rent));
        }
        if provider.is_some() {
            accounts.month.compute_rent_income_usd += (delivered - internal) * rent;
            rent_received.push((id, (delivered - internal) * rent));
            accounts.month.power_cost_usd += power;
            ledger.pay(id, REST_OF_ECONOMY, power);
        }
        if let Some(lab) = lab {
            accounts.month.other_costs_usd += lab.other_opex_usd_per_month;
            ledger.pay(id, REST_OF_ECONOMY, lab.other_opex_usd_per_month);
        }
        if let Some(core) = core {
            let revenue = core.revenue_usd_per_year * (1.0 + core.growth_per_year).powf(years) / 12.0;
            accounts.month.core_revenue_usd += revenue;
            accounts.month.other_costs_usd += revenue * (1.0 - core.operating_margin);
            ledger.pay(REST_OF_ECONOMY, id, revenue * core.operating_margin);
        }
        if let Some(chipmaker) = chipmaker {
            let revenue = chipmaker.other_revenue_usd_per_year / 12.0;
            let costs = revenue * (1.0 - chipmaker.gross_margin) + chipmaker.operating_expenses_usd_per_year / 12.0;
            accounts.month.core_revenue_usd += revenue;
            accounts.month.other_costs_usd += costs;
            ledger.pay(REST_OF_ECONOMY, id, revenue - costs);
        }
        if let Some(borrower) = borrower {
            let interest = accounts.debt_usd * (borrower.interest_rate + rates.rise) / 12.0;
            accounts.month.interest_usd += interest;
            ledger.pay(id, REST_OF_ECONOMY, interest);
        }
        // All of the above are cash flows: apply the month's change to cash.
        let change = accounts.month.earnings_usd() - flows_before.earnings_usd();
        accounts.cash_usd += change;
    }
    let received: f64 = rent_received.iter().map(|(_, usd)| usd).sum();
    if received > 0.0 {
        for &(buyer, paid) in &rent_paid {
            for &(provider, earned) in &rent_received {
                ledger.pay(buyer, provider, paid * earned / received);
            }
        }
    }
}
