//! `bubblesim run` and `bubblesim resume`: load, build (or restore from the checkpoint),
//! step every trading day, stream the tables, checkpoint every N days and on Ctrl-C or
//! SIGTERM, write the manifest, print a summary.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use bubblesim_config::ConfigSource;
use bubblesim_model::prelude::civil_from_days;
use bubblesim_model::prelude::{Simulation, Summary, table_specs};
use bubblesim_record::{CHECKPOINT_FORMAT, Checkpoint, CheckpointHeader, Manifest, RecordError, RunDir, TableSet, WriterOptions};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sha2::{Digest, Sha256};

use crate::cli::{ResumeArgs, RunArgs};
use crate::recorder::Recorder;
use crate::{Failure, load_config};

/// Ticks between hand-overs of recorded rows to the writers.
const DRAIN_EVERY_TICKS: u32 = 21;

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A date as `YYYY-MM-DD`.
pub(crate) fn iso_date(days: i32) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

fn runtime(err: impl Into<anyhow::Error>) -> Failure {
    Failure::Runtime(err.into())
}

/// A checkpoint or run folder the user pointed at that cannot be used is bad input.
fn record_failure(err: RecordError) -> Failure {
    match err {
        RecordError::Exists(_) | RecordError::NotARunFolder(_) | RecordError::Damaged { .. } | RecordError::Incompatible { .. } => {
            Failure::Input(err.to_string())
        }
        other => runtime(other),
    }
}

/// The writer settings of a run: its resolved config goes into every file's metadata.
fn writer_options(config: &bubblesim_config::Config, resolved: &str, config_sha256: &str) -> WriterOptions {
    WriterOptions {
        row_group_rows: config.record.row_group_rows as usize,
        row_group_ticks: config.record.row_group_ticks,
        zstd_level: config.record.zstd_level,
        metadata: vec![
            ("bubblesim.version".to_owned(), VERSION.to_owned()),
            ("bubblesim.scenario".to_owned(), config.run.scenario.clone()),
            ("bubblesim.seed".to_owned(), config.run.seed.to_string()),
            ("bubblesim.config_sha256".to_owned(), config_sha256.to_owned()),
            ("bubblesim.config".to_owned(), resolved.to_owned()),
        ],
    }
}

/// Set by Ctrl-C or SIGTERM; every session in the process stops at the end of its day.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Installs the Ctrl-C and SIGTERM handler (once per process).
pub fn watch_for_interrupt() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
    });
}

/// Whether Ctrl-C or SIGTERM has asked the process to stop.
pub fn interrupt_requested() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// How a run is driven: threads, checkpoints, and where its progress shows.
pub struct RunOptions {
    pub threads: usize,
    pub checkpoint_every: Option<u32>,
    /// No summary (and no "resuming" line).
    pub quiet: bool,
    /// The bar the run advances (trading days); hidden for none.
    pub progress: ProgressBar,
}

