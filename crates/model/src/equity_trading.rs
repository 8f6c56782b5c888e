//! Institutions' discretionary equity trading (DESIGN §5). Every day each institution
//! trades a `institution_rebalance_per_day` share of the gap between its AI equity
//! holdings and its target share of gross assets, spread over the AI firms by market
//! cap: a fall in prices makes it buy, a rise makes it sell. Hedge funds are value funds
//! in the manner of Thurner, Farmer & Geanakoplos (2012): their target is scaled by
//! 1 + `hedge_fund_value_tilt` × the AI index's mispricing, and they buy on credit up to
//! 90% of their leverage cap, so a fall that pushes them past the cap turns into margin
//! calls and forced sales (`fire_sales`). Net orders move prices in `market`.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use crate::agents::AgentId;
use crate::firms::Listed;
use crate::institutions::{Institution, InstitutionKind, MarginState, Marks};
use crate::market::AiIndex;
use crate::params::Params;
use crate::securities::Security;

/// Today's discretionary institutional orders in listed AI shares.
#[derive(Resource, Debug, Default, Clone)]
pub struct InstitutionalOrders {
    /// Net buying per firm, USD.
    pub net_usd: BTreeMap<AgentId, f64>,
    /// Buys plus sells, USD.
    pub gross_usd: f64,
}

/// Dollars of AI equity an institution wants to buy today (negative: sell), before
/// cash and leverage limits.
pub fn desired_trade_usd(
    params: &Params,
    kind: InstitutionKind,
    target_share: f64,
    gross_usd: f64,
    equity_usd: f64,
    mispricing: f64,
) -> f64 {
    let m = &params.market;
    let tilt = if kind == InstitutionKind::HedgeFund {
        (1.0 + m.hedge_fund_value_tilt * mispricing).max(0.0)
    } else {
        1.0
    };
    m.institution_rebalance_per_day * (target_share * tilt * gross_usd - equity_usd)
}

/// Daily, before forced sales: institutions rebalance their AI equity.
pub fn rebalance_equities(
    params: Res<Params>,
    index: Res<AiIndex>,
    listed: Query<(&AgentId, &Listed)>,
    securities: Query<(&AgentId, &Security)>,
    mut institutions: Query<(&AgentId, &mut Institution)>,
    mut orders: ResMut<InstitutionalOrders>,
) {
    orders.net_usd.clear();
    orders.gross_usd = 0.0;
    let ai: Vec<(AgentId, f64, f64)> = listed
        .iter()
        .sort::<&AgentId>()
        .filter(|(_, l)| l.in_ai_index && l.price_usd > 0.0)
        .map(|(&id, l)| (id, l.price_usd, l.market_cap_usd()))
        .collect();
    let total_cap: f64 = ai.iter().map(|&(_, _, cap)| cap).sum();
    if total_cap <= 0.0 {
        return;
    }
    let marks = Marks::new(listed.iter(), securities.iter());
    let max_leverage = 0.9 * params.fire_sales.hedge_fund_max_leverage;
    for (_, mut investor) in institutions.iter_mut().sort::<&AgentId>() {
        if investor.margin_state == MarginState::Failed {
            continue;
        }
        let gross = investor.gross_assets_usd(&marks);
        let equity: f64 = ai.iter().map(|&(id, price, _)| investor.units_of(id) * price).sum();
        let mut trade = desired_trade_usd(&params, investor.kind, investor.ai_equity_share, gross, equity, index.mispricing());
        if trade > 0.0 {
            // Buy with cash; a hedge fund may borrow up to 90% of its leverage cap.
            let nav = gross - investor.borrowing_usd;
            let room = if investor.kind == InstitutionKind::HedgeFund {
                investor.cash_usd.max(0.0) + (max_leverage * nav - gross).max(0.0)
            } else {
                investor.cash_usd.max(0.0)
            };
            trade = trade.min(room);
        } else {
            trade = trade.max(-equity);
        }
        if trade.abs() < 1.0 {
            continue;
        }
        investor.cash_usd -= trade;
        if investor.cash_usd < 0.0 {
            investor.borrowing_usd -= investor.cash_usd;
            investor.cash_usd = 0.0;
        }
        for &(id, price, cap) in &ai {
            let usd = trade * cap / total_cap;
            investor.add_units(id, usd / price);
            *orders.net_usd.entry(id).or_insert(0.0) += usd;
        }
        orders.gross_usd += trade.abs();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn institutions_buy_after_falls_and_hedge_funds_lean_on_value() {
        let params = Params(std::sync::Arc::new(bubblesim_config::Config::baseline()));
        // Below target (prices fell): buy; above (prices rose): sell.
        assert!(desired_trade_usd(&params, InstitutionKind::Pension, 0.1, 100.0, 8.0, 0.0) > 0.0);
        assert!(desired_trade_usd(&params, InstitutionKind::Pension, 0.1, 100.0, 12.0, 0.0) < 0.0);
        // Mispricing moves only the hedge fund's target.
        let cheap = desired_trade_usd(&params, InstitutionKind::HedgeFund, 0.5, 100.0, 50.0, 0.3);
        let dear = desired_trade_usd(&params, InstitutionKind::HedgeFund, 0.5, 100.0, 50.0, -0.3);
        assert!(cheap > 0.0 && dear < 0.0);
        assert_eq!(desired_trade_usd(&params, InstitutionKind::Pension, 0.5, 100.0, 50.0, 0.3), 0.0);
    }
}
