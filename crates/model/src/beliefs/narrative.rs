//! The narrative: a hype level in [0, 1] ("AGI soon, it will do everything"). It
//! mean-reverts towards a target that rises with the growth of AI end-user revenue and
//! with enterprise adoption, and falls (with a modest default weight) with the AI
//! index's drawdown from a peak it slowly forgets, with daily noise;
//! news (`news`: model releases, earnings surprises, lab failures) makes it jump. Hype
//! feeds retail chartists' opinions and novices' entry, labs' chances of raising money
//! and their valuations, venture funds' AI share, enterprise adoption and providers'
//! capex forecasts.

use bevy_ecs::prelude::*;

use crate::ai_industry::adopters::AdoptionStats;
use crate::ai_industry::demand::Demand;
use crate::beliefs::news::NewsFlow;
use crate::common::calendar::Clock;
use crate::common::params::{Params, Seed};
use crate::common::rng::{Purpose, normal};
use crate::markets::index::AiIndex;

/// The hype state.
#[derive(Resource, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Narrative {
    /// The hype level, 0–1.
    pub hype: f64,
    /// The level hype mean-reverts towards, 0–1: set by revenue growth and the AI index's drawdown.
    pub target: f64,
    /// Yearly growth of end-user AI revenue over the last (up to) twelve months.
    pub revenue_growth: f64,
    /// End-user AI revenue of every month so far.
    pub revenue_history: Vec<f64>,
    /// The AI index's peak as the narrative remembers it: it decays towards the level
    /// over `memory_ticks`, so an old peak stops weighing on the story.
    pub remembered_peak: f64,
}

impl Narrative {
    /// A narrative starting at `initial_hype`, with the target there too (`narrative.initial_hype`).
    pub fn new(initial_hype: f64) -> Self {
        Self {
            hype: initial_hype,
            target: initial_hype,
            revenue_growth: 0.0,
            revenue_history: Vec::new(),
            remembered_peak: 0.0,
        }
    }
}

/// Growth per year over the last up-to-twelve months of a monthly series; `None` with
/// fewer than two months.
pub fn trailing_growth_per_year(history: &[f64]) -> Option<f64> {
    let n = history.len();
    if n < 2 {
        return None;
    }
    let window = (n - 1).min(12);
    let (then, now) = (history[n - 1 - window], history[n - 1]);
    (then > 0.0 && now > 0.0).then(|| (now / then).powf(12.0 / window as f64) - 1.0)
}

/// Monthly: records end-user AI revenue and its growth.
pub fn observe_revenue_growth(params: Res<Params>, clock: Res<Clock>, demand: Res<Demand>, mut narrative: ResMut<Narrative>) {
    narrative.revenue_history.push(demand.revenue_usd());
    narrative.revenue_growth = trailing_growth_per_year(&narrative.revenue_history).unwrap_or_else(|| {
        // Before two months are known, the expectation is the demand process's own rate.
        Demand::growth_rate(&demand.consumer, clock.years_elapsed(), params.demand.growth_halflife_years).exp() - 1.0
    });
}

/// Daily: news moves hype, then hype moves towards its target.
pub fn update_narrative(
    params: Res<Params>,
    seed: Res<Seed>,
    clock: Res<Clock>,
    (index, adoption): (Res<AiIndex>, Res<AdoptionStats>),
    mut news: ResMut<NewsFlow>,
    mut narrative: ResMut<Narrative>,
) {
    narrative.hype = (narrative.hype + news.hype_jump).clamp(0.0, 1.0);
    news.hype_jump = 0.0;
    let n = &params.narrative;
    let forget = 1.0 / n.memory_ticks;
    narrative.remembered_peak = (narrative.remembered_peak * (1.0 - forget) + index.level * forget).max(index.level);
    let drawdown = if narrative.remembered_peak > 0.0 {
        1.0 - index.level / narrative.remembered_peak
    } else {
        0.0
    };
    narrative.target = (n.target_base
        + n.growth_weight * (narrative.revenue_growth - n.neutral_revenue_growth)
        + n.adoption_weight * adoption.adoption_change()
        - n.drawdown_weight * drawdown)
        .clamp(0.0, 1.0);
    let shock = normal(seed.0, Purpose::Narrative, clock.tick, 0, 0);
    narrative.hype =
        (narrative.hype + n.reversion_per_tick * (narrative.target - narrative.hype) + n.volatility_daily * shock).clamp(0.0, 1.0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_growth() {
        assert_eq!(trailing_growth_per_year(&[1.0]), None);
        let doubling: Vec<f64> = (0..13).map(|m| 2f64.powf(m as f64 / 12.0)).collect();
        assert!((trailing_growth_per_year(&doubling).unwrap() - 1.0).abs() < 1e-9);
    }
}
