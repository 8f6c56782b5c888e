//! bubblesim's configuration.
//!
//! A scenario is a TOML file. [`load`] parses it, rejects unknown keys (suggesting the
//! closest one), applies `--set key.path=value` overrides, merges it over the built-in
//! baseline (`configs/baseline.toml`, the single source of every default and the
//! documented reference of every key), deserializes it into [`Config`] with key paths in
//! every type error, and [`validate`]s ranges and relations. Every failure is a
//! [`ConfigError`] that names the file or `--set` argument, the key path and what is
//! allowed.
//!
//! - `schema` — the typed sections of [`Config`] (`boom` holds those of markets,
//!   beliefs, venture money, the circular deal and the bubble index);
//! - `load` — parsing, key checks, overrides, merging;
//! - `validate` — ranges and relations (`validate_boom` for the `boom` sections);
//! - `scenarios` — the scenarios shipped in `configs/`, compiled in;
//! - `sweep` — sweep files (`configs/sweeps/`): a base scenario, parameters to vary and
//!   replicate seeds, expanded into a numbered plan of runs with Hive-style folders;
//! - `error` — [`ConfigError`].

mod boom;
mod economy;
mod error;
mod load;
mod scenarios;
mod schema;
mod sweep;
mod validate;
mod validate_boom;
mod validate_economy;

pub use error::ConfigError;
pub use load::{ConfigSource, Override, baseline_table, key_paths, load, load_with};
pub use scenarios::{SCENARIOS, load_scenario, scenario_source};
pub use schema::*;
pub use sweep::{Axis, MAX_SWEEP_RUNS, ParamType, ParamValue, PlannedRun, Sweep, SweepParam};
pub use validate::{MAX_YEARS, MIN_YEARS};

/// The baseline scenario, compiled in: the default of every key.
pub const BASELINE_TOML: &str = include_str!("../../../configs/baseline.toml");

impl Config {
    /// The built-in baseline scenario.
    pub fn baseline() -> Self {
        load(&ConfigSource::baseline(), &[]).expect("the baseline scenario is valid (checked by tests)")
    }

    /// The resolved configuration as TOML: every key, with the values in force.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a Config always serializes to TOML")
    }
}

/// Parses `YYYY-MM-DD` into (year, month, day) if it is a real date in 1900–2200.
pub fn parse_date(text: &str) -> Option<(i32, u32, u32)> {
    let mut parts = text.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return None;
    }
    let (year, month, day): (i32, u32, u32) = (year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    ((1900..=2200).contains(&year) && (1..=days_in_month).contains(&day)).then_some((year, month, day))
}
