//! What a plan is made of: swept parameters, their types and values, and the runs.

use std::fmt;

use toml::Value;

/// The most runs one sweep may plan; more is taken for a mistake.
pub const MAX_SWEEP_RUNS: usize = 100_000;

/// The type of a swept key, taken from the base scenario's value at that key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// A whole number.
    Integer,
    /// A float.
    Float,
    /// True or false.
    Bool,
    /// A string.
    Text,
}

/// One value of a swept parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    /// A whole number.
    Integer(i64),
    /// A float.
    Float(f64),
    /// True or false.
    Bool(bool),
    /// A string.
    Text(String),
}

impl ParamValue {
    pub(crate) fn to_toml(&self) -> Value {
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
    Sampled {
        /// The lowest value.
        min: f64,
        /// The highest value.
        max: f64,
        /// Whether points are spread evenly in log(value).
        log: bool,
    },
}

/// A swept parameter: the column name it gets, the config key it sets, its type.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepParam {
    /// The column name (and folder part) it gets.
    pub name: String,
    /// The config key it sets.
    pub key: String,
    /// Its type, from the base scenario's value.
    pub kind: ParamType,
    /// How its values are chosen.
    pub axis: Axis,
}

/// One run of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRun {
    /// 1-based position in the plan.
    pub number: usize,
    /// One value per parameter, in the order of the sweep's `params`.
    pub values: Vec<ParamValue>,
    /// The run's master seed.
    pub seed: u64,
}

/// Rounds to `digits` significant digits (the nearest f64 to the decimal).
pub(crate) fn round_significant(value: f64, digits: usize) -> f64 {
    format!("{:.*e}", digits.saturating_sub(1), value).parse().unwrap_or(value)
}
