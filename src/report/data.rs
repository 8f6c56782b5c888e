//! Reading a finished run back: its manifest, and its Parquet tables column by column
//! (for the report and for `validate`).

use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use serde_json::Value;

use crate::failure::Failure;
use arrow_array::types::{Date32Type, Float64Type, Int32Type, UInt32Type, UInt64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::DataType;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

/// Some columns of one table, read whole.
pub struct Table {
    path: PathBuf,
    batches: Vec<RecordBatch>,
}

/// Why a table could not be read: the file and the reason.
#[derive(Debug)]
pub struct ReadError(pub String);

impl Table {
    /// Reads `columns` of `dir/<name>.parquet`.
    pub fn read(dir: &Path, name: &str, columns: &[&str]) -> Result<Self, ReadError> {
        let path = dir.join(format!("{name}.parquet"));
        let fail = |reason: String| ReadError(format!("{}: {reason}", path.display()));
        let file = std::fs::File::open(&path).map_err(|err| fail(format!("cannot be read ({err})")))?;
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|err| fail(format!("not a readable Parquet file ({err})")))?;
        let schema = builder.schema().clone();
        for column in columns {
            if schema.field_with_name(column).is_err() {
                return Err(fail(format!(
                    "has no column `{column}`; was it written by another bubblesim version?"
                )));
            }
        }
        let mask = ProjectionMask::columns(builder.parquet_schema(), columns.iter().copied());
        let reader = builder.with_projection(mask).build().map_err(|err| fail(err.to_string()))?;
        let batches = reader.collect::<Result<Vec<_>, _>>().map_err(|err| fail(err.to_string()))?;
        Ok(Self { path, batches })
    }

    fn column(&self, name: &str) -> impl Iterator<Item = &ArrayRef> {
        self.batches.iter().filter_map(move |batch| batch.column_by_name(name))
    }

    fn mismatch(&self, name: &str) -> ReadError {
        ReadError(format!("{}: column `{name}` has an unexpected type", self.path.display()))
    }

    /// A float column; nulls read as NaN.
    pub fn f64(&self, name: &str) -> Result<Vec<f64>, ReadError> {
        let mut out = Vec::new();
        for array in self.column(name) {
            let values = array.as_primitive_opt::<Float64Type>().ok_or_else(|| self.mismatch(name))?;
            out.extend((0..values.len()).map(|i| if values.is_null(i) { f64::NAN } else { values.value(i) }));
        }
        Ok(out)
    }

    /// An unsigned count or id column, as f64 (u32 or u64).
    pub fn count(&self, name: &str) -> Result<Vec<f64>, ReadError> {
        let mut out = Vec::new();
        for array in self.column(name) {
            match array.data_type() {
                DataType::UInt32 => out.extend(array.as_primitive::<UInt32Type>().values().iter().map(|v| f64::from(*v))),
                DataType::UInt64 => out.extend(array.as_primitive::<UInt64Type>().values().iter().map(|v| *v as f64)),
                _ => return Err(self.mismatch(name)),
            }
        }
        Ok(out)
    }

    /// A numeric column of any of the kinds the tables use (f64, u32, u64), as f64;
    /// nulls read as NaN.
    pub fn numbers(&self, name: &str) -> Result<Vec<f64>, ReadError> {
        match self.column(name).next().map(|array| array.data_type().clone()) {
            Some(DataType::UInt32 | DataType::UInt64) => self.count(name),
            _ => self.f64(name),
        }
    }

    /// A date column, as days since 1970-01-01.
    pub fn dates(&self, name: &str) -> Result<Vec<i32>, ReadError> {
        let mut out = Vec::new();
        for array in self.column(name) {
            out.extend(
                array
                    .as_primitive_opt::<Date32Type>()
                    .ok_or_else(|| self.mismatch(name))?
                    .values()
                    .iter(),
            );
        }
        Ok(out)
    }

    /// A label column (dictionary-encoded or plain strings).
    pub fn labels(&self, name: &str) -> Result<Vec<String>, ReadError> {
        let mut out = Vec::new();
        for array in self.column(name) {
            if let Some(dictionary) = array.as_dictionary_opt::<Int32Type>() {
                let values = dictionary.values().as_string_opt::<i32>().ok_or_else(|| self.mismatch(name))?;
                out.extend(
                    dictionary
                        .keys()
                        .iter()
                        .map(|key| key.map(|k| values.value(k as usize).to_owned()).unwrap_or_default()),
                );
            } else {
                let values = array.as_string_opt::<i32>().ok_or_else(|| self.mismatch(name))?;
                out.extend((0..values.len()).map(|i| values.value(i).to_owned()));
            }
        }
        Ok(out)
    }
}

/// The manifest of a finished run folder, or why `dir` is not one (bad input).
pub fn finished_run(dir: &Path) -> Result<Value, Failure> {
    if !dir.is_dir() {
        return Err(Failure::Input(format!("{}: no such run folder", dir.display())));
    }
    if dir.join("sweep.json").is_file() {
        return Err(Failure::Input(format!(
            "{}: is a sweep folder; give one of its runs (a folder holding manifest.json), or open notebooks/sweep.ipynb",
            dir.display()
        )));
    }
    let manifest_path = dir.join("manifest.json");
    let manifest: Value = std::fs::read(&manifest_path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| {
            Failure::Input(format!(
                "{}: missing or not a bubblesim manifest; is this a run folder?",
                manifest_path.display()
            ))
        })?;
    let status = manifest["status"].as_str().unwrap_or("unknown");
    if status != "complete" {
        return Err(Failure::Input(format!(
            "{}: the run is not complete (status `{status}`); finish it with `bubblesim resume {}` first",
            dir.display(),
            dir.display()
        )));
    }
    Ok(manifest)
}
