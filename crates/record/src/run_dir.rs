//! The run folder: created fresh (an existing one is refused unless the caller asks to
//! replace it), holding the resolved `config.toml`, `manifest.json` (its `status` says
//! whether the run is `running`, `interrupted` or `complete`), the latest checkpoint
//! under `checkpoint/` while the run is unfinished, and one Parquet file per table once
//! it completes. A new run that fails is removed whole; an interrupted or killed one
//! stays, to be resumed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::RecordError;

/// What a finished run folder contains, for people and tools.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// The bubblesim version that wrote the run.
    pub bubblesim_version: String,
    /// The scenario's name (`run.scenario`).
    pub scenario: String,
    /// The master seed.
    pub seed: u64,
    /// SHA-256 of the resolved `config.toml`.
    pub config_sha256: String,
    /// `running`, `interrupted` or `complete`.
    pub status: String,
    /// Trading days between checkpoints (none if the run writes none on its own).
    pub checkpoint_every_ticks: Option<u32>,
    /// While unfinished: the trading days the last checkpoint holds.
    pub checkpoint_ticks: Option<u32>,
    /// Trading days simulated.
    pub ticks: u32,
    /// The first trading day, `YYYY-MM-DD`.
    pub first_date: String,
    /// The last trading day simulated, `YYYY-MM-DD`.
    pub last_date: String,
    /// Worker threads (results are the same for any number).
    pub threads: usize,
    /// Rows written per table.
    pub row_counts: BTreeMap<String, u64>,
    /// Wall-clock seconds of each stage ("simulate", "record", "total").
    pub timings_seconds: BTreeMap<String, f64>,
    /// The end-of-run figures.
    pub summary: BTreeMap<String, f64>,
}

/// A run folder being filled.
pub struct RunDir {
    path: PathBuf,
    /// Remove the folder if the run neither completes nor is kept (a new run's failure).
    remove_on_failure: bool,
    done: bool,
}

/// Whether `path` may be replaced by `--force`: an empty folder, or one that a previous
/// run wrote (it holds `manifest.json` or `config.toml`, and no folder but `checkpoint`).
fn replaceable(path: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(path) else { return false };
    let mut names = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry.file_type().map(|t| t.is_file()).unwrap_or(false);
        if !is_file && name != "checkpoint" {
            return false;
        }
        names.push(name);
    }
    names.is_empty() || names.iter().any(|n| n == "manifest.json" || n == "config.toml")
}

impl RunDir {
    /// Prepares a new run in `path`. An existing `path` is an error unless `force`; even
    /// then only an empty folder or an earlier run folder is replaced.
    pub fn create(path: &Path, force: bool) -> Result<Self, RecordError> {
        if path.exists() && !force {
            return Err(RecordError::Exists(path.to_owned()));
        }
        if path.exists() {
            if !(path.is_dir() && replaceable(path)) {
                return Err(RecordError::NotARunFolder(path.to_owned()));
            }
            std::fs::remove_dir_all(path).map_err(RecordError::io(path))?;
        }
        std::fs::create_dir_all(path).map_err(RecordError::io(path))?;
        Ok(Self {
            path: path.to_owned(),
            remove_on_failure: true,
            done: false,
        })
    }

    /// Opens an unfinished run folder to resume it. It is never removed, whatever happens.
    pub fn open(path: &Path) -> Result<Self, RecordError> {
        if !path.join("config.toml").is_file() {
            return Err(RecordError::NotARunFolder(path.to_owned()));
        }
        Ok(Self {
            path: path.to_owned(),
            remove_on_failure: false,
            done: false,
        })
    }

    /// The run folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes a file atomically (temporary name, then rename).
    pub fn write_file(&self, name: &str, contents: &[u8]) -> Result<(), RecordError> {
        let temp = self.path.join(format!(".{name}.partial"));
        let target = self.path.join(name);
        std::fs::write(&temp, contents).map_err(RecordError::io(&temp))?;
        std::fs::rename(&temp, &target).map_err(RecordError::io(&target))
    }

    /// Writes `manifest.json` (atomically).
    pub fn write_manifest(&self, manifest: &Manifest) -> Result<(), RecordError> {
        let json = serde_json::to_string_pretty(manifest).map_err(|err| RecordError::Io {
            path: self.path.join("manifest.json"),
            source: err.into(),
        })?;
        self.write_file("manifest.json", json.as_bytes())
    }

    /// Writes the final manifest and removes the checkpoint. Returns the folder's path.
    pub fn complete(mut self, manifest: &Manifest) -> Result<PathBuf, RecordError> {
        self.write_manifest(manifest)?;
        let checkpoint = self.path.join("checkpoint");
        if checkpoint.exists() {
            std::fs::remove_dir_all(&checkpoint).map_err(RecordError::io(&checkpoint))?;
        }
        self.done = true;
        Ok(self.path.clone())
    }

    /// Keeps the folder even if the run fails from now on (it holds a checkpoint).
    pub fn keep_on_failure(&mut self) {
        self.remove_on_failure = false;
    }

    /// Leaves the folder as it is (an interrupted run, to be resumed).
    pub fn keep(mut self) -> PathBuf {
        self.done = true;
        self.path.clone()
    }
}

impl Drop for RunDir {
    /// A new run that did not complete, and was not kept, leaves nothing behind.
    fn drop(&mut self) {
        if !self.done && self.remove_on_failure {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}
