//! Measures what the market makes of a scenario over several seeds: the AI index's
//! highest level against its first day, its deepest drawdown, each listed firm kind's
//! deepest fall and yearly volatility, and the stylised facts of the index's daily
//! returns. Prints one line per run and the medians with 10–90% ranges, so a claim about
//! the economics rests on many seeds, not one (docs/model.md quotes its output).
//!
//! `cargo run --release -p bubblesim-model --example measure -- CONFIG SEEDS [KEY=VALUE …]`
//! runs seeds 1 … SEEDS, e.g. `… -- configs/baseline.toml 5 retail.herding_weight=0.9`
//! (`just measure` does the same).

use std::collections::BTreeMap;

use bubblesim_config::{ConfigSource, load};
use bubblesim_model::prelude::*;

/// One run's figures.
#[derive(Default, Clone)]
struct Run {
    figures: BTreeMap<&'static str, f64>,
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let (low, high) = (position.floor() as usize, position.ceil() as usize);
    sorted[low] + (sorted[high] - sorted[low]) * (position - low as f64)
}

fn std_dev(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt()
}

fn measure(path: &str, seed: u64, overrides: &[String]) -> Run {
    let mut all = overrides.to_vec();
    all.push(format!("run.seed={seed}"));
    let source = ConfigSource::from_file(std::path::Path::new(path)).unwrap_or_else(|e| panic!("{e}"));
    let config = load(&source, &all).unwrap_or_else(|e| panic!("{e}"));
    let mut sim = Simulation::new(config, seed, 1).expect("the schedule builds");
    let first = sim.ai_index_level();
    let mut highest = first;
    let mut returns = Vec::new();
    // Per firm kind: daily log returns and the deepest fall from the running peak.
    let mut by_kind: BTreeMap<&'static str, (Vec<f64>, f64)> = BTreeMap::new();
    while !sim.finished() {
        sim.step().expect("money is conserved");
        highest = highest.max(sim.ai_index_level());
        returns.push(sim.world().resource::<AiIndex>().log_return);
        let world = sim.world_mut();
        let mut query = world.query::<(&AgentId, &Firm, &Listed)>();
        let mut rows: Vec<_> = query
            .iter(world)
            .map(|(id, f, l)| (*id, f.kind, l.log_return, l.drawdown()))
            .collect();
        rows.sort_by_key(|r| r.0);
        for (_, kind, log_return, drawdown) in rows {
            let label = match kind {
                FirmKind::Chipmaker => "chipmaker",
                FirmKind::Hyperscaler => "hyperscaler",
                FirmKind::Cloud => "cloud",
                _ => "old_economy",
            };
            let entry = by_kind.entry(label).or_default();
            entry.0.push(log_return);
            entry.1 = entry.1.max(drawdown);
        }
    }
    eprintln!("seed {seed}: AI index peak {:.3} × its first day", highest / first);
    let summary = sim.summary();
    let mut run = Run::default();
    run.figures.insert("ai_peak_over_first", highest / first);
    run.figures.insert("ai_max_drawdown", summary.ai_index_max_drawdown);
    run.figures.insert("ai_vol_yearly", std_dev(&returns) * 252f64.sqrt());
    run.figures.insert("kurtosis", excess_kurtosis(&returns));
    run.figures.insert("ac1_r", autocorrelation(&returns, 1));
    let absolute: Vec<f64> = returns.iter().map(|r| r.abs()).collect();
    let mean_ac = |series: &[f64]| (1..=20).map(|lag| autocorrelation(series, lag)).sum::<f64>() / 20.0;
    run.figures.insert("ac1_20_abs_r", mean_ac(&absolute));
    run.figures.insert("ac1_20_r", mean_ac(&returns).abs());
    for (kind, (returns, drawdown)) in &by_kind {
        // Several firms of a kind interleave in `returns`; the volatility of the pooled
        // daily returns is each firm's typical volatility.
        let kind: &'static str = kind;
        run.figures
            .insert(Box::leak(format!("{kind}_max_drawdown").into_boxed_str()), *drawdown);
        run.figures.insert(
            Box::leak(format!("{kind}_vol_yearly").into_boxed_str()),
            std_dev(returns) * 252f64.sqrt(),
        );
    }
    run.figures.insert(
        "lease_breaks_and_defaults",
        f64::from(summary.totals.lease_breaks + summary.totals.lease_defaults),
    );
    run.figures.insert("peak_unemployment", summary.economy.peak_unemployment_rate);
    run
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(path), Some(seeds)) = (args.first(), args.get(1).and_then(|s| s.parse::<u64>().ok())) else {
        eprintln!("usage: measure CONFIG SEEDS [KEY=VALUE …]");
        std::process::exit(2);
    };
    let overrides = &args[2..];
    let runs: Vec<Run> = (1..=seeds).map(|seed| measure(path, seed, overrides)).collect();
    let keys: Vec<&'static str> = runs[0].figures.keys().copied().collect();
    println!("{path} {} over {seeds} seeds (median [10%, 90%])", overrides.join(" "));
    for key in keys {
        let mut values: Vec<f64> = runs.iter().filter_map(|r| r.figures.get(key).copied()).collect();
        values.sort_by(f64::total_cmp);
        println!(
            "  {key:28} {:8.3} [{:8.3}, {:8.3}]",
            quantile(&values, 0.5),
            quantile(&values, 0.1),
            quantile(&values, 0.9)
        );
    }
}
