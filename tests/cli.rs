//! End-to-end tests of the `bubblesim` binary, run the way a user runs it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, Int32Type, UInt32Type, UInt64Type};
use arrow_array::{ArrayAccessor, RecordBatch, StringArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::file::reader::{FileReader, SerializedFileReader};

mod common;
use common::{bubblesim, tables};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn repo(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path).display().to_string()
}

/// A short baseline run (small retail population) into `dir/name`.
fn short_run(dir: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let mut args = vec![
        "run",
        "--out",
        out.to_str().unwrap(),
        "--years",
        "1",
        "--set",
        "retail.count=300",
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let output = bubblesim(&args, dir);
    assert!(output.status.success(), "run failed: {}", stderr(&output));
    out
}

fn parquet_rows(path: &Path) -> u64 {
    let reader = SerializedFileReader::new(fs::File::open(path).unwrap()).unwrap();
    reader.metadata().file_metadata().num_rows() as u64
}

#[test]
fn a_run_writes_every_table_with_its_columns_and_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let out = short_run(dir.path(), "run", &[]);
    let manifest: serde_json::Value = serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["status"], "complete");
    assert_eq!(manifest["seed"], 20251001);
    for spec in bubblesim_model::prelude::table_specs() {
        let path = out.join(format!("{}.parquet", spec.name));
        let builder = ParquetRecordBatchReaderBuilder::try_new(fs::File::open(&path).unwrap()).unwrap();
        let schema = builder.schema();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        let expected: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
        assert_eq!(names, expected, "{}", spec.name);
        assert_eq!(schema.field(0).data_type(), &arrow_schema::DataType::UInt32);
        assert_eq!(schema.field(1).data_type(), &arrow_schema::DataType::Date32);
        assert!(schema.field(0).metadata().contains_key("unit"));
        let rows: u64 = builder.build().unwrap().map(|batch| batch.unwrap().num_rows() as u64).sum();
        assert_eq!(rows, manifest["row_counts"][spec.name].as_u64().unwrap(), "{}", spec.name);
        if spec.name != "events" {
            assert!(rows > 0, "{} is empty", spec.name);
        }
        let reader = SerializedFileReader::new(fs::File::open(&path).unwrap()).unwrap();
        let metadata = reader.metadata().file_metadata().key_value_metadata().unwrap();
        let value = |key: &str| metadata.iter().find(|kv| kv.key == key).and_then(|kv| kv.value.clone());
        assert_eq!(value("bubblesim.seed").as_deref(), Some("20251001"));
        assert_eq!(value("bubblesim.table").as_deref(), Some(spec.name));
        assert!(value("bubblesim.config").unwrap().contains("[retail]"));
    }
    // Nothing half-written, no staging folder, and the resolved config is itself a valid scenario.
    for entry in fs::read_dir(&out).unwrap().chain(fs::read_dir(dir.path()).unwrap()) {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with('.'), "leftover temporary file {name}");
    }
    let resolved = out.join("config.toml");
    let check = bubblesim(&["check", resolved.to_str().unwrap()], dir.path());
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(fs::read_to_string(&resolved).unwrap().contains("count = 300"));
}

