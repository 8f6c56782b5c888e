"""Reads a sweep folder the way users do, as one table per kind with the swept
parameters as columns, in DuckDB, polars and pyarrow, and checks they agree.

    python tests/python/check_sweep_dataset.py SWEEP_FOLDER

.ci/run runs it on a fresh local sweep (configs/sweeps/retail-herding.toml, shortened).
"""

import json
import sys
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.dataset as ds
import pyarrow.parquet as pq

folder = Path(sys.argv[1])
plan = json.loads((folder / "sweep.json").read_text())
params = [p["name"] for p in plan["params"]]
runs = len(plan["runs"])
summary = pl.read_parquet(folder / "summary.parquet")
assert summary.height == runs, (summary.height, runs)
for column in params + ["seed", "ai_index_max_drawdown", "lease_defaults", "downgrades",
                        "bubble_index_highest", "unemployment_rate_peak"]:
    assert column in summary.columns, column

# DuckDB: one query over every run's market table, the parameters as columns.
market = duckdb.sql(
    f"SELECT * FROM read_parquet('{folder}/**/market.parquet', hive_partitioning = true)"
).pl()
for column in params + ["seed"]:
    assert column in market.columns, (column, market.columns)
per_run = duckdb.sql(
    f"""SELECT {", ".join(params)}, seed, count(*) AS rows, min(price_usd) AS low
        FROM read_parquet('{folder}/**/market.parquet', hive_partitioning = true)
        WHERE kind = 'index' GROUP BY ALL ORDER BY ALL"""
).pl()
assert per_run.height == runs, per_run

# polars: the same table, lazily, from the same glob.
lazy = pl.scan_parquet(f"{folder}/**/market.parquet", hive_partitioning=True)
polars_market = lazy.collect()
assert polars_market.height == market.height, (polars_market.height, market.height)
for column in params + ["seed"]:
    assert column in polars_market.columns, column
    assert polars_market[column].dtype.is_numeric(), (column, polars_market[column].dtype)

# pyarrow: a dataset over the run folders' files of one kind.
files = sorted(str(p) for p in folder.glob("**/market.parquet"))
dataset = ds.dataset(files, format="parquet", partitioning=ds.partitioning(flavor="hive"),
                     partition_base_dir=str(folder))
table = dataset.to_table()
assert table.num_rows == market.height, (table.num_rows, market.height)
for column in params + ["seed"]:
    assert column in table.column_names, column

# The swept parameter changed the outcome: outcomes differ across its values.
first = params[0]
by_value = summary.group_by(first).agg(pl.col("ai_index_max_drawdown").mean()).sort(first)
assert by_value.height >= 2 and by_value["ai_index_max_drawdown"].n_unique() >= 2, by_value
print(by_value)

# The runs' files still carry their own config in the metadata.
meta = pq.ParquetFile(files[0]).metadata.metadata
assert b"bubblesim.config" in meta
print(f"{folder}: {runs} runs; market {market.height} rows with columns {params + ['seed']} in DuckDB, polars and pyarrow")
