//! Table and column specifications as data: what `bubblesim schema` prints and what the
//! recorder turns into an Arrow schema with each column's unit and meaning as field
//! metadata.

/// The type of a column's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Unsigned 32-bit integer.
    U32,
    /// Unsigned 64-bit integer.
    U64,
    /// Signed 64-bit integer.
    I64,
    /// 64-bit float.
    F64,
    /// Boolean.
    Bool,
    /// Days since 1970-01-01.
    Date32,
    /// A string with few distinct values, dictionary-encoded (Int32 keys, Utf8 values).
    Dict,
    /// A string.
    Utf8,
}

impl ColumnType {
    /// The type's name in the schema reference.
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
    /// The column's name.
    pub name: &'static str,
    /// The type of its values.
    pub kind: ColumnType,
    /// Whether a value may be null.
    pub nullable: bool,
    /// The unit of its values.
    pub unit: &'static str,
    /// What it means.
    pub description: &'static str,
}

/// A table: its name, what one row is, and its columns.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSpec {
    /// The table's name.
    pub name: &'static str,
    /// What one row is.
    pub row: &'static str,
    /// Its columns, in file order.
    pub columns: Vec<ColumnSpec>,
}

impl TableSpec {
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
