//! The `flows` and `bubble` tables: every payment that buys lab equity or GPUs or pays a
//! take-or-pay contract, and the Goldfarb–Kirsch index with its inputs and the state
//! behind them (adoption, forecasts, venture capital) — the rows, their columns and the
//! system that records them.

use std::sync::Arc;

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;
use bubblesim_schema::{Column, Row};

use crate::ai_industry::adoption::AdoptionStats;
use crate::ai_industry::circular::CircularDeal;
use crate::ai_industry::venture::{Venture, VentureFund};
use crate::beliefs::bubble::BubbleIndex;
use crate::beliefs::forecasts::Forecasts;
use crate::beliefs::news::NewsFlow;
use crate::common::calendar::Clock;
use crate::common::directory::Directory;
use crate::common::rows::Rows;
use crate::firms::firm::Firm;
use crate::money::flows::FlowLog;

/// One payment between two agents.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs, reason = "each field is the column of the same name, documented in `COLUMNS`")]
pub struct FlowRow {
    pub tick: u32,
    pub date: i32,
    pub from_id: u64,
    pub from_name: Arc<str>,
    pub to_id: u64,
    pub to_name: Arc<str>,
    pub kind: &'static str,
    pub amount_usd: f64,
    pub circular: bool,
}

impl Row for FlowRow {
    const TABLE: &'static str = "flows";
    const ROW: &'static str = "one payment that buys lab equity or GPUs, or pays a take-or-pay compute contract, on the day it is made";
    const COLUMNS: &'static [Column<Self>] = &[
        Column::tick(|r| r.tick),
        Column::date(|r| r.date),
        Column::u64("from_id", "id", "the payer", |r| r.from_id),
        Column::dict("from_name", "label", "the payer's name", |r| &r.from_name),
        Column::u64("to_id", "id", "the payee", |r| r.to_id),
        Column::dict("to_name", "label", "the payee's name", |r| &r.to_name),
        Column::dict(
            "kind",
            "label",
            "chip_investment (chipmaker → lab equity, per GW installed), take_or_pay (lab → cloud), capacity_rent (cloud → lab: the market rent the contracted GPUs earned), gpu_purchase (provider → chipmaker), venture_round (VC fund → lab equity)",
            |r| r.kind,
        ),
        Column::f64("amount_usd", "USD", "the payment", |r| r.amount_usd),
        Column::bool(
            "circular",
            "flag",
            "a leg of the chipmaker → lab → cloud → chipmaker loop (the chipmaker's investment, the contract's payments both ways, the GPUs bought for it)",
            |r| r.circular,
        ),
    ];
}

/// The bubble index on one tick: its scores and inputs, and the state behind them.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs, reason = "each field is the column of the same name, documented in `COLUMNS`")]
pub struct BubbleRow {
    pub tick: u32,
    pub date: i32,
    /// The index: its four factors and the inputs they are scored from.
    pub index: BubbleIndex,
    pub consensus_growth: f64,
    pub ai_capex_usd_per_year: f64,
    pub ai_revenue_usd_per_year: f64,
    pub venture_ai_capital_usd: f64,
    pub venture_mark_return: f64,
    pub adopters_piloting: u64,
    pub adopters_paying: u64,
    pub adopters_with_return: u64,
    pub adopters_churned: u64,
    pub model_releases: u32,
    pub last_capability_gain: f64,
    pub circular_deployed_gw: f64,
    pub circular_active: bool,
}

