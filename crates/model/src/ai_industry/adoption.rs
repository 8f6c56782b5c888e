//! Enterprise adoption (docs/model.md#enterprise-adoption): enterprises start AI pilots
//! at a rate that rises with hype, learn after `pilot_months` whether AI pays (MIT
//! NANDA 2025: 95% see no measurable return), and most of those without a return churn.
//! Enterprise query volume follows the usage of the adopters still piloting or paying,
//! relative to the start, so revenue from enterprises materialises only as far as
//! adopters stay.

use bevy_ecs::prelude::*;

use crate::ai_industry::demand::Demand;
use crate::beliefs::narrative::Narrative;
use crate::common::calendar::Clock;
use crate::common::ids::AgentId;
use crate::common::params::{Params, Seed};
use crate::common::rng::{Purpose, uniform};

/// Where an enterprise stands with AI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AdopterState {
    /// Not yet using AI.
    Prospect,
    /// Piloting since this month (months since the start; negative before it).
    Pilot {
        /// Month the pilot started, in months since the start (negative for pilots under way at the start).
        since_month: i32,
    },
    /// Past its pilot and paying for AI.
    Paying {
        /// Whether AI pays off for it; those without a return may churn.
        with_return: bool,
    },
    /// Stopped using AI after its pilot brought no return.
    Churned,
}

/// One enterprise adopter.
#[derive(Component, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Adopter {
    /// Where it stands with AI.
    pub state: AdopterState,
}

/// Counts of adopters by state, and their usage against the start.
#[derive(Resource, Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AdoptionStats {
    /// Enterprises not yet using AI.
    pub prospects: u64,
    /// Enterprises piloting AI.
    pub piloting: u64,
    /// Enterprises past their pilot that pay and see a return.
    pub paying_with_return: u64,
    /// Enterprises past their pilot that pay without a return.
    pub paying_without_return: u64,
    /// Enterprises that stopped using AI.
    pub churned: u64,
    /// Usage of all adopters (pilot = 1 each).
    pub usage: f64,
    /// Usage of all adopters at the start (the base of [`AdoptionStats::usage_ratio`]).
    pub initial_usage: f64,
}

impl AdoptionStats {
    /// Usage against the start (1 at the start). The start's usage is floored at one
    /// pilot's, which guards against a small population that by chance starts with no
    /// one piloting (the configured share must be above 0).
    pub fn usage_ratio(&self) -> f64 {
        self.usage / self.initial_usage.max(1.0)
    }

    /// Log change of adopters' usage since the start, ln(usage ratio) (the ratio floored
    /// at 1%): what the narrative reads of adoption.
    pub fn adoption_change(&self) -> f64 {
        self.usage_ratio().max(0.01).ln()
    }

    /// Share of adopters past their pilot that see a return.
    pub fn share_with_return(&self) -> f64 {
        let decided = self.paying_with_return + self.paying_without_return + self.churned;
        if decided == 0 {
            0.0
        } else {
            self.paying_with_return as f64 / decided as f64
        }
    }
}

/// The starting adopters: a share already piloting, at random points of their pilot.
pub fn initial_adopters(params: &Params, seed: u64, ids: impl Iterator<Item = AgentId>) -> Vec<(AgentId, Adopter)> {
    let a = &params.adoption;
    ids.map(|id| {
        let state = if uniform(seed, Purpose::Adoption, 0, id.0, 0) < a.initial_adopter_share {
            let elapsed = (uniform(seed, Purpose::Adoption, 0, id.0, 1) * f64::from(a.pilot_months)).floor() as i32;
            AdopterState::Pilot { since_month: -elapsed }
        } else {
            AdopterState::Prospect
        };
        (id, Adopter { state })
    })
    .collect()
}

/// Counts the adopters. Usage is computed from the integer counts, so it does not
/// depend on the order adopters are visited in.
pub fn tally<'a>(adopters: impl Iterator<Item = &'a Adopter>, return_usage_multiplier: f64) -> AdoptionStats {
    let mut stats = AdoptionStats::default();
    for adopter in adopters {
        match adopter.state {
            AdopterState::Prospect => stats.prospects += 1,
            AdopterState::Pilot { .. } => stats.piloting += 1,
            AdopterState::Paying { with_return: true } => stats.paying_with_return += 1,
            AdopterState::Paying { with_return: false } => stats.paying_without_return += 1,
            AdopterState::Churned => stats.churned += 1,
        }
    }
    stats.usage = (stats.piloting + stats.paying_without_return) as f64 + stats.paying_with_return as f64 * return_usage_multiplier;
    stats
}

/// Monthly, after demand advances: pilots start, end and churn; enterprise volume follows.
pub fn adopt_and_churn(
    params: Res<Params>,
    seed: Res<Seed>,
    clock: Res<Clock>,
    narrative: Res<Narrative>,
    mut adopters: Query<(&AgentId, &mut Adopter)>,
    mut stats: ResMut<AdoptionStats>,
    mut demand: ResMut<Demand>,
) {
    if clock.tick == 0 {
        return; // the first month uses the calibrated starting volume
    }
    let a = &params.adoption;
    let month = clock.month as i32;
    let start_pilot = a.adoption_per_month_base + a.adoption_per_month_per_hype * narrative.hype;
    let (seed, tick) = (seed.0, clock.tick);
    adopters.par_iter_mut().for_each(|(id, mut adopter)| {
        let u = uniform(seed, Purpose::Adoption, tick, id.0, 0);
        adopter.state = match adopter.state {
            AdopterState::Prospect if u < start_pilot => AdopterState::Pilot { since_month: month },
            AdopterState::Pilot { since_month } if month - since_month >= a.pilot_months as i32 => AdopterState::Paying {
                with_return: u < a.share_with_return,
            },
            AdopterState::Paying { with_return: false } if u < a.churn_per_month_without_return => AdopterState::Churned,
            state => state,
        };
    });
    let initial_usage = stats.initial_usage;
    *stats = tally(adopters.iter().map(|(_, a)| a), a.return_usage_multiplier);
    stats.initial_usage = initial_usage;
    demand.enterprise.adoption = stats.usage_ratio();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adopter(state: AdopterState) -> Adopter {
        Adopter { state }
    }

    #[test]
    fn usage_counts_pilots_and_payers_and_weights_those_with_a_return() {
        let adopters = [
            adopter(AdopterState::Prospect),
            adopter(AdopterState::Pilot { since_month: 0 }),
            adopter(AdopterState::Paying { with_return: false }),
            adopter(AdopterState::Paying { with_return: true }),
            adopter(AdopterState::Churned),
        ];
        let mut stats = tally(adopters.iter(), 3.0);
        assert_eq!((stats.prospects, stats.piloting, stats.churned), (1, 1, 1));
        assert_eq!(stats.usage, 1.0 + 1.0 + 3.0);
        assert_eq!(stats.share_with_return(), 1.0 / 3.0);
        stats.initial_usage = 2.5;
        assert_eq!(stats.usage_ratio(), 2.0);
        // A start with no one piloting: usage counts against one pilot's.
        stats.initial_usage = 0.0;
        assert_eq!(stats.usage_ratio(), 5.0);
    }
}
