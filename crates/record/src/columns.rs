//! Column buffers: what callers hand the writer, one vector per column.

use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, BooleanArray, Date32Array, DictionaryArray, Float64Array, Int64Array, StringArray, UInt32Array, UInt64Array};

use bubblesim_schema::ColumnType;

/// The values of one column for a batch of rows.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    /// Unsigned 32-bit integers.
    U32(Vec<u32>),
    /// Unsigned 64-bit integers.
    U64(Vec<u64>),
    /// Unsigned 64-bit integers or nulls.
    OptU64(Vec<Option<u64>>),
    /// Signed 64-bit integers.
    I64(Vec<i64>),
    /// Floats.
    F64(Vec<f64>),
    /// Floats or nulls.
    OptF64(Vec<Option<f64>>),
    /// Booleans.
    Bool(Vec<bool>),
    /// Dates, as days since 1970-01-01.
    Date32(Vec<i32>),
    /// Dictionary-encoded labels from a fixed set.
    Label(Vec<&'static str>),
    /// Dictionary-encoded names (shared strings).
    Name(Vec<Arc<str>>),
    /// Free text.
    Utf8(Vec<String>),
}

impl ColumnData {
    /// Values in the column.
    pub fn len(&self) -> usize {
        match self {
            ColumnData::U32(v) => v.len(),
            ColumnData::U64(v) => v.len(),
            ColumnData::OptU64(v) => v.len(),
            ColumnData::I64(v) => v.len(),
            ColumnData::F64(v) => v.len(),
            ColumnData::OptF64(v) => v.len(),
            ColumnData::Bool(v) => v.len(),
            ColumnData::Date32(v) => v.len(),
            ColumnData::Label(v) => v.len(),
            ColumnData::Name(v) => v.len(),
            ColumnData::Utf8(v) => v.len(),
        }
    }

    /// True when the column holds no value.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The column type this data fills, and whether it carries nulls.
    pub fn kind(&self) -> (ColumnType, bool) {
        match self {
            ColumnData::U32(_) => (ColumnType::U32, false),
            ColumnData::U64(_) => (ColumnType::U64, false),
            ColumnData::OptU64(_) => (ColumnType::U64, true),
            ColumnData::I64(_) => (ColumnType::I64, false),
            ColumnData::F64(_) => (ColumnType::F64, false),
            ColumnData::OptF64(_) => (ColumnType::F64, true),
            ColumnData::Bool(_) => (ColumnType::Bool, false),
            ColumnData::Date32(_) => (ColumnType::Date32, false),
            ColumnData::Label(_) | ColumnData::Name(_) => (ColumnType::Dict, false),
            ColumnData::Utf8(_) => (ColumnType::Utf8, false),
        }
    }

    /// Moves the buffered values out into an Arrow array, leaving the buffer empty.
    pub(crate) fn take_array(&mut self) -> ArrayRef {
        match self {
            ColumnData::U32(v) => Arc::new(UInt32Array::from(std::mem::take(v))),
            ColumnData::U64(v) => Arc::new(UInt64Array::from(std::mem::take(v))),
            ColumnData::OptU64(v) => Arc::new(UInt64Array::from(std::mem::take(v))),
            ColumnData::I64(v) => Arc::new(Int64Array::from(std::mem::take(v))),
            ColumnData::F64(v) => Arc::new(Float64Array::from(std::mem::take(v))),
            ColumnData::OptF64(v) => Arc::new(Float64Array::from(std::mem::take(v))),
            ColumnData::Bool(v) => Arc::new(BooleanArray::from(std::mem::take(v))),
            ColumnData::Date32(v) => Arc::new(Date32Array::from(std::mem::take(v))),
            ColumnData::Label(v) => Arc::new(std::mem::take(v).into_iter().collect::<DictionaryArray<Int32Type>>()),
            ColumnData::Name(v) => Arc::new(std::mem::take(v).iter().map(|s| &**s).collect::<DictionaryArray<Int32Type>>()),
            ColumnData::Utf8(v) => Arc::new(StringArray::from(std::mem::take(v))),
        }
    }
}
