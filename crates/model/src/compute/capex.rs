//! Capex and construction: each quarter providers order GPUs of the newest generation to
//! serve the demand they forecast `lead_quarters` ahead at the target utilisation. The
//! forecast extrapolates realised demand growth and adds a premium for hype, which is
//! how the narrative over-builds capacity; orders shrink when the market rent falls below
//! the rent that recovers a new GPU's cost (returns below the cost of capital). GPUs go
//! into free space in the provider's buildings, then into vacant buildings re-let at the
//! market rent, then into new buildings financed as `construction` chooses (a sponsor's
//! wholesale lease, the tenant's own balance sheet, or an SPV's lease-back), ready after
//! `build_months`. The chipmaker books the sale.

use bevy_ecs::prelude::*;

use crate::ai_industry::circular::CircularDeal;
use crate::beliefs::forecasts::{Forecaster, Forecasts};
use crate::beliefs::narrative::{Narrative, trailing_growth_per_year};
use crate::common::calendar::Clock;
use crate::common::directory::{Directory, KeyAgents};
use crate::common::events::{EventKind, EventLog};
use crate::common::ids::{AgentId, IdAllocator};
use crate::common::params::Params;
use crate::common::spawn::spawn_agent;
use crate::common::spawn::spawn_with_id;
use crate::compute::fleet::FleetIndex;
use crate::compute::generations::{Generations, GpuCohort, HOURS_PER_MONTH};
use crate::compute::market::ComputeMarket;
use crate::finance::spv::{NewBond, SpvDeal, create_spv, proposed_leaseback};
use crate::firms::firm::Firm;
use crate::firms::listed::Listed;
use crate::firms::roles::{CoreBusiness, Provider};
use crate::money::accounts::Accounts;
use crate::money::flows::{FlowKind, FlowLog};
use crate::money::ledger::{Ledger, REST_OF_ECONOMY};
use crate::real_estate::construction::{BuildRoute, Construction, choose_route};
use crate::real_estate::datacenters::{DataCenter, vacancy_share};
use crate::real_estate::grid::Grid;
use crate::real_estate::leases::{Lease, market_rent_usd_per_mw_month};

/// Total H100-hours per month a provider can deliver from in-service and ordered GPUs.
fn capacity_h100_hours(fleet: &FleetIndex, generations: &Generations, provider: AgentId) -> f64 {
    fleet
        .owner_generations(provider)
        .chain(fleet.owner_pending(provider))
        .map(|(generation, gpus)| gpus as f64 * generations.get(generation).performance_h100 * HOURS_PER_MONTH)
        .sum()
}

/// A building the provider can put GPUs into this quarter.
struct Slot {
    datacenter: AgentId,
    free_watts: u64,
    install_month: i32,
}

