"""Write analysis tables as Parquet, CSV or NDJSON with their schema, and read any such export back.

Beside the tables an export holds ``schema.json`` (each table's description, row count, file and columns
with their Table Schema types) and, for CSV and NDJSON, a Frictionless ``datapackage.json`` (Tabular Data
Package, https://specs.frictionlessdata.io/) that tells other tools the type of every column, so that ids
such as ``000`` stay strings and dates stay dates. Every table is written, an empty one included: a CSV
keeps its header; an NDJSON file of an empty table is empty (the format has no header), its columns are in
the two descriptors.

CSV is for spreadsheets, so a text cell that a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@`` or their fullwidth forms ``＝＋－＠``, tab or carriage return, after any apostrophes and
any whitespace, no-break, zero-width spaces or byte order mark) gets one leading apostrophe, and list
columns are joined with ``"; "`` (an empty list is ``""``, a missing one an empty cell).
:func:`read_export` takes the apostrophe off again. Parquet and NDJSON keep values and types exactly; Parquet
files carry column statistics, so engines can skip row groups.

>>> tables = read_export("export")                      # doctest: +SKIP
>>> tables["articles"].schema["article_id"]             # doctest: +SKIP
String
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from discourse import schema
from discourse.errors import ConfigError, InputError

FORMATS = ("parquet", "csv", "ndjson")
# apostrophes, then any blanks a spreadsheet skips (whitespace, no-break and zero-width spaces, a byte order
# mark), then a formula start (ASCII or fullwidth = + - @, tab, carriage return): such a cell gets one more
# apostrophe, so the escape can be undone
_BLANKS = "\\s\u200b\u200c\u200d\u2060\ufeff"
_STARTS = "=+\\-@\\t\\r\uff1d\uff0b\uff0d\uff20"
_RISKY = f"^'*[{_BLANKS}]*[{_STARTS}]"
_ESCAPED = f"^'+[{_BLANKS}]*[{_STARTS}]"
_RISKY_RE = re.compile(_RISKY)
_MEDIA = {"csv": "text/csv", "ndjson": "application/x-ndjson", "parquet": "application/vnd.apache.parquet"}
#: unique keys of the exported tables (Table Schema ``primaryKey``)
PRIMARY_KEYS = {"articles": "article_id", "paragraphs": "paragraph_id", "comments": "comment_id",
                "sentences": "sentence_id"}
#: tables whose ``article_id`` names a row of ``articles`` (Table Schema ``foreignKeys``)
ARTICLE_KEYED = ("paragraphs", "comments", "sentences", "tags", "mentions", "actor_sentiment", "edges", "threads")
DESCRIPTORS = ("schema.json", "datapackage.json")

Frame = pl.DataFrame | pl.LazyFrame
F = TypeVar("F", pl.DataFrame, pl.LazyFrame)


def neutralise_formulas(df: F) -> F:
    """Prefix ``'`` to string cells a spreadsheet would evaluate; join list-of-string cells with ``; ``."""
    exprs = []
    for name, dtype in df.collect_schema().items():
        col = pl.col(name)
        if dtype == pl.List(pl.String):
            col = col.list.join(schema.LIST_DELIMITER)
            dtype = pl.String()
        if dtype == pl.String:
            col = pl.when(col.str.contains(_RISKY)).then(pl.lit("'") + col).otherwise(col)
        exprs.append(col.alias(name))
    return df.select(exprs)


def neutralised(value: str | None) -> str | None:
    """One cell as :func:`neutralise_formulas` writes it: ``'`` before text a spreadsheet would evaluate.

    >>> neutralised("=HYPERLINK(1)"), neutralised("\u00a0+1"), neutralised("plain")
    ("'=HYPERLINK(1)", "'\xa0+1", 'plain')
    """
    return "'" + value if value and _RISKY_RE.match(value) else value


def restore_formulas(col: pl.Expr) -> pl.Expr:
    """Undo :func:`neutralise_formulas` on a string column: drop the apostrophe it added."""
    return pl.when(col.str.contains(_ESCAPED)).then(col.str.slice(1)).otherwise(col)


def _declared(name: str, columns: Mapping[str, pl.DataType]) -> schema.Table | None:
    """The registered table of this name when the columns are exactly its columns."""
    known = schema.EXPORTED.get(name) or schema.TABLES.get(name)
    return known if known is not None and dict(known.schema) == dict(columns) else None


def _rows(df: Frame) -> int:
    return df.height if isinstance(df, pl.DataFrame) else int(df.select(pl.len()).collect().item())


def _fields(name: str, columns: Mapping[str, pl.DataType], format: str) -> list[dict]:
    table = _declared(name, columns)
    described = {c.name: c.description for c in table.columns} if table else {}
    return [schema.field(c, t, described.get(c, ""), format=format) for c, t in columns.items()]


