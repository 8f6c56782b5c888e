# Shortcuts for the commands in the README (https://github.com/casey/just).

# Run the baseline scenario (or pass arguments: just run configs/x.toml --years 2).
run *ARGS:
    cargo run --release -- run {{ARGS}}

# Run a sweep here (just sweep configs/sweeps/retail-herding.toml --jobs 2), or its plan (--plan).
sweep *ARGS:
    cargo run --release -- sweep {{ARGS}}

# Write a run folder's report.html (just report runs/baseline-seed20251001).
report DIR:
    cargo run --release -- report {{DIR}}

# Rewrite the notebooks from their generator scripts (needs the notebook venv's nbformat).
notebooks:
    python3 notebooks/make_boom_notebook.py
    python3 notebooks/make_analysis_notebook.py
    python3 notebooks/make_sweep_notebook.py

# The whole test suite, as CI runs it.
test:
    cargo test --workspace --locked

# Formatting and lints, as CI checks them.
lint:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets --locked -- -D warnings

# Market figures over seeds 1 … N, medians and 10–90% ranges (just measure configs/baseline.toml 5 retail.herding_weight=0.9).
measure CONFIG SEEDS *SET:
    cargo run --release -p bubblesim-model --example measure -- {{CONFIG}} {{SEEDS}} {{SET}}

# The four scenarios over 20 seeds (configs/sweeps/scenarios/), then docs/scenarios.md from them (needs the notebook venv's polars).
scenarios:
    for s in baseline ai-succeeds soft-landing bust; do cargo run --release -- sweep configs/sweeps/scenarios/$s.toml --out runs/scenarios/$s --quiet; done
    python3 docs/make_scenarios.py runs/scenarios docs/scenarios.md

# Regenerate docs/schema.md from the binary.
schema:
    cargo run --release -- schema > docs/schema.md

# Everything CI does.
ci:
    bash .ci/run
