//! What a run did, for the end-of-run summary: the headline figures, read from the
//! world's resources when the run ends (or at a checkpoint).

use crate::ai_industry::circular::CircularDeal;
use crate::common::events::Totals;

/// What the run did, for the end-of-run summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub ticks: u32,
    pub first_date: i32,
    pub last_date: i32,
    pub ai_index_level: f64,
    /// Deepest peak-to-trough fall of the AI index, 0 … 1.
    pub ai_index_max_drawdown: f64,
    pub totals: Totals,
    /// The bubble index on the first day, its lowest, its highest and its last reading.
    pub bubble_first: u8,
    pub bubble_lowest: u8,
    pub bubble_highest: u8,
    pub bubble_last: u8,
    /// The circular deal (all zero without one).
    pub circular: CircularDeal,
    pub economy: EconomySummary,
}

/// The real economy and the accounts over the run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EconomySummary {
    pub first_ai_share_of_gdp: f64,
    pub first_unemployment_rate: f64,
    pub peak_unemployment_rate: f64,
    /// NaN for runs shorter than a year.
    pub lowest_gdp_growth_yoy: f64,
    pub most_regions_in_recession: u32,
    pub regions: u32,
    /// The largest |sum of all money| at the end of any tick (zero but for rounding).
    pub largest_money_residual_usd: f64,
}
