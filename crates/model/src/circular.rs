//! Circular financing (DESIGN §1 link 2): the chipmaker invests in a lab progressively
//! per GW deployed; the lab pays a cloud take-or-pay for that capacity; the cloud buys
//! the chipmaker's GPUs to provide it, on credit. Every leg — and every other payment
//! that buys equity or GPUs — is a [`Flow`] in the `flows` table, so a notebook can
//! see how much of each firm's revenue came back around the loop.
//!
//! The cloud deploys the contract's GW evenly over the `deployment_months` before the
//! contract starts (its quarterly GPU order includes what is due, see `capex`). From the
//! start the lab pays value / (years × 12) a month for the share of the GW deployed.
//! The contracted GPU-hours are the lab's: the compute it uses up to them is not paid
//! again at the market rent (the pool's rent for those hours stays with the lab and is
//! not paid to the cloud). When the lab fails the contract is unwound.

use bevy_ecs::prelude::*;

use crate::agents::AgentId;
use crate::calendar::Clock;
use crate::compute_market::ComputeMarket;
use crate::events::{EventKind, EventLog};
use crate::firms::{Accounts, AiSeller, Firm, Lab, Stakes};
use crate::params::{Directory, Params};
use crate::setup::KeyAgents;

/// What a flow paid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FlowKind {
    /// Equity bought in a lab by the chipmaker.
    ChipInvestment,
    /// A take-or-pay compute payment from a lab to a cloud.
    TakeOrPay,
    /// GPUs bought from the chipmaker.
    GpuPurchase,
    /// A venture fund's part of a lab's round.
    VentureRound,
}

impl FlowKind {
    pub fn label(self) -> &'static str {
        match self {
            FlowKind::ChipInvestment => "chip_investment",
            FlowKind::TakeOrPay => "take_or_pay",
            FlowKind::GpuPurchase => "gpu_purchase",
            FlowKind::VentureRound => "venture_round",
        }
    }
}

/// One payment between two agents.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    pub tick: u32,
    pub date: i32,
    pub from: AgentId,
    pub to: AgentId,
    pub kind: FlowKind,
    pub amount_usd: f64,
    /// A leg of the chipmaker → lab → cloud → chipmaker loop.
    pub circular: bool,
}

/// Flows since the recorder last took them.
#[derive(Resource, Debug, Clone, Default)]
pub struct FlowLog {
    pub flows: Vec<Flow>,
}

impl FlowLog {
    pub fn record(&mut self, clock: &Clock, from: AgentId, to: AgentId, kind: FlowKind, amount_usd: f64, circular: bool) {
        if amount_usd > 0.0 {
            self.flows.push(Flow {
                tick: clock.tick,
                date: clock.date,
                from,
                to,
                kind,
                amount_usd,
                circular,
            });
        }
    }
}

/// The deal's state.
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct CircularDeal {
    pub lab: Option<AgentId>,
    pub cloud: Option<AgentId>,
    /// False once unwound or ended (or when there is no deal).
    pub active: bool,
    pub deployed_gw: f64,
    /// GW deployed since the chipmaker last invested.
    pub uninvested_gw: f64,
    pub contracted_h100_hours_per_month: f64,
    pub invested_usd: f64,
    pub paid_usd: f64,
    /// What the cloud paid the chipmaker for the contract's GPUs.
    pub gpus_bought_usd: f64,
}

impl CircularDeal {
    /// GW the cloud should have deployed by `month` (evenly over the deployment window).
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
        let due_gw = (self.target_gw(params, month + 3) - self.deployed_gw).max(0.0);
        (due_gw * 1e9 / watts_per_gpu as f64).ceil() as u64
    }

    /// Records GPUs placed for the contract and what they cost.
    pub fn deploy(&mut self, gpus: u64, watts_per_gpu: u64, h100_hours_per_gpu_month: f64, cost_usd: f64) {
        self.gpus_bought_usd += cost_usd;
        let gw = gpus as f64 * watts_per_gpu as f64 / 1e9;
        self.deployed_gw += gw;
        self.uninvested_gw += gw;
        self.contracted_h100_hours_per_month += gpus as f64 * h100_hours_per_gpu_month;
    }

    /// This month's take-or-pay payment: the monthly price of the GW deployed, during
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

