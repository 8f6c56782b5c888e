//! Enterprise adoption (docs/model.md#enterprise-adoption): enterprises start AI pilots
//! at a rate that rises with hype, learn after `pilot_months` whether AI pays (MIT
//! NANDA 2025: 95% see no measurable return), and most of those without a return churn.
//! Enterprise query volume follows the usage of the adopters still piloting or paying,
//! relative to the start, so revenue from enterprises materialises only as far as
//! adopters stay. Value delivered moves adoption: a pilot's chance of a return rises
//! as the price users pay falls (`demand.return_price_elasticity`).

use bevy_ecs::prelude::*;

pub use crate::ai_industry::adopters::{Adopter, AdopterState, AdoptionStats};
use crate::ai_industry::demand::Demand;
use crate::beliefs::narrative::Narrative;
use crate::common::calendar::Clock;
use crate::common::ids::AgentId;
use crate::common::params::{Params, Seed};
use crate::common::rng::{Purpose, uniform};

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
    // Cheaper AI delivers more value per dollar: more pilots find a return.
    let with_return = (a.share_with_return * demand.price_index().powf(-params.demand.return_price_elasticity)).min(1.0);
    let (seed, tick) = (seed.0, clock.tick);
    adopters.par_iter_mut().for_each(|(id, mut adopter)| {
        let u = uniform(seed, Purpose::Adoption, tick, id.0, 0);
        adopter.state = match adopter.state {
            AdopterState::Prospect if u < start_pilot => AdopterState::Pilot { since_month: month },
            AdopterState::Pilot { since_month } if month - since_month >= a.pilot_months as i32 => AdopterState::Paying {
                with_return: u < with_return,
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