#[test]
fn no_arguments_runs_the_baseline_into_runs() {
    let dir = tempfile::tempdir().unwrap();
    let output = bubblesim(&["run"], dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let out = dir.path().join("runs/baseline-seed20251001");
    assert!(out.join("manifest.json").exists());
    // The tables the output contract promises at least (docs/schema.md), among the rest.
    for required in [
        "market",
        "firms",
        "investors",
        "retail",
        "datacenters",
        "gpus",
        "leases",
        "securities",
        "macro",
        "events",
        "bubble",
    ] {
        assert!(tables().contains(&required), "the {required} table is gone");
    }
    for table in tables() {
        assert!(out.join(format!("{table}.parquet")).exists(), "{table}");
    }
    let summary = String::from_utf8_lossy(&output.stdout);
    assert!(
        summary.contains("AI index") && summary.contains("leases") && summary.contains("runs/baseline-seed20251001"),
        "{summary}"
    );
    // Ten years of trading days.
    assert!(parquet_rows(&out.join("sentiment.parquet")) > 2500);
    // Cohorts retire over ten years; each appears retired exactly once, then no longer.
    let gpus = ParquetRecordBatchReaderBuilder::try_new(fs::File::open(out.join("gpus.parquet")).unwrap())
        .unwrap()
        .build()
        .unwrap();
    let mut retired_rows: std::collections::BTreeMap<u64, u32> = std::collections::BTreeMap::new();
    for batch in gpus {
        let batch = batch.unwrap();
        let ids = batch.column_by_name("agent_id").unwrap().as_primitive::<UInt64Type>().clone();
        let retired = batch.column_by_name("retired").unwrap().as_boolean().clone();
        for row in (0..batch.num_rows()).filter(|&row| retired.value(row)) {
            *retired_rows.entry(ids.value(row)).or_default() += 1;
        }
    }
    assert!(!retired_rows.is_empty(), "no cohort retired in ten years");
    assert!(
        retired_rows.values().all(|&rows| rows == 1),
        "a retired cohort was recorded more than once"
    );
}

#[test]
fn reruns_are_byte_identical_across_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    let first = short_run(dir.path(), "a", &["--threads", "1"]);
    let second = short_run(dir.path(), "b", &["--threads", "1"]);
    let threaded = short_run(dir.path(), "c", &["--threads", "2"]);
    for table in tables() {
        let name = format!("{table}.parquet");
        let bytes = fs::read(first.join(&name)).unwrap();
        assert_eq!(bytes, fs::read(second.join(&name)).unwrap(), "{table} differs between reruns");
        assert_eq!(bytes, fs::read(threaded.join(&name)).unwrap(), "{table} differs with 2 threads");
    }
    let other_seed = short_run(dir.path(), "d", &["--seed", "7"]);
    assert_ne!(
        fs::read(first.join("market.parquet")).unwrap(),
        fs::read(other_seed.join("market.parquet")).unwrap()
    );
}

