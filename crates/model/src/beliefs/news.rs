//! News that moves the narrative (docs/model.md#news-and-the-narrative): frontier model
//! releases whose capability gains shrink release after release (diminishing returns to
//! scale), the listed AI firms' quarterly earnings surprises (in
//! [`crate::markets::prices`]), and lab failures (in [`crate::ai_industry::funding`]). Each piece of news adds a jump to [`NewsFlow`]; the
//! narrative applies the jumps to hype on its next update.

use bevy_ecs::prelude::*;
use bubblesim_config::NewsConfig;

use crate::common::calendar::Clock;
use crate::common::events::{EventKind, EventLog};
use crate::common::ids::AgentId;
use crate::common::params::{Params, Seed};
use crate::common::rng::{Purpose, normal};
use crate::firms::firm::Firm;
use crate::firms::roles::Lab;

/// News waiting to reach the narrative, and the latest releases.
#[derive(Resource, Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct NewsFlow {
    /// Hype change from news since the narrative last updated.
    pub hype_jump: f64,
    /// Model releases so far.
    pub releases: u32,
    /// Capability gain of the latest release (0 before the first).
    pub last_capability_gain: f64,
    /// The gain the story expects of the next release: it starts at
    /// `news.expected_capability_gain` and learns from each release's observed gain.
    pub expected_gain: Option<f64>,
}

/// Expected capability gain of release `k` (0-based): initial × decay^k.
pub fn expected_capability_gain(news: &NewsConfig, k: u32) -> f64 {
    news.initial_capability_gain * news.capability_gain_decay.powi(k.min(i32::MAX as u32) as i32)
}

/// The realised gain of release `k` given a standard normal surprise: the expected gain
/// times a log-normal factor with mean 1.
pub fn capability_gain(news: &NewsConfig, k: u32, surprise: f64) -> f64 {
    let sigma = news.capability_gain_noise;
    expected_capability_gain(news, k) * (sigma * surprise - sigma * sigma / 2.0).exp()
}

/// The story's expectation after a release that gained `gain`: it moves
/// `expectation_learning_rate` of the way from `expected` to the observed gain.
pub fn learned_expectation(news: &NewsConfig, expected: f64, gain: f64) -> f64 {
    expected + news.expectation_learning_rate * (gain - expected)
}

/// Monthly: a frontier model ships on the release cadence, from the active labs in turn.
pub fn release_models(
    params: Res<Params>,
    seed: Res<Seed>,
    clock: Res<Clock>,
    labs: Query<(&AgentId, &Firm), With<Lab>>,
    mut news: ResMut<NewsFlow>,
    mut events: ResMut<EventLog>,
) {
    let n = &params.news;
    let month = clock.month;
    if month < n.first_release_months || !(month - n.first_release_months).is_multiple_of(n.release_every_months) {
        return;
    }
    let active: Vec<AgentId> = labs
        .iter()
        .sort::<&AgentId>()
        .filter(|(_, f)| f.active)
        .map(|(&id, _)| id)
        .collect();
    if active.is_empty() {
        return;
    }
    let k = news.releases;
    let gain = capability_gain(n, k, normal(seed.0, Purpose::News, clock.tick, u64::from(k), 0));
    let expected = news.expected_gain.unwrap_or(n.expected_capability_gain);
    let jump = n.hype_per_capability_surprise * (gain - expected);
    news.expected_gain = Some(learned_expectation(n, expected, gain));
    news.hype_jump += jump;
    news.releases += 1;
    news.last_capability_gain = gain;
    let lab = active[k as usize % active.len()];
    events.record(
        &clock,
        EventKind::ModelRelease,
        lab,
        None,
        None,
        format!(
            "release {} gains {:.3} in capability (expected {:.3}; the story expects {:.3}): hype {:+.3}",
            k + 1,
            gain,
            expected_capability_gain(n, k),
            expected,
            jump
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_expectation_learns_so_shrinking_gains_stop_surprising() {
        let news = bubblesim_config::Config::baseline().news;
        let mut expected = news.expected_capability_gain;
        let mut surprises = Vec::new();
        for k in 0..12 {
            let gain = expected_capability_gain(&news, k);
            surprises.push(gain - expected);
            expected = learned_expectation(&news, expected, gain);
        }
        // Gains fall by a constant factor; the expectation trails them, so the shortfall
        // shrinks toward zero instead of growing.
        let late = surprises[11].abs();
        assert!(late < 0.05, "late surprise {late}: {surprises:?}");
        let fixed = expected_capability_gain(&news, 11) - news.expected_capability_gain;
        assert!(
            fixed < -0.25 && late < fixed.abs() / 5.0,
            "a fixed expectation keeps disappointing: {fixed}"
        );
    }

    #[test]
    fn each_release_gains_less_than_the_last_in_expectation() {
        let news = bubblesim_config::Config::baseline().news;
        for k in 0..10 {
            assert!(expected_capability_gain(&news, k + 1) < expected_capability_gain(&news, k));
        }
        // The log-normal surprise has mean 1: the sample mean of realised gains follows
        // the expected gain, so the realised gains shrink on average too.
        let draws = 20_000;
        let mean = |k: u32| -> f64 {
            (0..draws)
                .map(|d| capability_gain(&news, k, normal(7, Purpose::News, k, d, 0)))
                .sum::<f64>()
                / draws as f64
        };
        for k in 0..5 {
            let (now, next) = (mean(k), mean(k + 1));
            assert!((now / expected_capability_gain(&news, k) - 1.0).abs() < 0.02, "release {k}: {now}");
            assert!(next < now, "release {k}: {next} ≥ {now}");
        }
    }
}
