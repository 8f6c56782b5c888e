//! The replicate seeds: a count (the base's seed and those after it) or a list.

use toml::Value;

use crate::sweep::values::MAX_SWEEP_RUNS;

use crate::error::ConfigError;
use crate::sweep::file::invalid;

/// `seeds = N` (the base's seed and the N − 1 after it) or `seeds = [a, b, …]`.
pub(crate) fn check_seeds(src: &str, seeds: &Value, base_seed: u64) -> Result<Vec<u64>, ConfigError> {
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
