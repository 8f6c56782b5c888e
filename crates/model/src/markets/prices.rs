//! The equity market of the listed firms: the AI firms (chipmaker, hyperscalers,
//! clouds) and the old-economy carmaker. Each day a stock's log return is the sum of:
//!
//! - retail excess demand, as in Lux & Marchesi: `price_impact` × (chartists' net lots,
//!   for AI firms, + fundamentalists' demand for the stock's own mispricing) per retail
//!   investor;
//! - institutions' net discretionary orders ([`crate::markets::rebalancing`]) and forced
//!   sales ([`crate::finance::fire_sales`]): `equity_price_impact` × dollars over market cap;
//! - for AI firms, a sector shock from traders not modelled one by one, with volatility
//!   `sector_volatility_daily` × √activity, where activity rises with attention to recent
//!   squared index returns (this clusters volatility);
//! - idiosyncratic noise;
//! - on the day after a quarterly report, `earnings_price_response` × the earnings
//!   surprise (the market takes the news in at once).
//!
//! Fundamentals move quarterly with earnings: a fundamental value built from trailing
//! earnings and book equity (the carmaker at its own fair P/E); the change against last
//! quarter is the earnings surprise, and the AI firms' cap-weighted surprise is news
//! for the narrative. The AI index is the cap-weighted level of the AI firms, the
//! old-economy index that of the others.

use crate::beliefs::news::NewsFlow;
use crate::common::calendar::Clock;
use crate::common::events::{EventKind, EventLog};
use crate::common::ids::AgentId;
use crate::common::params::{Params, Seed};
use crate::common::rng::{Purpose, normal};
use crate::finance::fire_sales::orders::ForcedEquitySales;
use crate::firms::listed::Listed;
use crate::markets::index::{AiIndex, EquityVolume, OldEconomyIndex, fundamental_value_usd};
use crate::markets::rebalancing::InstitutionalOrders;
use crate::markets::retail::RetailFlow;
use crate::money::accounts::Accounts;
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

/// Quarterly, after the books close: earnings reports move fundamental values; the AI
/// firms' surprise is news.
pub fn report_earnings(
    params: Res<Params>,
    clock: Res<Clock>,
    mut firms: Query<(&AgentId, &Accounts, &mut Listed)>,
    mut index: ResMut<AiIndex>,
    mut news: ResMut<NewsFlow>,
    mut events: ResMut<EventLog>,
) {
    let m = &params.market;
    let (mut earnings, mut fundamental_cap, mut cap, mut weighted_surprise) = (0.0, 0.0, 0.0, 0.0);
    for (&id, accounts, mut listed) in firms.iter_mut().sort::<&AgentId>() {
        let before = listed.fundamental_usd_per_share;
        let reported_before = listed.fundamental_reported;
        if accounts.earnings.len() >= m.min_earnings_months as usize {
            let fair_pe = if listed.in_ai_index {
                m.fair_price_earnings
            } else {
                params.carmaker.fair_price_earnings
            };
            let value = fundamental_value_usd(accounts.earnings.annualised(), accounts.book_equity_usd, fair_pe, m.fair_price_book);
            listed.fundamental_usd_per_share = value / listed.shares;
            listed.fundamental_reported = true;
        }
        // The first value from earnings replaces the starting price: not news.
        let surprise = if reported_before && before > 0.0 {
            (listed.fundamental_usd_per_share / before - 1.0).clamp(-1.0, 1.0)
        } else {
            0.0
        };
        if clock.tick > 0 {
            listed.earnings_jump = m.earnings_price_response * surprise;
            events.record(
                &clock,
                EventKind::Earnings,
                id,
                None,
                Some(accounts.earnings.last_months(3)),
                format!("fundamental value {:+.1}% on the quarter", surprise * 100.0),
            );
        }
        if !listed.in_ai_index {
            continue;
        }
        earnings += accounts.earnings.annualised();
        fundamental_cap += listed.fundamental_usd_per_share * listed.shares;
        cap += listed.market_cap_usd();
        weighted_surprise += surprise * listed.market_cap_usd();
    }
    index.fundamental_level = fundamental_cap / index.divisor;
    index.earnings_yield = if cap > 0.0 { earnings / cap } else { 0.0 };
    if cap > 0.0 && clock.tick > 0 {
        let surprise = weighted_surprise / cap;
        news.hype_jump += params.news.hype_per_earnings_surprise * surprise;
    }
}

/// Today's orders in listed shares: retail investors', institutions' discretionary orders and forced sales.
#[derive(SystemParam)]
pub struct Orders<'w> {
    flow: Res<'w, RetailFlow>,
    forced: Res<'w, ForcedEquitySales>,
    orders: Res<'w, InstitutionalOrders>,
}

/// The indices and the day's traded value, which prices move.
#[derive(SystemParam)]
pub struct Indices<'w> {
    index: ResMut<'w, AiIndex>,
    old_economy: ResMut<'w, OldEconomyIndex>,
    volume: ResMut<'w, EquityVolume>,
}

