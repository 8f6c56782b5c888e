//! What a run did: the [`Summary`] read from the world's resources when the run ends (or
//! at a checkpoint), and [`FIGURES`], the one table of its headline figures — each
//! figure's key, unit, meaning, label and value. The manifest's `summary`, a sweep's
//! `summary.parquet` and the report's figures all come from this table.

use crate::ai_industry::circular::CircularDeal;
use crate::common::events::Totals;

/// What the run did, for the end-of-run summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Ticks simulated.
    pub ticks: u32,
    /// The first trading day, days since 1970-01-01.
    pub first_date: i32,
    /// The last (current) trading day.
    pub last_date: i32,
    /// The AI index level now.
    pub ai_index_level: f64,
    /// Deepest peak-to-trough fall of the AI index, 0 … 1.
    pub ai_index_max_drawdown: f64,
    /// Counts and sums of events over the run.
    pub totals: Totals,
    /// The bubble index on the first day.
    pub bubble_first: u8,
    /// Its lowest reading.
    pub bubble_lowest: u8,
    /// Its highest reading.
    pub bubble_highest: u8,
    /// Its last reading.
    pub bubble_last: u8,
    /// The circular deal (all zero without one).
    pub circular: CircularDeal,
    /// The real economy and the accounts.
    pub economy: EconomySummary,
}

/// The real economy and the accounts over the run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EconomySummary {
    /// AI investment's share of GDP at the start.
    pub first_ai_share_of_gdp: f64,
    /// The unemployment rate at the start.
    pub first_unemployment_rate: f64,
    /// The highest unemployment rate.
    pub peak_unemployment_rate: f64,
    /// The weakest year-on-year GDP growth; NaN for runs shorter than a year.
    pub lowest_gdp_growth_yoy: f64,
    /// The most regions in recession at once.
    pub most_regions_in_recession: u32,
    /// Regions in the economy.
    pub regions: u32,
    /// The largest |sum of all money| at the end of any tick (zero but for rounding).
    pub largest_money_residual_usd: f64,
}

/// One headline figure of a run.
pub struct Figure {
    /// Its key in the manifest's `summary` and its column in `summary.parquet`.
    pub key: &'static str,
    /// Its unit: `count` figures are whole numbers, `fraction` ones shares of one.
    pub unit: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// A short label for the report.
    pub label: &'static str,
    /// Whether the report shows it among the run's headline figures.
    pub headline: bool,
    /// Its value (none when undefined, such as a year-on-year figure in a shorter run).
    pub value: fn(&Summary) -> Option<f64>,
}

impl Figure {
    /// Its value as the report shows it: fractions as percentages, counts and scores
    /// whole, dollars in billions (below a million, to the cent), other figures to a
    /// decimal place; `–` when undefined.
    pub fn display(&self, value: Option<f64>) -> String {
        let Some(value) = value else { return "–".to_owned() };
        match self.unit {
            "fraction" => format!("{:.1}%", value * 100.0),
            "count" | "score 0–8" => format!("{value:.0}"),
            "USD" if value.abs() < 1e6 => format!("${value:.2}"),
            "USD" => format!("${:.1}B", value / 1e9),
            _ => format!("{value:.1}"),
        }
    }
}

/// A figure built in one line.
const fn figure(
    key: &'static str,
    unit: &'static str,
    meaning: &'static str,
    label: &'static str,
    headline: bool,
    value: fn(&Summary) -> Option<f64>,
) -> Figure {
    Figure {
        key,
        unit,
        meaning,
        label,
        headline,
        value,
    }
}

