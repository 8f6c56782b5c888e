//! Where a provider's new GPUs go: free space in its own buildings first, then vacant
//! buildings re-let at the market rent, then new buildings financed as
//! `real_estate::construction` chooses (a sponsor's wholesale lease, the tenant's own
//! balance sheet, or an SPV's lease-back), ready after `build_months` and once the grid
//! can connect them; then cohorts of at most `cohort_size` GPUs fill the slots in order.

use bevy_ecs::prelude::*;

use crate::ai_industry::circular::CircularDeal;
use crate::common::calendar::Clock;
use crate::common::directory::KeyAgents;
use crate::common::events::{EventKind, EventLog};
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::common::spawn::Spawner;
use crate::compute::fleet::FleetIndex;
use crate::compute::generations::{Generation, GpuCohort};
use crate::finance::spv::create::create_spv;
use crate::finance::spv::vehicle::{NewBond, SpvDeal, proposed_leaseback};
use crate::money::accounts::Accounts;
use crate::money::ledger::Ledger;
use crate::real_estate::construction::{BuildRoute, Construction};
use crate::real_estate::datacenters::DataCenter;
use crate::real_estate::grid::Grid;
use crate::real_estate::leases::Lease;

/// A building the provider can put GPUs into this quarter.
pub struct Slot {
    /// The building.
    pub datacenter: AgentId,
    /// Power still free in it, watts.
    pub free_watts: u64,
    /// The month GPUs placed in it enter service.
    pub install_month: i32,
}

/// The provider's own buildings with their free power.
pub fn own_slots(provider: AgentId, clock: &Clock, fleet: &FleetIndex, datacenters: &Query<(&AgentId, &mut DataCenter)>) -> Vec<Slot> {
    datacenters
        .iter()
        .sort::<&AgentId>()
        .filter(|(_, dc)| dc.tenant == Some(provider))
        .map(|(&dc_id, dc)| {
            let committed = fleet.committed_watts.get(&dc_id).copied().unwrap_or(0);
            Slot {
                datacenter: dc_id,
                free_watts: dc.capacity_watts().saturating_sub(committed),
                install_month: dc.completion_month.max(clock.month as i32),
            }
        })
        .collect()
}

/// Spawns a wholesale lease from `start_month` on the configured term and break option.
pub fn sign_lease(
    spawner: &mut Spawner,
    params: &Params,
    (tenant, landlord, datacenter): (AgentId, AgentId, AgentId),
    rent_usd_per_month: f64,
    start_month: i32,
) -> AgentId {
    spawner.spawn(Lease::wholesale(
        params,
        tenant,
        landlord,
        datacenter,
        rent_usd_per_month,
        start_month,
    ))
}

