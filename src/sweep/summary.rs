//! `summary.parquet`: one row per completed run of a sweep, with its parameters, seed
//! and folder, and the headline outcomes from its manifest. Built from `sweep.json` and
//! the runs' manifests alone, so every machine that ran a shard gives the same bytes.

use std::path::Path;

use bubblesim_model::prelude::FIGURES;
use bubblesim_record::{ColumnData, NamedColumn, write_table_file};
use serde::Deserialize;

use crate::failure::Failure;
use crate::sweep::plan_file::{PlanParam, PlanRun, SUCCESS_MARKER};

/// `summary.parquet`'s columns as Markdown, for `bubblesim schema`.
pub fn markdown() -> String {
    let mut text = String::from(
        "## `summary.parquet` (a sweep folder)\n\nOne row: a completed run of a sweep (`bubblesim sweep`, docs/sweeps.md). Its outcome columns are the run's manifest summary.\n\n| column | type | unit | meaning |\n|---|---|---|---|\n| `run` | u32 | number | the run's number in the sweep's plan (from 1) |\n| one per swept parameter | i64, f64, bool or string | as the config key | the parameter's value |\n| `seed` | u64 | seed | the run's master seed (run.seed) |\n| `folder` | string | path | the run's folder, relative to the sweep folder |\n",
    );
    for figure in FIGURES {
        let kind = if figure.unit == "count" {
            "u64 (nullable)"
        } else {
            "f64 (nullable)"
        };
        text.push_str(&format!("| `{}` | {kind} | {} | {} |\n", figure.key, figure.unit, figure.meaning));
    }
    text
}

#[derive(Deserialize)]
struct PlanOnDisk {
    bubblesim_version: String,
    sweep: String,
    sweep_file_sha256: String,
    params: Vec<PlanParam>,
    runs: Vec<PlanRun>,
}

/// Writes `dir/summary.parquet` from the completed runs; returns (rows, runs missing).
pub fn summarize(dir: &Path, verbose: bool) -> Result<(usize, usize), Failure> {
    let plan_path = dir.join("sweep.json");
    let text = std::fs::read_to_string(&plan_path).map_err(|err| {
        Failure::Input(format!(
            "{}: cannot be read ({err}); is {} a sweep folder?",
            plan_path.display(),
            dir.display()
        ))
    })?;
    let plan: PlanOnDisk = serde_json::from_str(&text)
        .map_err(|err| Failure::Input(format!("{}: not a bubblesim sweep plan ({err})", plan_path.display())))?;
    if let Some(run) = plan.runs.iter().find(|run| run.values.len() != plan.params.len()) {
        return Err(Failure::Input(format!(
            "{}: run {} has {} values for {} parameters; the plan is damaged",
            plan_path.display(),
            run.run,
            run.values.len(),
            plan.params.len()
        )));
    }
    let mut rows: Vec<(&PlanRun, serde_json::Map<String, serde_json::Value>)> = Vec::new();
    let mut missing: Vec<&PlanRun> = Vec::new();
    for run in &plan.runs {
        let folder = dir.join(&run.folder);
        let manifest = folder
            .join(SUCCESS_MARKER)
            .is_file()
            .then(|| std::fs::read(folder.join("manifest.json")).ok())
            .flatten()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
            .and_then(|manifest| manifest.get("summary").and_then(|s| s.as_object()).cloned());
        match manifest {
            Some(summary) => rows.push((run, summary)),
            None => missing.push(run),
        }
    }
    if rows.is_empty() {
        return Err(Failure::Input(format!(
            "{}: none of the sweep's {} runs is complete yet; nothing to summarise",
            dir.display(),
            plan.runs.len()
        )));
    }
    let mut columns = vec![NamedColumn {
        name: "run".to_owned(),
        unit: "number".to_owned(),
        description: "the run's number in the sweep's plan (from 1)".to_owned(),
        data: ColumnData::U32(rows.iter().map(|(run, _)| run.run as u32).collect()),
    }];
    for (index, param) in plan.params.iter().enumerate() {
        let values = rows.iter().map(|(run, _)| &run.values[index]);
        let data = match param.kind.as_str() {
            "integer" => ColumnData::I64(values.map(|v| v.as_i64().unwrap_or_default()).collect()),
            "float" => ColumnData::F64(values.map(|v| v.as_f64().unwrap_or(f64::NAN)).collect()),
            "bool" => ColumnData::Bool(values.map(|v| v.as_bool().unwrap_or_default()).collect()),
            _ => ColumnData::Utf8(values.map(|v| v.as_str().unwrap_or_default().to_owned()).collect()),
        };
        columns.push(NamedColumn {
            name: param.name.clone(),
            unit: "as the config key".to_owned(),
            description: format!("swept parameter `{}`", param.key),
            data,
        });
    }
    columns.push(NamedColumn {
        name: "seed".to_owned(),
        unit: "seed".to_owned(),
        description: "the run's master seed (run.seed)".to_owned(),
        data: ColumnData::U64(rows.iter().map(|(run, _)| run.seed).collect()),
    });
    columns.push(NamedColumn {
        name: "folder".to_owned(),
        unit: "path".to_owned(),
        description: "the run's folder, relative to the sweep folder".to_owned(),
        data: ColumnData::Utf8(rows.iter().map(|(run, _)| run.folder.clone()).collect()),
    });
    for figure in FIGURES {
        let values = rows.iter().map(|(_, summary)| summary.get(figure.key).and_then(|v| v.as_f64()));
        columns.push(NamedColumn {
            name: figure.key.to_owned(),
            unit: figure.unit.to_owned(),
            description: figure.meaning.to_owned(),
            // Counts are whole numbers in the manifest too.
            data: if figure.unit == "count" {
                ColumnData::OptU64(values.map(|v| v.map(|x| x.round() as u64)).collect())
            } else {
                ColumnData::OptF64(values.collect())
            },
        });
    }
    let metadata = vec![
        ("bubblesim.version".to_owned(), plan.bubblesim_version.clone()),
        ("bubblesim.sweep".to_owned(), plan.sweep.clone()),
        ("bubblesim.sweep_file_sha256".to_owned(), plan.sweep_file_sha256.clone()),
    ];
    let path = dir.join("summary.parquet");
    write_table_file(&path, columns, metadata).map_err(|err| Failure::Runtime(err.into()))?;
    if verbose {
        eprintln!("{}: {} runs", path.display(), rows.len());
    }
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().take(5).map(|run| format!("{} ({})", run.run, run.folder)).collect();
        eprintln!(
            "warning: {} of {} runs are not complete and are not in the summary: {}{}",
            missing.len(),
            plan.runs.len(),
            shown.join(", "),
            if missing.len() > shown.len() { ", …" } else { "" }
        );
    }
    Ok((rows.len(), missing.len()))
}
