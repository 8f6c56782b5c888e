//! A targets file (`configs/targets/`): calibration anchors as data, each a measurement
//! of a run's tables against a band. Parsing checks every key; [`Target::measure`]
//! reads what it needs from the run's Parquet files.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::report::data::Table;

/// The default targets: the baseline's 2025 anchors, compiled in.
pub const DEFAULT_TARGETS: &str = include_str!("../../configs/targets/2025.toml");
/// Where the default targets live in the repository (named in messages).
pub const DEFAULT_TARGETS_PATH: &str = "configs/targets/2025.toml";

/// A targets file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// The anchors, in the file's order.
    pub target: Vec<Target>,
}

/// One anchor: what to measure, the anchor's value, the band that counts as a match.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// What it is, with its unit.
    pub name: String,
    /// The anchor's value.
    pub target: f64,
    /// The lowest model value that counts as a match.
    pub low: f64,
    /// The highest model value that counts as a match.
    pub high: f64,
    /// Where the anchor comes from.
    pub source: String,
    /// The measurement.
    pub measure: Measure,
    /// The denominator, when the target is a ratio of two measurements.
    pub over: Option<Measure>,
}

/// One or several columns (several are added row by row).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Columns {
    /// One column.
    One(String),
    /// Columns added.
    Many(Vec<String>),
}

impl Columns {
    fn names(&self) -> Vec<&str> {
        match self {
            Columns::One(name) => vec![name.as_str()],
            Columns::Many(names) => names.iter().map(String::as_str).collect(),
        }
    }
}

/// How a measurement reduces the dated values.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The value on the first recorded date on or after `date`.
    At,
    /// The mean over `from` … `to`.
    Mean,
    /// The sum over `from` … `to`.
    Sum,
    /// The value at `to` less the value at `from`.
    Change,
}

/// A measurement of one table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// How the dated values are reduced.
    pub kind: Kind,
    /// The table (a Parquet file of the run).
    pub table: String,
    /// The column, or columns to add.
    pub column: Columns,
    /// Only rows whose label columns equal these values.
    #[serde(default, rename = "where")]
    pub filter: BTreeMap<String, String>,
    /// For `at`: the date (YYYY-MM-DD).
    pub date: Option<String>,
    /// For `mean`, `sum` and `change`: the first date.
    pub from: Option<String>,
    /// For `mean`, `sum` and `change`: the last date.
    pub to: Option<String>,
    /// A factor applied to the result.
    #[serde(default = "one")]
    pub scale: f64,
}

fn one() -> f64 {
    1.0
}

/// A date key's value as days since 1970-01-01, or why it is not one.
fn day(key: &str, value: Option<&String>) -> Result<i32, String> {
    let text = value.ok_or_else(|| format!("`{key}` is missing (YYYY-MM-DD)"))?;
    let (y, m, d) = bubblesim_config::parse_date(text).ok_or_else(|| format!("`{key}` = {text:?} is not a date (YYYY-MM-DD)"))?;
    Ok(bubblesim_model::prelude::days_from_civil(y, m, d))
}

impl Targets {
    /// Parses a targets file; `origin` names it in messages. Checks every target's keys.
    pub fn parse(text: &str, origin: &str) -> Result<Self, String> {
        let targets: Targets = toml::from_str(text).map_err(|err| format!("{origin}: {}", err.to_string().trim_end()))?;
        if targets.target.is_empty() {
            return Err(format!("{origin}: no [[target]] tables"));
        }
        for (index, target) in targets.target.iter().enumerate() {
            let at = |key: &str, reason: String| format!("{origin}: target[{index}] ({}): {key}: {reason}", target.name);
            if !(target.low.is_finite() && target.high.is_finite() && target.low <= target.high) {
                return Err(at(
                    "low/high",
                    format!("must be finite with low ≤ high, got {} … {}", target.low, target.high),
                ));
            }
            for (key, measure) in [("measure", Some(&target.measure)), ("over", target.over.as_ref())] {
                if let Some(measure) = measure {
                    measure.check().map_err(|reason| at(key, reason))?;
                }
            }
        }
        Ok(targets)
    }
}

