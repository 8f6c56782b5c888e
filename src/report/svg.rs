//! Static line charts as inline SVG, for the run report: dated series on one y axis,
//! years on the x axis, "nice" y ticks, a legend. No scripts, fonts or files: the page
//! that holds them is readable offline and in any browser.

use std::fmt::Write as _;

use bubblesim_model::prelude::{civil_from_days, days_from_civil};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 262.0;
const LEFT: f64 = 62.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 46.0;
const BOTTOM: f64 = 26.0;
/// Points drawn per series at most; longer series keep every k-th point and the last.
const MAX_POINTS: usize = 1600;
const COLOURS: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
];

/// One line: a name for the legend and (date as days since 1970-01-01, value) points.
pub struct Series {
    pub name: String,
    pub points: Vec<(i32, f64)>,
}

impl Series {
    pub fn new(name: impl Into<String>, points: Vec<(i32, f64)>) -> Self {
        Self { name: name.into(), points }
    }
}

/// A chart: an element id, a title, the y axis's unit, its series.
pub struct Chart {
    pub id: &'static str,
    pub title: String,
    pub unit: String,
    pub series: Vec<Series>,
    /// Start the y axis at zero (counts, money) rather than at the data's low.
    pub from_zero: bool,
    /// The dates the x axis spans (the run's first and last day), so that charts of
    /// tables recorded at different cadences line up; `None`: the data's own span.
    pub span: Option<(i32, i32)>,
}

