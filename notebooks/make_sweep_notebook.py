"""Writes notebooks/sweep.ipynb (run it after editing the cells here: `python notebooks/make_sweep_notebook.py`)."""
import pathlib

import nbformat as nbf

nb = nbf.v4.new_notebook()
md = nbf.v4.new_markdown_cell
code = nbf.v4.new_code_cell
nb.cells = [
md("""# A sweep: how outcomes change with a parameter

Opens a sweep folder (`bubblesim sweep`, see `docs/sweeps.md`): its `summary.parquet` (one row per run: the parameters, the seed, the headline outcomes) and, across every run, the traces, read as one table per kind with the swept parameters as columns.

1. each headline outcome against the first swept parameter, one dot per run, the mean over seeds as a line (one line per combination of the other swept parameters);
2. fan charts over seeds: the AI index and unemployment through time for each value of the parameter (median, and the band from the lowest to the highest seed), with the other swept parameters held at their middle values;
3. a table of the mean outcomes by parameter values.

Give it a sweep folder as the `sweep` parameter (papermill: `-p sweep PATH`) or in `BUBBLESIM_SWEEP`, or neither: the notebook then runs a small sweep with the binary (three herding weights × three seeds, two years each)."""),
code("""# The folder to open (papermill: `-p sweep PATH`); without it, $BUBBLESIM_SWEEP, else a short example run.
sweep = None""", metadata={"tags": ["parameters"]}),
code("""import json, os, subprocess, tempfile
from pathlib import Path
import polars as pl
import matplotlib.pyplot as plt

repo = Path.cwd() if (Path.cwd() / "Cargo.toml").exists() else Path.cwd().parent
sweep = sweep or os.environ.get("BUBBLESIM_SWEEP")
if sweep:
    sweep = Path(sweep) if Path(sweep).is_absolute() or Path(sweep).exists() else repo / sweep
else:
    work = Path(tempfile.mkdtemp())
    (work / "herding.toml").write_text('''
[sweep]
description = "three herding weights, three seeds, two years"
seeds = 3
[set]
run.years = 2.0
[[param]]
key = "retail.herding_weight"
name = "herding"
values = [0.3, 0.6, 0.9]
''')
    sweep = work / "herding"
    subprocess.run(["cargo", "run", "--release", "--quiet", "--", "sweep", str(work / "herding.toml"), "--out", str(sweep), "--quiet"],
                   cwd=repo, check=True)
plan = json.loads((sweep / "sweep.json").read_text())
params = [p["name"] for p in plan["params"]]
summary = pl.read_parquet(sweep / "summary.parquet")
# A sweep of seeds alone is plotted against the seed.
param, others = (params[0], params[1:]) if params else ("seed", [])
# The other parameters' middle values, for the fan charts.
middle = {o: sorted(summary[o].unique().to_list())[summary[o].n_unique() // 2] for o in others}
print(f"{sweep}: sweep {plan['sweep']!r}, {summary.height} of {len(plan['runs'])} runs summarised; "
      f"parameters {params or ['(seeds only)']}, plotted against {param!r}" + (f"; fans hold {middle}" if middle else ""))
summary.head()"""),
md("## 1. Outcomes against the parameter"),
code("""outcomes = [("ai_index_max_drawdown", "AI index, deepest fall", 100, "%"),
            ("bubble_index_highest", "bubble index, highest", 1, "score 0–8"),
            ("unemployment_rate_peak", "unemployment, peak", 100, "%"),
            ("lease_defaults", "lease defaults", 1, "count"),
            ("downgrades", "rating downgrades", 1, "count"),
            ("forced_sales_usd", "forced sales", 1e-9, "$B")]
# Means over seeds, one line per combination of the other parameters (up to six of them).
groups = summary.select(others).unique().sort(others).rows(named=True) if others else [{}]
if len(groups) > 6:
    groups = [{}]  # too many to draw: one line, the mean over seeds and the other parameters
fig, axes = plt.subplots(2, 3, figsize=(14, 7))
for ax, (column, title, scale, unit) in zip(axes.flat, outcomes):
    ax.scatter(summary[param].to_numpy(), summary[column].cast(pl.Float64).to_numpy() * scale, alpha=0.4, s=18, color="grey", label="one run")
    for group in groups:
        subset = summary.filter(*[pl.col(k) == v for k, v in group.items()]) if group else summary
        means = subset.group_by(param).agg(pl.col(column).cast(pl.Float64).mean()).sort(param)
        label = ", ".join(f"{k}={v}" for k, v in group.items()) or ("mean over seeds" if not others else "mean over seeds and the others")
        ax.plot(means[param].to_numpy(), means[column].to_numpy() * scale, "-o", ms=3, label=label)
    ax.set_title(title); ax.set_xlabel(param); ax.set_ylabel(unit)
axes.flat[0].legend(fontsize=7)
plt.tight_layout(); plt.show()"""),
md("## 2. Fan charts over seeds"),
code("""# Every run's market and macro tables at once; the parameters and the seed are columns.
# Fans vary the first parameter and the seed; the others are held at their middle values.
held = [pl.col(o) == v for o, v in middle.items()]
run_keys = list(dict.fromkeys([*params, "seed"]))
market = pl.scan_parquet(f"{sweep}/**/market.parquet", hive_partitioning=True)
ai = (market.filter(pl.col("name").cast(pl.String) == "ai-index", *held)
      .select(*run_keys, "date", "price_usd").sort("date").collect())
ai = ai.with_columns((100 * pl.col("price_usd") / pl.col("price_usd").first().over(run_keys)).alias("index"))
macro = (pl.scan_parquet(f"{sweep}/**/macro.parquet", hive_partitioning=True).filter(*held)
         .select(*run_keys, "date", (100 * pl.col("unemployment_rate")).alias("unemployment")).collect())

def fan(ax, frame, column, title, unit):
    values = sorted(frame[param].unique().to_list())
    colours = plt.cm.viridis([i / max(len(values) - 1, 1) for i in range(len(values))])
    for value, colour in zip(values, colours):
        band = (frame.filter(pl.col(param) == value).group_by("date")
                .agg(pl.col(column).median().alias("median"), pl.col(column).min().alias("low"), pl.col(column).max().alias("high"))
                .sort("date"))
        dates = band["date"].to_numpy()
        ax.fill_between(dates, band["low"].to_numpy(), band["high"].to_numpy(), color=colour, alpha=0.2)
        ax.plot(dates, band["median"].to_numpy(), color=colour, label=f"{param} = {value}")
        held_text = ", ".join(f"{k}={v}" for k, v in middle.items())
    ax.set_title(title + (f"\\n({held_text})" if held_text else "")); ax.set_ylabel(unit); ax.legend(fontsize=8)

fig, axes = plt.subplots(1, 2, figsize=(14, 4.5))
fan(axes[0], ai, "index", "AI index: median and the range over seeds", "first day = 100")
fan(axes[1], macro, "unemployment", "Unemployment: median and the range over seeds", "% of the labour force")
plt.tight_layout(); plt.show()"""),
md("## 3. Mean outcomes by parameter value"),
code("""table = summary.group_by(params or ["seed"]).agg(
    pl.len().alias("runs"),
    (100 * pl.col("ai_index_max_drawdown").mean()).round(1).alias("deepest fall, %"),
    (100 * pl.col("ai_index_max_drawdown").std()).round(1).alias("sd over seeds, pts"),
    pl.col("bubble_index_highest").cast(pl.Float64).mean().round(2).alias("bubble index, highest"),
    (100 * pl.col("unemployment_rate_peak").mean()).round(2).alias("unemployment peak, %"),
    pl.col("lease_defaults").cast(pl.Float64).mean().round(1).alias("lease defaults"),
    pl.col("downgrades").cast(pl.Float64).mean().round(1).alias("downgrades"),
).sort(params or ["seed"])
table"""),
]
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbf.write(nb, pathlib.Path(__file__).with_name("sweep.ipynb"))
