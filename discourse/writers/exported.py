"""An export folder read back: the record ``discourse export`` leaves beside its tables, and the tables as
lazy scans, for ``discourse report --from EXPORT``.

A Parquet export holds each table either as one file, ``<table>.parquet`` (``discourse export``), or as a
folder of partitions, ``<table>/*.parquet`` (``discourse export --cluster``), whose files in name order
hold the table's rows in order. ``export.json`` records the settings the tables were scored with and the
layout; ``lexicon.toml`` is the lexicon itself (``mode = "replace"``), so a report needs nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from discourse.errors import InputError
from discourse.model import Analysis

RECORD = "export.json"
LEXICON = "lexicon.toml"
#: the version of the record's layout; a reader refuses a newer one
VERSION = 1


def write_record(out: Path, lexicon, settings: dict[str, Any], layout: str = "files",
                 format: str = "parquet") -> list[Path]:
    """Write ``export.json`` (settings, layout, format, lexicon hash) and ``lexicon.toml`` into ``out``."""
    from discourse.scoring.lexicon_import import dump_lexicon_toml

    lex_path = out / LEXICON
    lex_path.write_text(dump_lexicon_toml(lexicon), encoding="utf-8")
    record = {"version": VERSION, "layout": layout, "format": format, "tables": list(Analysis.TABLES),
              "lexicon": {"name": lexicon.name, "sha256": lexicon.sha256, "file": LEXICON},
              "settings": settings}
    path = out / RECORD
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return [path, lex_path]


def table_files(folder: Path, name: str) -> list[Path]:
    """The Parquet files of table ``name`` in an export, in row order."""
    single = folder / f"{name}.parquet"
    if single.is_file():
        return [single]
    parts = sorted((folder / name).glob("*.parquet")) if (folder / name).is_dir() else []
    if not parts:
        raise InputError(f"the export has no {name!r} table ({name}.parquet or {name}/*.parquet)", path=folder,
                         hint="export again with `discourse export` (Parquet, the default)")
    return parts


def scan_table(folder: Path, name: str) -> pl.LazyFrame:
    """Table ``name`` of an export as a lazy scan of its files."""
    return pl.scan_parquet(table_files(folder, name))


def open_export(folder: str | Path, *, without: Mapping[str, str] | None = None) -> Analysis:
    """The :class:`Analysis` an export holds. Sentences, topic evidence and mentions stay on disk as scans;
    the per-article, per-comment and summary tables are read into memory, as the report needs them.
    ``without`` names a column to leave on disk for some tables (``{"comments": "text"}``): those tables are
    read without it."""
    from discourse.scoring.lexicon import lexicon_from_data, parse_lexicon_toml

    folder = Path(folder)
    path = folder / RECORD
    if not path.is_file():
        hint = ("this looks like an export without its record (made before export.json existed, or as CSV or "
                "NDJSON): export again with `discourse export` (Parquet)")
        raise InputError(f"not a discourse export: no {RECORD}", path=folder, hint=hint)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise InputError(f"{RECORD} is not JSON ({err})", path=path, hint="export again") from None
    if record.get("version", 0) > VERSION or record.get("format") != "parquet":
        raise InputError(f"an export this version cannot read (version {record.get('version')!r}, format "
                         f"{record.get('format')!r})", path=path,
                         hint="export again with this version of discourse, as Parquet")
    raw = (folder / record["lexicon"]["file"]).read_text(encoding="utf-8")
    lexicon = lexicon_from_data(parse_lexicon_toml(raw, source=str(folder / LEXICON)), source=str(folder / LEXICON),
                                raw=raw)
    if lexicon.sha256 != record["lexicon"]["sha256"]:
        raise InputError(f"{LEXICON} is not the lexicon the tables were scored with (hash {lexicon.sha256[:12]}, "
                         f"recorded {record['lexicon']['sha256'][:12]})", path=folder / LEXICON,
                         hint="restore the file, or export again")
    lazy = {"sentences", "tags", "mentions"}
    left = dict(without or {})
    tables = {name: scan_table(folder, name) if name in lazy else _read(table_files(folder, name), left.get(name))
              for name in Analysis.TABLES}
    settings = dict(record.get("settings", {}))
    return Analysis(**tables, lexicon=lexicon, settings=settings)  # type: ignore[arg-type]


def _read(files: list[Path], without: str | None) -> pl.DataFrame:
    if without is None:
        return pl.read_parquet(files)
    columns = [c for c in pl.read_parquet_schema(files[0]) if c != without]
    return pl.read_parquet(files, columns=columns)
