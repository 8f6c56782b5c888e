//! The mechanisms move the economy in the directions the economics says they should,
//! and money that moves between agents leaves one account and enters another. Each
//! comparison runs two worlds with the same seed that differ in one parameter.

use bevy_ecs::prelude::*;
use bubblesim_config::ConfigSource;
use bubblesim_model::prelude::*;

mod common;

/// The baseline over two years, with the overrides.
fn simulation(overrides: &[&str]) -> Simulation {
    common::simulation_of(&ConfigSource::baseline(), &[&["run.years=2"], overrides].concat())
}

/// Steps until the clock reaches calendar month `month` (or the end).
fn run_to_month(sim: &mut Simulation, month: u32) {
    while sim.clock().month < month && !sim.finished() {
        sim.step().expect("money is conserved");
    }
}

fn run_to_end(sim: &mut Simulation) {
    while !sim.finished() {
        sim.step().expect("money is conserved");
    }
}

/// Mean rent per GPU-hour of the in-service cohorts of one generation.
fn rent_of_generation(sim: &mut Simulation, generation: u32) -> f64 {
    let month = sim.clock().month;
    let world = sim.world_mut();
    let mut query = world.query::<&GpuCohort>();
    let rents: Vec<f64> = query
        .iter(world)
        .filter(|c| c.generation == generation && c.in_service(month))
        .map(|c| c.rent_usd_per_gpu_hour)
        .collect();
    assert!(!rents.is_empty(), "no cohort of generation {generation}");
    rents.iter().sum::<f64>() / rents.len() as f64
}

#[test]
fn a_new_generation_lowers_older_cohorts_rent() {
    let mut released = simulation(&["gpus.next_release_months=6"]);
    let mut not_yet = simulation(&["gpus.next_release_months=600"]);
    run_to_month(&mut released, 7);
    run_to_month(&mut not_yet, 7);
    let (with_release, without) = (rent_of_generation(&mut released, 1), rent_of_generation(&mut not_yet, 1));
    assert!(
        with_release < 0.8 * without,
        "H100 rent {with_release} with a new generation vs {without} without"
    );
    assert!(released.summary().totals.generations_released == 1 && not_yet.summary().totals.generations_released == 0);
}

#[test]
fn an_early_generation_impairs_the_fleet_and_books_follow_value() {
    let mut early = simulation(&["gpus.next_release_months=3"]);
    let mut late = simulation(&["gpus.next_release_months=600"]);
    run_to_end(&mut early);
    run_to_end(&mut late);
    let (early_loss, late_loss) = (early.summary().totals.impairments_usd, late.summary().totals.impairments_usd);
    assert!(
        early_loss > late_loss,
        "impairments {early_loss} with an early release vs {late_loss} without"
    );
    let world = early.world_mut();
    let mut cohorts = world.query::<&GpuCohort>();
    let mut impaired = 0;
    for cohort in cohorts.iter(world) {
        let cost = cohort.price_usd_per_gpu * f64::from(cohort.gpus);
        assert!(cohort.book_value_usd >= 0.0 && cohort.book_value_usd <= cost + 1e-6);
        if cohort.retired {
            assert_eq!(cohort.book_value_usd, 0.0, "a retired cohort keeps no book value");
        } else if cohort.impaired {
            impaired += 1;
        }
    }
    assert!(impaired > 0);
}

#[test]
fn chartists_turning_optimistic_raise_the_price() {
    // The same start (the block owns retail.ownership_share either way); a story that
    // stays hot turns chartists optimistic, one that is dead turns them pessimistic, and
    // the wider market sells to the buyers only at a higher price.
    let mut bullish = simulation(&["narrative.initial_hype=0.95", "narrative.target_base=0.95"]);
    let mut bearish = simulation(&["narrative.initial_hype=0.05", "narrative.target_base=0.05"]);
    for _ in 0..63 {
        bullish.step().expect("money is conserved");
        bearish.step().expect("money is conserved");
    }
    assert!(
        bullish.ai_index_level() > 1.01 * bearish.ai_index_level(),
        "{} vs {}",
        bullish.ai_index_level(),
        bearish.ai_index_level()
    );
}

