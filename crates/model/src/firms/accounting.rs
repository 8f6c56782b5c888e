//! Accounting: at the end of each month-start tick every firm closes the month — its
//! flows roll into trailing twelve-month figures and earnings into book equity — and a
//! provider's AI revenue plan is anchored on its first month. A borrower whose cash went
//! negative draws the gap on its credit line (it becomes debt that pays interest).

use bevy_ecs::prelude::*;

use crate::common::ids::AgentId;
use crate::firms::roles::{Borrower, Provider};
use crate::money::accounts::Accounts;
use crate::money::ledger::{Ledger, REST_OF_ECONOMY};

/// Monthly, last: closes every firm's month.
pub fn close_months(mut firms: Query<(&AgentId, &mut Accounts, Option<&mut Provider>, Has<Borrower>)>, mut ledger: ResMut<Ledger>) {
    for (&id, mut accounts, provider, borrower) in firms.iter_mut().sort::<&AgentId>() {
        if borrower && accounts.cash_usd < 0.0 {
            // The lenders (in the rest of the economy) advance the overdraft.
            ledger.pay(REST_OF_ECONOMY, id, -accounts.cash_usd);
            accounts.debt_usd -= accounts.cash_usd;
            accounts.cash_usd = 0.0;
        }
        if let Some(mut provider) = provider
            && provider.plan_base_ai_revenue_usd_per_month <= 0.0
        {
            provider.plan_base_ai_revenue_usd_per_month = accounts.month.ai_revenue_usd();
        }
        accounts.close_month();
    }
}
