//! `bubblesim sweep` end to end: the plan, local parallel runs into Hive-style folders,
//! shards that add up to the same dataset, reruns that finish only what is missing, the
//! summary, and every kind of bad input.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use arrow_array::Array;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type, UInt32Type, UInt64Type};
use common::{SMALL_SWEEP, sweep_dataset};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

fn bubblesim(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_bubblesim"));
    command
        .args(args)
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("JOB_COMPLETION_INDEX");
    for (key, value) in envs {
        command.env(key, value);
    }
    command.output().expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn write_sweep(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn run_sweep(file: &Path, out: &Path, extra: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut args = vec!["sweep", file.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    bubblesim(&args, envs)
}

fn ok(output: Output) -> Output {
    assert!(output.status.success(), "exit {:?}: {}", output.status.code(), stderr(&output));
    output
}

fn summary(dir: &Path) -> arrow_array::RecordBatch {
    let file = std::fs::File::open(dir.join("summary.parquet")).unwrap();
    let mut reader = ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap();
    reader.next().unwrap().unwrap()
}

#[test]
fn a_local_sweep_writes_hive_folders_a_marker_and_a_summary_and_each_run_equals_a_plain_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_sweep(dir.path(), "small.toml", SMALL_SWEEP);
    let out = dir.path().join("out");
    let output = ok(run_sweep(&file, &out, &["--jobs", "2"], &[]));
    assert!(stderr(&output).contains("4 runs completed"), "{}", stderr(&output));

    let folders = [
        "herding=0.3/seed=20251001",
        "herding=0.3/seed=20251002",
        "herding=0.9/seed=20251001",
        "herding=0.9/seed=20251002",
    ];
    for folder in folders {
        let run = out.join(folder);
        assert!(run.join("_SUCCESS").is_file(), "{folder}");
        for table in common::tables() {
            assert!(run.join(format!("{table}.parquet")).is_file(), "{folder}/{table}");
        }
        assert!(!run.join("checkpoint").exists());
    }
    assert!(out.join("sweep.json").is_file());

    // A sweep's run is the run `bubblesim run` gives with the same keys.
    let plain = dir.path().join("plain");
    ok(bubblesim(
        &[
            "run",
            "--out",
            plain.to_str().unwrap(),
            "--quiet",
            "--seed",
            "20251002",
            "--set",
            "run.years=0.25",
            "--set",
            "retail.count=2000",
            "--set",
            "retail.herding_weight=0.9",
        ],
        &[],
    ));
    for table in common::tables() {
        let name = format!("{table}.parquet");
        assert!(
            std::fs::read(plain.join(&name)).unwrap() == std::fs::read(out.join("herding=0.9/seed=20251002").join(&name)).unwrap(),
            "{table} differs from the plain run's"
        );
    }

    // One summary row per run, in plan order, with the parameter as a typed column.
    let batch = summary(&out);
    assert_eq!(batch.num_rows(), 4);
    let column = |name: &str| batch.column_by_name(name).unwrap_or_else(|| panic!("no column {name}"));
    assert_eq!(column("run").as_primitive::<UInt32Type>().values(), &[1, 2, 3, 4]);
    assert_eq!(column("herding").as_primitive::<Float64Type>().values(), &[0.3, 0.3, 0.9, 0.9]);
    assert_eq!(
        column("seed").as_primitive::<UInt64Type>().values(),
        &[20251001, 20251002, 20251001, 20251002]
    );
    for outcome in [
        "ai_index_max_drawdown",
        "lease_defaults",
        "downgrades",
        "bubble_index_highest",
        "unemployment_rate_peak",
    ] {
        assert_eq!(column(outcome).null_count(), 0, "{outcome}");
    }
    assert_eq!(column("lease_defaults").data_type(), &arrow_schema::DataType::UInt64);
    // The drawdown is the run's own, from its manifest.
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join(folders[3]).join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        column("ai_index_max_drawdown").as_primitive::<Float64Type>().value(3),
        manifest["summary"]["ai_index_max_drawdown"].as_f64().unwrap()
    );
    // Every figure a manifest has is a column.
    for key in manifest["summary"].as_object().unwrap().keys() {
        assert!(batch.column_by_name(key).is_some(), "summary.parquet lacks {key}");
    }
    // Herding changes the outcome (the parameter reached the model).
    let highest = column("ai_index_max_drawdown").as_primitive::<Float64Type>();
    assert_ne!(highest.value(0), highest.value(2));
}

#[test]
fn shards_from_flags_or_slurm_add_up_to_the_local_sweep_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_sweep(dir.path(), "small.toml", SMALL_SWEEP);
    let local = dir.path().join("local");
    ok(run_sweep(&file, &local, &["--quiet"], &[]));

    let sharded = dir.path().join("sharded");
    // Shard 1 of 3 by flag; 2 and 3 as a Slurm array numbered from 0 would set them.
    let first = ok(run_sweep(&file, &sharded, &["--shard", "1/3"], &[]));
    assert!(stderr(&first).contains("--summarize"), "{}", stderr(&first));
    assert!(!sharded.join("summary.parquet").exists(), "a shard does not summarise");
    for id in ["1", "2"] {
        ok(run_sweep(
            &file,
            &sharded,
            &["--quiet"],
            &[
                ("SLURM_ARRAY_TASK_ID", id),
                ("SLURM_ARRAY_TASK_MIN", "0"),
                ("SLURM_ARRAY_TASK_COUNT", "3"),
            ],
        ));
    }
    ok(bubblesim(&["sweep", "--summarize", sharded.to_str().unwrap()], &[]));
    let (local_files, sharded_files) = (sweep_dataset(&local), sweep_dataset(&sharded));
    assert_eq!(local_files.keys().collect::<Vec<_>>(), sharded_files.keys().collect::<Vec<_>>());
    for (name, bytes) in &local_files {
        assert!(bytes == &sharded_files[name], "{name} differs");
    }

    // Kubernetes: the index from JOB_COMPLETION_INDEX, the count from --shards.
    let indexed = dir.path().join("indexed");
    for index in ["0", "1"] {
        ok(run_sweep(
            &file,
            &indexed,
            &["--quiet", "--shards", "2"],
            &[("JOB_COMPLETION_INDEX", index)],
        ));
    }
    ok(bubblesim(&["sweep", "--summarize", indexed.to_str().unwrap()], &[]));
    assert_eq!(sweep_dataset(&indexed), local_files);
}

