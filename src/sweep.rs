//! `bubblesim sweep`: expand a sweep file into its plan, validate every run's config,
//! then run this shard's runs (all of them without a shard) a few at a time, each into
//! its Hive-style folder with a `_SUCCESS` marker when complete. A run already marked is
//! skipped and one with a checkpoint is resumed, so a rerun or resubmission finishes only
//! what is missing. A whole local sweep ends by writing `summary.parquet`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bubblesim_config::{Config, ParamType, PlannedRun, Sweep};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::Failure;
use crate::cli::SweepArgs;
use crate::run::{RunOptions, continue_run, interrupt_requested, start, watch_for_interrupt};
use crate::shard::{self, Shard};
use crate::sweep_summary::summarize;

/// Runs one invocation may start without `--yes`.
const CONFIRM_ABOVE_RUNS: usize = 100;

/// The file that marks a run complete (Spark's and Hadoop's convention; readers skip it).
pub const SUCCESS_MARKER: &str = "_SUCCESS";

/// The plan as the sweep folder keeps it (`sweep.json`): every shard writes the same
/// bytes, and a folder holding another sweep's plan is refused.
#[derive(Debug, Serialize)]
pub struct PlanFile {
    pub bubblesim_version: String,
    pub sweep: String,
    pub description: String,
    pub sweep_file_sha256: String,
    pub sweep_file: String,
    pub params: Vec<PlanParam>,
    pub seeds: Vec<u64>,
    pub runs: Vec<PlanRun>,
}

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct PlanParam {
    pub name: String,
    pub key: String,
    /// `integer`, `float`, `bool` or `text`.
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct PlanRun {
    pub run: usize,
    pub folder: String,
    pub seed: u64,
    /// One value per parameter, in the order of `params`.
    pub values: Vec<serde_json::Value>,
    /// SHA-256 of the run's resolved `config.toml`.
    pub config_sha256: String,
}

fn plan_file(sweep: &Sweep, config_hashes: &[String]) -> PlanFile {
    let param_value = |value: &bubblesim_config::ParamValue| match value {
        bubblesim_config::ParamValue::Integer(n) => serde_json::Value::from(*n),
        bubblesim_config::ParamValue::Float(x) => serde_json::Value::from(*x),
        bubblesim_config::ParamValue::Bool(b) => serde_json::Value::from(*b),
        bubblesim_config::ParamValue::Text(s) => serde_json::Value::from(s.clone()),
    };
    PlanFile {
        bubblesim_version: env!("CARGO_PKG_VERSION").to_owned(),
        sweep: sweep.name.clone(),
        description: sweep.description.clone(),
        sweep_file_sha256: format!("{:x}", Sha256::digest(sweep.text.as_bytes())),
        sweep_file: sweep.text.clone(),
        params: sweep
            .params
            .iter()
            .map(|p| PlanParam {
                name: p.name.clone(),
                key: p.key.clone(),
                kind: match p.kind {
                    ParamType::Integer => "integer",
                    ParamType::Float => "float",
                    ParamType::Bool => "bool",
                    ParamType::Text => "text",
                }
                .to_owned(),
            })
            .collect(),
        seeds: sweep.seeds.clone(),
        runs: sweep
            .runs
            .iter()
            .zip(config_hashes)
            .map(|(run, config_sha256)| PlanRun {
                run: run.number,
                folder: folder_text(&sweep.folder(run)),
                seed: run.seed,
                values: run.values.iter().map(param_value).collect(),
                config_sha256: config_sha256.clone(),
            })
            .collect(),
    }
}

/// A relative folder with `/` between its parts on every platform.
fn folder_text(path: &Path) -> String {
    path.iter().map(|part| part.to_string_lossy()).collect::<Vec<_>>().join("/")
}

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
    crate::print_stdout(&text);
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

/// One run to do here.
struct Work {
    number: usize,
    label: String,
    folder: PathBuf,
    config: Config,
}

#[derive(Debug)]
enum Outcome {
    Completed(Duration),
    AlreadyComplete,
    /// Another process holds the run's lock (a resubmitted array, a second sweep).
    RunningElsewhere,
    Interrupted,
    Failed(String),
}

#[derive(Default)]
struct Report {
    outcomes: Vec<(usize, String, Outcome)>,
}

impl Report {
    fn count(&self, test: impl Fn(&Outcome) -> bool) -> usize {
        self.outcomes.iter().filter(|(_, _, o)| test(o)).count()
    }
}

fn execute(work: &[Work], plan_runs: usize, jobs: usize, checkpoint_every: Option<u32>, quiet: bool) -> Report {
    watch_for_interrupt();
    let display = Display::new(work.len(), quiet);
    let next = AtomicUsize::new(0);
    let report = Mutex::new(Report::default());
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(work.len()) {
            scope.spawn(|| {
                loop {
                    if interrupt_requested() {
                        break;
                    }
                    let Some(item) = work.get(next.fetch_add(1, Ordering::SeqCst)) else {
                        break;
                    };
                    let bar = display.start(item);
                    let started = Instant::now();
                    // A bug that panics in one run is that run's failure, not the sweep's.
                    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| run_one(item, checkpoint_every, &bar, &display, started)))
                        .unwrap_or_else(|_| Outcome::Failed("the run panicked (a bug in bubblesim; the message is above)".to_owned()));
                    display.finish(&bar, item, &outcome, plan_runs);
                    report.lock().expect("no worker panics while holding the report").outcomes.push((
                        item.number,
                        item.label.clone(),
                        outcome,
                    ));
                }
            });
        }
    });
    display.clear();
    let mut report = report.into_inner().expect("the workers have finished");
    report.outcomes.sort_by_key(|(number, _, _)| *number);
    report
}

