//! The table writer: row groups are cut by the rows alone (a row count or a span of
//! ticks), so the file's bytes do not depend on how rows were handed over, on
//! checkpoints, or on resuming from one; and a table never holds more than one group.

use std::path::Path;

use bubblesim_record::{ColumnData, ColumnSpec, ColumnType, TableSpec, TableWriter, WriterOptions};
use parquet::file::reader::{FileReader, SerializedFileReader};

fn spec() -> TableSpec {
    let col = |name, kind| ColumnSpec {
        name,
        kind,
        nullable: false,
        unit: "",
        description: "",
    };
    TableSpec {
        name: "test",
        row: "a test row",
        columns: vec![
            col("tick", ColumnType::U32),
            col("value", ColumnType::F64),
            col("label", ColumnType::Dict),
        ],
    }
}

fn options() -> WriterOptions {
    WriterOptions {
        row_group_rows: 50,
        row_group_ticks: 10,
        zstd_level: 3,
        metadata: vec![("k".to_owned(), "v".to_owned())],
    }
}

/// Rows: three per tick for ticks 0..40, then one every fifth tick to 100.
fn rows() -> Vec<(u32, f64, &'static str)> {
    let labels = ["a", "b", "c", "d"];
    let mut rows: Vec<(u32, f64, &'static str)> = (0..40u32)
        .flat_map(|t| (0..3).map(move |k| (t, f64::from(t) * 1.5 + k as f64, labels[(t as usize + k) % 4])))
        .collect();
    rows.extend((40..100u32).step_by(5).map(|t| (t, f64::from(t), labels[t as usize % 4])));
    rows
}

fn columns(rows: &[(u32, f64, &'static str)]) -> Vec<ColumnData> {
    vec![
        ColumnData::U32(rows.iter().map(|r| r.0).collect()),
        ColumnData::F64(rows.iter().map(|r| r.1).collect()),
        ColumnData::Label(rows.iter().map(|r| r.2).collect()),
    ]
}

/// Writes the rows in chunks of `chunk`, checkpointing after the chunks listed.
fn write(dir: &Path, chunk: usize, checkpoints_after: &[usize]) -> Vec<u8> {
    let mut writer = TableWriter::create(dir, spec(), &options()).unwrap();
    let rows = rows();
    for (index, piece) in rows.chunks(chunk).enumerate() {
        writer.push(columns(piece)).unwrap();
        if checkpoints_after.contains(&index) {
            let position = writer.checkpoint(index as u64 + 1).unwrap();
            // Resume from it, as a new process would.
            drop(writer);
            writer = TableWriter::resume(dir, spec(), &options(), &position).unwrap();
        }
    }
    assert_eq!(writer.finish().unwrap(), rows.len() as u64);
    std::fs::read(dir.join("test.parquet")).unwrap()
}

#[test]
fn bytes_do_not_depend_on_how_rows_arrive_or_on_checkpoints() {
    let reference = write(tempfile::tempdir().unwrap().path(), 1000, &[]);
    for (chunk, checkpoints) in [(1, vec![]), (7, vec![]), (13, vec![0, 3, 4, 11]), (2, vec![5, 60, 61])] {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            write(dir.path(), chunk, &checkpoints) == reference,
            "chunks of {chunk}, checkpoints after {checkpoints:?}"
        );
    }
}

#[test]
fn row_groups_end_at_the_row_count_or_the_tick_span() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), 11, &[2]);
    let reader = SerializedFileReader::new(std::fs::File::open(dir.path().join("test.parquet")).unwrap()).unwrap();
    let groups: Vec<i64> = reader.metadata().row_groups().iter().map(|g| g.num_rows()).collect();
    // Ticks 0–9 (30 rows), 10–19, 20–29, 30–39 (30 each): the span cuts first. Then
    // one row every five ticks: two per ten-tick span.
    assert_eq!(groups, [30, 30, 30, 30, 2, 2, 2, 2, 2, 2]);
    let kv = reader.metadata().file_metadata().key_value_metadata().unwrap();
    assert!(kv.iter().any(|kv| kv.key == "k" && kv.value.as_deref() == Some("v")));
    assert!(kv.iter().any(|kv| kv.key == "ARROW:schema"), "readers get the Arrow types back");
}

#[test]
fn the_row_count_cuts_when_rows_are_dense() {
    let dir = tempfile::tempdir().unwrap();
    let mut writer = TableWriter::create(dir.path(), spec(), &options()).unwrap();
    let dense: Vec<(u32, f64, &'static str)> = (0..120).map(|i| (0, f64::from(i), "x")).collect();
    writer.push(columns(&dense)).unwrap();
    writer.finish().unwrap();
    let reader = SerializedFileReader::new(std::fs::File::open(dir.path().join("test.parquet")).unwrap()).unwrap();
    let groups: Vec<i64> = reader.metadata().row_groups().iter().map(|g| g.num_rows()).collect();
    assert_eq!(groups, [50, 50, 20]);
}
