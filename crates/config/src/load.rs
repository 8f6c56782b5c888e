//! Loading: parse the scenario's TOML, check its keys against the baseline, apply
//! `--set` overrides, merge over the baseline and deserialize with key paths in errors.

use std::collections::BTreeSet;

use toml::{Table, Value};

use crate::baseline::BASELINE_TOML;
use crate::error::ConfigError;
use crate::schema::Config;
use crate::validate::validate;

/// Where a piece of configuration text came from, for error messages.
#[derive(Debug, Clone)]
pub struct ConfigSource {
    /// A file path as the user typed it, or `<baseline>` for the built-in scenario.
    pub name: String,
    /// The TOML text.
    pub text: String,
}

impl ConfigSource {
    /// The built-in baseline scenario.
    pub fn baseline() -> Self {
        Self {
            name: "<baseline>".to_owned(),
            text: BASELINE_TOML.to_owned(),
        }
    }

    /// Reads a scenario file; an unreadable file is a `ConfigError::Read`.
    pub fn from_file(path: &std::path::Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|err| ConfigError::Read {
            source_name: path.display().to_string(),
            reason: err.to_string(),
        })?;
        Ok(Self {
            name: path.display().to_string(),
            text,
        })
    }
}

/// Parses the baseline scenario (compiled into the binary).
pub fn baseline_table() -> Table {
    BASELINE_TOML
        .parse::<Table>()
        .expect("configs/baseline.toml is valid TOML (checked by the config tests)")
}

/// One key set on top of a scenario, by `--set` or by a sweep: its path, its value and
/// where it came from (for error messages).
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// The key path, `section.key` (list entries by index: `labs.0.cash_usd`).
    pub path: String,
    /// The value set.
    pub value: Value,
    /// Where it came from, for messages: a `--set` argument, or a sweep's file and run.
    pub origin: String,
}

/// Builds a validated `Config` from a scenario and `--set key.path=value` overrides.
///
/// Keys the scenario leaves out take the baseline's value; arrays of tables (labs,
/// hyperscalers, clouds) replace the baseline's array, each element filled from the
/// baseline's element of the same index (or the first one).
pub fn load(source: &ConfigSource, overrides: &[String]) -> Result<Config, ConfigError> {
    let mut parsed = Vec::with_capacity(overrides.len());
    for argument in overrides {
        let (path, value) = parse_override(argument)?;
        parsed.push(Override {
            path,
            value,
            origin: format!("--set {argument}"),
        });
    }
    load_with(source, &parsed)
}

/// Like [`load`], with overrides already parsed; an error at an overridden key is
/// reported against that override's origin.
pub fn load_with(source: &ConfigSource, overrides: &[Override]) -> Result<Config, ConfigError> {
    let baseline = baseline_table();
    let mut user = source.text.parse::<Table>().map_err(|err| ConfigError::Syntax {
        source_name: source.name.clone(),
        reason: one_line(&err.to_string()),
    })?;
    check_keys(&user, &baseline, "", &source.name)?;

    for change in overrides {
        set_path(&mut user, &baseline, &change.path, change.value.clone(), &change.origin)?;
    }
    // An error at a key set on top of the file is reported against where it came from.
    let origin_of = |path: &str| -> String {
        overrides
            .iter()
            .rev()
            .find(|change| path == change.path || path.starts_with(&format!("{}.", change.path)))
            .map(|change| change.origin.clone())
            .unwrap_or_else(|| source.name.clone())
    };

    let merged = merge(&baseline, &user);
    check_finite(&Value::Table(merged.clone()), "").map_err(|(path, reason)| ConfigError::Invalid {
        source_name: origin_of(&path),
        path,
        reason,
    })?;
    let config: Config = serde_path_to_error::deserialize(Value::Table(merged)).map_err(|err| {
        let path = err.path().to_string().replace('[', ".").replace(']', "");
        ConfigError::Invalid {
            source_name: origin_of(&path),
            reason: humanise_serde(&err.inner().to_string()),
            path,
        }
    })?;
    validate(&config).map_err(|(path, reason)| ConfigError::Invalid {
        source_name: origin_of(&path),
        path,
        reason,
    })?;
    Ok(config)
}

