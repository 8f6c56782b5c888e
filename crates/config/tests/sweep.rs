//! Sweep files: the plan they expand into, and every kind of bad input.

use std::path::Path;

use bubblesim_config::{ConfigError, ConfigSource, MAX_SWEEP_RUNS, ParamValue, Sweep};

fn sweep(text: &str) -> Result<Sweep, ConfigError> {
    let source = ConfigSource {
        name: "sweeps/test.toml".to_owned(),
        text: text.to_owned(),
    };
    Sweep::from_source(&source, "test", Path::new("."))
}

fn error(text: &str) -> String {
    match sweep(text) {
        Ok(plan) => panic!("expected an error, got a plan of {} runs", plan.runs.len()),
        Err(err) => err.to_string(),
    }
}

fn folders(plan: &Sweep) -> Vec<String> {
    plan.runs.iter().map(|run| plan.folder(run).display().to_string()).collect()
}

const GRID: &str = r#"
[sweep]
seeds = 2
[set]
run.years = 1.0
[[param]]
key = "retail.herding_weight"
name = "herding"
values = [0.3, 0.9]
[[param]]
key = "retail.count"
values = [500, 1000]
"#;

#[test]
fn a_grid_expands_first_parameter_slowest_and_seeds_fastest() {
    let plan = sweep(GRID).unwrap();
    assert_eq!(plan.runs.len(), 8);
    assert_eq!(
        folders(&plan),
        [
            "herding=0.3/retail_count=500/seed=20251001",
            "herding=0.3/retail_count=500/seed=20251002",
            "herding=0.3/retail_count=1000/seed=20251001",
            "herding=0.3/retail_count=1000/seed=20251002",
            "herding=0.9/retail_count=500/seed=20251001",
            "herding=0.9/retail_count=500/seed=20251002",
            "herding=0.9/retail_count=1000/seed=20251001",
            "herding=0.9/retail_count=1000/seed=20251002",
        ]
    );
    assert_eq!(plan.runs.iter().map(|r| r.number).collect::<Vec<_>>(), (1..=8).collect::<Vec<_>>());
    assert_eq!(plan.shape(), "2 herding × 2 retail_count × 2 seeds");
    // The same file always gives the same plan.
    assert_eq!(sweep(GRID).unwrap().runs, plan.runs);
}

#[test]
fn each_run_gets_its_values_its_seed_and_the_sets() {
    let plan = sweep(GRID).unwrap();
    let run = &plan.runs[5];
    let config = plan.config(run).unwrap();
    assert_eq!(config.retail.herding_weight, 0.9);
    assert_eq!(config.retail.count, 500);
    assert_eq!(config.run.seed, 20251002);
    assert_eq!(config.run.years, 1.0);
}

