//! Loading scenarios: defaults from the baseline, overrides, and every kind of bad input
//! with the file, key path and what is allowed in its message.

use bubblesim_config::{Config, ConfigError, ConfigSource, load};

fn source(text: &str) -> ConfigSource {
    ConfigSource {
        name: "scenario.toml".to_owned(),
        text: text.to_owned(),
    }
}

fn error(text: &str, overrides: &[&str]) -> ConfigError {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    load(&source(text), &overrides).expect_err("this input must be rejected")
}

fn message(text: &str, overrides: &[&str]) -> String {
    error(text, overrides).to_string()
}

#[test]
fn baseline_is_valid_and_round_trips() {
    let baseline = Config::baseline();
    let again = load(&source(&baseline.to_toml()), &[]).unwrap();
    assert_eq!(baseline, again);
    assert_eq!(baseline.run.scenario, "baseline");
}

#[test]
fn a_partial_file_takes_the_baseline_for_the_rest() {
    let config = load(&source("[retail]\ncount = 50\n"), &[]).unwrap();
    let baseline = Config::baseline();
    assert_eq!(config.retail.count, 50);
    assert_eq!(config.gpus, baseline.gpus);
    assert_eq!(config.retail.novice_share, baseline.retail.novice_share);
}

#[test]
fn list_elements_are_filled_from_the_baseline() {
    let config = load(
        &source("[circular]\nlab = \"\"\n[[labs]]\nname = \"solo-lab\"\nend_market_share = 0.3\n"),
        &[],
    )
    .unwrap();
    assert_eq!(config.labs.len(), 1);
    assert_eq!(config.labs[0].name, "solo-lab");
    assert_eq!(config.labs[0].cash_usd, Config::baseline().labs[0].cash_usd);
}

#[test]
fn overrides_set_values_and_list_elements() {
    let overrides = vec![
        "retail.count=77".to_owned(),
        "labs.1.cash_usd=1e9".to_owned(),
        "run.scenario=stress-test".to_owned(),
    ];
    let config = load(&ConfigSource::baseline(), &overrides).unwrap();
    assert_eq!(config.retail.count, 77);
    assert_eq!(config.labs[1].cash_usd, 1e9);
    assert_eq!(config.run.scenario, "stress-test");
}

#[test]
fn one_entry_of_a_number_list_can_be_set() {
    let config = load(&ConfigSource::baseline(), &["gpus.initial_performance.0=0.4".to_owned()]).unwrap();
    assert_eq!(config.gpus.initial_performance[0], 0.4);
    assert_eq!(config.gpus.initial_performance[1], Config::baseline().gpus.initial_performance[1]);
    let text = message("", &["gpus.initial_performance.7=1"]);
    assert!(text.contains("gpus.initial_performance.7") && text.contains("entries"), "{text}");
}

#[test]
fn sizes_that_cannot_run_are_rejected_up_front() {
    let text = message("", &["retail.count=4000000000"]);
    assert!(text.contains("retail.count") && text.contains("20000000"), "{text}");
    let text = message("", &["datacenters.capacity_mw=1e-7"]);
    assert!(text.contains("datacenters.capacity_mw"), "{text}");
    let text = message("", &["gpus.cohort_size=10", "hyperscalers.0.installed_h100_equivalents=1e8"]);
    assert!(text.contains("gpus.cohort_size") && text.contains("5,000,000 cohorts"), "{text}");
    let text = message("", &["capex.build_months=4000000000"]);
    assert!(text.contains("capex.build_months"), "{text}");
    let text = message("", &["retail.optimist_ai_share=0.1", "retail.pessimist_ai_share=0.2"]);
    assert!(
        text.contains("retail.pessimist_ai_share") && text.contains("optimist's (0.1)"),
        "{text}"
    );
    let text = message(
        "",
        &[
            "financing.risk_free_rate=0.01",
            "market.equity_risk_premium=0.01",
            "market.terminal_growth_per_year=0.015",
        ],
    );
    assert!(
        text.contains("market.terminal_growth_per_year") && text.contains("required return"),
        "{text}"
    );
}

