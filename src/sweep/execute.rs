//! Running a sweep's runs on this machine: `--jobs` at a time, each single-threaded
//! and locked against other processes, with an overall progress bar and one per run on
//! a terminal (a line per finished run otherwise).

use std::io::IsTerminal;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bubblesim_config::Config;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::failure::Failure;
use crate::run::interrupt::{interrupt_requested, watch_for_interrupt};
use crate::run::start::{RunOptions, continue_run, start};
use crate::sweep::plan_file::SUCCESS_MARKER;

/// One run to do here.
pub(crate) struct Work {
    pub(crate) number: usize,
    pub(crate) label: String,
    pub(crate) folder: PathBuf,
    pub(crate) config: Config,
}

#[derive(Debug)]
pub(crate) enum Outcome {
    Completed(Duration),
    AlreadyComplete,
    /// Another process holds the run's lock (a resubmitted array, a second sweep).
    RunningElsewhere,
    Interrupted,
    Failed(String),
}

#[derive(Default)]
pub(crate) struct Report {
    pub(crate) outcomes: Vec<(usize, String, Outcome)>,
}

impl Report {
    pub(crate) fn count(&self, test: impl Fn(&Outcome) -> bool) -> usize {
        self.outcomes.iter().filter(|(_, _, o)| test(o)).count()
    }
}

pub(crate) fn execute(work: &[Work], plan_runs: usize, jobs: usize, checkpoint_every: Option<u32>, quiet: bool) -> Report {
    watch_for_interrupt();
    let display = Display::new(work.len(), quiet);
    let next = AtomicUsize::new(0);
    let report = Mutex::new(Report::default());
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(work.len()) {
            scope.spawn(|| {
                loop {
                    if interrupt_requested() {
                        break;
                    }
                    let Some(item) = work.get(next.fetch_add(1, Ordering::SeqCst)) else {
                        break;
                    };
                    let bar = display.start(item);
                    let started = Instant::now();
                    // A bug that panics in one run is that run's failure, not the sweep's.
                    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| run_one(item, checkpoint_every, &bar, &display, started)))
                        .unwrap_or_else(|_| Outcome::Failed("the run panicked (a bug in bubblesim; the message is above)".to_owned()));
                    display.finish(&bar, item, &outcome, plan_runs);
                    report.lock().expect("no worker panics while holding the report").outcomes.push((
                        item.number,
                        item.label.clone(),
                        outcome,
                    ));
                }
            });
        }
    });
    display.clear();
    let mut report = report.into_inner().expect("the workers have finished");
    report.outcomes.sort_by_key(|(number, _, _)| *number);
    report
}

/// Runs (or resumes, or skips) one run of the plan, holding its lock meanwhile.
pub(crate) fn run_one(item: &Work, checkpoint_every: Option<u32>, progress: &ProgressBar, display: &Display, started: Instant) -> Outcome {
    let lock = match lock_run(&item.folder) {
        Ok(Some(lock)) => lock,
        Ok(None) => return Outcome::RunningElsewhere,
        Err(err) => return Outcome::Failed(format!("cannot lock the run: {err}")),
    };
    if item.folder.join(SUCCESS_MARKER).is_file() {
        return Outcome::AlreadyComplete;
    }
    let options = || RunOptions {
        threads: 1,
        checkpoint_every,
        quiet: true,
        progress: progress.clone(),
    };
    let resolved = item.config.to_toml();
    let resumable = bubblesim_record::checkpoint_path(&item.folder).is_file()
        && std::fs::read_to_string(item.folder.join("config.toml")).is_ok_and(|text| text == resolved);
    let result = match resumable.then(|| continue_run(&item.folder, options())) {
        // A checkpoint that cannot be used (damaged, another build's) is not worth keeping:
        // the run starts again, to the same bytes.
        Some(Err(Failure::Input(message))) => {
            display.note(&format!(
                "run {} ({}): {message}; running it again from the start",
                item.number, item.label
            ));
            start(&item.config, &item.folder, true, options())
        }
        Some(result) => result,
        // A folder left by a run stopped before its first checkpoint starts again.
        None => start(&item.config, &item.folder, item.folder.exists(), options()),
    };
    let outcome = match result {
        Ok(()) => match std::fs::File::create(item.folder.join(SUCCESS_MARKER)).and_then(|f| f.sync_all()) {
            Ok(()) => Outcome::Completed(started.elapsed()),
            Err(err) => Outcome::Failed(format!("cannot write its {SUCCESS_MARKER} marker: {err}")),
        },
        Err(Failure::Interrupted(_)) => Outcome::Interrupted,
        Err(Failure::Input(message)) => Outcome::Failed(message),
        Err(Failure::Runtime(err)) => Outcome::Failed(format!("{err:#}")),
    };
    drop(lock);
    outcome
}

