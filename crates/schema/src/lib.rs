//! bubblesim's output contract, with no dependencies: what a table is, and how each of
//! its columns is read from a row.
//!
//! A table's row type implements [`Row`]: its name, what one row is, and its
//! [`Column`]s — each a name, a unit, a meaning and the accessor that reads the value
//! from the row, whose type fixes the column's type. So a column is written once, beside
//! the row it describes: the model defines its rows, the recorder (`bubblesim-record`)
//! turns any [`Row`] into Arrow arrays and Parquet, and `bubblesim schema` prints the
//! same definitions as Markdown ([`TableSpec::to_markdown`]). A driver hands batches of
//! rows of every table to a [`RowsVisitor`].

#![warn(missing_docs)]

mod column;
mod spec;

pub use column::{Column, Value};
pub use spec::{ColumnSpec, ColumnType, TableSpec};

/// A row of an output table: the table's name, what one row is, and its columns.
pub trait Row: Sized + Send + 'static {
    /// The table's name (its file is `<TABLE>.parquet`).
    const TABLE: &'static str;
    /// What one row is, in words ("a listed firm on one trading day").
    const ROW: &'static str;
    /// The columns, in file order.
    const COLUMNS: &'static [Column<Self>];

    /// The table's specification: names, types, units and meanings.
    fn spec() -> TableSpec {
        TableSpec {
            name: Self::TABLE,
            row: Self::ROW,
            columns: Self::COLUMNS.iter().map(Column::spec).collect(),
        }
    }
}

/// Receives batches of rows, one table at a time (the recorder's writers implement it).
pub trait RowsVisitor {
    /// Why a batch could not be taken.
    type Error;
    /// Takes one table's rows (possibly none).
    fn rows<R: Row>(&mut self, rows: &[R]) -> Result<(), Self::Error>;
}
