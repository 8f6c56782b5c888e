//! Daily price formation of the listed firms: the AI firms (chipmaker, hyperscalers,
//! clouds) and the old-economy carmaker (docs/model.md#price-formation). Prices clear
//! holdings against shares, in the manner of a market with inelastic demand (Gabaix &
//! Koijen 2021):
//!
//! - the retail block ([`crate::markets::retail`]) and the institutions
//!   ([`crate::markets::rebalancing`], [`crate::finance::fire_sales`]) hold what their
//!   trades left them: the retail block its share of each AI firm (its starting
//!   `retail.ownership_share` × its units over its starting units), each institution its
//!   shares;
//! - the wider market (traders not modelled one by one) holds the rest. Its demand is
//!   its normal holding × (view / price)^`demand_elasticity`, so the price is its view ×
//!   (normal holding / shares left to it)^(1/elasticity): when retail or institutions
//!   buy, the wider market sells only at a higher price, and the premium lasts as long
//!   as they hold;
//! - its view of value relaxes toward the fundamental value with a half-life of
//!   `value_view_halflife_months` (the anchor), and takes each day's shocks: the AI
//!   sector's on the firm's AI share of value, with volatility that rises with attention
//!   to recent moves (this clusters volatility), a market-wide shock on the rest, and
//!   idiosyncratic noise; on the day after a quarterly report it takes
//!   `earnings_price_response` of the earnings surprise at once.
//!
//! The retail block's demand depends on the level it fills at (wealth, and
//! fundamentalists' mispricing), so the basket's level is solved for first: the level at
//! which the prices its demand implies add up to it ([`clear_basket`]). Its orders fill
//! at that level and settle tomorrow. The AI index is the cap-weighted level of the AI
//! firms, the old-economy index that of the others.

use crate::common::ids::AgentId;
use crate::common::rng::{Purpose, normal};
use crate::common::today::Today;
use crate::finance::fire_sales::orders::ForcedEquitySales;
use crate::finance::institutions::Institution;
use crate::firms::listed::Listed;
use crate::markets::index::{AiIndex, EquityVolume, OldEconomyIndex};
use crate::markets::rebalancing::InstitutionalOrders;
use crate::markets::retail::{BlockDemand, RetailFlow};
use crate::money::accounts::Accounts;
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;
use bubblesim_config::MarketConfig;

/// The share of the wider market's holding it keeps, whatever the others buy: a guard
/// for prices when the modelled investors would hold nearly every share.
pub const MIN_WIDER_MARKET_SHARE: f64 = 0.001;

/// The price at which the wider market holds exactly `shares_left` when it would hold
/// `normal_shares` at its view: view × (normal / left)^(1/elasticity).
pub fn clearing_price_usd(view_usd: f64, normal_shares: f64, shares_left: f64, elasticity: f64) -> f64 {
    if normal_shares <= 0.0 || shares_left <= 0.0 {
        return view_usd;
    }
    view_usd * (normal_shares / shares_left).powf(1.0 / elasticity)
}

/// One AI firm in today's clearing: its view, the wider market's normal holding, its
/// shares, what institutions hold, and the shares one unit of the retail basket holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClearingFirm {
    /// The wider market's view of value per share, USD.
    pub view_usd: f64,
    /// Shares the wider market holds at a price equal to its view.
    pub normal_shares: f64,
    /// Shares outstanding.
    pub shares: f64,
    /// Shares the institutions hold.
    pub institution_shares: f64,
    /// Shares per unit of the retail basket (× the block's real units: its holding).
    pub retail_shares_per_unit: f64,
}

impl ClearingFirm {
    /// The price at which the wider market takes what the retail block's `retail_units`
    /// (real units) and the institutions leave, keeping at least
    /// [`MIN_WIDER_MARKET_SHARE`] of its normal holding.
    pub fn price_usd(&self, retail_units: f64, elasticity: f64) -> f64 {
        let left = self.shares - self.retail_shares_per_unit * retail_units - self.institution_shares;
        clearing_price_usd(
            self.view_usd,
            self.normal_shares,
            left.max(MIN_WIDER_MARKET_SHARE * self.normal_shares),
            elasticity,
        )
    }
}