#[test]
fn bad_input_exits_2_with_one_clear_message_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let not_toml = write("not-toml.toml", "[retail\ncount = 5\n");
    let unknown = write("unknown.toml", "[retail]\ncuont = 5\n");
    let wrong_type = write("type.toml", "[retail]\ncount = \"many\"\n");
    let negative = write("negative.toml", "[retail]\ncount = -5\n");
    let probability = write("probability.toml", "[retail]\nnovice_share = 1.5\n");
    let nan = write("nan.toml", "[market]\ndemand_elasticity = nan\n");
    let infinite = write("inf.toml", "[demand]\nconsumer_kqueries_per_month = inf\n");
    let zero = write("zero.toml", "[run]\nyears = 0\n");
    let no_such_lab = write("loop.toml", "[circular]\nlab = \"openai\"\n");
    let thresholds = write("thresholds.toml", "[bubble]\nhype_thresholds = [0.9, 0.3]\n");
    let cases: Vec<(Vec<String>, Vec<&str>)> = vec![
        (
            vec!["run".into(), "/no/such/file.toml".into()],
            vec!["/no/such/file.toml", "cannot read"],
        ),
        (vec!["run".into(), not_toml.clone()], vec!["not-toml.toml", "not valid TOML"]),
        (
            vec!["run".into(), unknown.clone()],
            vec!["unknown.toml", "retail.cuont", "did you mean `count`"],
        ),
        (
            vec!["run".into(), wrong_type.clone()],
            vec!["type.toml", "retail.count", "whole number"],
        ),
        (
            vec!["run".into(), negative.clone()],
            vec!["negative.toml", "retail.count", "whole number from 0"],
        ),
        (
            vec!["run".into(), probability.clone()],
            vec!["probability.toml", "retail.novice_share", "between 0 and 1"],
        ),
        (
            vec!["run".into(), nan.clone()],
            vec!["nan.toml", "market.demand_elasticity", "finite"],
        ),
        (
            vec!["run".into(), infinite.clone()],
            vec!["inf.toml", "demand.consumer_kqueries_per_month", "finite"],
        ),
        (
            vec!["run".into(), zero.clone()],
            vec!["zero.toml", "run.years", "at least one trading day"],
        ),
        (
            vec!["run".into(), no_such_lab.clone()],
            vec!["loop.toml", "circular.lab", "frontier-lab-a", "\"openai\""],
        ),
        (
            vec!["run".into(), thresholds.clone()],
            vec!["thresholds.toml", "bubble.hype_thresholds", "low ≤ high"],
        ),
        (
            vec!["run".into(), "--set".into(), "venture.funds=0".into()],
            vec!["--set venture.funds=0", "venture.funds", "between 1"],
        ),
        (
            vec!["run".into(), "--set".into(), "adoption.share_with_return=1.2".into()],
            vec!["adoption.share_with_return", "between 0 and 1"],
        ),
        (
            vec!["run".into(), "--set".into(), "adoption.initial_adopter_share=0".into()],
            vec!["adoption.initial_adopter_share", "greater than 0"],
        ),
        (
            vec!["run".into(), "--years".into(), "0".into()],
            vec!["--set run.years=0", "run.years"],
        ),
        (
            vec!["run".into(), "--set".into(), "retail.count".into()],
            vec!["--set retail.count", "section.key=value"],
        ),
        (
            vec!["run".into(), "--set".into(), "retail.cont=5".into()],
            vec!["--set retail.cont=5", "did you mean `count`"],
        ),
        (
            vec!["run".into(), "--set".into(), "retail.count=-1".into()],
            vec!["--set retail.count=-1", "retail.count"],
        ),
        (vec!["check".into(), unknown.clone()], vec!["unknown.toml", "retail.cuont"]),
        (vec!["run".into(), "--threads".into(), "0".into()], vec!["--threads"]),
        (
            vec!["run".into(), "--set".into(), "shock.lab_default=no-such-lab".into()],
            vec!["shock.lab_default", "frontier-lab-a"],
        ),
        (
            vec!["run".into(), "--set".into(), "shock.walk_away_firm=chipmaker".into()],
            vec!["shock.walk_away_firm", "hyperscaler-1"],
        ),
        (
            vec!["run".into(), "--set".into(), "macro.consumption_share_of_gdp=0.9".into()],
            vec!["macro.other_investment_share_of_gdp", "below 1"],
        ),
        (
            vec!["run".into(), "--set".into(), "accounting.tolerance_usd_per_usd=0.5".into()],
            vec!["accounting.tolerance_usd_per_usd", "no check"],
        ),
        (vec!["run".into(), "--set".into(), "regions.count=0".into()], vec!["regions.count"]),
        (vec!["run".into(), "no-such-scenario".into()], vec!["no-such-scenario"]),
        (vec!["run".into(), "--bogus".into()], vec!["--bogus"]),
    ];
    for (args, expected) in cases {
        let out = dir.path().join("out");
        let mut full: Vec<&str> = args.iter().map(String::as_str).collect();
        if full[0] == "run" {
            full.extend(["--out", out.to_str().unwrap()]);
        }
        let output = bubblesim(&full, dir.path());
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {message}");
        for needle in expected {
            assert!(message.contains(needle), "{args:?}: `{needle}` missing from: {message}");
        }
        assert!(
            !message.contains("panicked") && !message.contains("RUST_BACKTRACE"),
            "{args:?}: {message}"
        );
        assert!(!out.exists(), "{args:?} left a run folder behind");
        assert!(!dir.path().join("runs").exists(), "{args:?} left runs/ behind");
    }
}

