//! The cascade: hedge funds over their leverage cap repay lenders with cash and sell a
//! slice of everything; each round's sales move the securities' prices at once, every
//! holder is marked at the new prices, and the next round finds who must sell next. The
//! day's margin calls, forced sales and markdowns become events at the end.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;
use bubblesim_config::FireSaleConfig;

use crate::common::calendar::Clock;
use crate::common::directory::Directory;
use crate::common::events::{EventKind, EventLog};
use crate::common::ids::AgentId;
use crate::finance::fire_sales::orders::{ForcedEquitySales, Order, Reason, margin_call_sale, slice_orders};
use crate::finance::institutions::{AssetClass, Institution, InstitutionKind, MarginState, Marks};
use crate::finance::securities::Security;
use crate::money::ledger::{Ledger, REST_OF_ECONOMY};

/// Institutions and the securities they trade.
pub type Institutions<'w, 's> = Query<'w, 's, (&'static AgentId, &'static mut Institution)>;
/// Securities with their ids.
pub type Securities<'w, 's> = Query<'w, 's, (&'static AgentId, &'static mut Security)>;

/// What the day's cascade has done so far, for its events.
#[derive(Debug, Default)]
pub struct Cascade {
    /// Orders waiting for the next round.
    pub orders: Vec<Order>,
    /// Proceeds by (seller, asset, reason).
    sold_value: BTreeMap<(AgentId, AgentId, Reason), f64>,
    /// Each security's price before the day's first sale, and after the last.
    markdowns: BTreeMap<AgentId, (f64, f64)>,
    /// Each margin call: (assets to shed, leverage when called, cash used to repay).
    margin_calls: BTreeMap<AgentId, (f64, f64, f64)>,
    /// Share of each security sold today.
    units_sold: BTreeMap<AgentId, f64>,
}

impl Cascade {
    /// Hedge funds over the cap at today's marks: cash repays the lenders first, a slice
    /// of every holding is ordered sold for the rest (everything, once equity is gone).
    pub fn call_margins(&mut self, config: &FireSaleConfig, marks: &Marks, institutions: &mut Institutions, ledger: &mut Ledger) {
        for (&id, mut investor) in institutions.iter_mut().sort::<&AgentId>() {
            if investor.kind != InstitutionKind::HedgeFund || investor.margin_state == MarginState::Failed {
                continue;
            }
            let gross = investor.gross_assets_usd(marks);
            let Some(sale) = margin_call_sale(
                gross,
                investor.borrowing_usd,
                config.hedge_fund_max_leverage,
                investor.target_leverage,
            ) else {
                continue;
            };
            let failing = gross <= investor.borrowing_usd;
            let repaid = investor.cash_usd.max(0.0).min(sale).min(investor.borrowing_usd);
            let call = self.margin_calls.entry(id).or_insert((0.0, investor.leverage(marks), 0.0));
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
            slice_orders(id, &investor, marks, value, reason, &mut self.orders);
        }
    }

