//! Table and column specifications: the output contract. Each column has a type, a
//! unit and a meaning; `bubblesim schema` prints them and each Parquet file carries them
//! as Arrow field metadata (`unit`, `description`).

use std::collections::HashMap;
use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema};

/// The Arrow type of a column, as the writer accepts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    U32,
    U64,
    I64,
    F64,
    Bool,
    /// Days since 1970-01-01.
    Date32,
    /// A string with few distinct values, dictionary-encoded (Int32 keys, Utf8 values).
    Dict,
    Utf8,
}

impl ColumnType {
    pub fn arrow(self) -> DataType {
        match self {
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

    pub fn name(self) -> &'static str {
        match self {
            ColumnType::U32 => "u32",
            ColumnType::U64 => "u64",
            ColumnType::I64 => "i64",
            ColumnType::F64 => "f64",
            ColumnType::Bool => "bool",
            ColumnType::Date32 => "date32",
            ColumnType::Dict => "dictionary<string>",
            ColumnType::Utf8 => "string",
        }
    }
}

/// One column: name, type, whether it may be null, unit and meaning.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnSpec {
    pub name: &'static str,
    pub kind: ColumnType,
    pub nullable: bool,
    pub unit: &'static str,
    pub description: &'static str,
}

/// A table: its name, what one row is, and its columns.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSpec {
    pub name: &'static str,
    pub row: &'static str,
    pub columns: Vec<ColumnSpec>,
}

impl TableSpec {
    /// The Arrow schema, with each column's unit and description as field metadata.
    pub fn arrow_schema(&self) -> Arc<Schema> {
        let fields: Vec<Field> = self
            .columns
            .iter()
            .map(|c| {
                Field::new(c.name, c.kind.arrow(), c.nullable).with_metadata(HashMap::from([
                    ("unit".to_owned(), c.unit.to_owned()),
                    ("description".to_owned(), c.description.to_owned()),
                ]))
            })
            .collect();
        Arc::new(Schema::new(fields))
    }

    /// The table as Markdown: a heading, what a row is, and a column table.
    pub fn to_markdown(&self) -> String {
        let mut text = format!(
            "## `{}`\n\nOne row: {}.\n\n| column | type | unit | meaning |\n|---|---|---|---|\n",
            self.name, self.row
        );
        for c in &self.columns {
            let kind = if c.nullable {
                format!("{} (nullable)", c.kind.name())
            } else {
                c.kind.name().to_owned()
            };
            text.push_str(&format!("| `{}` | {} | {} | {} |\n", c.name, kind, c.unit, c.description));
        }
        text
    }
}

/// Shorthand for a column spec.
pub const fn col(name: &'static str, kind: ColumnType, unit: &'static str, description: &'static str) -> ColumnSpec {
    ColumnSpec {
        name,
        kind,
        nullable: false,
        unit,
        description,
    }
}

/// Shorthand for a nullable column spec.
pub const fn nullable(name: &'static str, kind: ColumnType, unit: &'static str, description: &'static str) -> ColumnSpec {
    ColumnSpec {
        name,
        kind,
        nullable: true,
        unit,
        description,
    }
}