def schema_document(tables: Mapping[str, Frame], format: str = "parquet") -> dict:
    """``schema.json``: for each table its description, rows, file and columns (name, Table Schema type,
    polars type, meaning) in file order."""
    out: dict = {}
    for name, df in tables.items():
        columns = df.collect_schema()
        table = _declared(name, columns)
        fields = _fields(name, columns, format)
        for f, dtype in zip(fields, columns.values()):
            f["polars_type"] = str(dtype)
        out[name] = {"description": table.description if table else "", "rows": _rows(df),
                     "file": f"{name}.{format}", "columns": fields}
    return out


def datapackage(tables: Mapping[str, Frame], format: str) -> dict:
    """The Frictionless Tabular Data Package descriptor of a CSV or NDJSON export."""
    resources = []
    for name, df in tables.items():
        columns = df.collect_schema()
        table = _declared(name, columns)
        table_schema: dict = {"fields": _fields(name, columns, format), "missingValues": [""]}
        if name in PRIMARY_KEYS and PRIMARY_KEYS[name] in columns:
            table_schema["primaryKey"] = [PRIMARY_KEYS[name]]
        if name in ARTICLE_KEYED and "article_id" in columns and "articles" in tables:
            table_schema["foreignKeys"] = [{"fields": ["article_id"],
                                            "reference": {"resource": "articles", "fields": ["article_id"]}}]
        resource: dict[str, Any] = {"name": name, "path": f"{name}.{format}", "profile": "tabular-data-resource",
                    "format": format, "mediatype": _MEDIA[format], "encoding": "utf-8"}
        if table:
            resource["description"] = table.description
        if format == "csv":
            resource["dialect"] = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True,
                                   "lineTerminator": "\n"}
        resource["schema"] = table_schema
        resources.append(resource)
    return {"profile": "tabular-data-package", "name": "discourse-export",
            "title": "Tables written by discourse export", "resources": resources}


def check_format(format: str) -> None:
    """Raise :class:`ConfigError` for a format :func:`write_tables` cannot write."""
    if format not in FORMATS:
        raise ConfigError(f"unknown table format {format!r}", hint="valid formats: " + ", ".join(FORMATS))


def _dump(path: Path, obj: dict) -> None:
    path.write_text(json.dumps(obj, indent=1, ensure_ascii=False) + "\n", encoding="utf-8", newline="\n")


def write_tables(tables: Mapping[str, Frame], out_dir: str | Path, format: str = "parquet", *,
                 release: bool = False) -> list[Path]:
    """Write each table to ``out_dir/<name>.<ext>`` plus ``schema.json`` (and ``datapackage.json`` for CSV
    and NDJSON); returns the paths written, tables in the order given.

    A LazyFrame is streamed to its file, never collected whole. With ``release`` the caller hands the tables
    over (``tables`` is a dict it no longer needs): each is taken out of it as it is written, the tables in
    memory smallest first and the streamed ones last, so that a table's memory is freed once its file is
    written and the largest is written with nothing else held. The files are the same either way.
    """
    check_format(format)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    names = list(tables)
    descriptors = {"schema.json": schema_document(tables, format)}
    if format != "parquet":
        descriptors["datapackage.json"] = datapackage(tables, format)
    if release:
        if not isinstance(tables, dict):
            raise TypeError("write_tables(release=True) takes the tables as a dict, which it empties")
        for name in _release_order(tables):
            # popped into the call: the writer holds the only reference, and drops it once it has a copy
            _write_table(tables.pop(name), out / f"{name}.{format}", format, owned=True)
    else:
        for name in names:
            _write_table(tables[name], out / f"{name}.{format}", format)
    for file, doc in descriptors.items():
        _dump(out / file, doc)
    return [out / f"{name}.{format}" for name in names] + [out / file for file in descriptors]


def _release_order(tables: Mapping[str, Frame]) -> list[str]:
    """The tables in memory by size, smallest first, then the streamed ones in the order given."""
    eager = sorted((n for n, df in tables.items() if isinstance(df, pl.DataFrame)),
                   key=lambda n: tables[n].estimated_size())  # type: ignore[union-attr]
    return eager + [n for n, df in tables.items() if not isinstance(df, pl.DataFrame)]


def _compact(df: pl.DataFrame) -> pl.DataFrame:
    """``df`` with one chunk per column and its list columns copied out of any longer arrays they are views
    into: Parquet pages follow chunks, and a list view writes other bytes than its copy, so the same values
    always make the same file."""
    lists = [name for name, dtype in df.schema.items() if isinstance(dtype, pl.List)]
    df = df.rechunk()
    return df.with_columns(pl.col(lists).gather(pl.int_range(pl.len()))) if lists and df.height else df


