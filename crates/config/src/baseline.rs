//! The baseline scenario, compiled in: `configs/baseline.toml`, the single source of
//! every default and the documented reference of every key.

/// The baseline scenario's text.
pub const BASELINE_TOML: &str = include_str!("../../../configs/baseline.toml");
