//! The `market`, `sentiment` and `compute` tables: each listed firm and the two indices,
//! the retail population with the narrative, and the GPU-hour market with end-user
//! demand — their rows, their columns and the system that records them.

use std::sync::Arc;

use bevy_ecs::prelude::*;
use bubblesim_schema::{Column, Row};

use crate::ai_industry::demand::Demand;
use crate::beliefs::narrative::Narrative;
use crate::common::calendar::Clock;
use crate::common::ids::AgentId;
use crate::common::rows::Rows;
use crate::compute::generations::Generations;
use crate::compute::market::ComputeMarket;
use crate::firms::firm::Firm;
use crate::firms::listed::Listed;
use crate::markets::index::{AiIndex, EquityVolume, OldEconomyIndex};
use crate::markets::retail::RetailFlow;

/// One listed firm (or the AI index, agent 0) on one tick.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs, reason = "each field is the column of the same name, documented in `COLUMNS`")]
pub struct MarketRow {
    pub tick: u32,
    pub date: i32,
    pub agent_id: u64,
    pub kind: &'static str,
    pub name: Arc<str>,
    pub price_usd: f64,
    pub log_return: f64,
    pub market_cap_usd: f64,
    pub fundamental_usd_per_share: f64,
    pub drawdown: f64,
    pub retail_net_buy_usd: f64,
    pub volume_usd: f64,
    pub view_usd_per_share: f64,
    pub consensus_growth: f64,
}

impl Row for MarketRow {
    const TABLE: &'static str = "market";
    const ROW: &'static str = "a listed firm, or an index (agent_id 0, kind `index`, told apart by name), on one trading day";
    const COLUMNS: &'static [Column<Self>] = &[
        Column::tick(|r| r.tick),
        Column::date(|r| r.date),
        Column::agent_id(|r| r.agent_id),
        Column::kind(
            "chipmaker, hyperscaler, cloud, carmaker (old economy, outside the AI index), or index",
            |r| r.kind,
        ),
        Column::dict(
            "name",
            "label",
            "firm name, or `ai-index` (listed AI firms) or `old-economy-index` (the others)",
            |r| &r.name,
        ),
        Column::f64("price_usd", "USD per share (index: points)", "closing price", |r| r.price_usd),
        Column::f64("log_return", "log", "log return over the day", |r| r.log_return),
        Column::f64("market_cap_usd", "USD", "price × shares (index: the sum over its firms)", |r| {
            r.market_cap_usd
        }),
        Column::f64(
            "fundamental_usd_per_share",
            "USD per share (index: points)",
            "fundamental value: max(forward normalised earnings × a fair P/E that rises with consensus growth and falls with the required return, book × fair P/B); index: points",
            |r| r.fundamental_usd_per_share,
        ),
        Column::f64("drawdown", "share", "fall from the highest close so far, 0–1", |r| r.drawdown),
        Column::f64(
            "retail_net_buy_usd",
            "USD",
            "the retail block's net orders that day, filled at the day's clearing level and settled the next day, in the block's real dollars (it owned retail.ownership_share of the AI firms at the start); 0 for the carmaker, which is not in the retail basket",
            |r| r.retail_net_buy_usd,
        ),
        Column::f64(
            "volume_usd",
            "USD",
            "value traded that day: the retail block's settled buys and sells, institutions' rebalancing and forced sales (carmaker: forced sales; index: the sum over its firms)",
            |r| r.volume_usd,
        ),
        Column::f64(
            "view_usd_per_share",
            "USD per share (index: points)",
            "the wider market's view of value: relaxes toward the fundamental value, takes the day's sector, market and idiosyncratic shocks; the price clears against it",
            |r| r.view_usd_per_share,
        ),
        Column::f64(
            "consensus_growth",
            "per year",
            "consensus revenue growth behind the fair P/E (index: cap-weighted over its firms)",
            |r| r.consensus_growth,
        ),
    ];
}