/// The basket level at which the retail block's demand clears: the level B with
/// Σ shares per unit × price(demand(B)) = B, where `units_at(B)` is the block's demand
/// in real units. The left side falls as B rises (the block demands fewer units), so
/// the root is unique; it is bracketed from `guess` and found by bisection in logs.
pub fn clear_basket(firms: &[ClearingFirm], units_at: impl Fn(f64) -> f64, elasticity: f64, guess: f64) -> f64 {
    let excess = |level: f64| -> f64 {
        let units = units_at(level);
        firms
            .iter()
            .map(|f| f.retail_shares_per_unit * f.price_usd(units, elasticity))
            .sum::<f64>()
            - level
    };
    if firms.is_empty() {
        return guess;
    }
    let (mut low, mut high) = (guess.max(1e-9), guess.max(1e-9));
    for _ in 0..200 {
        if excess(low) > 0.0 {
            break;
        }
        low *= 0.5;
    }
    for _ in 0..200 {
        if excess(high) < 0.0 {
            break;
        }
        high *= 2.0;
    }
    for _ in 0..200 {
        let middle = (low * high).sqrt();
        if high / low - 1.0 < 1e-13 {
            break;
        }
        if excess(middle) > 0.0 {
            low = middle;
        } else {
            high = middle;
        }
    }
    (low * high).sqrt()
}

/// The share of the gap between the view and the fundamental value the view closes each
/// trading day (21 a month).
pub fn view_reversion_per_day(market: &MarketConfig) -> f64 {
    1.0 - 0.5f64.powf(1.0 / (market.value_view_halflife_months * 21.0))
}

/// The share of a firm's value that moves with AI sentiment: its AI share of revenue
/// over the last twelve months (this month's before one has closed), or `fallback`
/// without revenue.
pub fn ai_value_share(accounts: &Accounts, fallback: f64) -> f64 {
    let (core, revenue) = if accounts.revenue.is_empty() {
        (accounts.month.core_revenue_usd, accounts.month.revenue_usd())
    } else {
        (accounts.core_revenue.annualised(), accounts.revenue.annualised())
    };
    if revenue > 0.0 {
        (1.0 - core / revenue).clamp(0.0, 1.0)
    } else {
        fallback
    }
}

/// Who holds the listed shares today: the retail block (its holdings and demand),
/// institutions (after their discretionary orders and forced sales).
#[derive(SystemParam)]
pub struct Holders<'w, 's> {
    flow: ResMut<'w, RetailFlow>,
    forced: Res<'w, ForcedEquitySales>,
    orders: Res<'w, InstitutionalOrders>,
    institutions: Query<'w, 's, (&'static AgentId, &'static Institution)>,
}

/// The indices and the day's traded value, which prices move.
#[derive(SystemParam)]
pub struct Indices<'w> {
    index: ResMut<'w, AiIndex>,
    old_economy: ResMut<'w, OldEconomyIndex>,
    volume: ResMut<'w, EquityVolume>,
}

/// Today's shocks to the wider market's views, log, each less half its variance: the AI
/// sector's and the market-wide one, and the scale of every shock (√activity: traders
/// not modelled one by one trade more after big moves, which clusters volatility).
#[derive(Debug, Clone, Copy)]
struct Shocks {
    sector: f64,
    core: f64,
    scale: f64,
}

fn todays_shocks(today: &Today, index: &AiIndex) -> Shocks {
    let m = &today.params.market;
    let (seed, tick) = (today.seed.0, today.clock.tick);
    let scale = index.activity(m.attention_weight).sqrt();
    let (sector_sigma, core_sigma) = (m.sector_volatility_daily * scale, m.core_volatility_daily * scale);
    Shocks {
        sector: sector_sigma * normal(seed, Purpose::SectorNoise, tick, 0, 0) - sector_sigma.powi(2) / 2.0,
        core: core_sigma * normal(seed, Purpose::MarketNoise, tick, 0, 0) - core_sigma.powi(2) / 2.0,
        scale,
    }
}

/// The least a share is worth to the wider market: a cent (a firm with no value left
/// trades as a penny stock rather than at zero, where its returns would be undefined).
pub const MIN_VALUE_USD_PER_SHARE: f64 = 0.01;

