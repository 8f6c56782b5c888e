//! A sweep submitted to a real (one-node) Slurm cluster as an array job gives the same
//! dataset as the sweep run locally. The test starts munged, slurmctld and slurmd on
//! localhost with `deploy/slurm/local-cluster.sh` (everything under a temporary folder)
//! and stops them at the end. It needs Debian's `slurm-wlm` and `munge` packages, which
//! `.ci/run` installs.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{SMALL_SWEEP, sweep_dataset};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// The cluster, stopped when the test ends however it ends.
struct Cluster {
    state: PathBuf,
}

impl Cluster {
    fn start(state: &Path) -> Self {
        for tool in ["sbatch", "munged", "slurmctld", "slurmd"] {
            let found = Command::new("sh")
                .args(["-c", &format!("command -v {tool} || test -x /usr/sbin/{tool}")])
                .output()
                .is_ok_and(|o| o.status.success());
            assert!(
                found,
                "`{tool}` is not installed: this test stands up a one-node Slurm cluster and needs Debian's slurm-wlm and munge (as root: apt-get install -y slurm-wlm munge; .ci/run does this)"
            );
        }
        let script = Path::new(REPO).join("deploy/slurm/local-cluster.sh");
        let output = Command::new(&script).arg("start").arg(state).output().unwrap();
        let cluster = Self { state: state.to_owned() };
        assert!(
            output.status.success(),
            "the local Slurm cluster did not start:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        cluster
    }

    fn conf(&self) -> PathBuf {
        self.state.join("slurm.conf")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let script = Path::new(REPO).join("deploy/slurm/local-cluster.sh");
        let _ = Command::new(script).arg("stop").arg(&self.state).output();
    }
}

fn ok(output: Output, what: &str) -> Output {
    assert!(
        output.status.success(),
        "{what}: exit {:?}\n{}\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[test]
fn a_sweep_submitted_as_a_slurm_array_equals_the_local_sweep() {
    // Unix socket paths are short: keep the cluster's folder near the root.
    let state = tempfile::Builder::new().prefix("bubblesim-slurm").tempdir_in("/tmp").unwrap();
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("small.toml"), SMALL_SWEEP).unwrap();
    let binary = env!("CARGO_BIN_EXE_bubblesim");

    let local = work.path().join("local");
    ok(
        Command::new(binary)
            .args(["sweep", "small.toml", "--out", "local", "--quiet"])
            .current_dir(work.path())
            .output()
            .unwrap(),
        "the local sweep",
    );

    let cluster = Cluster::start(state.path());
    // Three array tasks for four runs, numbered from 0 as many sites do; the job starts
    // in the submission folder, so the paths are relative as a user would write them.
    let submitted = Command::new("sbatch")
        .arg("--array=0-2")
        .arg("--wait")
        .arg(format!("--output={}/task-%a.out", state.path().display()))
        .arg(Path::new(REPO).join("deploy/slurm/sweep.sbatch"))
        .args(["small.toml", "slurm"])
        .current_dir(work.path())
        .env("SLURM_CONF", cluster.conf())
        .env("BUBBLESIM", binary)
        .env("PATH", format!("{}:/usr/sbin:/sbin", std::env::var("PATH").unwrap_or_default()))
        .output()
        .unwrap();
    let logs: String = (0..3)
        .map(|task| std::fs::read_to_string(state.path().join(format!("task-{task}.out"))).unwrap_or_default())
        .collect();
    ok(submitted, &format!("sbatch --array=0-2 --wait (task logs:\n{logs})"));
    for shard in 1..=3 {
        assert!(
            logs.contains(&format!("shard {shard}/3 (from SLURM_ARRAY_TASK_ID)")),
            "no task ran shard {shard}/3:\n{logs}"
        );
    }

    let slurm = work.path().join("slurm");
    ok(
        Command::new(binary)
            .args(["sweep", "--summarize", slurm.to_str().unwrap()])
            .output()
            .unwrap(),
        "--summarize",
    );
    let (local_files, slurm_files) = (sweep_dataset(&local), sweep_dataset(&slurm));
    assert!(local_files.keys().any(|name| name.ends_with("seed=20251002/market.parquet")));
    assert_eq!(local_files.keys().collect::<Vec<_>>(), slurm_files.keys().collect::<Vec<_>>());
    for (name, bytes) in &local_files {
        assert!(bytes == &slurm_files[name], "{name} differs between the Slurm and the local sweep");
    }
    drop(cluster);
}