/// Retail sentiment and the narrative on one tick.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs, reason = "each field is the column of the same name, documented in `COLUMNS`")]
pub struct SentimentRow {
    pub tick: u32,
    pub date: i32,
    pub hype: f64,
    pub hype_target: f64,
    pub ai_revenue_growth: f64,
    pub optimists: u64,
    pub pessimists: u64,
    pub fundamentalists: u64,
    pub opinion_index: f64,
    pub trend_per_year: f64,
    pub mispricing: f64,
    pub chartist_net_buy_usd: f64,
    pub fundamentalist_net_buy_usd: f64,
}

impl Row for SentimentRow {
    const TABLE: &'static str = "sentiment";
    const ROW: &'static str = "the retail population and the narrative on one trading day";
    const COLUMNS: &'static [Column<Self>] = &[
        Column::tick(|r| r.tick),
        Column::date(|r| r.date),
        Column::f64("hype", "0–1", "narrative hype level", |r| r.hype),
        Column::f64("hype_target", "0–1", "level the hype reverts towards", |r| r.hype_target),
        Column::f64(
            "ai_revenue_growth",
            "per year",
            "growth of end-user AI revenue over the last ≤ 12 months",
            |r| r.ai_revenue_growth,
        ),
        Column::u64("optimists", "investors", "optimistic chartists", |r| r.optimists),
        Column::u64("pessimists", "investors", "pessimistic chartists", |r| r.pessimists),
        Column::u64("fundamentalists", "investors", "fundamentalists", |r| r.fundamentalists),
        Column::f64("opinion_index", "−1…1", "(optimists − pessimists) / chartists", |r| {
            r.opinion_index
        }),
        Column::f64(
            "trend_per_year",
            "log per year",
            "moving-average return of the AI index, annualised",
            |r| r.trend_per_year,
        ),
        Column::f64(
            "mispricing",
            "log",
            "log mispricing of the AI index: ln(fundamental / level), not clamped",
            |r| r.mispricing,
        ),
        Column::f64(
            "chartist_net_buy_usd",
            "USD",
            "the retail block's chartists' net purchases of the AI basket",
            |r| r.chartist_net_buy_usd,
        ),
        Column::f64(
            "fundamentalist_net_buy_usd",
            "USD",
            "the retail block's fundamentalists' net purchases of the AI basket",
            |r| r.fundamentalist_net_buy_usd,
        ),
    ];
}

/// The compute market and end-user demand (monthly values) on one tick.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs, reason = "each field is the column of the same name, documented in `COLUMNS`")]
pub struct ComputeRow {
    pub tick: u32,
    pub date: i32,
    pub rent_usd_per_h100_hour: f64,
    pub cost_based_rent_usd_per_h100_hour: f64,
    pub demand_h100_hours: f64,
    pub supply_h100_hours: f64,
    pub utilisation: f64,
    pub served_share: f64,
    pub newest_generation: u32,
    pub newest_performance_h100: f64,
    pub newest_price_usd: f64,
    pub end_user_revenue_usd_per_month: f64,
    pub consumer_kqueries_per_month: f64,
    pub enterprise_kqueries_per_month: f64,
    pub share_queries_below_cost: f64,
}

