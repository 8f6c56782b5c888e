//! The `bubblesim` command line: `run`, `resume`, `sweep`, `report`, `validate`, `check` and `schema`. Bad input
//! (configuration, arguments, an existing output folder, a checkpoint that cannot be
//! used) ends with exit code 2 and one clear message; a failure while running ends with
//! exit code 1 and removes a new run's folder; Ctrl-C or SIGTERM ends the current
//! trading day, writes a checkpoint and exits with 130, leaving the folder to resume.

mod cli;
mod failure;
mod output;
mod report;
mod run;
mod scenario;
mod sweep;
mod validate;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::failure::{Failure, print_stdout};
use crate::scenario::{list_scenarios, load_config};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) if args.list => {
            list_scenarios();
            Ok(())
        }
        Command::Run(args) => run::start::run(&args),
        Command::Resume(args) => run::start::resume(&args),
        Command::Sweep(args) => sweep::command::sweep(&args),
        Command::Report(args) => report::page::report(&args),
        Command::Validate(args) => validate::validate(&args),
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
                sweep::summary::markdown()
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
