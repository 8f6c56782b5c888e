//! Streaming Parquet writer for one table. Rows arrive in column batches, are buffered
//! up to one row group, and are written as ZSTD-compressed row groups, so memory stays
//! flat however long the run. The file is written under a hidden temporary name and
//! renamed only once its footer is written: a `<table>.parquet` is always complete.

use std::fs::File;
use std::path::{Path, PathBuf};

use arrow_array::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;

use crate::columns::ColumnData;
use crate::error::RecordError;
use crate::schema::TableSpec;

/// Settings shared by every table of a run.
#[derive(Debug, Clone)]
pub struct WriterOptions {
    pub row_group_rows: usize,
    pub zstd_level: i32,
    /// Key-value metadata stored in every file's footer (resolved config, seed, …).
    pub metadata: Vec<(String, String)>,
}

/// A table being written.
pub struct TableWriter {
    spec: TableSpec,
    final_path: PathBuf,
    temp_path: PathBuf,
    writer: Option<ArrowWriter<File>>,
    buffer: Vec<ColumnData>,
    buffered_rows: usize,
    row_group_rows: usize,
    rows_written: u64,
}

impl TableWriter {
    /// Opens `<dir>/.<table>.parquet.partial` for writing.
    pub fn create(dir: &Path, spec: TableSpec, options: &WriterOptions) -> Result<Self, RecordError> {
        let final_path = dir.join(format!("{}.parquet", spec.name));
        let temp_path = dir.join(format!(".{}.parquet.partial", spec.name));
        let file = File::create(&temp_path).map_err(RecordError::io(&temp_path))?;
        let level = ZstdLevel::try_new(options.zstd_level).map_err(|source| RecordError::Parquet {
            path: temp_path.clone(),
            source,
        })?;
        let mut metadata: Vec<KeyValue> = options.metadata.iter().map(|(k, v)| KeyValue::new(k.clone(), v.clone())).collect();
        metadata.push(KeyValue::new("bubblesim.table".to_owned(), spec.name.to_owned()));
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(level))
            .set_max_row_group_row_count(Some(options.row_group_rows))
            .set_key_value_metadata(Some(metadata))
            .build();
        let writer = ArrowWriter::try_new(file, spec.arrow_schema(), Some(properties)).map_err(|source| RecordError::Parquet {
            path: temp_path.clone(),
            source,
        })?;
        Ok(Self {
            spec,
            final_path,
            temp_path,
            writer: Some(writer),
            buffer: Vec::new(),
            buffered_rows: 0,
            row_group_rows: options.row_group_rows.max(1),
            rows_written: 0,
        })
    }

    pub fn name(&self) -> &'static str {
        self.spec.name
    }

    /// Appends a batch of rows, one `ColumnData` per column in the spec's order.
    pub fn push(&mut self, columns: Vec<ColumnData>) -> Result<(), RecordError> {
        let mismatch = |reason: String| RecordError::SchemaMismatch {
            table: self.spec.name.to_owned(),
            reason,
        };
        if columns.len() != self.spec.columns.len() {
            return Err(mismatch(format!(
                "{} columns given, the schema has {}",
                columns.len(),
                self.spec.columns.len()
            )));
        }
        let rows = columns.first().map(ColumnData::len).unwrap_or(0);
        for (data, spec) in columns.iter().zip(&self.spec.columns) {
            let (kind, has_nulls) = data.kind();
            if kind != spec.kind || (has_nulls && !spec.nullable) || data.len() != rows {
                return Err(mismatch(format!(
                    "column `{}` expects {}{}, got {} rows of {:?}",
                    spec.name,
                    spec.kind.name(),
                    if spec.nullable { " (nullable)" } else { "" },
                    data.len(),
                    kind
                )));
            }
        }
        if rows == 0 {
            return Ok(());
        }
        if self.buffer.is_empty() {
            self.buffer = columns;
        } else {
            for (buffer, data) in self.buffer.iter_mut().zip(columns) {
                buffer.append(data);
            }
        }
        self.buffered_rows += rows;
        if self.buffered_rows >= self.row_group_rows {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the buffered rows.
    fn flush(&mut self) -> Result<(), RecordError> {
        if self.buffered_rows == 0 {
            return Ok(());
        }
        let arrays = self.buffer.iter_mut().map(ColumnData::take_array).collect();
        let batch = RecordBatch::try_new(self.spec.arrow_schema(), arrays).map_err(|source| RecordError::Arrow {
            table: self.spec.name.to_owned(),
            source,
        })?;
        if let Some(writer) = self.writer.as_mut() {
            writer.write(&batch).map_err(|source| RecordError::Parquet {
                path: self.temp_path.clone(),
                source,
            })?;
        }
        self.rows_written += self.buffered_rows as u64;
        self.buffered_rows = 0;
        Ok(())
    }

    /// Writes what is buffered and the footer, then renames the file into place.
    /// Returns the number of rows written.
    pub fn finish(mut self) -> Result<u64, RecordError> {
        self.flush()?;
        if let Some(writer) = self.writer.take() {
            writer.close().map_err(|source| RecordError::Parquet {
                path: self.temp_path.clone(),
                source,
            })?;
        }
        std::fs::rename(&self.temp_path, &self.final_path).map_err(RecordError::io(&self.final_path))?;
        Ok(self.rows_written)
    }
}

impl Drop for TableWriter {
    /// A writer dropped before `finish` leaves no half-written file behind.
    fn drop(&mut self) {
        if self.writer.is_some() {
            self.writer = None;
            let _ = std::fs::remove_file(&self.temp_path);
        }
    }
}
