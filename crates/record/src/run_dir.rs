//! The run folder: created fresh (an existing one is refused unless the caller asks to
//! replace it), holding the resolved `config.toml`, one Parquet file per table and
//! `manifest.json`, written last. A run that fails is removed whole.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::RecordError;

/// What a finished run folder contains, for people and tools.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub bubblesim_version: String,
    pub scenario: String,
    pub seed: u64,
    pub config_sha256: String,
    pub status: String,
    pub ticks: u32,
    pub first_date: String,
    pub last_date: String,
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
    keep: bool,
}

impl RunDir {
    /// Creates `path` (and its parents). An existing path is an error unless `force`,
    /// in which case it is removed first.
    pub fn create(path: &Path, force: bool) -> Result<Self, RecordError> {
        if path.exists() {
            if !force {
                return Err(RecordError::Exists(path.to_owned()));
            }
            if path.is_dir() {
                std::fs::remove_dir_all(path).map_err(RecordError::io(path))?;
            } else {
                std::fs::remove_file(path).map_err(RecordError::io(path))?;
            }
        }
        std::fs::create_dir_all(path).map_err(RecordError::io(path))?;
        Ok(Self {
            path: path.to_owned(),
            keep: false,
        })
    }

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

    /// Writes the manifest last and keeps the folder.
    pub fn complete(mut self, manifest: &Manifest) -> Result<PathBuf, RecordError> {
        let json = serde_json::to_string_pretty(manifest).map_err(|err| RecordError::Io {
            path: self.path.join("manifest.json"),
            source: err.into(),
        })?;
        self.write_file("manifest.json", json.as_bytes())?;
        self.keep = true;
        Ok(self.path.clone())
    }
}

impl Drop for RunDir {
    /// A run that did not complete leaves nothing behind.
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}
