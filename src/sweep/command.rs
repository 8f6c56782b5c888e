//! `bubblesim sweep`: expand a sweep file into its plan, validate every run's config,
//! then run this shard's runs (all of them without a shard) a few at a time, each into
//! its Hive-style folder with a `_SUCCESS` marker when complete. A run already marked is
//! skipped and one with a checkpoint is resumed, so a rerun or resubmission finishes only
//! what is missing. A whole local sweep ends by writing `summary.parquet`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use bubblesim_config::{PlannedRun, Sweep};
use sha2::{Digest, Sha256};

use crate::cli::SweepArgs;
use crate::failure::Failure;
use crate::run::interrupt::interrupt_requested;
use crate::sweep::execute::{Outcome, Report, Work, execute};
use crate::sweep::plan_file::{PlanFile, folder_text, plan_file};
use crate::sweep::shard::{self, Shard};
use crate::sweep::summary::summarize;

/// Runs one invocation may start without `--yes`.
const CONFIRM_ABOVE_RUNS: usize = 100;

pub fn sweep(args: &SweepArgs) -> Result<(), Failure> {
    if let Some(dir) = &args.summarize {
        return summarize(dir, !args.quiet).map(|_| ());
    }
    let Some(path) = args.sweep.as_deref() else {
        return Err(Failure::Input(
            "name a sweep file (configs/sweeps/*.toml), or pass --summarize DIR".to_owned(),
        ));
    };
    let sweep = Sweep::load(path)?;
    check_param_names(&sweep)?;
    let shard = shard::select(args.shard.as_deref(), args.shards, |name| std::env::var(name).ok()).map_err(Failure::Input)?;
    let selected: Vec<&PlannedRun> = sweep
        .runs
        .iter()
        .filter(|run| shard.as_ref().is_none_or(|s| s.includes(run.number)))
        .collect();
    let out = args.out.clone().unwrap_or_else(|| PathBuf::from("runs").join(&sweep.name));
    // Every run of the plan is checked, not only this shard's: no shard starts a sweep
    // that another would reject. Each run's resolved config goes into the plan's
    // identity, so a base scenario edited between shards is noticed.
    let mut configs = BTreeMap::new();
    let mut config_hashes = Vec::with_capacity(sweep.runs.len());
    for run in &sweep.runs {
        let config = sweep.config(run)?;
        config_hashes.push(format!("{:x}", Sha256::digest(config.to_toml().as_bytes())));
        if shard.as_ref().is_none_or(|s| s.includes(run.number)) {
            configs.insert(run.number, config);
        }
    }
    if args.plan {
        print_plan(&sweep, &selected, shard.as_ref(), &out);
        return Ok(());
    }
    if selected.len() > CONFIRM_ABOVE_RUNS && !args.yes {
        return Err(Failure::Input(format!(
            "{}: this would start {} runs ({}); pass --yes to go ahead, or --plan to see them",
            sweep.source_name,
            selected.len(),
            sweep.shape()
        )));
    }
    prepare_folder(&out, &plan_file(&sweep, &config_hashes))?;
    if !args.quiet {
        let part = shard.as_ref().map(|s| format!(", {s}")).unwrap_or_default();
        eprintln!(
            "sweep {}: {} runs ({}){part}; {} to run here, into {}",
            sweep.name,
            sweep.runs.len(),
            sweep.shape(),
            selected.len(),
            out.display()
        );
    }
    let jobs = args
        .jobs
        .map(usize::from)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let work: Vec<Work> = selected
        .iter()
        .map(|run| Work {
            number: run.number,
            label: sweep.label(run),
            folder: out.join(sweep.folder(run)),
            config: configs.remove(&run.number).expect("every selected run was validated"),
        })
        .collect();
    let report = execute(&work, sweep.runs.len(), jobs, args.checkpoint_every, args.quiet);
    finish(&out, shard.as_ref(), &report, args.quiet)
}

/// Parameter names become columns beside the tables' own and the summary's.
fn check_param_names(sweep: &Sweep) -> Result<(), Failure> {
    for param in &sweep.params {
        // Readers such as DuckDB compare column names without case.
        let same = |column: &str| column.eq_ignore_ascii_case(&param.name);
        let table = bubblesim_model::prelude::table_specs()
            .into_iter()
            .find(|t| t.columns.iter().any(|c| same(c.name)));
        let clash = table.map(|t| format!("a column of the `{}` table", t.name)).or_else(|| {
            bubblesim_model::prelude::FIGURES
                .iter()
                .any(|figure| same(figure.key))
                .then(|| "a column of summary.parquet".to_owned())
        });
        if let Some(clash) = clash {
            return Err(Failure::Input(format!(
                "{}: parameter `{}` ({}): the name is {clash}; give the parameter another `name`",
                sweep.source_name, param.name, param.key
            )));
        }
    }
    Ok(())
}

