//! A `[[param]]` entry checked against the base scenario: its key and type, and its
//! values (a list, a range by step or count) or its sampled bounds; and the column names
//! the parameters get.

use std::collections::BTreeSet;

use toml::{Table, Value};

use crate::error::ConfigError;
use crate::load::{join, unknown_key};
use crate::sweep::file::{ParamEntry, RangeEntry, invalid};
use crate::sweep::sample::Sample;
use crate::sweep::values::{Axis, MAX_SWEEP_RUNS, ParamType, ParamValue, SweepParam, round_significant};

/// Significant digits a range's values are rounded to (so 0.1 + 2 × 0.1 is 0.3).
pub(crate) const RANGE_SIGNIFICANT_DIGITS: usize = 12;

/// The base's value at a dotted key path (list entries by index), or an error that
/// names the first unknown part and suggests a close key.
pub(crate) fn lookup<'t>(src: &str, table: &'t Table, key: &str) -> Result<&'t Value, ConfigError> {
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

pub(crate) fn check_param(
    src: &str,
    index: usize,
    entry: ParamEntry,
    base: &Table,
    sample: Option<&Sample>,
) -> Result<SweepParam, ConfigError> {
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
pub(crate) fn convert(src: &str, path: &str, key: &str, kind: ParamType, value: &Value) -> Result<ParamValue, ConfigError> {
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
pub(crate) fn numeric(kind: ParamType, key: &str, value: &Value, otherwise: &str) -> Result<f64, String> {
    match (kind, value) {
        (ParamType::Integer | ParamType::Float, Value::Integer(n)) => Ok(*n as f64),
        (ParamType::Float, Value::Float(x)) if x.is_finite() => Ok(*x),
        (ParamType::Integer, _) => Err(format!("`{key}` is a whole number: expected one")),
        (ParamType::Float, _) => Err("expected a finite number".to_owned()),
        _ => Err(format!("`{key}` is not a number: {otherwise}")),
    }
}

pub(crate) fn range_values(src: &str, path: &str, key: &str, kind: ParamType, range: &RangeEntry) -> Result<Vec<ParamValue>, ConfigError> {
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
pub(crate) fn integer_range(src: &str, path: &str, key: &str, range: &RangeEntry) -> Result<Vec<ParamValue>, ConfigError> {
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

pub(crate) fn check_names(src: &str, params: &[SweepParam]) -> Result<(), ConfigError> {
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
