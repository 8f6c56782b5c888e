//! The scenarios shipped in `configs/`, compiled in so that `bubblesim run --list` can
//! show them (and `bubblesim run NAME` run them) from any folder.

use crate::error::ConfigError;
use crate::load::{ConfigSource, load};
use crate::schema::Config;

/// (name, file, text) of every shipped scenario, the baseline first.
pub const SCENARIOS: &[(&str, &str, &str)] = &[
    ("baseline", "configs/baseline.toml", include_str!("../../../configs/baseline.toml")),
    ("bust", "configs/bust.toml", include_str!("../../../configs/bust.toml")),
    (
        "ai-succeeds",
        "configs/ai-succeeds.toml",
        include_str!("../../../configs/ai-succeeds.toml"),
    ),
    (
        "soft-landing",
        "configs/soft-landing.toml",
        include_str!("../../../configs/soft-landing.toml"),
    ),
    (
        "stress-gpu-early",
        "configs/stress-gpu-early.toml",
        include_str!("../../../configs/stress-gpu-early.toml"),
    ),
    (
        "stress-rate-shock",
        "configs/stress-rate-shock.toml",
        include_str!("../../../configs/stress-rate-shock.toml"),
    ),
    (
        "stress-lab-default",
        "configs/stress-lab-default.toml",
        include_str!("../../../configs/stress-lab-default.toml"),
    ),
    (
        "stress-hyperscaler-walks",
        "configs/stress-hyperscaler-walks.toml",
        include_str!("../../../configs/stress-hyperscaler-walks.toml"),
    ),
    (
        "stress-lease-default",
        "configs/stress-lease-default.toml",
        include_str!("../../../configs/stress-lease-default.toml"),
    ),
];

/// The source of a shipped scenario, by name.
pub fn scenario_source(name: &str) -> Option<ConfigSource> {
    SCENARIOS.iter().find(|(n, _, _)| *n == name).map(|(_, file, text)| ConfigSource {
        name: (*file).to_owned(),
        text: (*text).to_owned(),
    })
}

/// Loads a shipped scenario with overrides.
pub fn load_scenario(name: &str, overrides: &[String]) -> Option<Result<Config, ConfigError>> {
    scenario_source(name).map(|source| load(&source, overrides))
}