impl Measure {
    /// Checks the dates the kind needs and that a scale is finite.
    fn check(&self) -> Result<(), String> {
        if !self.scale.is_finite() {
            return Err(format!("`scale` must be finite, got {}", self.scale));
        }
        if self.column.names().is_empty() {
            return Err("`column` names no column".to_owned());
        }
        match self.kind {
            Kind::At => day("date", self.date.as_ref()).map(|_| ()),
            Kind::Mean | Kind::Sum | Kind::Change => {
                let (from, to) = (day("from", self.from.as_ref())?, day("to", self.to.as_ref())?);
                if from > to {
                    return Err(format!("`from` must not be after `to`, got {:?} … {:?}", self.from, self.to));
                }
                Ok(())
            }
        }
    }

    /// The measurement on the run in `dir`: NaN when the run has no rows in range
    /// (it ends too early); an error when a table or column cannot be read.
    pub fn value(&self, dir: &Path) -> Result<f64, String> {
        let columns = self.column.names();
        let mut wanted: Vec<&str> = vec!["date"];
        wanted.extend(self.filter.keys().map(String::as_str));
        wanted.extend(columns.iter().copied());
        let table = Table::read(dir, &self.table, &wanted).map_err(|err| err.0)?;
        let dates = table.dates("date").map_err(|err| err.0)?;
        let mut keep = vec![true; dates.len()];
        for (column, value) in &self.filter {
            for (row, label) in table.labels(column).map_err(|err| err.0)?.iter().enumerate() {
                keep[row] &= label == value;
            }
        }
        // Each kept row's value (the columns added), added up by date.
        let mut by_date: BTreeMap<i32, f64> = BTreeMap::new();
        let mut values = vec![0.0; dates.len()];
        for column in columns {
            for (row, v) in table.numbers(column).map_err(|err| err.0)?.iter().enumerate() {
                values[row] += v;
            }
        }
        for (row, &date) in dates.iter().enumerate() {
            if keep[row] {
                *by_date.entry(date).or_insert(0.0) += values[row];
            }
        }
        let at = |date: i32| by_date.range(date..).next().map_or(f64::NAN, |(_, &v)| v);
        let result = match self.kind {
            Kind::At => at(day("date", self.date.as_ref())?),
            Kind::Mean | Kind::Sum | Kind::Change => {
                let (from, to) = (day("from", self.from.as_ref())?, day("to", self.to.as_ref())?);
                let in_range: Vec<f64> = by_date.range(from..=to).map(|(_, &v)| v).collect();
                match self.kind {
                    Kind::Mean if !in_range.is_empty() => in_range.iter().sum::<f64>() / in_range.len() as f64,
                    Kind::Sum if !in_range.is_empty() => in_range.iter().sum(),
                    Kind::Change => {
                        let last_on_or_before = by_date.range(..=to).next_back().map_or(f64::NAN, |(_, &v)| v);
                        last_on_or_before - at(from)
                    }
                    _ => f64::NAN,
                }
            }
        };
        Ok(result * self.scale)
    }
}

/// One target measured on a run.
#[derive(Debug)]
pub struct Outcome<'a> {
    /// The target.
    pub target: &'a Target,
    /// The model's value (NaN when the run does not reach the target's dates).
    pub model: f64,
}

impl Outcome<'_> {
    /// Whether the model's value lies in the band.
    pub fn met(&self) -> bool {
        self.model >= self.target.low && self.model <= self.target.high
    }
}

impl Target {
    /// Measures this target on the run in `dir`.
    pub fn measure(&self, dir: &Path) -> Result<Outcome<'_>, String> {
        let value = self.measure.value(dir)?;
        let model = match &self.over {
            Some(over) => value / over.value(dir)?,
            None => value,
        };
        Ok(Outcome { target: self, model })
    }
}
