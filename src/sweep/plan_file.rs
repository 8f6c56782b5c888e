//! The plan as a sweep folder keeps it (`sweep.json`) and the marker of a completed
//! run: what every shard writes, and what `--summarize` reads back.

use std::path::Path;

use bubblesim_config::{ParamType, Sweep};
use serde::Serialize;
use sha2::{Digest, Sha256};

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

pub(crate) fn plan_file(sweep: &Sweep, config_hashes: &[String]) -> PlanFile {
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
pub(crate) fn folder_text(path: &Path) -> String {
    path.iter().map(|part| part.to_string_lossy()).collect::<Vec<_>>().join("/")
}
