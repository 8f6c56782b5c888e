//! The one error type of the record crate.

use std::path::PathBuf;

use thiserror::Error;

/// Why output could not be written.
#[derive(Debug, Error)]
pub enum RecordError {
    /// The run folder exists and overwriting was not asked for.
    #[error("{0} already exists; choose another --out, or pass --force to replace it")]
    Exists(PathBuf),
    /// `--force` was given for a path that is not a bubblesim run folder.
    #[error(
        "{0} exists and is not a bubblesim run folder (no manifest.json or config.toml), so --force will not replace it; choose another --out"
    )]
    NotARunFolder(PathBuf),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: {source}")]
    Parquet {
        path: PathBuf,
        source: parquet::errors::ParquetError,
    },
    #[error("table `{table}`: {source}")]
    Arrow { table: String, source: arrow_schema::ArrowError },
    /// A checkpoint, or a file it refers to, is damaged or missing.
    #[error("{path}: {reason}; the checkpoint cannot be used")]
    Damaged { path: PathBuf, reason: String },
    /// A checkpoint that is intact but cannot be resumed by this build or with this config.
    #[error("{path}: {reason}")]
    Incompatible { path: PathBuf, reason: String },
    /// Rows handed to a table do not match its schema (a bug in the caller).
    #[error("table `{table}`: {reason}")]
    SchemaMismatch { table: String, reason: String },
}

impl RecordError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| RecordError::Io { path, source }
    }
}
