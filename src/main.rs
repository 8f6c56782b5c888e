//! The `bubblesim` command line: `run`, `resume`, `sweep`, `report`, `check` and `schema`. Bad input
//! (configuration, arguments, an existing output folder, a checkpoint that cannot be
//! used) ends with exit code 2 and one clear message; a failure while running ends with
//! exit code 1 and removes a new run's folder; Ctrl-C or SIGTERM ends the current
//! trading day, writes a checkpoint and exits with 130, leaving the folder to resume.

mod cli;
mod recorder;
mod report;
mod report_charts;
mod report_data;
mod run;
mod shard;
mod svg_chart;
mod sweep;
mod sweep_summary;

use std::process::ExitCode;

use clap::Parser;

use bubblesim_config::{Config, ConfigError, ConfigSource};
use cli::{Cli, Command, ConfigArgs};

/// How a command failed: bad input (exit 2) or a failure while working (exit 1).
pub enum Failure {
    Input(String),
    Runtime(anyhow::Error),
    /// Stopped by Ctrl-C or SIGTERM (exit 130).
    Interrupted(String),
}

impl From<ConfigError> for Failure {
    fn from(err: ConfigError) -> Self {
        Failure::Input(err.to_string())
    }
}

/// Loads the scenario (or the baseline) with `--seed`, `--years` and `--set` applied.
pub fn load_config(path: Option<&std::path::Path>, args: &ConfigArgs) -> Result<Config, ConfigError> {
    let source = match path {
        // A shipped scenario's name, when no file of that name exists here.
        Some(path) if !path.exists() && path.to_str().and_then(bubblesim_config::scenario_source).is_some() => path
            .to_str()
            .and_then(bubblesim_config::scenario_source)
            .expect("checked just above"),
        Some(path) if !path.exists() => {
            let names: Vec<&str> = bubblesim_config::SCENARIOS.iter().map(|(name, _, _)| *name).collect();
            return Err(ConfigError::Read {
                source_name: path.display().to_string(),
                reason: format!(
                    "no such file, and no shipped scenario of that name ({}; `bubblesim run --list` describes them)",
                    names.join(", ")
                ),
            });
        }
        Some(path) => ConfigSource::from_file(path)?,
        None => ConfigSource::baseline(),
    };
    let mut overrides = Vec::new();
    if let Some(seed) = args.seed {
        overrides.push(format!("run.seed={seed}"));
    }
    if let Some(years) = &args.years {
        overrides.push(format!("run.years={years}"));
    }
    overrides.extend(args.overrides.iter().cloned());
    bubblesim_config::load(&source, &overrides)
}

/// Writes `text` to stdout. A reader that stops early (`bubblesim schema | head`) is
/// not an error.
pub fn print_stdout(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
}

/// Prints each shipped scenario: its name, file and one-line description.
fn list_scenarios() {
    let mut text = String::new();
    for (name, file, _) in bubblesim_config::SCENARIOS {
        let description = match bubblesim_config::load_scenario(name, &[]) {
            Some(Ok(config)) => config.run.description,
            Some(Err(err)) => format!("(does not load: {err})"),
            None => String::new(),
        };
        text.push_str(&format!("{name:<26} {file:<40} {description}\n"));
    }
    print_stdout(&text);
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) if args.list => {
            list_scenarios();
            Ok(())
        }
        Command::Run(args) => run::run(&args),
        Command::Resume(args) => run::resume(&args),
        Command::Sweep(args) => sweep::sweep(&args),
        Command::Report(args) => report::report(&args),
        Command::Check(args) => load_config(Some(&args.config), &args.config_args)
            .map_err(Failure::from)
            .map(|config| {
                print_stdout(&config.to_toml());
                eprintln!("{}: valid", args.config.display());
            }),
        Command::Schema => {
            print_stdout(&format!(
                "{}{}\n{}",
                bubblesim_record::schema_markdown(&bubblesim_model::prelude::table_specs()),
                bubblesim_model::prelude::event_kinds_markdown(),
                sweep_summary::markdown()
            ));
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Runtime(err)) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
        Err(Failure::Interrupted(message)) => {
            eprintln!("{message}");
            ExitCode::from(130)
        }
    }
}