impl Row for ComputeRow {
    const TABLE: &'static str = "compute";
    const ROW: &'static str = "the compute market and end-user demand (monthly values) on one trading day";
    const COLUMNS: &'static [Column<Self>] = &[
        Column::tick(|r| r.tick),
        Column::date(|r| r.date),
        Column::f64(
            "rent_usd_per_h100_hour",
            "USD per H100-equivalent hour",
            "market rent of compute",
            |r| r.rent_usd_per_h100_hour,
        ),
        Column::f64(
            "cost_based_rent_usd_per_h100_hour",
            "USD per H100-equivalent hour",
            "rent that just recovers the newest GPU's cost at target utilisation",
            |r| r.cost_based_rent_usd_per_h100_hour,
        ),
        Column::f64(
            "demand_h100_hours",
            "H100-hours per month",
            "compute wanted by AI sellers (inference and training)",
            |r| r.demand_h100_hours,
        ),
        Column::f64(
            "supply_h100_hours",
            "H100-hours per month",
            "compute the in-service fleet can deliver",
            |r| r.supply_h100_hours,
        ),
        Column::f64("utilisation", "share", "share of supply in use", |r| r.utilisation),
        Column::f64("served_share", "share", "share of demand that found capacity", |r| r.served_share),
        Column::u32("newest_generation", "index", "newest GPU generation shipped", |r| {
            r.newest_generation
        }),
        Column::f64(
            "newest_performance_h100",
            "H100-equivalents",
            "throughput of the newest generation",
            |r| r.newest_performance_h100,
        ),
        Column::f64("newest_price_usd", "USD per GPU", "list price of the newest generation", |r| {
            r.newest_price_usd
        }),
        Column::f64(
            "end_user_revenue_usd_per_month",
            "USD per month",
            "what users pay for AI if every query is served",
            |r| r.end_user_revenue_usd_per_month,
        ),
        Column::f64(
            "consumer_kqueries_per_month",
            "thousand queries per month",
            "consumer volume",
            |r| r.consumer_kqueries_per_month,
        ),
        Column::f64(
            "enterprise_kqueries_per_month",
            "thousand queries per month",
            "enterprise volume",
            |r| r.enterprise_kqueries_per_month,
        ),
        Column::f64(
            "share_queries_below_cost",
            "share",
            "queries whose compute costs more than their price",
            |r| r.share_queries_below_cost,
        ),
    ];
}

/// What the market-side tables read.
#[derive(bevy_ecs::system::SystemParam)]
pub struct MarketState<'w> {
    index: Res<'w, AiIndex>,
    old_economy: Res<'w, OldEconomyIndex>,
    volume: Res<'w, EquityVolume>,
    flow: Res<'w, RetailFlow>,
    narrative: Res<'w, Narrative>,
    compute: Res<'w, ComputeMarket>,
    demand: Res<'w, Demand>,
    generations: Res<'w, Generations>,
}

/// The `market` table's rows today: every listed firm in id order, then the AI index
/// and the old-economy index.
fn market_rows(clock: &Clock, state: &MarketState, firms: &Query<(&AgentId, &Firm, &Listed)>) -> Vec<MarketRow> {
    let (tick, date) = (clock.tick, clock.date);
    let (index, old_economy, flow) = (&state.index, &state.old_economy, &state.flow);
    let mut rows = Vec::new();
    let (mut cap, mut old_cap, mut old_volume, mut old_fundamental) = (0.0, 0.0, 0.0, 0.0);
    // Per index: Σ view × shares and Σ consensus growth × cap.
    let (mut view, mut growth, mut old_view, mut old_growth) = (0.0, 0.0, 0.0, 0.0);
    for (id, firm, listed) in firms.iter().sort::<&AgentId>() {
        if listed.in_ai_index {
            cap += listed.market_cap_usd();
            view += listed.view_usd_per_share * listed.shares;
            growth += listed.consensus_growth * listed.market_cap_usd();
        } else {
            old_cap += listed.market_cap_usd();
            old_volume += listed.volume_usd;
            old_fundamental += listed.fundamental_usd_per_share * listed.shares;
            old_view += listed.view_usd_per_share * listed.shares;
            old_growth += listed.consensus_growth * listed.market_cap_usd();
        }
        rows.push(MarketRow {
            tick,
            date,
            agent_id: id.0,
            kind: firm.kind.label(),
            name: firm.name.clone(),
            price_usd: listed.price_usd,
            log_return: listed.log_return,
            market_cap_usd: listed.market_cap_usd(),
            fundamental_usd_per_share: listed.fundamental_usd_per_share,
            drawdown: listed.drawdown(),
            retail_net_buy_usd: listed.retail_net_buy_usd,
            volume_usd: listed.volume_usd,
            view_usd_per_share: listed.view_usd_per_share,
            consensus_growth: listed.consensus_growth,
        });
    }
    rows.push(MarketRow {
        tick,
        date,
        agent_id: 0,
        kind: "index",
        name: Arc::from("ai-index"),
        price_usd: index.level,
        log_return: index.log_return,
        market_cap_usd: cap,
        fundamental_usd_per_share: index.fundamental_level,
        drawdown: index.drawdown(),
        retail_net_buy_usd: flow.ordered_usd() * flow.usd_per_agent_usd,
        volume_usd: state.volume.total_usd(),
        view_usd_per_share: if index.divisor > 0.0 { view / index.divisor } else { 0.0 },
        consensus_growth: if cap > 0.0 { growth / cap } else { 0.0 },
    });
    rows.push(MarketRow {
        tick,
        date,
        agent_id: 0,
        kind: "index",
        name: Arc::from("old-economy-index"),
        price_usd: old_economy.level,
        log_return: old_economy.log_return,
        market_cap_usd: old_cap,
        fundamental_usd_per_share: if old_economy.divisor > 0.0 {
            old_fundamental / old_economy.divisor
        } else {
            0.0
        },
        drawdown: old_economy.drawdown(),
        retail_net_buy_usd: 0.0,
        volume_usd: old_volume,
        view_usd_per_share: if old_economy.divisor > 0.0 {
            old_view / old_economy.divisor
        } else {
            0.0
        },
        consensus_growth: if old_cap > 0.0 { old_growth / old_cap } else { 0.0 },
    });
    rows
}

