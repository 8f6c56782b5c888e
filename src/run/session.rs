//! A run in progress: the world, its tables on the recorder thread and its folder;
//! stepped day by day, drained every few days, checkpointed every N days and on Ctrl-C
//! or SIGTERM, and completed with its manifest.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::Context;
use bubblesim_model::prelude::{Simulation, iso_date};
use bubblesim_record::{CHECKPOINT_FORMAT, Checkpoint, CheckpointHeader, Manifest, RunDir};
use indicatif::ProgressBar;

use crate::failure::{Failure, runtime};
use crate::output::recorder::Recorder;
use crate::run::interrupt::{interrupt_requested, watch_for_interrupt};
use crate::run::summary::print_summary;

/// Ticks between hand-overs of recorded rows to the writers.
pub(crate) const DRAIN_EVERY_TICKS: u32 = 21;

pub(crate) const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A run in progress: the world, its tables and its folder.
pub(crate) struct Session {
    /// The tables, written on the recorder thread; taken when they are finished. Declared
    /// first so that it stops (and stops writing) before the folder may be removed.
    pub(crate) tables: Option<Recorder>,
    pub(crate) run_dir: RunDir,
    pub(crate) sim: Simulation,
    pub(crate) scenario: String,
    pub(crate) seed: u64,
    pub(crate) config_sha256: String,
    pub(crate) threads: usize,
    pub(crate) checkpoint_every: Option<u32>,
    /// Checkpoints written so far in the run (across resumptions).
    pub(crate) sequence: u64,
    /// Trading days the latest checkpoint holds.
    pub(crate) checkpoint_ticks: Option<u32>,
    pub(crate) quiet: bool,
    pub(crate) progress: ProgressBar,
    pub(crate) started: Instant,
    /// Wall time the simulation waited for the recorder.
    pub(crate) record_time: Duration,
}

impl Session {
    /// Hands the rows recorded since the last call to the writers.
    fn drain(&mut self) -> Result<(), Failure> {
        let writing = Instant::now();
        let Some(tables) = self.tables.as_mut() else { return Ok(()) };
        tables
            .write(self.sim.take_observations())
            .context("writing the tables")
            .map_err(runtime)?;
        self.record_time += writing.elapsed();
        Ok(())
    }

    /// Writes a checkpoint of everything so far, and a manifest with `status` that says so.
    fn checkpoint(&mut self, status: &str) -> Result<Manifest, Failure> {
        self.drain()?;
        let writing = Instant::now();
        self.sequence += 1;
        let tables = match self.tables.as_mut() {
            Some(tables) => tables
                .checkpoint(self.sequence)
                .context("closing the tables' parts")
                .map_err(runtime)?,
            None => BTreeMap::new(),
        };
        let world = self.sim.snapshot().context("encoding the world").map_err(runtime)?;
        let header = CheckpointHeader {
            format: CHECKPOINT_FORMAT,
            bubblesim_version: VERSION.to_owned(),
            config_sha256: self.config_sha256.clone(),
            ticks_run: self.sim.ticks_run(),
            last_date: iso_date(self.sim.summary().last_date),
            sequence: self.sequence,
            world_bytes: world.len() as u64,
            tables,
        };
        let rows = header.tables.iter().map(|(name, t)| (name.clone(), t.rows)).collect();
        Checkpoint { header, world }
            .write(self.run_dir.path())
            .context("writing the checkpoint")
            .map_err(runtime)?;
        self.checkpoint_ticks = Some(self.sim.ticks_run());
        // From now on the folder holds work worth keeping, whatever happens.
        self.run_dir.keep_on_failure();
        self.record_time += writing.elapsed();
        let manifest = self.manifest(status, rows);
        self.run_dir.write_manifest(&manifest).map_err(runtime)?;
        Ok(manifest)
    }