#[test]
fn messages_name_no_rust_types_and_stay_on_one_line() {
    let text = message("labs = [5]\n", &[]);
    assert!(!text.contains("LabConfig") && text.contains("section"), "{text}");
    let deep = format!("x = {}1{}\n", "[".repeat(500), "]".repeat(500));
    let text = message(&deep, &[]);
    assert!(!text.contains('\n') && text.chars().count() < 600, "{} chars", text.chars().count());
}

#[test]
fn unknown_key_suggests_the_close_one() {
    match error("[retail]\ncuont = 5\n", &[]) {
        ConfigError::UnknownKey {
            source_name,
            path,
            suggestion,
            allowed,
        } => {
            assert_eq!(source_name, "scenario.toml");
            assert_eq!(path, "retail.cuont");
            assert!(suggestion.contains("`count`"), "{suggestion}");
            assert!(allowed.contains("novice_share"));
        }
        other => panic!("wrong error: {other}"),
    }
    let text = message("[retial]\ncount = 5\n", &[]);
    assert!(
        text.contains("unknown key `retial`") && text.contains("did you mean `retail`"),
        "{text}"
    );
    let text = message("[[labs]]\nnmae = \"x\"\n", &[]);
    assert!(text.contains("labs.0.nmae") && text.contains("`name`"), "{text}");
}

#[test]
fn not_toml_names_the_file() {
    let text = message("[retail\ncount = 5", &[]);
    assert!(text.starts_with("scenario.toml: not valid TOML"), "{text}");
}

#[test]
fn wrong_types_and_negative_counts_name_the_key_and_what_is_allowed() {
    let text = message("[retail]\ncount = \"many\"\n", &[]);
    assert!(text.contains("key `retail.count`") && text.contains("whole number"), "{text}");
    let text = message("[retail]\ncount = -5\n", &[]);
    assert!(
        text.contains("key `retail.count`") && text.contains("whole number from 0"),
        "{text}"
    );
    let text = message("[gpus]\ncohort_size = 0\n", &[]);
    assert!(text.contains("gpus.cohort_size") && text.contains("between 1 and"), "{text}");
}

#[test]
fn probabilities_outside_zero_one_are_rejected() {
    let text = message("[retail]\nnovice_share = 1.5\n", &[]);
    assert!(text.contains("retail.novice_share") && text.contains("between 0 and 1"), "{text}");
    let text = message("[funding]\nsuccess_probability_at_full_hype = -0.1\n", &[]);
    assert!(text.contains("funding.success_probability_at_full_hype"), "{text}");
}

#[test]
fn nan_and_infinity_are_rejected() {
    for literal in ["nan", "inf", "-inf"] {
        let text = message(&format!("[retail]\nwealth_usd = {literal}\n"), &[]);
        assert!(text.contains("retail.wealth_usd") && text.contains("finite"), "{text}");
    }
    let text = message("", &["market.demand_elasticity=nan"]);
    assert!(
        text.starts_with("--set market.demand_elasticity=nan") && text.contains("finite"),
        "{text}"
    );
}

#[test]
fn a_zero_horizon_is_rejected() {
    let text = message("[run]\nyears = 0\n", &[]);
    assert!(text.contains("run.years") && text.contains("at least one trading day"), "{text}");
    let text = message("", &["run.years=-3"]);
    assert!(text.contains("--set run.years=-3") && text.contains("run.years"), "{text}");
}

#[test]
fn malformed_overrides_are_explained() {
    for bad in ["retail.count", "=5", "retail..count=5", "retail.count="] {
        match error("", &[bad]) {
            ConfigError::MalformedOverride { argument, .. } => assert_eq!(argument, bad),
            other => panic!("{bad}: wrong error: {other}"),
        }
    }
    let text = message("", &["retail.cont=5"]);
    assert!(
        text.contains("--set retail.cont=5") && text.contains("did you mean `count`"),
        "{text}"
    );
    let text = message("", &["retail.count=lots"]);
    assert!(text.contains("--set retail.count=lots") && text.contains("retail.count"), "{text}");
    let text = message("", &["labs.9.cash_usd=1"]);
    assert!(text.contains("labs.9") && text.contains("entries"), "{text}");
    let text = message("", &["retail=5"]);
    assert!(text.contains("retail") && text.contains("section"), "{text}");
}

