//! Circular financing (docs/model.md#the-circular-deal): the chipmaker invests in a lab
//! progressively per GW installed; the lab pays a cloud take-or-pay for that capacity;
//! the cloud buys the chipmaker's GPUs to provide it, on credit. Every leg — and every
//! other payment that buys equity or GPUs — is a [`Flow`](crate::money::flows::Flow) in
//! the `flows` table, so a notebook can see how much of each firm's revenue came back
//! around the loop.
//!
//! The cloud orders the contract's GW evenly over the `deployment_months` before the
//! contract starts (its quarterly GPU order includes what is due, see `capex`); they
//! count as deployed once installed. Each month the chipmaker invests per GW newly
//! installed, and from the start the lab pays value / (years × 12) a month for the share
//! of the GW installed. The contracted GPUs are dispatched with the cloud's others; the
//! market rent they earn (the hours their generation is busy × the market rent, for as
//! many as are still in service) goes to the lab, so the lab pays a fixed price for the
//! capacity and the cloud earns that fixed price instead of the market rent — a
//! take-or-pay contract on capacity sold through the market. GPUs that need a new
//! building are installed when it is finished, so capacity (and payments) can trail the
//! contract's start. The contract ends at its term, or is unwound when the lab fails.

use bevy_ecs::prelude::*;

use crate::common::calendar::Clock;
use crate::common::directory::{Directory, KeyAgents};
use crate::common::events::{EventKind, EventLog};
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::common::today::Today;
use crate::compute::generations::HOURS_PER_MONTH;
use crate::compute::view::ComputeView;
use crate::firms::firm::Firm;
use crate::firms::roles::{Lab, Stakes};
use crate::money::accounts::Accounts;
use crate::money::bookkeeping::Bookkeeping;
use crate::money::flows::FlowKind;

/// Contract GPUs ordered and not yet installed.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PendingCapacity {
    /// Month the GPUs are installed, in months since the start.
    pub install_month: i32,
    /// The GPUs' generation.
    pub generation: u32,
    /// Number of GPUs.
    pub gpus: u64,
    /// Their power draw, GW.
    pub gw: f64,
}

/// The deal's state.
#[derive(Resource, Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CircularDeal {
    /// The lab that pays take-or-pay and receives the chipmaker's investment (`circular.lab`).
    pub lab: Option<AgentId>,
    /// The cloud that provides the capacity and buys the GPUs (`circular.cloud`).
    pub cloud: Option<AgentId>,
    /// False once unwound or ended (or when there is no deal).
    pub active: bool,
    /// GW of contract capacity ordered so far.
    pub ordered_gw: f64,
    /// GW installed and counted as deployed.
    pub deployed_gw: f64,
    /// GW installed since the chipmaker last invested.
    pub uninvested_gw: f64,
    /// Contract GPUs ordered and not yet installed.
    pub pending: Vec<PendingCapacity>,
    /// Installed contract GPUs by generation, sorted.
    pub contracted_gpus: Vec<(u32, u64)>,
    /// What the chipmaker has invested in the lab so far, USD (capped at `circular.investment_cap_usd`).
    pub invested_usd: f64,
    /// Take-or-pay payments made so far (gross), USD.
    pub paid_usd: f64,
    /// Market rent the contracted capacity earned, passed back to the lab so far, USD.
    pub credited_usd: f64,
    /// What the cloud paid the chipmaker for the contract's GPUs.
    pub gpus_bought_usd: f64,
}

impl CircularDeal {
    /// GW the cloud should have ordered by `month` (evenly over the deployment window).
    pub fn target_gw(&self, params: &Params, month: u32) -> f64 {
        let c = &params.circular;
        let begin = f64::from(c.contract_start_months) - f64::from(c.deployment_months);
        (c.contract_gw * (f64::from(month) - begin) / f64::from(c.deployment_months)).clamp(0.0, c.contract_gw)
    }

