//! Forced sales and their contagion (DESIGN §1 link 8; §5). Every trading day:
//! - insurers sell, in equal daily parts over `insurer_sale_window_days`, any security
//!   rated below their minimum (BBB);
//! - mutual funds meet redemptions on the first trading day of each month: the net flow
//!   is `mutual_fund_flow_per_excess_return` × (their return over the lookback − the
//!   benchmark's), as a share of NAV; an outflow beyond their cash is met by selling a
//!   slice of every holding;
//! - hedge funds whose leverage exceeds `hedge_fund_max_leverage` meet a margin call by
//!   repaying debt with cash and selling a slice of every holding until they are back at
//!   their target leverage (Thurner, Farmer & Geanakoplos 2012); a fund whose equity is
//!   gone is liquidated and its lenders take the rest.
//!
//! Sales of a security move its price at once: its log price falls by
//! `security_price_impact` × the share of the tranche sold, and every holder is marked
//! at the new price, which can push another hedge fund over its cap: the cascade runs in
//! rounds until no one must sell (Cont & Schaanning 2017). Forced sales of shares are
//! passed to the equity market, where they move today's prices. Fire-sale discounts
//! decay with `recovery_halflife_ticks` as buyers return.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use crate::common::calendar::Clock;
use crate::common::directory::Directory;
use crate::common::events::{EventKind, EventLog};
use crate::common::ids::AgentId;
use crate::common::params::Params;
use crate::finance::institutions::{Institution, InstitutionKind, MarginState, Marks, PendingSale};
use crate::finance::securities::Security;
use crate::firms::listed::Listed;
use crate::money::ledger::{Ledger, REST_OF_ECONOMY};

/// Shares sold under constraint today, USD per listed firm, for price formation.
#[derive(Resource, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ForcedEquitySales {
    pub usd: BTreeMap<AgentId, f64>,
}

/// Value a hedge fund must shed to get from `gross_usd` of assets on `borrowing_usd`
/// of debt back to `target_leverage`, once leverage exceeds `max_leverage`; None while
/// within the cap. With equity E = gross − borrowing, the sale is gross − target × E.
pub fn margin_call_sale(gross_usd: f64, borrowing_usd: f64, max_leverage: f64, target_leverage: f64) -> Option<f64> {
    let equity = gross_usd - borrowing_usd;
    if equity <= 0.0 {
        return Some(gross_usd);
    }
    (gross_usd / equity > max_leverage).then_some(gross_usd - target_leverage * equity)
}

/// Why an institution sold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reason {
    RatingLimit,
    Redemption,
    MarginCall,
    Liquidation,
}

impl Reason {
    fn label(self) -> &'static str {
        match self {
            Reason::RatingLimit => "rating below its limit",
            Reason::Redemption => "redemptions",
            Reason::MarginCall => "margin call",
            Reason::Liquidation => "liquidation",
        }
    }
}

/// One sale order.
struct Order {
    seller: AgentId,
    asset: AgentId,
    units: f64,
    reason: Reason,
}

/// Orders selling `value_usd` as a slice of every holding (a fund keeps its mix).
fn slice_orders(seller: AgentId, investor: &Institution, marks: &Marks, value_usd: f64, reason: Reason, orders: &mut Vec<Order>) {
    let holdings_value = investor.holdings_value_usd(marks);
    if holdings_value <= 0.0 || value_usd <= 0.0 {
        return;
    }
    let fraction = (value_usd / holdings_value).min(1.0);
    // Holdings worth nothing (closed securities) are not for sale.
    for holding in investor.holdings.iter().filter(|h| marks.value_usd(h.asset, h.units) > 0.0) {
        orders.push(Order {
            seller,
            asset: holding.asset,
            units: holding.units * fraction,
            reason,
        });
    }
}

