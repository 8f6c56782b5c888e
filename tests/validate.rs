//! `bubblesim validate`: a run measured against a targets file, model against target,
//! exit 1 on a miss and 2 on bad input.

use std::path::{Path, PathBuf};

mod common;
use common::bubblesim;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The baseline over its first two years and a month (the 2025 anchors and 2026's capex).
fn baseline_run(dir: &Path) -> PathBuf {
    let out = dir.join("run");
    let output = bubblesim(
        &[
            "run",
            "--out",
            out.to_str().unwrap(),
            "--years",
            "2.1",
            "--set",
            "retail.count=300",
            "--quiet",
        ],
        dir,
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    out
}

fn targets(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    path
}

fn target(name: &str, low: f64, high: f64, measure: &str) -> String {
    format!("[[target]]\nname = \"{name}\"\ntarget = {low}\nlow = {low}\nhigh = {high}\nsource = \"test\"\n{measure}\n")
}

#[test]
fn validate_prints_model_against_target_and_exits_1_on_a_miss() {
    let dir = tempfile::tempdir().unwrap();
    let run = baseline_run(dir.path());
    let run = run.to_str().unwrap();

    // The shipped anchors: one line per target, "ok" or "MISS", and the exit code says which.
    let output = bubblesim(&["validate", run], dir.path());
    let stdout = text(&output.stdout);
    for name in [
        "chipmaker market cap, 1 October 2025",
        "H100 rent in 2025",
        "regions in or near recession in 2025",
    ] {
        assert!(stdout.contains(name), "{stdout}");
    }
    let missed = stdout.lines().skip(1).filter(|line| line.contains("MISS")).count();
    assert_eq!(
        output.status.code(),
        Some(if missed > 0 { 1 } else { 0 }),
        "{stdout}{}",
        text(&output.stderr)
    );

    // Measurements that must hold exactly: GDP on the first day is the config's; a cap
    // over itself is 1; a change over no time is 0; two columns add.
    let gdp = "measure = { kind = \"at\", table = \"macro\", column = \"gdp_usd_per_year\", date = \"2025-01-01\" }";
    let ratio = "measure = { kind = \"at\", table = \"market\", column = \"market_cap_usd\", where = { kind = \"chipmaker\" }, date = \"2025-06-02\" }\nover = { kind = \"at\", table = \"market\", column = \"market_cap_usd\", where = { kind = \"chipmaker\" }, date = \"2025-06-02\" }";
    let none = "measure = { kind = \"change\", table = \"compute\", column = \"rent_usd_per_h100_hour\", from = \"2025-03-03\", to = \"2025-03-03\" }";
    let met = [
        target("GDP at the start", 3.0499e13, 3.0501e13, gdp),
        target("chipmaker over itself", 0.999_999, 1.000_001, ratio),
        target("no change", -1e-9, 1e-9, none),
    ]
    .concat();
    let file = targets(dir.path(), "met.toml", &met);
    let output = bubblesim(&["validate", run, "--targets", file.to_str().unwrap()], dir.path());
    assert!(output.status.success(), "{}{}", text(&output.stdout), text(&output.stderr));
    assert!(text(&output.stderr).contains("all 3 targets met"));

    // The same GDP with a band it misses: exit 1, the line marked.
    let file = targets(dir.path(), "miss.toml", &target("GDP at the start", 1.0, 2.0, gdp));
    let output = bubblesim(&["validate", run, "--targets", file.to_str().unwrap()], dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stdout).contains("MISS"));
    assert!(text(&output.stderr).contains("1 of 1 targets outside their band"));
}

#[test]
fn bad_input_to_validate_exits_2_naming_the_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let run = baseline_run(dir.path());
    let run = run.to_str().unwrap();
    let missing = dir.path().join("nowhere");
    let output = bubblesim(&["validate", missing.to_str().unwrap()], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("no such run folder"));

    let cases = [
        (
            "kind.toml",
            target(
                "x",
                0.0,
                1.0,
                "measure = { kind = \"median\", table = \"macro\", column = \"gdp_usd_per_year\" }",
            ),
            "median",
        ),
        (
            "date.toml",
            target(
                "x",
                0.0,
                1.0,
                "measure = { kind = \"at\", table = \"macro\", column = \"gdp_usd_per_year\", date = \"2025-02-30x\" }",
            ),
            "target[0] (x): measure",
        ),
        (
            "column.toml",
            target(
                "x",
                0.0,
                1.0,
                "measure = { kind = \"at\", table = \"macro\", column = \"no_such_column\", date = \"2025-02-03\" }",
            ),
            "no_such_column",
        ),
        (
            "table.toml",
            target(
                "x",
                0.0,
                1.0,
                "measure = { kind = \"at\", table = \"nope\", column = \"gdp_usd_per_year\", date = \"2025-02-03\" }",
            ),
            "nope.parquet",
        ),
        ("empty.toml", String::new(), "target"),
    ];
    for (name, body, says) in cases {
        let file = targets(dir.path(), name, &body);
        let output = bubblesim(&["validate", run, "--targets", file.to_str().unwrap()], dir.path());
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(says), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
}