#[test]
fn floats_keep_a_point_in_folder_names_and_ranges_land_on_round_values() {
    let plan = sweep(
        r#"
[sweep]
seeds = [7]
[[param]]
key = "retail.herding_weight"
range = { from = 0.1, to = 0.5, step = 0.1 }
[[param]]
key = "retail.trend_weight"
values = [1, 2]
[[param]]
key = "retail.narrative_weight"
range = { from = 0.0, to = 1.0, count = 3 }
"#,
    )
    .unwrap();
    let herding: Vec<f64> = plan
        .runs
        .iter()
        .step_by(6)
        .map(|run| match run.values[0] {
            ParamValue::Float(x) => x,
            ref other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(herding, [0.1, 0.2, 0.3, 0.4, 0.5]);
    assert_eq!(
        folders(&plan)[0],
        "retail_herding_weight=0.1/retail_trend_weight=1.0/retail_narrative_weight=0.0/seed=7"
    );
    assert_eq!(
        folders(&plan)[5],
        "retail_herding_weight=0.1/retail_trend_weight=2.0/retail_narrative_weight=1.0/seed=7"
    );
    assert_eq!(plan.runs.len(), 5 * 2 * 3);
}

const SAMPLE: &str = r#"
[sweep]
seeds = 1
[sample]
method = "latin-hypercube"
points = 10
seed = 42
[[param]]
key = "fire_sales.hedge_fund_max_leverage"
min = 2.0
max = 20.0
log = true
[[param]]
key = "retail.novice_share"
min = 0.2
max = 0.7
[[param]]
key = "retail.herding_weight"
values = [0.3, 0.6]
"#;

fn sampled(plan: &Sweep, param: usize) -> Vec<f64> {
    plan.runs
        .iter()
        .take(plan.sample_points)
        .map(|run| match run.values[param] {
            ParamValue::Float(x) => x,
            ref other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn a_latin_hypercube_uses_every_stratum_once_and_is_fixed_by_its_seed() {
    let plan = sweep(SAMPLE).unwrap();
    assert_eq!(plan.runs.len(), 10 * 2);
    let novice = sampled(&plan, 1);
    let mut strata: Vec<usize> = novice.iter().map(|x| ((x - 0.2) / 0.5 * 10.0) as usize).collect();
    strata.sort();
    assert_eq!(strata, (0..10).collect::<Vec<_>>());
    // Log scale: the strata are equal in log(leverage).
    let leverage = sampled(&plan, 0);
    let mut log_strata: Vec<usize> = leverage
        .iter()
        .map(|x| ((x.ln() - 2f64.ln()) / (20f64.ln() - 2f64.ln()) * 10.0) as usize)
        .collect();
    log_strata.sort();
    assert_eq!(log_strata, (0..10).collect::<Vec<_>>());
    // The grid parameter varies slowest; each grid value sees the same points.
    assert_eq!(
        sampled(&plan, 1),
        plan.runs[10..]
            .iter()
            .map(|r| match r.values[1] {
                ParamValue::Float(x) => x,
                _ => unreachable!(),
            })
            .collect::<Vec<_>>()
    );
    assert_eq!(sweep(SAMPLE).unwrap().runs, plan.runs);
    let reseeded = sweep(&SAMPLE.replace("seed = 42", "seed = 43")).unwrap();
    assert_ne!(sampled(&reseeded, 1), novice);
}

#[test]
fn random_samples_stay_within_bounds() {
    let plan = sweep(&SAMPLE.replace("latin-hypercube", "random")).unwrap();
    assert!(sampled(&plan, 1).iter().all(|x| (0.2..=0.7).contains(x)));
    assert!(sampled(&plan, 0).iter().all(|x| (2.0..=20.0).contains(x)));
}

#[test]
fn a_base_scenario_by_name_and_the_seed_count_from_its_seed() {
    let plan = sweep(
        r#"
[sweep]
base = "bust"
seeds = 3
[[param]]
key = "retail.herding_weight"
values = [0.5]
"#,
    )
    .unwrap();
    let config = plan.config(&plan.runs[2]).unwrap();
    assert_eq!(config.run.scenario, "bust");
    assert_eq!(plan.seeds, [config.run.seed - 2, config.run.seed - 1, config.run.seed]);
}

#[test]
fn a_base_scenario_file_is_found_beside_the_sweep_file() {
    // The tests run in crates/config: the shipped scenarios are two folders up.
    let plan = sweep("[sweep]\nbase = \"../../configs/soft-landing.toml\"\n").unwrap();
    assert_eq!(plan.runs.len(), 1);
    assert_eq!(plan.config(&plan.runs[0]).unwrap().run.scenario, "soft-landing");
    assert_eq!(folders(&plan), ["seed=20251001"]);
}

#[test]
fn an_unknown_parameter_path_names_the_file_the_key_and_a_close_one() {
    let message = error(
        r#"
[sweep]
[[param]]
key = "retail.herding_wieght"
values = [0.1]
"#,
    );
    assert!(message.starts_with("sweeps/test.toml:"), "{message}");
    assert!(message.contains("retail.herding_wieght"), "{message}");
    assert!(message.contains("did you mean `herding_weight`"), "{message}");
    let section = error("[sweep]\n[[param]]\nkey = \"nosuch.key\"\nvalues = [1]\n");
    assert!(section.contains("unknown key `nosuch`"), "{section}");
}

#[test]
fn empty_ranges_and_lists_are_refused() {
    let range = |spec: &str| error(&format!("[sweep]\n[[param]]\nkey = \"retail.herding_weight\"\nrange = {spec}\n"));
    for (spec, expect) in [
        ("{ from = 0.5, to = 0.1, step = 0.1 }", "the range is empty"),
        ("{ from = 0.1, to = 0.5, step = 0.0 }", "the range is empty"),
        ("{ from = 0.1, to = 0.5, step = -0.1 }", "the range is empty"),
        ("{ from = 0.1, to = 0.5, count = 0 }", "the range is empty"),
        ("{ from = 0.1, to = 0.5 }", "either `step` or `count`"),
        ("{ from = 0.1, to = 0.5, step = 0.1, count = 3 }", "either `step` or `count`"),
        ("{ from = 0.0, to = 1.0, step = 1e-9 }", "more than"),
    ] {
        let message = range(spec);
        assert!(message.contains("param.0.range") && message.contains(expect), "{spec}: {message}");
    }
    let values = error("[sweep]\n[[param]]\nkey = \"retail.herding_weight\"\nvalues = []\n");
    assert!(values.contains("param.0.values") && values.contains("empty"), "{values}");
}

#[test]
fn zero_runs_and_absurd_plans_are_refused() {
    for seeds in ["0", "[]", "-1"] {
        let message = error(&format!("[sweep]\nseeds = {seeds}\n"));
        assert!(message.contains("sweep.seeds"), "{seeds}: {message}");
    }
    let absurd = error(
        r#"
[sweep]
seeds = 100
[[param]]
key = "retail.herding_weight"
range = { from = 0.0, to = 1.0, count = 1000 }
[[param]]
key = "retail.trend_weight"
range = { from = 0.0, to = 1.0, count = 1000 }
"#,
    );
    assert!(absurd.contains(&format!("more than {MAX_SWEEP_RUNS} runs")), "{absurd}");
}

#[test]
fn types_come_from_the_key() {
    for (spec, expect) in [
        ("key = \"retail.count\"\nvalues = [1.5]", "whole number"),
        ("key = \"retail.count\"\nrange = { from = 1, to = 9, step = 0.5 }", "whole number"),
        ("key = \"retail.herding_weight\"\nvalues = [\"high\"]", "number"),
        ("key = \"retail\"\nvalues = [1]", "is a section"),
        ("key = \"gpus.initial_performance\"\nvalues = [1]", "is a list: sweep one entry"),
        ("key = \"run.seed\"\nvalues = [1, 2]", "sweep.seeds"),
        ("key = \"run.description\"\nvalues = [\"a/b\"]", "folder name"),
        ("key = \"labs.9.cash_usd\"\nvalues = [1e9]", "list of 3 entries"),
    ] {
        let message = error(&format!("[sweep]\n[[param]]\n{spec}\n"));
        assert!(message.contains(expect), "{spec}: {message}");
    }
    // A list entry by index is a number like any other.
    let plan = sweep("[sweep]\n[[param]]\nkey = \"labs.1.cash_usd\"\nvalues = [1e9, 2e9]\n").unwrap();
    assert_eq!(plan.config(&plan.runs[1]).unwrap().labs[1].cash_usd, 2e9);
}

#[test]
fn the_file_itself_is_checked() {
    for (text, expect) in [
        ("[sweep]\nsedes = 2\n", "unknown field `sedes`"),
        ("[sweep]\n[[param]]\nkey = \"retail.herding_weight\"\nvalus = [1]\n", "param.0"),
        ("[sweep]\nbase = \"nosuch\"\n", "sweep.base"),
        ("[sweep]\nbase = \"missing.toml\"\n", "cannot read"),
        (
            "[sweep]\n[[param]]\nkey = \"retail.herding_weight\"\nmin = 0.1\nmax = 0.9\n",
            "[sample]",
        ),
        (
            "[sweep]\n[sample]\nmethod = \"latin-hypercube\"\npoints = 4\nseed = 1\n[[param]]\nkey = \"retail.herding_weight\"\nvalues = [1]\n",
            "no parameter is sampled",
        ),
        ("[sweep]\n[sample]\nmethod = \"sobol\"\npoints = 4\nseed = 1\n", "sample.method"),
        (
            "[sweep]\n[[param]]\nkey = \"retail.herding_weight\"\nvalues = [0.1, 0.1]\n",
            "listed twice",
        ),
        (
            "[sweep]\n[[param]]\nkey = \"retail.herding_weight\"\nname = \"x\"\nvalues = [1]\n[[param]]\nkey = \"retail.trend_weight\"\nname = \"x\"\nvalues = [1]\n",
            "two parameters are named `x`",
        ),
        (
            "[sweep]\n[[param]]\nkey = \"retail.herding_weight\"\nname = \"seed\"\nvalues = [1]\n",
            "column of its own",
        ),
        (
            "[sweep]\n[[param]]\nkey = \"retail.herding_weight\"\nname = \"a b\"\nvalues = [1]\n",
            "column name",
        ),
        ("[sweep]\n[set]\nretail.cuont = 3\n", "retail.cuont"),
        ("[sweep]\n[set]\nrun.seed = 3\n", "sweep.seeds"),
        ("not toml [", "not valid TOML"),
    ] {
        let message = error(text);
        assert!(message.starts_with("sweeps/test.toml"), "{text}: {message}");
        assert!(message.contains(expect), "{text}: {message}");
    }
}

#[test]
fn a_value_the_model_rejects_names_the_run() {
    let plan = sweep("[sweep]\n[[param]]\nkey = \"retail.novice_share\"\nvalues = [0.5, 1.5]\n").unwrap();
    assert!(plan.config(&plan.runs[0]).is_ok());
    let message = plan.config(&plan.runs[1]).unwrap_err().to_string();
    assert!(message.contains("run 2 (retail_novice_share=1.5, seed=20251001)"), "{message}");
    assert!(message.contains("retail.novice_share"), "{message}");
}

/// Every sweep file under configs/sweeps (its subfolders included: scenarios/ holds
/// the sweeps behind docs/scenarios.md) plans, and every run's config loads.
#[test]
fn the_shipped_sweeps_load() {
    fn sweep_files(folder: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sweep_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "toml") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    sweep_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../configs/sweeps"), &mut files);
    files.sort();
    for path in &files {
        let plan = Sweep::load(path).unwrap_or_else(|err| panic!("{err}"));
        for run in &plan.runs {
            plan.config(run).unwrap_or_else(|err| panic!("{err}"));
        }
    }
    assert!(files.len() >= 6, "{files:?}");
    assert!(files.iter().any(|f| f.ends_with("scenarios/bust.toml")), "{files:?}");
}

#[test]
fn seeds_and_whole_numbers_stay_exact() {
    // A seed count running past TOML's largest integer is refused, not wrapped.
    let base = std::env::temp_dir().join(format!("bubblesim-sweep-seed-{}.toml", std::process::id()));
    std::fs::write(&base, "[run]\nseed = 9223372036854775806\n").unwrap();
    let text = format!("[sweep]\nbase = \"{}\"\nseeds = 3\n", base.display());
    let message = error(&text);
    assert!(message.contains("sweep.seeds") && message.contains("largest seed"), "{message}");
    let two = sweep(&text.replace("seeds = 3", "seeds = 2")).unwrap();
    assert_eq!(two.seeds, [9223372036854775806, 9223372036854775807]);
    std::fs::remove_file(&base).unwrap();
    // Integer ranges are computed in integers: no rounding through f64 above 2^53.
    let plan =
        sweep("[sweep]\n[[param]]\nkey = \"sponsors.count\"\nrange = { from = 9007199254740993, to = 9007199254740997, step = 2 }\n")
            .unwrap();
    let values: Vec<&ParamValue> = plan.runs.iter().map(|run| &run.values[0]).collect();
    assert_eq!(
        values,
        [
            &ParamValue::Integer(9007199254740993),
            &ParamValue::Integer(9007199254740995),
            &ParamValue::Integer(9007199254740997)
        ]
    );
    let counted = sweep("[sweep]\n[[param]]\nkey = \"sponsors.count\"\nrange = { from = 2, to = 8, count = 4 }\n").unwrap();
    assert_eq!(
        counted.runs.iter().map(|run| run.values[0].to_string()).collect::<Vec<_>>(),
        ["2", "4", "6", "8"]
    );
    let uneven = error("[sweep]\n[[param]]\nkey = \"sponsors.count\"\nrange = { from = 2, to = 7, count = 4 }\n");
    assert!(uneven.contains("must be a whole number"), "{uneven}");
    // Ranges whose values are not finite numbers are refused.
    let huge = error("[sweep]\n[[param]]\nkey = \"retail.herding_weight\"\nrange = { from = -1e308, to = 1e308, count = 3 }\n");
    assert!(huge.contains("finite"), "{huge}");
}

#[test]
fn column_names_clash_without_regard_to_case() {
    for name in ["Seed", "RUN", "Folder"] {
        let message = error(&format!(
            "[sweep]\n[[param]]\nkey = \"retail.herding_weight\"\nname = \"{name}\"\nvalues = [1]\n"
        ));
        assert!(message.contains("column of its own"), "{name}: {message}");
    }
    let message = error(
        "[sweep]\n[[param]]\nkey = \"retail.herding_weight\"\nname = \"x\"\nvalues = [1]\n[[param]]\nkey = \"retail.trend_weight\"\nname = \"X\"\nvalues = [1]\n",
    );
    assert!(message.contains("two parameters are named"), "{message}");
}
