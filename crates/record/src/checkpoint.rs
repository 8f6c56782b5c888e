//! Checkpoint files: `checkpoint/state.bin` in the run folder holds a header (format,
//! bubblesim version, the resolved config's SHA-256, the tick, where every table's output
//! stood) and the model's encoded world, sealed by a SHA-256 of everything before it.
//!
//! A checkpoint is written under a temporary name, synced, and renamed over the previous
//! one, so a process killed at any moment leaves either the old or the new checkpoint
//! whole. The parts and pending rows it names are synced before it is written; files it
//! does not name (a part being written when the process died, an older checkpoint's
//! pending rows) are removed when a run resumes from it.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::RecordError;
use crate::parts::{TablePosition, parts_dir, pending_dir};

/// The layout of `state.bin`; a build refuses any other. 2: the bubble index keeps its
/// highest reading.
pub const CHECKPOINT_FORMAT: u32 = 2;
const MAGIC: &[u8; 16] = b"BUBBLESIM-CKPT\r\n";
const DIGEST_BYTES: usize = 32;

/// What a checkpoint says about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckpointHeader {
    /// The checkpoint format ([`CHECKPOINT_FORMAT`] when written by this build).
    pub format: u32,
    /// The bubblesim version that wrote it.
    pub bubblesim_version: String,
    /// SHA-256 of the run folder's `config.toml` when the checkpoint was written.
    pub config_sha256: String,
    /// Trading days simulated.
    pub ticks_run: u32,
    /// The last trading day simulated, `YYYY-MM-DD`.
    pub last_date: String,
    /// Counts checkpoints within the run (names the pending-row files).
    pub sequence: u64,
    /// Each table's parts and pending rows, by table name.
    pub tables: BTreeMap<String, TablePosition>,
    /// Length of the encoded world that follows the header.
    pub world_bytes: u64,
}

/// A checkpoint read back: its header and the model's encoded world.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    /// What the checkpoint says about itself.
    pub header: CheckpointHeader,
    /// The model's world, as `Simulation::snapshot` encoded it.
    pub world: Vec<u8>,
}

/// Where a run folder keeps its checkpoint.
pub fn checkpoint_path(run_dir: &Path) -> PathBuf {
    run_dir.join("checkpoint").join("state.bin")
}

impl Checkpoint {
    /// Writes the checkpoint atomically, then removes the files no checkpoint needs.
    pub fn write(&self, run_dir: &Path) -> Result<(), RecordError> {
        let path = checkpoint_path(run_dir);
        let temp = path.with_extension("bin.partial");
        let header = serde_json::to_vec(&self.header).map_err(|err| RecordError::Io {
            path: path.clone(),
            source: err.into(),
        })?;
        let mut bytes = Vec::with_capacity(MAGIC.len() + 8 + header.len() + self.world.len() + DIGEST_BYTES);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&(header.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&header);
        bytes.extend_from_slice(&self.world);
        let digest = Sha256::digest(&bytes);
        bytes.extend_from_slice(&digest);
        let mut file = std::fs::File::create(&temp).map_err(RecordError::io(&temp))?;
        file.write_all(&bytes).map_err(RecordError::io(&temp))?;
        file.sync_all().map_err(RecordError::io(&temp))?;
        std::fs::rename(&temp, &path).map_err(RecordError::io(&path))?;
        if let Some(dir) = path.parent() {
            // Make the rename itself durable (best effort: not every platform can).
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        self.header.remove_unreferenced(run_dir)
    }

    /// Reads the run folder's checkpoint; `None` if it has none.
    pub fn read(run_dir: &Path) -> Result<Option<Self>, RecordError> {
        let path = checkpoint_path(run_dir);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(RecordError::Io { path, source: err }),
        };
        let damaged = |reason: &str| RecordError::Damaged {
            path: path.clone(),
            reason: reason.to_owned(),
        };
        if bytes.len() < MAGIC.len() + 8 + DIGEST_BYTES || &bytes[..MAGIC.len()] != MAGIC {
            return Err(damaged(
                "it is not a bubblesim checkpoint (its first bytes are wrong or it is truncated)",
            ));
        }
        let (sealed, digest) = bytes.split_at(bytes.len() - DIGEST_BYTES);
        if Sha256::digest(sealed).as_slice() != digest {
            return Err(damaged(
                "its checksum does not match its contents (the file is corrupt or truncated)",
            ));
        }
        let mut length = [0u8; 8];
        length.copy_from_slice(&sealed[MAGIC.len()..MAGIC.len() + 8]);
        let header_start = MAGIC.len() + 8;
        let header_end = usize::try_from(u64::from_le_bytes(length))
            .ok()
            .and_then(|len| header_start.checked_add(len))
            .filter(|&end| end <= sealed.len())
            .ok_or_else(|| damaged("its header length is out of range"))?;
        let header: CheckpointHeader = serde_json::from_slice(&sealed[header_start..header_end])
            .map_err(|err| damaged(&format!("its header cannot be read ({err})")))?;
        let world = sealed[header_end..].to_vec();
        if world.len() as u64 != header.world_bytes {
            return Err(damaged("its world has a different length than its header says"));
        }
        Ok(Some(Self { header, world }))
    }
}

impl CheckpointHeader {
    /// Refuses a checkpoint this build cannot continue: another format or version, or
    /// a config that is not the one it was written with.
    pub fn check_compatible(&self, run_dir: &Path, version: &str, config_sha256: &str) -> Result<(), RecordError> {
        let incompatible = |reason: String| RecordError::Incompatible {
            path: checkpoint_path(run_dir),
            reason,
        };
        if self.format != CHECKPOINT_FORMAT || self.bubblesim_version != version {
            return Err(incompatible(format!(
                "it was written by bubblesim {} (checkpoint format {}), and this is bubblesim {version} (format {CHECKPOINT_FORMAT}); resume it with the version that wrote it, or start the run again",
                self.bubblesim_version, self.format
            )));
        }
        if self.config_sha256 != config_sha256 {
            return Err(incompatible(format!(
                "it was written with another configuration (SHA-256 {}…, and config.toml now has {}…); a run can only resume with the config it started with — restore config.toml, or start a new run",
                self.config_sha256.chars().take(12).collect::<String>(),
                config_sha256.chars().take(12).collect::<String>()
            )));
        }
        Ok(())
    }

    /// Removes parts and pending-row files this checkpoint does not name.
    pub fn remove_unreferenced(&self, run_dir: &Path) -> Result<(), RecordError> {
        let parts: Vec<&str> = self
            .tables
            .values()
            .flat_map(|t| t.parts.iter().map(|part| part.name.as_str()))
            .collect();
        let pending: Vec<&str> = self
            .tables
            .values()
            .filter_map(|t| t.pending.as_ref().map(|p| p.name.as_str()))
            .collect();
        remove_other_files(&parts_dir(run_dir), &parts)?;
        remove_other_files(&pending_dir(run_dir), &pending)
    }
}

fn remove_other_files(dir: &Path, keep: &[&str]) -> Result<(), RecordError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(err) => {
            return Err(RecordError::Io {
                path: dir.to_owned(),
                source: err,
            });
        }
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !keep.iter().any(|k| name.as_os_str() == *k) {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(RecordError::io(&path))?;
        }
    }
    Ok(())
}