#[test]
fn a_rerun_skips_completed_runs_and_finishes_only_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_sweep(dir.path(), "small.toml", SMALL_SWEEP);
    let out = dir.path().join("out");
    ok(run_sweep(&file, &out, &["--quiet"], &[]));
    let before = sweep_dataset(&out);

    let again = ok(run_sweep(&file, &out, &[], &[]));
    assert!(
        stderr(&again).contains("0 runs completed, 4 already complete"),
        "{}",
        stderr(&again)
    );

    // A run that never finished (no marker, a half-written folder) is done again.
    let lost = out.join("herding=0.9/seed=20251001");
    std::fs::remove_file(lost.join("_SUCCESS")).unwrap();
    std::fs::remove_file(lost.join("market.parquet")).unwrap();
    std::fs::write(lost.join("market.parquet"), b"half").unwrap();
    let rerun = ok(run_sweep(&file, &out, &[], &[]));
    assert!(
        stderr(&rerun).contains("1 runs completed, 3 already complete"),
        "{}",
        stderr(&rerun)
    );
    assert_eq!(sweep_dataset(&out), before);

    // A run that fails does not stop the others; the sweep exits 1 naming it, writes no
    // summary, and a rerun retries it.
    std::fs::remove_dir_all(out.join("herding=0.3")).unwrap();
    std::fs::remove_file(out.join("summary.parquet")).unwrap();
    std::fs::write(out.join("herding=0.3"), b"in the way").unwrap();
    let failed = run_sweep(&file, &out, &[], &[]);
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    let message = stderr(&failed);
    assert!(
        message.contains("0 runs completed, 2 already complete, 0 interrupted, 2 failed"),
        "{message}"
    );
    assert!(message.contains("run 1 (herding=0.3, seed=20251001) failed"), "{message}");
    assert!(!out.join("summary.parquet").exists());
    std::fs::remove_file(out.join("herding=0.3")).unwrap();
    ok(run_sweep(&file, &out, &["--quiet"], &[]));
    assert_eq!(sweep_dataset(&out), before);
}

