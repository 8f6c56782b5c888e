//! `bubblesim run` and `bubblesim resume`: start or continue a run, drive it day by day
//! (`session`), stop cleanly on a signal (`interrupt`), and print its summary.

pub mod interrupt;
pub mod session;
pub mod start;
pub mod summary;
