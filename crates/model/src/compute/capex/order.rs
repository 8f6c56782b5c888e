//! The quarterly GPU order: each provider sizes its order (`plan`), places the GPUs
//! (`placement`) and pays for those it could place; the chipmaker books the sale. A
//! provider's forecast growth adds `capex_tilt_per_belief` × (its belief − the
//! consensus); the circular deal's cloud also orders what its contract needs, on credit
//! (see `ai_industry::circular`).

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use crate::ai_industry::circular::CircularDeal;
use crate::beliefs::forecasts::{Forecaster, Forecasts};
use crate::beliefs::narrative::{Narrative, trailing_growth_per_year};
use crate::common::calendar::Clock;
use crate::common::directory::KeyAgents;
use crate::common::events::{EventKind, EventLog};
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::common::spawn::Spawner;
use crate::compute::capex::placement::{BuildBooks, build_new, own_slots, place_cohorts, relet_vacant, spv_spread};
use crate::compute::capex::plan::CapexPlan;
use crate::compute::fleet::FleetIndex;
use crate::compute::generations::{Generation, Generations, HOURS_PER_MONTH};
use crate::compute::market::ComputeMarket;
use crate::firms::firm::Firm;
use crate::firms::listed::Listed;
use crate::firms::roles::{CoreBusiness, Provider};
use crate::money::accounts::Accounts;
use crate::money::flows::{FlowKind, FlowLog};
use crate::money::ledger::{Ledger, REST_OF_ECONOMY};
use crate::real_estate::construction::choose_route;
use crate::real_estate::datacenters::{DataCenter, vacancy_share};
use crate::real_estate::grid::Grid;
use crate::real_estate::leases::market_rent_usd_per_mw_month;

/// What the quarter's orders are planned from: the scenario, the clock, the market and
/// the beliefs behind the forecast.
#[derive(SystemParam)]
pub struct CapexOutlook<'w> {
    params: Res<'w, Params>,
    clock: Res<'w, Clock>,
    narrative: Res<'w, Narrative>,
    generations: Res<'w, Generations>,
    fleet: Res<'w, FleetIndex>,
    market: Res<'w, ComputeMarket>,
    forecasts: Res<'w, Forecasts>,
    key: Res<'w, KeyAgents>,
}

/// The money and records the orders touch.
#[derive(SystemParam)]
pub struct CapexBooks<'w, 's> {
    accounts: Query<'w, 's, &'static mut Accounts>,
    ledger: ResMut<'w, Ledger>,
    events: ResMut<'w, EventLog>,
    flows: ResMut<'w, FlowLog>,
    deal: ResMut<'w, CircularDeal>,
    grid: ResMut<'w, Grid>,
}

/// A provider as the order sees it: its firm, its capacity share and its beliefs.
type ProviderItem = (&'static AgentId, &'static Firm, &'static Provider, Option<&'static Forecaster>);

/// Total H100-hours per month a provider can deliver from in-service and ordered GPUs.
fn capacity_h100_hours(fleet: &FleetIndex, generations: &Generations, provider: AgentId) -> f64 {
    fleet
        .owner_generations(provider)
        .chain(fleet.owner_pending(provider))
        .map(|(generation, gpus)| gpus as f64 * generations.get(generation).performance_h100 * HOURS_PER_MONTH)
        .sum()
}

/// The providers ordering this quarter, in id order: (provider, capacity share, tilt).
/// A provider the scenario sends away from its leases builds nothing more from then.
fn ordering_providers(outlook: &CapexOutlook, providers: &Query<ProviderItem>) -> Vec<(AgentId, f64, f64)> {
    let shock = &outlook.params.shock;
    let clock = &outlook.clock;
    let walked_away =
        |firm: &Firm| !shock.walk_away_firm.is_empty() && *firm.name == *shock.walk_away_firm && clock.month >= shock.start_month;
    let tilt_per_belief = outlook.params.forecasts.capex_tilt_per_belief;
    let mut shares: Vec<(AgentId, f64, f64)> = providers
        .iter()
        .filter(|(_, firm, _, _)| !walked_away(firm))
        .map(|(&id, _, p, f)| {
            let tilt = f.map_or(0.0, |f| tilt_per_belief * (f.belief_growth - outlook.forecasts.consensus_growth));
            (id, p.capacity_share, tilt)
        })
        .collect();
    shares.sort_by_key(|&(id, _, _)| id);
    shares
}