#[test]
fn relations_between_keys_are_checked() {
    let text = message("[retail]\ninitial_fundamentalist_share = 0.7\ninitial_optimist_share = 0.5\n", &[]);
    assert!(
        text.contains("retail.initial_optimist_share") && text.contains("at most 1"),
        "{text}"
    );
    let text = message("[gpus]\ninitial_fleet_share = [0.5, 0.5, 0.5]\n", &[]);
    assert!(text.contains("gpus.initial_fleet_share") && text.contains("add up to 1"), "{text}");
    let text = message("[gpus]\ninitial_price_usd = [1.0, 2.0]\n", &[]);
    assert!(
        text.contains("gpus.initial_price_usd") && text.contains("one entry per generation"),
        "{text}"
    );
    let text = message("[compute_market]\nmax_rent_usd_per_h100_hour = 0.00001\n", &[]);
    assert!(text.contains("compute_market.max_rent_usd_per_h100_hour"), "{text}");
    let text = message("", &["labs.1.name=frontier-lab-a"]);
    assert!(text.contains("labs.1.name") && text.contains("unique"), "{text}");
    let text = message("", &["run.start_date=2025-02-30"]);
    assert!(text.contains("run.start_date") && text.contains("YYYY-MM-DD"), "{text}");
}

#[test]
fn an_unreadable_file_names_it() {
    let err = ConfigSource::from_file(std::path::Path::new("/no/such/scenario.toml")).unwrap_err();
    assert!(err.to_string().starts_with("/no/such/scenario.toml: cannot read the file"), "{err}");
}

#[test]
fn every_key_has_a_comment_in_the_baseline() {
    // The baseline is the reference of every key: each key sits under a comment or
    // follows one in its block, so no default goes undocumented. Later entries of a list
    // of tables ([[labs]] …) repeat the first entry's keys and are documented by it.
    let text = bubblesim_config::BASELINE_TOML;
    let mut commented = false;
    let mut seen_lists: Vec<&str> = Vec::new();
    let mut repeated_entry = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("[[") {
            repeated_entry = seen_lists.contains(&trimmed);
            seen_lists.push(trimmed);
        } else if trimmed.starts_with('[') {
            repeated_entry = false;
        }
        if trimmed.starts_with('#') {
            commented = true;
        } else if trimmed.is_empty() {
            commented = false;
        } else if !trimmed.starts_with('[') && !repeated_entry {
            assert!(commented, "key without a comment above it in its block: {trimmed}");
        }
    }
    assert!(bubblesim_config::key_paths().len() > 100);
}

#[test]
fn financing_inputs_name_the_key_and_what_is_allowed() {
    let text = message("[[institutions]]\nkind = \"bank\"\n", &[]);
    assert!(
        text.contains("institutions.0.kind") && text.contains("pension, insurer, mutual_fund, hedge_fund"),
        "{text}"
    );
    let text = message("", &["institutions.1.min_rating=\"BBB-\""]);
    assert!(
        text.contains("institutions.1.min_rating") && text.contains("AAA, AA, A, BBB"),
        "{text}"
    );
    let text = message("[shock]\nfirm = \"nobody\"\n", &[]);
    assert!(text.contains("shock.firm") && text.contains("hyperscaler-1"), "{text}");
    let text = message("[securitisation]\nmezzanine_attachment = 0.4\nsenior_attachment = 0.3\n", &[]);
    assert!(
        text.contains("securitisation.senior_attachment") && text.contains("above mezzanine_attachment"),
        "{text}"
    );
    let text = message("[fire_sales]\nhedge_fund_max_leverage = 3.0\n", &[]);
    assert!(
        text.contains("institutions.3.leverage") && text.contains("below fire_sales.hedge_fund_max_leverage"),
        "{text}"
    );
    let text = message("[[institutions]]\n[[institutions]]\nname = \"pension\"\n", &[]);
    assert!(text.contains("group names must be unique"), "{text}");
    // A scenario may add a group: it takes the first group's keys for what it leaves out.
    let config = load(
        &ConfigSource {
            name: "scenario.toml".to_owned(),
            text: "[[institutions]]\n[[institutions]]\n[[institutions]]\n[[institutions]]\n[[institutions]]\nname = \"family-office\"\ncount = 2\n".to_owned(),
        },
        &[],
    )
    .expect("an added group is valid");
    assert_eq!(config.institutions.len(), 5);
    assert_eq!(config.institutions[4].kind, "pension");
}