/// Records the market, sentiment and compute tables.
pub fn record_markets(
    clock: Res<Clock>,
    state: MarketState,
    firms: Query<(&AgentId, &Firm, &Listed)>,
    mut market: ResMut<Rows<MarketRow>>,
    mut sentiment: ResMut<Rows<SentimentRow>>,
    mut compute_rows: ResMut<Rows<ComputeRow>>,
) {
    let (tick, date) = (clock.tick, clock.date);
    if market.due(&clock) {
        market.extend(market_rows(&clock, &state, &firms));
    }
    let (index, flow, narrative) = (&state.index, &state.flow, &state.narrative);
    if sentiment.due(&clock) {
        sentiment.push(SentimentRow {
            tick,
            date,
            hype: narrative.hype,
            hype_target: narrative.target,
            ai_revenue_growth: narrative.revenue_growth,
            optimists: flow.optimists,
            pessimists: flow.pessimists,
            fundamentalists: flow.fundamentalists,
            opinion_index: flow.opinion_index(),
            trend_per_year: index.trend_per_tick * 252.0,
            mispricing: index.mispricing(),
            chartist_net_buy_usd: flow.chartist_net_usd * flow.usd_per_agent_usd,
            fundamentalist_net_buy_usd: flow.fundamentalist_net_usd * flow.usd_per_agent_usd,
        });
    }
    if compute_rows.due(&clock) {
        let (compute, demand) = (&state.compute, &state.demand);
        let newest = state.generations.newest();
        compute_rows.push(ComputeRow {
            tick,
            date,
            rent_usd_per_h100_hour: compute.rent_usd_per_h100_hour,
            cost_based_rent_usd_per_h100_hour: compute.cost_based_rent_usd_per_h100_hour,
            demand_h100_hours: compute.demand_h100_hours,
            supply_h100_hours: compute.supply_h100_hours,
            utilisation: compute.overall_utilisation(),
            served_share: compute.served_share,
            newest_generation: newest.index,
            newest_performance_h100: newest.performance_h100,
            newest_price_usd: newest.price_usd,
            end_user_revenue_usd_per_month: demand.revenue_usd(),
            consumer_kqueries_per_month: demand.consumer.volume_kqueries_per_month(),
            enterprise_kqueries_per_month: demand.enterprise.volume_kqueries_per_month(),
            share_queries_below_cost: demand.share_queries_below_cost(compute.rent_usd_per_h100_hour),
        });
    }
}
