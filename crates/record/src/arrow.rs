//! The Arrow side of the output contract: each column type's Arrow type, and a table's
//! Arrow schema with each column's unit and meaning as field metadata.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, SchemaRef};
use bubblesim_schema::{ColumnType, TableSpec};

/// The Arrow type of a column type (labels are dictionaries of Int32 keys and Utf8 values).
pub fn arrow_type(kind: ColumnType) -> DataType {
    match kind {
        ColumnType::U32 => DataType::UInt32,
        ColumnType::U64 => DataType::UInt64,
        ColumnType::I64 => DataType::Int64,
        ColumnType::F64 => DataType::Float64,
        ColumnType::Bool => DataType::Boolean,
        ColumnType::Date32 => DataType::Date32,
        ColumnType::Dict => DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
        ColumnType::Utf8 => DataType::Utf8,
    }
}

/// A table's Arrow schema, with each column's unit and description as field metadata.
pub fn arrow_schema(spec: &TableSpec) -> SchemaRef {
    let fields: Vec<Field> = spec
        .columns
        .iter()
        .map(|c| {
            Field::new(c.name, arrow_type(c.kind), c.nullable).with_metadata(HashMap::from([
                ("unit".to_owned(), c.unit.to_owned()),
                ("description".to_owned(), c.description.to_owned()),
            ]))
        })
        .collect();
    Arc::new(Schema::new(fields))
}
