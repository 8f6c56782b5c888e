//! The one error type of the config crate. Every variant names where the bad input came
//! from (a file or a `--set` argument), the key path, and what is allowed.

use thiserror::Error;

/// Why a configuration could not be loaded. The CLI prints it and exits with code 2.
#[derive(Debug, Error, PartialEq)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{source_name}: cannot read the file: {reason}")]
    Read {
        /// The file (or the shipped scenario's name).
        source_name: String,
        /// What went wrong.
        reason: String,
    },

    /// The text is not TOML.
    #[error("{source_name}: not valid TOML: {reason}")]
    Syntax {
        /// The file.
        source_name: String,
        /// The parser's message, on one line.
        reason: String,
    },

    /// A key that the configuration does not have.
    #[error("{source_name}: unknown key `{path}`{suggestion}; allowed keys here: {allowed}")]
    UnknownKey {
        /// The file or `--set` argument.
        source_name: String,
        /// The key path.
        path: String,
        /// `; did you mean `x`?` or empty.
        suggestion: String,
        /// The keys allowed at that level.
        allowed: String,
    },

    /// A `--set` argument that is not `key.path=value`.
    #[error("--set {argument}: {reason}; expected `section.key=value`, e.g. `--set retail.count=5000`")]
    MalformedOverride {
        /// The argument as given.
        argument: String,
        /// What is wrong with it.
        reason: String,
    },

    /// A value of the wrong type or outside what is allowed.
    #[error("{source_name}: key `{path}`: {reason}")]
    Invalid {
        /// The file or `--set` argument the value came from.
        source_name: String,
        /// The key path.
        path: String,
        /// What is allowed.
        reason: String,
    },

    /// A run of a sweep whose configuration is invalid at a key the sweep does not set
    /// (a relation between a swept key and the base's keys, say).
    #[error("{run}: {error}")]
    InSweepRun {
        /// The sweep file, the run's number and its values.
        run: String,
        /// The problem in that run's configuration.
        error: Box<ConfigError>,
    },
}
