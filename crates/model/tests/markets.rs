//! Markets, narrative, venture money, circular financing and the bubble index behave as
//! the economics says: a lab without runway in a hostile market fails and its contract
//! is unwound; every leg of the circular loop has its payer and payee and matches what
//! the accounts booked; the bubble index reads 8/8 on the late-2025 baseline and falls
//! with its inputs; the AI index's daily returns show the stylised facts; and herding,
//! novices and the narrative set the bubble's size.

use bubblesim_config::{ConfigSource, load};
use bubblesim_model::prelude::*;

mod common;

/// The baseline over three years, with the overrides.
fn simulation(overrides: &[&str]) -> Simulation {
    common::simulation_of(&ConfigSource::baseline(), &[&["run.years=3"], overrides].concat())
}

fn lab_named(sim: &mut Simulation, name: &str) -> (AgentId, bool, u32) {
    let world = sim.world_mut();
    let mut query = world.query::<(&AgentId, &Firm, &Lab)>();
    let (&id, firm, lab) = query.iter(world).find(|(_, f, _)| &*f.name == name).expect("the lab exists");
    (id, firm.active, lab.rounds_raised)
}

#[test]
fn a_lab_with_no_runway_in_a_hostile_market_fails_and_its_contract_is_unwound() {
    // Frontier-lab-a (the circular deal's lab) starts nearly out of cash.
    let broke = ["labs.0.cash_usd=1e8", "run.years=1"];
    let hostile = [
        "narrative.initial_hype=0",
        "narrative.target_base=0",
        "narrative.growth_weight=0",
        "venture.new_capital_usd_per_month=0",
    ];
    let friendly = ["narrative.initial_hype=1", "narrative.target_base=1"];
    let mut failing = simulation(&[&broke[..], &hostile[..]].concat());
    let mut raising = simulation(&[&broke[..], &friendly[..]].concat());
    for sim in [&mut failing, &mut raising] {
        while !sim.finished() {
            sim.step().expect("money is conserved");
        }
    }
    let (_, active, _) = lab_named(&mut failing, "frontier-lab-a");
    assert!(!active, "the lab should fail with no runway, no hype and no venture money");
    assert!(
        !failing.world().resource::<CircularDeal>().active,
        "its take-or-pay contract is unwound"
    );
    assert!(failing.summary().totals.lab_failures >= 1);
    // With hype and venture money the same lab raises and survives.
    let (_, active, rounds) = lab_named(&mut raising, "frontier-lab-a");
    assert!(active && rounds >= 1, "active {active}, rounds {rounds}");
    assert!(raising.world().resource::<CircularDeal>().active);
}