    /// Executes one round of orders at post-impact prices, then clears them: each
    /// security's log price falls by `security_price_impact` × the round's share of it
    /// sold; buyers are the wider market; hedge funds repay lenders from the proceeds.
    pub fn execute_round(
        &mut self,
        config: &FireSaleConfig,
        directory: &Directory,
        marks: &mut Marks,
        (securities, institutions): (&mut Securities, &mut Institutions),
        equity_sales: &mut ForcedEquitySales,
        ledger: &mut Ledger,
    ) {
        let mut units_by_asset: BTreeMap<AgentId, f64> = BTreeMap::new();
        for order in self.orders.iter().filter(|o| o.units > 0.0) {
            *units_by_asset.entry(order.asset).or_insert(0.0) += order.units;
        }
        for (&asset, &units) in &units_by_asset {
            if let Ok((_, mut security)) = securities.get_mut(directory.get(asset)) {
                let before = security.price();
                security.fire_sale_discount -= config.security_price_impact * units;
                self.markdowns.entry(asset).or_insert((before, before)).1 = security.price();
                marks.update(asset, &security);
            }
        }
        for order in self.orders.drain(..) {
            let Ok((_, mut investor)) = institutions.get_mut(directory.get(order.seller)) else {
                continue;
            };
            let units = order.units.min(investor.units_of(order.asset));
            if units > 0.0 {
                let proceeds = marks.value_usd(order.asset, units);
                if let Some(mark) = marks.get(order.asset)
                    && mark.class == AssetClass::Equity
                {
                    *equity_sales.usd.entry(order.asset).or_insert(0.0) += proceeds;
                }
                investor.add_units(order.asset, -units);
                if let Ok((_, mut security)) = securities.get_mut(directory.get(order.asset)) {
                    security.outside_share += units;
                    *self.units_sold.entry(order.asset).or_insert(0.0) += units;
                }
                // Buyers are the wider market, in the rest of the economy.
                investor.cash_usd += proceeds;
                ledger.pay(REST_OF_ECONOMY, order.seller, proceeds);
                investor.forced_sales_today_usd += proceeds;
                *self.sold_value.entry((order.seller, order.asset, order.reason)).or_insert(0.0) += proceeds;
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

    /// The day's events: each margin call (or the fund's failure, its lenders taking what
    /// is left), forced sales by seller and asset, and markdowns of securities.
    pub fn settle(
        self,
        (config, clock, directory): (&FireSaleConfig, &Clock, &Directory),
        marks: &Marks,
        (securities, institutions): (&Securities, &mut Institutions),
        events: &mut EventLog,
        ledger: &mut Ledger,
    ) {
        for (&fund, &(sale, leverage, cash_used)) in &self.margin_calls {
            let Ok((_, mut investor)) = institutions.get_mut(directory.get(fund)) else {
                continue;
            };
            if investor.gross_assets_usd(marks) <= investor.borrowing_usd + 1e-6 {
                let lenders_loss = investor.borrowing_usd - investor.cash_usd.max(0.0);
                investor.margin_state = MarginState::Failed;
                investor.borrowing_usd = 0.0;
                // What cash is left goes to the lenders; they write off the rest.
                ledger.pay(fund, REST_OF_ECONOMY, investor.cash_usd);
                investor.cash_usd = 0.0;
                investor.holdings.clear();
                events.record(
                    clock,
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
                    clock,
                    EventKind::MarginCall,
                    fund,
                    None,
                    Some(sale),
                    format!(
                        "leverage {leverage:.2} above the cap of {:.1}: sheds ${sale:.0} of assets to get back to {:.1} (${cash_used:.0} of cash repays lenders, ${:.0} sold)",
                        config.hedge_fund_max_leverage,
                        investor.target_leverage,
                        (sale - cash_used).max(0.0)
                    ),
                );
            }
        }
        for (&(seller, asset, reason), &value) in &self.sold_value {
            events.record(
                clock,
                EventKind::ForcedSale,
                seller,
                Some(asset),
                Some(value),
                format!("sold ${value:.0} of asset {} ({})", asset.0, reason.label()),
            );
        }
        for (&asset, &(before, after)) in &self.markdowns {
            let Ok((_, security)) = securities.get(directory.get(asset)) else {
                continue;
            };
            // What the fall cost everyone who did not sell today: institutions that kept
            // their units, the sponsor, and the wider market's earlier holdings.
            let kept = (1.0 - self.units_sold.get(&asset).copied().unwrap_or(0.0)).max(0.0);
            let loss = (before - after) * security.tranche.principal_usd / 100.0 * kept;
            events.record(
                clock,
                EventKind::FireSaleMarkdown,
                asset,
                Some(security.issuer),
                Some(loss),
                format!("forced sales push the price from {before:.2} to {after:.2}"),
            );
        }
    }
}
