//! Streaming Parquet writer for one table.
//!
//! Rows arrive in column batches and wait in memory until they fill a row group of
//! `row_group_rows` rows or `row_group_ticks` trading days, whichever is first; each
//! full row group is encoded (ZSTD) into the table's current *part*, a complete Parquet
//! file of at most 16 row groups under `checkpoint/parts/`. Memory therefore stays flat
//! however long the run.
//!
//! A checkpoint closes the current part and saves the rows still waiting in a small
//! Parquet file of their own; resuming reads them back. Row groups are cut by row count
//! alone, and each is handed to the encoder as one batch, so the encoded bytes do not
//! depend on when rows arrived, on checkpoints, or on resumption.
//!
//! `finish` writes the last, shorter row group, then splices the parts' column chunks
//! (page indexes included) into `<table>.parquet` without re-encoding them — written
//! under a hidden temporary name and renamed once its footer is written, so a
//! `<table>.parquet` is always complete.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::UInt32Type;
use arrow_array::{RecordBatch, UInt32Array};
use arrow_schema::SchemaRef;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::{ArrowSchemaConverter, ArrowWriter, add_encoded_arrow_schema_to_metadata};
use parquet::basic::{Compression, ZstdLevel};
use parquet::column::writer::ColumnCloseResult;
use parquet::file::metadata::{KeyValue, PageIndexPolicy, ParquetMetaDataReader};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::ColumnPath;

use arrow_array::ArrayRef;
use bubblesim_schema::{ColumnType, Row, TableSpec};

use crate::arrow::arrow_schema;
use crate::columns::ColumnData;
use crate::error::RecordError;
use crate::parts::{SavedFile, TablePosition, parts_dir, pending_dir};
use crate::rows::row_arrays;

/// Row groups a part holds before the next one starts. An open Parquet writer keeps the
/// metadata of every row group it has written until it closes, so bounding a part's
/// length keeps memory flat however long the run.
const ROW_GROUPS_PER_PART: usize = 16;

/// Batches waiting for a row group before they are joined into one.
const MAX_WAITING_BATCHES: usize = 32;

/// Settings shared by every table of a run.
#[derive(Debug, Clone)]
pub struct WriterOptions {
    /// A row group ends after this many rows (`record.row_group_rows`).
    pub row_group_rows: usize,
    /// A row group also ends before the first row this many ticks after its first row
    /// (tables whose first column is `tick`).
    pub row_group_ticks: u32,
    /// ZSTD compression level (`record.zstd_level`).
    pub zstd_level: i32,
    /// Key-value metadata stored in every file's footer (resolved config, seed, …).
    pub metadata: Vec<(String, String)>,
}

/// The part being written.
struct OpenPart {
    name: String,
    temp_path: PathBuf,
    writer: ArrowWriter<File>,
}

/// A table being written.
pub struct TableWriter {
    spec: TableSpec,
    schema: SchemaRef,
    run_dir: PathBuf,
    properties: WriterProperties,
    part: Option<OpenPart>,
    parts: Vec<SavedFile>,
    /// Rows not yet in a row group, oldest first.
    waiting: Vec<RecordBatch>,
    waiting_rows: usize,
    row_group_rows: usize,
    /// Set for tables whose first column is `tick`.
    row_group_ticks: Option<u32>,
    rows: u64,
}

fn parquet_error(path: &Path) -> impl FnOnce(parquet::errors::ParquetError) -> RecordError + '_ {
    move |source| RecordError::Parquet {
        path: path.to_owned(),
        source,
    }
}

