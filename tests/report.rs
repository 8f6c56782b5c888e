//! `bubblesim report`: a self-contained page with every chart, opened in headless
//! Chromium (Debian's `chromium`, which `.ci/run` installs), and its bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CHARTS: [&str; 12] = [
    "chart-indices",
    "chart-bubble",
    "chart-capex",
    "chart-gpu-rent",
    "chart-impairments",
    "chart-leases",
    "chart-ratings",
    "chart-tranche-losses",
    "chart-cascade",
    "chart-forced-sales",
    "chart-gdp",
    "chart-unemployment",
];

fn bubblesim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bubblesim"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A finished stress run (the cascade happens in it), reported.
fn reported_run(dir: &Path) -> PathBuf {
    let run = dir.join("run");
    let output = bubblesim(&[
        "run",
        "stress-lease-default",
        "--years",
        "6.5",
        "--quiet",
        "--out",
        run.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = bubblesim(&["report", run.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("report.html"));
    run
}

fn chromium() -> &'static str {
    let found = Command::new("sh")
        .args(["-c", "command -v chromium"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "`chromium` is not installed: this test renders the report in headless Chromium (as root: apt-get install -y chromium; .ci/run does this)"
    );
    "chromium"
}

fn headless(args: &[&str], profile: &Path) -> Output {
    Command::new(chromium())
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium runs")
}

#[test]
fn the_report_is_self_contained_and_renders_every_chart_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let run = reported_run(dir.path());
    let html = std::fs::read_to_string(run.join("report.html")).unwrap();
    // Nothing is fetched: no scripts, links, images or any address.
    for forbidden in ["http:", "https:", "<script", "<link", "<img", "<iframe", "url("] {
        assert!(!html.contains(forbidden), "the report contains {forbidden}");
    }
    for chart in CHARTS {
        let start = html.find(&format!("<svg id=\"{chart}\"")).unwrap_or_else(|| panic!("no {chart}"));
        let svg = &html[start..start + html[start..].find("</svg>").unwrap()];
        assert!(svg.contains("<polyline"), "{chart} draws no line");
    }
    // The headline figures, the cascade's timeline and the config are there.
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(run.join("manifest.json")).unwrap()).unwrap();
    let drawdown = manifest["summary"]["ai_index_max_drawdown"].as_f64().unwrap();
    assert!(html.contains(&format!("{:.1}%", drawdown * 100.0)), "the deepest fall is not shown");
    for event in ["lease default", "rating downgrade", "forced sale", "AI index trough"] {
        assert!(html.contains(&format!("<td>{event}</td>")), "the timeline lacks {event}");
    }
    assert!(html.contains("herding_weight"), "the config is not on the page");

    // Chromium parses and lays it out with every chart, and draws a full page.
    let profile = dir.path().join("profile");
    let url = format!("file://{}", run.join("report.html").display());
    let dom = headless(&["--dump-dom", &url], &profile);
    assert!(dom.status.success(), "{}", stderr(&dom));
    let dom = String::from_utf8_lossy(&dom.stdout);
    for chart in CHARTS {
        assert!(dom.contains(&format!("id=\"{chart}\"")), "Chromium's DOM lacks {chart}");
    }
    assert_eq!(dom.matches("<polyline").count(), html.matches("<polyline").count());
    let screenshot = dir.path().join("report.png");
    let shot = headless(
        &["--window-size=1360,2600", &format!("--screenshot={}", screenshot.display()), &url],
        &profile,
    );
    assert!(shot.status.success(), "{}", stderr(&shot));
    let png = std::fs::read(&screenshot).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // A blank page compresses to a few kilobytes; twelve charts do not.
    assert!(png.len() > 60_000, "the screenshot is {} bytes: is the page blank?", png.len());
}

#[test]
fn report_refuses_what_is_not_a_finished_run() {
    let dir = tempfile::tempdir().unwrap();
    let missing = bubblesim(&["report", dir.path().join("nosuch").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("no such run folder"));

    let empty = bubblesim(&["report", dir.path().to_str().unwrap()]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(stderr(&empty).contains("manifest.json"), "{}", stderr(&empty));

    let run = dir.path().join("run");
    let output = bubblesim(&["run", "--years", "0.2", "--quiet", "--out", run.to_str().unwrap()]);
    assert!(output.status.success());
    let manifest = run.join("manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace("\"complete\"", "\"interrupted\"")).unwrap();
    let unfinished = bubblesim(&["report", run.to_str().unwrap()]);
    assert_eq!(unfinished.status.code(), Some(2));
    assert!(stderr(&unfinished).contains("not complete"), "{}", stderr(&unfinished));
    std::fs::write(&manifest, text).unwrap();

    std::fs::remove_file(run.join("leases.parquet")).unwrap();
    let lacking = bubblesim(&["report", run.to_str().unwrap()]);
    assert_eq!(lacking.status.code(), Some(2));
    assert!(stderr(&lacking).contains("leases.parquet"), "{}", stderr(&lacking));
    assert!(!run.join("report.html").exists(), "nothing half-written is left");

    std::fs::write(dir.path().join("sweep.json"), "{}").unwrap();
    let sweep = bubblesim(&["report", dir.path().to_str().unwrap()]);
    assert_eq!(sweep.status.code(), Some(2));
    assert!(stderr(&sweep).contains("sweep folder"), "{}", stderr(&sweep));
}
