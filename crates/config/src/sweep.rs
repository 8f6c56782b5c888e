//! Sweep files: a base scenario, the parameters to vary (lists, ranges, Latin-hypercube
//! or random samples) and the replicate seeds, expanded into a numbered plan of runs.
//!
//! The plan is deterministic: grid parameters vary in the order the file declares them
//! (the first slowest), then the sampled points, then the seeds (fastest). Each run has a
//! Hive-style folder, `name=value/…/seed=s`, so that readers of the sweep folder see the
//! parameters as columns.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;
use toml::{Table, Value};

use crate::load::{Override, humanise_serde, join, one_line, unknown_key};
use crate::{Config, ConfigError, ConfigSource, load_with, scenario_source};

/// The most runs one sweep may plan; more is taken for a mistake.
pub const MAX_SWEEP_RUNS: usize = 100_000;

/// Significant digits a range's values are rounded to (so 0.1 + 2 × 0.1 is 0.3).
const RANGE_SIGNIFICANT_DIGITS: usize = 12;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepFile {
    sweep: SweepSection,
    #[serde(default)]
    set: Table,
    #[serde(default)]
    param: Vec<ParamEntry>,
    sample: Option<SampleSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepSection {
    #[serde(default)]
    description: String,
    #[serde(default = "default_base")]
    base: String,
    #[serde(default = "default_seeds")]
    seeds: Value,
}

fn default_base() -> String {
    "baseline".to_owned()
}

fn default_seeds() -> Value {
    Value::Integer(1)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamEntry {
    key: String,
    name: Option<String>,
    values: Option<Vec<Value>>,
    range: Option<RangeEntry>,
    min: Option<Value>,
    max: Option<Value>,
    #[serde(default)]
    log: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeEntry {
    from: Value,
    to: Value,
    step: Option<Value>,
    count: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SampleSection {
    method: String,
    points: u64,
    seed: u64,
    #[serde(default = "default_significant_digits")]
    significant_digits: u32,
}

fn default_significant_digits() -> u32 {
    6
}

/// The type of a swept key, taken from the base scenario's value at that key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    Integer,
    Float,
    Bool,
    Text,
}

/// One value of a swept parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    Integer(i64),
    Float(f64),
    Bool(bool),
    Text(String),
}

impl ParamValue {
    fn to_toml(&self) -> Value {
        match self {
            ParamValue::Integer(n) => Value::Integer(*n),
            ParamValue::Float(x) => Value::Float(*x),
            ParamValue::Bool(b) => Value::Boolean(*b),
            ParamValue::Text(s) => Value::String(s.clone()),
        }
    }
}

/// As written in a folder name: floats always with a point or an exponent (`2.0`,
/// `0.25`, `1e-6`), so that readers infer one type for the whole column.
impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Integer(n) => write!(f, "{n}"),
            ParamValue::Float(x) => write!(f, "{x:?}"),
            ParamValue::Bool(b) => write!(f, "{b}"),
            ParamValue::Text(s) => f.write_str(s),
        }
    }
}

/// How a parameter's values are chosen.
#[derive(Debug, Clone, PartialEq)]
pub enum Axis {
    /// Every value, in order (from `values` or `range`).
    Grid(Vec<ParamValue>),
    /// Drawn between `min` and `max` (on a log scale if `log`) at each sampled point.
    Sampled { min: f64, max: f64, log: bool },
}

/// A swept parameter: the column name it gets, the config key it sets, its type.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepParam {
    pub name: String,
    pub key: String,
    pub kind: ParamType,
    pub axis: Axis,
}

/// One run of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRun {
    /// 1-based position in the plan.
    pub number: usize,
    /// One value per parameter, in the order of [`Sweep::params`].
    pub values: Vec<ParamValue>,
    pub seed: u64,
}

/// A loaded, validated sweep and its plan.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The file's stem: the default output folder's name.
    pub name: String,
    /// The file as the user named it, for messages.
    pub source_name: String,
    /// The file's text, kept in the sweep folder.
    pub text: String,
    pub description: String,
    /// The base scenario, with the sweep's `[set]` keys on top.
    pub base: ConfigSource,
    set: Vec<Override>,
    pub params: Vec<SweepParam>,
    /// Seeds of the replicates, each run once per parameter point.
    pub seeds: Vec<u64>,
    /// Points drawn for the sampled parameters (1 when none are sampled).
    pub sample_points: usize,
    pub runs: Vec<PlannedRun>,
}

