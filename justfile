# Shortcuts for the commands in the README (https://github.com/casey/just).

# Run the baseline scenario (or pass arguments: just run configs/x.toml --years 2).
run *ARGS:
    cargo run --release -- run {{ARGS}}

# The whole test suite, as CI runs it.
test:
    cargo test --workspace --locked

# Formatting and lints, as CI checks them.
lint:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets --locked -- -D warnings

# Regenerate docs/schema.md from the binary.
schema:
    cargo run --release -- schema > docs/schema.md

# Everything CI does.
ci:
    bash .ci/run
