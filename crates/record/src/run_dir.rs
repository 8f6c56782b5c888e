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

/// A run folder being filled. Everything is written into a hidden staging folder beside
/// the target (`.<name>.partial`); `complete` moves it into place, so the target only ever
/// holds a finished run, and a run that fails or is interrupted leaves the target as it was.
pub struct RunDir {
    target: PathBuf,
    staging: PathBuf,
    force: bool,
    done: bool,
}

/// Whether `path` may be replaced by `--force`: an empty folder, or one that a previous
/// run wrote (it holds `manifest.json` or `config.toml` and nothing but files).
fn replaceable(path: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(path) else { return false };
    let mut names = Vec::new();
    for entry in entries.flatten() {
        if entry.file_type().map(|t| !t.is_file()).unwrap_or(true) {
            return false;
        }
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.is_empty() || names.iter().any(|n| n == "manifest.json" || n == "config.toml")
}

impl RunDir {
    /// Prepares a run into `path`. An existing `path` is an error unless `force`; even
    /// then only an empty folder or an earlier run folder is replaced, and only once the
    /// new run completes.
    pub fn create(path: &Path, force: bool) -> Result<Self, RecordError> {
        if path.exists() && !force {
            return Err(RecordError::Exists(path.to_owned()));
        }
        if path.exists() && !(path.is_dir() && replaceable(path)) {
            return Err(RecordError::NotARunFolder(path.to_owned()));
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "run".to_owned());
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(RecordError::io(parent))?;
        let staging = parent.join(format!(".{name}.partial"));
        // A staging folder left by a killed run is ours to clear.
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(RecordError::io(&staging))?;
        }
        std::fs::create_dir(&staging).map_err(RecordError::io(&staging))?;
        Ok(Self {
            target: path.to_owned(),
            staging,
            force,
            done: false,
        })
    }

    /// Where files are written while the run is in progress.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Writes a file atomically (temporary name, then rename).
    pub fn write_file(&self, name: &str, contents: &[u8]) -> Result<(), RecordError> {
        let temp = self.staging.join(format!(".{name}.partial"));
        let target = self.staging.join(name);
        std::fs::write(&temp, contents).map_err(RecordError::io(&temp))?;
        std::fs::rename(&temp, &target).map_err(RecordError::io(&target))
    }

    /// Writes the manifest last and moves the run into place (replacing an earlier run
    /// folder when forced). Returns the final path.
    pub fn complete(mut self, manifest: &Manifest) -> Result<PathBuf, RecordError> {
        let json = serde_json::to_string_pretty(manifest).map_err(|err| RecordError::Io {
            path: self.staging.join("manifest.json"),
            source: err.into(),
        })?;
        self.write_file("manifest.json", json.as_bytes())?;
        if self.target.exists() {
            if !self.force {
                return Err(RecordError::Exists(self.target.clone()));
            }
            std::fs::remove_dir_all(&self.target).map_err(RecordError::io(&self.target))?;
        }
        std::fs::rename(&self.staging, &self.target).map_err(RecordError::io(&self.target))?;
        self.done = true;
        Ok(self.target.clone())
    }
}

impl Drop for RunDir {
    /// A run that did not complete leaves nothing behind (and the target untouched).
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}
