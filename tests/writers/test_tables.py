"""Table export: every table, exact round trip through Parquet and NDJSON, formula-safe CSV, schema.json."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from discourse.errors import ConfigError
from discourse.scoring.pipeline import analyze
from discourse.writers.tables import neutralise_formulas, write_tables

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tables():
    return analyze(ROOT / "threads").tables()


def test_parquet_round_trip_gives_the_same_frames(tables, tmp_path):
    write_tables(tables, tmp_path, "parquet")
    for name, df in tables.items():
        back = pl.read_parquet(tmp_path / f"{name}.parquet")
        assert back.equals(df), name
        assert back.schema == df.schema


def test_ndjson_keeps_values(tables, tmp_path):
    write_tables(tables, tmp_path, "ndjson")
    back = pl.read_ndjson(tmp_path / "comments.ndjson", schema=tables["comments"].schema)
    assert back.equals(tables["comments"])


def test_schema_json_describes_every_column(tables, tmp_path):
    write_tables(tables, tmp_path, "csv")
    doc = json.loads((tmp_path / "schema.json").read_text(encoding="utf-8"))
    assert list(doc) == list(tables)
    for name, df in tables.items():
        assert [c["name"] for c in doc[name]["columns"]] == df.columns
        assert all(c["description"] for c in doc[name]["columns"]), name
        assert doc[name]["rows"] == df.height
    header = (tmp_path / "comments.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == tables["comments"].columns


def test_csv_cells_cannot_run_as_formulas(tmp_path):
    df = pl.DataFrame({"text": ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "fine", None],
                       "tags": [["=bad"], [], None, ["a", "b"], ["x"], ["y"], ["z"]]})
    write_tables({"t": df}, tmp_path, "csv")
    back = pl.read_csv(tmp_path / "t.csv")
    assert back.get_column("text").to_list() == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "'\tx",
                                                  "fine", None]
    assert back.get_column("tags").to_list()[:4] == ["'=bad", "", None, "a; b"]  # empty list vs null


def test_neutralising_keeps_rows_and_columns():
    df = pl.DataFrame({"a": ["=1"], "n": [1]})
    assert neutralise_formulas(df).shape == df.shape


def test_unknown_format(tables, tmp_path):
    with pytest.raises(ConfigError, match="valid formats: parquet, csv, ndjson"):
        write_tables(tables, tmp_path, "xlsx")
