//! A sweep and its plan: a base scenario, the parameters to vary (lists, ranges, Latin-hypercube
//! or random samples) and the replicate seeds, expanded into a numbered plan of runs.
//!
//! The plan is deterministic: grid parameters vary in the order the file declares them
//! (the first slowest), then the sampled points, then the seeds (fastest). Each run has a
//! Hive-style folder, `name=value/…/seed=s`, so that readers of the sweep folder see the
//! parameters as columns.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use toml::{Table, Value};

use crate::error::ConfigError;
use crate::load::{ConfigSource, Override, humanise_serde, load_with, one_line};
use crate::schema::Config;
use crate::sweep::file::{SweepFile, flatten_set, invalid, resolve_base};
use crate::sweep::params::{check_names, check_param};
use crate::sweep::sample::{check_sample, sample_values};
use crate::sweep::seeds::check_seeds;
use crate::sweep::values::{Axis, MAX_SWEEP_RUNS, ParamValue, PlannedRun, SweepParam};

/// A loaded, validated sweep and its plan.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The file's stem: the default output folder's name.
    pub name: String,
    /// The file as the user named it, for messages.
    pub source_name: String,
    /// The file's text, kept in the sweep folder.
    pub text: String,
    /// The sweep's `description`.
    pub description: String,
    /// The base scenario, with the sweep's `[set]` keys on top.
    pub base: ConfigSource,
    set: Vec<Override>,
    /// The swept parameters, in the file's order.
    pub params: Vec<SweepParam>,
    /// Seeds of the replicates, each run once per parameter point.
    pub seeds: Vec<u64>,
    /// Points drawn for the sampled parameters (1 when none are sampled).
    pub sample_points: usize,
    /// The plan: every run, numbered from 1.
    pub runs: Vec<PlannedRun>,
}

