//! bubblesim's recorder. It knows nothing of economics beyond the rows it is handed.
//!
//! - `schema` describes tables and columns (name, Arrow type, unit, meaning);
//! - `tables` lists every table of the output contract (`boom_tables` defines `flows`
//!   and `bubble`, `economy_tables` `macro`, `regions` and `accounts`);
//! - `columns` holds a batch of rows column by column;
//! - `writer` streams one table to Parquet: ZSTD row groups of a fixed row count into
//!   parts, joined into `<table>.parquet` when the run completes;
//! - `checkpoint` writes and reads `checkpoint/state.bin` (versioned, checksummed,
//!   atomic): the model's world and where every table's output stood;
//! - `table_file` writes a small table in one go (a sweep's `summary.parquet`);
//! - `run_dir` creates the run folder, writes `config.toml` and `manifest.json`, and
//!   removes a new run's folder if it fails.

mod boom_tables;
mod checkpoint;
mod columns;
mod economy_tables;
mod error;
mod run_dir;
mod schema;
mod table_file;
pub mod tables;
mod writer;

pub use checkpoint::{CHECKPOINT_FORMAT, Checkpoint, CheckpointHeader, checkpoint_path};
pub use columns::ColumnData;
pub use error::RecordError;
pub use run_dir::{Manifest, RunDir};
pub use schema::{ColumnSpec, ColumnType, TableSpec};
pub use table_file::{NamedColumn, write_table_file};
pub use writer::{SavedFile, TablePosition, TableWriter, WriterOptions};

/// The Markdown reference of every table, as `bubblesim schema` prints it.
pub fn schema_markdown() -> String {
    let mut text = String::from(
        "# Output tables\n\nEach run folder holds `manifest.json`, the resolved `config.toml`, and one Parquet file per table below (ZSTD, Arrow schema with each column's `unit` and `description` as field metadata; the resolved config, seed and version in the file's key-value metadata under `bubblesim.*`). Dates are trading days of the NYSE calendar. Recording cadence per table is set in `[record]`.\n\n",
    );
    for table in tables::all() {
        text.push_str(&table.to_markdown());
        text.push('\n');
    }
    text
}
