//! `bubblesim report DIR`: one self-contained HTML page (`DIR/report.html`, inline SVG,
//! no scripts, nothing fetched) that shows a finished run at a glance — its headline
//! figures, the key charts of the story, the cascade's events in the order they first
//! happened, and the resolved configuration.

use std::fmt::Write as _;
use std::path::Path;

use bubblesim_model::prelude::FIGURES;
use bubblesim_model::prelude::iso_date;
use serde_json::Value;

use crate::cli::ReportArgs;
use crate::failure::Failure;
use crate::report::charts::charts;
use crate::report::data::{ReadError, finished_run};
use crate::report::svg::escape;
use crate::validate::{compact, load_targets, outcomes};

impl From<ReadError> for Failure {
    fn from(err: ReadError) -> Self {
        Failure::Input(err.0)
    }
}

pub fn report(args: &ReportArgs) -> Result<(), Failure> {
    let dir = args.dir.as_path();
    let manifest = finished_run(dir)?;
    let config_text = std::fs::read_to_string(dir.join("config.toml"))
        .map_err(|err| Failure::Input(format!("{}: cannot be read ({err})", dir.join("config.toml").display())))?;
    // Only the description is needed: a run written by another version still reports.
    let description = config_text
        .parse::<toml::Table>()
        .ok()
        .and_then(|config| config.get("run")?.get("description")?.as_str().map(str::to_owned))
        .unwrap_or_default();
    let html = page(dir, &manifest, &description, &config_text)?;
    let target = dir.join("report.html");
    let temp = dir.join(".report.html.partial");
    std::fs::write(&temp, html)
        .and_then(|()| std::fs::rename(&temp, &target))
        .map_err(|err| {
            let _ = std::fs::remove_file(&temp);
            Failure::Runtime(anyhow::anyhow!("{}: {err}", target.display()))
        })?;
    if !args.quiet {
        eprintln!("report: {}", target.display());
    }
    Ok(())
}

/// The run against the baseline's 2025 anchors, as `bubblesim validate` prints it (a
/// run that ends before a target's dates shows "—" and a miss).
fn calibration(html: &mut String, dir: &Path) -> Result<(), Failure> {
    let targets = load_targets(None)?;
    html.push_str(
        "<h2>The 2025 calibration anchors</h2><p class=\"sub\">configs/targets/2025.toml, as <code>bubblesim validate</code> measures them: the baseline's anchors (other scenarios share its 2025 run-up)</p><table id=\"calibration\"><tr><th>target</th><th>model</th><th>anchor</th><th>band</th><th>result</th><th>source</th></tr>",
    );
    for outcome in outcomes(&targets, dir)? {
        let t = outcome.target;
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} … {}</td><td>{}</td><td>{}</td></tr>",
            escape(&t.name),
            compact(outcome.model),
            compact(t.target),
            compact(t.low),
            compact(t.high),
            if outcome.met() { "ok" } else { "miss" },
            escape(&t.source)
        );
    }
    html.push_str("</table>\n");
    Ok(())
}

/// Headline figures from the manifest's summary: (label, value), in the order of
/// [`FIGURES`].
fn figures(summary: &Value) -> Vec<(&'static str, String)> {
    FIGURES
        .iter()
        .filter(|figure| figure.headline)
        .map(|figure| (figure.label, figure.display(summary.get(figure.key).and_then(Value::as_f64))))
        .collect()
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:24px auto;max-width:1340px;color:#222;padding:0 16px}h1{margin:0 0 4px}p.sub{color:#555;margin:0 0 18px}h2{margin:28px 0 10px;border-bottom:1px solid #ddd;padding-bottom:4px}.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:10px}.figure{background:#f6f7f9;border-radius:6px;padding:10px 12px}.figure .value{font-size:22px;font-weight:600}.figure .name{font-size:12px;color:#555}.grid{display:flex;flex-wrap:wrap;gap:14px}svg.chart{background:#fff;border:1px solid #e3e3e3;border-radius:6px;max-width:100%;height:auto}svg .title{font-size:13px;font-weight:600;fill:#222}svg .unit,svg .tick,svg .legend{font-size:10px;fill:#555}svg .empty{font-size:12px;fill:#888}table{border-collapse:collapse;font-size:13px}td,th{border-bottom:1px solid #eee;padding:4px 10px;text-align:left;vertical-align:top}pre{background:#f6f7f9;padding:10px;font-size:12px;overflow:auto;max-height:600px}";

fn page(dir: &Path, manifest: &Value, description: &str, config_text: &str) -> Result<String, Failure> {
    let first = manifest["first_date"].as_str().and_then(bubblesim_config::parse_date);
    let last = manifest["last_date"].as_str().and_then(bubblesim_config::parse_date);
    let (Some(first), Some(last)) = (first, last) else {
        return Err(Failure::Input(format!(
            "{}: the manifest has no first_date and last_date",
            dir.join("manifest.json").display()
        )));
    };
    let day = |(y, m, d): (i32, u32, u32)| bubblesim_model::prelude::days_from_civil(y, m, d);
    let (start, end) = (day(first), day(last));
    let (sections, milestones) = charts(dir, start, end)?;
    let scenario = manifest["scenario"].as_str().unwrap_or("run");
    let mut html = String::new();
    let _ = write!(
        html,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>bubblesim: {} (seed {})</title><style>{STYLE}</style></head><body>\n",
        escape(scenario),
        escape(&manifest["seed"].to_string())
    );
    let _ = writeln!(
        html,
        "<h1>bubblesim: {}</h1><p class=\"sub\">{} · seed {} · {} to {} ({} trading days) · bubblesim {}</p>",
        escape(scenario),
        escape(description),
        escape(&manifest["seed"].to_string()),
        iso_date(start),
        iso_date(end),
        escape(&manifest["ticks"].to_string()),
        escape(manifest["bubblesim_version"].as_str().unwrap_or("?"))
    );
    html.push_str("<section class=\"figures\" id=\"figures\">");
    for (name, value) in figures(&manifest["summary"]) {
        let _ = write!(
            html,
            "<div class=\"figure\"><div class=\"value\">{}</div><div class=\"name\">{}</div></div>",
            escape(&value),
            escape(name)
        );
    }
    html.push_str("</section>\n");
    for (heading, charts) in &sections {
        let _ = write!(html, "<h2>{}</h2><div class=\"grid\">", escape(heading));
        for chart in charts {
            html.push_str(&chart.to_svg());
        }
        html.push_str("</div>\n");
    }
    html.push_str(
        "<h2>The cascade, in the order it happened</h2><table id=\"timeline\"><tr><th>first on</th><th>what</th><th>in all</th></tr>",
    );
    if milestones.is_empty() {
        html.push_str("<tr><td colspan=\"3\">no cascade events in this run</td></tr>");
    }
    for (date, what, detail) in &milestones {
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            iso_date(*date),
            escape(what),
            escape(detail)
        );
    }
    html.push_str("</table>\n");
    calibration(&mut html, dir)?;
    let _ = write!(
        html,
        "<h2>Configuration</h2><details id=\"config\"><summary>the run's resolved config.toml (config SHA-256 {})</summary><pre>{}</pre></details>\n</body></html>\n",
        escape(manifest["config_sha256"].as_str().unwrap_or("?")),
        escape(config_text)
    );
    Ok(html)
}
