//! One trading day: the schedule that chains every system, the stock–flow checks after
//! the systems that move money and at the end of the day, the observations copied out
//! for the recorder, the one list of tables, and the run's summary figures.

pub mod cash_audit;
pub mod money_audit;
pub mod observe;
pub mod schedule;
pub mod summary;
pub mod tables;
