//! Sweep files (`configs/sweeps/`): a base scenario, the parameters to vary and the
//! replicate seeds, expanded into a numbered plan of runs with Hive-style folders.

mod file;
mod params;
mod plan;
mod sample;
mod seeds;
mod values;

pub use plan::Sweep;
pub use values::{Axis, MAX_SWEEP_RUNS, ParamType, ParamValue, PlannedRun, SweepParam};