#[test]
fn every_leg_of_the_loop_has_a_payer_and_payee_and_matches_the_books() {
    let mut sim = simulation(&["run.years=3.5"]);
    let (lab, cloud) = {
        let deal = sim.world().resource::<CircularDeal>();
        (deal.lab.unwrap(), deal.cloud.unwrap())
    };
    let chipmaker = {
        let world = sim.world_mut();
        let mut query = world.query::<(&AgentId, &Firm)>();
        *query.iter(world).find(|(_, f)| f.kind == FirmKind::Chipmaker).unwrap().0
    };
    // What the books say: each month as it closes (on a month's first tick), and at the
    // end the month still open.
    let booked = |sim: &mut Simulation, closed: bool| -> (f64, f64) {
        let world = sim.world_mut();
        let mut query = world.query::<(&AgentId, &Accounts)>();
        let (mut gpu_sales, mut lab_funding) = (0.0, 0.0);
        for (&id, accounts) in query.iter(world) {
            let month = if closed { accounts.last_month } else { accounts.month };
            if id == chipmaker {
                gpu_sales += month.gpu_sales_usd;
            }
            if id == lab {
                lab_funding += month.funding_usd;
            }
        }
        (gpu_sales, lab_funding)
    };
    let (mut gpu_sales_booked, mut lab_funding_booked) = (0.0, 0.0);
    let mut flows = Vec::new();
    while !sim.finished() {
        let closing = sim.clock().month_start;
        sim.step().expect("money is conserved");
        flows.extend(sim.take_observations().flows);
        if closing {
            let (gpu_sales, lab_funding) = booked(&mut sim, true);
            gpu_sales_booked += gpu_sales;
            lab_funding_booked += lab_funding;
        }
    }
    let (gpu_sales, lab_funding) = booked(&mut sim, false);
    gpu_sales_booked += gpu_sales;
    lab_funding_booked += lab_funding;
    assert!(!flows.is_empty());
    for flow in &flows {
        assert!(flow.from_id != flow.to_id && flow.from_id != 0 && flow.to_id != 0, "{flow:?}");
        if flow.circular {
            let leg = (flow.kind, AgentId(flow.from_id), AgentId(flow.to_id));
            assert!(
                [
                    ("chip_investment", chipmaker, lab),
                    ("take_or_pay", lab, cloud),
                    ("capacity_rent", cloud, lab),
                    ("gpu_purchase", cloud, chipmaker)
                ]
                .contains(&leg),
                "{leg:?} is not a leg of the loop"
            );
        }
    }
    let total = |kind: &str, to: Option<AgentId>, circular: Option<bool>| -> f64 {
        flows
            .iter()
            .filter(|f| f.kind == kind && to.is_none_or(|t| AgentId(f.to_id) == t) && circular.is_none_or(|c| f.circular == c))
            .map(|f| f.amount_usd)
            .sum()
    };
    // Every leg ran.
    for kind in ["chip_investment", "take_or_pay", "capacity_rent", "gpu_purchase"] {
        assert!(total(kind, None, Some(true)) > 0.0, "no circular {kind}");
    }
    // The flows are the accounts' payments: GPU purchases are the chipmaker's GPU sales,
    // and equity bought in the lab is the lab's funding.
    let purchases = total("gpu_purchase", Some(chipmaker), None);
    assert!(
        (purchases - gpu_sales_booked).abs() <= 1e-9 * purchases,
        "{purchases} vs {gpu_sales_booked}"
    );
    let equity = total("chip_investment", Some(lab), None) + total("venture_round", Some(lab), None);
    assert!(
        (equity - lab_funding_booked).abs() <= 1e-9 * equity.max(1.0),
        "{equity} vs {lab_funding_booked}"
    );
    // The GPUs attributed to the contract slot by slot are the ones the loop's leg paid for.
    let deal = sim.world().resource::<CircularDeal>().clone();
    let looped = total("gpu_purchase", Some(chipmaker), Some(true));
    assert!(
        (looped - deal.gpus_bought_usd).abs() <= 1e-9 * looped,
        "{looped} vs {}",
        deal.gpus_bought_usd
    );
    // The lab gets back at most what it paid.
    assert!(total("capacity_rent", Some(lab), Some(true)) < total("take_or_pay", Some(cloud), Some(true)));
}

#[test]
fn the_first_earnings_report_replaces_the_starting_price_without_a_surprise() {
    let mut sim = simulation(&["run.years=0.8"]);
    let mut first_reports: std::collections::BTreeMap<u64, String> = std::collections::BTreeMap::new();
    let mut later_surprises = 0;
    while !sim.finished() {
        sim.step().expect("money is conserved");
        for event in sim.take_observations().events {
            if event.kind == bubblesim_model::EventKind::Earnings {
                match first_reports.entry(event.agent.0) {
                    std::collections::btree_map::Entry::Occupied(_) => {
                        later_surprises += u32::from(!event.detail.contains("+0.0%"));
                    }
                    std::collections::btree_map::Entry::Vacant(slot) => {
                        slot.insert(event.detail.clone());
                    }
                }
            }
        }
    }
    assert!(first_reports.len() >= 8, "every listed firm reports: {first_reports:?}");
    for (firm, detail) in &first_reports {
        assert!(detail.contains("+0.0%"), "firm {firm}'s first report was news: {detail}");
    }
    assert!(later_surprises > 0, "later reports move fundamentals");
}