impl Sweep {
    /// Reads, validates and expands a sweep file. The base scenario is a shipped
    /// scenario's name, or (when it ends in `.toml` or names a folder) a file relative
    /// to the sweep file.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let source = ConfigSource::from_file(path)?;
        let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        Self::from_source(&source, &name, &folder)
    }

    /// Like [`Sweep::load`], from text already read; `folder` resolves a base file.
    pub fn from_source(source: &ConfigSource, name: &str, folder: &Path) -> Result<Self, ConfigError> {
        let src = source.name.as_str();
        let table = source.text.parse::<Table>().map_err(|err| ConfigError::Syntax {
            source_name: src.to_owned(),
            reason: one_line(&err.to_string()),
        })?;
        let file: SweepFile = serde_path_to_error::deserialize(Value::Table(table)).map_err(|err| {
            let path = err.path().to_string().replace('[', ".").replace(']', "");
            invalid(src, path, humanise_serde(&err.inner().to_string()))
        })?;
        let base = resolve_base(src, &file.sweep.base, folder)?;
        let mut set = Vec::new();
        flatten_set(&file.set, "", &mut |path, value| {
            set.push(Override {
                origin: format!("{src}: [set] {path}"),
                path,
                value,
            })
        });
        if set.iter().any(|o| o.path == "run.seed") {
            return Err(invalid(src, "set.run.seed", "seeds are set by `sweep.seeds` (a count or a list)"));
        }
        let base_config = load_with(&base, &set)?;
        let resolved: Table = base_config.to_toml().parse().expect("a resolved config is valid TOML");
        let sample = file.sample.map(|s| check_sample(src, s)).transpose()?;
        let mut params = Vec::with_capacity(file.param.len());
        for (index, entry) in file.param.into_iter().enumerate() {
            params.push(check_param(src, index, entry, &resolved, sample.as_ref())?);
        }
        check_names(src, &params)?;
        let sampled = params.iter().any(|p| matches!(p.axis, Axis::Sampled { .. }));
        let sample_points = match (&sample, sampled) {
            (Some(sample), true) => sample.points,
            (Some(_), false) => {
                return Err(invalid(
                    src,
                    "sample",
                    "no parameter is sampled: give a `[[param]]` a `min` and a `max`, or remove `[sample]`",
                ));
            }
            (None, _) => 1,
        };
        let seeds = check_seeds(src, &file.sweep.seeds, base_config.run.seed)?;
        let total = params
            .iter()
            .filter_map(|p| match &p.axis {
                Axis::Grid(values) => Some(values.len()),
                Axis::Sampled { .. } => None,
            })
            .try_fold(sample_points, usize::checked_mul)
            .and_then(|n| n.checked_mul(seeds.len()))
            .filter(|&n| n <= MAX_SWEEP_RUNS)
            .ok_or_else(|| {
                invalid(
                    src,
                    "param",
                    format!("the plan has more than {MAX_SWEEP_RUNS} runs; sweep fewer values, points or seeds"),
                )
            })?;
        let points = match &sample {
            Some(sample) if sampled => sample_values(sample, &params),
            _ => vec![Vec::new()],
        };
        let runs = expand(&params, &points, &seeds);
        debug_assert_eq!(runs.len(), total);
        let sweep = Self {
            name: name.to_owned(),
            source_name: src.to_owned(),
            text: source.text.clone(),
            description: file.sweep.description,
            base,
            set,
            params,
            seeds,
            sample_points,
            runs,
        };
        sweep.check_folders_unique()?;
        Ok(sweep)
    }

    /// The run's folder inside the sweep folder: `name=value/…/seed=s`.
    pub fn folder(&self, run: &PlannedRun) -> PathBuf {
        self.assignments(run).collect()
    }

    /// `name=value, …, seed=s`, for messages and progress.
    pub fn label(&self, run: &PlannedRun) -> String {
        self.assignments(run).collect::<Vec<_>>().join(", ")
    }

    /// `name=value` for each parameter, then `seed=s`: the parts of a run's folder.
    fn assignments<'a>(&'a self, run: &'a PlannedRun) -> impl Iterator<Item = String> + 'a {
        self.params
            .iter()
            .zip(&run.values)
            .map(|(param, value)| format!("{}={value}", param.name))
            .chain(std::iter::once(format!("seed={}", run.seed)))
    }

    /// The run's configuration: the base, the sweep's `[set]`, the run's values and seed.
    pub fn config(&self, run: &PlannedRun) -> Result<Config, ConfigError> {
        let origin = format!("{}: run {} ({})", self.source_name, run.number, self.label(run));
        let mut overrides = self.set.clone();
        for (param, value) in self.params.iter().zip(&run.values) {
            overrides.push(Override {
                path: param.key.clone(),
                value: value.to_toml(),
                origin: origin.clone(),
            });
        }
        overrides.push(Override {
            path: "run.seed".to_owned(),
            // Seeds are checked to fit TOML's integers when the plan is made.
            value: Value::Integer(i64::try_from(run.seed).expect("seeds are at most i64::MAX")),
            origin: origin.clone(),
        });
        load_with(&self.base, &overrides).map_err(|error| {
            if error.to_string().starts_with(&origin) {
                error
            } else {
                ConfigError::InSweepRun {
                    run: origin,
                    error: Box::new(error),
                }
            }
        })
    }

    /// How the plan is built, e.g. `3 herding_weight × 8 sampled points × 2 seeds`.
    pub fn shape(&self) -> String {
        let mut parts: Vec<String> = self
            .params
            .iter()
            .filter_map(|p| match &p.axis {
                Axis::Grid(values) => Some(format!("{} {}", values.len(), p.name)),
                Axis::Sampled { .. } => None,
            })
            .collect();
        let sampled: Vec<&str> = self
            .params
            .iter()
            .filter(|p| matches!(p.axis, Axis::Sampled { .. }))
            .map(|p| p.name.as_str())
            .collect();
        if !sampled.is_empty() {
            parts.push(format!("{} sampled points of {}", self.sample_points, sampled.join(", ")));
        }
        parts.push(format!("{} seed{}", self.seeds.len(), if self.seeds.len() == 1 { "" } else { "s" }));
        parts.join(" × ")
    }

    fn check_folders_unique(&self) -> Result<(), ConfigError> {
        let mut seen = BTreeSet::new();
        for run in &self.runs {
            let folder = self.folder(run);
            if !seen.insert(folder.clone()) {
                return Err(invalid(
                    &self.source_name,
                    "sample.significant_digits",
                    format!(
                        "two runs of the plan would share the folder {} (sampled values rounded alike): raise `sample.significant_digits`, or for a whole-number parameter draw fewer points or widen `min` … `max`",
                        folder.display()
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// Grid values (first parameter slowest) × sampled points × seeds (fastest).
fn expand(params: &[SweepParam], points: &[Vec<ParamValue>], seeds: &[u64]) -> Vec<PlannedRun> {
    // Partial assignments: one value per grid parameter, in declaration order.
    let mut grid: Vec<Vec<Option<ParamValue>>> = vec![Vec::new()];
    for param in params {
        grid = match &param.axis {
            Axis::Grid(values) => grid
                .into_iter()
                .flat_map(|prefix| {
                    values.iter().map(move |v| {
                        let mut next = prefix.clone();
                        next.push(Some(v.clone()));
                        next
                    })
                })
                .collect(),
            Axis::Sampled { .. } => grid
                .into_iter()
                .map(|mut prefix| {
                    prefix.push(None);
                    prefix
                })
                .collect(),
        };
    }
    let mut runs = Vec::new();
    for assignment in &grid {
        for point in points {
            let mut sampled = point.iter();
            let values: Vec<ParamValue> = assignment
                .iter()
                .map(|slot| match slot {
                    Some(value) => value.clone(),
                    None => sampled.next().cloned().expect("one sampled value per sampled parameter"),
                })
                .collect();
            for &seed in seeds {
                runs.push(PlannedRun {
                    number: runs.len() + 1,
                    values: values.clone(),
                    seed,
                });
            }
        }
    }
    runs
}
