//! The report's charts and the cascade's timeline, from a run's Parquet tables.

use std::collections::BTreeMap;
use std::path::Path;

use crate::failure::Failure;
use crate::report::data::Table;
use crate::report::svg::{Chart, Series};

/// A dated value: days since 1970-01-01, value.
type Point = (i32, f64);
/// A heading and its charts.
pub type Section = (&'static str, Vec<Chart>);
/// When something first happened, what, and how much of it in all.
pub type Milestone = (i32, String, String);

/// Event kinds of the cascade, for the timeline: the kind, what it is, and what its
/// amounts add up to (`None` where a sum means nothing: a rent, a price, the principal
/// outstanding at each of several downgrades).
const CASCADE: [(&str, &str, Option<&str>); 15] = [
    ("shock", "an imposed shock starts", None),
    ("tenant_stress", "a tenant's stress reaches the threshold", None),
    ("lease_rent_cut", "a landlord cuts a rent", None),
    ("lease_break", "a tenant leaves at a break", None),
    ("lease_default", "a tenant defaults on a lease", None),
    (
        "guarantee_called",
        "a residual value guarantee is called",
        Some("paid under guarantees"),
    ),
    ("spv_default", "an SPV defaults on its bonds", None),
    ("rating_downgrade", "a bond or tranche is downgraded", None),
    ("tranche_loss", "a security's principal is written down", Some("written off")),
    (
        "fire_sale_markdown",
        "forced sales mark a security down",
        Some("of value lost to markdowns"),
    ),
    ("margin_call", "a hedge fund gets a margin call", Some("of assets to shed")),
    ("forced_sale", "an institution sells under constraint", Some("sold")),
    ("fund_failure", "a fund is liquidated", Some("lost by its lenders")),
    ("lab_failure", "an AI lab runs out of cash", Some("of cash shortfall")),
    (
        "contract_unwound",
        "a take-or-pay contract is unwound",
        Some("of contract left unpaid"),
    ),
];

/// Series in a fixed order (so colours mean the same in every report), then any others.
fn ordered(mut by_label: BTreeMap<String, Vec<(i32, f64)>>, order: &[&str]) -> Vec<Series> {
    let mut series: Vec<Series> = order
        .iter()
        .filter_map(|label| by_label.remove(*label).map(|points| Series::new(*label, points)))
        .collect();
    series.extend(by_label.into_iter().map(|(label, points)| Series::new(label, points)));
    series
}

/// Sums `values` by label and date; every label gets a point (0 if none) at every date.
fn by_label(dates: &[i32], labels: &[String], values: impl Iterator<Item = f64>) -> BTreeMap<String, Vec<(i32, f64)>> {
    let mut totals: BTreeMap<&str, BTreeMap<i32, f64>> = BTreeMap::new();
    let mut all_dates = std::collections::BTreeSet::new();
    for ((date, label), value) in dates.iter().zip(labels).zip(values) {
        *totals.entry(label).or_default().entry(*date).or_default() += value;
        all_dates.insert(*date);
    }
    totals
        .into_iter()
        .map(|(label, by_date)| {
            let points = all_dates.iter().map(|d| (*d, by_date.get(d).copied().unwrap_or(0.0))).collect();
            (label.to_owned(), points)
        })
        .collect()
}

/// A running total of `values` over time, from 0 at `start` to its level at `end`,
/// stepping up on each date.
fn cumulative(dates: &[i32], values: &[f64], start: i32, end: i32) -> Vec<(i32, f64)> {
    let mut total = 0.0;
    let mut points = vec![(start, 0.0)];
    for (date, value) in dates.iter().zip(values) {
        points.push((*date, total));
        total += value;
        points.push((*date, total));
    }
    points.push((end, total));
    points
}

/// The page's charts, in the story's order, each over the run's whole span.
pub fn charts(dir: &Path, start: i32, end: i32) -> Result<(Vec<Section>, Vec<Milestone>), Failure> {
    let chart = |id: &'static str, title: &str, unit: &str, series: Vec<Series>, from_zero: bool| Chart {
        id,
        title: title.to_owned(),
        unit: unit.to_owned(),
        series,
        from_zero,
        span: Some((start, end)),
    };
    let market = Table::read(dir, "market", &["date", "kind", "name", "price_usd"])?;
    let (dates, names, prices) = (market.dates("date")?, market.labels("name")?, market.f64("price_usd")?);
    let index = |wanted: &str| -> Vec<(i32, f64)> {
        let points: Vec<(i32, f64)> = dates
            .iter()
            .zip(&names)
            .zip(&prices)
            .filter(|((_, n), _)| *n == wanted)
            .map(|((d, _), p)| (*d, *p))
            .collect();
        let base = points.first().map_or(1.0, |(_, p)| *p);
        points.into_iter().map(|(d, p)| (d, 100.0 * p / base)).collect()
    };
    let ai_index = index("ai-index");
    let mut milestones = Vec::new();
    if let Some((peak, trough)) = deepest_fall(&ai_index) {
        milestones.push((peak.0, "AI index peak".to_owned(), format!("{:.0} (start = 100)", peak.1)));
        milestones.push((
            trough.0,
            "AI index trough".to_owned(),
            format!("{:.0}, {:.0}% below the peak", trough.1, 100.0 * (1.0 - trough.1 / peak.1)),
        ));
    }
    let markets = chart(
        "chart-indices",
        "AI index and the old economy",
        "index, first day = 100",
        vec![
            Series::new("AI index", ai_index),
            Series::new("old-economy index", index("old-economy-index")),
        ],
        false,
    );

    let bubble = Table::read(
        dir,
        "bubble",
        &[
            "date",
            "total",
            "uncertainty",
            "pure_plays",
            "novice_investors",
            "narrative",
            "ai_capex_usd_per_year",
            "ai_revenue_usd_per_year",
        ],
    )?;
    let bubble_dates = bubble.dates("date")?;
    let dated = |values: Vec<f64>| -> Vec<(i32, f64)> { bubble_dates.iter().copied().zip(values).collect() };
    let mut factors = vec![Series::new("total", dated(bubble.count("total")?))];
    for factor in ["uncertainty", "pure_plays", "novice_investors", "narrative"] {
        factors.push(Series::new(factor.replace('_', " "), dated(bubble.count(factor)?)));
    }
    let bubble_chart = chart(
        "chart-bubble",
        "Goldfarb–Kirsch bubble index and its four factors",
        "score: total 0–8, each factor 0–2",
        factors,
        true,
    );
    let billions = |values: Vec<f64>| dated(values.into_iter().map(|v| v / 1e9).collect());
    let capex = chart(
        "chart-capex",
        "AI capex against AI revenue",
        "USD billion per year",
        vec![
            Series::new("AI capex", billions(bubble.f64("ai_capex_usd_per_year")?)),
            Series::new("AI revenue", billions(bubble.f64("ai_revenue_usd_per_year")?)),
        ],
        true,
    );

    let compute = Table::read(dir, "compute", &["date", "rent_usd_per_h100_hour"])?;
    let rent = chart(
        "chart-gpu-rent",
        "GPU rent",
        "USD per H100-equivalent hour",
        vec![Series::new(
            "rent",
            compute
                .dates("date")?
                .into_iter()
                .zip(compute.f64("rent_usd_per_h100_hour")?)
                .collect(),
        )],
        true,
    );

    let events = Table::read(dir, "events", &["date", "kind", "amount_usd"])?;
    let (event_dates, kinds, amounts) = (events.dates("date")?, events.labels("kind")?, events.f64("amount_usd")?);
    let of_kind = |kind: &str| -> (Vec<i32>, Vec<f64>) {
        event_dates
            .iter()
            .zip(&kinds)
            .zip(&amounts)
            .filter(|((_, k), _)| *k == kind)
            .map(|((d, _), a)| (*d, if a.is_finite() { *a } else { 0.0 }))
            .unzip()
    };
    let (impairment_dates, impairment_amounts) = of_kind("impairment");
    let impairments = chart(
        "chart-impairments",
        "GPU impairments, cumulative",
        "USD billion",
        vec![Series::new(
            "impairments",
            cumulative(&impairment_dates, &impairment_amounts, start, end)
                .into_iter()
                .map(|(d, v)| (d, v / 1e9))
                .collect(),
        )],
        true,
    );
    // Forced sales are one event per seller, asset and day, thousands of them: they get
    // a chart of their own, in dollars.
    let cascade_kinds = ["lease_default", "rating_downgrade", "tranche_loss", "margin_call", "fund_failure"];
    let cascade = chart(
        "chart-cascade",
        "The cascade: events so far",
        "count, cumulative",
        cascade_kinds
            .iter()
            .map(|kind| {
                let (dates, _) = of_kind(kind);
                Series::new(kind.replace('_', " "), cumulative(&dates, &vec![1.0; dates.len()], start, end))
            })
            .collect(),
        true,
    );
    let (sale_dates, sale_amounts) = of_kind("forced_sale");
    let (call_dates, call_amounts) = of_kind("margin_call");
    let to_billions = |points: Vec<(i32, f64)>| points.into_iter().map(|(d, v)| (d, v / 1e9)).collect();
    let forced = chart(
        "chart-forced-sales",
        "Forced sales and margin calls",
        "USD billion, cumulative",
        vec![
            Series::new("forced sales", to_billions(cumulative(&sale_dates, &sale_amounts, start, end))),
            Series::new(
                "assets margin calls required shed",
                to_billions(cumulative(&call_dates, &call_amounts, start, end)),
            ),
        ],
        true,
    );
    for (kind, meaning, sum) in CASCADE {
        let (dates, amounts) = of_kind(kind);
        if let Some(first) = dates.first() {
            let total: f64 = amounts.iter().sum();
            let amount = match sum {
                Some(what) if total > 0.0 => format!("; ${:.2}B {what}", total / 1e9),
                _ => String::new(),
            };
            milestones.push((*first, kind.replace('_', " "), format!("{meaning} — {} times{amount}", dates.len())));
        }
    }
    milestones.sort_by_key(|(date, _, _)| *date);

    let leases = Table::read(dir, "leases", &["date", "status"])?;
    let lease_dates = leases.dates("date")?;
    let by_status = by_label(&lease_dates, &leases.labels("status")?, std::iter::repeat(1.0));
    let lease_chart = chart(
        "chart-leases",
        "Leases by status",
        "count",
        ordered(by_status, &["active", "broken", "defaulted", "expired"]),
        true,
    );

    let securities = Table::read(
        dir,
        "securities",
        &["date", "status", "rating", "principal_usd", "realised_loss_usd"],
    )?;
    let security_dates = securities.dates("date")?;
    // A security stays in the table after it is repaid or written off, with its last
    // rating: only the principal still outstanding counts.
    let grades: Vec<String> = securities
        .labels("rating")?
        .into_iter()
        .map(|rating| {
            match rating.as_str() {
                "AAA" | "AA" | "A" | "BBB" => "investment grade (AAA–BBB)",
                "BB" | "B" => "high yield (BB–B)",
                "CCC/C" | "D" => "distressed (CCC/C)",
                _ => "unrated",
            }
            .to_owned()
        })
        .collect();
    let live: Vec<f64> = securities
        .labels("status")?
        .iter()
        .zip(securities.f64("principal_usd")?)
        .map(|(status, principal)| {
            if matches!(status.as_str(), "performing" | "impaired") {
                principal / 1e9
            } else {
                0.0
            }
        })
        .collect();
    let ratings = chart(
        "chart-ratings",
        "Bonds and tranches outstanding, by rating",
        "USD billion of principal",
        ordered(
            by_label(&security_dates, &grades, live.into_iter()),
            &["investment grade (AAA–BBB)", "high yield (BB–B)", "distressed (CCC/C)", "unrated"],
        ),
        true,
    );
    let all = vec!["all".to_owned(); security_dates.len()];
    let losses = chart(
        "chart-tranche-losses",
        "Principal written off, bonds and tranches",
        "USD billion, cumulative",
        by_label(
            &security_dates,
            &all,
            securities.f64("realised_loss_usd")?.into_iter().map(|v| v / 1e9),
        )
        .into_values()
        .map(|points| Series::new("written off", points))
        .collect(),
        true,
    );

    let economy = Table::read(dir, "macro", &["date", "gdp_growth_yoy", "unemployment_rate", "ai_share_of_gdp"])?;
    let macro_dates = economy.dates("date")?;
    let percent =
        |values: Vec<f64>| -> Vec<(i32, f64)> { macro_dates.iter().copied().zip(values.into_iter().map(|v| v * 100.0)).collect() };
    let gdp = chart(
        "chart-gdp",
        "GDP growth and AI investment",
        "% (growth: over twelve months earlier, from the second year)",
        vec![
            Series::new("GDP growth, year on year", percent(economy.f64("gdp_growth_yoy")?)),
            Series::new("AI investment, share of GDP", percent(economy.f64("ai_share_of_gdp")?)),
        ],
        true,
    );
    let unemployment = chart(
        "chart-unemployment",
        "Unemployment",
        "% of the labour force",
        vec![Series::new("unemployment", percent(economy.f64("unemployment_rate")?))],
        false,
    );
    Ok((
        vec![
            ("Markets and the bubble", vec![markets, bubble_chart, capex]),
            ("Compute and its collateral", vec![rent, impairments, lease_chart]),
            ("Credit and the cascade", vec![ratings, losses, cascade, forced]),
            ("The real economy", vec![gdp, unemployment]),
        ],
        milestones,
    ))
}

/// The (peak, trough) around the deepest fall of a series.
fn deepest_fall(points: &[Point]) -> Option<(Point, Point)> {
    let mut peak = *points.first()?;
    let mut best: Option<(Point, Point, f64)> = None;
    for &point in points {
        if point.1 > peak.1 {
            peak = point;
        }
        let fall = 1.0 - point.1 / peak.1;
        if best.is_none_or(|(_, _, deepest)| fall > deepest) {
            best = Some((peak, point, fall));
        }
    }
    best.filter(|(_, _, fall)| *fall > 0.0).map(|(peak, trough, _)| (peak, trough))
}