fn print_plan(sweep: &Sweep, selected: &[&PlannedRun], shard: Option<&Shard>, out: &Path) {
    let mut text = String::new();
    let total = sweep.runs.len();
    let _ = writeln!(text, "sweep {} — {}", sweep.name, sweep.description);
    let _ = writeln!(text, "{total} runs: {}; base scenario {}", sweep.shape(), sweep.base.name);
    if let Some(shard) = shard {
        let _ = writeln!(text, "{shard}: {} of them", selected.len());
    }
    for run in selected {
        let _ = writeln!(text, "{:>6}  {}", run.number, folder_text(&out.join(sweep.folder(run))));
    }
    let _ = writeln!(
        text,
        "locally: bubblesim sweep {} --out {}\non Slurm: sbatch --array=1-N deploy/slurm/sweep.sbatch {} {}   (N shards, at most {total})",
        sweep.source_name,
        out.display(),
        sweep.source_name,
        out.display()
    );
    crate::failure::print_stdout(&text);
}

/// Creates the sweep folder and its `sweep.json`, or checks that an existing one holds
/// this very plan.
fn prepare_folder(out: &Path, plan: &PlanFile) -> Result<(), Failure> {
    let json = serde_json::to_string_pretty(plan).map_err(|err| Failure::Runtime(err.into()))? + "\n";
    let path = out.join("sweep.json");
    match std::fs::read_to_string(&path) {
        Ok(existing) if existing == json => return Ok(()),
        Ok(_) => {
            return Err(Failure::Input(format!(
                "{}: holds another sweep's plan (sweep.json differs: another sweep file, an edited one, or another bubblesim version); choose another --out",
                out.display()
            )));
        }
        // Another shard may be writing sweep.json under a hidden temporary name.
        Err(_)
            if out.is_dir()
                && std::fs::read_dir(out)
                    .is_ok_and(|entries| entries.flatten().any(|e| !e.file_name().to_string_lossy().starts_with('.'))) =>
        {
            return Err(Failure::Input(format!(
                "{}: exists, is not empty and is not a sweep folder (no sweep.json); choose another --out",
                out.display()
            )));
        }
        Err(_) if out.exists() && !out.is_dir() => {
            return Err(Failure::Input(format!(
                "{}: exists and is not a folder; choose another --out",
                out.display()
            )));
        }
        Err(_) => {}
    }
    std::fs::create_dir_all(out).map_err(|err| Failure::Input(format!("{}: cannot be created ({err})", out.display())))?;
    // Shards may start together: each writes the same bytes under its own name first.
    let temp = out.join(format!(".sweep.json.{}.partial", std::process::id()));
    std::fs::write(&temp, &json)
        .and_then(|()| std::fs::rename(&temp, &path))
        .map_err(|err| {
            let _ = std::fs::remove_file(&temp);
            Failure::Runtime(anyhow::anyhow!("{}: {err}", path.display()))
        })
}

/// The summary, or what is left to do, once this invocation's runs have ended.
fn finish(out: &Path, shard: Option<&Shard>, report: &Report, quiet: bool) -> Result<(), Failure> {
    let completed = report.count(|o| matches!(o, Outcome::Completed(_)));
    let skipped = report.count(|o| matches!(o, Outcome::AlreadyComplete));
    let interrupted = report.count(|o| matches!(o, Outcome::Interrupted));
    let elsewhere = report.count(|o| matches!(o, Outcome::RunningElsewhere));
    let failed: Vec<&(usize, String, Outcome)> = report.outcomes.iter().filter(|(_, _, o)| matches!(o, Outcome::Failed(_))).collect();
    if !quiet {
        let elsewhere = if elsewhere > 0 {
            format!(", {elsewhere} running in another process")
        } else {
            String::new()
        };
        eprintln!(
            "{completed} runs completed, {skipped} already complete{elsewhere}, {interrupted} interrupted, {} failed",
            failed.len()
        );
    }
    for (number, label, outcome) in &failed {
        if let Outcome::Failed(message) = outcome {
            eprintln!("run {number} ({label}) failed: {message}");
        }
    }
    if interrupt_requested() {
        return Err(Failure::Interrupted(format!(
            "sweep interrupted; runs stopped mid-way kept a checkpoint — run the same command again to finish the sweep in {}",
            out.display()
        )));
    }
    if !failed.is_empty() {
        return Err(Failure::Runtime(anyhow::anyhow!(
            "{} of the sweep's runs failed (above); the others are in {}; rerun the same command to retry them",
            failed.len(),
            out.display()
        )));
    }
    match shard {
        None if elsewhere > 0 => {
            if !quiet {
                eprintln!("once the other process has finished: bubblesim sweep --summarize {}", out.display());
            }
            Ok(())
        }
        None => summarize(out, !quiet).map(|_| ()),
        Some(shard) => {
            if !quiet {
                eprintln!(
                    "{shard} done; once every shard has finished: bubblesim sweep --summarize {}",
                    out.display()
                );
            }
            Ok(())
        }
    }
}
