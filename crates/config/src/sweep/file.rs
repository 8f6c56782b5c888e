//! A sweep file as written: its sections and entries (serde), the base scenario it
//! names, the `[set]` keys, and the error every problem in it becomes.

use std::path::Path;

use serde::Deserialize;
use toml::{Table, Value};

use crate::error::ConfigError;
use crate::load::ConfigSource;
use crate::scenarios::{SCENARIOS, scenario_source};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SweepFile {
    pub(crate) sweep: SweepSection,
    #[serde(default)]
    pub(crate) set: Table,
    #[serde(default)]
    pub(crate) param: Vec<ParamEntry>,
    pub(crate) sample: Option<SampleSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SweepSection {
    #[serde(default)]
    pub(crate) description: String,
    #[serde(default = "default_base")]
    pub(crate) base: String,
    #[serde(default = "default_seeds")]
    pub(crate) seeds: Value,
}

pub(crate) fn default_base() -> String {
    "baseline".to_owned()
}

pub(crate) fn default_seeds() -> Value {
    Value::Integer(1)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ParamEntry {
    pub(crate) key: String,
    pub(crate) name: Option<String>,
    pub(crate) values: Option<Vec<Value>>,
    pub(crate) range: Option<RangeEntry>,
    pub(crate) min: Option<Value>,
    pub(crate) max: Option<Value>,
    #[serde(default)]
    pub(crate) log: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RangeEntry {
    pub(crate) from: Value,
    pub(crate) to: Value,
    pub(crate) step: Option<Value>,
    pub(crate) count: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SampleSection {
    pub(crate) method: String,
    pub(crate) points: u64,
    pub(crate) seed: u64,
    #[serde(default = "default_significant_digits")]
    pub(crate) significant_digits: u32,
}

pub(crate) fn default_significant_digits() -> u32 {
    6
}

pub(crate) fn invalid(source: &str, path: impl Into<String>, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        source_name: source.to_owned(),
        path: path.into(),
        reason: reason.into(),
    }
}

/// The base scenario: a shipped scenario's name, or a file relative to the sweep file.
pub(crate) fn resolve_base(src: &str, base: &str, folder: &Path) -> Result<ConfigSource, ConfigError> {
    let is_file = base.ends_with(".toml") || base.contains('/');
    if !is_file {
        return scenario_source(base).ok_or_else(|| {
            let names: Vec<&str> = SCENARIOS.iter().map(|(name, _, _)| *name).collect();
            invalid(
                src,
                "sweep.base",
                format!(
                    "no shipped scenario `{base}`; name one of {} or a scenario file ending in .toml (relative to the sweep file)",
                    names.join(", ")
                ),
            )
        });
    }
    let path = folder.join(base);
    ConfigSource::from_file(&path).map_err(|err| invalid(src, "sweep.base", err.to_string()))
}

/// Flattens `[set]`'s nested tables into key paths; lists are set whole.
pub(crate) fn flatten_set(table: &Table, prefix: &str, out: &mut impl FnMut(String, Value)) {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Table(sub) => flatten_set(sub, &path, out),
            other => out(path, other.clone()),
        }
    }
}
