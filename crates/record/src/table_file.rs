//! A small table written in one go (a sweep's `summary.parquet`): named columns with
//! units and meanings, ZSTD, key-value metadata, written under a temporary name and
//! renamed once complete.

use std::collections::HashMap;
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::{Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;

use crate::arrow::arrow_type;
use crate::columns::ColumnData;
use crate::error::RecordError;

/// One column of a table written in one go.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedColumn {
    /// The column's name.
    pub name: String,
    /// The unit of its values.
    pub unit: String,
    /// What it means.
    pub description: String,
    /// Its values.
    pub data: ColumnData,
}

/// Writes `columns` (all of one length) to `path` as one row group.
pub fn write_table_file(path: &Path, columns: Vec<NamedColumn>, metadata: Vec<(String, String)>) -> Result<(), RecordError> {
    let table = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut fields = Vec::with_capacity(columns.len());
    let mut arrays = Vec::with_capacity(columns.len());
    for mut column in columns {
        let (kind, nullable) = column.data.kind();
        fields.push(Field::new(&column.name, arrow_type(kind), nullable).with_metadata(HashMap::from([
            ("unit".to_owned(), column.unit),
            ("description".to_owned(), column.description),
        ])));
        arrays.push(column.data.take_array());
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|source| RecordError::Arrow { table, source })?;
    let level = ZstdLevel::try_new(3).expect("3 is a valid ZSTD level");
    let properties = WriterProperties::builder()
        .set_compression(Compression::ZSTD(level))
        .set_key_value_metadata(Some(metadata.into_iter().map(|(k, v)| KeyValue::new(k, v)).collect()))
        .build();
    let name = path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.{}.partial", std::process::id()));
    let parquet_error = |source| RecordError::Parquet {
        path: temp.clone(),
        source,
    };
    let written = File::create(&temp).map_err(RecordError::io(&temp)).and_then(|file| {
        let mut writer = ArrowWriter::try_new(file, schema, Some(properties)).map_err(parquet_error)?;
        writer.write(&batch).map_err(parquet_error)?;
        writer.close().map_err(parquet_error)?;
        std::fs::rename(&temp, path).map_err(RecordError::io(path))
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}
