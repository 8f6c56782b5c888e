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
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A Parquet file could not be written or read.
    #[error("{path}: {source}")]
    Parquet {
        /// The file.
        path: PathBuf,
        /// What the Parquet library said.
        source: parquet::errors::ParquetError,
    },
    /// A batch of rows could not be assembled.
    #[error("table `{table}`: {source}")]
    Arrow {
        /// The table.
        table: String,
        /// What the Arrow library said.
        source: arrow_schema::ArrowError,
    },
    /// A checkpoint, or a file it refers to, is damaged or missing.
    #[error("{path}: {reason}; the checkpoint cannot be used")]
    Damaged {
        /// The damaged or missing file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A checkpoint that is intact but cannot be resumed by this build or with this config.
    #[error("{path}: {reason}")]
    Incompatible {
        /// The checkpoint.
        path: PathBuf,
        /// Why it cannot be used.
        reason: String,
    },
    /// Rows handed to a table do not match its schema (a bug in the caller).
    #[error("table `{table}`: {reason}")]
    SchemaMismatch {
        /// The table.
        table: String,
        /// What does not match.
        reason: String,
    },
}

impl RecordError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| RecordError::Io { path, source }
    }
}
