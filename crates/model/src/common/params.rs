//! Resources every system may read: the scenario's parameters and its seed.

use std::sync::Arc;

use bevy_ecs::prelude::Resource;
use bubblesim_config::Config;

/// The validated scenario, shared read-only by all systems.
#[derive(Resource, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Params(pub Arc<Config>);

impl std::ops::Deref for Params {
    type Target = Config;
    fn deref(&self) -> &Config {
        &self.0
    }
}

/// The run's master seed (from `run.seed` or `--seed`).
#[derive(Resource, Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct Seed(pub u64);
