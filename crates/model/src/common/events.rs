//! The event log: discrete happenings (a generation ships, a lease is cut, a lab fails)
//! that the `events` table records, plus the run totals the CLI summarises.

use bevy_ecs::prelude::Resource;
use bubblesim_schema::{Column, Row};

use crate::common::calendar::Clock;
use crate::common::ids::AgentId;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum EventKind {
    /// A GPU generation ships.
    GenerationRelease,
    /// A provider buys GPUs from the chipmaker.
    GpuOrder,
    /// A new data-centre building is commissioned.
    DatacenterCommissioned,
    /// A vacant building is let to a new tenant.
    DatacenterRelet,
    /// GPU book value is written down.
    Impairment,
    /// GPU cohorts are retired and their remaining book value written off.
    Retirement,
    /// A landlord grants a tenant a rent cut.
    LeaseRentCut,
    /// A tenant leaves at a break or option date.
    LeaseBreak,
    /// A tenant stops paying its rent.
    LeaseDefault,
    /// A lease ends at term with the building unused.
    LeaseExpiry,
    /// A lab closes a funding round.
    FundingRound,
    /// A lab runs out of cash and fails.
    LabFailure,
    /// An imposed shock starts.
    Shock,
    /// A tenant's stress at a lease first reaches `leases.stress_event_threshold`.
    TenantStress,
    /// A bond or tranche is issued.
    SecurityIssued,
    /// A security's rating is lowered.
    RatingDowngrade,
    /// A security's rating is raised.
    RatingUpgrade,
    /// A lease-back tenant leaves within the guarantee period and the guarantee pays.
    GuaranteeCalled,
    /// An SPV cannot pay its bonds and the sponsor buys the building.
    SpvDefault,
    /// A pooled lease ends and the sponsor buys its loan out of the pool.
    CollateralEnded,
    /// A security's principal is written down.
    TrancheLoss,
    /// A hedge fund breaches its leverage cap and must shed assets.
    MarginCall,
    /// An institution sells under constraint.
    ForcedSale,
    /// Forced sales push a security's price down.
    FireSaleMarkdown,
    /// A fund's equity is gone and it is liquidated.
    FundFailure,
    /// A lab ships a frontier model.
    ModelRelease,
    /// A listed firm reports quarterly earnings.
    Earnings,
    /// A failed lab's take-or-pay contract ends early.
    ContractUnwound,
}

