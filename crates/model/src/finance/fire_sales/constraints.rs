//! The day's sales that do not depend on prices moving today: mutual funds' redemptions
//! (on the first trading day of each month) and insurers' sales of holdings rated below
//! their minimum, in equal daily parts over their window.

use bevy_ecs::prelude::*;
use bubblesim_config::FireSaleConfig;

use crate::common::directory::Directory;
use crate::common::ids::AgentId;
use crate::finance::fire_sales::orders::{Order, Reason, slice_orders};
use crate::finance::institutions::{Institution, InstitutionKind, MarginState, Marks, PendingSale};
use crate::finance::securities::Security;
use crate::money::ledger::{Ledger, REST_OF_ECONOMY};

/// Clears yesterday's sales and flows, and lifts yesterday's margin call.
pub fn start_day(investor: &mut Institution) {
    investor.forced_sales_today_usd = 0.0;
    investor.flow_today_usd = 0.0;
    if investor.margin_state == MarginState::MarginCall {
        investor.margin_state = MarginState::Normal;
    }
}

/// The net flow of a mutual fund's investors as a share of its NAV: their response to
/// its excess return over the benchmark across the lookback, within the monthly cap.
/// None until the lookback has a NAV to compare with.
pub fn redemption_share(config: &FireSaleConfig, nav_per_unit_history: &[f64]) -> Option<f64> {
    let lookback = config.mutual_fund_lookback_months as usize;
    let history = nav_per_unit_history;
    if history.len() <= lookback || history[history.len() - 1 - lookback] <= 0.0 {
        return None;
    }
    let per_unit = history[history.len() - 1];
    let fund_return = per_unit / history[history.len() - 1 - lookback] - 1.0;
    let benchmark = (1.0 + config.mutual_fund_benchmark_return).powf(lookback as f64 / 12.0) - 1.0;
    Some(
        (config.mutual_fund_flow_per_excess_return * (fund_return - benchmark))
            .clamp(-config.mutual_fund_max_monthly_flow, config.mutual_fund_max_monthly_flow),
    )
}

/// Monthly: records the NAV per unit; a mutual fund's investors then buy in or redeem
/// (households in the rest of the economy), and an outflow beyond its cash becomes a
/// slice of every holding to sell.
pub fn monthly_flows(
    config: &FireSaleConfig,
    (id, investor): (AgentId, &mut Institution),
    marks: &Marks,
    ledger: &mut Ledger,
    orders: &mut Vec<Order>,
) {
    let nav = investor.nav_usd(marks);
    let per_unit = nav / investor.fund_units.max(f64::MIN_POSITIVE);
    investor.nav_per_unit_history.push(per_unit);
    if investor.nav_per_unit_history.len() > 13 {
        investor.nav_per_unit_history.remove(0);
    }
    if investor.kind != InstitutionKind::MutualFund {
        return;
    }
    let Some(flow_share) = redemption_share(config, &investor.nav_per_unit_history) else {
        return;
    };
    let flow = flow_share * nav;
    investor.flow_today_usd = flow;
    investor.fund_units *= 1.0 + flow_share;
    investor.cash_usd += flow;
    // The fund's own investors are households in the rest of the economy.
    ledger.pay(REST_OF_ECONOMY, id, flow);
    if investor.cash_usd < 0.0 {
        let shortfall = -investor.cash_usd;
        slice_orders(id, investor, marks, shortfall, Reason::Redemption, orders);
    }
}

/// An insurer's sales under its rating limit: a new downgrade below it starts a sale
/// over the window, an upgrade back within it ends one; today's part of each is an order.
pub fn rating_limit_sales(
    config: &FireSaleConfig,
    (id, investor): (AgentId, &mut Institution),
    directory: &Directory,
    securities: &Query<(&AgentId, &mut Security)>,
    orders: &mut Vec<Order>,
) {
    let min_rating = investor.min_rating;
    let below_limit = |asset: AgentId| {
        securities
            .get(directory.get(asset))
            .is_ok_and(|(_, security)| security.outstanding() && !security.eligible_for(min_rating))
    };
    let fresh: Vec<PendingSale> = investor
        .holdings
        .iter()
        .filter(|h| !investor.pending_sales.iter().any(|p| p.asset == h.asset))
        .filter(|h| below_limit(h.asset))
        .map(|h| PendingSale {
            asset: h.asset,
            units_per_day: h.units / f64::from(config.insurer_sale_window_days),
            days_left: config.insurer_sale_window_days,
        })
        .collect();
    investor.pending_sales.extend(fresh);
    investor.pending_sales.sort_by_key(|p| p.asset);
    // An upgrade back within the limit ends the obligation to sell.
    investor.pending_sales.retain(|sale| below_limit(sale.asset));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn funds_that_beat_the_benchmark_get_inflows_and_laggards_redemptions() {
        let config = bubblesim_config::Config::baseline().fire_sales;
        let lookback = config.mutual_fund_lookback_months as usize;
        let history = |last: f64| {
            let mut h = vec![1.0; lookback];
            h.push(last);
            h
        };
        assert_eq!(redemption_share(&config, &[1.0]), None, "no lookback yet");
        let winner = redemption_share(&config, &history(1.5)).unwrap();
        let loser = redemption_share(&config, &history(0.6)).unwrap();
        assert!(winner > 0.0 && loser < 0.0, "{winner} {loser}");
        assert!(loser >= -config.mutual_fund_max_monthly_flow && winner <= config.mutual_fund_max_monthly_flow);
    }
}