/// A bar of its own on stderr, hidden with `--quiet` or when stderr is not a terminal.
fn standalone_bar(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {wide_bar} {pos}/{len} days · {per_sec} · ETA {eta} · {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

pub fn run(args: &RunArgs) -> Result<(), Failure> {
    let config = load_config(args.config.as_deref(), &args.config_args)?;
    let seed = config.run.seed;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("runs").join(format!("{}-seed{seed}", config.run.scenario)));
    let options = RunOptions {
        threads: usize::from(args.threads),
        checkpoint_every: args.checkpoint_every,
        quiet: args.quiet,
        progress: standalone_bar(args.quiet),
    };
    start(&config, &out, args.force, options)
}

/// Runs `config` into a new run folder `out` (replacing an earlier one if `force`).
pub fn start(config: &bubblesim_config::Config, out: &Path, force: bool, options: RunOptions) -> Result<(), Failure> {
    let started = Instant::now();
    let seed = config.run.seed;
    let resolved = config.to_toml();
    let config_sha256 = format!("{:x}", Sha256::digest(resolved.as_bytes()));
    let threads = options.threads;
    // Build the world before touching the output folder: nothing is written for a
    // configuration the model cannot start from.
    let sim = Simulation::new(config.clone(), seed, threads).map_err(runtime)?;
    let run_dir = RunDir::create(out, force).map_err(record_failure)?;
    run_dir.write_file("config.toml", resolved.as_bytes()).map_err(runtime)?;
    let writer = writer_options(config, &resolved, &config_sha256);
    let tables = TableSet::create(run_dir.path(), table_specs(), &writer).map_err(runtime)?;
    Session {
        run_dir,
        sim,
        tables: Some(Recorder::start(tables).map_err(runtime)?),
        scenario: config.run.scenario.clone(),
        seed,
        config_sha256,
        threads,
        checkpoint_every: options.checkpoint_every,
        sequence: 0,
        checkpoint_ticks: None,
        quiet: options.quiet,
        progress: options.progress,
        started,
        record_time: Duration::ZERO,
    }
    .drive()
}

pub fn resume(args: &ResumeArgs) -> Result<(), Failure> {
    let options = RunOptions {
        threads: usize::from(args.threads),
        checkpoint_every: args.checkpoint_every,
        quiet: args.quiet,
        progress: standalone_bar(args.quiet),
    };
    continue_run(&args.dir, options)
}

/// Continues the run in `dir` from its last checkpoint (or from the start if it has
/// none); `options.checkpoint_every` defaults to what the run was started with.
pub fn continue_run(dir: &Path, options: RunOptions) -> Result<(), Failure> {
    let started = Instant::now();
    if !dir.is_dir() {
        return Err(Failure::Input(format!("{}: no such run folder", dir.display())));
    }
    let manifest = read_manifest(dir)?;
    if manifest.get("status").and_then(|s| s.as_str()) == Some("complete") {
        return Err(Failure::Input(format!(
            "{}: the run is already complete; there is nothing to resume",
            dir.display()
        )));
    }
    let config_path = dir.join("config.toml");
    let resolved = std::fs::read_to_string(&config_path).map_err(|err| {
        Failure::Input(format!(
            "{}: cannot be read ({err}); is this a bubblesim run folder?",
            config_path.display()
        ))
    })?;
    let config = bubblesim_config::load(&ConfigSource::from_file(&config_path)?, &[])?;
    let config_sha256 = format!("{:x}", Sha256::digest(resolved.as_bytes()));
    let threads = options.threads;
    let checkpoint = Checkpoint::read(dir).map_err(record_failure)?;
    let checkpoint_every = options.checkpoint_every.or_else(|| {
        manifest
            .get("checkpoint_every_ticks")
            .and_then(|n| n.as_u64())
            .and_then(|n| u32::try_from(n).ok())
    });
    let writer = writer_options(&config, &resolved, &config_sha256);
    let run_dir = RunDir::open(dir).map_err(record_failure)?;
    let (sim, tables, sequence, checkpoint_ticks) = match checkpoint {
        Some(checkpoint) => {
            let header = &checkpoint.header;
            header.check_compatible(dir, VERSION, &config_sha256).map_err(record_failure)?;
            let sim = Simulation::restore(&checkpoint.world, threads).map_err(|err| {
                Failure::Input(format!(
                    "{}: its world cannot be restored ({err}); the checkpoint cannot be used",
                    bubblesim_record::checkpoint_path(dir).display()
                ))
            })?;
            // Every file the checkpoint names is checked (size and SHA-256) before anything
            // in the folder changes.
            let tables = TableSet::resume(dir, table_specs(), &writer, &header.tables).map_err(|err| match err {
                RecordError::Damaged { .. } => record_failure(err),
                other => Failure::Input(format!("{other}; the checkpoint cannot be used")),
            })?;
            header.remove_unreferenced(dir).map_err(runtime)?;
            (sim, tables, header.sequence, Some(header.ticks_run))
        }
        None if manifest.get("checkpoint_ticks").is_some_and(|t| !t.is_null()) => {
            return Err(Failure::Input(format!(
                "{}: the manifest says a checkpoint was written, but {} is missing; restore it, or start the run again with `bubblesim run --force`",
                dir.display(),
                bubblesim_record::checkpoint_path(dir).display()
            )));
        }
        None => {
            // Stopped before its first checkpoint: start again from the first day.
            let checkpoint_dir = dir.join("checkpoint");
            if checkpoint_dir.exists() {
                std::fs::remove_dir_all(&checkpoint_dir).map_err(runtime)?;
            }
            let sim = Simulation::new(config.clone(), config.run.seed, threads).map_err(runtime)?;
            let tables = TableSet::create(dir, table_specs(), &writer).map_err(runtime)?;
            (sim, tables, 0, None)
        }
    };
    if !options.quiet {
        match checkpoint_ticks {
            Some(ticks) => eprintln!("resuming {} after {ticks} trading days", dir.display()),
            None => eprintln!("{} has no checkpoint; running it again from the start", dir.display()),
        }
    }
    Session {
        run_dir,
        sim,
        tables: Some(Recorder::start(tables).map_err(runtime)?),
        scenario: config.run.scenario.clone(),
        seed: config.run.seed,
        config_sha256,
        threads,
        checkpoint_every,
        sequence,
        checkpoint_ticks,
        quiet: options.quiet,
        progress: options.progress,
        started,
        record_time: Duration::ZERO,
    }
    .drive()
}

fn read_manifest(dir: &Path) -> Result<serde_json::Value, Failure> {
    let path = dir.join("manifest.json");
    match std::fs::read(&path) {
        Ok(bytes) => {
            serde_json::from_slice(&bytes).map_err(|err| Failure::Input(format!("{}: not a bubblesim manifest ({err})", path.display())))
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(serde_json::Value::Null),
        Err(err) => Err(Failure::Input(format!("{}: cannot be read ({err})", path.display()))),
    }
}

/// A run in progress: the world, its tables and its folder.
struct Session {
    /// The tables, written on the recorder thread; taken when they are finished. Declared
    /// first so that it stops (and stops writing) before the folder may be removed.
    tables: Option<Recorder>,
    run_dir: RunDir,
    sim: Simulation,
    scenario: String,
    seed: u64,
    config_sha256: String,
    threads: usize,
    checkpoint_every: Option<u32>,
    /// Checkpoints written so far in the run (across resumptions).
    sequence: u64,
    /// Trading days the latest checkpoint holds.
    checkpoint_ticks: Option<u32>,
    quiet: bool,
    progress: ProgressBar,
    started: Instant,
    /// Wall time the simulation waited for the recorder.
    record_time: Duration,
}

impl Session {
    /// Hands the rows recorded since the last call to the writers.
    fn drain(&mut self) -> Result<(), Failure> {
        let writing = Instant::now();
        let Some(tables) = self.tables.as_mut() else { return Ok(()) };
        tables
            .write(self.sim.take_observations())
            .context("writing the tables")
            .map_err(runtime)?;
        self.record_time += writing.elapsed();
        Ok(())
    }

    /// Writes a checkpoint of everything so far, and a manifest with `status` that says so.
    fn checkpoint(&mut self, status: &str) -> Result<Manifest, Failure> {
        self.drain()?;
        let writing = Instant::now();
        self.sequence += 1;
        let tables = match self.tables.as_mut() {
            Some(tables) => tables
                .checkpoint(self.sequence)
                .context("closing the tables' parts")
                .map_err(runtime)?,
            None => BTreeMap::new(),
        };
        let world = self.sim.snapshot().context("encoding the world").map_err(runtime)?;
        let header = CheckpointHeader {
            format: CHECKPOINT_FORMAT,
            bubblesim_version: VERSION.to_owned(),
            config_sha256: self.config_sha256.clone(),
            ticks_run: self.sim.ticks_run(),
            last_date: iso_date(self.sim.summary().last_date),
            sequence: self.sequence,
            world_bytes: world.len() as u64,
            tables,
        };
        let rows = header.tables.iter().map(|(name, t)| (name.clone(), t.rows)).collect();
        Checkpoint { header, world }
            .write(self.run_dir.path())
            .context("writing the checkpoint")
            .map_err(runtime)?;
        self.checkpoint_ticks = Some(self.sim.ticks_run());
        // From now on the folder holds work worth keeping, whatever happens.
        self.run_dir.keep_on_failure();
        self.record_time += writing.elapsed();
        let manifest = self.manifest(status, rows);
        self.run_dir.write_manifest(&manifest).map_err(runtime)?;
        Ok(manifest)
    }

    fn manifest(&self, status: &str, row_counts: BTreeMap<String, u64>) -> Manifest {
        let summary = self.sim.summary();
        let total_time = self.started.elapsed();
        Manifest {
            bubblesim_version: VERSION.to_owned(),
            scenario: self.scenario.clone(),
            seed: self.seed,
            config_sha256: self.config_sha256.clone(),
            status: status.to_owned(),
            checkpoint_every_ticks: self.checkpoint_every,
            checkpoint_ticks: if status == "complete" { None } else { self.checkpoint_ticks },
            ticks: summary.ticks,
            first_date: iso_date(summary.first_date),
            last_date: iso_date(summary.last_date),
            threads: self.threads,
            row_counts,
            timings_seconds: BTreeMap::from([
                ("record".to_owned(), self.record_time.as_secs_f64()),
                ("simulate".to_owned(), (total_time.saturating_sub(self.record_time)).as_secs_f64()),
                ("total".to_owned(), total_time.as_secs_f64()),
            ]),
            summary: summary.figures(),
        }
    }

    fn drive(mut self) -> Result<(), Failure> {
        // Ctrl-C or SIGTERM: stop at the end of the current trading day and checkpoint.
        watch_for_interrupt();
        self.run_dir
            .write_manifest(&self.manifest("running", BTreeMap::new()))
            .map_err(runtime)?;
        let progress = self.progress.clone();
        progress.set_length(u64::from(self.sim.clock().horizon_ticks()));
        progress.set_position(u64::from(self.sim.ticks_run()));
        progress.reset_eta();
        while !self.sim.finished() {
            if interrupt_requested() {
                progress.finish_and_clear();
                return self.interrupt();
            }
            if let Err(breach) = self.sim.step() {
                return Err(runtime(anyhow::anyhow!(
                    "{breach} — agent {} is {} (on {}); this is a bug in the model, not in the scenario",
                    breach.agent.0,
                    self.sim.agent_label(breach.agent),
                    iso_date(self.sim.clock().date)
                )));
            }
            if !self.sim.ai_index_level().is_finite() {
                return Err(runtime(anyhow::anyhow!(
                    "the simulation became numerically unstable on {} (the AI index is no longer finite); the market parameters are too extreme — try a smaller market.price_impact or fewer retail lots per order",
                    iso_date(self.sim.clock().date)
                )));
            }
            let ticks_run = self.sim.ticks_run();
            let checkpoint_due = self.checkpoint_every.is_some_and(|every| ticks_run.is_multiple_of(every)) && !self.sim.finished();
            if checkpoint_due {
                self.checkpoint("running")?;
            } else if self.sim.clock().tick.is_multiple_of(DRAIN_EVERY_TICKS) || self.sim.finished() {
                self.drain()?;
            }
            progress.set_position(u64::from(ticks_run));
            if ticks_run.is_multiple_of(DRAIN_EVERY_TICKS) {
                progress.set_message(format!(
                    "{} · AI index {:.1}",
                    iso_date(self.sim.clock().date),
                    self.sim.ai_index_level()
                ));
            }
        }
        progress.finish_and_clear();
        self.complete()
    }

    /// Stopped by a signal: checkpoint, mark the manifest and keep the folder.
    fn interrupt(mut self) -> Result<(), Failure> {
        let manifest = self.checkpoint("interrupted")?;
        let ticks = self.sim.ticks_run();
        let horizon = self.sim.clock().horizon_ticks();
        self.tables = None;
        let path = self.run_dir.keep();
        Err(Failure::Interrupted(format!(
            "interrupted after {ticks} of {horizon} trading days (on {}); checkpoint written — continue with `bubblesim resume {}`",
            manifest.last_date,
            path.display()
        )))
    }

    fn complete(mut self) -> Result<(), Failure> {
        let writing = Instant::now();
        let row_counts: BTreeMap<String, u64> = self
            .tables
            .take()
            .map(Recorder::finish)
            .transpose()
            .map_err(runtime)?
            .unwrap_or_default()
            .into_iter()
            .map(|(name, rows)| (name.to_owned(), rows))
            .collect();
        self.record_time += writing.elapsed();
        let manifest = self.manifest("complete", row_counts);
        let summary = self.sim.summary();
        let path = self.run_dir.complete(&manifest).map_err(runtime)?;
        if !self.quiet {
            print_summary(&manifest, &summary, &path);
        }
        Ok(())
    }
}

fn print_summary(manifest: &Manifest, summary: &Summary, path: &Path) {
    let mut text = String::new();
    let totals = summary.totals;
    let economy = summary.economy;
    let seed = manifest.seed;
    let total_time = manifest.timings_seconds.get("total").copied().unwrap_or_default();
    let _ = writeln!(
        text,
        "bubblesim {} · seed {seed} · {} to {} ({} trading days) in {:.1}s",
        manifest.scenario, manifest.first_date, manifest.last_date, summary.ticks, total_time
    );
    let _ = writeln!(
        text,
        "  AI index: ends at {:.1}; deepest peak-to-trough fall {:.1}%",
        summary.ai_index_level,
        summary.ai_index_max_drawdown * 100.0
    );
    let _ = writeln!(
        text,
        "  leases: {} rent cuts, {} breaks, {} defaults",
        totals.lease_rent_cuts, totals.lease_breaks, totals.lease_defaults
    );
    let _ = writeln!(
        text,
        "  GPUs: ${:.1}B impaired, ${:.1}B written off at retirement; {} generations released",
        totals.impairments_usd / 1e9,
        totals.retirements_usd / 1e9,
        totals.generations_released
    );
    let _ = writeln!(
        text,
        "  bubble index: {}/8 at the start, lowest {}/8, highest {}/8, {}/8 at the end",
        summary.bubble_first, summary.bubble_lowest, summary.bubble_highest, summary.bubble_last
    );
    let _ = writeln!(
        text,
        "  labs: {} funding rounds, {} failures",
        totals.funding_rounds, totals.lab_failures
    );
    let deal = &summary.circular;
    if deal.lab.is_some() {
        let _ = writeln!(
            text,
            "  loop: chipmaker → lab ${:.1}B of equity, lab → cloud ${:.1}B take-or-pay (${:.1}B back as its capacity's market rent), cloud → chipmaker ${:.1}B of GPUs ({:.2} GW; contract {})",
            deal.invested_usd / 1e9,
            deal.paid_usd / 1e9,
            deal.credited_usd / 1e9,
            deal.gpus_bought_usd / 1e9,
            deal.deployed_gw,
            if deal.active { "in force" } else { "unwound or ended" }
        );
    }
    let _ = writeln!(
        text,
        "  credit: {} securities issued, {} downgrades, ${:.1}B of principal written off, {} guarantees called",
        totals.securities_issued,
        totals.downgrades,
        totals.tranche_losses_usd / 1e9,
        totals.guarantees_called
    );
    let _ = writeln!(
        text,
        "  holders: {} margin calls, ${:.1}B of forced sales",
        totals.margin_calls,
        totals.forced_sales_usd / 1e9
    );
    let lowest_growth = if economy.lowest_gdp_growth_yoy.is_nan() {
        String::new()
    } else {
        format!(", weakest year-on-year GDP growth {:+.1}%", economy.lowest_gdp_growth_yoy * 100.0)
    };
    let _ = writeln!(
        text,
        "  economy: AI investment {:.1}% of GDP at the start; unemployment {:.1}% → peak {:.1}%{lowest_growth}; at most {} of {} regions in recession",
        economy.first_ai_share_of_gdp * 100.0,
        economy.first_unemployment_rate * 100.0,
        economy.peak_unemployment_rate * 100.0,
        economy.most_regions_in_recession,
        economy.regions
    );
    let _ = writeln!(
        text,
        "  accounts: money conserved on every trading day (largest residual ${:.2})",
        economy.largest_money_residual_usd
    );
    let _ = writeln!(text, "  tables: {}", path.display());
    crate::print_stdout(&text);
}
