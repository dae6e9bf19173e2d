"""Write analysis tables as Parquet, CSV or NDJSON, with a ``schema.json`` describing every column.

CSV is for spreadsheets, so text cells that a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@``, tab or carriage return) get a leading apostrophe, and list columns are joined with
``; ``. Parquet and NDJSON keep values and types exactly.
"""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from discourse import schema
from discourse.errors import ConfigError

FORMATS = ("parquet", "csv", "ndjson")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


Frame = pl.DataFrame | pl.LazyFrame
F = TypeVar("F", pl.DataFrame, pl.LazyFrame)


def neutralise_formulas(df: F) -> F:
    """Prefix ``'`` to string cells a spreadsheet would evaluate; join list-of-string cells with ``; ``."""
    exprs = []
    for name, dtype in df.collect_schema().items():
        col = pl.col(name)
        if dtype == pl.List(pl.String):
            col = col.list.join("; ")
            dtype = pl.String()
        if dtype == pl.String:
            risky = functools.reduce(operator.or_, [col.str.starts_with(p) for p in _FORMULA_START])
            col = pl.when(risky).then(pl.lit("'") + col).otherwise(col)
        exprs.append(col.alias(name))
    return df.select(exprs)


def schema_document(tables: Mapping[str, Frame]) -> dict:
    """``schema.json``: for each table its description and columns (name, type, meaning) in file order."""
    known = {t.name: t for t in (*schema.TABLES.values(), schema.SCORED_COMMENTS, schema.SCORED_PARAGRAPHS)}
    out: dict = {}
    for name, df in tables.items():
        table = known.get(name)
        described = {c.name: c.description for c in table.columns} if table else {}
        out[name] = {
            "description": table.description if table else "",
            "rows": df.height if isinstance(df, pl.DataFrame) else df.select(pl.len()).collect().item(),
            "columns": [{"name": c, "type": str(t), "description": described.get(c, "")}
                        for c, t in df.collect_schema().items()],
        }
    return out


def check_format(format: str) -> None:
    """Raise :class:`ConfigError` for a format :func:`write_tables` cannot write."""
    if format not in FORMATS:
        raise ConfigError(f"unknown table format {format!r}", hint="valid formats: " + ", ".join(FORMATS))


def write_tables(tables: Mapping[str, Frame], out_dir: str | Path, format: str = "parquet") -> list[Path]:
    """Write each table to ``out_dir/<name>.<ext>`` plus ``schema.json``; returns the paths written.

    A LazyFrame is streamed to its file, never collected whole.
    """
    check_format(format)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in tables.items():
        path = out / f"{name}.{format}"
        _write_table(df, path, format)
        written.append(path)
    doc = out / "schema.json"
    doc.write_text(json.dumps(schema_document(tables), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(doc)
    return written


def _write_table(df: Frame, path: Path, format: str) -> None:
    """One table to ``path``: a LazyFrame is streamed (``sink_*``), a DataFrame written (``write_*``)."""
    writers: dict[str, Callable[..., Any]]
    if isinstance(df, pl.LazyFrame):
        lazy = neutralise_formulas(df) if format == "csv" else df
        writers = {"parquet": lazy.sink_parquet, "csv": lazy.sink_csv, "ndjson": lazy.sink_ndjson}
    else:
        eager = neutralise_formulas(df) if format == "csv" else df
        writers = {"parquet": eager.write_parquet, "csv": eager.write_csv, "ndjson": eager.write_ndjson}
    writers[format](path, **({"compression": "zstd", "statistics": False} if format == "parquet" else {}))
