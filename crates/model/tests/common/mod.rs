//! Helpers the model's integration tests share.

use bubblesim_config::{ConfigSource, load};
use bubblesim_model::prelude::*;

/// A simulation of `source` with a small retail population and the overrides applied
/// (later overrides win), on one thread.
pub fn simulation_of(source: &ConfigSource, overrides: &[&str]) -> Simulation {
    let mut all = vec!["retail.count=400".to_owned()];
    all.extend(overrides.iter().map(|s| s.to_string()));
    let config = load(source, &all).expect("test overrides are valid");
    let seed = config.run.seed;
    Simulation::new(config, seed, 1).expect("the schedule builds")
}
