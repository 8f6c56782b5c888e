//! Sale orders and the arithmetic of a margin call: what a constrained institution sells,
//! why, and the shares sold today that price formation reads.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use crate::common::ids::AgentId;
use crate::finance::institutions::{Institution, Marks};

/// Shares sold under constraint today, USD per listed firm, for price formation.
#[derive(Resource, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ForcedEquitySales {
    /// Proceeds of forced sales, by listed firm.
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
pub enum Reason {
    /// An insurer's holding fell below its minimum rating.
    RatingLimit,
    /// A mutual fund's investors redeemed more than its cash.
    Redemption,
    /// A hedge fund's leverage passed its cap.
    MarginCall,
    /// A hedge fund's equity is gone.
    Liquidation,
}

impl Reason {
    /// The reason in words, for the event's detail.
    pub fn label(self) -> &'static str {
        match self {
            Reason::RatingLimit => "rating below its limit",
            Reason::Redemption => "redemptions",
            Reason::MarginCall => "margin call",
            Reason::Liquidation => "liquidation",
        }
    }
}

/// One sale order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Order {
    /// The institution selling.
    pub seller: AgentId,
    /// The asset sold.
    pub asset: AgentId,
    /// Units to sell (shares, or the share of a tranche).
    pub units: f64,
    /// Why.
    pub reason: Reason,
}

/// Orders selling `value_usd` as a slice of every holding (a fund keeps its mix).
pub fn slice_orders(seller: AgentId, investor: &Institution, marks: &Marks, value_usd: f64, reason: Reason, orders: &mut Vec<Order>) {
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