#[test]
fn an_interrupted_sweep_resumes_its_runs_from_their_checkpoints() {
    let dir = tempfile::tempdir().unwrap();
    let text = SMALL_SWEEP
        .replace("run.years = 0.25", "run.years = 1.0")
        .replace("seeds = 2", "seeds = 1");
    let file = write_sweep(dir.path(), "small.toml", &text);
    let reference = dir.path().join("reference");
    ok(run_sweep(&file, &reference, &["--quiet"], &[]));

    let out = dir.path().join("out");
    let child = Command::new(env!("CARGO_BIN_EXE_bubblesim"))
        .args([
            "sweep",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--jobs",
            "1",
            "--checkpoint-every",
            "21",
            "--quiet",
        ])
        .spawn()
        .unwrap();
    let first = out.join("herding=0.3/seed=20251001");
    let deadline = Instant::now() + Duration::from_secs(120);
    while !first.join("checkpoint/state.bin").is_file() {
        assert!(Instant::now() < deadline, "no checkpoint appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
    Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130));
    assert!(!first.join("_SUCCESS").exists());
    assert!(
        !out.join("herding=0.9/seed=20251001/_SUCCESS").exists(),
        "the second run did not start"
    );

    // A copy whose checkpoint is damaged runs that run again from the start.
    let damaged = dir.path().join("damaged");
    assert!(Command::new("cp").arg("-a").arg(&out).arg(&damaged).status().unwrap().success());
    let state = damaged.join("herding=0.3/seed=20251001/checkpoint/state.bin");
    let mut bytes = std::fs::read(&state).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&state, bytes).unwrap();

    ok(run_sweep(&file, &out, &["--quiet"], &[]));
    assert_eq!(sweep_dataset(&out), sweep_dataset(&reference));
    let restarted = ok(run_sweep(&file, &damaged, &[], &[]));
    assert!(
        stderr(&restarted).contains("running it again from the start"),
        "{}",
        stderr(&restarted)
    );
    assert_eq!(sweep_dataset(&damaged), sweep_dataset(&reference));
}

#[test]
fn the_plan_is_numbered_and_runs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_sweep(dir.path(), "small.toml", SMALL_SWEEP);
    let out = dir.path().join("out");
    let output = ok(bubblesim(
        &["sweep", "--plan", file.to_str().unwrap(), "--out", out.to_str().unwrap()],
        &[],
    ));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("4 runs: 2 herding × 2 seeds"), "{text}");
    assert!(text.contains("     3  "), "{text}");
    assert!(text.contains("herding=0.9/seed=20251001"), "{text}");
    let shard = ok(bubblesim(&["sweep", "--plan", file.to_str().unwrap(), "--shard", "2/2"], &[]));
    let shard_text = String::from_utf8_lossy(&shard.stdout);
    assert!(
        shard_text.contains("     2  ") && shard_text.contains("     4  ") && !shard_text.contains("     1  "),
        "{shard_text}"
    );
    assert!(!out.exists());
}

#[test]
fn bad_sweeps_exit_2_name_the_problem_and_run_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let cases: Vec<(&str, String, Vec<&str>, &str)> = vec![
        (
            "unknown.toml",
            SMALL_SWEEP.replace("retail.herding_weight", "retail.herding_wieght"),
            vec![],
            "did you mean `herding_weight`",
        ),
        (
            "empty.toml",
            SMALL_SWEEP.replace("values = [0.3, 0.9]", "range = { from = 0.9, to = 0.3, step = 0.1 }"),
            vec![],
            "the range is empty",
        ),
        ("zero.toml", SMALL_SWEEP.replace("seeds = 2", "seeds = 0"), vec![], "zero runs"),
        (
            "absurd.toml",
            SMALL_SWEEP.replace("values = [0.3, 0.9]", "range = { from = 0.0, to = 1.0, count = 99999 }"),
            vec![],
            "more than 100000 runs",
        ),
        ("shard0.toml", SMALL_SWEEP.to_owned(), vec!["--shard", "0/2"], "outside 1..2"),
        ("shard3.toml", SMALL_SWEEP.to_owned(), vec!["--shard", "3/2"], "outside 1..2"),
        ("shardx.toml", SMALL_SWEEP.to_owned(), vec!["--shard", "two"], "expected K/N"),
        (
            "many.toml",
            SMALL_SWEEP.replace("values = [0.3, 0.9]", "range = { from = 0.0, to = 1.0, count = 51 }"),
            vec![],
            "pass --yes",
        ),
        (
            "clash.toml",
            SMALL_SWEEP.replace("name = \"herding\"", "name = \"price_usd\""),
            vec![],
            "a column of the `market` table",
        ),
        (
            "invalid.toml",
            SMALL_SWEEP.replace(
                "values = [0.3, 0.9]",
                "values = [0.3, 0.9]\n[[param]]\nkey = \"retail.novice_share\"\nvalues = [0.5, 1.5]",
            ),
            vec![],
            "run 3 (herding=0.3, retail_novice_share=1.5, seed=20251001)",
        ),
        (
            "invalid-plan.toml",
            SMALL_SWEEP.replace(
                "values = [0.3, 0.9]",
                "values = [0.3, 0.9]\n[[param]]\nkey = \"retail.novice_share\"\nvalues = [0.5, 1.5]",
            ),
            vec!["--plan"],
            "run 3 (herding=0.3, retail_novice_share=1.5, seed=20251001)",
        ),
    ];
    for (name, text, extra, expect) in cases {
        let file = write_sweep(dir.path(), name, &text);
        let output = run_sweep(&file, &out, &extra, &[]);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{name}: {message}");
        assert!(message.contains(expect), "{name}: {message}");
        assert_eq!(message.lines().count(), 1, "{name}: {message}");
        assert!(!message.contains("panicked"), "{name}: {message}");
        assert!(!out.exists(), "{name} left {}", out.display());
    }
    let missing = run_sweep(&dir.path().join("nosuch.toml"), &out, &[], &[]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("nosuch.toml"));
    let slurm = run_sweep(
        &write_sweep(dir.path(), "ok.toml", SMALL_SWEEP),
        &out,
        &[],
        &[
            ("SLURM_ARRAY_TASK_ID", "9"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ],
    );
    assert_eq!(slurm.status.code(), Some(2), "{}", stderr(&slurm));
    assert!(stderr(&slurm).contains("outside 1..4"), "{}", stderr(&slurm));
    assert!(!out.exists());

    // A folder holding another sweep is not mixed into.
    let file = write_sweep(dir.path(), "ok.toml", SMALL_SWEEP);
    ok(run_sweep(&file, &out, &["--quiet"], &[]));
    let other = write_sweep(dir.path(), "ok.toml", &SMALL_SWEEP.replace("0.9]", "0.8]"));
    let mixed = run_sweep(&other, &out, &[], &[]);
    assert_eq!(mixed.status.code(), Some(2));
    assert!(stderr(&mixed).contains("another sweep"), "{}", stderr(&mixed));
    // Summarising a folder that is not a sweep.
    let not_sweep = bubblesim(&["sweep", "--summarize", dir.path().to_str().unwrap()], &[]);
    assert_eq!(not_sweep.status.code(), Some(2));
    assert!(stderr(&not_sweep).contains("sweep.json"), "{}", stderr(&not_sweep));
}

