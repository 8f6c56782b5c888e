//! `bubblesim sweep`: a sweep file's plan, run here `--jobs` at a time (`execute`) or one
//! shard of it as an array task (`shard`), kept as `sweep.json` (`plan_file`), and
//! summarised into `summary.parquet` (`summary`).

pub mod command;
pub mod execute;
pub mod plan_file;
pub mod shard;
pub mod summary;
