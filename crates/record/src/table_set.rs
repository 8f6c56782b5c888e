//! Every table of a run, open together: one writer per table specification, in the
//! order given, that takes batches of rows of any [`Row`] type, makes them durable at a
//! checkpoint, and finishes them into `<table>.parquet` files.

use std::collections::BTreeMap;
use std::path::Path;

use bubblesim_schema::{Row, RowsVisitor, TableSpec};

use crate::checkpoint::checkpoint_path;
use crate::error::RecordError;
use crate::parts::TablePosition;
use crate::writer::{TableWriter, WriterOptions};

/// One open writer per table.
pub struct TableSet {
    writers: Vec<TableWriter>,
}

impl TableSet {
    /// Starts every table of a new run in `dir`.
    pub fn create(dir: &Path, specs: Vec<TableSpec>, options: &WriterOptions) -> Result<Self, RecordError> {
        let writers = specs
            .into_iter()
            .map(|spec| TableWriter::create(dir, spec, options))
            .collect::<Result<_, _>>()?;
        Ok(Self { writers })
    }

    /// Continues every table from a checkpoint's positions.
    pub fn resume(
        dir: &Path,
        specs: Vec<TableSpec>,
        options: &WriterOptions,
        positions: &BTreeMap<String, TablePosition>,
    ) -> Result<Self, RecordError> {
        let writers = specs
            .into_iter()
            .map(|spec| {
                let position = positions.get(spec.name).ok_or_else(|| RecordError::Damaged {
                    path: checkpoint_path(dir),
                    reason: format!("it does not say where table `{}` stood", spec.name),
                })?;
                TableWriter::resume(dir, spec, options, position)
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { writers })
    }

    /// Makes every table durable for checkpoint `sequence`; returns where each stands.
    pub fn checkpoint(&mut self, sequence: u64) -> Result<BTreeMap<String, TablePosition>, RecordError> {
        self.writers
            .iter_mut()
            .map(|writer| Ok((writer.name().to_owned(), writer.checkpoint(sequence)?)))
            .collect()
    }

    /// Closes every file; returns rows written per table.
    pub fn finish(self) -> Result<Vec<(&'static str, u64)>, RecordError> {
        self.writers
            .into_iter()
            .map(|writer| {
                let name = writer.name();
                writer.finish().map(|rows| (name, rows))
            })
            .collect()
    }
}

impl RowsVisitor for TableSet {
    type Error = RecordError;

    /// Hands a batch of one table's rows to that table's writer.
    fn rows<R: Row>(&mut self, rows: &[R]) -> Result<(), RecordError> {
        let writer = self
            .writers
            .iter_mut()
            .find(|writer| writer.name() == R::TABLE)
            .ok_or_else(|| RecordError::SchemaMismatch {
                table: R::TABLE.to_owned(),
                reason: "no such table is open".to_owned(),
            })?;
        writer.push_rows(rows)
    }
}
