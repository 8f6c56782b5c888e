//! `bubblesim validate RUN [--targets FILE]`: measures a finished run against a targets
//! file (by default the baseline's 2025 anchors, `configs/targets/2025.toml`) and prints
//! model against target. A target outside its band is a miss: exit 1. A missing run, a
//! bad targets file or a table the run lacks is bad input: exit 2. The report shows the
//! same table ([`outcomes`]).

pub mod targets;

use std::fmt::Write as _;
use std::path::Path;

use crate::cli::ValidateArgs;
use crate::failure::{Failure, print_stdout};
use crate::report::data::finished_run;
use crate::report::svg::label;
use crate::validate::targets::{DEFAULT_TARGETS, DEFAULT_TARGETS_PATH, Outcome, Targets};

/// A value as the report's charts label it (k/M/B/T for large magnitudes); "—" when the
/// run does not reach a target's dates.
pub fn compact(value: f64) -> String {
    if value.is_finite() { label(value) } else { "—".to_owned() }
}

/// Reads the targets: `path`, or the compiled-in defaults.
pub fn load_targets(path: Option<&Path>) -> Result<Targets, Failure> {
    match path {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|err| Failure::Input(format!("{}: cannot be read ({err})", path.display())))?;
            Targets::parse(&text, &path.display().to_string()).map_err(Failure::Input)
        }
        None => Targets::parse(DEFAULT_TARGETS, DEFAULT_TARGETS_PATH).map_err(Failure::Input),
    }
}

/// Every target measured on the run in `dir`, in the file's order.
pub fn outcomes<'a>(targets: &'a Targets, dir: &Path) -> Result<Vec<Outcome<'a>>, Failure> {
    targets
        .target
        .iter()
        .map(|target| target.measure(dir).map_err(Failure::Input))
        .collect()
}

/// The table `validate` prints: one line per target.
fn table(outcomes: &[Outcome]) -> String {
    let width = outcomes.iter().map(|o| o.target.name.chars().count()).max().unwrap_or(0);
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{:width$}  {:>9}  {:>9}  {:>19}  result  source",
        "target", "model", "anchor", "band"
    );
    for outcome in outcomes {
        let t = outcome.target;
        let band = format!("{} … {}", compact(t.low), compact(t.high));
        let _ = writeln!(
            text,
            "{:width$}  {:>9}  {:>9}  {:>19}  {:6}  {}",
            t.name,
            compact(outcome.model),
            compact(t.target),
            band,
            if outcome.met() { "ok" } else { "MISS" },
            t.source
        );
    }
    text
}

/// The command.
pub fn validate(args: &ValidateArgs) -> Result<(), Failure> {
    finished_run(&args.dir)?;
    let targets = load_targets(args.targets.as_deref())?;
    let outcomes = outcomes(&targets, &args.dir)?;
    print_stdout(&table(&outcomes));
    let missed = outcomes.iter().filter(|o| !o.met()).count();
    if missed > 0 {
        return Err(Failure::Runtime(anyhow::anyhow!(
            "{missed} of {} targets outside their band",
            outcomes.len()
        )));
    }
    eprintln!("all {} targets met", outcomes.len());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_targets_parse_and_bad_ones_name_the_key() {
        let targets = Targets::parse(DEFAULT_TARGETS, DEFAULT_TARGETS_PATH).expect("the shipped targets parse");
        assert!(targets.target.len() >= 8);
        let bad_date = DEFAULT_TARGETS.replacen("2025-10-01", "2025-13-01", 1);
        let err = Targets::parse(&bad_date, "t.toml").unwrap_err();
        assert!(err.contains("t.toml: target[0]") && err.contains("date"), "{err}");
        let unknown = format!(
            "{DEFAULT_TARGETS}\n[[target]]\nname = \"x\"\ntarget = 1.0\nlow = 0.0\nhigh = 2.0\nsource = \"s\"\nmeasure = {{ kind = \"median\", table = \"macro\", column = \"gdp_usd_per_year\" }}\n"
        );
        let err = Targets::parse(&unknown, "t.toml").unwrap_err();
        assert!(err.contains("t.toml") && err.contains("median"), "{err}");
        let inverted = DEFAULT_TARGETS.replacen("low = 4.0e12", "low = 9.0e12", 1);
        assert!(Targets::parse(&inverted, "t.toml").unwrap_err().contains("low ≤ high"));
    }

    #[test]
    fn compact_numbers_read_at_a_glance() {
        assert_eq!(compact(4.917e12), "4.917T");
        assert_eq!(compact(3.38e11), "338B");
        assert_eq!(compact(2.3124), "2.312");
        assert_eq!(compact(f64::NAN), "—");
    }
}
