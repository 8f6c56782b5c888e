//! Ctrl-C and SIGTERM: a process-wide flag every run polls at the end of its trading
//! day, so it stops there and writes a checkpoint.

use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by Ctrl-C or SIGTERM; every session in the process stops at the end of its day.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Installs the Ctrl-C and SIGTERM handler (once per process).
pub fn watch_for_interrupt() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
    });
}

/// Whether Ctrl-C or SIGTERM has asked the process to stop.
pub fn interrupt_requested() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}