#[test]
fn sampled_and_integer_parameters_reach_the_summary_with_their_types() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"
[sweep]
seeds = [5]
[set]
run.years = 0.1
[sample]
method = "latin-hypercube"
points = 3
seed = 9
[[param]]
key = "retail.count"
values = [1000, 1500]
[[param]]
key = "retail.novice_share"
name = "novices"
min = 0.2
max = 0.8
"#;
    let file = write_sweep(dir.path(), "lhs.toml", text);
    let out = dir.path().join("out");
    ok(run_sweep(&file, &out, &["--quiet"], &[]));
    let batch = summary(&out);
    assert_eq!(batch.num_rows(), 6);
    let counts = batch.column_by_name("retail_count").unwrap().as_primitive::<Int64Type>();
    assert_eq!(counts.values(), &[1000, 1000, 1000, 1500, 1500, 1500]);
    let novices = batch.column_by_name("novices").unwrap().as_primitive::<Float64Type>();
    assert!(novices.values().iter().all(|x| (0.2..=0.8).contains(x)));
    let folder = batch.column_by_name("folder").unwrap().as_string::<i32>().value(4).to_owned();
    assert!(folder.starts_with("retail_count=1500/novices=0."), "{folder}");
    assert!(out.join(&folder).join("_SUCCESS").is_file());
}

#[test]
fn a_run_another_process_holds_is_left_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_sweep(dir.path(), "small.toml", SMALL_SWEEP);
    let out = dir.path().join("out");
    ok(run_sweep(&file, &out, &["--shard", "1/4", "--quiet"], &[]));
    // Stand in for another sweep process working on run 3 (a resubmitted array task).
    std::fs::create_dir_all(out.join("herding=0.9")).unwrap();
    let lock = std::fs::File::create(out.join("herding=0.9/.seed=20251001.lock")).unwrap();
    lock.try_lock().unwrap();
    let output = ok(run_sweep(&file, &out, &[], &[]));
    let message = stderr(&output);
    assert!(
        message.contains("2 runs completed, 1 already complete, 1 running in another process"),
        "{message}"
    );
    assert!(!out.join("herding=0.9/seed=20251001").exists(), "the held run was not touched");
    assert!(!out.join("summary.parquet").exists(), "no summary while a run is unfinished");
    drop(lock);
    let rest = ok(run_sweep(&file, &out, &[], &[]));
    assert!(stderr(&rest).contains("1 runs completed, 3 already complete"), "{}", stderr(&rest));
    assert!(out.join("summary.parquet").is_file());
}
