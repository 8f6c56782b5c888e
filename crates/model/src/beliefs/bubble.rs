//! The Goldfarb–Kirsch bubble index (docs/model.md#the-bubble-index). Goldfarb & Kirsch
//! (2019) rate a technology boom on four factors, 0–2 each: uncertainty, pure plays,
//! novice investors and narrative. The model scores them every tick from its own state:
//!
//! - uncertainty: the spread of AI-revenue forecasts (`forecasts`) and AI capex over AI
//!   revenue;
//! - pure plays: the share of new venture capital going to AI-only firms (`venture`);
//! - novice investors: the retail block's share of the AI firms' shares and the novice
//!   share of retail investors ([`crate::markets::retail`]);
//! - narrative: hype (`narrative`).
//!
//! Each input scores 0 below its first threshold, 1 from it and 2 from its second; a
//! factor with two inputs scores the mean of their scores rounded up, so either input
//! can raise it.

use bevy_ecs::prelude::*;
use bubblesim_config::BubbleConfig;

use crate::ai_industry::venture::Venture;
use crate::beliefs::forecasts::Forecasts;
use crate::beliefs::narrative::Narrative;
use crate::common::params::Params;
use crate::markets::retail::RetailFlow;

/// The raw inputs of the four factors.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BubbleInputs {
    /// Spread of log AI-revenue forecasts at the horizon ([`Forecasts::forecast_dispersion`]).
    pub forecast_dispersion: f64,
    /// AI capex per year over AI end-user revenue per year.
    pub capex_to_revenue: f64,
    /// Share of new venture capital going to AI pure plays, 0–1.
    pub ai_capital_share: f64,
    /// Retail investors' share of gross equity trading in the AI firms, 0–1.
    pub retail_ownership_share: f64,
    /// Share of retail investors who are novices, 0–1.
    pub novice_share: f64,
    /// The hype level, 0–1.
    pub hype: f64,
}

/// The four factors' scores (0–2 each) and their inputs.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BubbleIndex {
    /// The raw inputs scored.
    pub inputs: BubbleInputs,
    /// Uncertainty: forecast dispersion and capex over revenue, 0–2.
    pub uncertainty: u8,
    /// Pure plays: the AI share of venture capital, 0–2.
    pub pure_plays: u8,
    /// Novice investors: retail's share of trading and the novice share, 0–2.
    pub novice_investors: u8,
    /// Narrative: the hype level, 0–2.
    pub narrative: u8,
    /// The total on the first day scored, the lowest and the highest so far (for the
    /// run summary).
    pub first_total: u8,
    /// The lowest total so far.
    pub lowest_total: u8,
    /// The highest total so far.
    pub highest_total: u8,
    /// Days scored so far.
    pub days_scored: u32,
}

impl BubbleIndex {
    /// The score out of 8.
    pub fn total(&self) -> u8 {
        self.uncertainty + self.pure_plays + self.novice_investors + self.narrative
    }
}

/// 0 below the first threshold, 1 from it, 2 from the second.
pub fn input_score(value: f64, [low, high]: [f64; 2]) -> u8 {
    if value >= high {
        2
    } else if value >= low {
        1
    } else {
        0
    }
}

/// A two-input factor: the mean of the inputs' scores, rounded up.
pub fn pair_score(a: u8, b: u8) -> u8 {
    (a + b).div_ceil(2)
}

/// Scores the four factors from their inputs.
pub fn score(config: &BubbleConfig, inputs: BubbleInputs) -> BubbleIndex {
    BubbleIndex {
        inputs,
        uncertainty: pair_score(
            input_score(inputs.forecast_dispersion, config.forecast_dispersion_thresholds),
            input_score(inputs.capex_to_revenue, config.capex_to_revenue_thresholds),
        ),
        pure_plays: input_score(inputs.ai_capital_share, config.ai_capital_share_thresholds),
        novice_investors: pair_score(
            input_score(inputs.retail_ownership_share, config.retail_ownership_thresholds),
            input_score(inputs.novice_share, config.novice_share_thresholds),
        ),
        narrative: input_score(inputs.hype, config.hype_thresholds),
        ..BubbleIndex::default()
    }
}