/// Takes the run's lock — `.seed=<s>.lock` beside its folder, locked with `flock`, so it
/// is released however the process ends — or `None` if another process holds it.
pub(crate) fn lock_run(folder: &Path) -> std::io::Result<Option<std::fs::File>> {
    let parent = folder.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = folder.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let file = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(parent.join(format!(".{name}.lock")))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(err)) => Err(err),
    }
}

/// The progress display: an overall bar and one bar per run in progress on a terminal;
/// a line per finished run otherwise (batch logs); nothing with `--quiet`.
pub(crate) struct Display {
    pub(crate) multi: Option<MultiProgress>,
    pub(crate) overall: ProgressBar,
    pub(crate) lines: bool,
    pub(crate) done: AtomicUsize,
    pub(crate) total: usize,
}

impl Display {
    fn new(total: usize, quiet: bool) -> Self {
        let terminal = !quiet && std::io::stderr().is_terminal();
        let multi = terminal.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        let overall = match &multi {
            Some(multi) => {
                let bar = multi.add(ProgressBar::new(total as u64));
                bar.set_style(
                    ProgressStyle::with_template("sweep {wide_bar} {pos}/{len} runs · {elapsed} · ETA {eta}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                bar.enable_steady_tick(Duration::from_millis(200));
                bar
            }
            None => ProgressBar::hidden(),
        };
        Self {
            multi,
            overall,
            lines: !quiet && !terminal,
            done: AtomicUsize::new(0),
            total,
        }
    }

    fn start(&self, item: &Work) -> ProgressBar {
        let Some(multi) = &self.multi else { return ProgressBar::hidden() };
        let bar = multi.add(ProgressBar::new(0));
        bar.set_style(
            ProgressStyle::with_template("{prefix} {bar:24} {pos}/{len} days · ETA {eta} · {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_prefix(format!("#{} {}", item.number, item.label));
        bar
    }

    fn finish(&self, bar: &ProgressBar, item: &Work, outcome: &Outcome, plan_runs: usize) {
        let done = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(multi) = &self.multi {
            bar.finish_and_clear();
            multi.remove(bar);
            self.overall.inc(1);
        }
        if self.lines {
            let what = match outcome {
                Outcome::Completed(time) => format!("complete in {:.1}s", time.as_secs_f64()),
                Outcome::AlreadyComplete => "already complete".to_owned(),
                Outcome::RunningElsewhere => "running in another process; skipped".to_owned(),
                Outcome::Interrupted => "interrupted (checkpoint written)".to_owned(),
                Outcome::Failed(_) => "failed".to_owned(),
            };
            eprintln!("[{done}/{}] run {}/{plan_runs} ({}): {what}", self.total, item.number, item.label);
        }
    }

    /// A message above the bars (or on its own line), unless quiet.
    fn note(&self, text: &str) {
        match &self.multi {
            Some(multi) => {
                let _ = multi.println(text);
            }
            None if self.lines => eprintln!("{text}"),
            None => {}
        }
    }

    fn clear(&self) {
        self.overall.finish_and_clear();
    }
}
