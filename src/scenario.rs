//! Which scenario a command runs: a file, a shipped scenario's name, or the baseline,
//! with `--seed`, `--years` and `--set` applied; and the list of shipped scenarios.

use bubblesim_config::{Config, ConfigError, ConfigSource};

use crate::cli::ConfigArgs;
use crate::failure::print_stdout;

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

/// Prints each shipped scenario: its name, file and one-line description.
pub fn list_scenarios() {
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