/// Lets vacant, finished buildings to `provider` at the market rent until they cover
/// `shortfall_watts`; adds them to `slots` and returns what is still short.
pub fn relet_vacant(
    spawner: &mut Spawner,
    (params, clock): (&Params, &Clock),
    (provider, rent_per_mw, vacancy): (AgentId, f64, f64),
    datacenters: &mut Query<(&AgentId, &mut DataCenter)>,
    events: &mut EventLog,
    slots: &mut Vec<Slot>,
    mut shortfall_watts: u64,
) -> u64 {
    for (&dc_id, mut dc) in datacenters.iter_mut().sort::<&AgentId>() {
        if shortfall_watts == 0 {
            break;
        }
        if dc.tenant.is_some() || !dc.completed(clock.month) {
            continue;
        }
        let rent = rent_per_mw * dc.capacity_mw;
        let lease = sign_lease(spawner, params, (provider, dc.owner, dc_id), rent, clock.month as i32);
        dc.tenant = Some(provider);
        dc.lease = Some(lease);
        slots.push(Slot {
            datacenter: dc_id,
            free_watts: dc.capacity_watts(),
            install_month: clock.month as i32,
        });
        shortfall_watts = shortfall_watts.saturating_sub(dc.capacity_watts());
        events.record(
            clock,
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
    shortfall_watts
}

/// The spread an SPV bond for `provider`'s next building would pay over risk-free.
pub fn spv_spread(params: &Params, clock: &Clock, provider: AgentId, rent_per_mw: f64) -> f64 {
    let capacity_mw = params.datacenters.capacity_mw;
    let cost = params.datacenters.build_cost_usd_per_mw * capacity_mw;
    let completion = clock.month as i32 + params.capex.build_months as i32;
    let lease = proposed_leaseback(params, provider, rent_per_mw * capacity_mw, completion, cost);
    NewBond::price(params, &lease, cost, rent_per_mw, capacity_mw).spread(params)
}

/// The sponsor with the most cash (the lowest id on ties).
fn richest_sponsor(key: &KeyAgents, spawner: &Spawner, accounts: &Query<&mut Accounts>) -> AgentId {
    let mut sponsor = key.sponsors[0];
    let mut best_cash = f64::NEG_INFINITY;
    for &candidate in &key.sponsors {
        if let Ok(a) = accounts.get(spawner.directory().get(candidate))
            && a.cash_usd > best_cash
        {
            best_cash = a.cash_usd;
            sponsor = candidate;
        }
    }
    sponsor
}

/// The money and records new buildings touch.
pub struct BuildBooks<'a, 'w, 's> {
    /// Firms' accounts (the sponsors' cash, equity paid into SPVs).
    pub accounts: &'a mut Query<'w, 's, &'static mut Accounts>,
    /// The ledger the SPVs' equity payments are posted in.
    pub ledger: &'a mut Ledger,
    /// The grid that books the buildings' connections.
    pub grid: &'a mut Grid,
    /// The event log.
    pub events: &'a mut EventLog,
}

/// Commissions new buildings for `provider` by `route` until they cover
/// `shortfall_watts`, each `datacenters.capacity_mw`, opening once built and connected;
/// adds them to `slots`.
pub fn build_new(
    spawner: &mut Spawner,
    (params, clock, key): (&Params, &Clock, &KeyAgents),
    (provider, route, rent_per_mw): (AgentId, BuildRoute, f64),
    books: BuildBooks,
    slots: &mut Vec<Slot>,
    mut shortfall_watts: u64,
    watts_per_gpu: u64,
) {
    let capex = &params.capex;
    let capacity_mw = params.datacenters.capacity_mw;
    let capacity_watts = (capacity_mw * 1e6).round() as u64;
    // A building too small for one GPU cannot take any: build nothing then.
    while shortfall_watts > 0 && capacity_watts >= watts_per_gpu {
        let sponsor = richest_sponsor(key, spawner, books.accounts);
        let build_cost = params.datacenters.build_cost_usd_per_mw * capacity_mw;
        // Built in `build_months`, it opens when the grid can connect it.
        let completion = books.grid.book(clock.month as i32 + capex.build_months as i32, capacity_mw);
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
                create_spv(spawner, params, clock, books.accounts, books.ledger, &deal)
            }
            BuildRoute::Sponsor | BuildRoute::OwnBalanceSheet => {
                let own = route == BuildRoute::OwnBalanceSheet;
                let owner = if own { provider } else { sponsor };
                let dc_id = spawner.allocate();
                let lease = (!own).then(|| sign_lease(spawner, params, (provider, sponsor, dc_id), rent, completion));
                spawner.spawn_with_id(
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
        shortfall_watts = shortfall_watts.saturating_sub(capacity_watts);
        books.events.record(
            clock,
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
}

/// Fills `slots` in order with cohorts of at most `cohort_size` GPUs of `newest` until
/// `gpus` are placed or the slots are full; the circular contract's `contract_gpus` are
/// placed first and booked on the deal. Returns (GPUs placed, of them for the contract).
pub fn place_cohorts(
    spawner: &mut Spawner,
    params: &Params,
    (provider, newest): (AgentId, &Generation),
    slots: &mut [Slot],
    (gpus, contract_gpus): (u64, u64),
    deal: &mut CircularDeal,
) -> (u64, u64) {
    let watts_per_gpu = newest.power_watts().max(1);
    let cohort_size = u64::from(params.gpus.cohort_size);
    let mut needed_watts = gpus * watts_per_gpu;
    let mut contract_left = contract_gpus;
    for slot in slots.iter_mut() {
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
            spawner.spawn(GpuCohort {
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
            });
            slot.free_watts -= count * watts_per_gpu;
            needed_watts -= count * watts_per_gpu;
        }
    }
    (gpus - needed_watts / watts_per_gpu, contract_gpus - contract_left)
}