/// Daily, before prices form: constrained sales, margin calls and the fire-sale cascade.
pub fn trade_institutions(
    params: Res<Params>,
    clock: Res<Clock>,
    directory: Res<Directory>,
    listed: Query<(&AgentId, &Listed)>,
    mut securities: Query<(&AgentId, &mut Security)>,
    mut institutions: Query<(&AgentId, &mut Institution)>,
    mut equity_sales: ResMut<ForcedEquitySales>,
    mut events: ResMut<EventLog>,
    mut ledger: ResMut<Ledger>,
) {
    let x = &params.fire_sales;
    let decay = 0.5f64.powf(1.0 / x.recovery_halflife_ticks);
    for (_, mut security) in securities.iter_mut().sort::<&AgentId>() {
        if security.fire_sale_discount != 0.0 {
            security.fire_sale_discount *= decay;
        }
    }
    let mut marks = Marks::new(listed.iter(), securities.iter());
    equity_sales.usd.clear();

    // Orders that do not depend on prices moving today: rating limits and redemptions.
    let mut orders: Vec<Order> = Vec::new();
    for (&id, mut investor) in institutions.iter_mut().sort::<&AgentId>() {
        investor.forced_sales_today_usd = 0.0;
        investor.flow_today_usd = 0.0;
        if investor.margin_state == MarginState::MarginCall {
            investor.margin_state = MarginState::Normal;
        }
        if investor.margin_state == MarginState::Failed {
            continue;
        }
        let nav = investor.nav_usd(&marks);
        if clock.month_start {
            let per_unit = nav / investor.fund_units.max(f64::MIN_POSITIVE);
            investor.nav_per_unit_history.push(per_unit);
            if investor.nav_per_unit_history.len() > 13 {
                investor.nav_per_unit_history.remove(0);
            }
            if investor.kind == InstitutionKind::MutualFund {
                let lookback = x.mutual_fund_lookback_months as usize;
                let history = &investor.nav_per_unit_history;
                if history.len() > lookback && history[history.len() - 1 - lookback] > 0.0 {
                    let fund_return = per_unit / history[history.len() - 1 - lookback] - 1.0;
                    let benchmark = (1.0 + x.mutual_fund_benchmark_return).powf(lookback as f64 / 12.0) - 1.0;
                    let flow_share = (x.mutual_fund_flow_per_excess_return * (fund_return - benchmark))
                        .clamp(-x.mutual_fund_max_monthly_flow, x.mutual_fund_max_monthly_flow);
                    let flow = flow_share * nav;
                    investor.flow_today_usd = flow;
                    investor.fund_units *= 1.0 + flow_share;
                    investor.cash_usd += flow;
                    // The fund's own investors are households in the rest of the economy.
                    ledger.pay(REST_OF_ECONOMY, id, flow);
                    if investor.cash_usd < 0.0 {
                        let shortfall = -investor.cash_usd;
                        slice_orders(id, &investor, &marks, shortfall, Reason::Redemption, &mut orders);
                    }
                }
            }
        }
        if investor.kind == InstitutionKind::Insurer {
            // New downgrades below the limit start a sale over the window.
            let min_rating = investor.min_rating;
            let fresh: Vec<PendingSale> = investor
                .holdings
                .iter()
                .filter(|h| !investor.pending_sales.iter().any(|p| p.asset == h.asset))
                .filter_map(|h| {
                    let security = securities.get(directory.get(h.asset)).ok()?.1;
                    (security.outstanding() && !security.eligible_for(min_rating)).then_some(PendingSale {
                        asset: h.asset,
                        units_per_day: h.units / f64::from(x.insurer_sale_window_days),
                        days_left: x.insurer_sale_window_days,
                    })
                })
                .collect();
            investor.pending_sales.extend(fresh);
            investor.pending_sales.sort_by_key(|p| p.asset);
            // An upgrade back within the limit ends the obligation to sell.
            investor.pending_sales.retain(|sale| {
                securities
                    .get(directory.get(sale.asset))
                    .is_ok_and(|(_, security)| security.outstanding() && !security.eligible_for(min_rating))
            });
            for sale in &investor.pending_sales {
                orders.push(Order {
                    seller: id,
                    asset: sale.asset,
                    units: sale.units_per_day.min(investor.units_of(sale.asset)),
                    reason: Reason::RatingLimit,
                });
            }
            investor.pending_sales.retain_mut(|sale| {
                sale.days_left -= 1;
                sale.days_left > 0
            });
        }
    }

    // The cascade: execute, re-mark, and see who must sell next.
    let mut sold_value: BTreeMap<(AgentId, AgentId, Reason), f64> = BTreeMap::new();
    let mut markdowns: BTreeMap<AgentId, (f64, f64)> = BTreeMap::new(); // price before, after
    let mut margin_calls: BTreeMap<AgentId, (f64, f64, f64)> = BTreeMap::new(); // deleveraging, leverage, cash used
    let mut units_sold: BTreeMap<AgentId, f64> = BTreeMap::new();
    for _ in 0..x.max_cascade_rounds {
        for (&id, mut investor) in institutions.iter_mut().sort::<&AgentId>() {
            if investor.kind != InstitutionKind::HedgeFund || investor.margin_state == MarginState::Failed {
                continue;
            }
            let gross = investor.gross_assets_usd(&marks);
            let Some(sale) = margin_call_sale(gross, investor.borrowing_usd, x.hedge_fund_max_leverage, investor.target_leverage) else {
                continue;
            };
            let failing = gross <= investor.borrowing_usd;
            // Cash repays the lenders first; holdings are sold for the rest.
            let repaid = investor.cash_usd.max(0.0).min(sale).min(investor.borrowing_usd);
            let call = margin_calls.entry(id).or_insert((0.0, investor.leverage(&marks), 0.0));
            call.0 += sale;
            call.2 += repaid;
            investor.cash_usd -= repaid;
            investor.borrowing_usd -= repaid;
            ledger.pay(id, REST_OF_ECONOMY, repaid);
            let (value, reason) = if failing {
                (f64::INFINITY, Reason::Liquidation)
            } else {
                (sale - repaid, Reason::MarginCall)
            };
            slice_orders(id, &investor, &marks, value, reason, &mut orders);
        }
        if orders.is_empty() {
            break;
        }
        execute(
            &params,
            &directory,
            &mut orders,
            &mut marks,
            &mut securities,
            &mut institutions,
            &mut equity_sales,
            &mut sold_value,
            &mut markdowns,
            &mut units_sold,
            &mut ledger,
        );
    }

    // Events: margin calls, forced sales by seller and asset, markdowns of securities.
    for (&fund, &(sale, leverage, cash_used)) in &margin_calls {
        let Ok((_, mut investor)) = institutions.get_mut(directory.get(fund)) else {
            continue;
        };
        if investor.gross_assets_usd(&marks) <= investor.borrowing_usd + 1e-6 {
            let lenders_loss = investor.borrowing_usd - investor.cash_usd.max(0.0);
            investor.margin_state = MarginState::Failed;
            investor.borrowing_usd = 0.0;
            // What cash is left goes to the lenders; they write off the rest.
            ledger.pay(fund, REST_OF_ECONOMY, investor.cash_usd);
            investor.cash_usd = 0.0;
            investor.holdings.clear();
            events.record(
                &clock,
                EventKind::FundFailure,
                fund,
                None,
                Some(lenders_loss.max(0.0)),
                format!(
                    "equity gone at leverage {leverage:.1}; liquidated, lenders lose ${:.0}",
                    lenders_loss.max(0.0)
                ),
            );
        } else {
            investor.margin_state = MarginState::MarginCall;
            events.record(
                &clock,
                EventKind::MarginCall,
                fund,
                None,
                Some(sale),
                format!(
                    "leverage {leverage:.2} above the cap of {:.1}: sheds ${sale:.0} of assets to get back to {:.1} (${cash_used:.0} of cash repays lenders, ${:.0} sold)",
                    x.hedge_fund_max_leverage,
                    investor.target_leverage,
                    (sale - cash_used).max(0.0)
                ),
            );
        }
    }
    for (&(seller, asset, reason), &value) in &sold_value {
        events.record(
            &clock,
            EventKind::ForcedSale,
            seller,
            Some(asset),
            Some(value),
            format!("sold ${value:.0} of asset {} ({})", asset.0, reason.label()),
        );
    }
    for (&asset, &(before, after)) in &markdowns {
        let Ok((_, security)) = securities.get(directory.get(asset)) else {
            continue;
        };
        // What the fall cost everyone who did not sell today: institutions that kept their
        // units, the sponsor, and the wider market's earlier holdings.
        let kept = (1.0 - units_sold.get(&asset).copied().unwrap_or(0.0)).max(0.0);
        let loss = (before - after) * security.tranche.principal_usd / 100.0 * kept;
        events.record(
            &clock,
            EventKind::FireSaleMarkdown,
            asset,
            Some(security.issuer),
            Some(loss),
            format!("forced sales push the price from {before:.2} to {after:.2}"),
        );
    }
}