fn invalid(source: &str, path: impl Into<String>, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        source_name: source.to_owned(),
        path: path.into(),
        reason: reason.into(),
    }
}

impl Sweep {
    /// Reads, validates and expands a sweep file. The base scenario is a shipped
    /// scenario's name, or (when it ends in `.toml` or names a folder) a file relative
    /// to the sweep file.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let source = ConfigSource::from_file(path)?;
        let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        Self::from_source(&source, &name, &folder)
    }

    /// Like [`Sweep::load`], from text already read; `folder` resolves a base file.
    pub fn from_source(source: &ConfigSource, name: &str, folder: &Path) -> Result<Self, ConfigError> {
        let src = source.name.as_str();
        let table = source.text.parse::<Table>().map_err(|err| ConfigError::Syntax {
            source_name: src.to_owned(),
            reason: one_line(&err.to_string()),
        })?;
        let file: SweepFile = serde_path_to_error::deserialize(Value::Table(table)).map_err(|err| {
            let path = err.path().to_string().replace('[', ".").replace(']', "");
            invalid(src, path, humanise_serde(&err.inner().to_string()))
        })?;
        let base = resolve_base(src, &file.sweep.base, folder)?;
        let mut set = Vec::new();
        flatten_set(&file.set, "", &mut |path, value| {
            set.push(Override {
                origin: format!("{src}: [set] {path}"),
                path,
                value,
            })
        });
        if set.iter().any(|o| o.path == "run.seed") {
            return Err(invalid(src, "set.run.seed", "seeds are set by `sweep.seeds` (a count or a list)"));
        }
        let base_config = load_with(&base, &set)?;
        let resolved: Table = base_config.to_toml().parse().expect("a resolved config is valid TOML");
        let sample = file.sample.map(|s| check_sample(src, s)).transpose()?;
        let mut params = Vec::with_capacity(file.param.len());
        for (index, entry) in file.param.into_iter().enumerate() {
            params.push(check_param(src, index, entry, &resolved, sample.as_ref())?);
        }
        check_names(src, &params)?;
        let sampled = params.iter().any(|p| matches!(p.axis, Axis::Sampled { .. }));
        let sample_points = match (&sample, sampled) {
            (Some(sample), true) => sample.points,
            (Some(_), false) => {
                return Err(invalid(
                    src,
                    "sample",
                    "no parameter is sampled: give a `[[param]]` a `min` and a `max`, or remove `[sample]`",
                ));
            }
            (None, _) => 1,
        };
        let seeds = check_seeds(src, &file.sweep.seeds, base_config.run.seed)?;
        let total = params
            .iter()
            .filter_map(|p| match &p.axis {
                Axis::Grid(values) => Some(values.len()),
                Axis::Sampled { .. } => None,
            })
            .try_fold(sample_points, usize::checked_mul)
            .and_then(|n| n.checked_mul(seeds.len()))
            .filter(|&n| n <= MAX_SWEEP_RUNS)
            .ok_or_else(|| {
                invalid(
                    src,
                    "param",
                    format!("the plan has more than {MAX_SWEEP_RUNS} runs; sweep fewer values, points or seeds"),
                )
            })?;
        let points = match &sample {
            Some(sample) if sampled => sample_values(sample, &params),
            _ => vec![Vec::new()],
        };
        let runs = expand(&params, &points, &seeds);
        debug_assert_eq!(runs.len(), total);
        let sweep = Self {
            name: name.to_owned(),
            source_name: src.to_owned(),
            text: source.text.clone(),
            description: file.sweep.description,
            base,
            set,
            params,
            seeds,
            sample_points,
            runs,
        };
        sweep.check_folders_unique()?;
        Ok(sweep)
    }

    /// The run's folder inside the sweep folder: `name=value/…/seed=s`.
    pub fn folder(&self, run: &PlannedRun) -> PathBuf {
        self.assignments(run).collect()
    }

    /// `name=value, …, seed=s`, for messages and progress.
    pub fn label(&self, run: &PlannedRun) -> String {
        self.assignments(run).collect::<Vec<_>>().join(", ")
    }

    /// `name=value` for each parameter, then `seed=s`: the parts of a run's folder.
    fn assignments<'a>(&'a self, run: &'a PlannedRun) -> impl Iterator<Item = String> + 'a {
        self.params
            .iter()
            .zip(&run.values)
            .map(|(param, value)| format!("{}={value}", param.name))
            .chain(std::iter::once(format!("seed={}", run.seed)))
    }

    /// The run's configuration: the base, the sweep's `[set]`, the run's values and seed.
    pub fn config(&self, run: &PlannedRun) -> Result<Config, ConfigError> {
        let origin = format!("{}: run {} ({})", self.source_name, run.number, self.label(run));
        let mut overrides = self.set.clone();
        for (param, value) in self.params.iter().zip(&run.values) {
            overrides.push(Override {
                path: param.key.clone(),
                value: value.to_toml(),
                origin: origin.clone(),
            });
        }
        overrides.push(Override {
            path: "run.seed".to_owned(),
            // Seeds are checked to fit TOML's integers when the plan is made.
            value: Value::Integer(i64::try_from(run.seed).expect("seeds are at most i64::MAX")),
            origin: origin.clone(),
        });
        load_with(&self.base, &overrides).map_err(|error| {
            if error.to_string().starts_with(&origin) {
                error
            } else {
                ConfigError::InSweepRun {
                    run: origin,
                    error: Box::new(error),
                }
            }
        })
    }

    /// How the plan is built, e.g. `3 herding_weight × 8 sampled points × 2 seeds`.
    pub fn shape(&self) -> String {
        let mut parts: Vec<String> = self
            .params
            .iter()
            .filter_map(|p| match &p.axis {
                Axis::Grid(values) => Some(format!("{} {}", values.len(), p.name)),
                Axis::Sampled { .. } => None,
            })
            .collect();
        let sampled: Vec<&str> = self
            .params
            .iter()
            .filter(|p| matches!(p.axis, Axis::Sampled { .. }))
            .map(|p| p.name.as_str())
            .collect();
        if !sampled.is_empty() {
            parts.push(format!("{} sampled points of {}", self.sample_points, sampled.join(", ")));
        }
        parts.push(format!("{} seed{}", self.seeds.len(), if self.seeds.len() == 1 { "" } else { "s" }));
        parts.join(" × ")
    }

    fn check_folders_unique(&self) -> Result<(), ConfigError> {
        let mut seen = BTreeSet::new();
        for run in &self.runs {
            let folder = self.folder(run);
            if !seen.insert(folder.clone()) {
                return Err(invalid(
                    &self.source_name,
                    "sample.significant_digits",
                    format!(
                        "two runs of the plan would share the folder {} (sampled values rounded alike): raise `sample.significant_digits`, or for a whole-number parameter draw fewer points or widen `min` … `max`",
                        folder.display()
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The base scenario: a shipped scenario's name, or a file relative to the sweep file.
fn resolve_base(src: &str, base: &str, folder: &Path) -> Result<ConfigSource, ConfigError> {
    let is_file = base.ends_with(".toml") || base.contains('/');
    if !is_file {
        return scenario_source(base).ok_or_else(|| {
            let names: Vec<&str> = crate::SCENARIOS.iter().map(|(name, _, _)| *name).collect();
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
fn flatten_set(table: &Table, prefix: &str, out: &mut impl FnMut(String, Value)) {
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

struct Sample {
    latin_hypercube: bool,
    points: usize,
    seed: u64,
    significant_digits: usize,
}

fn check_sample(src: &str, sample: SampleSection) -> Result<Sample, ConfigError> {
    let latin_hypercube = match sample.method.as_str() {
        "latin-hypercube" => true,
        "random" => false,
        other => {
            return Err(invalid(
                src,
                "sample.method",
                format!("unknown method `{other}`; allowed: \"latin-hypercube\", \"random\""),
            ));
        }
    };
    let points = usize::try_from(sample.points)
        .ok()
        .filter(|&n| (1..=MAX_SWEEP_RUNS).contains(&n))
        .ok_or_else(|| invalid(src, "sample.points", format!("must be from 1 to {MAX_SWEEP_RUNS}")))?;
    if !(1..=15).contains(&sample.significant_digits) {
        return Err(invalid(src, "sample.significant_digits", "must be from 1 to 15"));
    }
    Ok(Sample {
        latin_hypercube,
        points,
        seed: sample.seed,
        significant_digits: sample.significant_digits as usize,
    })
}

/// The base's value at a dotted key path (list entries by index), or an error that
/// names the first unknown part and suggests a close key.
fn lookup<'t>(src: &str, table: &'t Table, key: &str) -> Result<&'t Value, ConfigError> {
    let mut current: Option<&Value> = None;
    let mut walked = String::new();
    for part in key.split('.') {
        let here = match current {
            None => table.get(part).ok_or_else(|| unknown_key(src, &join(&walked, part), part, table))?,
            Some(Value::Table(sub)) => sub.get(part).ok_or_else(|| unknown_key(src, &join(&walked, part), part, sub))?,
            Some(Value::Array(items)) => {
                let len = items.len();
                part.parse::<usize>().ok().and_then(|i| items.get(i)).ok_or_else(|| {
                    invalid(
                        src,
                        join(&walked, part),
                        format!(
                            "`{walked}` is a list of {len} entries: index it from 0 to {}",
                            len.saturating_sub(1)
                        ),
                    )
                })?
            }
            Some(_) => {
                return Err(invalid(src, join(&walked, part), format!("`{walked}` is a value, not a section")));
            }
        };
        walked = join(&walked, part);
        current = Some(here);
    }
    current.ok_or_else(|| invalid(src, key, "empty key"))
}

fn check_param(src: &str, index: usize, entry: ParamEntry, base: &Table, sample: Option<&Sample>) -> Result<SweepParam, ConfigError> {
    let at = |field: &str| format!("param.{index}.{field}");
    let key = entry.key.trim().to_owned();
    if key == "run.seed" {
        return Err(invalid(
            src,
            at("key"),
            "seeds are swept by `sweep.seeds` (a count or a list), not as a parameter",
        ));
    }
    let kind = match lookup(src, base, &key)? {
        Value::Integer(_) => ParamType::Integer,
        Value::Float(_) => ParamType::Float,
        Value::Boolean(_) => ParamType::Bool,
        Value::String(_) => ParamType::Text,
        Value::Array(_) => {
            return Err(invalid(
                src,
                at("key"),
                format!("`{key}` is a list: sweep one entry of it, e.g. `{key}.0`"),
            ));
        }
        _ => return Err(invalid(src, at("key"), format!("`{key}` is a section: sweep one of its keys"))),
    };
    let name = entry.name.clone().unwrap_or_else(|| key.replace('.', "_"));
    let axis = match (entry.values, entry.range, entry.min.as_ref().zip(entry.max.as_ref())) {
        (Some(values), None, None) if entry.min.is_none() && entry.max.is_none() => {
            if values.is_empty() {
                return Err(invalid(src, at("values"), "is empty: give at least one value"));
            }
            let converted = values
                .iter()
                .enumerate()
                .map(|(i, v)| convert(src, &format!("param.{index}.values.{i}"), &key, kind, v))
                .collect::<Result<Vec<_>, _>>()?;
            Axis::Grid(converted)
        }
        (None, Some(range), None) if entry.min.is_none() && entry.max.is_none() => {
            Axis::Grid(range_values(src, &at("range"), &key, kind, &range)?)
        }
        (None, None, Some((min, max))) => {
            let Some(_) = sample else {
                return Err(invalid(
                    src,
                    at("min"),
                    "a parameter with `min` and `max` is sampled: add a `[sample]` section (method, points, seed)",
                ));
            };
            let number = |field: &str, v: &Value| {
                numeric(kind, &key, v, "it cannot be sampled; list its `values`").map_err(|reason| invalid(src, at(field), reason))
            };
            let (min, max) = (number("min", min)?, number("max", max)?);
            if min >= max {
                return Err(invalid(src, at("max"), format!("must be above `min` ({min})")));
            }
            if entry.log && min <= 0.0 {
                return Err(invalid(src, at("min"), "must be above 0 for a log-scale sample"));
            }
            Axis::Sampled { min, max, log: entry.log }
        }
        _ => {
            return Err(invalid(
                src,
                format!("param.{index}"),
                "give exactly one of `values = [...]`, `range = { from, to, step }` (or `count`), or `min` and `max` (sampled)",
            ));
        }
    };
    Ok(SweepParam { name, key, kind, axis })
}

/// A listed value as the key's type.
fn convert(src: &str, path: &str, key: &str, kind: ParamType, value: &Value) -> Result<ParamValue, ConfigError> {
    match (kind, value) {
        (ParamType::Integer, Value::Integer(n)) => Ok(ParamValue::Integer(*n)),
        (ParamType::Float, Value::Integer(n)) => Ok(ParamValue::Float(*n as f64)),
        (ParamType::Float, Value::Float(x)) if x.is_finite() => Ok(ParamValue::Float(*x)),
        (ParamType::Bool, Value::Boolean(b)) => Ok(ParamValue::Bool(*b)),
        (ParamType::Text, Value::String(s))
            if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) =>
        {
            Ok(ParamValue::Text(s.clone()))
        }
        (ParamType::Text, Value::String(_)) => Err(invalid(
            src,
            path,
            "a swept word becomes part of a folder name: use letters, digits, `-`, `_` and `.` only",
        )),
        (ParamType::Integer, _) => Err(invalid(src, path, format!("`{key}` is a whole number: expected one"))),
        (ParamType::Float, _) => Err(invalid(src, path, format!("`{key}` is a number: expected a finite one"))),
        (ParamType::Bool, _) => Err(invalid(src, path, format!("`{key}` is true or false: expected one of those"))),
        (ParamType::Text, _) => Err(invalid(src, path, format!("`{key}` is a quoted word: expected one"))),
    }
}

/// A range's or a sample's bound as a number of the key's type; `otherwise` says what
/// to do for a key that is not a number.
fn numeric(kind: ParamType, key: &str, value: &Value, otherwise: &str) -> Result<f64, String> {
    match (kind, value) {
        (ParamType::Integer | ParamType::Float, Value::Integer(n)) => Ok(*n as f64),
        (ParamType::Float, Value::Float(x)) if x.is_finite() => Ok(*x),
        (ParamType::Integer, _) => Err(format!("`{key}` is a whole number: expected one")),
        (ParamType::Float, _) => Err("expected a finite number".to_owned()),
        _ => Err(format!("`{key}` is not a number: {otherwise}")),
    }
}

/// Rounds to `digits` significant digits (the nearest f64 to the decimal).
fn round_significant(value: f64, digits: usize) -> f64 {
    format!("{:.*e}", digits.saturating_sub(1), value).parse().unwrap_or(value)
}

fn range_values(src: &str, path: &str, key: &str, kind: ParamType, range: &RangeEntry) -> Result<Vec<ParamValue>, ConfigError> {
    let empty = |reason: String| invalid(src, path, format!("the range is empty: {reason}"));
    let too_many = || invalid(src, path, format!("the range has more than {MAX_SWEEP_RUNS} values"));
    if kind == ParamType::Integer {
        return integer_range(src, path, key, range);
    }
    let number = |field: &str, v: &Value| {
        numeric(kind, key, v, "list its `values` instead of a range").map_err(|reason| invalid(src, format!("{path}.{field}"), reason))
    };
    let (from, to) = (number("from", &range.from)?, number("to", &range.to)?);
    if from > to {
        return Err(empty(format!("`from` ({from}) is above `to` ({to})")));
    }
    if !(to - from).is_finite() {
        return Err(invalid(src, path, "`to` − `from` must be a finite number"));
    }
    let (count, step) = match (&range.step, range.count) {
        (Some(step), None) => {
            let step = number("step", step)?;
            if step <= 0.0 {
                return Err(empty(format!("`step` must be above 0, got {step}")));
            }
            let steps = ((to - from) / step * (1.0 + 1e-12) + 1e-9).floor();
            if steps + 1.0 > MAX_SWEEP_RUNS as f64 {
                return Err(too_many());
            }
            (steps as usize + 1, step)
        }
        (None, Some(count)) => {
            if count == 0 {
                return Err(empty("`count` is 0".to_owned()));
            }
            if count > MAX_SWEEP_RUNS as u64 {
                return Err(too_many());
            }
            if count > 1 && from == to {
                return Err(invalid(src, path, "`from` equals `to`: a count above 1 would repeat the value"));
            }
            let step = if count > 1 { (to - from) / (count - 1) as f64 } else { 0.0 };
            (count as usize, step)
        }
        _ => return Err(invalid(src, path, "give either `step` or `count` (not both)")),
    };
    Ok((0..count)
        .map(|i| ParamValue::Float(round_significant(from + i as f64 * step, RANGE_SIGNIFICANT_DIGITS)))
        .collect())
}

/// A range of a whole-number key, in exact integer arithmetic.
fn integer_range(src: &str, path: &str, key: &str, range: &RangeEntry) -> Result<Vec<ParamValue>, ConfigError> {
    let whole = |field: &str, v: &Value| {
        v.as_integer()
            .ok_or_else(|| invalid(src, format!("{path}.{field}"), format!("`{key}` is a whole number: expected one")))
    };
    let (from, to) = (whole("from", &range.from)?, whole("to", &range.to)?);
    let empty = |reason: String| invalid(src, path, format!("the range is empty: {reason}"));
    if from > to {
        return Err(empty(format!("`from` ({from}) is above `to` ({to})")));
    }
    let span = i128::from(to) - i128::from(from);
    let (count, step) = match (&range.step, range.count) {
        (Some(step), None) => {
            let step = whole("step", step)?;
            if step <= 0 {
                return Err(empty(format!("`step` must be above 0, got {step}")));
            }
            (span / i128::from(step) + 1, i128::from(step))
        }
        (None, Some(0)) => return Err(empty("`count` is 0".to_owned())),
        (None, Some(1)) => (1, 0),
        (None, Some(count)) => {
            let gaps = i128::from(count) - 1;
            if span % gaps != 0 || span == 0 {
                return Err(invalid(
                    src,
                    path,
                    format!("`{key}` is a whole number: (`to` − `from`) / (`count` − 1) must be a whole number above 0"),
                ));
            }
            (i128::from(count), span / gaps)
        }
        _ => return Err(invalid(src, path, "give either `step` or `count` (not both)")),
    };
    if count > MAX_SWEEP_RUNS as i128 {
        return Err(invalid(src, path, format!("the range has more than {MAX_SWEEP_RUNS} values")));
    }
    Ok((0..count)
        .map(|i| ParamValue::Integer((i128::from(from) + i * step) as i64))
        .collect())
}

fn check_names(src: &str, params: &[SweepParam]) -> Result<(), ConfigError> {
    let mut seen = BTreeSet::new();
    for (index, param) in params.iter().enumerate() {
        let valid = param.name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && param.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(invalid(
                src,
                format!("param.{index}.name"),
                format!(
                    "`{}` cannot be a column name: use letters, digits and `_`, not starting with a digit",
                    param.name
                ),
            ));
        }
        // Readers such as DuckDB compare column names without case.
        let lower = param.name.to_ascii_lowercase();
        if lower == "seed" || lower == "run" || lower == "folder" {
            return Err(invalid(
                src,
                format!("param.{index}.name"),
                format!(
                    "`{}` is a column of its own in the sweep's outputs; choose another name",
                    param.name
                ),
            ));
        }
        if !seen.insert(lower) {
            return Err(invalid(
                src,
                format!("param.{index}"),
                format!("two parameters are named `{}`; give one a `name`", param.name),
            ));
        }
        if params[..index].iter().any(|p| p.key == param.key) {
            return Err(invalid(
                src,
                format!("param.{index}.key"),
                format!("`{}` is swept twice", param.key),
            ));
        }
        if let Axis::Grid(values) = &param.axis {
            let mut distinct = BTreeSet::new();
            if let Some(value) = values.iter().find(|value| !distinct.insert(value.to_string())) {
                return Err(invalid(src, format!("param.{index}"), format!("the value {value} is listed twice")));
            }
        }
    }
    Ok(())
}

/// `seeds = N` (the base's seed and the N − 1 after it) or `seeds = [a, b, …]`.
fn check_seeds(src: &str, seeds: &Value, base_seed: u64) -> Result<Vec<u64>, ConfigError> {
    match seeds {
        Value::Integer(n) if *n >= 1 && (*n as usize) <= MAX_SWEEP_RUNS => (0..*n as u64)
            .map(|i| base_seed.checked_add(i).filter(|&seed| seed <= i64::MAX as u64))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| {
                invalid(
                    src,
                    "sweep.seeds",
                    format!("the base seed ({base_seed}) plus the count passes the largest seed, {}", i64::MAX),
                )
            }),
        Value::Integer(_) => Err(invalid(
            src,
            "sweep.seeds",
            format!("a count of seeds must be from 1 to {MAX_SWEEP_RUNS}; a sweep of zero runs does nothing"),
        )),
        Value::Array(items) if !items.is_empty() => {
            let mut list = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let seed = item
                    .as_integer()
                    .and_then(|n| u64::try_from(n).ok())
                    .ok_or_else(|| invalid(src, format!("sweep.seeds.{i}"), "expected a whole number from 0"))?;
                if list.contains(&seed) {
                    return Err(invalid(src, format!("sweep.seeds.{i}"), format!("the seed {seed} is listed twice")));
                }
                list.push(seed);
            }
            Ok(list)
        }
        Value::Array(_) => Err(invalid(src, "sweep.seeds", "is empty: a sweep of zero runs does nothing")),
        _ => Err(invalid(
            src,
            "sweep.seeds",
            "expected a count (`seeds = 3`) or a list of seeds (`seeds = [1, 2, 3]`)",
        )),
    }
}

/// The sampled parameters' values at each point, from the sample's own seed: a Latin
/// hypercube (each parameter's range cut into `points` strata, each stratum used once,
/// strata paired at random) or independent uniform draws.
fn sample_values(sample: &Sample, params: &[SweepParam]) -> Vec<Vec<ParamValue>> {
    let mut rng = ChaCha8Rng::seed_from_u64(sample.seed);
    let n = sample.points;
    let mut points = vec![Vec::new(); n];
    for param in params {
        let Axis::Sampled { min, max, log } = param.axis else { continue };
        let mut strata: Vec<usize> = (0..n).collect();
        if sample.latin_hypercube {
            strata.shuffle(&mut rng);
        }
        for (point, stratum) in points.iter_mut().zip(strata) {
            let jitter: f64 = rng.random();
            let u = if sample.latin_hypercube {
                (stratum as f64 + jitter) / n as f64
            } else {
                jitter
            };
            let value = if log {
                (min.ln() + u * (max.ln() - min.ln())).exp()
            } else {
                min + u * (max - min)
            };
            point.push(match param.kind {
                ParamType::Integer => ParamValue::Integer(value.round() as i64),
                _ => ParamValue::Float(round_significant(value, sample.significant_digits)),
            });
        }
    }
    points
}

/// Grid values (first parameter slowest) × sampled points × seeds (fastest).
fn expand(params: &[SweepParam], points: &[Vec<ParamValue>], seeds: &[u64]) -> Vec<PlannedRun> {
    // Partial assignments: one value per grid parameter, in declaration order.
    let mut grid: Vec<Vec<Option<ParamValue>>> = vec![Vec::new()];
    for param in params {
        grid = match &param.axis {
            Axis::Grid(values) => grid
                .into_iter()
                .flat_map(|prefix| {
                    values.iter().map(move |v| {
                        let mut next = prefix.clone();
                        next.push(Some(v.clone()));
                        next
                    })
                })
                .collect(),
            Axis::Sampled { .. } => grid
                .into_iter()
                .map(|mut prefix| {
                    prefix.push(None);
                    prefix
                })
                .collect(),
        };
    }
    let mut runs = Vec::new();
    for assignment in &grid {
        for point in points {
            let mut sampled = point.iter();
            let values: Vec<ParamValue> = assignment
                .iter()
                .map(|slot| match slot {
                    Some(value) => value.clone(),
                    None => sampled.next().cloned().expect("one sampled value per sampled parameter"),
                })
                .collect();
            for &seed in seeds {
                runs.push(PlannedRun {
                    number: runs.len() + 1,
                    values: values.clone(),
                    seed,
                });
            }
        }
    }
    runs
}
