//! Dividends and buybacks (docs/model.md#dividends-and-buybacks). Each quarter, after
//! the reports, a listed firm holding cash above `payouts.cash_target_months_of_costs`
//! of its outlay (costs and capex) pays out `payout_share_per_quarter` of the excess:
//! `buyback_share` of it buys shares back from the wider market (the shares are
//! retired, at most `max_buyback_share_of_shares` of them a quarter, and the wider
//! market's normal holding shrinks with them), the rest is paid
//! as dividends to every holder in proportion to the shares held — institutions, the
//! retail block (each agent by its units; the block's real dollars beyond its agents'
//! go to the households it stands for, in the rest of the economy) and the wider market.
//! The indices' divisors follow the buybacks, so a buyback does not move an index.

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use crate::common::ids::AgentId;
use crate::common::today::Today;
use crate::finance::institutions::Institution;
use crate::firms::listed::Listed;
use crate::markets::index::{AiIndex, OldEconomyIndex};
use crate::markets::retail::{RetailFlow, RetailInvestor};
use crate::money::accounts::Accounts;
use crate::money::ledger::{Ledger, REST_OF_ECONOMY};
use bubblesim_config::PayoutConfig;

/// A quarter's payout of one firm: dividends and buybacks, USD.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Payout {
    /// Paid to holders.
    pub dividends_usd: f64,
    /// Spent on the firm's own shares.
    pub buybacks_usd: f64,
}

/// What a firm with `accounts` pays out this quarter (nothing before a quarter of
/// accounts is known, or without cash above its target).
pub fn payout(config: &PayoutConfig, accounts: &Accounts) -> Payout {
    if accounts.earnings.len() < 3 {
        return Payout::default();
    }
    let target_usd = config.cash_target_months_of_costs * accounts.yearly_outlay_usd().max(0.0) / 12.0;
    let excess_usd = accounts.cash_usd - target_usd;
    if excess_usd <= 0.0 {
        return Payout::default();
    }
    let paid_usd = config.payout_share_per_quarter * excess_usd;
    Payout {
        dividends_usd: paid_usd * (1.0 - config.buyback_share),
        buybacks_usd: paid_usd * config.buyback_share,
    }
}

/// The holders a payout reaches.
#[derive(SystemParam)]
pub struct Shareholders<'w, 's> {
    institutions: Query<'w, 's, (&'static AgentId, &'static mut Institution)>,
    retail: Query<'w, 's, (&'static AgentId, &'static mut RetailInvestor)>,
    flow: Res<'w, RetailFlow>,
}