    /// GPUs of `watts_per_gpu` the cloud must order this quarter to be on schedule by
    /// the end of it.
    pub fn gpus_due(&self, params: &Params, month: u32, watts_per_gpu: u64) -> u64 {
        if !self.active || watts_per_gpu == 0 {
            return 0;
        }
        let due_gw = (self.target_gw(params, month + 3) - self.ordered_gw).max(0.0);
        (due_gw * 1e9 / watts_per_gpu as f64).ceil() as u64
    }

    /// Records contract GPUs ordered, what they cost and when they are installed.
    pub fn order(&mut self, generation: u32, gpus: u64, watts_per_gpu: u64, cost_usd: f64, install_month: i32) {
        let gw = gpus as f64 * watts_per_gpu as f64 / 1e9;
        self.ordered_gw += gw;
        self.gpus_bought_usd += cost_usd;
        self.pending.push(PendingCapacity {
            install_month,
            generation,
            gpus,
            gw,
        });
    }

    /// Moves what is installed by `month` from pending to deployed.
    pub fn install(&mut self, month: i32) {
        let (done, waiting): (Vec<PendingCapacity>, Vec<PendingCapacity>) = self.pending.iter().partition(|p| p.install_month <= month);
        self.pending = waiting;
        for p in done {
            self.deployed_gw += p.gw;
            self.uninvested_gw += p.gw;
            match self.contracted_gpus.binary_search_by_key(&p.generation, |&(g, _)| g) {
                Ok(i) => self.contracted_gpus[i].1 += p.gpus,
                Err(i) => self.contracted_gpus.insert(i, (p.generation, p.gpus)),
            }
        }
    }

    /// This month's take-or-pay payment: the monthly price of the GW installed, during
    /// the contract's term.
    pub fn payment_usd(&self, params: &Params, month: u32) -> f64 {
        let c = &params.circular;
        let start = f64::from(c.contract_start_months);
        let month = f64::from(month);
        if !self.active || c.contract_gw <= 0.0 || month < start || month >= start + c.contract_years * 12.0 {
            return 0.0;
        }
        c.contract_value_usd / (c.contract_years * 12.0) * (self.deployed_gw / c.contract_gw).min(1.0)
    }

    /// Value of the contract not yet paid.
    pub fn unpaid_usd(&self, params: &Params) -> f64 {
        (params.circular.contract_value_usd - self.paid_usd).max(0.0)
    }
}

/// A firm as the contract sees it: its identity, its books, and its lab or stakes.
type ContractParty = (
    &'static Firm,
    &'static mut Accounts,
    Option<&'static mut Lab>,
    Option<&'static mut Stakes>,
);

/// The market rent the contracted GPUs earned this month: the hours their generation was
/// busy × the market rent, for as many of them as the cloud still has in service.
pub fn capacity_credit_usd(deal: &CircularDeal, cloud: AgentId, compute: &ComputeView) -> f64 {
    deal.contracted_gpus
        .iter()
        .map(|&(generation, gpus)| {
            let in_service = compute
                .fleet
                .owner_generations(cloud)
                .find(|&(g, _)| g == generation)
                .map_or(0, |(_, n)| n);
            let busy_hours = gpus.min(in_service) as f64 * compute.market.utilisation(generation) * HOURS_PER_MONTH;
            busy_hours * compute.generations.get(generation).performance_h100 * compute.market.rent_usd_per_h100_hour
        })
        .sum()
}

/// The chipmaker buys the lab's equity at its last mark, per GW newly installed (up to
/// the investment cap).
fn invest_per_gw(
    (params, clock, key, directory): (&Params, &Clock, &KeyAgents, &Directory),
    deal: &mut CircularDeal,
    lab_id: AgentId,
    firms: &mut Query<ContractParty>,
    books: &mut Bookkeeping,
) {
    let c = &params.circular;
    let amount = (deal.uninvested_gw * c.investment_usd_per_gw).min((c.investment_cap_usd - deal.invested_usd).max(0.0));
    if amount > 0.0
        && let Ok((firm, mut accounts, Some(mut lab), _)) = firms.get_mut(directory.get(lab_id))
        && firm.active
        && lab.valuation_usd > 0.0
    {
        deal.uninvested_gw = 0.0;
        accounts.cash_usd += amount;
        accounts.month.funding_usd += amount;
        let pre_money = lab.valuation_usd;
        let units = lab.sell_equity(amount, pre_money);
        if let Ok((_, mut chip_accounts, _, Some(mut stakes))) = firms.get_mut(directory.get(key.chipmaker)) {
            chip_accounts.cash_usd -= amount;
            chip_accounts.month.investments_usd += amount;
            stakes.add(lab_id, units, amount);
        }
        deal.invested_usd += amount;
        books.ledger.pay(key.chipmaker, lab_id, amount);
        books
            .flows
            .record(clock, key.chipmaker, lab_id, FlowKind::ChipInvestment, amount, true);
    }
}

