//! The scale scenario (`configs/scale/scale.toml`) at a reduced horizon: it builds a
//! million retail investors, ~100,000 GPU cohorts and ~10,000 buildings, runs, conserves
//! money, and records them all. Its full ten-year figures are in `benches/README.md`.

use std::path::Path;
use std::process::Command;

#[test]
fn the_scale_scenario_runs_at_a_reduced_horizon() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scale");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("configs/scale/scale.toml");
    let output = Command::new(env!("CARGO_BIN_EXE_bubblesim"))
        .args([
            "run",
            scenario.to_str().unwrap(),
            "--years",
            "0.05",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .expect("the binary runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["scenario"], "scale");
    assert_eq!(manifest["status"], "complete");
    let rows = |table: &str| manifest["row_counts"][table].as_u64().unwrap();
    // Recorded on the first day: every investor, cohort and building.
    assert_eq!(rows("retail"), 1_000_000);
    assert!(rows("gpus") >= 100_000, "{} GPU cohorts", rows("gpus"));
    assert!(rows("datacenters") >= 10_000, "{} buildings", rows("datacenters"));
    let residual = manifest["summary"]["money_residual_largest_usd"].as_f64().unwrap();
    assert!(residual < 100.0, "money residual ${residual}");
}