    fn manifest(&self, status: &str, row_counts: BTreeMap<String, u64>) -> Manifest {
        let summary = self.sim.summary();
        let total_time = self.started.elapsed();
        Manifest {
            bubblesim_version: VERSION.to_owned(),
            scenario: self.scenario.clone(),
            seed: self.seed,
            config_sha256: self.config_sha256.clone(),
            status: status.to_owned(),
            checkpoint_every_ticks: self.checkpoint_every,
            checkpoint_ticks: if status == "complete" { None } else { self.checkpoint_ticks },
            ticks: summary.ticks,
            first_date: iso_date(summary.first_date),
            last_date: iso_date(summary.last_date),
            threads: self.threads,
            row_counts,
            timings_seconds: BTreeMap::from([
                ("record".to_owned(), self.record_time.as_secs_f64()),
                ("simulate".to_owned(), (total_time.saturating_sub(self.record_time)).as_secs_f64()),
                ("total".to_owned(), total_time.as_secs_f64()),
            ]),
            summary: summary.figures(),
        }
    }

    pub(crate) fn drive(mut self) -> Result<(), Failure> {
        // Ctrl-C or SIGTERM: stop at the end of the current trading day and checkpoint.
        watch_for_interrupt();
        self.run_dir
            .write_manifest(&self.manifest("running", BTreeMap::new()))
            .map_err(runtime)?;
        let progress = self.progress.clone();
        progress.set_length(u64::from(self.sim.clock().horizon_ticks()));
        progress.set_position(u64::from(self.sim.ticks_run()));
        progress.reset_eta();
        while !self.sim.finished() {
            if interrupt_requested() {
                progress.finish_and_clear();
                return self.interrupt();
            }
            if let Err(breach) = self.sim.step() {
                return Err(runtime(anyhow::anyhow!(
                    "{breach} — agent {} is {} (on {}); this is a bug in the model, not in the scenario",
                    breach.agent.0,
                    self.sim.agent_label(breach.agent),
                    iso_date(self.sim.clock().date)
                )));
            }
            if !self.sim.ai_index_level().is_finite() {
                return Err(runtime(anyhow::anyhow!(
                    "the simulation became numerically unstable on {} (the AI index is no longer finite); the market parameters are too extreme — try a larger market.demand_elasticity or a smaller retail.ownership_share",
                    iso_date(self.sim.clock().date)
                )));
            }
            let ticks_run = self.sim.ticks_run();
            let checkpoint_due = self.checkpoint_every.is_some_and(|every| ticks_run.is_multiple_of(every)) && !self.sim.finished();
            if checkpoint_due {
                self.checkpoint("running")?;
            } else if self.sim.clock().tick.is_multiple_of(DRAIN_EVERY_TICKS) || self.sim.finished() {
                self.drain()?;
            }
            progress.set_position(u64::from(ticks_run));
            if ticks_run.is_multiple_of(DRAIN_EVERY_TICKS) {
                progress.set_message(format!(
                    "{} · AI index {:.1}",
                    iso_date(self.sim.clock().date),
                    self.sim.ai_index_level()
                ));
            }
        }
        progress.finish_and_clear();
        self.complete()
    }

    /// Stopped by a signal: checkpoint, mark the manifest and keep the folder.
    fn interrupt(mut self) -> Result<(), Failure> {
        let manifest = self.checkpoint("interrupted")?;
        let ticks = self.sim.ticks_run();
        let horizon = self.sim.clock().horizon_ticks();
        self.tables = None;
        let path = self.run_dir.keep();
        Err(Failure::Interrupted(format!(
            "interrupted after {ticks} of {horizon} trading days (on {}); checkpoint written — continue with `bubblesim resume {}`",
            manifest.last_date,
            path.display()
        )))
    }

    fn complete(mut self) -> Result<(), Failure> {
        let writing = Instant::now();
        let row_counts: BTreeMap<String, u64> = self
            .tables
            .take()
            .map(Recorder::finish)
            .transpose()
            .map_err(runtime)?
            .unwrap_or_default()
            .into_iter()
            .map(|(name, rows)| (name.to_owned(), rows))
            .collect();
        self.record_time += writing.elapsed();
        let manifest = self.manifest("complete", row_counts);
        let summary = self.sim.summary();
        let path = self.run_dir.complete(&manifest).map_err(runtime)?;
        if !self.quiet {
            print_summary(&manifest, &summary, &path);
        }
        Ok(())
    }
}