impl EventKind {
    /// The name used in the `kind` column of the `events` table.
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
            EventKind::Shock => "shock",
            EventKind::TenantStress => "tenant_stress",
            EventKind::SecurityIssued => "security_issued",
            EventKind::RatingDowngrade => "rating_downgrade",
            EventKind::RatingUpgrade => "rating_upgrade",
            EventKind::GuaranteeCalled => "guarantee_called",
            EventKind::SpvDefault => "spv_default",
            EventKind::CollateralEnded => "collateral_ended",
            EventKind::TrancheLoss => "tranche_loss",
            EventKind::MarginCall => "margin_call",
            EventKind::ForcedSale => "forced_sale",
            EventKind::FireSaleMarkdown => "fire_sale_markdown",
            EventKind::FundFailure => "fund_failure",
            EventKind::ModelRelease => "model_release",
            EventKind::Earnings => "earnings",
            EventKind::ContractUnwound => "contract_unwound",
        }
    }

    /// Every kind, in declaration order (for documentation).
    pub const ALL: [EventKind; 28] = [
        EventKind::GenerationRelease,
        EventKind::GpuOrder,
        EventKind::DatacenterCommissioned,
        EventKind::DatacenterRelet,
        EventKind::Impairment,
        EventKind::Retirement,
        EventKind::LeaseRentCut,
        EventKind::LeaseBreak,
        EventKind::LeaseDefault,
        EventKind::LeaseExpiry,
        EventKind::FundingRound,
        EventKind::LabFailure,
        EventKind::Shock,
        EventKind::TenantStress,
        EventKind::SecurityIssued,
        EventKind::RatingDowngrade,
        EventKind::RatingUpgrade,
        EventKind::GuaranteeCalled,
        EventKind::SpvDefault,
        EventKind::CollateralEnded,
        EventKind::TrancheLoss,
        EventKind::MarginCall,
        EventKind::ForcedSale,
        EventKind::FireSaleMarkdown,
        EventKind::FundFailure,
        EventKind::ModelRelease,
        EventKind::Earnings,
        EventKind::ContractUnwound,
    ];

    /// What an event of this kind means, and who its agent and counterparty are.
    pub fn meaning(self) -> &'static str {
        match self {
            EventKind::GenerationRelease => "a GPU generation ships (agent 0; amount: its list price per GPU)",
            EventKind::GpuOrder => "a provider buys GPUs (counterparty: the chipmaker; amount: what it paid)",
            EventKind::DatacenterCommissioned => {
                "a building is commissioned (agent: building; counterparty: its owner; amount: build cost)"
            }
            EventKind::DatacenterRelet => "a vacant building is let again (counterparty: the new tenant; amount: monthly rent)",
            EventKind::Impairment => "GPU book value written down (agent: owner; amount: the write-down)",
            EventKind::Retirement => "GPU cohorts retired (agent: owner; counterparty: building; amount: book value written off)",
            EventKind::LeaseRentCut => "a landlord grants a rent cut (agent: lease; counterparty: tenant; amount: the new monthly rent)",
            EventKind::LeaseBreak => {
                "a tenant leaves at a break or option date (agent: lease; counterparty: tenant; amount: the monthly rent it stops paying)"
            }
            EventKind::LeaseDefault => "a tenant stops paying (agent: lease; counterparty: tenant; amount: the monthly rent)",
            EventKind::LeaseExpiry => "a lease ends at term with the building unused (agent: lease; counterparty: tenant)",
            EventKind::FundingRound => "a lab closes a funding round (amount: the round)",
            EventKind::LabFailure => "a lab runs out of cash (amount: its cash shortfall)",
            EventKind::Shock => "an imposed shock starts (agent: the firm hit)",
            EventKind::TenantStress => {
                "a tenant's stress at a lease reaches the threshold (agent: lease; counterparty: tenant; amount: the monthly rent)"
            }
            EventKind::SecurityIssued => {
                "a bond or tranche is issued (agent: security; counterparty: issuer; amount: principal; detail: rating, coupon, who bought)"
            }
            EventKind::RatingDowngrade => "a security is downgraded (agent: security; counterparty: issuer; amount: principal outstanding)",
            EventKind::RatingUpgrade => "a security is upgraded (agent: security; counterparty: issuer; amount: principal outstanding)",
            EventKind::GuaranteeCalled => {
                "a lease-back tenant leaves within the guarantee period (agent: SPV; counterparty: tenant; amount: what the guarantee paid, 0 if the building covers the bonds)"
            }
            EventKind::SpvDefault => {
                "an SPV cannot pay its bonds; the sponsor buys the building (agent: SPV; counterparty: sponsor; amount: the price paid)"
            }
            EventKind::CollateralEnded => {
                "a pooled lease ended; the sponsor buys its loan out at the building's sale value (agent: pool; counterparty: lease; amount: the loss)"
            }
            EventKind::TrancheLoss => {
                "a security's principal is written down (agent: security; counterparty: issuer; amount: the write-down)"
            }
            EventKind::MarginCall => {
                "a hedge fund breaches its leverage cap (amount: assets shed to get back to target, cash used first, then sales)"
            }
            EventKind::ForcedSale => {
                "an institution sells under constraint (agent: seller; counterparty: asset; amount: proceeds; detail: the reason)"
            }
            EventKind::FireSaleMarkdown => {
                "forced sales push a security's price down (agent: security; counterparty: issuer; amount: value lost that day by everyone who did not sell)"
            }
            EventKind::FundFailure => "a fund's equity is gone; it is liquidated (agent: fund; amount: its lenders' loss)",
            EventKind::ModelRelease => {
                "a lab ships a frontier model (agent: lab; detail: its capability gain, the expected gain and the hype it moved)"
            }
            EventKind::Earnings => {
                "a listed firm reports quarterly earnings (amount: the quarter's earnings; detail: the surprise against the last quarter's value)"
            }
            EventKind::ContractUnwound => {
                "a failed lab's take-or-pay contract ends (agent: lab; counterparty: cloud; amount: contract value left unpaid)"
            }
        }
    }
}

