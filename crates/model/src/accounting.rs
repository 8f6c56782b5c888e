//! Accounting: at the end of each month-start tick every firm closes the month — its
//! flows roll into trailing twelve-month figures and earnings into book equity — and a
//! provider's AI revenue plan is anchored on its first month. A borrower whose cash went
//! negative draws the gap on its credit line (it becomes debt that pays interest).

use bevy_ecs::prelude::*;

use crate::firms::{Accounts, Borrower, Provider};

/// Monthly, last: closes every firm's month.
pub fn close_months(mut firms: Query<(&mut Accounts, Option<&mut Provider>, Has<Borrower>)>) {
    for (mut accounts, provider, borrower) in &mut firms {
        if borrower && accounts.cash_usd < 0.0 {
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