#[test]
fn the_bubble_index_reads_eight_on_the_late_2025_baseline_and_follows_its_inputs() {
    let score_at_start = |overrides: &[&str]| -> BubbleIndex {
        let mut sim = simulation(overrides);
        sim.step().expect("money is conserved");
        *sim.world().resource::<BubbleIndex>()
    };
    let baseline = score_at_start(&[]);
    assert_eq!(baseline.total(), 8, "{baseline:?}");
    // Each input, moved from the model's own state, lowers its factor.
    let calm_story = score_at_start(&["narrative.initial_hype=0.1"]);
    assert!(calm_story.narrative < 2 && calm_story.total() < 8, "{calm_story:?}");
    let few_novices = score_at_start(&["retail.novice_share=0.05"]);
    assert!(few_novices.novice_investors < 2, "{few_novices:?}");
    let vc_elsewhere = score_at_start(&["venture.ai_share_base=0", "venture.ai_share_per_hype=0"]);
    assert_eq!(vc_elsewhere.pure_plays, 0, "{vc_elsewhere:?}");
    let agreed = score_at_start(&["forecasts.initial_belief_dispersion=0.01"]);
    assert!(agreed.inputs.forecast_dispersion < baseline.inputs.forecast_dispersion);
    assert!(agreed.uncertainty < baseline.uncertainty, "{agreed:?}");
    let no_capex = score_at_start(&["capex.max_cash_share_per_quarter=0"]);
    assert!(no_capex.inputs.capex_to_revenue < baseline.inputs.capex_to_revenue);
    assert!(no_capex.uncertainty < baseline.uncertainty, "{no_capex:?}");
    // Retail's share of the AI firms, over the first half year: a dead story turns
    // chartists pessimistic and they sell; with fewer novices too, the factor falls.
    let over_half_year = |overrides: &[&str]| -> (f64, f64) {
        let mut sim = simulation(overrides);
        let (mut share, mut factor) = (0.0, 0.0);
        for _ in 0..126 {
            sim.step().expect("money is conserved");
            let index = sim.world().resource::<BubbleIndex>();
            share += index.inputs.retail_ownership_share / 126.0;
            factor += f64::from(index.novice_investors) / 126.0;
        }
        (share, factor)
    };
    let (share, factor) = over_half_year(&[]);
    let (small_share, small_factor) = over_half_year(&[
        "narrative.initial_hype=0.05",
        "narrative.target_base=0.05",
        "retail.novice_share=0.15",
    ]);
    assert!(
        small_share < share && small_factor < factor,
        "{small_share} vs {share}, {small_factor} vs {factor}"
    );
}

#[test]
fn the_ai_index_shows_the_stylised_facts_of_daily_returns() {
    // The full baseline over its ten years, on three seeds.
    for seed in [20251001, 2, 3] {
        let config = load(&ConfigSource::baseline(), &[format!("run.seed={seed}")]).unwrap();
        let mut sim = Simulation::new(config, seed, 1).unwrap();
        let mut returns = Vec::new();
        while !sim.finished() {
            sim.step().expect("money is conserved");
            if sim.clock().tick > 0 {
                returns.push(sim.world().resource::<AiIndex>().log_return);
            }
            sim.take_observations();
        }
        assert!(returns.len() > 2000);
        let absolute: Vec<f64> = returns.iter().map(|r| r.abs()).collect();
        // Fat tails: excess kurtosis above 2 (its standard error is ≈ √(24/n) ≈ 0.1).
        let kurtosis = excess_kurtosis(&returns);
        assert!(kurtosis > 2.0, "seed {seed}: excess kurtosis {kurtosis}");
        // No linear autocorrelation of returns at lag 1.
        let lag1 = autocorrelation(&returns, 1);
        assert!(lag1.abs() < 0.1, "seed {seed}: lag-1 autocorrelation {lag1}");
        // Volatility clustering: absolute returns are autocorrelated over lags 1–20, on
        // average above 0.05 and more than twice returns are.
        let mean = |series: &[f64]| (1..=20).map(|lag| autocorrelation(series, lag)).sum::<f64>() / 20.0;
        let (of_abs, of_returns) = (mean(&absolute), mean(&returns));
        assert!(
            of_abs > 0.05 && of_abs > 2.0 * of_returns.abs(),
            "seed {seed}: |r| {of_abs}, r {of_returns}"
        );
    }
}

