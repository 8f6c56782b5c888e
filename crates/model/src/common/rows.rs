//! The generic rows buffer: one resource per output table, holding the rows recorded
//! since the driver last took them, and when the table is recorded. The recorder
//! systems (`tick::observe`) push rows on the days their table is due; the list of
//! tables (`tick::tables`) creates one buffer per table and drains them all.

use bevy_ecs::prelude::Resource;

use crate::common::calendar::Clock;

/// When a table is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    /// Every `record.<table>_every_ticks` trading days, from the first.
    Configured,
    /// On the first trading day of each month.
    Monthly,
    /// On the first trading day of each quarter.
    Quarterly,
    /// Whenever something happens (events, payments): every row is kept.
    AsItHappens,
}

/// A cadence resolved against the run's config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// On ticks that are multiples of this (at least 1).
    EveryTicks(u32),
    /// On the first trading day of each month.
    MonthStart,
    /// On the first trading day of each quarter.
    QuarterStart,
    /// Every tick.
    Always,
}

impl Due {
    /// Whether a table with this cadence is recorded today.
    pub fn today(self, clock: &Clock) -> bool {
        match self {
            Due::EveryTicks(every) => clock.tick.is_multiple_of(every.max(1)),
            Due::MonthStart => clock.month_start,
            Due::QuarterStart => clock.quarter_start,
            Due::Always => true,
        }
    }
}

/// The rows of one table waiting for the driver, and when the table is recorded.
#[derive(Resource, Debug)]
pub struct Rows<R> {
    rows: Vec<R>,
    due: Due,
}

impl<R> Rows<R> {
    /// An empty buffer for a table recorded `due`.
    pub fn new(due: Due) -> Self {
        Self { rows: Vec::new(), due }
    }

    /// Whether the table is recorded today.
    pub fn due(&self, clock: &Clock) -> bool {
        self.due.today(clock)
    }

    /// Trading days between records (1 for tables not recorded every N days).
    pub fn every_ticks(&self) -> u32 {
        match self.due {
            Due::EveryTicks(every) => every.max(1),
            _ => 1,
        }
    }

    /// Adds a row.
    pub fn push(&mut self, row: R) {
        self.rows.push(row);
    }

    /// Adds rows.
    pub fn extend(&mut self, rows: impl IntoIterator<Item = R>) {
        self.rows.extend(rows);
    }

    /// Takes the rows waiting, leaving the buffer empty.
    pub fn take(&mut self) -> Vec<R> {
        std::mem::take(&mut self.rows)
    }

    /// True when no row waits.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}
