//! A snapshot holds the whole world: restored, it continues exactly as the original
//! (the state after further ticks is the same, byte for byte, for any thread count).

use bubblesim_config::load_scenario;
use bubblesim_model::prelude::*;

fn config(name: &str) -> bubblesim_config::Config {
    load_scenario(name, &["run.years=2".to_owned()])
        .expect("a shipped scenario")
        .expect("it loads")
}

fn advance(sim: &mut Simulation, ticks: u32) {
    for _ in 0..ticks {
        sim.step().expect("money is conserved");
        sim.take_observations();
    }
}

fn resumes_identically(name: &str, at: u32, then: u32, threads: usize) {
    let config = config(name);
    let seed = config.run.seed;
    let mut original = Simulation::new(config, seed, 1).expect("the schedule builds");
    advance(&mut original, at);
    let saved = original.snapshot().expect("the world encodes");
    let mut restored = Simulation::restore(&saved, threads).expect("the snapshot restores");
    assert_eq!(restored.ticks_run(), at);
    assert_eq!(
        restored.snapshot().expect("the world encodes"),
        saved,
        "{name}: a restored world re-encodes to the same bytes"
    );
    advance(&mut original, then);
    advance(&mut restored, then);
    assert_eq!(
        original.snapshot().expect("the world encodes"),
        restored.snapshot().expect("the world encodes"),
        "{name}: restored at tick {at}, the world after {then} more ticks differs from the uninterrupted one"
    );
    assert_eq!(format!("{:?}", original.summary()), format!("{:?}", restored.summary()));
}

#[test]
fn a_restored_baseline_continues_exactly() {
    // Mid-month, so that monthly and quarterly state is half-way through.
    resumes_identically("baseline", 137, 240, 1);
}

#[test]
fn a_restored_world_continues_exactly_on_more_threads() {
    resumes_identically("baseline", 64, 150, 2);
}

#[test]
fn a_restored_shock_scenario_continues_exactly() {
    // The rate shock rewrites the parameters at month 12; resume after it.
    resumes_identically("stress-rate-shock", 270, 150, 1);
}

#[test]
fn a_damaged_snapshot_is_an_error_not_a_panic() {
    let config = config("baseline");
    let seed = config.run.seed;
    let mut sim = Simulation::new(config, seed, 1).expect("the schedule builds");
    advance(&mut sim, 3);
    let saved = sim.snapshot().expect("the world encodes");
    for cut in [0, 1, saved.len() / 2, saved.len() - 1] {
        assert!(
            Simulation::restore(&saved[..cut], 1).is_err(),
            "a snapshot cut at {cut} bytes restores"
        );
    }
    let taken = sim.take_observations();
    drop(taken);
    sim.step().expect("money is conserved");
    assert!(sim.snapshot().is_err(), "a snapshot with undrained rows is refused");
}