/// Moves a firm's view for the day: part of its log gap to the fundamental value (at
/// least [`MIN_VALUE_USD_PER_SHARE`], so the gap stays finite), the AI
/// sector's shock on its AI share, the market's on the rest, its own noise and the
/// earnings news.
fn move_view(today: &Today, id: AgentId, listed: &mut Listed, shocks: Shocks) {
    let m = &today.params.market;
    let Shocks { sector, core, scale } = shocks;
    let sigma = scale
        * if listed.in_ai_index {
            m.noise_volatility_daily
        } else {
            today.params.carmaker.noise_volatility_daily
        };
    let noise = sigma * normal(today.seed.0, Purpose::PriceNoise, today.clock.tick, id.0, 0) - sigma.powi(2) / 2.0;
    let earnings = std::mem::take(&mut listed.earnings_jump);
    let anchor = (listed.fundamental_usd_per_share.max(MIN_VALUE_USD_PER_SHARE) / listed.view_usd_per_share).ln();
    let ai = listed.ai_value_share;
    let change = view_reversion_per_day(m) * anchor + ai * sector + (1.0 - ai) * core + noise + earnings;
    listed.view_usd_per_share = (listed.view_usd_per_share * change.exp()).max(MIN_VALUE_USD_PER_SHARE);
}

