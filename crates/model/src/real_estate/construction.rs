//! Construction and the choice of how a new building is financed. A cloud's building is
//! built by a sponsor and let on a wholesale lease. A hyperscaler either builds on its
//! own balance sheet (paying the cost, borrowing if its cash runs short) or has a
//! sponsor build it through an SPV that leases it back (`spv`): it picks the SPV when
//! the spread the market charges its own debt, plus the penalty for reporting that debt,
//! exceeds the SPV bond's spread. Its own spread widens as its shares fall, so a
//! stressed hyperscaler leans harder on off-balance-sheet finance. Construction cost is
//! paid in equal monthly draws over the build time.

use bevy_ecs::prelude::*;

use crate::common::directory::Directory;
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::money::accounts::Accounts;
use crate::money::ledger::{Ledger, REST_OF_ECONOMY};
use crate::real_estate::datacenters::DataCenter;

/// A building under construction and who pays for it.
#[derive(Component, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Construction {
    /// Who pays the instalments: the building's owner (a sponsor, an SPV, or a tenant building on its own balance sheet).
    pub payer: AgentId,
    /// Total construction cost, USD.
    pub cost_usd: f64,
    /// Cost drawn so far, USD.
    pub spent_usd: f64,
    /// Months over which the cost is drawn.
    pub months: u32,
    /// Month (relative to the start) construction ends; the building opens then, or
    /// later if it waits for a grid connection.
    pub ready_month: i32,
}

/// Who builds a new building.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildRoute {
    /// A sponsor builds and lets it on a wholesale lease.
    Sponsor,
    /// The tenant builds and owns it.
    OwnBalanceSheet,
    /// A sponsor's SPV builds it, funded by bonds and equity, and leases it back.
    Spv,
}

/// A hyperscaler's own yearly debt spread at a share-price drawdown (0 … 1).
pub fn own_debt_spread(params: &Params, drawdown: f64) -> f64 {
    params.financing.own_debt_spread + params.financing.own_debt_spread_per_drawdown * drawdown.clamp(0.0, 1.0)
}

/// How a provider's new building is financed: clouds rent from sponsors; hyperscalers
/// compare their own cost of reported debt with the spread the SPV's bond would pay
/// (liquidity premium + its modelled expected loss, [`NewBond`](crate::finance::spv::vehicle::NewBond)).
pub fn choose_route(params: &Params, hyperscaler: bool, drawdown: f64, spv_spread: f64) -> BuildRoute {
    if !hyperscaler {
        BuildRoute::Sponsor
    } else if own_debt_spread(params, drawdown) + params.financing.reported_debt_penalty > spv_spread {
        BuildRoute::Spv
    } else {
        BuildRoute::OwnBalanceSheet
    }
}

/// Monthly: each building under construction draws its next instalment from its payer.
pub fn build_datacenters(
    directory: Res<Directory>,
    mut sites: Query<(&AgentId, &mut Construction), With<DataCenter>>,
    mut accounts: Query<&mut Accounts>,
    mut ledger: ResMut<Ledger>,
) {
    for (_, mut site) in sites.iter_mut().sort::<&AgentId>() {
        let remaining = site.cost_usd - site.spent_usd;
        if remaining <= 0.0 {
            continue;
        }
        let draw = (site.cost_usd / f64::from(site.months.max(1))).min(remaining);
        site.spent_usd += draw;
        if let Ok(mut payer) = accounts.get_mut(directory.get(site.payer)) {
            payer.cash_usd -= draw;
            payer.month.capex_usd += draw;
        }
        // Builders and equipment suppliers are in the rest of the economy.
        ledger.pay(site.payer, REST_OF_ECONOMY, draw);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stressed_hyperscalers_prefer_off_balance_sheet_finance() {
        let mut config = bubblesim_config::Config::baseline();
        config.financing.reported_debt_penalty = 0.0;
        let params = Params(std::sync::Arc::new(config));
        let (capacity, rent) = (params.datacenters.capacity_mw, params.datacenters.rent_usd_per_mw_month);
        let cost = params.datacenters.build_cost_usd_per_mw * capacity;
        let lease = crate::finance::spv::vehicle::proposed_leaseback(&params, AgentId(1), rent * capacity, 12, cost);
        let spv_spread = crate::finance::spv::vehicle::NewBond::price(&params, &lease, cost, rent, capacity).spread(&params);
        assert!(spv_spread >= params.securitisation.liquidity_premium);
        assert_eq!(choose_route(&params, false, 0.0, spv_spread), BuildRoute::Sponsor);
        assert_eq!(choose_route(&params, true, 0.0, spv_spread), BuildRoute::OwnBalanceSheet);
        assert_eq!(choose_route(&params, true, 0.6, spv_spread), BuildRoute::Spv);
        // At baseline the penalty for reported debt makes the SPV the cheaper route.
        let baseline = Params(std::sync::Arc::new(bubblesim_config::Config::baseline()));
        assert_eq!(choose_route(&baseline, true, 0.0, spv_spread), BuildRoute::Spv);
    }
}
