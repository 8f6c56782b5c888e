//! The event log: discrete happenings (a generation ships, a lease is cut, a lab fails)
//! that the `events` table records, plus the run totals the CLI summarises.

use bevy_ecs::prelude::Resource;

use crate::agents::AgentId;
use crate::calendar::Clock;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EventKind {
    GenerationRelease,
    GpuOrder,
    DatacenterCommissioned,
    DatacenterRelet,
    Impairment,
    Retirement,
    LeaseRentCut,
    LeaseBreak,
    LeaseDefault,
    LeaseExpiry,
    FundingRound,
    LabFailure,
}

impl EventKind {
    pub fn label(self) -> &'static str {
        match self {
            EventKind::GenerationRelease => "generation_release",
            EventKind::GpuOrder => "gpu_order",
            EventKind::DatacenterCommissioned => "datacenter_commissioned",
            EventKind::DatacenterRelet => "datacenter_relet",
            EventKind::Impairment => "impairment",
            EventKind::Retirement => "retirement",
            EventKind::LeaseRentCut => "lease_rent_cut",
            EventKind::LeaseBreak => "lease_break",
            EventKind::LeaseDefault => "lease_default",
            EventKind::LeaseExpiry => "lease_expiry",
            EventKind::FundingRound => "funding_round",
            EventKind::LabFailure => "lab_failure",
        }
    }
}

/// One event: who, with whom, how much, and a short note.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub tick: u32,
    pub date: i32,
    pub kind: EventKind,
    pub agent: AgentId,
    pub counterparty: Option<AgentId>,
    pub amount_usd: Option<f64>,
    pub detail: String,
}

/// Events not yet handed to the recorder, and totals for the run summary.
#[derive(Resource, Debug, Default)]
pub struct EventLog {
    pending: Vec<Event>,
    pub totals: Totals,
}

/// Counts and sums over the whole run.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Totals {
    pub lease_rent_cuts: u32,
    pub lease_breaks: u32,
    pub lease_defaults: u32,
    pub impairments_usd: f64,
    pub retirements_usd: f64,
    pub funding_rounds: u32,
    pub lab_failures: u32,
    pub generations_released: u32,
}

impl EventLog {
    /// Records an event happening today.
    pub fn record(
        &mut self,
        clock: &Clock,
        kind: EventKind,
        agent: AgentId,
        counterparty: Option<AgentId>,
        amount_usd: Option<f64>,
        detail: String,
    ) {
        self.push(Event {
            tick: clock.tick,
            date: clock.date,
            kind,
            agent,
            counterparty,
            amount_usd,
            detail,
        });
    }

    /// Records an event and updates the totals.
    pub fn push(&mut self, event: Event) {
        let totals = &mut self.totals;
        match event.kind {
            EventKind::LeaseRentCut => totals.lease_rent_cuts += 1,
            EventKind::LeaseBreak => totals.lease_breaks += 1,
            EventKind::LeaseDefault => totals.lease_defaults += 1,
            EventKind::Impairment => totals.impairments_usd += event.amount_usd.unwrap_or(0.0),
            EventKind::Retirement => totals.retirements_usd += event.amount_usd.unwrap_or(0.0),
            EventKind::FundingRound => totals.funding_rounds += 1,
            EventKind::LabFailure => totals.lab_failures += 1,
            EventKind::GenerationRelease => totals.generations_released += 1,
            _ => {}
        }
        self.pending.push(event);
    }

    /// Takes the events recorded since the last call.
    pub fn drain(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.pending)
    }
}
