//! The `events` table: every event recorded today, handed over from the event log (the
//! row and its columns are `Event`'s, in `common::events`).

use bevy_ecs::prelude::*;

use crate::common::events::{Event, EventLog};
use crate::common::rows::Rows;

/// Moves today's events from the log into the table.
pub fn record_events(mut events: ResMut<EventLog>, mut out: ResMut<Rows<Event>>) {
    let drained = events.drain();
    out.extend(drained);
}