#[test]
fn an_existing_run_folder_is_kept_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("taken");
    let args = [
        "run",
        "--out",
        out.to_str().unwrap(),
        "--years",
        "0.1",
        "--set",
        "retail.count=50",
        "--quiet",
    ];
    assert!(bubblesim(&args, dir.path()).status.success());
    let first = fs::read(out.join("manifest.json")).unwrap();
    let mut reseeded = args.to_vec();
    reseeded.extend(["--seed", "9"]);
    let refused = bubblesim(&reseeded, dir.path());
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    assert_eq!(
        fs::read(out.join("manifest.json")).unwrap(),
        first,
        "a refused run touched the folder"
    );
    reseeded.push("--force");
    let output = bubblesim(&reseeded, dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&fs::read(out.join("manifest.json")).unwrap()).contains("\"seed\": 9"));
}

#[test]
fn force_replaces_only_run_folders() {
    let dir = tempfile::tempdir().unwrap();
    let precious = dir.path().join("project");
    fs::create_dir_all(precious.join("src")).unwrap();
    fs::write(precious.join("src/main.rs"), "fn main() {}").unwrap();
    let output = bubblesim(
        &["run", "--out", precious.to_str().unwrap(), "--force", "--years", "0.1", "--quiet"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("not a bubblesim run folder"), "{}", stderr(&output));
    assert!(precious.join("src/main.rs").exists());
    let output = bubblesim(&["run", "--out", ".", "--force", "--years", "0.1", "--quiet"], &precious);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(precious.join("src/main.rs").exists());
}

#[test]
fn check_and_schema_describe_the_inputs_and_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let check = bubblesim(&["check", &repo("configs/baseline.toml")], dir.path());
    assert!(check.status.success(), "{}", stderr(&check));
    // Every shipped scenario is listed with its line, and runs by name from anywhere.
    let list = bubblesim(&["run", "--list"], dir.path());
    assert!(list.status.success(), "{}", stderr(&list));
    let listed = String::from_utf8(list.stdout).unwrap();
    for name in [
        "baseline",
        "bust",
        "ai-succeeds",
        "soft-landing",
        "stress-gpu-early",
        "stress-rate-shock",
        "stress-lab-default",
        "stress-hyperscaler-walks",
    ] {
        let line = listed
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} missing from {listed}"));
        assert!(
            line.contains(&format!("configs/{name}.toml")) && !line.contains("does not load"),
            "{line}"
        );
        assert!(
            fs::read_to_string(repo(&format!("configs/{name}.toml"))).is_ok(),
            "{name} has a file"
        );
    }
    let by_name = bubblesim(&["check", "bust"], dir.path());
    assert!(by_name.status.success(), "{}", stderr(&by_name));
    assert!(String::from_utf8(by_name.stdout).unwrap().contains("scenario = \"bust\""));
    let schema = bubblesim(&["schema"], dir.path());
    assert!(schema.status.success());
    let text = String::from_utf8(schema.stdout).unwrap();
    for table in tables() {
        assert!(text.contains(&format!("## `{table}`")), "{table}");
    }
    // docs/schema.md is the same text, so the documentation cannot drift.
    assert_eq!(
        fs::read_to_string(repo("docs/schema.md")).unwrap(),
        text,
        "docs/schema.md is stale: regenerate it with `bubblesim schema > docs/schema.md`"
    );
}

/// A table's rows, column by column, for the few column types the questions below need.
struct Table(Vec<RecordBatch>);

