//! The recorder's throughput: rows and bytes per second through a table writer (Arrow
//! batches → ZSTD row groups → parts → the joined `<table>.parquet`), for the widest
//! per-agent table that runs grow largest (`retail`, one row per investor per record).
//!
//! `cargo bench --bench recorder`; figures in `benches/README.md`.

use bubblesim_record::{ColumnData, TableWriter, WriterOptions, tables};
use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};

fn main() {
    divan::main();
}

/// One record of `investors` retail rows, as the run hands them over: 21 trading days
/// apart, in batches of one record.
fn record(investors: usize, tick: u32) -> Vec<ColumnData> {
    let strategies = ["optimist", "pessimist", "fundamentalist"];
    let ids = 1000..1000 + investors as u64;
    vec![
        ColumnData::U32(vec![tick; investors]),
        ColumnData::Date32(vec![20_000 + tick as i32; investors]),
        ColumnData::U64(ids.clone().collect()),
        ColumnData::Label(vec!["retail"; investors]),
        ColumnData::Label(ids.clone().map(|i| strategies[(i * 7 % 3) as usize]).collect()),
        ColumnData::Bool(ids.clone().map(|i| i % 5 < 3).collect()),
        ColumnData::F64(ids.clone().map(|i| 1e5 + (i as f64 * 37.1) % 5e4).collect()),
        ColumnData::F64(ids.clone().map(|i| (i as f64 * 0.013) % 400.0).collect()),
        ColumnData::F64(ids.map(|i| 2e5 + (i as f64 * 91.7) % 1e5).collect()),
    ]
}

/// Arrow bytes of one retail row: u32, date32, u64, two dictionary keys (i32), bool
/// (a byte, rounded up), three f64.
const ROW_BYTES: usize = 4 + 4 + 8 + 4 + 4 + 1 + 3 * 8;

#[divan::bench(args = [10_000, 100_000, 1_000_000], sample_count = 10, sample_size = 1)]
fn retail_rows(bencher: Bencher, investors: usize) {
    let records = 12u32;
    let rows = investors * records as usize;
    let options = WriterOptions {
        row_group_rows: 65_536,
        row_group_ticks: 252,
        zstd_level: 3,
        metadata: vec![],
    };
    bencher
        .counter(ItemsCount::new(rows))
        .counter(BytesCount::new(rows * ROW_BYTES))
        .with_inputs(|| {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let batches: Vec<Vec<ColumnData>> = (0..records).map(|r| record(investors, r * 21)).collect();
            (dir, batches)
        })
        .bench_local_values(|(dir, batches)| {
            let mut writer = TableWriter::create(dir.path(), tables::retail(), &options).expect("the writer opens");
            for batch in batches {
                writer.push(batch).expect("rows match the schema");
            }
            let written = writer.finish().expect("the table closes");
            (dir, written)
        });
}