/// The AI index's highest level against its first day, median over five seeds, for the
/// baseline with the overrides.
fn median_peak(overrides: &[&str]) -> f64 {
    let mut peaks: Vec<f64> = (1..=5)
        .map(|seed| {
            let mut all = vec!["retail.count=2000".to_owned(), format!("run.seed={seed}")];
            all.extend(overrides.iter().map(|s| s.to_string()));
            let config = load(&ConfigSource::baseline(), &all).unwrap();
            let mut sim = Simulation::new(config, seed, 1).unwrap();
            let (first, mut highest) = (sim.ai_index_level(), sim.ai_index_level());
            while !sim.finished() {
                sim.step().expect("money is conserved");
                sim.take_observations();
                highest = highest.max(sim.ai_index_level());
            }
            highest / first
        })
        .collect();
    peaks.sort_by(f64::total_cmp);
    peaks[2]
}

/// Behaviour sets the bubble's size: over the documented range of each behavioural key
/// (configs/baseline.toml, docs/model.md#retail-investors), its high end makes a larger
/// bubble than its low end — herding, novices and the narrative draw money in.
#[test]
fn herding_novices_and_the_narrative_set_the_bubbles_size() {
    for (key, low, high) in [
        ("retail.herding_weight", 0.3, 0.9),
        ("retail.novice_share", 0.3, 0.9),
        ("retail.narrative_weight", 0.1, 0.6),
    ] {
        let (low_key, high_key) = (format!("{key}={low}"), format!("{key}={high}"));
        let (small, large) = (median_peak(&[low_key.as_str()]), median_peak(&[high_key.as_str()]));
        assert!(large > small, "{key}: {low} gives a peak of {small}, {high} of {large}");
    }
}

#[test]
fn the_summary_keeps_the_bubble_index_first_lowest_and_highest_readings() {
    // A calm start, so that the highest reading is not simply the first.
    let mut sim = common::simulation_of(&ConfigSource::baseline(), &["run.years=2", "narrative.initial_hype=0.1"]);
    let mut totals = Vec::new();
    while !sim.finished() {
        sim.step().expect("money is conserved");
        totals.push(sim.world().resource::<BubbleIndex>().total());
    }
    let summary = sim.summary();
    assert_eq!(summary.bubble_first, totals[0]);
    assert_eq!(summary.bubble_lowest, *totals.iter().min().unwrap());
    assert_eq!(summary.bubble_highest, *totals.iter().max().unwrap());
    assert_eq!(summary.bubble_last, *totals.last().unwrap());
    assert!(summary.bubble_highest > summary.bubble_lowest, "{totals:?}");
    assert!(summary.bubble_highest > summary.bubble_first, "{totals:?}");
}

/// Hyperscalers' cash and shares after three years, summed over them.
fn hyperscalers_after_three_years(overrides: &[&str]) -> (f64, f64) {
    let mut sim = simulation(overrides);
    while !sim.finished() {
        sim.step().expect("money is conserved");
        sim.take_observations();
    }
    let world = sim.world_mut();
    let mut query = world.query::<(&Firm, &Accounts, &Listed)>();
    query
        .iter(world)
        .filter(|(firm, _, _)| firm.kind == FirmKind::Hyperscaler)
        .fold((0.0, 0.0), |(cash, shares), (_, accounts, listed)| {
            (cash + accounts.cash_usd, shares + listed.shares)
        })
}

/// In the baseline's build-out the hyperscalers spend their free cash flow on GPUs and
/// buildings, so there is little above the target to pay out; with capex held to a
/// tenth of cash a quarter, their core businesses pile up cash, and payouts return it.
#[test]
fn cash_above_its_target_goes_back_to_shareholders() {
    let frugal = "capex.max_cash_share_per_quarter=0.1";
    let (kept_cash, kept_shares) = hyperscalers_after_three_years(&[frugal, "payouts.payout_share_per_quarter=0"]);
    let (cash, shares) = hyperscalers_after_three_years(&[frugal]);
    assert!(cash < 0.8 * kept_cash, "payouts lower the hoard: {cash:e} vs {kept_cash:e}");
    assert!(shares < kept_shares, "buybacks retire shares: {shares:e} vs {kept_shares:e}");
    let (_, all_dividends) = hyperscalers_after_three_years(&[frugal, "payouts.buyback_share=0"]);
    assert_eq!(all_dividends, kept_shares, "dividends alone retire no shares");
}
