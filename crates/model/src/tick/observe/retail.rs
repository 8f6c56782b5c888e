//! The `retail` table: every retail investor's strategy, cash and holding — the row,
//! its columns and the system that records it.

use bevy_ecs::prelude::*;
use bubblesim_schema::{Column, Row};

use crate::common::calendar::Clock;
use crate::common::ids::AgentId;
use crate::common::rows::Rows;
use crate::markets::retail::RetailFlow;
use crate::markets::retail::RetailInvestor;

/// One retail investor on one tick: the investor as it stands, and the AI basket's level
/// its holding is worth.
#[derive(Debug, Clone, PartialEq)]
pub struct RetailRow {
    /// Ticks since the start.
    pub tick: u32,
    /// The trading day.
    pub date: i32,
    /// The investor's id.
    pub agent_id: u64,
    /// The investor.
    pub investor: RetailInvestor,
    /// The basket's level at today's clearing (the value of one unit).
    pub basket_level: f64,
}

impl Row for RetailRow {
    const TABLE: &'static str = "retail";
    const ROW: &'static str = "a retail investor on one recorded trading day";
    const COLUMNS: &'static [Column<Self>] = &[
        Column::tick(|r| r.tick),
        Column::date(|r| r.date),
        Column::agent_id(|r| r.agent_id),
        Column::kind("retail", |_| "retail"),
        Column::dict("strategy", "label", "fundamentalist, optimist or pessimist", |r| {
            r.investor.strategy.label()
        }),
        Column::bool("novice", "flag", "a novice investor", |r| r.investor.novice),
        Column::f64("cash_usd", "USD", "cash", |r| r.investor.cash_usd),
        Column::f64(
            "ai_units",
            "index units",
            "holding of the AI basket (one unit is worth the basket level: the index level, unless buybacks changed the firms' share counts)",
            |r| r.investor.ai_units,
        ),
        Column::f64("wealth_usd", "USD", "cash plus holding at the basket level", |r| {
            r.investor.cash_usd + r.investor.ai_units * r.basket_level
        }),
    ];
}

/// Records the retail table.
pub fn record_retail(
    clock: Res<Clock>,
    flow: Res<RetailFlow>,
    investors: Query<(&AgentId, &RetailInvestor)>,
    mut out: ResMut<Rows<RetailRow>>,
) {
    if !out.due(&clock) {
        return;
    }
    for (id, investor) in investors.iter().sort::<&AgentId>() {
        out.push(RetailRow {
            tick: clock.tick,
            date: clock.date,
            agent_id: id.0,
            investor: investor.clone(),
            basket_level: flow.cleared_level,
        });
    }
}