/// Escapes text for XML and HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Tick values from `low` to `high` at a 1, 2 or 5 × 10^k step, about five of them.
fn nice_ticks(low: f64, high: f64) -> Vec<f64> {
    let span = (high - low).max(f64::EPSILON);
    let raw = span / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let first = (low / step).ceil() as i64;
    let last = (high / step).floor() as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

/// Where to mark the x axis: every January (every k-th over long runs), or every quarter
/// for a span under two years.
fn date_ticks(first_day: i32, last_day: i32) -> Vec<(i32, String)> {
    let (first_year, first_month, _) = civil_from_days(first_day);
    let (last_year, _, _) = civil_from_days(last_day);
    if last_day - first_day >= 2 * 365 {
        let every = ((last_year - first_year) / 10 + 1).max(1);
        return (first_year + 1..=last_year)
            .filter(|year| (year - first_year - 1) % every == 0)
            .map(|year| (days_from_civil(year, 1, 1), year.to_string()))
            .collect();
    }
    let mut ticks = Vec::new();
    let (mut year, mut month) = (first_year, (first_month - 1) / 3 * 3 + 1);
    loop {
        let day = days_from_civil(year, month, 1);
        if day > last_day {
            return ticks;
        }
        if day > first_day {
            ticks.push((day, format!("{year}-{month:02}")));
        }
        (year, month) = if month >= 10 { (year + 1, 1) } else { (year, month + 3) };
    }
}

/// A tick label: short, with k/M/B/T for large magnitudes (also the validate table's numbers).
pub fn label(value: f64) -> String {
    let magnitude = value.abs();
    let (scaled, suffix) = match magnitude {
        m if m >= 1e12 => (value / 1e12, "T"),
        m if m >= 1e9 => (value / 1e9, "B"),
        m if m >= 1e6 => (value / 1e6, "M"),
        m if m >= 1e4 => (value / 1e3, "k"),
        _ => (value, ""),
    };
    let text = format!("{scaled:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{}{suffix}", if text == "-0" { "0" } else { text })
}

impl Chart {
    /// The chart as an `<svg>` element (with the chart's id), ready to inline in HTML.
    pub fn to_svg(&self) -> String {
        let mut svg = String::new();
        let _ = write!(
            svg,
            r#"<svg id="{}" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{}">"#,
            self.id,
            escape(&self.title)
        );
        let _ = write!(svg, r#"<text x="{LEFT}" y="14" class="title">{}</text>"#, escape(&self.title));
        let _ = write!(svg, r#"<text x="{LEFT}" y="27" class="unit">{}</text>"#, escape(&self.unit));
        let points: Vec<&(i32, f64)> = self.series.iter().flat_map(|s| &s.points).filter(|(_, v)| v.is_finite()).collect();
        let (plot_w, plot_h) = (WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
        let _ = write!(
            svg,
            r##"<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#bbb"/>"##
        );
        if points.is_empty() {
            let _ = write!(
                svg,
                r#"<text x="{}" y="{}" class="empty" text-anchor="middle">nothing to show in this run</text></svg>"#,
                LEFT + plot_w / 2.0,
                TOP + plot_h / 2.0
            );
            return svg;
        }
        let (first_day, last_day) = self.span.unwrap_or_else(|| {
            points
                .iter()
                .fold((i32::MAX, i32::MIN), |(lo, hi), (d, _)| (lo.min(*d), hi.max(*d)))
        });
        let (mut low, mut high) = points
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (_, v)| (lo.min(*v), hi.max(*v)));
        if self.from_zero {
            low = low.min(0.0);
            high = high.max(0.0);
        }
        if high - low < 1e-12 * high.abs().max(1.0) {
            // A flat series: a unit band around it (from zero for counts and money).
            (low, high) = if self.from_zero && low >= 0.0 {
                (0.0, high.max(0.0) + 1.0)
            } else {
                (low - 1.0, high + 1.0)
            };
        }
        let pad = (high - low) * 0.05;
        let (low, high) = (if self.from_zero && low >= 0.0 { 0.0 } else { low - pad }, high + pad);
        let span_days = f64::from((last_day - first_day).max(1));
        let x = |day: i32| LEFT + f64::from(day - first_day) / span_days * plot_w;
        let y = |value: f64| TOP + (high - value) / (high - low) * plot_h;
        // Y grid and labels.
        for tick in nice_ticks(low, high) {
            let ty = y(tick);
            let _ = write!(
                svg,
                r##"<line x1="{LEFT}" x2="{}" y1="{ty:.1}" y2="{ty:.1}" stroke="#eee"/><text x="{}" y="{:.1}" class="tick" text-anchor="end">{}</text>"##,
                LEFT + plot_w,
                LEFT - 6.0,
                ty + 3.5,
                label(tick)
            );
        }
        // Dates along the bottom: years, or quarters for a run of under two years.
        for (day, text) in date_ticks(first_day, last_day) {
            let tx = x(day);
            let _ = write!(
                svg,
                r##"<line x1="{tx:.1}" x2="{tx:.1}" y1="{TOP}" y2="{}" stroke="#eee"/><text x="{tx:.1}" y="{}" class="tick" text-anchor="middle">{text}</text>"##,
                TOP + plot_h,
                HEIGHT - 8.0
            );
        }
        // The lines, then the legend.
        let mut legend_x = LEFT;
        for (index, series) in self.series.iter().enumerate() {
            let colour = COLOURS[index % COLOURS.len()];
            let finite: Vec<&(i32, f64)> = series.points.iter().filter(|(_, v)| v.is_finite()).collect();
            let every = finite.len().div_ceil(MAX_POINTS).max(1);
            let path: Vec<String> = finite
                .iter()
                .enumerate()
                .filter(|(i, _)| i % every == 0 || *i + 1 == finite.len())
                .map(|(_, (day, value))| format!("{:.1},{:.1}", x(*day), y(*value)))
                .collect();
            match path.as_slice() {
                [] => {}
                // One reading: a dot, since a line of one point is invisible.
                [point] => {
                    let (cx, cy) = point.split_once(',').unwrap_or(("0", "0"));
                    let _ = write!(svg, r#"<circle cx="{cx}" cy="{cy}" r="2.5" fill="{colour}"/>"#);
                }
                _ => {
                    let _ = write!(
                        svg,
                        r#"<polyline fill="none" stroke="{colour}" stroke-width="1.4" points="{}"/>"#,
                        path.join(" ")
                    );
                }
            }
            let _ = write!(
                svg,
                r#"<rect x="{legend_x:.1}" y="35" width="9" height="3" fill="{colour}"/><text x="{:.1}" y="40" class="legend">{}</text>"#,
                legend_x + 12.0,
                escape(&series.name)
            );
            legend_x += 22.0 + 5.6 * series.name.chars().count() as f64;
        }
        svg.push_str("</svg>");
        svg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_inside_the_range() {
        assert_eq!(nice_ticks(0.0, 10.0), [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        let ticks = nice_ticks(0.013, 0.087);
        assert!(ticks.iter().all(|t| (0.013..=0.087).contains(t)) && ticks.len() >= 3, "{ticks:?}");
        assert_eq!(label(2.5e9), "2.5B");
        assert_eq!(label(0.0), "0");
        assert_eq!(label(-1.0e12), "-1T");
    }

    #[test]
    fn a_chart_draws_each_series_and_escapes_text() {
        let chart = Chart {
            id: "chart-test",
            title: "A & B".to_owned(),
            unit: "USD".to_owned(),
            series: vec![
                Series::new("a", vec![(20000, 1.0), (20400, 3.0)]),
                Series::new("b<", vec![(20000, 2.0), (20800, f64::NAN), (21000, 2.5)]),
            ],
            from_zero: true,
            span: None,
        };
        let svg = chart.to_svg();
        assert!(svg.starts_with(r#"<svg id="chart-test""#) && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains("A &amp; B") && svg.contains("b&lt;"));
        assert!(!svg.contains("NaN"));
        let one = Chart {
            series: vec![Series::new("a", vec![(20000, 0.0)])],
            span: Some((19800, 20100)),
            ..chart
        };
        let svg = one.to_svg();
        assert!(svg.contains("<circle") && !svg.contains("<polyline"), "one reading is a dot");
        assert!(svg.contains(">0<") && !svg.contains(">-1<"), "a flat zero count is drawn from 0 up");
        assert!(svg.contains(">2024-04<"), "a short span is marked by quarter: {svg}");
        let empty = Chart { series: vec![], ..one }.to_svg();
        assert!(empty.contains("nothing to show"));
    }
}
