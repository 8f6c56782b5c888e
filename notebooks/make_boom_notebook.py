"""Writes notebooks/boom.ipynb (run it after editing the cells here: `python notebooks/make_boom_notebook.py`)."""
import nbformat as nbf
nb = nbf.v4.new_notebook()
md = nbf.v4.new_markdown_cell
code = nbf.v4.new_code_cell
nb.cells = [
md("""# The boom: the bubble index, the circular money and the real economy

Reads one run folder's Parquet files and shows

1. the Goldfarb–Kirsch bubble index — its four factors over time and the raw inputs behind them (`bubble.parquet`);
2. the circular money — the chipmaker → lab → cloud → chipmaker loop, leg by leg (`flows.parquet`), and how much of each firm's revenue came back around it (`firms.parquet`);
3. the real economy — GDP and the AI share of it and of its growth, unemployment and displaced workers, regions in or near recession, data-centre power against the grid (`macro.parquet`, `regions.parquet`), and the stock–flow accounts with their residual (`accounts.parquet`).

Set `BUBBLESIM_RUN` to a run folder, or leave it unset: the notebook then runs a short baseline with the binary (`cargo run --release -- run`)."""),
code("""import os, subprocess, tempfile
from pathlib import Path
import polars as pl
import matplotlib.pyplot as plt

# The repository root: Jupyter starts the kernel in notebooks/.
repo = Path.cwd() if (Path.cwd() / "Cargo.toml").exists() else Path.cwd().parent
run = os.environ.get("BUBBLESIM_RUN")
if run:
    # A relative folder is taken from where you are, or else from the repository root.
    run = Path(run) if Path(run).is_absolute() or Path(run).exists() else repo / run
else:
    run = Path(tempfile.mkdtemp()) / "baseline"
    subprocess.run(["cargo", "run", "--release", "--quiet", "--", "run", "--out", str(run), "--years", "8", "--quiet"],
                   cwd=repo, check=True)
print("run folder:", run)"""),
md("## 1. The bubble index and its four factors"),
code("""bubble = pl.read_parquet(run / "bubble.parquet")
factors = ["uncertainty", "pure_plays", "novice_investors", "narrative"]
fig, ax = plt.subplots(figsize=(10, 4))
ax.stackplot(bubble["date"].to_numpy(), *[bubble[f].to_numpy() for f in factors], labels=factors, step="post")
ax.set_ylim(0, 8); ax.set_ylabel("score (0–8)"); ax.set_title("Goldfarb–Kirsch bubble index")
ax.legend(loc="upper right", fontsize=8)
plt.show()
print("first day:", bubble.row(0, named=True)["total"], "/ 8")
bubble.group_by(pl.col("date").dt.year().alias("year")).agg([pl.col(f).mean().round(2) for f in ["total", *factors]]).sort("year")"""),
code("""inputs = ["forecast_dispersion", "capex_to_revenue", "ai_capital_share", "retail_ownership_share", "novice_share", "hype"]
fig, axes = plt.subplots(2, 3, figsize=(12, 5), sharex=True)
for ax, name in zip(axes.flat, inputs):
    ax.plot(bubble["date"].to_numpy(), bubble[name].to_numpy(), lw=0.8)
    ax.set_title(name, fontsize=9)
fig.suptitle("The raw inputs beside the scores")
fig.tight_layout(); plt.show()"""),
md("## 2. The circular money"),
code("""flows = pl.read_parquet(run / "flows.parquet")
loop = flows.filter(pl.col("circular"))
legs = loop.group_by("kind", "from_name", "to_name").agg(pl.col("amount_usd").sum().alias("usd"), pl.len().alias("payments")).sort("kind")
print(legs)
quarterly = (loop.with_columns(pl.col("date").dt.truncate("1q").alias("quarter"))
             .group_by("quarter", "kind").agg((pl.col("amount_usd").sum() / 1e9).alias("usd_bn"))
             .pivot(on="kind", index="quarter", values="usd_bn").fill_null(0).sort("quarter"))
fig, ax = plt.subplots(figsize=(10, 4))
bottom = None
for kind in [c for c in quarterly.columns if c != "quarter"]:
    values = quarterly[kind].to_numpy()
    ax.bar(quarterly["quarter"].to_numpy(), values, width=80, bottom=bottom, label=kind)
    bottom = values if bottom is None else bottom + values
ax.set_ylabel("$B per quarter"); ax.set_title("Legs of the loop"); ax.legend(fontsize=8)
plt.show()"""),
code("""# How much of each firm's revenue came back around the loop, and how much of the lab's equity.
firms = pl.read_parquet(run / "firms.parquet")
# The first recorded day of each month carries the month just closed.
monthly = (firms.sort("date")
           .group_by("name", pl.col("date").dt.strftime("%Y-%m").alias("month"), maintain_order=True)
           .agg(pl.col("revenue_last_month_usd").first()))
# Names are dictionary-encoded in each file: compare them as plain strings across files.
revenue = monthly.group_by(pl.col("name").cast(pl.String)).agg(pl.col("revenue_last_month_usd").sum().alias("revenue_usd"))
# Revenue legs: the contract's payments to the cloud and the GPUs the chipmaker sold for it.
# (The capacity's market rent passed back to the lab lowers the lab's compute cost.)
revenue_legs = loop.filter(pl.col("kind").is_in(["take_or_pay", "gpu_purchase"]))
received = revenue_legs.group_by(pl.col("to_name").cast(pl.String).alias("name"), "kind").agg(pl.col("amount_usd").sum().alias("from_loop_usd"))
print(received.join(revenue, on="name", how="left")
      .with_columns((pl.col("from_loop_usd") / pl.col("revenue_usd")).alias("share_of_revenue")).sort("name"))
equity = flows.filter(pl.col("kind").is_in(["chip_investment", "venture_round"]))
raised = equity.group_by(pl.col("to_name").alias("lab")).agg(
    pl.col("amount_usd").sum().alias("equity_raised_usd"),
    pl.col("amount_usd").filter(pl.col("circular")).sum().alias("from_the_chipmaker_usd"))
print(raised.with_columns((pl.col("from_the_chipmaker_usd") / pl.col("equity_raised_usd")).alias("share_from_the_chipmaker")).sort("lab"))
back = loop.filter(pl.col("kind") == "capacity_rent")["amount_usd"].sum()
print(f"take-or-pay passed back to the lab as its capacity's market rent: {back / loop.filter(pl.col('kind') == 'take_or_pay')['amount_usd'].sum():.1%}")
gpu = flows.filter(pl.col("kind") == "gpu_purchase")
print(f"share of the chipmaker's GPU sales bought for the loop: {gpu.filter(pl.col('circular'))['amount_usd'].sum() / gpu['amount_usd'].sum():.1%}")"""),
md("## 3. The real economy and the accounts"),
code("""macro = pl.read_parquet(run / "macro.parquet")
dates = macro["date"].to_numpy()
fig, axes = plt.subplots(2, 2, figsize=(12, 7), sharex=True)
axes[0, 0].plot(dates, macro["gdp_usd_per_year"].to_numpy() / 1e12, label="GDP")
axes[0, 0].plot(dates, macro["trend_gdp_usd_per_year"].to_numpy() / 1e12, "--", label="trend")
axes[0, 0].set_ylabel("$T a year"); axes[0, 0].legend(); axes[0, 0].set_title("GDP")
axes[0, 1].plot(dates, 100 * macro["ai_share_of_gdp"].to_numpy(), label="AI investment, % of GDP")
axes[0, 1].plot(dates, 100 * macro["ai_contribution_to_growth_yoy"].fill_null(float("nan")).to_numpy(), label="AI's contribution to growth, points")
axes[0, 1].plot(dates, 100 * macro["gdp_growth_yoy"].fill_null(float("nan")).to_numpy(), label="GDP growth, %")
axes[0, 1].legend(fontsize=8); axes[0, 1].set_title("AI in GDP and its growth (year on year)")
axes[1, 0].plot(dates, 100 * macro["unemployment_rate"].to_numpy(), label="unemployment, %")
axes[1, 0].plot(dates, macro["displaced_workers"].to_numpy() / 1e6, label="displaced by AI, millions")
axes[1, 0].legend(fontsize=8); axes[1, 0].set_title("Labour")
axes[1, 1].plot(dates, macro["datacenter_connected_gw"].to_numpy(), label="data centres connected")
axes[1, 1].plot(dates, macro["gpu_power_draw_gw"].to_numpy(), label="GPU power draw")
axes[1, 1].plot(dates, macro["grid_capacity_gw"].to_numpy(), "--", label="grid capacity for them")
axes[1, 1].set_ylabel("GW"); axes[1, 1].legend(fontsize=8); axes[1, 1].set_title("Power")
plt.tight_layout(); plt.show()"""),
code("""# Regions in or near recession each quarter (the article's anchor: 22 of 50 states in 2025).
regions = pl.read_parquet(run / "regions.parquet")
counts = (regions.group_by("date").agg(pl.col("in_recession").sum().alias("in_recession"),
                                       pl.col("near_recession").sum().alias("near_recession")).sort("date"))
fig, ax = plt.subplots(figsize=(10, 3))
ax.bar(counts["date"].to_numpy(), counts["in_recession"].to_numpy(), width=60, label="in recession")
ax.bar(counts["date"].to_numpy(), counts["near_recession"].to_numpy(), width=60,
       bottom=counts["in_recession"].to_numpy(), label="near recession")
ax.set_ylabel("regions of 50"); ax.legend(); plt.show()
# The chipmaker against the carmaker (≈ 94 in October 2025).
print(macro.select("date", "chipmaker_to_carmaker_cap").filter(pl.col("date").dt.month() == 10))"""),
code("""# Stock-flow accounts: each sector's money and the residual, which must stay at zero.
accounts = pl.read_parquet(run / "accounts.parquet")
sectors = ["households", "firms", "sponsors", "funds"]
fig, ax = plt.subplots(figsize=(10, 4))
for sector in sectors:
    ax.plot(accounts["date"].to_numpy(), accounts[f"{sector}_cash_usd"].to_numpy() / 1e9, label=sector)
ax.plot(accounts["date"].to_numpy(), accounts["rest_of_economy_cash_usd"].to_numpy() / 1e9, label="rest of the economy")
ax.set_ylabel("money, $B"); ax.legend(fontsize=8); plt.show()
total = sum(accounts[f"{sector}_cash_usd"] for sector in sectors) + accounts["rest_of_economy_cash_usd"]
print(f"largest |residual| recorded: ${accounts['money_residual_usd'].abs().max():.4f}; "
      f"sum of the sectors' money recomputed here: ${total.abs().max():,.2f} at most (float sums of trillions)")"""),
]
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
import pathlib
nbf.write(nb, pathlib.Path(__file__).with_name("boom.ipynb"))
