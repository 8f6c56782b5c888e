//! Output: the recorder thread that encodes the tables while the simulation runs on.

pub mod recorder;
