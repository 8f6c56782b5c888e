//! A column of a row type: its name, unit and meaning, and the accessor that reads its
//! value from a row. The accessor's type is the column's type, so the two cannot
//! disagree; nullable columns are those whose accessor returns an `Option`.

use crate::spec::{ColumnSpec, ColumnType};

/// How a column's value is read from a row, by type.
pub enum Value<R> {
    /// An unsigned 32-bit integer.
    U32(fn(&R) -> u32),
    /// An unsigned 64-bit integer.
    U64(fn(&R) -> u64),
    /// An unsigned 64-bit integer or null.
    OptU64(fn(&R) -> Option<u64>),
    /// A signed 64-bit integer.
    I64(fn(&R) -> i64),
    /// A 64-bit float.
    F64(fn(&R) -> f64),
    /// A 64-bit float or null.
    OptF64(fn(&R) -> Option<f64>),
    /// A boolean.
    Bool(fn(&R) -> bool),
    /// A date, as days since 1970-01-01.
    Date32(fn(&R) -> i32),
    /// A label from a small set (dictionary-encoded).
    Dict(fn(&R) -> &str),
    /// Free text.
    Utf8(fn(&R) -> &str),
}

impl<R> Value<R> {
    /// The column type it fills, and whether it may be null.
    pub const fn kind(&self) -> (ColumnType, bool) {
        match self {
            Value::U32(_) => (ColumnType::U32, false),
            Value::U64(_) => (ColumnType::U64, false),
            Value::OptU64(_) => (ColumnType::U64, true),
            Value::I64(_) => (ColumnType::I64, false),
            Value::F64(_) => (ColumnType::F64, false),
            Value::OptF64(_) => (ColumnType::F64, true),
            Value::Bool(_) => (ColumnType::Bool, false),
            Value::Date32(_) => (ColumnType::Date32, false),
            Value::Dict(_) => (ColumnType::Dict, false),
            Value::Utf8(_) => (ColumnType::Utf8, false),
        }
    }
}

/// One column of the table of rows `R`.
pub struct Column<R> {
    /// The column's name.
    pub name: &'static str,
    /// The unit of its values.
    pub unit: &'static str,
    /// What it means.
    pub description: &'static str,
    /// How its value is read from a row.
    pub value: Value<R>,
}

impl<R> Column<R> {
    /// A column read by `value`.
    pub const fn new(name: &'static str, unit: &'static str, description: &'static str, value: Value<R>) -> Self {
        Self {
            name,
            unit,
            description,
            value,
        }
    }

    /// An unsigned 32-bit column.
    pub const fn u32(name: &'static str, unit: &'static str, description: &'static str, get: fn(&R) -> u32) -> Self {
        Self::new(name, unit, description, Value::U32(get))
    }

    /// An unsigned 64-bit column.
    pub const fn u64(name: &'static str, unit: &'static str, description: &'static str, get: fn(&R) -> u64) -> Self {
        Self::new(name, unit, description, Value::U64(get))
    }

    /// A nullable unsigned 64-bit column.
    pub const fn opt_u64(name: &'static str, unit: &'static str, description: &'static str, get: fn(&R) -> Option<u64>) -> Self {
        Self::new(name, unit, description, Value::OptU64(get))
    }

    /// A signed 64-bit column.
    pub const fn i64(name: &'static str, unit: &'static str, description: &'static str, get: fn(&R) -> i64) -> Self {
        Self::new(name, unit, description, Value::I64(get))
    }

    /// A float column.
    pub const fn f64(name: &'static str, unit: &'static str, description: &'static str, get: fn(&R) -> f64) -> Self {
        Self::new(name, unit, description, Value::F64(get))
    }

    /// A nullable float column.
    pub const fn opt_f64(name: &'static str, unit: &'static str, description: &'static str, get: fn(&R) -> Option<f64>) -> Self {
        Self::new(name, unit, description, Value::OptF64(get))
    }

    /// A boolean column.
    pub const fn bool(name: &'static str, unit: &'static str, description: &'static str, get: fn(&R) -> bool) -> Self {
        Self::new(name, unit, description, Value::Bool(get))
    }

    /// A date column (days since 1970-01-01).
    pub const fn day(name: &'static str, unit: &'static str, description: &'static str, get: fn(&R) -> i32) -> Self {
        Self::new(name, unit, description, Value::Date32(get))
    }

    /// A dictionary-encoded label column.
    pub const fn dict(name: &'static str, unit: &'static str, description: &'static str, get: fn(&R) -> &str) -> Self {
        Self::new(name, unit, description, Value::Dict(get))
    }

    /// A free-text column.
    pub const fn text(name: &'static str, unit: &'static str, description: &'static str, get: fn(&R) -> &str) -> Self {
        Self::new(name, unit, description, Value::Utf8(get))
    }

    /// The `tick` column every table starts with.
    pub const fn tick(get: fn(&R) -> u32) -> Self {
        Self::u32("tick", "trading day", "ticks since the start (0 = first trading day)", get)
    }

    /// The `date` column every table has second.
    pub const fn date(get: fn(&R) -> i32) -> Self {
        Self::day("date", "date", "the trading day", get)
    }

    /// The `agent_id` column of an entity table.
    pub const fn agent_id(get: fn(&R) -> u64) -> Self {
        Self::u64("agent_id", "id", "stable agent id (same config and seed → same ids)", get)
    }

    /// The `kind` column of an entity table: what kinds of agent its rows are.
    pub const fn kind(meaning: &'static str, get: fn(&R) -> &str) -> Self {
        Self::dict("kind", "label", meaning, get)
    }

    /// The column's specification.
    pub fn spec(&self) -> ColumnSpec {
        let (kind, nullable) = self.value.kind();
        ColumnSpec {
            name: self.name,
            kind,
            nullable,
            unit: self.unit,
            description: self.description,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::Row;

    struct Example {
        tick: u32,
        name: Arc<str>,
        share: Option<f64>,
    }

    impl Row for Example {
        const TABLE: &'static str = "example";
        const ROW: &'static str = "an example";
        const COLUMNS: &'static [Column<Self>] = &[
            Column::tick(|r| r.tick),
            Column::dict("name", "label", "its name", |r| &r.name),
            Column::opt_f64("share", "share", "a share, if known", |r| r.share),
        ];
    }

    #[test]
    fn a_rows_columns_read_its_fields_and_give_the_spec_its_types() {
        let row = Example {
            tick: 3,
            name: Arc::from("lab-a"),
            share: None,
        };
        let spec = Example::spec();
        assert_eq!(spec.columns.iter().map(|c| c.name).collect::<Vec<_>>(), ["tick", "name", "share"]);
        assert_eq!(
            spec.columns.iter().map(|c| (c.kind, c.nullable)).collect::<Vec<_>>(),
            [(ColumnType::U32, false), (ColumnType::Dict, false), (ColumnType::F64, true)]
        );
        match (&Example::COLUMNS[0].value, &Example::COLUMNS[1].value, &Example::COLUMNS[2].value) {
            (Value::U32(tick), Value::Dict(name), Value::OptF64(share)) => {
                assert_eq!((tick(&row), name(&row), share(&row)), (3, "lab-a", None));
            }
            _ => panic!("the accessors' types are the columns' types"),
        }
        assert!(
            spec.to_markdown()
                .contains("| `share` | f64 (nullable) | share | a share, if known |")
        );
    }
}
