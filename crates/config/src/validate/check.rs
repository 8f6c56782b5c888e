//! The checker every section's validation uses: a key path prefix, the ranges a value
//! may take, and the problem it reports — (key path, what is allowed).

/// A problem: (key path, what is allowed).
pub(crate) type Problem = (String, String);

/// A tiny checker that records key paths in its error.
pub(crate) struct Check<'a> {
    prefix: &'a str,
}

impl Check<'_> {
    pub(crate) fn path(&self, key: &str) -> String {
        format!("{}.{key}", self.prefix)
    }
    pub(crate) fn fail(&self, key: &str, reason: String) -> Result<(), Problem> {
        Err((self.path(key), reason))
    }
    /// `low <= value <= high`.
    pub(crate) fn within(&self, key: &str, value: f64, low: f64, high: f64) -> Result<(), Problem> {
        if (low..=high).contains(&value) {
            Ok(())
        } else {
            self.fail(key, format!("must be between {low} and {high}, got {value}"))
        }
    }
    pub(crate) fn probability(&self, key: &str, value: f64) -> Result<(), Problem> {
        if (0.0..=1.0).contains(&value) {
            Ok(())
        } else {
            self.fail(key, format!("is a probability or share: must be between 0 and 1, got {value}"))
        }
    }
    pub(crate) fn positive(&self, key: &str, value: f64) -> Result<(), Problem> {
        if value > 0.0 {
            Ok(())
        } else {
            self.fail(key, format!("must be greater than 0, got {value}"))
        }
    }
    pub(crate) fn non_negative(&self, key: &str, value: f64) -> Result<(), Problem> {
        if value >= 0.0 {
            Ok(())
        } else {
            self.fail(key, format!("must be 0 or more, got {value}"))
        }
    }
    /// A yearly rate of change: above −100%.
    pub(crate) fn rate(&self, key: &str, value: f64) -> Result<(), Problem> {
        if value > -1.0 && value <= 100.0 {
            Ok(())
        } else {
            self.fail(
                key,
                format!("is a yearly rate: must be above -1 (−100%) and at most 100, got {value}"),
            )
        }
    }
    pub(crate) fn name(&self, key: &str, value: &str) -> Result<(), Problem> {
        let ok = !value.is_empty() && value.len() <= 64 && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if ok {
            Ok(())
        } else {
            self.fail(
                key,
                format!("must be 1–64 characters of letters, digits, '-', '_' or '.', got {value:?}"),
            )
        }
    }
}

/// Fails on the second of two entries with the same name; `names` holds (key path, name).
pub(crate) fn unique_names(what: &str, mut names: Vec<(String, &str)>) -> Result<(), Problem> {
    names.sort_by(|a, b| a.1.cmp(b.1));
    for pair in names.windows(2) {
        if pair[0].1 == pair[1].1 {
            return Err((
                pair[1].0.clone(),
                format!("{what} names must be unique; {:?} is also used by `{}`", pair[1].1, pair[0].0),
            ));
        }
    }
    Ok(())
}

/// A checker for the keys under `prefix`.
pub(crate) fn at(prefix: &str) -> Check<'_> {
    Check { prefix }
}