/// Quarterly: GPU orders, placement, new leases and buildings, and the chipmaker's sale.
/// A provider's forecast growth adds `capex_tilt_per_belief` × (its belief − the
/// consensus); the circular deal's cloud also orders what its contract needs, on credit
/// (see `circular`).
pub fn order_gpus(
    mut commands: Commands,
    params: Res<Params>,
    clock: Res<Clock>,
    narrative: Res<Narrative>,
    generations: Res<Generations>,
    fleet: Res<FleetIndex>,
    market: Res<ComputeMarket>,
    key: Res<KeyAgents>,
    mut ids: ResMut<IdAllocator>,
    mut directory: ResMut<Directory>,
    providers: Query<(&AgentId, &Firm, &Provider, Option<&Forecaster>)>,
    (forecasts, mut deal, mut flows, mut ledger, mut grid): (
        Res<Forecasts>,
        ResMut<CircularDeal>,
        ResMut<FlowLog>,
        ResMut<Ledger>,
        ResMut<Grid>,
    ),
    tenants: Query<(Option<&Listed>, Has<CoreBusiness>)>,
    mut accounts: Query<&mut Accounts>,
    mut datacenters: Query<(&AgentId, &mut DataCenter)>,
    mut events: ResMut<EventLog>,
) {
    let capex = &params.capex;
    let newest = generations.newest().clone();
    let watts_per_gpu = newest.power_watts().max(1);
    let years = clock.years_elapsed();

    let growth = trailing_growth_per_year(&market.demand_history).unwrap_or(narrative.revenue_growth);
    let forecast_factor = |tilt: f64| {
        (1.0 + growth + narrative.hype * capex.hype_growth_premium + tilt)
            .max(0.0)
            .powf(f64::from(capex.lead_quarters) / 4.0)
    };
    let wanted_total = |tilt: f64| market.demand_h100_hours * forecast_factor(tilt) / params.compute_market.target_utilisation;
    let return_factor = if market.cost_based_rent_usd_per_h100_hour > 0.0 {
        (market.rent_usd_per_h100_hour / market.cost_based_rent_usd_per_h100_hour)
            .powf(capex.return_elasticity)
            .min(1.0)
    } else {
        1.0
    };
    let tilt_per_belief = params.forecasts.capex_tilt_per_belief;
    // A provider the scenario sends away from its leases builds nothing more from then.
    let shock = &params.shock;
    let walked_away =
        |firm: &Firm| !shock.walk_away_firm.is_empty() && *firm.name == *shock.walk_away_firm && clock.month >= shock.start_month;
    let mut provider_shares: Vec<(AgentId, f64, f64)> = providers
        .iter()
        .filter(|(_, firm, _, _)| !walked_away(firm))
        .map(|(&id, _, p, f)| {
            let tilt = f.map_or(0.0, |f| tilt_per_belief * (f.belief_growth - forecasts.consensus_growth));
            (id, p.capacity_share, tilt)
        })
        .collect();
    provider_shares.sort_by_key(|&(id, _, _)| id);

    // Vacancy sets the rent of re-let and new buildings.
    let vacancy = vacancy_share(datacenters.iter().sort::<&AgentId>().map(|(_, dc)| dc), clock.month);
    let rent_per_mw = market_rent_usd_per_mw_month(&params, years, vacancy);

    for &(provider, share, tilt) in &provider_shares {
        // Each provider aims to keep its share of the capacity the market will want.
        let gap = share * wanted_total(tilt) - capacity_h100_hours(&fleet, &generations, provider);
        let mut gpus = if gap > 0.0 {
            (gap * capex.adjustment_per_quarter * return_factor / (HOURS_PER_MONTH * newest.performance_h100)).floor() as u64
        } else {
            0
        };
        let Ok(provider_accounts) = accounts.get(directory.get(provider)) else {
            continue;
        };
        let budget = capex.max_cash_share_per_quarter * provider_accounts.cash_usd.max(0.0);
        gpus = gpus.min((budget / newest.price_usd).floor() as u64);
        // The contract's GPUs are bought whatever the market and the cash say.
        let contract_gpus = if deal.cloud == Some(provider) {
            deal.gpus_due(&params, clock.month, watts_per_gpu)
        } else {
            0
        };
        gpus += contract_gpus;
        if gpus == 0 {
            continue;
        }

        // Where the GPUs go: free space first, then vacant buildings, then new ones.
        let mut slots: Vec<Slot> = Vec::new();
        for (&dc_id, dc) in datacenters.iter().sort::<&AgentId>() {
            if dc.tenant == Some(provider) {
                let committed = fleet.committed_watts.get(&dc_id).copied().unwrap_or(0);
                slots.push(Slot {
                    datacenter: dc_id,
                    free_watts: dc.capacity_watts().saturating_sub(committed),
                    install_month: dc.completion_month.max(clock.month as i32),
                });
            }
        }
        let mut needed_watts = gpus * watts_per_gpu;
        let free: u64 = slots.iter().map(|s| s.free_watts / watts_per_gpu * watts_per_gpu).sum();
        let mut shortfall = needed_watts.saturating_sub(free);
        for (&dc_id, mut dc) in datacenters.iter_mut().sort::<&AgentId>() {
            if shortfall == 0 {
                break;
            }
            if dc.tenant.is_some() || !dc.completed(clock.month) {
                continue;
            }
            let rent = rent_per_mw * dc.capacity_mw;
            let lease = sign_lease(
                &mut commands,
                &mut ids,
                &mut directory,
                &params,
                provider,
                dc.owner,
                dc_id,
                rent,
                clock.month as i32,
            );
            dc.tenant = Some(provider);
            dc.lease = Some(lease);
            slots.push(Slot {
                datacenter: dc_id,
                free_watts: dc.capacity_watts(),
                install_month: clock.month as i32,
            });
            shortfall = shortfall.saturating_sub(dc.capacity_watts());
            events.record(
                &clock,
                EventKind::DatacenterRelet,
                dc_id,
                Some(provider),
                Some(rent),
                format!(
                    "vacant building re-let at ${:.0} per MW-month (vacancy {:.0}%)",
                    rent / dc.capacity_mw,
                    vacancy * 100.0
                ),
            );
        }
        let capacity_mw = params.datacenters.capacity_mw;
        let capacity_watts = (capacity_mw * 1e6).round() as u64;
        let (hyperscaler, drawdown) = tenants
            .get(directory.get(provider))
            .map_or((false, 0.0), |(listed, core)| (core, listed.map_or(0.0, Listed::drawdown)));
        // What an SPV bond for this tenant's next building would pay over risk-free.
        let spv_spread = {
            let cost = params.datacenters.build_cost_usd_per_mw * capacity_mw;
            let completion = clock.month as i32 + capex.build_months as i32;
            let lease = proposed_leaseback(&params, provider, rent_per_mw * capacity_mw, completion, cost);
            NewBond::price(&params, &lease, cost, rent_per_mw, capacity_mw).spread(&params)
        };
        let route = choose_route(&params, hyperscaler, drawdown, spv_spread);
        // A building too small for one GPU cannot take any: build nothing then.
        while shortfall > 0 && capacity_watts >= watts_per_gpu {
            // The sponsor with the most cash builds (lowest id on ties).
            let mut sponsor = key.sponsors[0];
            let mut best_cash = f64::NEG_INFINITY;
            for &candidate in &key.sponsors {
                if let Ok(a) = accounts.get(directory.get(candidate))
                    && a.cash_usd > best_cash
                {
                    best_cash = a.cash_usd;
                    sponsor = candidate;
                }
            }
            let build_cost = params.datacenters.build_cost_usd_per_mw * capacity_mw;
            // Built in `build_months`, it opens when the grid can connect it.
            let completion = grid.book(clock.month as i32 + capex.build_months as i32, capacity_mw);
            let rent = rent_per_mw * capacity_mw;
            let (dc_id, owner) = match route {
                BuildRoute::Spv => {
                    let deal = SpvDeal {
                        sponsor,
                        tenant: provider,
                        capacity_mw,
                        rent_usd_per_month: rent,
                        market_rent_usd_per_mw_month: rent_per_mw,
                        completion_month: completion,
                    };
                    create_spv(
                        &mut commands,
                        &mut ids,
                        &mut directory,
                        &params,
                        &clock,
                        &mut accounts,
                        &mut ledger,
                        &deal,
                    )
                }
                BuildRoute::Sponsor | BuildRoute::OwnBalanceSheet => {
                    let own = route == BuildRoute::OwnBalanceSheet;
                    let owner = if own { provider } else { sponsor };
                    let dc_id = ids.allocate();
                    let lease = (!own).then(|| {
                        sign_lease(
                            &mut commands,
                            &mut ids,
                            &mut directory,
                            &params,
                            provider,
                            sponsor,
                            dc_id,
                            rent,
                            completion,
                        )
                    });
                    spawn_with_id(
                        &mut commands,
                        &mut directory,
                        dc_id,
                        (
                            DataCenter {
                                owner,
                                capacity_mw,
                                completion_month: completion,
                                lease,
                                tenant: Some(provider),
                            },
                            Construction {
                                payer: owner,
                                cost_usd: build_cost,
                                spent_usd: 0.0,
                                months: capex.build_months,
                                ready_month: clock.month as i32 + capex.build_months as i32,
                            },
                        ),
                    );
                    (dc_id, owner)
                }
            };
            slots.push(Slot {
                datacenter: dc_id,
                free_watts: capacity_watts,
                install_month: completion,
            });
            shortfall = shortfall.saturating_sub(capacity_watts);
            events.record(
                &clock,
                EventKind::DatacenterCommissioned,
                dc_id,
                Some(owner),
                Some(build_cost),
                format!(
                    "{capacity_mw:.0} MW for tenant {}, ready in month {completion}, built {}",
                    provider.0,
                    match route {
                        BuildRoute::Spv => "by an SPV and leased back",
                        BuildRoute::OwnBalanceSheet => "on the tenant's balance sheet",
                        BuildRoute::Sponsor => "by a sponsor and let wholesale",
                    }
                ),
            );
        }

        // Cohorts of at most `cohort_size` GPUs, filling slots in order; the contract's
        // GPUs are the first placed (the circular leg), and count once installed.
        let cohort_size = u64::from(params.gpus.cohort_size);
        let mut contract_left = contract_gpus;
        for slot in &mut slots {
            while needed_watts > 0 && slot.free_watts >= watts_per_gpu {
                let count = (slot.free_watts / watts_per_gpu).min(needed_watts / watts_per_gpu).min(cohort_size);
                if count == 0 {
                    break;
                }
                let for_contract = count.min(contract_left);
                if for_contract > 0 {
                    contract_left -= for_contract;
                    deal.order(
                        newest.index,
                        for_contract,
                        watts_per_gpu,
                        for_contract as f64 * newest.price_usd,
                        slot.install_month,
                    );
                }
                spawn_agent(
                    &mut commands,
                    &mut ids,
                    &mut directory,
                    GpuCohort {
                        owner: provider,
                        datacenter: slot.datacenter,
                        generation: newest.index,
                        gpus: count as u32,
                        price_usd_per_gpu: newest.price_usd,
                        install_month: slot.install_month,
                        book_value_usd: count as f64 * newest.price_usd,
                        economic_value_usd: count as f64 * newest.price_usd,
                        rent_usd_per_gpu_hour: 0.0,
                        utilisation: 0.0,
                        impaired: false,
                        retired: false,
                        retired_tick: 0,
                    },
                );
                slot.free_watts -= count * watts_per_gpu;
                needed_watts -= count * watts_per_gpu;
            }
        }

        // The provider pays for the GPUs it could place; the chipmaker books the sale.
        let placed = gpus - needed_watts / watts_per_gpu;
        if placed == 0 {
            continue;
        }
        let cost = placed as f64 * newest.price_usd;
        if let Ok(mut provider_accounts) = accounts.get_mut(directory.get(provider)) {
            provider_accounts.cash_usd -= cost;
            provider_accounts.month.capex_usd += cost;
        }
        ledger.pay(provider, key.chipmaker, cost);
        if let Ok(mut chipmaker) = accounts.get_mut(directory.get(key.chipmaker)) {
            // The foundry and other suppliers (the rest of the economy) are paid at once.
            let cost_of_goods = cost * (1.0 - params.chipmaker.gross_margin);
            chipmaker.month.gpu_sales_usd += cost;
            chipmaker.month.other_costs_usd += cost_of_goods;
            chipmaker.cash_usd += cost - cost_of_goods;
            ledger.pay(key.chipmaker, REST_OF_ECONOMY, cost_of_goods);
        }
        let for_contract = contract_gpus - contract_left;
        let contract_cost = for_contract as f64 * newest.price_usd;
        flows.record(&clock, provider, key.chipmaker, FlowKind::GpuPurchase, contract_cost, true);
        flows.record(&clock, provider, key.chipmaker, FlowKind::GpuPurchase, cost - contract_cost, false);
        events.record(
            &clock,
            EventKind::GpuOrder,
            provider,
            Some(key.chipmaker),
            Some(cost),
            format!(
                "{placed} GPUs of generation {} ({for_contract} for the take-or-pay contract; forecast growth {:.0}%/yr, hype {:.2})",
                newest.index,
                growth * 100.0,
                narrative.hype
            ),
        );
    }
}

/// Spawns a wholesale lease from `start_month` on the configured term and break option.
pub fn sign_lease(
    commands: &mut Commands,
    ids: &mut IdAllocator,
    directory: &mut Directory,
    params: &Params,
    tenant: AgentId,
    landlord: AgentId,
    datacenter: AgentId,
    rent_usd_per_month: f64,
    start_month: i32,
) -> AgentId {
    spawn_agent(
        commands,
        ids,
        directory,
        Lease::wholesale(params, tenant, landlord, datacenter, rent_usd_per_month, start_month),
    )
}
