//! What every domain shares: stable agent ids, the directory and key agents, spawning,
//! the parameters and seed, the trading calendar, random streams, numerical helpers and
//! the event log. Depends on nothing else in the crate.

pub mod calendar;
pub mod directory;
pub mod events;
pub mod ids;
pub mod math;
pub mod params;
pub mod rng;
pub mod rows;
pub mod spawn;
pub mod stats;
pub mod today;
