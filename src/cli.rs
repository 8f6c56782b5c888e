//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// bubblesim — an agent-based simulation of how an AI investment boom can become a
/// financial crash, and of what happens if it does not.
#[derive(Debug, Parser)]
#[command(name = "bubblesim", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario and write its tables to a run folder.
    Run(RunArgs),
    /// Continue an interrupted or killed run from its last checkpoint; the finished
    /// tables are identical to those of a run never stopped.
    Resume(ResumeArgs),
    /// Validate a scenario (and overrides) without running it; prints the resolved config.
    Check(CheckArgs),
    /// Run a parameter sweep (a file in configs/sweeps/): locally in parallel, or one
    /// shard of it as a Slurm or Kubernetes array task; or summarise a sweep folder.
    Sweep(SweepArgs),
    /// Print every output table's columns with units and meaning (Markdown).
    Schema,
    /// Write DIR/report.html: a finished run's key charts, cascade timeline, headline
    /// figures and config on one self-contained page.
    Report(ReportArgs),
    /// Measure a finished run against calibration targets (the baseline's 2025 anchors
    /// unless --targets names another file); exit 1 when one falls outside its band.
    Validate(ValidateArgs),
}

/// Options that change the configuration.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Override a key: `--set section.key=value` (repeatable; lists: `--set labs.0.cash_usd=1e9`).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<String>,
    /// Master seed (overrides `run.seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Horizon in years (overrides `run.years`).
    #[arg(long)]
    pub years: Option<String>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (TOML), or the name of a shipped scenario (see --list). Without
    /// one, the built-in baseline runs.
    pub config: Option<PathBuf>,
    /// List the shipped scenarios with a line on each, and exit.
    #[arg(long, conflicts_with = "config")]
    pub list: bool,
    #[command(flatten)]
    pub config_args: ConfigArgs,
    /// Output folder [default: runs/<scenario>-seed<seed>].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads (results are identical for any value).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: u16,
    /// Replace the output folder if it exists (an earlier run folder only).
    #[arg(long)]
    pub force: bool,
    /// Write a checkpoint every N trading days (252 a year), from which `bubblesim
    /// resume` continues. Ctrl-C and SIGTERM always write one.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub checkpoint_every: Option<u32>,
    /// No progress bar and no summary.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ResumeArgs {
    /// The run folder (what `run --out` named).
    pub dir: PathBuf,
    /// Worker threads (results are identical for any value).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: u16,
    /// Trading days between checkpoints [default: what the run was started with].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub checkpoint_every: Option<u32>,
    /// No progress bar and no summary.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario file (TOML), or the name of a shipped scenario.
    pub config: PathBuf,
    #[command(flatten)]
    pub config_args: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The sweep file (TOML; see configs/sweeps/).
    #[arg(required_unless_present = "summarize")]
    pub sweep: Option<PathBuf>,
    /// Sweep folder [default: runs/<sweep file name>].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Runs at once on this machine [default: the number of cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub jobs: Option<u16>,
    /// Print the numbered plan (this shard's part of it with --shard) and exit.
    #[arg(long)]
    pub plan: bool,
    /// Go ahead with more than 100 runs in this invocation.
    #[arg(long)]
    pub yes: bool,
    /// Run only shard K of N (K from 1 to N): the plan's runs K, K + N, K + 2N, …
    /// [default: from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT, or from
    /// JOB_COMPLETION_INDEX with --shards]
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// The number of shards when the index comes from Kubernetes' JOB_COMPLETION_INDEX
    /// (the Job's completions).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub shards: Option<u32>,
    /// Write DIR/summary.parquet (one row per completed run) and exit; run it once every
    /// shard has finished.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["sweep", "out", "jobs", "plan", "yes", "shard", "shards", "checkpoint_every"])]
    pub summarize: Option<PathBuf>,
    /// Each run writes a checkpoint every N trading days; a rerun of the sweep resumes
    /// unfinished runs from theirs.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub checkpoint_every: Option<u32>,
    /// No progress display and no per-run lines.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// A finished run folder.
    pub dir: PathBuf,
    /// A targets file (default: the compiled-in configs/targets/2025.toml).
    #[arg(long, value_name = "FILE")]
    pub targets: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A finished run folder.
    pub dir: PathBuf,
    /// Do not print where the report is.
    #[arg(long)]
    pub quiet: bool,
}
