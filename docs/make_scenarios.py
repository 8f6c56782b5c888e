"""Writes docs/scenarios.md from the four scenario sweeps (configs/sweeps/scenarios/).

    python3 docs/make_scenarios.py SWEEPS_DIR OUT.md

SWEEPS_DIR holds one finished sweep folder per scenario (baseline, ai-succeeds,
soft-landing, bust), each with its summary.parquet; `just scenarios` runs them into
runs/scenarios/ and calls this. For each scenario the page gives the median and the
10–90% range over the sweep's seeds of the AI index's deepest fall, the rise of
unemployment from its first month, the most regions in recession at once, lease
defaults and the principal of tranches written off.
"""

import sys
import tomllib
from pathlib import Path

import polars as pl

SCENARIOS = ["baseline", "ai-succeeds", "soft-landing", "bust"]


def outcomes(sweep: Path) -> pl.DataFrame:
    """One row per run: the outcomes the page reports."""
    summary = pl.read_parquet(sweep / "summary.parquet")
    first_unemployment = [
        pl.read_parquet(sweep / folder / "macro.parquet", columns=["unemployment_rate"])["unemployment_rate"][0]
        for folder in summary["folder"]
    ]
    return summary.select(
        (pl.col("ai_index_max_drawdown") * 100).alias("fall"),
        ((pl.col("unemployment_rate_peak") - pl.Series(first_unemployment)) * 100).alias("unemployment"),
        pl.col("most_regions_in_recession").cast(pl.Float64).alias("regions"),
        pl.col("lease_defaults").cast(pl.Float64).alias("defaults"),
        (pl.col("tranche_losses_usd") / 1e9).alias("losses"),
    )


def cell(values: pl.Series, digits: int, unit: str = "") -> str:
    """Median [10%, 90%] of a column."""
    quantile = lambda q: values.quantile(q, interpolation="linear")
    return f"{quantile(0.5):.{digits}f}{unit} [{quantile(0.1):.{digits}f}, {quantile(0.9):.{digits}f}]"


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: make_scenarios.py SWEEPS_DIR OUT.md")
    root, out = Path(sys.argv[1]), Path(sys.argv[2])
    rows = []
    seeds, years = set(), set()
    for name in SCENARIOS:
        frame = outcomes(root / name)
        seeds.add(frame.height)
        first = pl.read_parquet(root / name / "summary.parquet")["folder"][0]
        years.add(tomllib.loads((root / name / first / "config.toml").read_text())["run"]["years"])
        rows.append(
            f"| `{name}` | {cell(frame['fall'], 0, '%')} | {cell(frame['unemployment'], 1)} | "
            f"{cell(frame['regions'], 0)} | {cell(frame['defaults'], 0)} | {cell(frame['losses'], 1)} |"
        )
    runs = "/".join(str(n) for n in sorted(seeds))
    horizon = "/".join(f"{y:g}" for y in sorted(years))
    text = f"""# The scenarios over seeds

Each shipped scenario over {runs} seeds (1, 2, …), {horizon} years each: the median and, in
brackets, the 10–90% range across seeds. Written by `docs/make_scenarios.py` from the
sweeps in `configs/sweeps/scenarios/`; `just scenarios` runs them and rewrites this page
(a few minutes on two cores). What each scenario changes is in its file in `configs/`;
docs/model.md#scenarios says what each one is meant to show and where it falls short.

| scenario | AI index's deepest fall | unemployment rise (points) | most regions in recession at once | lease defaults | tranche principal written off ($B) |
|---|---|---|---|---|---|
""" + "\n".join(rows) + "\n"
    out.write_text(text)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
