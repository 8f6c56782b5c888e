//! The recorder's throughput: rows and bytes per second through a table writer (Arrow
//! batches → ZSTD row groups → parts → the joined `<table>.parquet`), for the widest
//! per-agent table that runs grow largest (`retail`, one row per investor per record),
//! read from its rows by the columns' accessors as a run does.
//!
//! `cargo bench --bench recorder`; figures in `benches/README.md`.

use bubblesim_model::prelude::kernels::{RetailInvestor, Strategy};
use bubblesim_model::prelude::{RetailRow, Row};
use bubblesim_record::{TableWriter, WriterOptions};
use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};

fn main() {
    divan::main();
}

/// One record of `investors` retail rows, as the run hands them over: 21 trading days
/// apart, in batches of one record.
fn record(investors: usize, tick: u32) -> Vec<RetailRow> {
    let strategies = [Strategy::Optimist, Strategy::Pessimist, Strategy::Fundamentalist];
    (1000..1000 + investors as u64)
        .map(|i| RetailRow {
            tick,
            date: 20_000 + tick as i32,
            agent_id: i,
            investor: RetailInvestor {
                strategy: strategies[(i * 7 % 3) as usize],
                novice: i % 5 < 3,
                cash_usd: 1e5 + (i as f64 * 37.1) % 5e4,
                ai_units: (i as f64 * 0.013) % 400.0,
                traded_usd: 0.0,
            },
            basket_level: 100.0 + (i % 17) as f64,
        })
        .collect()
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
            let batches: Vec<Vec<RetailRow>> = (0..records).map(|r| record(investors, r * 21)).collect();
            (dir, batches)
        })
        .bench_local_values(|(dir, batches)| {
            let mut writer = TableWriter::create(dir.path(), RetailRow::spec(), &options).expect("the writer opens");
            for batch in batches {
                writer.push_rows(&batch).expect("rows of the table");
            }
            let written = writer.finish().expect("the table closes");
            (dir, written)
        });
}
