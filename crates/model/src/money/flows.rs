//! The flows log: payments that buy lab equity or GPUs or pay a take-or-pay contract,
//! each tagged with what it paid for and whether it is a leg of the circular loop, kept
//! until the recorder writes them to the `flows` table.

use bevy_ecs::prelude::Resource;

use crate::common::calendar::Clock;
use crate::common::ids::AgentId;

/// What a flow paid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum FlowKind {
    /// Equity bought in a lab by the chipmaker.
    ChipInvestment,
    /// A take-or-pay compute payment from a lab to a cloud.
    TakeOrPay,
    /// GPUs bought from the chipmaker.
    GpuPurchase,
    /// The market rent the contracted capacity earned, passed from the cloud to the lab.
    CapacityRent,
    /// A venture fund's part of a lab's round.
    VentureRound,
}

impl FlowKind {
    /// The name used in the `kind` column of the `flows` table.
    pub fn label(self) -> &'static str {
        match self {
            FlowKind::ChipInvestment => "chip_investment",
            FlowKind::TakeOrPay => "take_or_pay",
            FlowKind::GpuPurchase => "gpu_purchase",
            FlowKind::CapacityRent => "capacity_rent",
            FlowKind::VentureRound => "venture_round",
        }
    }
}

/// One payment between two agents.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Flow {
    /// Tick the payment was made on (trading days since the start).
    pub tick: u32,
    /// Date of the payment, in days since 1970-01-01.
    pub date: i32,
    /// The payer.
    pub from: AgentId,
    /// The payee.
    pub to: AgentId,
    /// What it paid for.
    pub kind: FlowKind,
    /// The amount paid, USD.
    pub amount_usd: f64,
    /// A leg of the chipmaker → lab → cloud → chipmaker loop.
    pub circular: bool,
}

/// Flows since the recorder last took them.
#[derive(Resource, Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct FlowLog {
    /// The flows, in the order they were made.
    pub flows: Vec<Flow>,
}

impl FlowLog {
    /// Records a payment made today; payments of zero or less are not kept.
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