impl Table {
    fn read(path: &Path) -> Self {
        let reader = ParquetRecordBatchReaderBuilder::try_new(fs::File::open(path).unwrap())
            .unwrap()
            .build()
            .unwrap();
        Self(reader.map(|batch| batch.unwrap()).collect())
    }
    fn u64s(&self, name: &str) -> Vec<Option<u64>> {
        self.0
            .iter()
            .flat_map(|b| {
                b.column_by_name(name)
                    .unwrap()
                    .as_primitive::<UInt64Type>()
                    .iter()
                    .collect::<Vec<_>>()
            })
            .collect()
    }
    fn f64s(&self, name: &str) -> Vec<Option<f64>> {
        self.0
            .iter()
            .flat_map(|b| {
                b.column_by_name(name)
                    .unwrap()
                    .as_primitive::<Float64Type>()
                    .iter()
                    .collect::<Vec<_>>()
            })
            .collect()
    }
    fn u32s(&self, name: &str) -> Vec<u32> {
        self.0
            .iter()
            .flat_map(|b| b.column_by_name(name).unwrap().as_primitive::<UInt32Type>().values().to_vec())
            .collect()
    }
    fn bools(&self, name: &str) -> Vec<bool> {
        self.0
            .iter()
            .flat_map(|b| {
                b.column_by_name(name)
                    .unwrap()
                    .as_boolean()
                    .iter()
                    .map(|v| v.unwrap())
                    .collect::<Vec<_>>()
            })
            .collect()
    }
    fn dates(&self) -> Vec<i32> {
        self.0
            .iter()
            .flat_map(|b| b.column_by_name("date").unwrap().as_primitive::<Date32Type>().values().to_vec())
            .collect()
    }
    fn labels(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .flat_map(|b| {
                let dictionary = b.column_by_name(name).unwrap().as_dictionary::<Int32Type>();
                let values = dictionary.downcast_dict::<StringArray>().unwrap();
                (0..dictionary.len()).map(|i| values.value(i).to_owned()).collect::<Vec<_>>()
            })
            .collect()
    }
    fn strings(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .flat_map(|b| {
                b.column_by_name(name)
                    .unwrap()
                    .as_string::<i32>()
                    .iter()
                    .map(|s| s.unwrap_or("").to_owned())
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

#[test]
fn the_stress_traces_say_who_held_what_when_tranches_lost_and_which_sales_were_forced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stress");
    let scenario = repo("configs/stress-lease-default.toml");
    let output = bubblesim(
        &[
            "run",
            &scenario,
            "--out",
            out.to_str().unwrap(),
            "--years",
            "6.5",
            "--set",
            "retail.count=300",
            "--quiet",
        ],
        dir.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let events = Table::read(&out.join("events.parquet"));
    let securities = Table::read(&out.join("securities.parquet"));
    let holdings = Table::read(&out.join("holdings.parquet"));
    let investors = Table::read(&out.join("investors.parquet"));

    // Which sales were forced: seller, asset, amount, reason.
    let (kinds, sellers, assets, amounts, details, dates) = (
        events.labels("kind"),
        events.u64s("agent_id"),
        events.u64s("counterparty_id"),
        events.f64s("amount_usd"),
        events.strings("detail"),
        events.dates(),
    );
    let insurers: Vec<u64> = {
        let (ids, kinds) = (investors.u64s("agent_id"), investors.labels("kind"));
        ids.iter()
            .zip(&kinds)
            .filter(|(_, k)| *k == "insurer")
            .map(|(id, _)| id.unwrap())
            .collect()
    };
    let sale = (0..kinds.len())
        .find(|&i| kinds[i] == "forced_sale" && insurers.contains(&sellers[i].unwrap()))
        .expect("an insurer is forced to sell");
    assert!(details[sale].contains("rating below its limit") && amounts[sale].unwrap() > 0.0);
    let (seller, asset, sale_date) = (sellers[sale].unwrap(), assets[sale].unwrap(), dates[sale]);

    // Who held what: the monthly holdings before the sale show the insurer holding it.
    let (holders, held_assets, held_dates, values) = (
        holdings.u64s("agent_id"),
        holdings.u64s("asset_id"),
        holdings.dates(),
        holdings.f64s("market_value_usd"),
    );
    assert!(
        (0..holders.len()).any(|i| {
            holders[i] == Some(seller) && held_assets[i] == Some(asset) && held_dates[i] < sale_date && values[i].unwrap() > 0.0
        })
    );

    // When each tranche lost money: the securities table's realised losses match the
    // tranche_loss events, security by security.
    let (ids, losses, security_dates) = (
        securities.u64s("agent_id"),
        securities.f64s("realised_loss_usd"),
        securities.dates(),
    );
    let last = *security_dates.iter().max().unwrap();
    let mut lost_any = false;
    for i in (0..ids.len()).filter(|&i| security_dates[i] == last) {
        let id = ids[i].unwrap();
        let from_events: f64 = (0..kinds.len())
            .filter(|&k| kinds[k] == "tranche_loss" && sellers[k] == Some(id))
            .map(|k| amounts[k].unwrap())
            .sum();
        let recorded = losses[i].unwrap();
        assert!(
            (recorded - from_events).abs() <= 1e-6 * recorded.max(1.0),
            "{id}: {recorded} vs {from_events}"
        );
        lost_any |= recorded > 0.0;
        if recorded > 0.0 {
            let first_loss = (0..ids.len())
                .filter(|&k| ids[k] == Some(id) && losses[k].unwrap() > 0.0)
                .map(|k| security_dates[k])
                .min();
            let first_event = (0..kinds.len())
                .filter(|&k| kinds[k] == "tranche_loss" && sellers[k] == Some(id))
                .map(|k| dates[k])
                .min();
            assert_eq!(first_loss, first_event, "{id}");
        }
    }
    assert!(lost_any, "some tranche lost money within the stress horizon");
}

#[test]
fn the_bubble_index_and_the_circular_money_can_be_read_from_the_parquet_files_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("boom");
    let output = bubblesim(
        &[
            "run",
            "--out",
            out.to_str().unwrap(),
            "--years",
            "4.5",
            "--set",
            "retail.count=300",
            "--quiet",
        ],
        dir.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));

    // The four factors over time: 8/8 on the first day, each row's total their sum.
    let bubble = Table::read(&out.join("bubble.parquet"));
    let (ticks, totals) = (bubble.u32s("tick"), bubble.u32s("total"));
    let factors: Vec<Vec<u32>> = ["uncertainty", "pure_plays", "novice_investors", "narrative"]
        .iter()
        .map(|f| bubble.u32s(f))
        .collect();
    assert_eq!((ticks[0], totals[0]), (0, 8), "the late-2025 baseline reads 8/8 at the start");
    for row in 0..totals.len() {
        assert_eq!(totals[row], factors.iter().map(|f| f[row]).sum::<u32>(), "row {row}");
        assert!(factors.iter().all(|f| f[row] <= 2));
    }
    assert!(totals.iter().any(|&t| t < 8), "the index never moves in four and a half years");

    // The circular money: every leg of the loop, and how much of the chipmaker's GPU
    // revenue came back around it.
    let flows = Table::read(&out.join("flows.parquet"));
    let (kinds, from, to, amounts, circular) = (
        flows.labels("kind"),
        flows.labels("from_name"),
        flows.labels("to_name"),
        flows.f64s("amount_usd"),
        flows.bools("circular"),
    );
    let sum = |keep: &dyn Fn(usize) -> bool| -> f64 { (0..kinds.len()).filter(|&i| keep(i)).map(|i| amounts[i].unwrap()).sum() };
    let invested = sum(&|i| circular[i] && kinds[i] == "chip_investment" && from[i] == "chipmaker" && to[i] == "frontier-lab-a");
    let paid = sum(&|i| circular[i] && kinds[i] == "take_or_pay" && from[i] == "frontier-lab-a" && to[i] == "neocloud-1");
    let looped_gpus = sum(&|i| circular[i] && kinds[i] == "gpu_purchase" && from[i] == "neocloud-1" && to[i] == "chipmaker");
    let all_gpus = sum(&|i| kinds[i] == "gpu_purchase" && to[i] == "chipmaker");
    assert!(invested > 0.0 && paid > 0.0 && looped_gpus > 0.0);
    assert!(looped_gpus < all_gpus, "other providers buy GPUs too");
    // The chipmaker invests $10B per GW deployed: the flows agree with the bubble
    // table's deployed GW.
    let deployed_gw = bubble.f64s("circular_deployed_gw").last().unwrap().unwrap();
    assert!(
        (invested - deployed_gw * 1e10).abs() < 1e-6 * invested,
        "{invested} for {deployed_gw} GW"
    );
}