/// Rejects every key of `user` that `reference` does not have, suggesting a close one.
fn check_keys(user: &Table, reference: &Table, prefix: &str, source: &str) -> Result<(), ConfigError> {
    for (key, value) in user {
        let path = join(prefix, key);
        let Some(expected) = reference.get(key) else {
            return Err(unknown_key(source, &path, key, reference));
        };
        match (value, expected) {
            (Value::Table(sub), Value::Table(sub_ref)) => check_keys(sub, sub_ref, &path, source)?,
            (Value::Array(items), Value::Array(ref_items)) => {
                if let Some(Value::Table(template)) = ref_items.first() {
                    for (index, item) in items.iter().enumerate() {
                        if let Value::Table(sub) = item {
                            check_keys(sub, template, &format!("{path}.{index}"), source)?;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

pub(crate) fn unknown_key(source: &str, path: &str, key: &str, reference: &Table) -> ConfigError {
    let best = reference
        .keys()
        .map(|candidate| (strsim::jaro_winkler(key, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    ConfigError::UnknownKey {
        source_name: source.to_owned(),
        path: path.to_owned(),
        suggestion: best.map(|(_, name)| format!(" (did you mean `{name}`?)")).unwrap_or_default(),
        allowed: reference.keys().cloned().collect::<Vec<_>>().join(", "),
    }
}

/// Splits `a.b.c=value`; the value is TOML (`5`, `0.3`, `true`, `[1, 2]`, `"x"`) or, if it
/// is not TOML, a bare string.
fn parse_override(argument: &str) -> Result<(String, Value), ConfigError> {
    let malformed = |reason: &str| ConfigError::MalformedOverride {
        argument: argument.to_owned(),
        reason: reason.to_owned(),
    };
    let (path, raw) = argument.split_once('=').ok_or_else(|| malformed("no `=`"))?;
    let path = path.trim();
    if path.is_empty() || path.split('.').any(|part| part.trim().is_empty()) {
        return Err(malformed("empty key or key part"));
    }
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(malformed("no value after `=`"));
    }
    let value = format!("v = {raw}")
        .parse::<Table>()
        .ok()
        .and_then(|mut table| table.remove("v"))
        .unwrap_or_else(|| Value::String(raw.to_owned()));
    Ok((path.to_owned(), value))
}

/// Sets `path` in `user`, creating tables and copying baseline arrays as needed.
fn set_path(user: &mut Table, baseline: &Table, path: &str, value: Value, origin: &str) -> Result<(), ConfigError> {
    let parts: Vec<&str> = path.split('.').collect();
    let mut table = user;
    let mut reference = baseline;
    let mut walked = String::new();
    let mut index = 0;
    while index < parts.len() {
        let key = parts[index];
        walked = join(&walked, key);
        let Some(expected) = reference.get(key) else {
            return Err(unknown_key(origin, &walked, key, reference));
        };
        let last = index + 1 == parts.len();
        match expected {
            _ if last => {
                table.insert(key.to_owned(), value);
                return Ok(());
            }
            Value::Table(sub_ref) => {
                let entry = table.entry(key.to_owned()).or_insert_with(|| Value::Table(Table::new()));
                let Value::Table(sub) = entry else {
                    return Err(not_a_table(origin, &walked));
                };
                table = sub;
                reference = sub_ref;
                index += 1;
            }
            Value::Array(ref_items) => {
                // An entry of a list: `labs.0.cash_usd=…` or `gpus.initial_performance.0=2`.
                let position = parts[index + 1];
                let slot = list_entry(table, key, expected, &walked, position, origin)?;
                walked = format!("{walked}.{position}");
                index += 2;
                if index == parts.len() {
                    if matches!(slot, Value::Table(_)) {
                        return Err(not_a_table(origin, &walked));
                    }
                    *slot = value;
                    return Ok(());
                }
                let (Value::Table(sub), Some(Value::Table(template))) = (slot, ref_items.first()) else {
                    return Err(not_a_section(origin, &walked));
                };
                table = sub;
                reference = template;
            }
            _ => return Err(not_a_section(origin, &walked)),
        }
    }
    Ok(())
}

/// The `position`-th entry of the list `key` in `table`, copying the baseline's list in
/// first when the scenario does not set it.
fn list_entry<'t>(
    table: &'t mut Table,
    key: &str,
    baseline_list: &Value,
    walked: &str,
    position: &str,
    origin: &str,
) -> Result<&'t mut Value, ConfigError> {
    let invalid = |path: String, reason: String| ConfigError::Invalid {
        source_name: origin.to_owned(),
        path,
        reason,
    };
    let element: usize = position.parse().map_err(|_| {
        invalid(
            format!("{walked}.{position}"),
            format!("`{walked}` is a list: index it by number, e.g. `{walked}.0`, or set it whole"),
        )
    })?;
    let Value::Array(items) = table.entry(key.to_owned()).or_insert_with(|| baseline_list.clone()) else {
        return Err(invalid(walked.to_owned(), "must be a list".to_owned()));
    };
    let len = items.len();
    items.get_mut(element).ok_or_else(|| {
        invalid(
            format!("{walked}.{element}"),
            format!("the list has {len} entries (0 to {})", len.saturating_sub(1)),
        )
    })
}

fn not_a_section(origin: &str, path: &str) -> ConfigError {
    ConfigError::Invalid {
        source_name: origin.to_owned(),
        path: path.to_owned(),
        reason: "is a value, not a section: nothing can follow it in the key path".to_owned(),
    }
}

fn not_a_table(origin: &str, path: &str) -> ConfigError {
    ConfigError::Invalid {
        source_name: origin.to_owned(),
        path: path.to_owned(),
        reason: "is a section: name one of its keys".to_owned(),
    }
}

/// Deep merge: user values over baseline values; arrays of tables merge element-wise
/// over the baseline element of the same index (or the first one).
fn merge(baseline: &Table, user: &Table) -> Table {
    let mut merged = baseline.clone();
    for (key, value) in user {
        let combined = match (baseline.get(key), value) {
            (Some(Value::Table(base)), Value::Table(over)) => Value::Table(merge(base, over)),
            (Some(Value::Array(base)), Value::Array(items)) => match base.first() {
                Some(Value::Table(first)) => Value::Array(
                    items
                        .iter()
                        .enumerate()
                        .map(|(index, item)| match (base.get(index), item) {
                            (Some(Value::Table(same)), Value::Table(over)) => Value::Table(merge(same, over)),
                            (None, Value::Table(over)) => Value::Table(merge(first, over)),
                            _ => item.clone(),
                        })
                        .collect(),
                ),
                _ => value.clone(),
            },
            _ => value.clone(),
        };
        merged.insert(key.clone(), combined);
    }
    merged
}

/// NaN and infinities are valid TOML but never a valid parameter.
fn check_finite(value: &Value, path: &str) -> Result<(), (String, String)> {
    match value {
        Value::Float(number) if !number.is_finite() => Err((path.to_owned(), format!("must be a finite number, got {number}"))),
        Value::Table(table) => table.iter().try_for_each(|(key, item)| check_finite(item, &join(path, key))),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(index, item)| check_finite(item, &join(path, &index.to_string()))),
        _ => Ok(()),
    }
}

/// Rewrites serde's Rust type names into what a user may write.
pub(crate) fn humanise_serde(message: &str) -> String {
    const TYPES: [(&str, &str); 7] = [
        ("expected u32", "expected a whole number from 0 to 4294967295"),
        ("expected u64", "expected a whole number from 0 to 18446744073709551615"),
        ("expected i32", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected a string", "expected a quoted string"),
        ("expected a sequence", "expected a list like [1.0, 2.0]"),
        ("expected a borrowed string", "expected a quoted string"),
    ];
    let mut text = message.to_owned();
    for (from, to) in TYPES {
        text = text.replace(from, to);
    }
    // "expected struct LabConfig" names a Rust type: say what a user writes instead.
    if let Some(start) = text.find("expected struct ") {
        let end = text[start + 16..]
            .find(|c: char| !c.is_alphanumeric())
            .map_or(text.len(), |n| start + 16 + n);
        text.replace_range(start..end, "expected a section (table) of keys");
    }
    one_line(&text)
}

/// Folds a message onto one line of bounded length.
pub(crate) fn one_line(text: &str) -> String {
    const MAX_CHARS: usize = 300;
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() > MAX_CHARS {
        format!("{}…", folded.chars().take(MAX_CHARS).collect::<String>())
    } else {
        folded
    }
}

pub(crate) fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Every key path of the baseline (arrays of tables as `labs.0.name`), for docs and tests.
pub fn key_paths() -> BTreeSet<String> {
    fn walk(table: &Table, prefix: &str, out: &mut BTreeSet<String>) {
        for (key, value) in table {
            let path = join(prefix, key);
            match value {
                Value::Table(sub) => walk(sub, &path, out),
                Value::Array(items) if matches!(items.first(), Some(Value::Table(_))) => {
                    if let Some(Value::Table(first)) = items.first() {
                        walk(first, &format!("{path}.N"), out);
                    }
                }
                _ => {
                    out.insert(path);
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(&baseline_table(), "", &mut out);
    out
}

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
