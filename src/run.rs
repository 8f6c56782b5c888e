//! `bubblesim run`: load, build, step every trading day, stream the tables, write the
//! manifest, print a summary.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use bubblesim_model::Simulation;
use bubblesim_model::calendar::civil_from_days;
use bubblesim_record::{Manifest, RecordError, RunDir, WriterOptions};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sha2::{Digest, Sha256};

use crate::cli::RunArgs;
use crate::tables::TableSet;
use crate::{Failure, load_config};

/// Ticks between hand-overs of recorded rows to the writers.
const DRAIN_EVERY_TICKS: u32 = 21;

fn iso_date(days: i32) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

fn runtime(err: impl Into<anyhow::Error>) -> Failure {
    Failure::Runtime(err.into())
}

pub fn run(args: &RunArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let config = load_config(args.config.as_deref(), &args.config_args)?;
    let seed = config.run.seed;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("runs").join(format!("{}-seed{seed}", config.run.scenario)));
    let resolved = config.to_toml();
    let config_sha256 = format!("{:x}", Sha256::digest(resolved.as_bytes()));

    let threads = usize::from(args.threads);
    let scenario = config.run.scenario.clone();
    // Build the world before touching the output folder: nothing is written for a
    // configuration the model cannot start from.
    let mut sim = Simulation::new(config.clone(), seed, threads).map_err(runtime)?;
    let run_dir = RunDir::create(&out, args.force).map_err(|err| match err {
        RecordError::Exists(_) | RecordError::NotARunFolder(_) => Failure::Input(err.to_string()),
        other => runtime(other),
    })?;
    let interrupted = Arc::new(AtomicBool::new(false));
    {
        let flag = interrupted.clone();
        // Ctrl-C or SIGTERM: stop after the current trading day and leave no output.
        let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    }
    run_dir.write_file("config.toml", resolved.as_bytes()).map_err(runtime)?;
    let options = WriterOptions {
        row_group_rows: config.record.row_group_rows as usize,
        zstd_level: config.record.zstd_level,
        metadata: vec![
            ("bubblesim.version".to_owned(), env!("CARGO_PKG_VERSION").to_owned()),
            ("bubblesim.scenario".to_owned(), config.run.scenario.clone()),
            ("bubblesim.seed".to_owned(), seed.to_string()),
            ("bubblesim.config_sha256".to_owned(), config_sha256.clone()),
            ("bubblesim.config".to_owned(), resolved.clone()),
        ],
    };
    let mut tables = TableSet::create(run_dir.path(), &options).map_err(runtime)?;

    let progress = if args.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::with_draw_target(Some(u64::from(sim.clock().horizon_ticks())), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {wide_bar} {pos}/{len} days · {per_sec} · ETA {eta} · {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    };

    let mut record_time = Duration::ZERO;
    while !sim.finished() {
        if interrupted.load(Ordering::SeqCst) {
            progress.finish_and_clear();
            return Err(Failure::Interrupted(format!(
                "interrupted at {}; {} was left as it was",
                iso_date(sim.clock().date),
                out.display()
            )));
        }
        if let Err(breach) = sim.step() {
            return Err(runtime(anyhow::anyhow!(
                "{breach} — agent {} is {} (on {}); this is a bug in the model, not in the scenario",
                breach.agent.0,
                sim.agent_label(breach.agent),
                iso_date(sim.clock().date)
            )));
        }
        if !sim.ai_index_level().is_finite() {
            return Err(runtime(anyhow::anyhow!(
                "the simulation became numerically unstable on {} (the AI index is no longer finite); the market parameters are too extreme — try a smaller market.price_impact or fewer retail lots per order",
                iso_date(sim.clock().date)
            )));
        }
        let tick = sim.clock().tick;
        if tick.is_multiple_of(DRAIN_EVERY_TICKS) || sim.finished() {
            let writing = Instant::now();
            tables
                .write(sim.take_observations())
                .context("writing the tables")
                .map_err(runtime)?;
            record_time += writing.elapsed();
            progress.set_position(u64::from(sim.ticks_run()));
            progress.set_message(format!("{} · AI index {:.1}", iso_date(sim.clock().date), sim.ai_index_level()));
        }
    }
    progress.finish_and_clear();
    let writing = Instant::now();
    let row_counts: BTreeMap<String, u64> = tables
        .finish()
        .map_err(runtime)?
        .into_iter()
        .map(|(name, rows)| (name.to_owned(), rows))
        .collect();
    record_time += writing.elapsed();

    let summary = sim.summary();
    let totals = summary.totals;
    let economy = summary.economy;
    let total_time = started.elapsed();
    let manifest = Manifest {
        bubblesim_version: env!("CARGO_PKG_VERSION").to_owned(),
        scenario,
        seed,
        config_sha256,
        status: "complete".to_owned(),
        ticks: summary.ticks,
        first_date: iso_date(summary.first_date),
        last_date: iso_date(summary.last_date),
        threads,
        row_counts,
        timings_seconds: BTreeMap::from([
            ("record".to_owned(), record_time.as_secs_f64()),
            ("simulate".to_owned(), (total_time - record_time).as_secs_f64()),
            ("total".to_owned(), total_time.as_secs_f64()),
        ]),
        summary: [
            ("ai_index_final".to_owned(), summary.ai_index_level),
            ("ai_index_max_drawdown".to_owned(), summary.ai_index_max_drawdown),
            ("lease_rent_cuts".to_owned(), f64::from(totals.lease_rent_cuts)),
            ("lease_breaks".to_owned(), f64::from(totals.lease_breaks)),
            ("lease_defaults".to_owned(), f64::from(totals.lease_defaults)),
            ("impairments_usd".to_owned(), totals.impairments_usd),
            ("retirement_writeoffs_usd".to_owned(), totals.retirements_usd),
            ("funding_rounds".to_owned(), f64::from(totals.funding_rounds)),
            ("lab_failures".to_owned(), f64::from(totals.lab_failures)),
            ("generations_released".to_owned(), f64::from(totals.generations_released)),
            ("securities_issued".to_owned(), f64::from(totals.securities_issued)),
            ("downgrades".to_owned(), f64::from(totals.downgrades)),
            ("tranche_losses_usd".to_owned(), totals.tranche_losses_usd),
            ("guarantees_called".to_owned(), f64::from(totals.guarantees_called)),
            ("margin_calls".to_owned(), f64::from(totals.margin_calls)),
            ("forced_sales_usd".to_owned(), totals.forced_sales_usd),
            ("bubble_index_first".to_owned(), f64::from(summary.bubble_first)),
            ("bubble_index_lowest".to_owned(), f64::from(summary.bubble_lowest)),
            ("bubble_index_last".to_owned(), f64::from(summary.bubble_last)),
            ("circular_chip_investment_usd".to_owned(), summary.circular.invested_usd),
            ("circular_take_or_pay_usd".to_owned(), summary.circular.paid_usd),
            ("circular_capacity_rent_usd".to_owned(), summary.circular.credited_usd),
            ("circular_gpu_purchases_usd".to_owned(), summary.circular.gpus_bought_usd),
            ("ai_share_of_gdp_first".to_owned(), economy.first_ai_share_of_gdp),
            ("unemployment_rate_peak".to_owned(), economy.peak_unemployment_rate),
            ("most_regions_in_recession".to_owned(), f64::from(economy.most_regions_in_recession)),
            ("money_residual_largest_usd".to_owned(), economy.largest_money_residual_usd),
        ]
        .into_iter()
        .chain((!economy.lowest_gdp_growth_yoy.is_nan()).then(|| ("gdp_growth_yoy_lowest".to_owned(), economy.lowest_gdp_growth_yoy)))
        .collect(),
    };
    let path = run_dir.complete(&manifest).map_err(runtime)?;

    if !args.quiet {
        println!(
            "bubblesim {} · seed {seed} · {} to {} ({} trading days) in {:.1}s",
            manifest.scenario,
            manifest.first_date,
            manifest.last_date,
            summary.ticks,
            total_time.as_secs_f64()
        );
        println!(
            "  AI index: ends at {:.1}; deepest peak-to-trough fall {:.1}%",
            summary.ai_index_level,
            summary.ai_index_max_drawdown * 100.0
        );
        println!(
            "  leases: {} rent cuts, {} breaks, {} defaults",
            totals.lease_rent_cuts, totals.lease_breaks, totals.lease_defaults
        );
        println!(
            "  GPUs: ${:.1}B impaired, ${:.1}B written off at retirement; {} generations released",
            totals.impairments_usd / 1e9,
            totals.retirements_usd / 1e9,
            totals.generations_released
        );
        println!(
            "  bubble index: {}/8 at the start, lowest {}/8, {}/8 at the end",
            summary.bubble_first, summary.bubble_lowest, summary.bubble_last
        );
        println!("  labs: {} funding rounds, {} failures", totals.funding_rounds, totals.lab_failures);
        let deal = &summary.circular;
        if deal.lab.is_some() {
            println!(
                "  loop: chipmaker → lab ${:.1}B of equity, lab → cloud ${:.1}B take-or-pay (${:.1}B back as its capacity's market rent), cloud → chipmaker ${:.1}B of GPUs ({:.2} GW; contract {})",
                deal.invested_usd / 1e9,
                deal.paid_usd / 1e9,
                deal.credited_usd / 1e9,
                deal.gpus_bought_usd / 1e9,
                deal.deployed_gw,
                if deal.active { "in force" } else { "unwound or ended" }
            );
        }
        println!(
            "  credit: {} securities issued, {} downgrades, ${:.1}B of principal written off, {} guarantees called",
            totals.securities_issued,
            totals.downgrades,
            totals.tranche_losses_usd / 1e9,
            totals.guarantees_called
        );
        println!(
            "  holders: {} margin calls, ${:.1}B of forced sales",
            totals.margin_calls,
            totals.forced_sales_usd / 1e9
        );
        let lowest_growth = if economy.lowest_gdp_growth_yoy.is_nan() {
            String::new()
        } else {
            format!(", weakest year-on-year GDP growth {:+.1}%", economy.lowest_gdp_growth_yoy * 100.0)
        };
        println!(
            "  economy: AI investment {:.1}% of GDP at the start; unemployment {:.1}% → peak {:.1}%{lowest_growth}; at most {} of {} regions in recession",
            economy.first_ai_share_of_gdp * 100.0,
            economy.first_unemployment_rate * 100.0,
            economy.peak_unemployment_rate * 100.0,
            economy.most_regions_in_recession,
            economy.regions
        );
        println!(
            "  accounts: money conserved on every trading day (largest residual ${:.2})",
            economy.largest_money_residual_usd
        );
        println!("  tables: {}", path.display());
    }
    Ok(())
}