/// Executes one round of orders at post-impact prices, then clears them.
fn execute(
    params: &Params,
    directory: &Directory,
    orders: &mut Vec<Order>,
    marks: &mut Marks,
    securities: &mut Query<(&AgentId, &mut Security)>,
    institutions: &mut Query<(&AgentId, &mut Institution)>,
    equity_sales: &mut ForcedEquitySales,
    sold_value: &mut BTreeMap<(AgentId, AgentId, Reason), f64>,
    markdowns: &mut BTreeMap<AgentId, (f64, f64)>,
    units_sold: &mut BTreeMap<AgentId, f64>,
    ledger: &mut Ledger,
) {
    let x = &params.fire_sales;
    // Price impact per security from the round's total sales (share of the tranche).
    let mut units_by_asset: BTreeMap<AgentId, f64> = BTreeMap::new();
    for order in orders.iter().filter(|o| o.units > 0.0) {
        *units_by_asset.entry(order.asset).or_insert(0.0) += order.units;
    }
    for (&asset, &units) in &units_by_asset {
        if let Ok((_, mut security)) = securities.get_mut(directory.get(asset)) {
            let before = security.price();
            security.fire_sale_discount -= x.security_price_impact * units;
            markdowns.entry(asset).or_insert((before, before)).1 = security.price();
            marks.update(asset, &security);
        }
    }
    for order in orders.drain(..) {
        let Ok((_, mut investor)) = institutions.get_mut(directory.get(order.seller)) else {
            continue;
        };
        let units = order.units.min(investor.units_of(order.asset));
        if units > 0.0 {
            let proceeds = marks.value_usd(order.asset, units);
            if let Some(mark) = marks.get(order.asset)
                && mark.class == crate::finance::institutions::AssetClass::Equity
            {
                *equity_sales.usd.entry(order.asset).or_insert(0.0) += proceeds;
            }
            investor.add_units(order.asset, -units);
            if let Ok((_, mut security)) = securities.get_mut(directory.get(order.asset)) {
                security.outside_share += units;
                *units_sold.entry(order.asset).or_insert(0.0) += units;
            }
            // Buyers are the wider market, in the rest of the economy.
            investor.cash_usd += proceeds;
            ledger.pay(REST_OF_ECONOMY, order.seller, proceeds);
            investor.forced_sales_today_usd += proceeds;
            *sold_value.entry((order.seller, order.asset, order.reason)).or_insert(0.0) += proceeds;
        }
        // Hedge funds repay their lenders from cash.
        if investor.kind == InstitutionKind::HedgeFund && matches!(order.reason, Reason::MarginCall | Reason::Liquidation) {
            let repay = investor.cash_usd.max(0.0).min(investor.borrowing_usd);
            investor.cash_usd -= repay;
            investor.borrowing_usd -= repay;
            ledger.pay(order.seller, REST_OF_ECONOMY, repay);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_margin_call_sells_back_to_the_target_leverage() {
        // 100 of assets on 80 of debt: equity 20, leverage 5 > cap 4; target 3 → keep 60.
        let sale = margin_call_sale(100.0, 80.0, 4.0, 3.0).unwrap();
        assert!((sale - 40.0).abs() < 1e-12);
        let (gross, debt) = (100.0 - sale, 80.0 - sale);
        assert!((gross / (gross - debt) - 3.0).abs() < 1e-12);
        // Within the cap: no call. Equity gone: sell everything.
        assert_eq!(margin_call_sale(100.0, 70.0, 4.0, 3.0), None);
        assert_eq!(margin_call_sale(100.0, 120.0, 4.0, 3.0), Some(100.0));
    }
}
