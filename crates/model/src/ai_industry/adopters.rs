//! Enterprise adopters as data (docs/model.md#enterprise-adoption): each adopter's
//! state and the counts the narrative, the bubble index and demand read. The monthly
//! decisions are in `ai_industry::adoption`.

use bevy_ecs::prelude::*;

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
