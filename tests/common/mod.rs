//! What the end-to-end tests share.

/// Runs the binary with `args` in `cwd`.
#[allow(dead_code)]
pub fn bubblesim(args: &[&str], cwd: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_bubblesim"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the binary runs")
}

/// Every table of the output contract, in `bubblesim schema` order (from the model's
/// one list of tables).
#[allow(dead_code)]
pub fn tables() -> Vec<&'static str> {
    bubblesim_model::prelude::table_specs().iter().map(|spec| spec.name).collect()
}

/// Every file under a sweep folder that must be identical wherever the sweep ran: the
/// plan, the summary, and each run's tables, config and completion marker (not the
/// manifests, which hold timings), by path relative to the folder.
#[allow(dead_code)]
pub fn sweep_dataset(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fn walk(root: &std::path::Path, dir: &std::path::Path, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.file_name().is_some_and(|n| n != "manifest.json") {
                let relative = path.strip_prefix(root).unwrap().display().to_string();
                out.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A small sweep: two herding weights × two seeds of a quarter-year baseline.
#[allow(dead_code)]
pub const SMALL_SWEEP: &str = r#"
[sweep]
description = "two herding weights, two seeds"
seeds = 2
[set]
run.years = 0.25
retail.count = 2000
[[param]]
key = "retail.herding_weight"
name = "herding"
values = [0.3, 0.9]
"#;