#[test]
fn a_demand_shortfall_stresses_tenants_into_renegotiating() {
    // Without the circular deal, whose debt-financed GPUs stress its cloud in both worlds;
    // over three years, so that the first renegotiation windows of both worlds are past.
    let mut normal = simulation(&["circular.lab=\"\"", "run.years=3"]);
    let mut slump = simulation(&[
        "circular.lab=\"\"",
        "run.years=3",
        "demand.consumer_kqueries_per_month=1.5e8",
        "demand.enterprise_kqueries_per_month=3e7",
        "demand.consumer_growth_per_year=0",
        "demand.enterprise_growth_per_year=0",
    ]);
    run_to_end(&mut normal);
    run_to_end(&mut slump);
    // Per lease: a slump also means fewer buildings, hence fewer leases to renegotiate.
    let requests = |sim: &mut Simulation| -> f64 {
        let t = sim.summary().totals;
        let world = sim.world_mut();
        let leases = world.query::<&Lease>().iter(world).count().max(1);
        f64::from(t.lease_rent_cuts + t.lease_breaks + t.lease_defaults) / leases as f64
    };
    // Small counts: add two more seeds to each world.
    let more = |extra: &[&str]| -> f64 {
        (2..=3)
            .map(|seed| {
                let seed_key = format!("run.seed={seed}");
                let mut all = vec!["circular.lab=\"\"", "run.years=3", seed_key.as_str()];
                all.extend_from_slice(extra);
                let mut sim = simulation(&all);
                run_to_end(&mut sim);
                requests(&mut sim)
            })
            .sum()
    };
    let slump_demand = [
        "demand.consumer_kqueries_per_month=1.5e8",
        "demand.enterprise_kqueries_per_month=3e7",
        "demand.consumer_growth_per_year=0",
        "demand.enterprise_growth_per_year=0",
    ];
    let (in_slump, in_normal) = (requests(&mut slump) + more(&slump_demand), requests(&mut normal) + more(&[]));
    assert!(in_slump > in_normal, "slump {in_slump} vs normal {in_normal}");
}

#[test]
fn payments_between_agents_balance_every_month() {
    let mut sim = simulation(&[]);
    let mut months_checked = 0;
    while !sim.finished() {
        sim.step().expect("money is conserved");
        if !sim.clock().month_start {
            continue;
        }
        // The month that just closed: every payer's outflow is some payee's inflow.
        let world = sim.world_mut();
        let mut firms = world.query::<(&Firm, &Accounts, Has<Provider>)>();
        let (mut compute_paid, mut compute_received, mut rent_paid, mut rent_received, mut gpu_capex, mut gpu_sales) =
            (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        for (firm, accounts, provider) in firms.iter(world) {
            let flows = &accounts.last_month;
            compute_paid += flows.compute_cost_usd;
            compute_received += flows.compute_rent_income_usd;
            rent_paid += flows.lease_cost_usd;
            rent_received += flows.lease_income_usd;
            if provider {
                gpu_capex += flows.capex_usd;
            }
            if firm.kind == FirmKind::Chipmaker {
                gpu_sales += flows.gpu_sales_usd;
            }
        }
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
        assert!(
            close(compute_paid, compute_received),
            "compute {compute_paid} vs {compute_received}"
        );
        assert!(close(rent_paid, rent_received), "lease rent {rent_paid} vs {rent_received}");
        assert!(close(gpu_capex, gpu_sales), "GPU purchases {gpu_capex} vs sales {gpu_sales}");
        assert!(compute_paid > 0.0 && rent_paid > 0.0);
        months_checked += 1;
    }
    assert!(months_checked >= 23);
}

#[test]
fn a_lab_that_cannot_raise_fails_and_its_customers_move() {
    let mut sim = simulation(&[
        "funding.success_probability_at_no_hype=0",
        "funding.success_probability_at_full_hype=0",
        "labs.2.cash_usd=1e9",
    ]);
    run_to_end(&mut sim);
    assert!(sim.summary().totals.lab_failures >= 1);
    let world = sim.world_mut();
    let mut sellers = world.query::<(&AgentId, &Firm, &AiSeller)>();
    let (mut initial, mut now) = (0.0, 0.0);
    for (_, firm, seller) in sellers.iter(world) {
        initial += seller.initial_share;
        now += seller.share;
        if !firm.active {
            assert_eq!(seller.share, 0.0);
        }
    }
    assert!((initial - now).abs() < 1e-12, "shares {initial} → {now}");
}

#[test]
fn same_seed_same_rows_and_another_seed_another_path() {
    let rows = |overrides: &[&str]| {
        let mut sim = simulation(overrides);
        let mut market = Vec::new();
        let mut gpus = Vec::new();
        while !sim.finished() && sim.clock().tick < 150 {
            sim.step().expect("money is conserved");
            let observed = sim.take_observations();
            market.extend(observed.market);
            gpus.extend(observed.gpus);
        }
        (market, gpus)
    };
    let first = rows(&[]);
    assert_eq!(first, rows(&[]));
    assert_ne!(first.0, rows(&["run.seed=7"]).0);
}
