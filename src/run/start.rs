//! `bubblesim run` and `bubblesim resume`: load, build (or restore from the checkpoint),
//! step every trading day, stream the tables, checkpoint every N days and on Ctrl-C or
//! SIGTERM, write the manifest, print a summary.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bubblesim_config::ConfigSource;
use bubblesim_model::prelude::{Simulation, table_specs};
use bubblesim_record::{Checkpoint, RecordError, RunDir, TableSet, WriterOptions};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sha2::{Digest, Sha256};

use crate::cli::{ResumeArgs, RunArgs};
use crate::failure::{Failure, runtime};
use crate::output::recorder::Recorder;
use crate::run::session::{Session, VERSION};
use crate::scenario::load_config;

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