/// Every headline figure, the headline outcomes first.
pub const FIGURES: &[Figure] = &[
    figure(
        "ai_index_max_drawdown",
        "fraction",
        "deepest peak-to-trough fall of the AI equity index",
        "AI index, deepest fall",
        true,
        |s| Some(s.ai_index_max_drawdown),
    ),
    figure(
        "lease_defaults",
        "count",
        "data-centre leases whose tenant defaulted",
        "lease defaults",
        true,
        |s| Some(f64::from(s.totals.lease_defaults)),
    ),
    figure(
        "downgrades",
        "count",
        "rating downgrades of lease-backed bonds and tranches",
        "rating downgrades",
        true,
        |s| Some(f64::from(s.totals.downgrades)),
    ),
    figure(
        "bubble_index_highest",
        "score 0–8",
        "highest Goldfarb–Kirsch bubble index reading",
        "bubble index, highest",
        true,
        |s| Some(f64::from(s.bubble_highest)),
    ),
    figure(
        "unemployment_rate_peak",
        "fraction",
        "highest unemployment rate",
        "unemployment peak",
        true,
        |s| Some(s.economy.peak_unemployment_rate),
    ),
    figure(
        "gdp_growth_yoy_lowest",
        "fraction",
        "weakest year-on-year real GDP growth (null under a year)",
        "weakest GDP growth, year on year",
        true,
        |s| (!s.economy.lowest_gdp_growth_yoy.is_nan()).then_some(s.economy.lowest_gdp_growth_yoy),
    ),
    figure(
        "most_regions_in_recession",
        "count",
        "most regions in recession at once",
        "most regions in recession at once",
        true,
        |s| Some(f64::from(s.economy.most_regions_in_recession)),
    ),
    figure(
        "tranche_losses_usd",
        "USD",
        "principal of securities and tranches written off",
        "principal written off",
        true,
        |s| Some(s.totals.tranche_losses_usd),
    ),
    figure(
        "margin_calls",
        "count",
        "margin calls on leveraged funds",
        "margin calls",
        true,
        |s| Some(f64::from(s.totals.margin_calls)),
    ),
    figure(
        "forced_sales_usd",
        "USD",
        "assets sold under a rating limit, redemptions or a margin call",
        "forced sales",
        true,
        |s| Some(s.totals.forced_sales_usd),
    ),
    figure(
        "lease_rent_cuts",
        "count",
        "leases renegotiated to a lower rent",
        "lease rent cuts",
        false,
        |s| Some(f64::from(s.totals.lease_rent_cuts)),
    ),
    figure(
        "lease_breaks",
        "count",
        "leases ended at a break option",
        "lease breaks",
        false,
        |s| Some(f64::from(s.totals.lease_breaks)),
    ),
    figure("impairments_usd", "USD", "GPU impairments", "GPU impairments", true, |s| {
        Some(s.totals.impairments_usd)
    }),
    figure(
        "retirement_writeoffs_usd",
        "USD",
        "book value written off when GPUs retired",
        "GPU write-offs at retirement",
        false,
        |s| Some(s.totals.retirements_usd),
    ),
    figure(
        "securities_issued",
        "count",
        "lease-backed bonds and tranches issued",
        "securities issued",
        false,
        |s| Some(f64::from(s.totals.securities_issued)),
    ),
    figure(
        "guarantees_called",
        "count",
        "residual value guarantees called",
        "guarantees called",
        false,
        |s| Some(f64::from(s.totals.guarantees_called)),
    ),
    figure(
        "funding_rounds",
        "count",
        "AI labs' funding rounds",
        "lab funding rounds",
        false,
        |s| Some(f64::from(s.totals.funding_rounds)),
    ),
    figure("lab_failures", "count", "AI labs that failed", "lab failures", true, |s| {
        Some(f64::from(s.totals.lab_failures))
    }),
    figure(
        "generations_released",
        "count",
        "GPU generations released",
        "GPU generations released",
        false,
        |s| Some(f64::from(s.totals.generations_released)),
    ),
    figure(
        "ai_index_final",
        "index",
        "AI equity index level at the end",
        "AI index at the end",
        false,
        |s| Some(s.ai_index_level),
    ),
    figure(
        "bubble_index_first",
        "score 0–8",
        "bubble index on the first day",
        "bubble index, first day",
        true,
        |s| Some(f64::from(s.bubble_first)),
    ),
    figure(
        "bubble_index_lowest",
        "score 0–8",
        "lowest bubble index reading",
        "bubble index, lowest",
        false,
        |s| Some(f64::from(s.bubble_lowest)),
    ),
    figure(
        "bubble_index_last",
        "score 0–8",
        "bubble index on the last day",
        "bubble index, last day",
        true,
        |s| Some(f64::from(s.bubble_last)),
    ),
    figure(
        "circular_chip_investment_usd",
        "USD",
        "chipmaker → lab equity in the circular deal",
        "loop: chipmaker → lab equity",
        false,
        |s| Some(s.circular.invested_usd),
    ),
    figure(
        "circular_take_or_pay_usd",
        "USD",
        "lab → cloud take-or-pay payments in the circular deal",
        "loop: lab → cloud take-or-pay",
        false,
        |s| Some(s.circular.paid_usd),
    ),
    figure(
        "circular_capacity_rent_usd",
        "USD",
        "the take-or-pay capacity's market rent",
        "loop: capacity's market rent",
        false,
        |s| Some(s.circular.credited_usd),
    ),
    figure(
        "circular_gpu_purchases_usd",
        "USD",
        "cloud → chipmaker GPU purchases in the circular deal",
        "loop: cloud → chipmaker GPUs",
        false,
        |s| Some(s.circular.gpus_bought_usd),
    ),
    figure(
        "ai_share_of_gdp_first",
        "fraction",
        "AI investment's share of GDP at the start",
        "AI investment's share of GDP at the start",
        false,
        |s| Some(s.economy.first_ai_share_of_gdp),
    ),
    figure(
        "money_residual_largest_usd",
        "USD",
        "largest stock–flow money residual (0 up to rounding)",
        "money residual, largest",
        true,
        |s| Some(s.economy.largest_money_residual_usd),
    ),
];

impl Summary {
    /// Every figure's value, by key (undefined figures left out): the manifest's `summary`.
    pub fn figures(&self) -> std::collections::BTreeMap<String, f64> {
        FIGURES
            .iter()
            .filter_map(|figure| (figure.value)(self).map(|value| (figure.key.to_owned(), value)))
            .collect()
    }
}