/// Daily: each firm's view moves toward its fundamental value and takes the day's
/// shocks; the AI basket's level clears the retail block's demand, and each price what
/// the modelled investors hold; the indices follow.
pub fn form_prices(today: Today, mut firms: Query<(&AgentId, &Accounts, &mut Listed)>, holders: Holders, indices: Indices) {
    let Indices {
        mut index,
        mut old_economy,
        mut volume,
    } = indices;
    let Holders {
        mut flow,
        forced,
        orders,
        institutions,
    } = holders;
    let m = &today.params.market;
    let institutions: Vec<&Institution> = institutions.iter().sort::<&AgentId>().map(|(_, i)| i).collect();
    let shocks = todays_shocks(&today, &index);
    let (mut ai_cap_before, mut clearing, mut fundamental_basket, mut ai_exposure) = (0.0, Vec::new(), 0.0, 0.0);
    for (&id, accounts, mut listed) in firms.iter_mut().sort::<&AgentId>() {
        if listed.in_ai_index {
            listed.ai_value_share = ai_value_share(accounts, listed.ai_value_share);
            ai_cap_before += listed.market_cap_usd();
            ai_exposure += listed.ai_value_share * listed.market_cap_usd();
            fundamental_basket += listed.retail_shares_per_unit * listed.fundamental_usd_per_share;
        }
        move_view(&today, id, &mut listed, shocks);
        if listed.in_ai_index {
            clearing.push(ClearingFirm {
                view_usd: listed.view_usd_per_share,
                normal_shares: listed.wider_normal_shares,
                shares: listed.shares,
                institution_shares: institutions.iter().map(|i| i.units_of(id)).sum(),
                retail_shares_per_unit: listed.retail_shares_per_unit,
            });
        }
    }
    // The block's demand in real units at a basket level (agents' units × usd_per_agent_usd).
    let demand = BlockDemand {
        config: &today.params.retail,
        holdings: flow.holdings,
        fundamental_level: fundamental_basket,
    };
    let scale = flow.usd_per_agent_usd;
    let guess = if flow.cleared_level > 0.0 {
        flow.cleared_level
    } else {
        index.level
    };
    let level = clear_basket(&clearing, |level| demand.units(level) * scale, m.demand_elasticity, guess);
    flow.cleared_level = level;
    flow.cleared_units = demand.units(level);
    flow.cleared_targets = demand.targets(level);
    let retail_units = flow.cleared_units * scale;
    let (ordered_usd, settled_gross_usd) = (flow.ordered_usd() * scale, flow.gross_usd * scale);
    *volume = EquityVolume {
        retail_usd: settled_gross_usd,
        institutional_usd: orders.gross_usd,
        forced_usd: 0.0,
    };
    let (mut cap, mut fundamental_cap, mut old_cap) = (0.0, 0.0, 0.0);
    let mut clearing = clearing.into_iter();
    for (&id, _, mut listed) in firms.iter_mut().sort::<&AgentId>() {
        let (price_before, cap_before) = (listed.price_usd, listed.market_cap_usd());
        let sold = forced.usd.get(&id).copied().unwrap_or(0.0);
        if listed.in_ai_index {
            let firm = clearing.next().expect("one clearing entry per AI firm, in id order");
            listed.price_usd = firm.price_usd(retail_units, m.demand_elasticity);
            let weight = if ai_cap_before > 0.0 { cap_before / ai_cap_before } else { 0.0 };
            listed.retail_net_buy_usd = ordered_usd * weight;
            listed.volume_usd = (settled_gross_usd + orders.gross_usd) * weight + sold;
            volume.forced_usd += sold;
        } else {
            listed.price_usd = clearing_price_usd(
                listed.view_usd_per_share,
                listed.wider_normal_shares,
                listed.shares,
                m.demand_elasticity,
            );
            listed.retail_net_buy_usd = 0.0;
            listed.volume_usd = sold;
        }
        listed.peak_price_usd = listed.peak_price_usd.max(listed.price_usd);
        listed.log_return = (listed.price_usd / price_before).ln();
        if listed.in_ai_index {
            cap += listed.market_cap_usd();
            fundamental_cap += listed.fundamental_usd_per_share * listed.shares;
        } else {
            old_cap += listed.market_cap_usd();
        }
    }
    let level = cap / index.divisor;
    index.log_return = if index.level > 0.0 { (level / index.level).ln() } else { 0.0 };
    index.level = level;
    index.peak = index.peak.max(level);
    index.max_drawdown = index.max_drawdown.max(index.drawdown());
    index.fundamental_level = fundamental_cap / index.divisor;
    let alpha = 1.0 - 0.5f64.powf(1.0 / today.params.retail.trend_halflife_ticks);
    index.trend_per_tick += alpha * (index.log_return - index.trend_per_tick);
    // Attention: recent squared index returns against their long-run level, which
    // starts at what the views' shocks alone would give the index.
    if index.normal_variance <= 0.0 {
        let exposure = if ai_cap_before > 0.0 { ai_exposure / ai_cap_before } else { 0.0 };
        let start = (exposure * m.sector_volatility_daily).powi(2) + ((1.0 - exposure) * m.core_volatility_daily).powi(2);
        (index.recent_variance, index.normal_variance) = (start, start);
    }
    let squared = index.log_return.powi(2);
    let recent = 0.5f64.powf(1.0 / m.attention_halflife_ticks);
    let normal = 0.5f64.powf(1.0 / m.attention_baseline_halflife_ticks);
    index.recent_variance = recent * index.recent_variance + (1.0 - recent) * squared;
    index.normal_variance = normal * index.normal_variance + (1.0 - normal) * squared;
    if index.normal_variance > 0.0 {
        index.attention = index.recent_variance / index.normal_variance;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buying_from_the_wider_market_raises_the_price_by_the_inverse_elasticity() {
        assert_eq!(clearing_price_usd(100.0, 50.0, 50.0, 1.0), 100.0);
        let bought = clearing_price_usd(100.0, 50.0, 45.0, 1.0);
        let inelastic = clearing_price_usd(100.0, 50.0, 45.0, 0.5);
        assert!((bought - 100.0 * 50.0 / 45.0).abs() < 1e-9);
        assert!(inelastic > bought, "less elastic demand: purchases move the price more");
        assert!(clearing_price_usd(100.0, 50.0, 55.0, 1.0) < 100.0);
    }

    fn firm(spu: f64) -> ClearingFirm {
        ClearingFirm {
            view_usd: 100.0,
            normal_shares: 60.0,
            shares: 100.0,
            institution_shares: 10.0,
            retail_shares_per_unit: spu,
        }
    }

    #[test]
    fn the_basket_clears_where_demand_meets_the_wider_market() {
        let firms = [firm(0.5), firm(0.5)];
        // A block that demands 60 units (30 shares of each) whatever the level leaves the
        // wider market its normal holding: prices equal views, and the basket is worth 100.
        let at_rest = clear_basket(&firms, |_| 60.0, 1.0, 80.0);
        assert!((at_rest - 100.0).abs() < 1e-9, "{at_rest}");
        // Demand that falls with the level clears where it is consistent with itself.
        let wealth = 4000.0;
        let units_at = |level: f64| 0.45 * wealth / level + 40.0;
        let level = clear_basket(&firms, units_at, 1.0, 100.0);
        let implied: f64 = firms
            .iter()
            .map(|f| f.retail_shares_per_unit * f.price_usd(units_at(level), 1.0))
            .sum();
        assert!((implied - level).abs() < 1e-9 * level, "{implied} vs {level}");
        let keener = clear_basket(&firms, |l| 0.6 * wealth / l + 40.0, 1.0, 100.0);
        assert!(keener > level, "more demand, a higher level: {keener} ≤ {level}");
    }

    #[test]
    fn the_view_closes_half_its_gap_in_a_half_life() {
        let market = bubblesim_config::Config::baseline().market;
        let days = (market.value_view_halflife_months * 21.0).round() as i32;
        let left = (1.0 - view_reversion_per_day(&market)).powi(days);
        assert!((left - 0.5).abs() < 0.01, "{left}");
    }
}