impl TableWriter {
    /// Starts the table's output in `run_dir` (nothing is written before the first row group).
    pub fn create(run_dir: &Path, spec: TableSpec, options: &WriterOptions) -> Result<Self, RecordError> {
        let level = ZstdLevel::try_new(options.zstd_level).map_err(parquet_error(run_dir))?;
        let mut metadata: Vec<KeyValue> = options.metadata.iter().map(|(k, v)| KeyValue::new(k.clone(), v.clone())).collect();
        metadata.push(KeyValue::new("bubblesim.table".to_owned(), spec.name.to_owned()));
        let mut properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(level))
            // Row groups are cut by `flush`, never inside a batch.
            .set_max_row_group_row_count(None)
            .set_key_value_metadata(Some(metadata));
        // Money, prices and ratios are nearly all distinct: a dictionary would only cost
        // hashing every value before falling back to plain encoding, which ZSTD then
        // compresses as well. Labels, ids, ticks and dates repeat and keep theirs.
        for column in spec.columns.iter().filter(|c| matches!(c.kind, ColumnType::F64 | ColumnType::I64)) {
            properties = properties.set_column_dictionary_enabled(ColumnPath::from(column.name), false);
        }
        let properties = properties.build();
        std::fs::create_dir_all(parts_dir(run_dir)).map_err(RecordError::io(parts_dir(run_dir)))?;
        Ok(Self {
            schema: arrow_schema(&spec),
            run_dir: run_dir.to_owned(),
            properties,
            part: None,
            parts: Vec::new(),
            waiting: Vec::new(),
            waiting_rows: 0,
            row_group_rows: options.row_group_rows.max(1),
            row_group_ticks: (spec.columns.first().map(|c| (c.name, c.kind)) == Some(("tick", ColumnType::U32)))
                .then_some(options.row_group_ticks.max(1)),
            spec,
            rows: 0,
        })
    }

    /// Continues a table from a checkpoint's `position`: its parts stand, its waiting
    /// rows are read back.
    pub fn resume(run_dir: &Path, spec: TableSpec, options: &WriterOptions, position: &TablePosition) -> Result<Self, RecordError> {
        let mut writer = Self::create(run_dir, spec, options)?;
        for part in &position.parts {
            part.verify(&parts_dir(run_dir))?;
        }
        writer.parts = position.parts.clone();
        if let Some(pending) = &position.pending {
            let path = pending.verify(&pending_dir(run_dir))?;
            let file = File::open(&path).map_err(RecordError::io(&path))?;
            let reader = ParquetRecordBatchReaderBuilder::try_new(file)
                .and_then(|builder| builder.build())
                .map_err(parquet_error(&path))?;
            for batch in reader {
                let batch = batch.map_err(|source| RecordError::Arrow {
                    table: writer.spec.name.to_owned(),
                    source,
                })?;
                let batch = RecordBatch::try_new(writer.schema.clone(), batch.columns().to_vec()).map_err(|source| RecordError::Arrow {
                    table: writer.spec.name.to_owned(),
                    source,
                })?;
                writer.waiting_rows += batch.num_rows();
                writer.waiting.push(batch);
            }
        }
        writer.rows = position.rows;
        if writer.waiting_rows as u64 > writer.rows {
            return Err(RecordError::Damaged {
                path: pending_dir(run_dir),
                reason: format!("table `{}` has more rows waiting than it was handed", writer.spec.name),
            });
        }
        Ok(writer)
    }

    /// The table's name.
    pub fn name(&self) -> &'static str {
        self.spec.name
    }

    /// Appends a batch of rows of the table's row type (`R::TABLE` must be this table).
    pub fn push_rows<R: Row>(&mut self, rows: &[R]) -> Result<(), RecordError> {
        if R::TABLE != self.spec.name {
            return Err(RecordError::SchemaMismatch {
                table: self.spec.name.to_owned(),
                reason: format!("rows of table `{}` handed to it", R::TABLE),
            });
        }
        if rows.is_empty() {
            return Ok(());
        }
        self.push_arrays(row_arrays(rows), rows.len())
    }

    /// Appends a batch of rows, one `ColumnData` per column in the spec's order.
    pub fn push(&mut self, mut columns: Vec<ColumnData>) -> Result<(), RecordError> {
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
        let arrays = columns.iter_mut().map(ColumnData::take_array).collect();
        self.push_arrays(arrays, rows)
    }

    /// Appends `rows` rows given as one array per column, in the spec's order.
    fn push_arrays(&mut self, arrays: Vec<ArrayRef>, rows: usize) -> Result<(), RecordError> {
        let batch = RecordBatch::try_new(self.schema.clone(), arrays).map_err(|source| RecordError::Arrow {
            table: self.spec.name.to_owned(),
            source,
        })?;
        self.waiting.push(batch);
        self.waiting_rows += rows;
        self.rows += rows as u64;
        self.write_complete_groups()?;
        if self.waiting.len() >= MAX_WAITING_BATCHES {
            // A table that gets a row or two per hand-over (the monthly `macro`) would
            // otherwise keep hundreds of tiny batches, each with its own buffers.
            let all = self.take_waiting()?;
            self.waiting_rows = all.num_rows();
            self.waiting.push(self.compact(all)?);
        }
        Ok(())
    }

    /// Where the row group starting at `start` of `batch` ends, if it is complete:
    /// after `row_group_rows` rows, or before the first row `row_group_ticks` ticks after
    /// the group's first row. Decided by the rows alone, so the groups are the same
    /// however the rows arrive.
    fn group_end(&self, batch: &RecordBatch, start: usize) -> Option<usize> {
        let rows = batch.num_rows() - start;
        let full = (rows >= self.row_group_rows).then_some(start + self.row_group_rows);
        let Some(span) = self.row_group_ticks else { return full };
        let Some(ticks) = batch.column(0).as_primitive_opt::<UInt32Type>() else {
            return full;
        };
        let ticks = &ticks.values()[start..start + rows.min(self.row_group_rows)];
        let end = ticks.first()?.saturating_add(span);
        // Ticks never decrease within a table.
        let cut = ticks.partition_point(|&tick| tick < end);
        if cut < ticks.len() { Some(start + cut) } else { full }
    }

    /// Whether the waiting rows reach `row_group_ticks` past the first one (a group is
    /// complete), judged from the first and last rows without joining the batches.
    fn spans_row_group_ticks(&self) -> bool {
        let Some(span) = self.row_group_ticks else { return false };
        let tick = |batch: &RecordBatch, row: usize| {
            batch
                .column(0)
                .as_primitive_opt::<UInt32Type>()
                .and_then(|t| t.values().get(row).copied())
        };
        let first = self.waiting.first().and_then(|b| tick(b, 0));
        let last = self.waiting.last().and_then(|b| tick(b, b.num_rows().checked_sub(1)?));
        matches!((first, last), (Some(first), Some(last)) if last >= first.saturating_add(span))
    }

    /// Writes every complete row group among the waiting rows; the rest keep waiting.
    fn write_complete_groups(&mut self) -> Result<(), RecordError> {
        if self.waiting_rows < self.row_group_rows && !self.spans_row_group_ticks() {
            return Ok(());
        }
        let all = self.take_waiting()?;
        let mut start = 0;
        while let Some(end) = self.group_end(&all, start) {
            self.write_row_group(&all.slice(start, end - start))?;
            start = end;
        }
        if start == 0 {
            self.waiting_rows = all.num_rows();
            self.waiting.push(all);
        } else if start < all.num_rows() {
            self.waiting_rows = all.num_rows() - start;
            let rest = self.compact(all.slice(start, self.waiting_rows))?;
            self.waiting.push(rest);
        }
        Ok(())
    }

    /// All waiting rows as one batch (the waiting list is left empty).
    fn take_waiting(&mut self) -> Result<RecordBatch, RecordError> {
        let batches = std::mem::take(&mut self.waiting);
        self.waiting_rows = 0;
        arrow_select::concat::concat_batches(&self.schema, &batches).map_err(|source| RecordError::Arrow {
            table: self.spec.name.to_owned(),
            source,
        })
    }

    /// Copies the rows left over after a row group out of the batch they were cut from,
    /// keeping only the dictionary values they use. Without this, the leftovers would
    /// keep the whole row group's buffers alive, and carry every label seen so far into
    /// the next concatenation, so memory would grow with the run.
    fn compact(&self, rest: RecordBatch) -> Result<RecordBatch, RecordError> {
        let arrow = |source| RecordError::Arrow {
            table: self.spec.name.to_owned(),
            source,
        };
        let indices = UInt32Array::from_iter_values(0..rest.num_rows() as u32);
        let copied = arrow_select::take::take_record_batch(&rest, &indices).map_err(arrow)?;
        let columns = copied
            .columns()
            .iter()
            .map(|column| match column.as_any_dictionary_opt() {
                Some(dictionary) => arrow_select::dictionary::garbage_collect_any_dictionary(dictionary),
                None => Ok(column.clone()),
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(arrow)?;
        RecordBatch::try_new(self.schema.clone(), columns).map_err(arrow)
    }

    /// Encodes `group` as one row group of the current part.
    fn write_row_group(&mut self, group: &RecordBatch) -> Result<(), RecordError> {
        if group.num_rows() == 0 {
            return Ok(());
        }
        if self.part.is_none() {
            let name = format!("{}.{:05}.parquet", self.spec.name, self.parts.len());
            let temp_path = parts_dir(&self.run_dir).join(format!(".{name}.partial"));
            let file = File::create(&temp_path).map_err(RecordError::io(&temp_path))?;
            let writer =
                ArrowWriter::try_new(file, self.schema.clone(), Some(self.properties.clone())).map_err(parquet_error(&temp_path))?;
            self.part = Some(OpenPart { name, temp_path, writer });
        }
        let mut full = false;
        if let Some(part) = self.part.as_mut() {
            part.writer.write(group).map_err(parquet_error(&part.temp_path))?;
            part.writer.flush().map_err(parquet_error(&part.temp_path))?;
            full = part.writer.flushed_row_groups().len() >= ROW_GROUPS_PER_PART;
        }
        if full {
            self.close_part()?;
        }
        Ok(())
    }

    /// Closes the current part, if one is open, and adds it to the list.
    fn close_part(&mut self) -> Result<(), RecordError> {
        let Some(part) = self.part.take() else { return Ok(()) };
        part.writer.close().map_err(parquet_error(&part.temp_path))?;
        let path = parts_dir(&self.run_dir).join(&part.name);
        std::fs::rename(&part.temp_path, &path).map_err(RecordError::io(&path))?;
        self.parts.push(SavedFile::record(&parts_dir(&self.run_dir), part.name)?);
        Ok(())
    }

    /// Makes everything written so far durable for checkpoint number `sequence`: closes
    /// the current part and saves the waiting rows (which stay waiting).
    pub fn checkpoint(&mut self, sequence: u64) -> Result<TablePosition, RecordError> {
        self.close_part()?;
        let pending = if self.waiting_rows > 0 {
            let batch = self.take_waiting()?;
            self.waiting_rows = batch.num_rows();
            self.waiting.push(batch.clone());
            let dir = pending_dir(&self.run_dir);
            std::fs::create_dir_all(&dir).map_err(RecordError::io(&dir))?;
            let name = format!("{}.{sequence:06}.parquet", self.spec.name);
            let path = dir.join(&name);
            let file = File::create(&path).map_err(RecordError::io(&path))?;
            let mut writer = ArrowWriter::try_new(file, self.schema.clone(), None).map_err(parquet_error(&path))?;
            writer.write(&batch).map_err(parquet_error(&path))?;
            writer.close().map_err(parquet_error(&path))?;
            Some(SavedFile::record(&dir, name)?)
        } else {
            None
        };
        // Each part was synced and hashed when it closed.
        Ok(TablePosition {
            parts: self.parts.clone(),
            pending,
            rows: self.rows,
        })
    }

    /// Writes the last row group, then joins the parts into `<table>.parquet`. Returns
    /// the number of rows written.
    pub fn finish(mut self) -> Result<u64, RecordError> {
        let last = self.take_waiting()?;
        self.write_row_group(&last)?;
        self.close_part()?;
        let final_path = self.run_dir.join(format!("{}.parquet", self.spec.name));
        let temp_path = self.run_dir.join(format!(".{}.parquet.partial", self.spec.name));
        let mut properties = self.properties.clone();
        add_encoded_arrow_schema_to_metadata(&self.schema, &mut properties);
        let schema = ArrowSchemaConverter::new()
            .convert(&self.schema)
            .map_err(parquet_error(&final_path))?;
        let file = File::create(&temp_path).map_err(RecordError::io(&temp_path))?;
        let mut out = SerializedFileWriter::new(file, schema.root_schema_ptr(), Arc::new(properties)).map_err(parquet_error(&temp_path))?;
        let mut rows = 0u64;
        for part in &self.parts {
            let path = parts_dir(&self.run_dir).join(&part.name);
            let part = File::open(&path).map_err(RecordError::io(&path))?;
            let metadata = ParquetMetaDataReader::new()
                .with_page_index_policy(PageIndexPolicy::Optional)
                .parse_and_finish(&part)
                .map_err(parquet_error(&path))?;
            for (index, group) in metadata.row_groups().iter().enumerate() {
                let page_index = metadata.page_index_for_row_group(index);
                let mut group_out = out.next_row_group().map_err(parquet_error(&temp_path))?;
                for (column_index, column) in group.columns().iter().enumerate() {
                    let close = ColumnCloseResult {
                        bytes_written: column.compressed_size() as u64,
                        rows_written: group.num_rows() as u64,
                        metadata: column.clone(),
                        bloom_filter: None,
                        column_index: page_index.column_index(column_index).cloned(),
                        offset_index: page_index.offset_index(column_index).cloned(),
                    };
                    group_out.append_column(&part, close).map_err(parquet_error(&path))?;
                }
                group_out.close().map_err(parquet_error(&temp_path))?;
                rows += group.num_rows() as u64;
            }
        }
        out.close().map_err(parquet_error(&temp_path))?;
        std::fs::rename(&temp_path, &final_path).map_err(RecordError::io(&final_path))?;
        // The parts stay until the run folder completes (`RunDir::complete` removes the
        // checkpoint folder): a process killed while joining can still resume.
        Ok(rows)
    }
}

impl Drop for TableWriter {
    /// A writer dropped unfinished leaves no half-written part behind (closed parts stay:
    /// a checkpoint may refer to them).
    fn drop(&mut self) {
        if let Some(part) = self.part.take() {
            drop(part.writer);
            let _ = std::fs::remove_file(&part.temp_path);
        }
    }
}
