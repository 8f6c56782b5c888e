//! The financing chain end to end: rating limits force insurers to sell, margin calls
//! sell hedge funds back to their target leverage, and in the stress scenario the
//! cascade runs in the order the story says: lease stress → default or renegotiation →
//! downgrade below investment grade → forced sales → a fall in other holders' prices.

use bevy_ecs::prelude::*;
use bubblesim_config::ConfigSource;
use bubblesim_model::Event;
use bubblesim_model::prelude::*;

mod common;

fn simulation(source: &ConfigSource, overrides: &[&str]) -> Simulation {
    common::simulation_of(source, &[&["retail.count=300"], overrides].concat())
}

/// Steps `ticks` days and returns the events they recorded.
fn step(sim: &mut Simulation, ticks: u32) -> Vec<Event> {
    let mut events = Vec::new();
    for _ in 0..ticks {
        if sim.finished() {
            break;
        }
        sim.step().expect("money is conserved");
        events.extend(sim.take_observations().events);
    }
    events
}

fn marks(world: &mut World) -> Marks {
    let mut listed = world.query::<(&AgentId, &Listed)>();
    let mut securities = world.query::<(&AgentId, &Security)>();
    Marks::new(listed.iter(world), securities.iter(world))
}

fn institutions(world: &mut World) -> Vec<(AgentId, Institution)> {
    let mut query = world.query::<(&AgentId, &Institution)>();
    let mut all: Vec<(AgentId, Institution)> = query.iter(world).map(|(&id, i)| (id, i.clone())).collect();
    all.sort_by_key(|(id, _)| *id);
    all
}

#[test]
fn a_downgrade_below_investment_grade_makes_insurers_sell() {
    let mut sim = simulation(&ConfigSource::baseline(), &["run.years=1"]);
    step(&mut sim, 1); // tick 0: the first SPV bonds are sold
    let world = sim.world_mut();
    let holders = institutions(world);
    // A bond that insurers and pension funds both hold.
    let bond = holders
        .iter()
        .find(|(_, i)| i.kind == InstitutionKind::Insurer)
        .and_then(|(_, i)| {
            i.holdings.iter().map(|h| h.asset).find(|&a| {
                holders
                    .iter()
                    .any(|(_, p)| p.kind == InstitutionKind::Pension && p.units_of(a) > 0.0)
                    && world.query::<(&AgentId, &Security)>().iter(world).any(|(&id, _)| id == a)
            })
        })
        .expect("insurers and pensions hold a bond after the first issue");
    let mut securities = world.query::<(&AgentId, &mut Security)>();
    for (&id, mut security) in securities.iter_mut(world) {
        if id == bond {
            security.rating = Some(Rating::Bb);
        }
    }
    let before = institutions(world);
    let events = step(&mut sim, 1);
    let after = institutions(sim.world_mut());
    let window = f64::from(bubblesim_config::Config::baseline().fire_sales.insurer_sale_window_days);
    for ((id, old), (_, new)) in before.iter().zip(&after) {
        let (was, now) = (old.units_of(bond), new.units_of(bond));
        match old.kind {
            // Insurers sell one window-share of the position a day; nobody else must.
            InstitutionKind::Insurer if was > 0.0 => {
                assert!((was - now - was / window).abs() < 1e-12 * was.max(1.0), "{id:?}: {was} → {now}");
                assert!(
                    events
                        .iter()
                        .any(|e| e.kind == EventKind::ForcedSale && e.agent == *id && e.counterparty == Some(bond))
                );
            }
            InstitutionKind::Pension => assert_eq!(was, now),
            _ => {}
        }
    }
    // The sales pushed the price down for everyone still holding it.
    assert!(
        events
            .iter()
            .any(|e| e.kind == EventKind::FireSaleMarkdown && e.agent == bond && e.amount_usd.unwrap_or(0.0) > 0.0)
    );
}

#[test]
fn a_margin_call_sells_a_hedge_fund_back_to_its_target_leverage() {
    let mut sim = simulation(&ConfigSource::baseline(), &["run.years=1"]);
    step(&mut sim, 1);
    let config = bubblesim_config::Config::baseline();
    let cap = config.fire_sales.hedge_fund_max_leverage;
    let world = sim.world_mut();
    let marks_now = marks(world);
    // Raise one fund's debt until its leverage is above the cap.
    let mut query = world.query::<(&AgentId, &mut Institution)>();
    let mut fund = None;
    for (&id, mut investor) in query.iter_mut(world) {
        if investor.kind == InstitutionKind::HedgeFund && fund.is_none() {
            let gross = investor.gross_assets_usd(&marks_now);
            investor.borrowing_usd = gross * (1.0 - 1.0 / (cap + 1.0));
            fund = Some((id, investor.target_leverage, gross, investor.borrowing_usd));
        }
    }
    let (fund, target, gross, borrowing) = fund.expect("the baseline has hedge funds");
    let expected_sale = gross - target * (gross - borrowing);
    let events = step(&mut sim, 1);
    let call = events
        .iter()
        .find(|e| e.kind == EventKind::MarginCall && e.agent == fund)
        .expect("a margin call");
    // The call asks for exactly gross − target × equity, at the day's opening marks.
    assert!((call.amount_usd.unwrap() - expected_sale).abs() < 1e-6 * expected_sale);
    // Afterwards the fund is back near its target: only the sales' own price impact and
    // today's price moves separate it from the target exactly.
    let world = sim.world_mut();
    let marks_after = marks(world);
    let (_, after) = institutions(world).into_iter().find(|(id, _)| *id == fund).unwrap();
    let leverage = after.leverage(&marks_after);
    assert!(
        leverage < cap && (leverage - target).abs() < 0.5,
        "leverage after the call: {leverage}"
    );
    assert!(after.borrowing_usd < borrowing);
}

