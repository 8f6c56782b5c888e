"""Writes notebooks/analysis.ipynb (run it after editing the cells here: `python notebooks/make_analysis_notebook.py`)."""
import pathlib

import nbformat as nbf

nb = nbf.v4.new_notebook()
md = nbf.v4.new_markdown_cell
code = nbf.v4.new_code_cell
nb.cells = [
md("""# One run, the whole story

Opens one run folder's Parquet files and follows the story the model tells, link by link:

1. the markets — the AI and old-economy indices;
2. the Goldfarb–Kirsch bubble index and its four factors;
3. the capex-to-revenue gap;
4. GPU rent and impairments;
5. leases by status;
6. bonds and tranches: ratings and principal written off;
7. margin calls and forced sales on a timeline with the other events of the cascade;
8. GDP and unemployment.

Give it a run folder as the `run` parameter (papermill: `-p run PATH`) or in `BUBBLESIM_RUN`, or neither: the notebook then runs a short stress scenario with the binary (`cargo run --release -- run stress-lease-default --years 4`)."""),
code("""# The folder to open (papermill: `-p run PATH`); without it, $BUBBLESIM_RUN, else a short example run.
run = None""", metadata={"tags": ["parameters"]}),
code("""import json, os, subprocess, tempfile
from pathlib import Path
import polars as pl
import matplotlib.pyplot as plt

# The repository root: Jupyter starts the kernel in notebooks/.
repo = Path.cwd() if (Path.cwd() / "Cargo.toml").exists() else Path.cwd().parent
run = run or os.environ.get("BUBBLESIM_RUN")
if run:
    # A relative folder is taken from where you are, or else from the repository root.
    run = Path(run) if Path(run).is_absolute() or Path(run).exists() else repo / run
else:
    run = Path(tempfile.mkdtemp()) / "stress-lease-default"
    subprocess.run(["cargo", "run", "--release", "--quiet", "--", "run", "stress-lease-default", "--out", str(run),
                    "--years", "4", "--quiet"], cwd=repo, check=True)
manifest = json.loads((run / "manifest.json").read_text())
assert manifest["status"] == "complete", f"{run} is not a finished run"
print(f"{run}: {manifest['scenario']}, seed {manifest['seed']}, {manifest['first_date']} to {manifest['last_date']}")
pl.DataFrame({"figure": list(manifest["summary"]), "value": list(manifest["summary"].values())})"""),
md("## 1. The markets"),
code("""market = pl.read_parquet(run / "market.parquet")
indices = market.filter(pl.col("kind") == "index").with_columns(pl.col("name").cast(pl.String))
fig, axes = plt.subplots(1, 2, figsize=(13, 4))
for name, frame in indices.group_by("name", maintain_order=True):
    axes[0].plot(frame["date"].to_numpy(), 100 * frame["price_usd"] / frame["price_usd"][0], label=name[0])
axes[0].set_ylabel("first day = 100"); axes[0].legend(); axes[0].set_title("AI index and the old economy")
ai = indices.filter(pl.col("name") == "ai-index")
axes[1].fill_between(ai["date"].to_numpy(), -100 * ai["drawdown"].to_numpy(), 0, alpha=0.4)
axes[1].set_ylabel("% below the highest close so far"); axes[1].set_title("AI index drawdown")
plt.tight_layout(); plt.show()
print(f"deepest fall: {ai['drawdown'].max():.1%}")"""),
md("## 2. The bubble index and its four factors"),
code("""bubble = pl.read_parquet(run / "bubble.parquet")
factors = ["uncertainty", "pure_plays", "novice_investors", "narrative"]
fig, ax = plt.subplots(figsize=(12, 3.5))
ax.stackplot(bubble["date"].to_numpy(), *[bubble[f].to_numpy() for f in factors], labels=factors, step="post")
ax.set_ylim(0, 8); ax.set_ylabel("score (0–8)"); ax.legend(loc="upper right", fontsize=8)
ax.set_title("Goldfarb–Kirsch bubble index"); plt.show()"""),
md("## 3. The capex-to-revenue gap"),
code("""fig, axes = plt.subplots(1, 2, figsize=(13, 4))
dates = bubble["date"].to_numpy()
axes[0].plot(dates, bubble["ai_capex_usd_per_year"].to_numpy() / 1e9, label="AI capex")
axes[0].plot(dates, bubble["ai_revenue_usd_per_year"].to_numpy() / 1e9, label="AI revenue")
axes[0].set_ylabel("$B a year"); axes[0].legend(); axes[0].set_title("What is spent against what comes in")
axes[1].plot(dates, bubble["capex_to_revenue"].to_numpy())
axes[1].set_ylabel("capex / revenue"); axes[1].set_title("The gap as a ratio")
plt.tight_layout(); plt.show()"""),
md("## 4. GPU rent and impairments"),
code("""compute = pl.read_parquet(run / "compute.parquet")
events = pl.read_parquet(run / "events.parquet").with_columns(pl.col("kind").cast(pl.String))
impairments = events.filter(pl.col("kind") == "impairment").sort("sequence")
fig, axes = plt.subplots(1, 2, figsize=(13, 4))
axes[0].plot(compute["date"].to_numpy(), compute["rent_usd_per_h100_hour"].to_numpy(), label="market rent")
axes[0].plot(compute["date"].to_numpy(), compute["cost_based_rent_usd_per_h100_hour"].to_numpy(), "--", label="cost-based rent")
axes[0].set_ylabel("$ per H100-hour"); axes[0].legend(); axes[0].set_title("GPU rent")
axes[1].step(impairments["date"].to_numpy(), impairments["amount_usd"].cum_sum().to_numpy() / 1e9, where="post")
axes[1].set_ylabel("$B, cumulative"); axes[1].set_title("GPU impairments")
plt.tight_layout(); plt.show()"""),
md("## 5. Leases by status"),
code("""leases = pl.read_parquet(run / "leases.parquet").with_columns(pl.col("status").cast(pl.String))
status = leases.group_by("date", "status").len().pivot(on="status", index="date", values="len").fill_null(0).sort("date")
fig, ax = plt.subplots(figsize=(12, 3.5))
for column in [c for c in status.columns if c != "date"]:
    ax.plot(status["date"].to_numpy(), status[column].to_numpy(), label=column)
ax.set_ylabel("leases"); ax.legend(); ax.set_title("Leases by status"); plt.show()"""),
md("## 6. Bonds and tranches: ratings and losses"),
code("""securities = pl.read_parquet(run / "securities.parquet").with_columns(pl.col("rating").cast(pl.String), pl.col("kind").cast(pl.String))
order = ["AAA", "AA", "A", "BBB", "BB", "B", "CCC/C", "NR"]
# Securities stay in the table after they are repaid or written off: count the live ones,
# by their principal outstanding.
live = securities.filter(pl.col("status").cast(pl.String).is_in(["performing", "impaired"]))
ratings = (live.group_by("date", "rating").agg((pl.col("principal_usd").sum() / 1e9).alias("usd_bn"))
           .pivot(on="rating", index="date", values="usd_bn").fill_null(0).sort("date"))
present = [r for r in order if r in ratings.columns]
fig, axes = plt.subplots(1, 2, figsize=(13, 4))
if present:
    axes[0].stackplot(ratings["date"].to_numpy(), *[ratings[r].to_numpy() for r in present], labels=present, step="post")
    axes[0].legend(fontsize=7, ncol=2)
axes[0].set_ylabel("$B of principal outstanding"); axes[0].set_title("Bonds and tranches outstanding, by rating")
losses = securities.group_by("date", "kind").agg(pl.col("realised_loss_usd").sum()).pivot(on="kind", index="date", values="realised_loss_usd").fill_null(0).sort("date")
for column in [c for c in losses.columns if c != "date"]:
    axes[1].plot(losses["date"].to_numpy(), losses[column].to_numpy() / 1e9, label=column)
axes[1].set_ylabel("$B written off"); axes[1].legend(fontsize=8); axes[1].set_title("Principal written off, by kind")
plt.tight_layout(); plt.show()"""),
md("## 7. The cascade on a timeline: margin calls, forced sales and what came before them"),
code("""cascade = ["shock", "lease_rent_cut", "lease_break", "lease_default", "spv_default", "rating_downgrade",
           "tranche_loss", "margin_call", "forced_sale", "fund_failure"]
timeline = events.filter(pl.col("kind").is_in(cascade))
fig, ax = plt.subplots(figsize=(12, 4))
for row, kind in enumerate(cascade):
    frame = timeline.filter(pl.col("kind") == kind)
    sizes = (frame["amount_usd"].fill_null(0).to_numpy() / 1e8).clip(4, 300) if frame.height else []
    ax.scatter(frame["date"].to_numpy(), [row] * frame.height, s=sizes, alpha=0.5)
ax.set_yticks(range(len(cascade)), cascade); ax.set_title("Events (dot size: dollars involved)")
plt.tight_layout(); plt.show()
# Amounts add up only for losses and flows (a rent, a price or the principal at each
# downgrade does not).
additive = ["tranche_loss", "margin_call", "forced_sale", "fund_failure"]
first = timeline.group_by("kind").agg(pl.col("date").min().alias("first"), pl.len().alias("count"),
                                      (pl.col("amount_usd").sum() / 1e9).alias("usd_bn_in_all")).sort("first")
first.with_columns(pl.when(pl.col("kind").is_in(additive)).then(pl.col("usd_bn_in_all")))"""),
code("""# Why institutions sold: the forced sales' reasons and their dollars.
sales = events.filter(pl.col("kind") == "forced_sale")
if sales.height:
    print(sales.group_by(pl.col("detail").str.split(":").list.first().alias("reason")).agg(
        pl.len().alias("sales"), (pl.col("amount_usd").sum() / 1e9).alias("usd_bn")).sort("usd_bn", descending=True))
else:
    print("no forced sales in this run")"""),
md("## 8. GDP and unemployment"),
code("""macro = pl.read_parquet(run / "macro.parquet")
dates = macro["date"].to_numpy()
fig, axes = plt.subplots(1, 2, figsize=(13, 4))
axes[0].plot(dates, 100 * macro["gdp_growth_yoy"].fill_null(float("nan")).to_numpy(), label="GDP growth, year on year")
axes[0].plot(dates, 100 * macro["ai_share_of_gdp"].to_numpy(), label="AI investment, share of GDP")
axes[0].axhline(0, color="grey", lw=0.5); axes[0].set_ylabel("%"); axes[0].legend(); axes[0].set_title("GDP")
axes[1].plot(dates, 100 * macro["unemployment_rate"].to_numpy())
axes[1].set_ylabel("% of the labour force"); axes[1].set_title("Unemployment")
plt.tight_layout(); plt.show()
print(f"unemployment {macro['unemployment_rate'][0]:.1%} → peak {macro['unemployment_rate'].max():.1%}")"""),
]
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbf.write(nb, pathlib.Path(__file__).with_name("analysis.ipynb"))
