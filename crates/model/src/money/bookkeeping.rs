//! The records a payment is written into, as system parameters for the systems that
//! move money: the ledger, the flows log and the event log ([`Bookkeeping`]); firms'
//! accounts found through the directory, the event log and the ledger ([`FirmBooks`]).

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use crate::common::directory::Directory;
use crate::common::events::EventLog;
use crate::money::accounts::Accounts;
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

/// Firms' accounts found through the directory, the event log and the ledger: what a
/// payment between firms (rent, a primary sale) touches.
#[derive(SystemParam)]
pub struct FirmBooks<'w, 's> {
    /// AgentId → entity.
    pub directory: Res<'w, Directory>,
    /// Every firm's accounts.
    pub accounts: Query<'w, 's, &'static mut Accounts>,
    /// What happened.
    pub events: ResMut<'w, EventLog>,
    /// Every payment, posted on both sides.
    pub ledger: ResMut<'w, Ledger>,
}
