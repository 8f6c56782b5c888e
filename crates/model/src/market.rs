//! The equity market of the listed AI firms (chipmaker, hyperscalers, clouds). Prices
//! form from retail excess demand, as in Lux & Marchesi: each tick a stock's log price
//! moves by `price_impact` × (chartists' net lots + fundamentalists' demand for that
//! stock) per retail investor, plus idiosyncratic noise. Fundamentalists' demand for a
//! stock is proportional to its own mispricing against a fundamental value built from
//! the firm's trailing earnings and book equity. The AI index is the cap-weighted level
//! of all listed AI firms. Institutions' forced sales of a stock (`fire_sales`) lower its
//! log price by `equity_price_impact` × the dollars sold over its market cap.

use bevy_ecs::prelude::*;

use crate::agents::AgentId;
use crate::calendar::Clock;
use crate::fire_sales::ForcedEquitySales;
use crate::firms::{Accounts, Listed};
use crate::params::{Params, Seed};
use crate::rng::{Purpose, normal};
use crate::sentiment::RetailFlow;

/// The cap-weighted index of listed AI firms, 100 at the start.
#[derive(Resource, Debug, Clone, Default)]
pub struct AiIndex {
    pub level: f64,
    pub peak: f64,
    /// Index level the fundamentals would justify.
    pub fundamental_level: f64,
    /// Market cap per index point.
    pub divisor: f64,
    pub log_return: f64,
    /// Exponential moving average of daily log returns.
    pub trend_per_tick: f64,
    /// Trailing earnings over market cap of the index's firms.
    pub earnings_yield: f64,
    /// The deepest peak-to-trough fall so far, 0 … 1.
    pub max_drawdown: f64,
}

impl AiIndex {
    pub fn drawdown(&self) -> f64 {
        if self.peak > 0.0 { 1.0 - self.level / self.peak } else { 0.0 }
    }

    /// (fundamental − level)/level, clamped to [−1, 1].
    pub fn mispricing(&self) -> f64 {
        if self.level > 0.0 {
            ((self.fundamental_level - self.level) / self.level).clamp(-1.0, 1.0)
        } else {
            0.0
        }
    }
}

/// Fundamentalists' value of a firm: max(earnings × fair P/E, book × fair P/B), ≥ 0.
pub fn fundamental_value_usd(earnings_per_year_usd: f64, book_equity_usd: f64, fair_pe: f64, fair_pb: f64) -> f64 {
    (earnings_per_year_usd * fair_pe).max(book_equity_usd * fair_pb).max(0.0)
}

/// Monthly, after the books close: fundamental values per share and the index's yield.
pub fn update_fundamentals(params: Res<Params>, mut firms: Query<(&AgentId, &Accounts, &mut Listed)>, mut index: ResMut<AiIndex>) {
    let m = &params.market;
    let (mut earnings, mut fundamental_cap, mut cap) = (0.0, 0.0, 0.0);
    for (_, accounts, mut listed) in firms.iter_mut().sort::<&AgentId>() {
        if accounts.earnings.len() >= m.min_earnings_months as usize {
            let value = fundamental_value_usd(
                accounts.earnings.annualised(),
                accounts.book_equity_usd,
                m.fair_price_earnings,
                m.fair_price_book,
            );
            listed.fundamental_usd_per_share = value / listed.shares;
        }
        earnings += accounts.earnings.annualised();
        fundamental_cap += listed.fundamental_usd_per_share * listed.shares;
        cap += listed.market_cap_usd();
    }
    index.fundamental_level = fundamental_cap / index.divisor;
    index.earnings_yield = if cap > 0.0 { earnings / cap } else { 0.0 };
}

/// Daily: prices move with retail excess demand; the index follows.
pub fn form_prices(
    params: Res<Params>,
    seed: Res<Seed>,
    clock: Res<Clock>,
    flow: Res<RetailFlow>,
    forced: Res<ForcedEquitySales>,
    mut firms: Query<(&AgentId, &mut Listed)>,
    mut index: ResMut<AiIndex>,
) {
    let m = &params.market;
    let retail = &params.retail;
    let population = flow.population.max(1) as f64;
    let total_cap: f64 = firms.iter().sort::<&AgentId>().map(|(_, l)| l.market_cap_usd()).sum();
    let retail_net_usd = (flow.chartist_net_lots + flow.fundamentalist_net_lots) as f64 * retail.lot_usd;
    let (mut cap, mut fundamental_cap) = (0.0, 0.0);
    for (id, mut listed) in firms.iter_mut().sort::<&AgentId>() {
        let mispricing = ((listed.fundamental_usd_per_share - listed.price_usd) / listed.price_usd).clamp(-1.0, 1.0);
        let fundamentalist_lots = flow.fundamentalists as f64 * retail.fundamentalist_lots_per_mispricing * mispricing;
        let excess_demand = (flow.chartist_net_lots as f64 + fundamentalist_lots) / population;
        let noise = m.noise_volatility_daily * normal(seed.0, Purpose::PriceNoise, clock.tick, id.0, 0);
        // Institutions' forced sales push the price down through market depth.
        let fire_sale = match forced.usd.get(id) {
            Some(&sold) if listed.market_cap_usd() > 0.0 => params.fire_sales.equity_price_impact * sold / listed.market_cap_usd(),
            _ => 0.0,
        };
        let log_return = m.price_impact * excess_demand + noise - m.noise_volatility_daily.powi(2) / 2.0 - fire_sale;
        let weight = if total_cap > 0.0 {
            listed.market_cap_usd() / total_cap
        } else {
            0.0
        };
        listed.price_usd *= log_return.exp();
        listed.peak_price_usd = listed.peak_price_usd.max(listed.price_usd);
        listed.log_return = log_return;
        listed.retail_net_buy_usd = retail_net_usd * weight;
        cap += listed.market_cap_usd();
        fundamental_cap += listed.fundamental_usd_per_share * listed.shares;
    }
    let level = cap / index.divisor;
    index.log_return = if index.level > 0.0 { (level / index.level).ln() } else { 0.0 };
    index.level = level;
    index.peak = index.peak.max(level);
    index.max_drawdown = index.max_drawdown.max(index.drawdown());
    index.fundamental_level = fundamental_cap / index.divisor;
    let alpha = 1.0 - 0.5f64.powf(1.0 / retail.trend_halflife_ticks);
    index.trend_per_tick += alpha * (index.log_return - index.trend_per_tick);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fundamental_value_takes_the_better_anchor() {
        assert_eq!(fundamental_value_usd(10.0, 50.0, 20.0, 1.0), 200.0);
        assert_eq!(fundamental_value_usd(-10.0, 50.0, 20.0, 1.0), 50.0);
        assert_eq!(fundamental_value_usd(-10.0, -50.0, 20.0, 1.0), 0.0);
    }
}
