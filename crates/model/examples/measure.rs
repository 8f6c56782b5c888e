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
use bubblesim_model::beliefs::forecasts::Forecasts;
use bubblesim_model::compute::market::ComputeMarket;
use bubblesim_model::economy::macroeconomy::Economy;
use bubblesim_model::economy::regions::Regions;
use bubblesim_model::prelude::*;

/// The 2025 anchors' raw material, sampled once a month.
#[derive(Default)]
struct Anchors {
    last_month: Option<u32>,
    capex_2025: Vec<f64>,
    capex_2026: Vec<f64>,
    rent_2025: Vec<f64>,
    regions_2025: Vec<f64>,
    lab_revenue_2025: f64,
    gdp_ai_jan: Option<(f64, f64)>,
    gdp_ai_jul: Option<(f64, f64)>,
    chip_cap_oct: Option<(f64, f64)>,
    unemployment_first: Option<f64>,
}

impl Anchors {
    fn sample(&mut self, sim: &mut Simulation) {
        let clock = sim.clock().clone();
        let (year, month, day) = civil_from_days(clock.date);
        if self.chip_cap_oct.is_none() && (year, month, day) >= (2025, 10, 1) {
            let world = sim.world_mut();
            let mut query = world.query::<(&Firm, &Listed)>();
            let mut cap = |kind: FirmKind| {
                query
                    .iter(world)
                    .filter(|(f, _)| f.kind == kind)
                    .map(|(_, l)| l.shares * l.price_usd)
                    .sum::<f64>()
            };
            let chip = cap(FirmKind::Chipmaker);
            let car = cap(FirmKind::Carmaker);
            self.chip_cap_oct = Some((chip, chip / car));
        }
        if self.last_month == Some(clock.month) {
            return;
        }
        self.last_month = Some(clock.month);
        let world = sim.world_mut();
        let capex = world.resource::<Forecasts>().ai_capex_usd_per_year;
        let rent = world.resource::<ComputeMarket>().rent_usd_per_h100_hour;
        let economy = world.resource::<Economy>();
        let (gdp, ai) = (economy.gdp_usd_per_year, economy.ai_investment_usd_per_year);
        self.unemployment_first.get_or_insert(economy.unemployment_rate);
        if std::env::var_os("MEASURE_TRACE").is_some() && clock.month.is_multiple_of(3) {
            let mut providers = world.query::<(&Provider, &Accounts)>();
            let provider_cash: f64 = providers.iter(world).map(|(_, a)| a.cash_usd).sum();
            let market = world.resource::<ComputeMarket>();
            let revenue = world.resource::<Forecasts>().ai_revenue_usd_per_year;
            let economy = world.resource::<Economy>();
            eprint!(
                "rev/yr {:5.0}B pcash {:5.0}B grid {:4.1}/{:4.1}GW wait {:3} ",
                revenue / 1e9,
                provider_cash / 1e9,
                economy.datacenter_connected_gw,
                economy.grid_capacity_gw,
                economy.buildings_waiting_for_grid
            );
            eprintln!(
                "{year}-{month:02} capex/yr {:6.0}B rent {:5.2} demand {:8.2e} supply {:8.2e} util {:4.2} | gdp {:6.2}T ai {:5.0}B gap {:+6.3} u {:5.3}",
                capex / 1e9,
                rent,
                market.demand_h100_hours,
                market.supply_h100_hours,
                market.overall_utilisation(),
                gdp / 1e12,
                ai / 1e9,
                economy.output_gap,
                economy.unemployment_rate
            );
        }
        let regions = world.resource::<Regions>();
        let in_or_near = f64::from(regions.in_recession + regions.near_recession);
        let mut query = world.query::<(&Firm, &Accounts)>();
        let lab: f64 = query
            .iter(world)
            .filter(|(f, _)| &*f.name == "frontier-lab-a")
            .map(|(_, a)| a.last_month.ai_product_revenue_usd)
            .sum();
        // The month just closed is the previous calendar month.
        let closed_year = if month == 1 { year - 1 } else { year };
        if closed_year == 2025 && clock.month > 0 {
            self.lab_revenue_2025 += lab;
        }
        match year {
            2025 => {
                self.capex_2025.push(capex);
                self.rent_2025.push(rent);
                self.regions_2025.push(in_or_near);
                if month == 1 {
                    self.gdp_ai_jan.get_or_insert((gdp, ai));
                }
                if month == 7 {
                    self.gdp_ai_jul.get_or_insert((gdp, ai));
                }
            }
            2026 => self.capex_2026.push(capex),
            _ => {}
        }
    }

    fn record(&self, run: &mut Run) {
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
        run.figures.insert("a_capex_2025_busd", mean(&self.capex_2025) / 1e9);
        run.figures
            .insert("a_capex_26_over_25", mean(&self.capex_2026) / mean(&self.capex_2025));
        run.figures.insert("a_rent_2025", mean(&self.rent_2025));
        run.figures.insert("a_regions_in_near_2025", mean(&self.regions_2025));
        run.figures.insert("a_lab_revenue_2025_busd", self.lab_revenue_2025 / 1e9);
        if let (Some((g0, a0)), Some((g1, a1))) = (self.gdp_ai_jan, self.gdp_ai_jul) {
            run.figures.insert("a_ai_share_h1_growth", (a1 - a0) / (g1 - g0));
        }
        if let Some((cap, ratio)) = self.chip_cap_oct {
            run.figures.insert("a_chip_cap_oct_tusd", cap / 1e12);
            run.figures.insert("a_chip_over_car", ratio);
        }
    }
}

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
    let mut anchors = Anchors::default();
    while !sim.finished() {
        sim.step().expect("money is conserved");
        anchors.sample(&mut sim);
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
    run.figures.insert(
        "unemployment_rise",
        summary.economy.peak_unemployment_rate - anchors.unemployment_first.unwrap_or(f64::NAN),
    );
    run.figures.insert("most_regions_in_recession", {
        let world = sim.world();
        f64::from(world.resource::<Regions>().most_in_recession)
    });
    anchors.record(&mut run);
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