#[test]
fn the_stress_scenario_runs_the_cascade_in_order() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../configs/stress-lease-default.toml");
    let source = ConfigSource::from_file(std::path::Path::new(path)).expect("the stress scenario is readable");
    let mut sim = simulation(&source, &["run.years=6.5"]);
    let events = step(&mut sim, u32::MAX);
    let shocked = {
        let world = sim.world_mut();
        let mut query = world.query::<(&AgentId, &Firm)>();
        query
            .iter(world)
            .find(|(_, f)| &*f.name == "hyperscaler-1")
            .map(|(&id, _)| id)
            .expect("the shocked firm exists")
    };
    // The first event after `after` (in the run's event sequence) that matches.
    let first = |what: &dyn Fn(&Event) -> bool, after: Option<&Event>| {
        let after = after.map_or(0, |e| e.sequence + 1);
        events.iter().find(|e| e.sequence >= after && what(e)).cloned()
    };
    let stress_before = |lease: AgentId, sequence: u64| {
        events
            .iter()
            .rev()
            .find(|e| e.kind == EventKind::TenantStress && e.agent == lease && e.sequence < sequence)
            .cloned()
    };
    let shock = first(&|e| e.kind == EventKind::Shock && e.agent == shocked, None).expect("the shock starts");
    // The shocked tenant's first renegotiation, break or default, at a lease whose stress
    // had been recorded.
    let renegotiated = first(
        &|e| {
            matches!(e.kind, EventKind::LeaseRentCut | EventKind::LeaseBreak | EventKind::LeaseDefault)
                && e.counterparty == Some(shocked)
                && stress_before(e.agent, e.sequence).is_some()
        },
        Some(&shock),
    )
    .expect("the stressed tenant renegotiates, leaves or defaults");
    let stressed = stress_before(renegotiated.agent, renegotiated.sequence).expect("its stress was recorded");
    let downgrade = first(
        &|e| e.kind == EventKind::RatingDowngrade && e.detail.contains("below investment grade"),
        Some(&renegotiated),
    )
    .expect("a security falls below investment grade");
    let security = downgrade.agent;
    let forced = first(
        &|e| e.kind == EventKind::ForcedSale && e.counterparty == Some(security),
        Some(&downgrade),
    )
    .expect("holders are forced to sell it");
    let markdown = first(
        &|e| e.kind == EventKind::FireSaleMarkdown && e.agent == security && e.amount_usd.unwrap_or(0.0) > 0.0,
        Some(&forced),
    )
    .expect("the sales mark down everyone still holding it");
    // Dates follow the sequence.
    let chain = [&stressed, &renegotiated, &downgrade, &forced, &markdown];
    for pair in chain.windows(2) {
        assert!(pair[0].sequence < pair[1].sequence && pair[0].date <= pair[1].date);
    }
    // Losses reached tranche holders along the way.
    assert!(
        events
            .iter()
            .any(|e| e.kind == EventKind::TrancheLoss && e.amount_usd.unwrap_or(0.0) > 0.0)
    );
    // Every unit of every outstanding tranche is held by someone: the sponsor,
    // institutions or the buyers of forced sales; no tranche lost more than it had.
    let world = sim.world_mut();
    let holders = institutions(world);
    let mut query = world.query::<(&AgentId, &Security)>();
    for (&id, security) in query.iter(world) {
        assert!(security.realised_loss_usd <= security.original_principal_usd * (1.0 + 1e-12));
        if !security.placed || !security.outstanding() {
            continue;
        }
        let institutional: f64 = holders.iter().map(|(_, i)| i.units_of(id)).sum();
        let total = security.retained_share + institutional + security.outside_share;
        assert!((total - 1.0).abs() < 1e-9, "{id:?}: units add up to {total}");
        assert!(security.realised_loss_usd <= security.original_principal_usd * (1.0 + 1e-12));
        assert!(security.tranche.principal_usd >= 0.0);
    }
}

#[test]
fn hyperscalers_build_off_balance_sheet_only_when_reported_debt_costs_more() {
    let count = |sim: &mut Simulation| {
        let world = sim.world_mut();
        let spvs = world.query::<&Spv>().iter(world).count();
        let hyperscalers: Vec<AgentId> = world
            .query::<(&AgentId, &Firm)>()
            .iter(world)
            .filter(|(_, f)| f.kind == FirmKind::Hyperscaler)
            .map(|(&id, _)| id)
            .collect();
        let owned = world
            .query::<&DataCenter>()
            .iter(world)
            .filter(|dc| hyperscalers.contains(&dc.owner) && dc.tenant == Some(dc.owner) && dc.lease.is_none())
            .count();
        (spvs, owned)
    };
    let mut penalised = simulation(&ConfigSource::baseline(), &["run.years=0.5"]);
    // Without the penalty, and with its spread deaf to its share price, reported debt is
    // always the cheaper.
    let mut free = simulation(
        &ConfigSource::baseline(),
        &[
            "run.years=0.5",
            "financing.reported_debt_penalty=0",
            "financing.own_debt_spread_per_drawdown=0",
        ],
    );
    step(&mut penalised, u32::MAX);
    step(&mut free, u32::MAX);
    let (spvs, owned) = count(&mut penalised);
    assert!(spvs > 0 && owned == 0, "with the penalty: {spvs} SPVs, {owned} own buildings");
    let (spvs, owned) = count(&mut free);
    assert!(spvs == 0 && owned > 0, "without it: {spvs} SPVs, {owned} own buildings");
}