def _write_table(df: Frame, path: Path, format: str, *, owned: bool = False) -> None:
    """One table to ``path``: a LazyFrame is streamed (``sink_*``), a DataFrame written (``write_*``).
    ``owned``: nothing else holds ``df``, so what its copy for writing replaces is freed before writing."""
    writers: dict[str, Callable[..., Any]]
    if isinstance(df, pl.LazyFrame):
        lazy = neutralise_formulas(df) if format == "csv" else df
        writers = {"parquet": lazy.sink_parquet, "csv": lazy.sink_csv, "ndjson": lazy.sink_ndjson}
    else:
        eager = neutralise_formulas(df) if format == "csv" else _compact(df)
        if owned:
            del df
        writers = {"parquet": eager.write_parquet, "csv": eager.write_csv, "ndjson": eager.write_ndjson}
    writers[format](path, **({"compression": "zstd", "statistics": True} if format == "parquet" else {}))


# ------------------------------------------------------------------------------------------------ reading

def read_export(folder: str | Path) -> dict[str, pl.DataFrame]:
    """Read a folder written by ``discourse export`` (Parquet, CSV or NDJSON) back into its tables, by name
    in file order, each with exactly the column types :mod:`discourse.schema` declares (the types in
    ``schema.json`` for a table it does not know). CSV cells lose the apostrophe that kept them from
    running as formulas, and list cells are split again.

    >>> read_export("export")["comments"].schema["created"]     # doctest: +SKIP
    Datetime(time_unit='us', time_zone='UTC')
    """
    folder = Path(folder)
    doc_path = folder / "schema.json"
    try:
        doc = json.loads(doc_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no schema.json: not a folder written by discourse export", path=folder,
                         hint="give the folder that `discourse export --out` wrote") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"cannot read schema.json: {err}", path=doc_path,
                         hint="export the corpus again: the file is damaged") from None
    out: dict[str, pl.DataFrame] = {}
    for name, meta in doc.items():
        try:
            columns = {c["name"]: schema.dtype_of(c) for c in meta["columns"]}
            file = meta.get("file") or next(f"{name}.{ext}" for ext in FORMATS if (folder / f"{name}.{ext}").exists())
        except (KeyError, TypeError, ValueError, StopIteration) as err:
            raise InputError(f"schema.json: table {name!r} is not described as discourse export writes it ({err})",
                             path=doc_path, hint="export the corpus again") from None
        table = _declared(name, columns)
        out[name] = _read_table(folder / file, table.schema if table else pl.Schema(columns))
    return out


def _read_table(path: Path, want: pl.Schema) -> pl.DataFrame:
    fmt = path.suffix.lstrip(".")
    if fmt not in FORMATS:
        raise InputError(f"unknown table file type {path.suffix!r}", path=path,
                         hint="discourse export writes .parquet, .csv and .ndjson")
    if not path.exists():
        raise InputError("table file is missing", path=path, hint="export the corpus again into an empty folder")
    try:
        if fmt == "parquet":
            df = pl.read_parquet(path)
        elif fmt == "ndjson":
            df = pl.read_ndjson(path, schema=want)
        else:
            df = pl.read_csv(path, infer_schema=False, raise_if_empty=False)
            if df.columns != list(want):
                raise InputError(f"columns {df.columns} differ from schema.json's {list(want)}", path=path,
                                 hint="export the corpus again: a table was changed after export")
            df = df.select(_from_csv(name, dtype) for name, dtype in want.items())
        if df.columns != list(want):
            raise InputError(f"columns {df.columns} differ from schema.json's {list(want)}", path=path,
                             hint="export the corpus again: a table was changed after export")
        return df.cast(dict(want))  # type: ignore[arg-type]
    except InputError:
        raise
    except (pl.exceptions.PolarsError, OSError, ValueError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise InputError(f"cannot read the table as schema.json types it: {first}", path=path,
                         hint="export the corpus again: the file was changed or damaged") from None


def _from_csv(name: str, dtype: pl.DataType) -> pl.Expr:
    """The expression that turns a CSV text column back into ``dtype``."""
    col = pl.col(name)
    if dtype == pl.String:
        return restore_formulas(col)
    if dtype == pl.List(pl.String):
        text = restore_formulas(col)
        return (pl.when(text == "").then(pl.lit([], dtype=pl.List(pl.String)))
                .otherwise(text.str.split(schema.LIST_DELIMITER)).alias(name))
    if dtype == pl.Boolean:
        return col.replace_strict({"true": True, "false": False}, return_dtype=pl.Boolean)
    if dtype == pl.Date:
        return col.str.to_date("%Y-%m-%d")
    if isinstance(dtype, pl.Datetime):
        return col.str.to_datetime(time_unit=dtype.time_unit, time_zone="UTC").dt.convert_time_zone(
            dtype.time_zone or "UTC")
    return col.cast(dtype, strict=True)


__all__ = ["DESCRIPTORS", "FORMATS", "check_format", "datapackage", "neutralise_formulas", "read_export",
           "restore_formulas", "schema_document", "write_tables"]
