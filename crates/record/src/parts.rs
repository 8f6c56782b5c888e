//! What a checkpoint records of a table's output: its closed parts and its pending rows,
//! each file named with its size and SHA-256 so that resuming can refuse one that
//! changed, and the folders they live in.

use std::fs::File;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::RecordError;

/// A file a checkpoint depends on: its name, size and SHA-256, checked before resuming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedFile {
    /// The file's name in its folder.
    pub name: String,
    /// Its size.
    pub bytes: u64,
    /// Its SHA-256, in hex.
    pub sha256: String,
}

impl SavedFile {
    /// Describes `dir/name` as it is now (after syncing it to disk).
    pub(crate) fn record(dir: &Path, name: String) -> Result<Self, RecordError> {
        let path = dir.join(&name);
        File::open(&path).and_then(|f| f.sync_all()).map_err(RecordError::io(&path))?;
        let (bytes, sha256) = digest(&path).map_err(RecordError::io(&path))?;
        Ok(Self { name, bytes, sha256 })
    }

    /// Refuses the file if it is missing or differs from what was recorded.
    pub(crate) fn verify(&self, dir: &Path) -> Result<PathBuf, RecordError> {
        let path = dir.join(&self.name);
        let damaged = |reason: String| RecordError::Damaged {
            path: path.clone(),
            reason,
        };
        let (bytes, sha256) = digest(&path).map_err(|err| damaged(format!("it cannot be read ({err})")))?;
        if bytes != self.bytes {
            return Err(damaged(format!("it has {bytes} bytes, the checkpoint recorded {}", self.bytes)));
        }
        if sha256 != self.sha256 {
            return Err(damaged(
                "its contents differ from what the checkpoint recorded (SHA-256)".to_owned(),
            ));
        }
        Ok(path)
    }
}

/// Size and SHA-256 (hex) of a file.
fn digest(path: &Path) -> std::io::Result<(u64, String)> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let bytes = std::io::copy(&mut file, &mut hasher)?;
    let sha: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok((bytes, sha))
}

/// Where a table's output stood at a checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TablePosition {
    /// The closed parts, in order (in `parts/`).
    pub parts: Vec<SavedFile>,
    /// The file in `pending/` holding the rows not yet in a row group, if any.
    pub pending: Option<SavedFile>,
    /// Rows handed to the table so far (in parts and pending).
    pub rows: u64,
}

/// The run folder's sub-folders for parts and pending rows.
pub(crate) fn parts_dir(run_dir: &Path) -> PathBuf {
    run_dir.join("checkpoint").join("parts")
}

pub(crate) fn pending_dir(run_dir: &Path) -> PathBuf {
    run_dir.join("checkpoint").join("pending")
}
