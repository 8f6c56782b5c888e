//! The money and records an issuer's month touches — SPVs paying their bonds, pools
//! running their waterfall: firms' accounts found through the directory, what is due to
//! each security's holders, the events and the ledger.

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use crate::common::directory::Directory;
use crate::common::events::EventLog;
use crate::common::ids::AgentId;
use crate::finance::securities::SecurityCashflows;
use crate::money::accounts::Accounts;
use crate::money::ledger::Ledger;

/// Accounts, security cash flows, events and the ledger.
#[derive(SystemParam)]
pub struct IssuerBooks<'w, 's> {
    /// AgentId → entity.
    pub directory: Res<'w, Directory>,
    /// Every firm's accounts.
    pub accounts: Query<'w, 's, &'static mut Accounts>,
    /// What each security paid this month, for its holders to collect.
    pub cashflows: ResMut<'w, SecurityCashflows>,
    /// What happened.
    pub events: ResMut<'w, EventLog>,
    /// Every payment, posted on both sides.
    pub ledger: ResMut<'w, Ledger>,
}

impl IssuerBooks<'_, '_> {
    /// An agent's cash, if it has accounts.
    pub fn cash(&self, id: AgentId) -> Option<f64> {
        self.accounts.get(self.directory.get(id)).ok().map(|a| a.cash_usd)
    }

    /// An agent's accounts, to change.
    pub fn accounts_mut(&mut self, id: AgentId) -> Option<Mut<'_, Accounts>> {
        self.accounts.get_mut(self.directory.get(id)).ok()
    }
}
