//! Checkpoints and resumption, end to end: however a run is stopped — a checkpoint then
//! SIGKILL, or Ctrl-C — `bubblesim resume` finishes it with the same bytes as a run
//! never stopped; a checkpoint that is damaged, from another version or for another
//! config is refused (exit 2) and left as it was.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use sha2::{Digest, Sha256};

mod common;
use common::tables;

/// Small row groups, so a run spans many parts and checkpoints fall mid-row-group.
const RUN: [&str; 7] = [
    "--years",
    "3",
    "--set",
    "record.row_group_rows=700",
    "--set",
    "retail.count=400",
    "--quiet",
];

fn bubblesim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bubblesim"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_bubblesim"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn run_args<'a>(out: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["run", "--out", out.to_str().expect("a UTF-8 path")];
    args.extend(RUN);
    args.extend(extra);
    args
}

/// The tables of the run never stopped, computed once for all tests.
fn reference() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("reference");
        let output = bubblesim(&run_args(&out, &[]));
        assert!(output.status.success(), "{}", stderr(&output));
        (dir, out)
    })
    .1
}

fn assert_same_tables(resumed: &Path) {
    for table in tables() {
        let name = format!("{table}.parquet");
        let expected = fs::read(reference().join(&name)).unwrap();
        let found = fs::read(resumed.join(&name)).unwrap_or_else(|err| panic!("{name}: {err}"));
        assert!(expected == found, "{name} differs from the uninterrupted run's");
    }
    let leftovers: Vec<String> = fs::read_dir(resumed)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.') || name == "checkpoint")
        .collect();
    assert!(leftovers.is_empty(), "a completed run kept {leftovers:?}");
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

/// Waits until the run's manifest says a checkpoint holds at least `ticks` days.
fn wait_for_checkpoint(dir: &Path, ticks: u64) {
    for _ in 0..1200 {
        let ready = fs::read(dir.join("manifest.json"))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
            .and_then(|m| m["checkpoint_ticks"].as_u64())
            .is_some_and(|t| t >= ticks);
        if ready {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("no checkpoint of {ticks} days appeared in {}", dir.display());
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill").args([name, &child.id().to_string()]).status().unwrap();
    assert!(status.success());
}

/// An interrupted run folder (Ctrl-C after its first checkpoint).
fn interrupted(dir: &Path) -> PathBuf {
    let out = dir.join("stopped");
    let child = spawn(&run_args(&out, &["--checkpoint-every", "25"]));
    wait_for_checkpoint(&out, 25);
    signal(&child, "-INT");
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{}", stderr(&output));
    out
}

#[test]
fn checkpoints_do_not_change_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("checkpointed");
    let output = bubblesim(&run_args(&out, &["--checkpoint-every", "41"]));
    assert!(output.status.success(), "{}", stderr(&output));
    assert_same_tables(&out);
    assert_eq!(manifest(&out)["status"], "complete");
}

#[test]
fn a_killed_run_resumes_from_its_last_checkpoint_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("killed");
    let child = spawn(&run_args(&out, &["--checkpoint-every", "30"]));
    wait_for_checkpoint(&out, 90);
    signal(&child, "-KILL");
    let _ = child.wait_with_output().unwrap();
    assert_eq!(manifest(&out)["status"], "running");
    assert!(!out.join("market.parquet").exists(), "a killed run has no final tables");
    // Resumed on two threads: the thread count does not matter either.
    let output = bubblesim(&["resume", out.to_str().unwrap(), "--threads", "2", "--quiet"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_same_tables(&out);
    let manifest = manifest(&out);
    assert_eq!(manifest["status"], "complete");
    assert_eq!(manifest["checkpoint_every_ticks"], 30);
}

#[test]
fn ctrl_c_checkpoints_and_resume_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("interrupted");
    // No --checkpoint-every: the signal alone writes the checkpoint.
    let child = spawn(&run_args(&out, &[]));
    for _ in 0..1200 {
        if out.join("manifest.json").exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    signal(&child, "-INT");
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{}", stderr(&output));
    assert!(stderr(&output).contains("bubblesim resume"), "{}", stderr(&output));
    let stopped = manifest(&out);
    assert_eq!(stopped["status"], "interrupted");
    let ticks = stopped["ticks"].as_u64().unwrap();
    assert!(ticks < 756, "the run finished before the signal arrived");
    assert_eq!(stopped["checkpoint_ticks"].as_u64(), Some(ticks));
    assert!(out.join("checkpoint/state.bin").exists());
    let output = bubblesim(&["resume", out.to_str().unwrap(), "--quiet"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_same_tables(&out);
}

/// Rewrites the checkpoint's header with `edit`, sealing it with a valid checksum.
fn edit_header(state: &Path, edit: impl Fn(&mut serde_json::Value)) {
    let bytes = fs::read(state).unwrap();
    let length = u64::from_le_bytes(bytes[16..24].try_into().unwrap()) as usize;
    let mut header: serde_json::Value = serde_json::from_slice(&bytes[24..24 + length]).unwrap();
    edit(&mut header);
    let header = serde_json::to_vec(&header).unwrap();
    let mut out = bytes[..16].to_vec();
    out.extend_from_slice(&(header.len() as u64).to_le_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(&bytes[24 + length..bytes.len() - 32]);
    let digest = Sha256::digest(&out);
    out.extend_from_slice(&digest);
    fs::write(state, out).unwrap();
}

fn refused(dir: &Path, expect: &str) {
    let before = fs::read(dir.join("checkpoint/state.bin")).ok();
    let output = bubblesim(&["resume", dir.to_str().unwrap(), "--quiet"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains(expect), "expected “{expect}” in: {message}");
    assert!(!message.contains("panicked"), "{message}");
    assert_eq!(
        fs::read(dir.join("checkpoint/state.bin")).ok(),
        before,
        "a refused resume touched the checkpoint"
    );
    assert_eq!(manifest(dir)["status"], "interrupted");
}

#[test]
fn a_damaged_foreign_or_mismatched_checkpoint_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = interrupted(dir.path());
    let state = out.join("checkpoint/state.bin");
    let original = fs::read(&state).unwrap();

    // One flipped byte in the world.
    let mut damaged = original.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x40;
    fs::write(&state, &damaged).unwrap();
    refused(&out, "checksum does not match");
    // Truncated, as a full disk would leave it.
    fs::write(&state, &original[..original.len() / 3]).unwrap();
    refused(&out, "checksum does not match");
    fs::write(&state, b"not a checkpoint").unwrap();
    refused(&out, "not a bubblesim checkpoint");

    // Intact, but written by another version.
    fs::write(&state, &original).unwrap();
    edit_header(&state, |h| h["bubblesim_version"] = "0.0.1".into());
    refused(&out, "written by bubblesim 0.0.1");
    fs::write(&state, &original).unwrap();
    edit_header(&state, |h| h["format"] = 99.into());
    refused(&out, "checkpoint format 99");

    // Intact, but the run folder's config was edited since.
    fs::write(&state, &original).unwrap();
    let config_path = out.join("config.toml");
    let config = fs::read_to_string(&config_path).unwrap();
    fs::write(&config_path, config.replacen("seed = ", "seed = 1", 1)).unwrap();
    refused(&out, "another configuration");
    fs::write(&config_path, &config).unwrap();

    // A part the checkpoint names is cut short.
    let parts = out.join("checkpoint/parts");
    let part = fs::read_dir(&parts).unwrap().next().expect("a closed part").unwrap().path();
    let part_bytes = fs::read(&part).unwrap();
    fs::write(&part, &part_bytes[..part_bytes.len() - 10]).unwrap();
    refused(&out, "the checkpoint recorded");
    // … or has the same size and one byte changed.
    let mut flipped = part_bytes.clone();
    flipped[part_bytes.len() / 2] ^= 0x01;
    fs::write(&part, &flipped).unwrap();
    refused(&out, "differ from what the checkpoint recorded");
    fs::write(&part, &part_bytes).unwrap();
    // The rows waiting for a row group are checked too.
    let pending = fs::read_dir(out.join("checkpoint/pending"))
        .unwrap()
        .next()
        .expect("pending rows")
        .unwrap()
        .path();
    let pending_bytes = fs::read(&pending).unwrap();
    fs::write(&pending, &pending_bytes[..pending_bytes.len() - 1]).unwrap();
    refused(&out, "the checkpoint recorded");
    fs::write(&pending, &pending_bytes).unwrap();
    // A checkpoint the manifest knows of, gone: refused rather than started over.
    fs::remove_file(&state).unwrap();
    refused(&out, "is missing");
    fs::write(&state, &original).unwrap();

    // Restored, the same folder resumes to the uninterrupted bytes.
    let output = bubblesim(&["resume", out.to_str().unwrap(), "--quiet"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_same_tables(&out);
    // And a complete run has nothing to resume.
    let again = bubblesim(&["resume", out.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already complete"), "{}", stderr(&again));
}

#[test]
fn resume_needs_a_run_folder() {
    let dir = tempfile::tempdir().unwrap();
    let output = bubblesim(&["resume", dir.path().join("nowhere").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no such run folder"), "{}", stderr(&output));
    let output = bubblesim(&["resume", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("config.toml"), "{}", stderr(&output));
}