/// One event: who, with whom, how much, and a short note.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    /// Position in the run's event sequence (0, 1, 2 …): the order things happened,
    /// also within a tick.
    pub sequence: u64,
    /// Tick the event happened on (trading days since the start).
    pub tick: u32,
    /// Date it happened on, in days since 1970-01-01.
    pub date: i32,
    /// What happened.
    pub kind: EventKind,
    /// The agent the event is about (see [`EventKind::meaning`] for who it is per kind).
    pub agent: AgentId,
    /// The other party, if any.
    pub counterparty: Option<AgentId>,
    /// The amount involved, if any, USD.
    pub amount_usd: Option<f64>,
    /// A short description.
    pub detail: String,
}

impl Row for Event {
    const TABLE: &'static str = "events";
    const ROW: &'static str = "one event";
    const COLUMNS: &'static [Column<Self>] = &[
        Column::tick(|r| r.tick),
        Column::date(|r| r.date),
        Column::agent_id(|r| r.agent.0),
        Column::kind(
            "what happened; every kind, with who its agent and counterparty are, is listed under “Event kinds” below",
            |r| r.kind.label(),
        ),
        Column::u64(
            "sequence",
            "count",
            "the event's place in the run (0, 1, 2 …): the order things happened, also within a day",
            |r| r.sequence,
        ),
        Column::opt_u64("counterparty_id", "id", "the other party, if any", |r| r.counterparty.map(|c| c.0)),
        Column::opt_f64("amount_usd", "USD", "the amount involved, if any", |r| r.amount_usd),
        Column::text("detail", "text", "a short description", |r| &r.detail),
    ];
}

/// The event kinds and their meanings, for the schema reference: the `kind` column of
/// `events`, and who `agent_id` and `counterparty_id` are.
pub fn event_kinds_markdown() -> String {
    let mut text = String::from(
        "## Event kinds\n\nThe `kind` column of `events`, and who `agent_id` and `counterparty_id` are.\n\n| kind | meaning |\n|---|---|\n",
    );
    for kind in EventKind::ALL {
        text.push_str(&format!("| `{}` | {} |\n", kind.label(), kind.meaning()));
    }
    text
}

/// Events not yet handed to the recorder, and totals for the run summary.
#[derive(Resource, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct EventLog {
    pending: Vec<Event>,
    recorded: u64,
    /// Counts and sums over the whole run so far.
    pub totals: Totals,
}

/// Counts and sums over the whole run.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Totals {
    /// Rent cuts granted.
    pub lease_rent_cuts: u32,
    /// Leases broken at a break or option date.
    pub lease_breaks: u32,
    /// Leases defaulted on.
    pub lease_defaults: u32,
    /// GPU impairments, USD.
    pub impairments_usd: f64,
    /// Book value written off at GPU retirements, USD.
    pub retirements_usd: f64,
    /// Funding rounds closed by labs.
    pub funding_rounds: u32,
    /// Labs that failed.
    pub lab_failures: u32,
    /// GPU generations released.
    pub generations_released: u32,
    /// Bonds and tranches issued.
    pub securities_issued: u32,
    /// Rating downgrades.
    pub downgrades: u32,
    /// Hedge-fund margin calls.
    pub margin_calls: u32,
    /// Proceeds of forced sales, USD.
    pub forced_sales_usd: f64,
    /// Principal written down on securities, USD.
    pub tranche_losses_usd: f64,
    /// Lease-back guarantees called.
    pub guarantees_called: u32,
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
            sequence: 0,
            tick: clock.tick,
            date: clock.date,
            kind,
            agent,
            counterparty,
            amount_usd,
            detail,
        });
    }

    /// Records an event (numbering it) and updates the totals.
    pub fn push(&mut self, mut event: Event) {
        event.sequence = self.recorded;
        self.recorded += 1;
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
            EventKind::SecurityIssued => totals.securities_issued += 1,
            EventKind::RatingDowngrade => totals.downgrades += 1,
            EventKind::MarginCall => totals.margin_calls += 1,
            EventKind::ForcedSale => totals.forced_sales_usd += event.amount_usd.unwrap_or(0.0),
            EventKind::TrancheLoss => totals.tranche_losses_usd += event.amount_usd.unwrap_or(0.0),
            EventKind::GuaranteeCalled => totals.guarantees_called += 1,
            _ => {}
        }
        self.pending.push(event);
    }

    /// Takes the events recorded since the last call.
    pub fn drain(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.pending)
    }
}