/// Monthly, after revenue and before funding rounds: contract GPUs installed, the
/// chipmaker's investment per GW, the take-or-pay payment and the capacity's market
/// rent (the lab pays the payment net of the rent its capacity earned).
pub fn settle_contract(
    today: Today,
    key: Res<KeyAgents>,
    directory: Res<Directory>,
    compute: ComputeView,
    mut deal: ResMut<CircularDeal>,
    mut firms: Query<ContractParty>,
    mut books: Bookkeeping,
) {
    let (params, clock) = (&*today.params, &*today.clock);
    let (Some(lab_id), Some(cloud_id)) = (deal.lab, deal.cloud) else {
        return;
    };
    if !deal.active {
        return;
    }
    let c = &params.circular;
    if f64::from(clock.month) >= f64::from(c.contract_start_months) + c.contract_years * 12.0 {
        // The term is over: the contract ends (the GPUs stay the cloud's).
        deal.active = false;
        deal.contracted_gpus.clear();
        return;
    }
    deal.install(clock.month as i32);
    invest_per_gw((params, clock, &key, &directory), &mut deal, lab_id, &mut firms, &mut books);

    let payment = deal.payment_usd(params, clock.month);
    if payment <= 0.0 {
        return;
    }
    let credit = capacity_credit_usd(&deal, cloud_id, &compute);
    let net = payment - credit;
    match firms.get_mut(directory.get(lab_id)) {
        Ok((firm, mut accounts, _, _)) if firm.active => {
            accounts.month.compute_cost_usd += net;
            accounts.cash_usd -= net;
        }
        _ => return,
    }
    if let Ok((_, mut accounts, _, _)) = firms.get_mut(directory.get(cloud_id)) {
        accounts.month.compute_rent_income_usd += net;
        accounts.cash_usd += net;
    }
    books.ledger.pay(lab_id, cloud_id, net);
    deal.paid_usd += payment;
    deal.credited_usd += credit;
    books.flows.record(clock, lab_id, cloud_id, FlowKind::TakeOrPay, payment, true);
    books.flows.record(clock, cloud_id, lab_id, FlowKind::CapacityRent, credit, true);
}

