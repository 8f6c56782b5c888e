//! What most systems read first: the scenario's parameters, the run's seed and the
//! clock, as one system parameter.

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use crate::common::calendar::Clock;
use crate::common::params::{Params, Seed};

/// The parameters, the seed and the clock.
#[derive(SystemParam)]
pub struct Today<'w> {
    /// The scenario's parameters.
    pub params: Res<'w, Params>,
    /// The run's master seed.
    pub seed: Res<'w, Seed>,
    /// The clock: today's tick, date and month.
    pub clock: Res<'w, Clock>,
}
