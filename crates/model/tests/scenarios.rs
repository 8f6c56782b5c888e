//! The shipped scenarios tell their stories (direction, not exact numbers), every tick
//! of every scenario passes the stock–flow check, and data-centre power follows
//! construction until the grid is short.

use bubblesim_config::{SCENARIOS, load_scenario};
use bubblesim_model::Simulation;
use bubblesim_model::events::EventLog;
use bubblesim_model::market::AiIndex;
use bubblesim_model::observe_economy::AccountsRow;

/// What a run of a shipped scenario did.
#[derive(Debug, Default)]
struct Story {
    /// Lowest AI index level (100 at the start).
    index_trough: f64,
    max_drawdown: f64,
    lease_defaults: u32,
    downgrades: u32,
    unemployment_start: f64,
    unemployment_peak: f64,
    largest_residual_usd: f64,
    /// Grid connections and buildings waiting, by month.
    connected_gw: Vec<f64>,
    waiting: Vec<u32>,
}

fn run(name: &str, years: f64, overrides: &[&str]) -> Story {
    let mut all = vec![format!("run.years={years}")];
    all.extend(overrides.iter().map(|s| s.to_string()));
    let config = load_scenario(name, &all).expect("a shipped scenario").expect("it loads");
    let seed = config.run.seed;
    let mut sim = Simulation::new(config, seed, 1).expect("the schedule builds");
    let mut story = Story {
        index_trough: f64::INFINITY,
        ..Story::default()
    };
    while !sim.finished() {
        if let Err(breach) = sim.step() {
            panic!("{name}: {breach}");
        }
        let observations = sim.take_observations();
        for row in &observations.accounts {
            let AccountsRow { money_residual_usd, .. } = *row;
            story.largest_residual_usd = story.largest_residual_usd.max(money_residual_usd.abs());
        }
        for row in &observations.macroeconomy {
            if story.connected_gw.is_empty() {
                story.unemployment_start = row.economy.unemployment_rate;
            }
            story.unemployment_peak = story.unemployment_peak.max(row.economy.unemployment_rate);
            story.connected_gw.push(row.economy.datacenter_connected_gw);
            story.waiting.push(row.economy.buildings_waiting_for_grid);
        }
        story.index_trough = story.index_trough.min(sim.world().resource::<AiIndex>().level);
    }
    let totals = sim.world().resource::<EventLog>().totals;
    story.max_drawdown = sim.world().resource::<AiIndex>().max_drawdown;
    story.lease_defaults = totals.lease_defaults;
    story.downgrades = totals.downgrades;
    story
}

#[test]
fn bust_crashes_the_index_and_the_credit_built_on_it() {
    let bust = run("bust", 3.5, &[]);
    assert!(bust.index_trough < 50.0, "the AI index falls below half its start: {bust:?}");
    assert!(bust.max_drawdown > 0.7, "{bust:?}");
    assert!(bust.lease_defaults > 0, "tenants default: {bust:?}");
    assert!(bust.downgrades > 0, "tranches are downgraded: {bust:?}");
}

#[test]
fn ai_succeeds_without_a_crash_but_unemployment_rises() {
    let success = run("ai-succeeds", 4.0, &[]);
    assert!(success.index_trough > 50.0, "no crash: {success:?}");
    assert!(
        success.unemployment_peak > success.unemployment_start + 0.01,
        "automation raises unemployment by more than a point: {success:?}"
    );
}

#[test]
fn soft_landing_falls_less_than_bust() {
    let (soft, bust) = (run("soft-landing", 3.5, &[]), run("bust", 3.5, &[]));
    assert!(soft.max_drawdown < bust.max_drawdown - 0.05, "soft {soft:?} against bust {bust:?}");
    assert!(soft.index_trough > bust.index_trough, "soft {soft:?} against bust {bust:?}");
}

/// Every shipped scenario passes the check on every tick (a breach panics in `run`) and
/// the money of all sectors, the closure's included, sums to zero.
#[test]
fn every_scenario_conserves_money_on_every_tick() {
    for (name, _, _) in SCENARIOS {
        let story = run(name, 1.5, &["shock.start_month=6"]);
        assert!(story.largest_residual_usd < 1.0, "{name}: residual {}", story.largest_residual_usd);
    }
}

#[test]
fn power_demand_rises_with_construction_and_stalls_when_the_grid_is_short() {
    let ample = run("baseline", 3.0, &["grid.headroom_gw_at_start=100", "grid.added_gw_per_year=100"]);
    let first = ample.connected_gw[0];
    let last = *ample.connected_gw.last().unwrap();
    assert!(last > first + 1.0, "construction connects more GW: {first} → {last}");
    assert!(ample.waiting.iter().all(|&w| w == 0), "nothing waits on an ample grid");

    let short = run("baseline", 3.0, &["grid.headroom_gw_at_start=0", "grid.added_gw_per_year=0"]);
    assert!(
        short.connected_gw.iter().all(|&gw| (gw - first).abs() < 1e-9),
        "no headroom and none added: connections stall at the start's {first} GW"
    );
    assert!(short.waiting.iter().any(|&w| w > 0), "finished buildings wait for the grid");
}
