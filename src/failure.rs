//! How a command fails — bad input (exit 2), a failure while working (exit 1), or an
//! interruption (exit 130) — and printing to stdout without failing on a closed pipe.

use bubblesim_config::ConfigError;

/// How a command failed: bad input (exit 2) or a failure while working (exit 1).
pub enum Failure {
    /// Bad input: the configuration, an argument, a folder or a checkpoint that cannot be used.
    Input(String),
    /// A failure while working.
    Runtime(anyhow::Error),
    /// Stopped by Ctrl-C or SIGTERM (exit 130).
    Interrupted(String),
}

impl From<ConfigError> for Failure {
    fn from(err: ConfigError) -> Self {
        Failure::Input(err.to_string())
    }
}

/// A failure while working.
pub fn runtime(err: impl Into<anyhow::Error>) -> Failure {
    Failure::Runtime(err.into())
}

/// Writes `text` to stdout. A reader that stops early (`bubblesim schema | head`) is
/// not an error.
pub fn print_stdout(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
}
