//! bubblesim's configuration.
//!
//! A scenario is a TOML file. [`load`] parses it, rejects unknown keys (suggesting the
//! closest one), applies `--set key.path=value` overrides, merges it over the built-in
//! baseline (`configs/baseline.toml`, the single source of every default and the
//! documented reference of every key), deserializes it into [`Config`] with key paths in
//! every type error, and validates ranges and relations. Every failure is a
//! [`ConfigError`] that names the file or `--set` argument, the key path and what is
//! allowed.
//!
//! - `schema` — the typed sections of [`Config`] (`boom` holds those of markets,
//!   beliefs, venture money, the circular deal and the bubble index, `economy` those of
//!   the real economy, `finance` those of the financing chain);
//! - `baseline` — `configs/baseline.toml`, compiled in;
//! - `load` — parsing, key checks, overrides, merging;
//! - `validate` — ranges and relations, one file per group of sections;
//! - `scenarios` — the scenarios shipped in `configs/`, compiled in;
//! - `dates` — `YYYY-MM-DD` dates;
//! - `sweep` — sweep files (`configs/sweeps/`): a base scenario, parameters to vary and
//!   replicate seeds, expanded into a numbered plan of runs with Hive-style folders;
//! - `error` — [`ConfigError`].

#![warn(missing_docs)]

mod baseline;
mod boom;
mod dates;
mod economy;
mod error;
mod finance;
mod load;
mod scenarios;
mod schema;
mod sweep;
mod validate;

pub use baseline::BASELINE_TOML;
pub use dates::parse_date;
pub use error::ConfigError;
pub use load::{ConfigSource, Override, baseline_table, key_paths, load, load_with};
pub use scenarios::{SCENARIOS, load_scenario, scenario_source};
pub use schema::*;
pub use sweep::{Axis, MAX_SWEEP_RUNS, ParamType, ParamValue, PlannedRun, Sweep, SweepParam};
pub use validate::{MAX_YEARS, MIN_YEARS};