/// Quarterly, after the reports: listed firms pay cash above their target out as
/// dividends and buybacks, through the ledger.
pub fn pay_out_cash(
    today: Today,
    mut firms: Query<(&AgentId, &mut Accounts, &mut Listed)>,
    holders: Shareholders,
    mut index: ResMut<AiIndex>,
    mut old_economy: ResMut<OldEconomyIndex>,
    mut ledger: ResMut<Ledger>,
) {
    let Shareholders {
        mut institutions,
        mut retail,
        flow,
    } = holders;
    let config = &today.params.payouts;
    // Dividends per unit of the retail basket, agents' USD: each unit holds
    // `retail_shares_per_unit` × usd_per_agent_usd real shares of each firm.
    let mut retail_per_unit_usd = 0.0;
    let (mut ai_before, mut ai_after, mut old_before, mut old_after) = (0.0, 0.0, 0.0, 0.0);
    for (&firm_id, mut accounts, mut listed) in firms.iter_mut().sort::<&AgentId>() {
        let cap_before = listed.market_cap_usd();
        let Payout {
            mut dividends_usd,
            mut buybacks_usd,
        } = payout(config, &accounts);
        // A quarter retires at most `max_buyback_share_of_shares` of the shares; the rest
        // of the buyback is paid as dividends.
        let most_usd = config.max_buyback_share_of_shares * listed.shares.min(listed.wider_normal_shares) * listed.price_usd;
        if buybacks_usd > most_usd {
            dividends_usd += buybacks_usd - most_usd;
            buybacks_usd = most_usd.max(0.0);
        }
        if dividends_usd + buybacks_usd > 0.0 && listed.shares > 0.0 && listed.price_usd > 0.0 {
            accounts.cash_usd -= dividends_usd + buybacks_usd;
            accounts.month.dividends_usd += dividends_usd;
            accounts.month.buybacks_usd += buybacks_usd;
            let per_share_usd = dividends_usd / listed.shares;
            let mut paid_usd = 0.0;
            for (&holder, mut institution) in institutions.iter_mut().sort::<&AgentId>() {
                let amount_usd = institution.units_of(firm_id) * per_share_usd;
                if amount_usd > 0.0 {
                    institution.cash_usd += amount_usd;
                    ledger.pay(firm_id, holder, amount_usd);
                    paid_usd += amount_usd;
                }
            }
            // The rest goes to the wider market and to the households the retail block
            // stands for; its agents' part is paid on to them below.
            retail_per_unit_usd += per_share_usd * listed.retail_shares_per_unit;
            ledger.pay(firm_id, REST_OF_ECONOMY, dividends_usd - paid_usd);
            // Buybacks are bought from the wider market at today's price and retired.
            ledger.pay(firm_id, REST_OF_ECONOMY, buybacks_usd);
            let retired = buybacks_usd / listed.price_usd;
            listed.shares -= retired;
            listed.wider_normal_shares = (listed.wider_normal_shares - retired).max(0.0);
        }
        if listed.in_ai_index {
            ai_before += cap_before;
            ai_after += listed.market_cap_usd();
        } else {
            old_before += cap_before;
            old_after += listed.market_cap_usd();
        }
    }
    if retail_per_unit_usd > 0.0 && flow.holdings.units() > 0.0 {
        // Whole cents, so the total is an integer sum whatever the order.
        let mut total_cents: i64 = 0;
        let paid: Vec<(AgentId, f64)> = retail
            .iter_mut()
            .filter_map(|(&id, mut investor)| {
                let cents = (investor.ai_units * retail_per_unit_usd * 100.0).floor() as i64;
                (cents > 0).then(|| {
                    total_cents += cents;
                    let amount_usd = cents as f64 / 100.0;
                    investor.cash_usd += amount_usd;
                    (id, -amount_usd)
                })
            })
            .collect();
        let total_usd = total_cents as f64 / 100.0;
        ledger.pay_with_rest(paid.into_iter(), -total_usd, total_usd);
    }
    if ai_before > 0.0 {
        index.divisor *= ai_after / ai_before;
    }
    if old_before > 0.0 {
        old_economy.divisor *= old_after / old_before;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::accounts::MonthFlows;

    fn accounts(cash_usd: f64, costs_per_month_usd: f64) -> Accounts {
        let mut accounts = Accounts::with_cash(cash_usd, 0.0, 1e9);
        for _ in 0..12 {
            accounts.month = MonthFlows {
                core_revenue_usd: costs_per_month_usd,
                other_costs_usd: costs_per_month_usd,
                ..MonthFlows::default()
            };
            accounts.close_month();
        }
        accounts
    }

    #[test]
    fn only_cash_above_the_target_is_paid_out() {
        let config = bubblesim_config::Config::baseline().payouts;
        let target = config.cash_target_months_of_costs * 100.0;
        assert_eq!(payout(&config, &accounts(target * 0.9, 100.0)), Payout::default());
        let paid = payout(&config, &accounts(target + 1000.0, 100.0));
        let total = paid.dividends_usd + paid.buybacks_usd;
        assert!((total - config.payout_share_per_quarter * 1000.0).abs() < 1e-6, "{paid:?}");
        assert!((paid.buybacks_usd - config.buyback_share * total).abs() < 1e-6);
        let mut young = accounts(1e12, 100.0);
        young.earnings = Default::default();
        assert_eq!(payout(&config, &young), Payout::default(), "no payout before a quarter of accounts");
    }
}
