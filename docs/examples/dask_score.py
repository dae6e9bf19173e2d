"""Score a Parquet dataset of units with Dask on a local cluster, and check the result is exactly the
single-machine one.

``discourse.scoring.batch.score_batch`` is a pure function from a table of units to four tables, so any
engine that maps a function over partitions can run it. Here the units of a corpus are written as a Parquet
dataset (one file per part, as a larger pipeline would store them), Dask reads it and scores each
partition on a worker process, and the parts are put back together in order.

    pip install 'discourse[dask]'
    python docs/examples/dask_score.py threads          # or a folder of your own pages

Prints one line per table and exits with status 1 if any table differs from scoring on one machine.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import polars as pl

from discourse import read
from discourse.schema import UNITS
from discourse.scoring.batch import ScoringConfig, score_batch
from discourse.scoring.lexicon import load_lexicon
from discourse.scoring.run import units_table


def write_dataset(units: pl.DataFrame, folder: Path, parts: int = 4) -> Path:
    """``units`` as a Parquet dataset of ``parts`` files, in order (part-000.parquet, ...)."""
    folder.mkdir(parents=True, exist_ok=True)
    size = -(-units.height // parts) or 1
    for k in range(parts):
        units.slice(k * size, size).write_parquet(folder / f"part-{k:03d}.parquet")
    return folder


def score_partition(partition) -> dict[str, pl.DataFrame]:
    """Runs on a Dask worker: a pandas partition (Arrow-backed) in, the four polars tables out."""
    units = pl.from_pandas(partition).cast(UNITS.schema)  # type: ignore[arg-type]
    return score_batch(units, ScoringConfig(load_lexicon()))  # the lexicon is loaded once per worker process


def score_with_dask(dataset: Path, workers: int = 2) -> dict[str, pl.DataFrame]:
    """Score every partition of the dataset on a local cluster of ``workers`` processes."""
    import dask
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    with LocalCluster(processes=True, n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster):
        frame = dd.read_parquet(str(dataset), dtype_backend="pyarrow")
        tasks = [dask.delayed(score_partition)(part) for part in frame.to_delayed()]
        results = dask.compute(*tasks)
    return {name: pl.concat([r[name] for r in results]) for name in results[0]}


def main(corpus: str = "threads") -> int:
    units = units_table(read(corpus))
    with tempfile.TemporaryDirectory() as tmp:
        distributed = score_with_dask(write_dataset(units, Path(tmp) / "units"))
    single = score_batch(units, ScoringConfig(load_lexicon()))
    same = True
    for name, table in single.items():
        equal = distributed[name].equals(table)
        same &= equal
        print(f"{name:<10} {table.height:>8,} rows  {'identical' if equal else 'DIFFERENT'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