impl CircularDeal {
    /// Unwinds the deal when its lab fails: payments and investments stop; the
    /// chipmaker writes its stake off.
    pub fn unwind(&mut self, params: &Params, clock: &Clock, lab: AgentId, events: &mut EventLog) {
        if self.lab != Some(lab) || !self.active {
            return;
        }
        self.active = false;
        self.contracted_gpus.clear();
        let cloud = self.cloud.unwrap_or(lab);
        events.record(
            clock,
            EventKind::ContractUnwound,
            lab,
            Some(cloud),
            Some(self.unpaid_usd(params)),
            format!(
                "take-or-pay contract unwound with {:.2} GW deployed; the chipmaker's ${:.1}B stake is written off",
                self.deployed_gw,
                self.invested_usd / 1e9
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::compute::fleet::FleetIndex;
    use crate::compute::market::ComputeMarket;
    use crate::money::flows::FlowLog;
    use crate::prelude::kernels::Generations;
    use std::sync::Arc;

    use bevy_ecs::system::RunSystemOnce;

    use super::*;
    use crate::common::ids::AgentId;
    use crate::compute::fleet::rebuild_fleet_index;
    use crate::compute::generations::GpuCohort;
    use crate::firms::firm::FirmKind;

    fn firm(kind: FirmKind, name: &str) -> Firm {
        Firm {
            kind,
            name: Arc::from(name),
            active: true,
        }
    }

    /// One month of the contract in a world of a lab, a cloud with one cohort of GPUs,
    /// and the chipmaker: money moves between them and is neither made nor lost, and the
    /// lab gets the market rent of exactly its contracted GPUs' busy hours.
    #[test]
    fn a_month_of_the_contract_conserves_money_and_records_every_leg() {
        let config = bubblesim_config::load(
            &bubblesim_config::ConfigSource::baseline(),
            &["circular.contract_start_months=0".to_owned()],
        )
        .unwrap();
        let params = Params(Arc::new(config));
        let mut world = World::new();
        let mut directory = Directory::default();
        let (lab, cloud, chipmaker) = (AgentId(1), AgentId(2), AgentId(3));
        let mut spawn = |world: &mut World, id: AgentId, bundle: (Firm, Accounts)| {
            let entity = world.spawn((id, bundle.0, bundle.1)).id();
            directory.insert(id, entity);
            entity
        };
        let lab_entity = spawn(&mut world, lab, (firm(FirmKind::Lab, "lab"), Accounts::with_cash(1e10, 0.0, 1e10)));
        let mut lab_state = Lab::new(0.0);
        lab_state.valuation_usd = 1e11;
        world.entity_mut(lab_entity).insert(lab_state);
        spawn(
            &mut world,
            cloud,
            (firm(FirmKind::Cloud, "cloud"), Accounts::with_cash(1e9, 0.0, 1e9)),
        );
        let chip_entity = spawn(
            &mut world,
            chipmaker,
            (firm(FirmKind::Chipmaker, "chipmaker"), Accounts::with_cash(5e10, 0.0, 5e10)),
        );
        world.entity_mut(chip_entity).insert(Stakes::default());
        let generations = Generations::from_config(&params.gpus);
        let newest = generations.newest().clone();
        world.spawn(GpuCohort {
            owner: cloud,
            datacenter: AgentId(9),
            generation: newest.index,
            gpus: 1_000_000,
            price_usd_per_gpu: newest.price_usd,
            install_month: -1,
            book_value_usd: 0.0,
            economic_value_usd: 0.0,
            rent_usd_per_gpu_hour: 0.0,
            utilisation: 0.0,
            impaired: false,
            retired: false,
            retired_tick: 0,
        });
        // A quarter of the cloud's GPUs are the contract's, installed this month; the
        // newest generation is 60% busy at $2 an H100-hour.
        let mut utilisation = vec![0.0; newest.index as usize + 1];
        utilisation[newest.index as usize] = 0.6;
        world.insert_resource(ComputeMarket {
            rent_usd_per_h100_hour: 2.0,
            utilisation_by_generation: utilisation,
            ..ComputeMarket::default()
        });
        let mut deal = CircularDeal {
            lab: Some(lab),
            cloud: Some(cloud),
            active: true,
            ..CircularDeal::default()
        };
        deal.order(newest.index, 250_000, newest.power_watts(), 1.0, 0);
        let gw = deal.ordered_gw;
        world.insert_resource(deal);
        world.insert_resource(crate::common::calendar::Clock::new(20_000, 1.0));
        world.insert_resource(KeyAgents {
            chipmaker,
            sponsors: Vec::new(),
        });
        world.insert_resource(directory);
        world.insert_resource(generations);
        world.insert_resource(FleetIndex::default());
        world.insert_resource(FlowLog::default());
        world.insert_resource(params.clone());
        world.run_system_once(rebuild_fleet_index).expect("the system runs");
        let cash = |world: &mut World| -> Vec<f64> {
            let mut query = world.query::<(&AgentId, &Accounts)>();
            let mut cash: Vec<(AgentId, f64)> = query.iter(world).map(|(&id, a)| (id, a.cash_usd)).collect();
            cash.sort_by_key(|&(id, _)| id);
            cash.into_iter().map(|(_, c)| c).collect()
        };
        let before = cash(&mut world);
        world.insert_resource(crate::money::ledger::Ledger::default());
        world.insert_resource(crate::common::params::Seed(1));
        world.insert_resource(EventLog::default());
        world.run_system_once(settle_contract).expect("the system runs");
        let after = cash(&mut world);

        let c = &params.circular;
        let invested = gw * c.investment_usd_per_gw;
        let payment = c.contract_value_usd / (c.contract_years * 12.0) * gw / c.contract_gw;
        let credit = 250_000.0 * 0.6 * HOURS_PER_MONTH * newest.performance_h100 * 2.0;
        let deal = world.resource::<CircularDeal>().clone();
        assert_eq!(deal.contracted_gpus, vec![(newest.index, 250_000)]);
        assert!((deal.invested_usd - invested).abs() < 1.0 && (deal.paid_usd - payment).abs() < 1.0);
        assert!((deal.credited_usd - credit).abs() < 1.0, "{}", deal.credited_usd);
        // Lab: + investment − (payment − credit); cloud: + (payment − credit); chipmaker: − investment.
        let close = |a: f64, b: f64| (a - b).abs() < 1e-3;
        assert!(close(after[0] - before[0], invested - payment + credit));
        assert!(close(after[1] - before[1], payment - credit));
        assert!(close(after[2] - before[2], -invested));
        assert!(
            close(after.iter().sum::<f64>(), before.iter().sum::<f64>()),
            "money was made or lost"
        );
        let flows = &world.resource::<FlowLog>().flows;
        let legs: Vec<(FlowKind, AgentId, AgentId)> = flows.iter().map(|f| (f.kind, f.from, f.to)).collect();
        assert_eq!(
            legs,
            [
                (FlowKind::ChipInvestment, chipmaker, lab),
                (FlowKind::TakeOrPay, lab, cloud),
                (FlowKind::CapacityRent, cloud, lab)
            ]
        );
        assert!(flows.iter().all(|f| f.circular));
        let stakes = world.entity(chip_entity).get::<Stakes>().unwrap();
        assert_eq!(stakes.invested_in(lab), invested);
    }

    #[test]
    fn deployment_and_payments_follow_the_schedule() {
        let params = Params(std::sync::Arc::new(bubblesim_config::Config::baseline()));
        let c = &params.circular;
        let mut deal = CircularDeal {
            active: true,
            ..CircularDeal::default()
        };
        let begin = c.contract_start_months - c.deployment_months;
        assert_eq!(deal.target_gw(&params, begin), 0.0);
        assert_eq!(deal.target_gw(&params, c.contract_start_months), c.contract_gw);
        assert_eq!(deal.gpus_due(&params, 0, 1000), 0);
        let due = deal.gpus_due(&params, c.contract_start_months, 1_000_000);
        assert_eq!(due as f64, (c.contract_gw * 1e3).ceil());
        assert_eq!(
            deal.payment_usd(&params, c.contract_start_months),
            0.0,
            "nothing deployed, nothing owed"
        );
        deal.order(2, due, 1_000_000, 1.0, c.contract_start_months as i32);
        assert_eq!(
            deal.gpus_due(&params, c.contract_start_months, 1_000_000),
            0,
            "ordered, not due again"
        );
        assert_eq!(deal.payment_usd(&params, c.contract_start_months), 0.0, "ordered, not installed");
        deal.install(c.contract_start_months as i32 - 1);
        assert_eq!(deal.deployed_gw, 0.0);
        deal.install(c.contract_start_months as i32);
        assert!((deal.deployed_gw - c.contract_gw).abs() < 1e-3);
        let monthly = c.contract_value_usd / (c.contract_years * 12.0);
        assert!((deal.payment_usd(&params, c.contract_start_months) - monthly).abs() < 1e-3 * monthly);
        assert_eq!(deal.payment_usd(&params, c.contract_start_months - 1), 0.0);
        let end = c.contract_start_months + (c.contract_years * 12.0) as u32;
        assert_eq!(deal.payment_usd(&params, end), 0.0);
        deal.active = false;
        assert_eq!(deal.payment_usd(&params, c.contract_start_months), 0.0);
    }
}
