//! The `firms` table: every firm's money, its last closed month and its market value —
//! the row, its columns and the system that records it.

use std::sync::Arc;

use bevy_ecs::prelude::*;
use bubblesim_schema::{Column, Row};

use crate::ai_industry::demand::Demand;
use crate::common::calendar::Clock;
use crate::common::ids::AgentId;
use crate::common::rows::Rows;
use crate::compute::fleet::FleetIndex;
use crate::compute::market::ComputeMarket;
use crate::firms::firm::Firm;
use crate::firms::listed::Listed;
use crate::firms::roles::AiSeller;
use crate::money::accounts::Accounts;

/// One firm on one tick.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs, reason = "each field is the column of the same name, documented in `COLUMNS`")]
pub struct FirmRow {
    pub tick: u32,
    pub date: i32,
    pub agent_id: u64,
    pub kind: &'static str,
    pub name: Arc<str>,
    pub active: bool,
    pub cash_usd: f64,
    pub debt_usd: f64,
    pub book_equity_usd: f64,
    pub revenue_last_month_usd: f64,
    pub ai_revenue_last_month_usd: f64,
    pub compute_cost_last_month_usd: f64,
    pub earnings_last_month_usd: f64,
    pub earnings_ttm_usd: f64,
    pub capex_last_month_usd: f64,
    pub impairments_cumulative_usd: f64,
    pub gpus_in_service: u64,
    pub share_price_usd: Option<f64>,
    pub market_cap_usd: Option<f64>,
    pub share_queries_below_cost: Option<f64>,
}

impl Row for FirmRow {
    const TABLE: &'static str = "firms";
    const ROW: &'static str = "a firm on one trading day (flows are those of the last closed month)";
    const COLUMNS: &'static [Column<Self>] = &[
        Column::tick(|r| r.tick),
        Column::date(|r| r.date),
        Column::agent_id(|r| r.agent_id),
        Column::kind("lab, hyperscaler, cloud, chipmaker, sponsor or spv", |r| r.kind),
        Column::dict("name", "label", "firm name", |r| &r.name),
        Column::bool("active", "flag", "false once a lab has failed", |r| r.active),
        Column::f64("cash_usd", "USD", "cash", |r| r.cash_usd),
        Column::f64("debt_usd", "USD", "debt", |r| r.debt_usd),
        Column::f64("book_equity_usd", "USD", "book equity", |r| r.book_equity_usd),
        Column::f64("revenue_last_month_usd", "USD", "all revenue", |r| r.revenue_last_month_usd),
        Column::f64(
            "ai_revenue_last_month_usd",
            "USD",
            "AI product revenue plus compute rent received",
            |r| r.ai_revenue_last_month_usd,
        ),
        Column::f64("compute_cost_last_month_usd", "USD", "compute rent paid", |r| {
            r.compute_cost_last_month_usd
        }),
        Column::f64(
            "earnings_last_month_usd",
            "USD",
            "revenue less all costs, depreciation and impairments",
            |r| r.earnings_last_month_usd,
        ),
        Column::f64(
            "earnings_ttm_usd",
            "USD per year",
            "trailing twelve-month earnings (annualised while fewer months are known)",
            |r| r.earnings_ttm_usd,
        ),
        Column::f64("capex_last_month_usd", "USD", "GPU purchases or construction", |r| {
            r.capex_last_month_usd
        }),
        Column::f64(
            "impairments_cumulative_usd",
            "USD",
            "GPU impairments and write-offs, and stakes in failed labs written off, since the start",
            |r| r.impairments_cumulative_usd,
        ),
        Column::u64("gpus_in_service", "GPUs", "GPUs owned and in service", |r| r.gpus_in_service),
        Column::opt_f64("share_price_usd", "USD per share", "listed firms only", |r| r.share_price_usd),
        Column::opt_f64("market_cap_usd", "USD", "listed firms only", |r| r.market_cap_usd),
        Column::opt_f64(
            "share_queries_below_cost",
            "share",
            "AI sellers only: queries whose compute costs more than their price",
            |r| r.share_queries_below_cost,
        ),
    ];
}

/// A firm as the table reads it.
type FirmItem = (
    &'static AgentId,
    &'static Firm,
    &'static Accounts,
    Option<&'static Listed>,
    Option<&'static AiSeller>,
);

/// Records the firms table.
pub fn record_firms(
    clock: Res<Clock>,
    fleet: Res<FleetIndex>,
    demand: Res<Demand>,
    compute: Res<ComputeMarket>,
    firms: Query<FirmItem>,
    mut out: ResMut<Rows<FirmRow>>,
) {
    if !out.due(&clock) {
        return;
    }
    // Every seller faces the same rent and query mix this month.
    let below_cost = demand.share_queries_below_cost(compute.rent_usd_per_h100_hour);
    for (id, firm, accounts, listed, seller) in firms.iter().sort::<&AgentId>() {
        let last = &accounts.last_month;
        out.push(FirmRow {
            tick: clock.tick,
            date: clock.date,
            agent_id: id.0,
            kind: firm.kind.label(),
            name: firm.name.clone(),
            active: firm.active,
            cash_usd: accounts.cash_usd,
            debt_usd: accounts.debt_usd,
            book_equity_usd: accounts.book_equity_usd,
            revenue_last_month_usd: last.revenue_usd(),
            ai_revenue_last_month_usd: last.ai_revenue_usd(),
            compute_cost_last_month_usd: last.compute_cost_usd,
            earnings_last_month_usd: last.earnings_usd(),
            earnings_ttm_usd: accounts.earnings.annualised(),
            capex_last_month_usd: last.capex_usd,
            impairments_cumulative_usd: accounts.impairments_cumulative_usd,
            gpus_in_service: fleet.owner_generations(*id).map(|(_, gpus)| gpus).sum(),
            share_price_usd: listed.map(|l| l.price_usd),
            market_cap_usd: listed.map(Listed::market_cap_usd),
            share_queries_below_cost: seller.map(|_| below_cost),
        });
    }
}