/// Quarterly, after GPU orders: the chipmaker invests per GW newly deployed.
pub fn invest_per_gw(
    params: Res<Params>,
    clock: Res<Clock>,
    key: Res<KeyAgents>,
    directory: Res<Directory>,
    mut deal: ResMut<CircularDeal>,
    mut firms: Query<(&Firm, &mut Accounts, Option<&mut Lab>, Option<&mut Stakes>)>,
    mut flows: ResMut<FlowLog>,
) {
    let Some(lab_id) = deal.lab else { return };
    let c = &params.circular;
    let amount = (deal.uninvested_gw * c.investment_usd_per_gw).min((c.investment_cap_usd - deal.invested_usd).max(0.0));
    deal.uninvested_gw = 0.0;
    if !deal.active || amount <= 0.0 {
        return;
    }
    let units = match firms.get_mut(directory.get(lab_id)) {
        Ok((firm, mut accounts, Some(mut lab), _)) if firm.active => {
            accounts.cash_usd += amount;
            accounts.month.funding_usd += amount;
            let pre_money = lab.valuation_usd;
            lab.sell_equity(amount, pre_money)
        }
        _ => return,
    };
    if let Ok((_, mut accounts, _, Some(mut stakes))) = firms.get_mut(directory.get(key.chipmaker)) {
        accounts.cash_usd -= amount;
        accounts.month.investments_usd += amount;
        stakes.add(lab_id, units, amount);
    }
    deal.invested_usd += amount;
    flows.record(&clock, key.chipmaker, lab_id, FlowKind::ChipInvestment, amount, true);
}

/// Monthly, after revenue: the take-or-pay payment, and the compute it already covers.
pub fn settle_take_or_pay(
    params: Res<Params>,
    clock: Res<Clock>,
    market: Res<ComputeMarket>,
    directory: Res<Directory>,
    mut deal: ResMut<CircularDeal>,
    mut firms: Query<(&Firm, &mut Accounts, Option<&AiSeller>)>,
    mut flows: ResMut<FlowLog>,
) {
    let (Some(lab_id), Some(cloud_id)) = (deal.lab, deal.cloud) else {
        return;
    };
    let c = &params.circular;
    if deal.active && f64::from(clock.month) >= f64::from(c.contract_start_months) + c.contract_years * 12.0 {
        // The term is over: the contract ends (the GPUs stay the cloud's).
        deal.active = false;
        deal.contracted_h100_hours_per_month = 0.0;
        return;
    }
    let payment = deal.payment_usd(&params, clock.month);
    if payment <= 0.0 {
        return;
    }
    let credit = match firms.get_mut(directory.get(lab_id)) {
        Ok((firm, mut accounts, Some(seller))) if firm.active => {
            let served = market.served_share * seller.compute_demand_h100_hours;
            let credit = served.min(deal.contracted_h100_hours_per_month) * market.rent_usd_per_h100_hour;
            accounts.month.compute_cost_usd += payment - credit;
            accounts.cash_usd -= payment - credit;
            credit
        }
        _ => return,
    };
    if let Ok((_, mut accounts, _)) = firms.get_mut(directory.get(cloud_id)) {
        accounts.month.compute_rent_income_usd += payment - credit;
        accounts.cash_usd += payment - credit;
    }
    deal.paid_usd += payment;
    flows.record(&clock, lab_id, cloud_id, FlowKind::TakeOrPay, payment, true);
}

/// Unwinds the deal when its lab fails: payments and investments stop; the chipmaker
/// writes its stake off.
pub fn unwind(params: &Params, clock: &Clock, deal: &mut CircularDeal, lab: AgentId, events: &mut EventLog) {
    if deal.lab != Some(lab) || !deal.active {
        return;
    }
    deal.active = false;
    deal.contracted_h100_hours_per_month = 0.0;
    let cloud = deal.cloud.unwrap_or(lab);
    events.record(
        clock,
        EventKind::ContractUnwound,
        lab,
        Some(cloud),
        Some(deal.unpaid_usd(params)),
        format!(
            "take-or-pay contract unwound with {:.2} GW deployed; the chipmaker's ${:.1}B stake is written off",
            deal.deployed_gw,
            deal.invested_usd / 1e9
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

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
        deal.deploy(due, 1_000_000, 1.0, 1.0);
        let monthly = c.contract_value_usd / (c.contract_years * 12.0);
        assert!((deal.payment_usd(&params, c.contract_start_months) - monthly).abs() < 1e-3 * monthly);
        assert_eq!(deal.payment_usd(&params, c.contract_start_months - 1), 0.0);
        let end = c.contract_start_months + (c.contract_years * 12.0) as u32;
        assert_eq!(deal.payment_usd(&params, end), 0.0);
        deal.active = false;
        assert_eq!(deal.payment_usd(&params, c.contract_start_months), 0.0);
    }
}
