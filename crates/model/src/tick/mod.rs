//! One trading day: the schedule that chains every system, the stock–flow checks after
//! the systems that move money, and the observations copied out for the recorder.

pub mod cash_audit;
pub mod observe;
pub mod observe_boom;
pub mod observe_economy;
pub mod schedule;
pub mod summary;