/// Daily: prices move with retail and institutional demand, sector shocks and noise;
/// the indices and volumes follow.
pub fn form_prices(
    params: Res<Params>,
    seed: Res<Seed>,
    clock: Res<Clock>,
    mut firms: Query<(&AgentId, &mut Listed)>,
    orders_today: Orders,
    indices: Indices,
) {
    let Indices {
        mut index,
        mut old_economy,
        mut volume,
    } = indices;
    let Orders { flow, forced, orders } = orders_today;
    let m = &params.market;
    let retail = &params.retail;
    let population = flow.population.max(1) as f64;
    let ai_cap: f64 = firms
        .iter()
        .sort::<&AgentId>()
        .filter(|(_, l)| l.in_ai_index)
        .map(|(_, l)| l.market_cap_usd())
        .sum();
    let dollars_per_lot = retail.lot_usd * retail.households_per_agent;
    let retail_net_usd = (flow.chartist_net_lots + flow.fundamentalist_net_lots) as f64 * dollars_per_lot;
    let retail_gross_usd = flow.gross_lots as f64 * dollars_per_lot;
    let activity = index.activity(m.attention_weight);
    let sector_sigma = m.sector_volatility_daily * activity.sqrt();
    let sector_shock = sector_sigma * normal(seed.0, Purpose::SectorNoise, clock.tick, 0, 0) - sector_sigma.powi(2) / 2.0;
    *volume = EquityVolume {
        retail_usd: retail_gross_usd,
        institutional_usd: orders.gross_usd,
        forced_usd: 0.0,
    };
    let (mut cap, mut fundamental_cap, mut old_cap) = (0.0, 0.0, 0.0);
    for (id, mut listed) in firms.iter_mut().sort::<&AgentId>() {
        let cap_before = listed.market_cap_usd();
        let mispricing = ((listed.fundamental_usd_per_share - listed.price_usd) / listed.price_usd).clamp(-1.0, 1.0);
        let fundamentalist_lots = flow.fundamentalists as f64 * retail.fundamentalist_lots_per_mispricing * mispricing;
        let chartist_lots = if listed.in_ai_index { flow.chartist_net_lots as f64 } else { 0.0 };
        let excess_demand = (chartist_lots + fundamentalist_lots) / population;
        let noise = m.noise_volatility_daily * normal(seed.0, Purpose::PriceNoise, clock.tick, id.0, 0);
        let sold = forced.usd.get(id).copied().unwrap_or(0.0);
        let bought = orders.net_usd.get(id).copied().unwrap_or(0.0);
        let institutional = if cap_before > 0.0 {
            params.fire_sales.equity_price_impact * (bought - sold) / cap_before
        } else {
            0.0
        };
        let sector = if listed.in_ai_index { sector_shock } else { 0.0 };
        let earnings = std::mem::take(&mut listed.earnings_jump);
        let log_return =
            m.price_impact * excess_demand + noise - m.noise_volatility_daily.powi(2) / 2.0 + institutional + sector + earnings;
        listed.price_usd *= log_return.exp();
        listed.peak_price_usd = listed.peak_price_usd.max(listed.price_usd);
        listed.log_return = log_return;
        if listed.in_ai_index {
            let weight = if ai_cap > 0.0 { cap_before / ai_cap } else { 0.0 };
            listed.retail_net_buy_usd = retail_net_usd * weight;
            listed.volume_usd = retail_gross_usd * weight + orders.gross_usd * weight + sold;
            volume.forced_usd += sold;
            cap += listed.market_cap_usd();
            fundamental_cap += listed.fundamental_usd_per_share * listed.shares;
        } else {
            listed.retail_net_buy_usd = fundamentalist_lots * dollars_per_lot;
            listed.volume_usd = fundamentalist_lots.abs() * dollars_per_lot + sold;
            old_cap += listed.market_cap_usd();
        }
    }
    let level = cap / index.divisor;
    index.log_return = if index.level > 0.0 { (level / index.level).ln() } else { 0.0 };
    index.level = level;
    index.peak = index.peak.max(level);
    index.max_drawdown = index.max_drawdown.max(index.drawdown());
    index.fundamental_level = fundamental_cap / index.divisor;
    let alpha = 1.0 - 0.5f64.powf(1.0 / retail.trend_halflife_ticks);
    index.trend_per_tick += alpha * (index.log_return - index.trend_per_tick);
    if m.sector_volatility_daily > 0.0 {
        let decay = 0.5f64.powf(1.0 / m.attention_halflife_ticks);
        let surprise = (index.log_return / m.sector_volatility_daily).powi(2);
        index.attention = decay * index.attention + (1.0 - decay) * surprise;
    }
    if old_economy.divisor > 0.0 {
        let level = old_cap / old_economy.divisor;
        old_economy.log_return = if old_economy.level > 0.0 {
            (level / old_economy.level).ln()
        } else {
            0.0
        };
        old_economy.level = level;
        old_economy.peak = old_economy.peak.max(level);
    }
}
