//! The records a payment is written into — the ledger, the flows log and the event log
//! — as one system parameter for the systems that move money.

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use crate::common::events::EventLog;
use crate::money::flows::FlowLog;
use crate::money::ledger::Ledger;

/// The ledger, the flows log and the event log.
#[derive(SystemParam)]
pub struct Bookkeeping<'w> {
    /// Every payment, posted on both sides.
    pub ledger: ResMut<'w, Ledger>,
    /// Payments for lab equity, GPUs and take-or-pay contracts.
    pub flows: ResMut<'w, FlowLog>,
    /// What happened.
    pub events: ResMut<'w, EventLog>,
}
