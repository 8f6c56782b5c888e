//! The recorder thread: the tables are encoded on a thread of their own while the
//! simulation runs on, so recording costs the run little wall time on a machine with a
//! second core. Rows go over a bounded channel (two batches), which keeps memory flat:
//! when the encoder falls behind, the simulation waits. The channel keeps order, so the
//! files are byte-identical to encoding in line; a checkpoint waits until every batch
//! sent before it is written.

use std::collections::BTreeMap;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use bubblesim_model::prelude::Observations;
use bubblesim_record::{RecordError, TablePosition, TableSet};

type Reply<T> = SyncSender<Result<T, RecordError>>;

enum Job {
    Write(Box<Observations>),
    Checkpoint(u64, Reply<BTreeMap<String, TablePosition>>),
    Finish(Reply<Vec<(&'static str, u64)>>),
}

/// The tables, written on their own thread.
pub struct Recorder {
    jobs: Option<SyncSender<Job>>,
    thread: Option<JoinHandle<Result<(), RecordError>>>,
}

fn serve(mut tables: TableSet, jobs: Receiver<Job>) -> Result<(), RecordError> {
    while let Ok(job) = jobs.recv() {
        match job {
            Job::Write(rows) => rows.visit(&mut tables)?,
            Job::Checkpoint(sequence, reply) => {
                let _ = reply.send(tables.checkpoint(sequence));
            }
            Job::Finish(reply) => {
                let _ = reply.send(tables.finish());
                return Ok(());
            }
        }
    }
    Ok(())
}

/// The error that stopped the thread (or, should it have panicked, that it did).
fn stopped(thread: Option<JoinHandle<Result<(), RecordError>>>) -> RecordError {
    let panicked = || RecordError::Io {
        path: "the recorder thread".into(),
        source: std::io::Error::other("it stopped unexpectedly"),
    };
    match thread.map(JoinHandle::join) {
        Some(Ok(Err(err))) => err,
        _ => panicked(),
    }
}

impl Recorder {
    pub fn start(tables: TableSet) -> Result<Self, RecordError> {
        let (jobs, receiver) = sync_channel(2);
        let thread = std::thread::Builder::new()
            .name("recorder".to_owned())
            .spawn(move || serve(tables, receiver))
            .map_err(|source| RecordError::Io {
                path: "the recorder thread".into(),
                source,
            })?;
        Ok(Self {
            jobs: Some(jobs),
            thread: Some(thread),
        })
    }

    fn send(&mut self, job: Job) -> Result<(), RecordError> {
        match self.jobs.as_ref().map(|jobs| jobs.send(job)) {
            Some(Ok(())) => Ok(()),
            _ => {
                self.jobs = None;
                Err(stopped(self.thread.take()))
            }
        }
    }

    fn ask<T>(&mut self, job: impl FnOnce(Reply<T>) -> Job) -> Result<T, RecordError> {
        let (reply, answer) = sync_channel(1);
        self.send(job(reply))?;
        match answer.recv() {
            Ok(result) => result,
            Err(_) => {
                self.jobs = None;
                Err(stopped(self.thread.take()))
            }
        }
    }

    /// Hands rows to the tables (waits only if two batches are already queued).
    pub fn write(&mut self, rows: Observations) -> Result<(), RecordError> {
        self.send(Job::Write(Box::new(rows)))
    }

    /// Waits for everything sent so far, then makes it durable (`TableSet::checkpoint`).
    pub fn checkpoint(&mut self, sequence: u64) -> Result<BTreeMap<String, TablePosition>, RecordError> {
        self.ask(|reply| Job::Checkpoint(sequence, reply))
    }

    /// Writes the last rows and closes every table; returns rows written per table.
    pub fn finish(mut self) -> Result<Vec<(&'static str, u64)>, RecordError> {
        let rows = self.ask(Job::Finish)?;
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            thread.join().map_err(|_| stopped(None))??;
        }
        Ok(rows)
    }
}

impl Drop for Recorder {
    /// Stops the thread; its tables drop unfinished (leaving no half-written part).
    fn drop(&mut self) {
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
