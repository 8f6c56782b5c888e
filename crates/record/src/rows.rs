//! Rows into Arrow arrays: each column of a [`Row`] type read from a batch of rows by its
//! accessor, so the arrays follow the table's definition and nothing else.

use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, BooleanArray, Date32Array, DictionaryArray, Float64Array, Int64Array, StringArray, UInt32Array, UInt64Array};
use bubblesim_schema::{Column, Row, Value};

/// One column of `rows` as an Arrow array.
fn column_array<R>(column: &Column<R>, rows: &[R]) -> ArrayRef {
    match column.value {
        // Columns that cannot be null are built without a null buffer.
        Value::U32(get) => Arc::new(UInt32Array::from_iter_values(rows.iter().map(get))),
        Value::U64(get) => Arc::new(UInt64Array::from_iter_values(rows.iter().map(get))),
        Value::OptU64(get) => Arc::new(rows.iter().map(get).collect::<UInt64Array>()),
        Value::I64(get) => Arc::new(Int64Array::from_iter_values(rows.iter().map(get))),
        Value::F64(get) => Arc::new(Float64Array::from_iter_values(rows.iter().map(get))),
        Value::OptF64(get) => Arc::new(rows.iter().map(get).collect::<Float64Array>()),
        Value::Bool(get) => Arc::new(BooleanArray::from(rows.iter().map(get).collect::<Vec<bool>>())),
        Value::Date32(get) => Arc::new(Date32Array::from_iter_values(rows.iter().map(get))),
        Value::Dict(get) => Arc::new(rows.iter().map(get).collect::<DictionaryArray<Int32Type>>()),
        Value::Utf8(get) => Arc::new(StringArray::from_iter_values(rows.iter().map(get))),
    }
}

/// Every column of `rows`, in the table's order.
pub fn row_arrays<R: Row>(rows: &[R]) -> Vec<ArrayRef> {
    R::COLUMNS.iter().map(|column| column_array(column, rows)).collect()
}
