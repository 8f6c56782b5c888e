//! bubblesim's recorder. It knows nothing of economics beyond the rows it is handed:
//! tables are defined beside their rows (the `bubblesim-schema` crate's `Row`), and any
//! row type is written the same way.
//!
//! - `arrow` gives each column type its Arrow type and a table its Arrow schema;
//! - `rows` reads a batch of rows into Arrow arrays, column by column;
//! - `columns` holds a batch column by column, for tables built by hand;
//! - `parts` records a table's closed parts and pending rows for a checkpoint;
//! - `writer` streams one table to Parquet: ZSTD row groups of a fixed row count into
//!   parts, joined into `<table>.parquet` when the run completes;
//! - `table_set` holds every table of a run and takes batches of any row type;
//! - `checkpoint` writes and reads `checkpoint/state.bin` (versioned, checksummed,
//!   atomic): the model's world and where every table's output stood;
//! - `table_file` writes a small table in one go (a sweep's `summary.parquet`);
//! - `run_dir` creates the run folder, writes `config.toml` and `manifest.json`, and
//!   removes a new run's folder if it fails.

#![warn(missing_docs)]

mod arrow;
mod checkpoint;
mod columns;
mod error;
mod parts;
mod rows;
mod run_dir;
mod table_file;
mod table_set;
mod writer;

pub use bubblesim_schema::{ColumnSpec, ColumnType, TableSpec};
pub use checkpoint::{CHECKPOINT_FORMAT, Checkpoint, CheckpointHeader, checkpoint_path};
pub use columns::ColumnData;
pub use error::RecordError;
pub use parts::{SavedFile, TablePosition};
pub use run_dir::{Manifest, RunDir};
pub use table_file::{NamedColumn, write_table_file};
pub use table_set::TableSet;
pub use writer::{TableWriter, WriterOptions};

/// The Markdown reference of every table in `specs`, as `bubblesim schema` prints it.
pub fn schema_markdown(specs: &[TableSpec]) -> String {
    let mut text = String::from(
        "# Output tables\n\nEach run folder holds `manifest.json`, the resolved `config.toml`, and one Parquet file per table below (ZSTD, Arrow schema with each column's `unit` and `description` as field metadata; the resolved config, seed and version in the file's key-value metadata under `bubblesim.*`). Dates are trading days of the NYSE calendar. Recording cadence per table is set in `[record]`.\n\n",
    );
    for table in specs {
        text.push_str(&table.to_markdown());
        text.push('\n');
    }
    text
}