/// Daily, after prices form: the index from today's state.
pub fn update_bubble_index(
    params: Res<Params>,
    forecasts: Res<Forecasts>,
    venture: Res<Venture>,
    flow: Res<RetailFlow>,
    narrative: Res<Narrative>,
    mut index: ResMut<BubbleIndex>,
) {
    let inputs = BubbleInputs {
        forecast_dispersion: forecasts.forecast_dispersion,
        capex_to_revenue: forecasts.capex_to_revenue(),
        ai_capital_share: venture.ai_share,
        retail_ownership_share: flow.ownership_share(params.retail.ownership_share),
        novice_share: flow.novice_share(),
        hype: narrative.hype,
    };
    let before = *index;
    *index = score(&params.bubble, inputs);
    let total = index.total();
    index.days_scored = before.days_scored + 1;
    (index.first_total, index.lowest_total, index.highest_total) = if before.days_scored == 0 {
        (total, total, total)
    } else {
        (before.first_total, before.lowest_total.min(total), before.highest_total.max(total))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> BubbleConfig {
        bubblesim_config::Config::baseline().bubble
    }

    fn boom() -> BubbleInputs {
        BubbleInputs {
            forecast_dispersion: 2.0,
            capex_to_revenue: 5.0,
            ai_capital_share: 0.58,
            retail_ownership_share: 0.4,
            novice_share: 0.6,
            hype: 0.85,
        }
    }

    #[test]
    fn a_boom_scores_eight_and_each_input_lowers_its_factor() {
        let config = config();
        let full = score(&config, boom());
        assert_eq!(full.total(), 8);
        // Each input, taken below its first threshold alone, lowers its own factor and
        // only that one; the index moves in the right direction for every input.
        type Setter = fn(&mut BubbleInputs);
        type Factor = fn(&BubbleIndex) -> u8;
        let cases: [(&str, Setter, Factor); 6] = [
            ("forecast_dispersion", |i| i.forecast_dispersion = 0.1, |s| s.uncertainty),
            ("capex_to_revenue", |i| i.capex_to_revenue = 0.5, |s| s.uncertainty),
            ("ai_capital_share", |i| i.ai_capital_share = 0.1, |s| s.pure_plays),
            (
                "retail_ownership_share",
                |i| i.retail_ownership_share = 0.01,
                |s| s.novice_investors,
            ),
            ("novice_share", |i| i.novice_share = 0.05, |s| s.novice_investors),
            ("hype", |i| i.hype = 0.1, |s| s.narrative),
        ];
        for (name, set, factor) in cases {
            let mut inputs = boom();
            set(&mut inputs);
            let scored = score(&config, inputs);
            assert!(factor(&scored) < factor(&full), "{name} did not lower its factor");
            assert_eq!(
                scored.total(),
                full.total() - (factor(&full) - factor(&scored)),
                "{name} moved another factor"
            );
        }
        // All inputs calm: 0.
        let calm = BubbleInputs {
            forecast_dispersion: 0.1,
            capex_to_revenue: 0.5,
            ai_capital_share: 0.1,
            retail_ownership_share: 0.01,
            novice_share: 0.05,
            hype: 0.1,
        };
        assert_eq!(score(&config, calm).total(), 0);
    }

    #[test]
    fn scores_rise_with_every_input() {
        let config = config();
        let thresholds = [0.4, 0.7];
        assert_eq!(input_score(0.39, thresholds), 0);
        assert_eq!(input_score(0.4, thresholds), 1);
        assert_eq!(input_score(0.7, thresholds), 2);
        assert_eq!(pair_score(2, 1), 2);
        assert_eq!(pair_score(1, 0), 1);
        assert_eq!(pair_score(0, 0), 0);
        // Raising any one input, from calm to boom, never lowers the total and ends higher.
        type Set = fn(&mut BubbleInputs, f64);
        let inputs: [(&str, Set, f64); 6] = [
            ("forecast_dispersion", |i, x| i.forecast_dispersion = x, 2.0),
            ("capex_to_revenue", |i, x| i.capex_to_revenue = x, 5.0),
            ("ai_capital_share", |i, x| i.ai_capital_share = x, 1.0),
            ("retail_ownership_share", |i, x| i.retail_ownership_share = x, 1.0),
            ("novice_share", |i, x| i.novice_share = x, 1.0),
            ("hype", |i, x| i.hype = x, 1.0),
        ];
        for (name, set, top) in inputs {
            let mut last = score(&config, BubbleInputs::default()).total();
            for step in 1..=100 {
                let mut raised = BubbleInputs::default();
                set(&mut raised, top * f64::from(step) / 100.0);
                let total = score(&config, raised).total();
                assert!(total >= last, "{name}: raising it lowered the index");
                last = total;
            }
            assert!(last > 0, "{name} never moves the index");
        }
    }
}
