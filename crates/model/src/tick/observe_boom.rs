//! Rows of the `flows` and `bubble` tables: every payment that buys lab equity or GPUs
//! or pays a take-or-pay contract, and the Goldfarb–Kirsch index with its inputs and
//! the state behind them (adoption, forecasts, venture capital).

use std::sync::Arc;

use bevy_ecs::prelude::*;

use crate::ai_industry::adoption::AdoptionStats;
use crate::ai_industry::circular::CircularDeal;
use crate::ai_industry::venture::{Venture, VentureFund};
use crate::beliefs::bubble::BubbleIndex;
use crate::beliefs::forecasts::Forecasts;
use crate::beliefs::news::NewsFlow;
use crate::common::calendar::Clock;
use crate::common::directory::Directory;
use crate::common::params::Params;
use crate::firms::firm::Firm;
use crate::money::flows::FlowLog;
use crate::tick::observe::{Observations, due};

/// One payment between two agents.
#[derive(Debug, Clone, PartialEq)]
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

/// The bubble index on one tick: its scores and inputs, and the state behind them.
#[derive(Debug, Clone, PartialEq)]
pub struct BubbleRow {
    pub tick: u32,
    pub date: i32,
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

/// Records the flows (all of them, as they happen) and the bubble table (at its cadence).
pub fn record_boom(
    params: Res<Params>,
    clock: Res<Clock>,
    directory: Res<Directory>,
    names: Query<(Option<&Firm>, Option<&VentureFund>)>,
    bubble: Res<BubbleIndex>,
    forecasts: Res<Forecasts>,
    venture: Res<Venture>,
    adoption: Res<AdoptionStats>,
    news: Res<NewsFlow>,
    deal: Res<CircularDeal>,
    mut flows: ResMut<FlowLog>,
    mut out: ResMut<Observations>,
) {
    let name = |id: crate::common::ids::AgentId| -> Arc<str> {
        directory
            .try_get(id)
            .and_then(|entity| names.get(entity).ok())
            .and_then(|(firm, fund)| firm.map(|f| f.name.clone()).or_else(|| fund.map(|f| f.name.clone())))
            .unwrap_or_else(|| Arc::from(format!("agent-{}", id.0)))
    };
    for flow in flows.flows.drain(..) {
        out.flows.push(FlowRow {
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
    if due(&clock, params.record.bubble_every_ticks) {
        out.bubble.push(BubbleRow {
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