/// The provider pays for the GPUs it placed; the chipmaker books the sale and pays its
/// foundry and suppliers (the rest of the economy) at once; the flows and the event.
fn pay_for_gpus(
    (params, clock, key): (&Params, &Clock, &KeyAgents),
    (provider, newest): (AgentId, &Generation),
    (placed, for_contract): (u64, u64),
    (growth, hype): (f64, f64),
    spawner: &Spawner,
    books: &mut CapexBooks,
) {
    let cost = placed as f64 * newest.price_usd;
    if let Ok(mut provider_accounts) = books.accounts.get_mut(spawner.directory().get(provider)) {
        provider_accounts.cash_usd -= cost;
        provider_accounts.month.capex_usd += cost;
    }
    books.ledger.pay(provider, key.chipmaker, cost);
    if let Ok(mut chipmaker) = books.accounts.get_mut(spawner.directory().get(key.chipmaker)) {
        let cost_of_goods = cost * (1.0 - params.chipmaker.gross_margin);
        chipmaker.month.gpu_sales_usd += cost;
        chipmaker.month.other_costs_usd += cost_of_goods;
        chipmaker.cash_usd += cost - cost_of_goods;
        books.ledger.pay(key.chipmaker, REST_OF_ECONOMY, cost_of_goods);
    }
    let contract_cost = for_contract as f64 * newest.price_usd;
    books
        .flows
        .record(clock, provider, key.chipmaker, FlowKind::GpuPurchase, contract_cost, true);
    books
        .flows
        .record(clock, provider, key.chipmaker, FlowKind::GpuPurchase, cost - contract_cost, false);
    books.events.record(
        clock,
        EventKind::GpuOrder,
        provider,
        Some(key.chipmaker),
        Some(cost),
        format!(
            "{placed} GPUs of generation {} ({for_contract} for the take-or-pay contract; forecast growth {:.0}%/yr, hype {:.2})",
            newest.index,
            growth * 100.0,
            hype
        ),
    );
}

/// Quarterly: GPU orders, placement, new leases and buildings, and the chipmaker's sale.
pub fn order_gpus(
    outlook: CapexOutlook,
    mut spawner: Spawner,
    providers: Query<ProviderItem>,
    tenants: Query<(Option<&Listed>, Has<CoreBusiness>)>,
    mut datacenters: Query<(&AgentId, &mut DataCenter)>,
    mut books: CapexBooks,
) {
    let (params, clock, key) = (&*outlook.params, &*outlook.clock, &*outlook.key);
    let capex = &params.capex;
    let newest = outlook.generations.newest().clone();
    let watts_per_gpu = newest.power_watts().max(1);
    let market = &outlook.market;
    let growth = trailing_growth_per_year(&market.demand_history).unwrap_or(outlook.narrative.revenue_growth);
    let plan = CapexPlan {
        growth,
        hype: outlook.narrative.hype,
        demand_h100_hours: market.demand_h100_hours,
        target_utilisation: params.compute_market.target_utilisation,
        return_factor: CapexPlan::return_factor(
            market.rent_usd_per_h100_hour,
            market.cost_based_rent_usd_per_h100_hour,
            capex.return_elasticity,
        ),
        performance_h100: newest.performance_h100,
        price_usd: newest.price_usd,
    };
    // Vacancy sets the rent of re-let and new buildings.
    let vacancy = vacancy_share(datacenters.iter().sort::<&AgentId>().map(|(_, dc)| dc), clock.month);
    let rent_per_mw = market_rent_usd_per_mw_month(params, clock.years_elapsed(), vacancy);

    for (provider, share, tilt) in ordering_providers(&outlook, &providers) {
        // Each provider aims to keep its share of the capacity the market will want.
        let capacity = capacity_h100_hours(&outlook.fleet, &outlook.generations, provider);
        let Ok(provider_accounts) = books.accounts.get(spawner.directory().get(provider)) else {
            continue;
        };
        let mut gpus = plan.gpus_to_order(capex, share, tilt, capacity, provider_accounts.cash_usd);
        // The contract's GPUs are bought whatever the market and the cash say.
        let contract_gpus = if books.deal.cloud == Some(provider) {
            books.deal.gpus_due(params, clock.month, watts_per_gpu)
        } else {
            0
        };
        gpus += contract_gpus;
        if gpus == 0 {
            continue;
        }

        let mut slots = own_slots(provider, clock, &outlook.fleet, &datacenters);
        let free: u64 = slots.iter().map(|s| s.free_watts / watts_per_gpu * watts_per_gpu).sum();
        let shortfall = (gpus * watts_per_gpu).saturating_sub(free);
        let shortfall = relet_vacant(
            &mut spawner,
            (params, clock),
            (provider, rent_per_mw, vacancy),
            &mut datacenters,
            &mut books.events,
            &mut slots,
            shortfall,
        );
        let (hyperscaler, drawdown) = tenants
            .get(spawner.directory().get(provider))
            .map_or((false, 0.0), |(listed, core)| (core, listed.map_or(0.0, Listed::drawdown)));
        let route = choose_route(params, hyperscaler, drawdown, spv_spread(params, clock, provider, rent_per_mw));
        let build = BuildBooks {
            accounts: &mut books.accounts,
            ledger: &mut books.ledger,
            grid: &mut books.grid,
            events: &mut books.events,
        };
        build_new(
            &mut spawner,
            (params, clock, key),
            (provider, route, rent_per_mw),
            build,
            &mut slots,
            shortfall,
            watts_per_gpu,
        );

        // The contract's GPUs are the first placed (the circular leg), and count once installed.
        let (placed, for_contract) = place_cohorts(
            &mut spawner,
            params,
            (provider, &newest),
            &mut slots,
            (gpus, contract_gpus),
            &mut books.deal,
        );
        if placed == 0 {
            continue;
        }
        pay_for_gpus(
            (params, clock, key),
            (provider, &newest),
            (placed, for_contract),
            (growth, outlook.narrative.hype),
            &spawner,
            &mut books,
        );
    }
}
