//! Institutions' discretionary equity trading
//! (docs/model.md#retail-sentiment-and-equity-markets). Every day each institution
//! trades a `institution_rebalance_per_day` share of the gap between its AI equity
//! holdings and its target share of gross assets, spread over the AI firms by market
//! cap (sales take the same slice of every AI holding): a fall in prices makes it buy,
//! a rise makes it sell. Hedge funds are value funds in the manner of Thurner, Farmer &
//! Geanakoplos (2012): their target is scaled by 1 + `hedge_fund_value_tilt` × the AI
//! index's mispricing, and they buy on credit up to `hedge_fund_buy_leverage_share` of
//! their leverage cap, so a fall that pushes them past the cap turns into margin calls
//! and forced sales ([`crate::finance::fire_sales`]). Net orders move prices in
//! [`crate::markets::prices`]; the other side
//! of each trade is the wider market (traders not modelled one by one).

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::finance::institutions::{Institution, InstitutionKind, MarginState, Marks};
use crate::finance::securities::Security;
use crate::firms::listed::Listed;
use crate::markets::index::AiIndex;
use crate::money::ledger::{Ledger, REST_OF_ECONOMY};

/// Today's discretionary institutional orders in listed AI shares.
#[derive(Resource, Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
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
    mut ledger: ResMut<Ledger>,
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
    let max_leverage = params.market.hedge_fund_buy_leverage_share * params.fire_sales.hedge_fund_max_leverage;
    for (&investor_id, mut investor) in institutions.iter_mut().sort::<&AgentId>() {
        if investor.margin_state == MarginState::Failed {
            continue;
        }
        let gross = investor.gross_assets_usd(&marks);
        let equity: f64 = ai.iter().map(|&(id, price, _)| investor.units_of(id) * price).sum();
        let mut trade = desired_trade_usd(&params, investor.kind, investor.ai_equity_share, gross, equity, index.mispricing());
        if trade > 0.0 {
            // Buy with cash; a hedge fund may borrow up to a share of its leverage cap.
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
        // The other side of the trade is the wider market; a shortfall is borrowed from
        // prime brokers (both in the rest of the economy).
        investor.cash_usd -= trade;
        ledger.pay(investor_id, REST_OF_ECONOMY, trade);
        if investor.cash_usd < 0.0 {
            ledger.pay(REST_OF_ECONOMY, investor_id, -investor.cash_usd);
            investor.borrowing_usd -= investor.cash_usd;
            investor.cash_usd = 0.0;
        }
        // Buys are spread by market cap; sales take the same slice of every holding.
        for &(id, price, cap) in &ai {
            let usd = if trade > 0.0 {
                trade * cap / total_cap
            } else {
                trade * investor.units_of(id) * price / equity
            };
            investor.add_units(id, usd / price);
            *orders.net_usd.entry(id).or_insert(0.0) += usd;
        }
        orders.gross_usd += trade.abs();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use bevy_ecs::system::RunSystemOnce;

    use super::*;
    use crate::finance::institutions::initial_institutions;

    /// A world of two AI firms whose prices moved by `factor` since the institutions
    /// bought their starting holdings.
    fn world_after_a_move(factor: f64) -> (World, [(AgentId, f64, f64); 2]) {
        let params = Params(Arc::new(bubblesim_config::Config::baseline()));
        let mut world = World::new();
        let firms = [(AgentId(1), 100.0, 2e12), (AgentId(2), 50.0, 1e12)];
        for &(id, price, cap) in &firms {
            world.spawn((id, Listed::new(cap / price, price * factor)));
        }
        for (n, institution) in initial_institutions(&params, &firms).into_iter().enumerate() {
            world.spawn((AgentId(10 + n as u64), institution));
        }
        world.insert_resource(params);
        world.insert_resource(AiIndex::default());
        world.insert_resource(InstitutionalOrders::default());
        (world, firms)
    }

    /// (cash, borrowing, units of each firm) of one institution.
    type Book = (f64, f64, [f64; 2]);

    /// Each institution's book, in id order.
    fn books(world: &mut World, firms: &[(AgentId, f64, f64); 2]) -> Vec<Book> {
        let mut query = world.query::<(&AgentId, &Institution)>();
        let mut rows: Vec<(AgentId, Book)> = query
            .iter(world)
            .map(|(&id, i)| (id, (i.cash_usd, i.borrowing_usd, firms.map(|(asset, _, _)| i.units_of(asset)))))
            .collect();
        rows.sort_by_key(|&(id, _)| id);
        rows.into_iter().map(|(_, b)| b).collect()
    }

    /// After a fall every institution buys towards its target, after a rise it sells —
    /// the same slice of each holding — and either way each one's gross assets are
    /// unchanged by the trade (cash or borrowing for shares at today's prices), and the
    /// orders price formation sees are what they traded.
    #[test]
    fn rebalancing_buys_after_a_fall_sells_after_a_rise_and_conserves_each_balance_sheet() {
        for factor in [0.5, 2.0] {
            let (mut world, firms) = world_after_a_move(factor);
            let prices = firms.map(|(_, price, _)| price * factor);
            let before = books(&mut world, &firms);
            world.insert_resource(crate::money::ledger::Ledger::default());
            world.run_system_once(rebalance_equities).expect("the system runs");
            let after = books(&mut world, &firms);
            let mut traded = 0.0;
            for ((cash0, debt0, units0), (cash1, debt1, units1)) in before.iter().zip(&after) {
                let value = |units: &[f64; 2]| units[0] * prices[0] + units[1] * prices[1];
                let bought = value(units1) - value(units0);
                assert!(if factor < 1.0 { bought > 0.0 } else { bought < 0.0 }, "factor {factor}: {bought}");
                // Shares bought = cash spent + new borrowing.
                let spent = (cash0 - cash1) + (debt1 - debt0);
                assert!((spent - bought).abs() < 1e-6 * bought.abs(), "{spent} vs {bought}");
                if bought < 0.0 {
                    // A sale takes the same slice of every holding.
                    let (slice0, slice1) = (units1[0] / units0[0], units1[1] / units0[1]);
                    assert!((slice0 - slice1).abs() < 1e-12, "{slice0} vs {slice1}");
                }
                traded += bought;
            }
            let orders = world.resource::<InstitutionalOrders>();
            let net: f64 = orders.net_usd.values().sum();
            assert!((net - traded).abs() < 1e-6 * traded.abs() && (orders.gross_usd - traded.abs()).abs() < 1e-6 * traded.abs());
        }
    }

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
