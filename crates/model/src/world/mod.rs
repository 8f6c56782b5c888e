//! The world as a whole: building it from a config, and snapshotting it for checkpoints.

pub mod setup;
pub mod simulation;
pub mod snapshot;