impl Row for BubbleRow {
    const TABLE: &'static str = "bubble";
    const ROW: &'static str = "the Goldfarb–Kirsch bubble index, its four factors and their inputs, on one trading day";
    const COLUMNS: &'static [Column<Self>] = &[
        Column::tick(|r| r.tick),
        Column::date(|r| r.date),
        Column::u32("total", "score 0–8", "sum of the four factors", |r| u32::from(r.index.total())),
        Column::u32(
            "uncertainty",
            "score 0–2",
            "mean of forecast_dispersion's and capex_to_revenue's scores, rounded up",
            |r| u32::from(r.index.uncertainty),
        ),
        Column::u32("pure_plays", "score 0–2", "ai_capital_share's score", |r| {
            u32::from(r.index.pure_plays)
        }),
        Column::u32(
            "novice_investors",
            "score 0–2",
            "mean of retail_ownership_share's and novice_share's scores, rounded up",
            |r| u32::from(r.index.novice_investors),
        ),
        Column::u32("narrative", "score 0–2", "hype's score", |r| u32::from(r.index.narrative)),
        Column::f64(
            "forecast_dispersion",
            "log",
            "spread (std) of forecasters' log AI-revenue forecasts at forecasts.horizon_years",
            |r| r.index.inputs.forecast_dispersion,
        ),
        Column::f64(
            "capex_to_revenue",
            "ratio",
            "AI capex per year / AI end-user revenue per year",
            |r| r.index.inputs.capex_to_revenue,
        ),
        Column::f64(
            "ai_capital_share",
            "share",
            "share of this month's new venture capital going to AI pure plays",
            |r| r.index.inputs.ai_capital_share,
        ),
        Column::f64(
            "retail_ownership_share",
            "share",
            "the retail block's share of the AI firms' shares (retail.ownership_share at the start; it rises as retail buys into the boom)",
            |r| r.index.inputs.retail_ownership_share,
        ),
        Column::f64("novice_share", "share", "novices' share of retail investors", |r| {
            r.index.inputs.novice_share
        }),
        Column::f64("hype", "0–1", "the narrative's hype", |r| r.index.inputs.hype),
        Column::f64(
            "consensus_growth",
            "log per year",
            "forecasters' mean belief in AI revenue growth",
            |r| r.consensus_growth,
        ),
        Column::f64(
            "ai_capex_usd_per_year",
            "USD per year",
            "GPU and building capex over the last (up to) 12 months, annualised",
            |r| r.ai_capex_usd_per_year,
        ),
        Column::f64(
            "ai_revenue_usd_per_year",
            "USD per year",
            "AI product revenue of the last month × 12",
            |r| r.ai_revenue_usd_per_year,
        ),
        Column::f64(
            "venture_ai_capital_usd",
            "USD",
            "new venture capital allocated to AI this month",
            |r| r.venture_ai_capital_usd,
        ),
        Column::f64(
            "venture_mark_return",
            "share",
            "return of the VC funds' lab marks over venture.marks_lookback_months",
            |r| r.venture_mark_return,
        ),
        Column::u64("adopters_piloting", "count", "enterprises piloting AI", |r| r.adopters_piloting),
        Column::u64("adopters_paying", "count", "enterprises past their pilot and still paying", |r| {
            r.adopters_paying
        }),
        Column::u64(
            "adopters_with_return",
            "count",
            "paying enterprises that see a measurable return",
            |r| r.adopters_with_return,
        ),
        Column::u64("adopters_churned", "count", "enterprises that stopped", |r| r.adopters_churned),
        Column::u32("model_releases", "count", "frontier model releases so far", |r| r.model_releases),
        Column::f64(
            "last_capability_gain",
            "capability",
            "gain of the latest release (0 before the first)",
            |r| r.last_capability_gain,
        ),
        Column::f64(
            "circular_deployed_gw",
            "GW",
            "contract capacity the cloud has installed (GPUs ordered for it count once installed)",
            |r| r.circular_deployed_gw,
        ),
        Column::bool(
            "circular_active",
            "flag",
            "whether the deal stands: true from the start while it is being deployed and paid, false once its term is over, once unwound, or without a deal",
            |r| r.circular_active,
        ),
    ];
}

/// The state the bubble table reads: the index, its inputs and the agents behind them.
#[derive(SystemParam)]
pub struct BoomState<'w> {
    bubble: Res<'w, BubbleIndex>,
    forecasts: Res<'w, Forecasts>,
    venture: Res<'w, Venture>,
    adoption: Res<'w, AdoptionStats>,
    news: Res<'w, NewsFlow>,
    deal: Res<'w, CircularDeal>,
}

/// Records the flows (all of them, as they happen) and the bubble table (at its cadence).
pub fn record_boom(
    clock: Res<Clock>,
    directory: Res<Directory>,
    names: Query<(Option<&Firm>, Option<&VentureFund>)>,
    mut flows: ResMut<FlowLog>,
    (mut flow_rows, mut bubble_rows): (ResMut<Rows<FlowRow>>, ResMut<Rows<BubbleRow>>),
    state: BoomState,
) {
    let BoomState {
        bubble,
        forecasts,
        venture,
        adoption,
        news,
        deal,
    } = state;
    let name = |id: crate::common::ids::AgentId| -> Arc<str> {
        directory
            .try_get(id)
            .and_then(|entity| names.get(entity).ok())
            .and_then(|(firm, fund)| firm.map(|f| f.name.clone()).or_else(|| fund.map(|f| f.name.clone())))
            .unwrap_or_else(|| Arc::from(format!("agent-{}", id.0)))
    };
    for flow in flows.flows.drain(..) {
        flow_rows.push(FlowRow {
            tick: flow.tick,
            date: flow.date,
            from_id: flow.from.0,
            from_name: name(flow.from),
            to_id: flow.to.0,
            to_name: name(flow.to),
            kind: flow.kind.label(),
            amount_usd: flow.amount_usd,
            circular: flow.circular,
        });
    }
    if bubble_rows.due(&clock) {
        bubble_rows.push(BubbleRow {
            tick: clock.tick,
            date: clock.date,
            index: *bubble,
            consensus_growth: forecasts.consensus_growth,
            ai_capex_usd_per_year: forecasts.ai_capex_usd_per_year,
            ai_revenue_usd_per_year: forecasts.ai_revenue_usd_per_year,
            venture_ai_capital_usd: venture.ai_capital_usd,
            venture_mark_return: venture.mark_return,
            adopters_piloting: adoption.piloting,
            adopters_paying: adoption.paying_with_return + adoption.paying_without_return,
            adopters_with_return: adoption.paying_with_return,
            adopters_churned: adoption.churned,
            model_releases: news.releases,
            last_capability_gain: news.last_capability_gain,
            circular_deployed_gw: deal.deployed_gw,
            circular_active: deal.active,
        });
    }
}