/// Runs (or resumes, or skips) one run of the plan, holding its lock meanwhile.
fn run_one(item: &Work, checkpoint_every: Option<u32>, progress: &ProgressBar, display: &Display, started: Instant) -> Outcome {
    let lock = match lock_run(&item.folder) {
        Ok(Some(lock)) => lock,
        Ok(None) => return Outcome::RunningElsewhere,
        Err(err) => return Outcome::Failed(format!("cannot lock the run: {err}")),
    };
    if item.folder.join(SUCCESS_MARKER).is_file() {
        return Outcome::AlreadyComplete;
    }
    let options = || RunOptions {
        threads: 1,
        checkpoint_every,
        quiet: true,
        progress: progress.clone(),
    };
    let resolved = item.config.to_toml();
    let resumable = bubblesim_record::checkpoint_path(&item.folder).is_file()
        && std::fs::read_to_string(item.folder.join("config.toml")).is_ok_and(|text| text == resolved);
    let result = match resumable.then(|| continue_run(&item.folder, options())) {
        // A checkpoint that cannot be used (damaged, another build's) is not worth keeping:
        // the run starts again, to the same bytes.
        Some(Err(Failure::Input(message))) => {
            display.note(&format!(
                "run {} ({}): {message}; running it again from the start",
                item.number, item.label
            ));
            start(&item.config, &item.folder, true, options())
        }
        Some(result) => result,
        // A folder left by a run stopped before its first checkpoint starts again.
        None => start(&item.config, &item.folder, item.folder.exists(), options()),
    };
    let outcome = match result {
        Ok(()) => match std::fs::File::create(item.folder.join(SUCCESS_MARKER)).and_then(|f| f.sync_all()) {
            Ok(()) => Outcome::Completed(started.elapsed()),
            Err(err) => Outcome::Failed(format!("cannot write its {SUCCESS_MARKER} marker: {err}")),
        },
        Err(Failure::Interrupted(_)) => Outcome::Interrupted,
        Err(Failure::Input(message)) => Outcome::Failed(message),
        Err(Failure::Runtime(err)) => Outcome::Failed(format!("{err:#}")),
    };
    drop(lock);
    outcome
}

/// Takes the run's lock — `.seed=<s>.lock` beside its folder, locked with `flock`, so it
/// is released however the process ends — or `None` if another process holds it.
fn lock_run(folder: &Path) -> std::io::Result<Option<std::fs::File>> {
    let parent = folder.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = folder.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let file = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(parent.join(format!(".{name}.lock")))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(err)) => Err(err),
    }
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

/// The progress display: an overall bar and one bar per run in progress on a terminal;
/// a line per finished run otherwise (batch logs); nothing with `--quiet`.
struct Display {
    multi: Option<MultiProgress>,
    overall: ProgressBar,
    lines: bool,
    done: AtomicUsize,
    total: usize,
}

impl Display {
    fn new(total: usize, quiet: bool) -> Self {
        let terminal = !quiet && std::io::stderr().is_terminal();
        let multi = terminal.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        let overall = match &multi {
            Some(multi) => {
                let bar = multi.add(ProgressBar::new(total as u64));
                bar.set_style(
                    ProgressStyle::with_template("sweep {wide_bar} {pos}/{len} runs · {elapsed} · ETA {eta}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                bar.enable_steady_tick(Duration::from_millis(200));
                bar
            }
            None => ProgressBar::hidden(),
        };
        Self {
            multi,
            overall,
            lines: !quiet && !terminal,
            done: AtomicUsize::new(0),
            total,
        }
    }

    fn start(&self, item: &Work) -> ProgressBar {
        let Some(multi) = &self.multi else { return ProgressBar::hidden() };
        let bar = multi.add(ProgressBar::new(0));
        bar.set_style(
            ProgressStyle::with_template("{prefix} {bar:24} {pos}/{len} days · ETA {eta} · {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_prefix(format!("#{} {}", item.number, item.label));
        bar
    }

    fn finish(&self, bar: &ProgressBar, item: &Work, outcome: &Outcome, plan_runs: usize) {
        let done = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(multi) = &self.multi {
            bar.finish_and_clear();
            multi.remove(bar);
            self.overall.inc(1);
        }
        if self.lines {
            let what = match outcome {
                Outcome::Completed(time) => format!("complete in {:.1}s", time.as_secs_f64()),
                Outcome::AlreadyComplete => "already complete".to_owned(),
                Outcome::RunningElsewhere => "running in another process; skipped".to_owned(),
                Outcome::Interrupted => "interrupted (checkpoint written)".to_owned(),
                Outcome::Failed(_) => "failed".to_owned(),
            };
            eprintln!("[{done}/{}] run {}/{plan_runs} ({}): {what}", self.total, item.number, item.label);
        }
    }

    /// A message above the bars (or on its own line), unless quiet.
    fn note(&self, text: &str) {
        match &self.multi {
            Some(multi) => {
                let _ = multi.println(text);
            }
            None if self.lines => eprintln!("{text}"),
            None => {}
        }
    }

    fn clear(&self) {
        self.overall.finish_and_clear();
    }
}
