"""discourse.writers.exported: an export read back is the analysis it was written from."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import discourse
from discourse.cli import app
from discourse.errors import InputError
from discourse.model import Analysis, frame
from discourse.writers import export
from discourse.writers.exported import open_export, scan_table, table_files

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    analysis = discourse.analyze(ROOT / "threads")
    export(analysis, out)
    return analysis, out


def test_the_tables_come_back(exported):
    analysis, out = exported
    back = open_export(out)
    for name in Analysis.TABLES:
        assert frame(getattr(back, name)).equals(frame(getattr(analysis, name))), name
    # the long tables stay on disk until a query reads them
    assert isinstance(back.sentences, pl.LazyFrame) and isinstance(back.comments, pl.DataFrame)
    assert back.lexicon.sha256 == analysis.lexicon.sha256 and back.lexicon.topics == analysis.lexicon.topics
    assert back.settings == analysis.settings


def test_the_record(exported):
    analysis, out = exported
    record = json.loads((out / "export.json").read_text(encoding="utf-8"))
    assert record["layout"] == "files" and record["format"] == "parquet"
    assert record["tables"] == list(Analysis.TABLES)
    assert record["lexicon"]["sha256"] == analysis.lexicon.sha256


def test_either_layout_is_scanned_in_file_order(tmp_path):
    folder = tmp_path / "comments"
    folder.mkdir()
    for k, values in enumerate(([1, 2], [3], [4, 5])):
        pl.DataFrame({"x": values}).write_parquet(folder / f"part-{k:05d}.parquet")
    assert scan_table(tmp_path, "comments").collect().get_column("x").to_list() == [1, 2, 3, 4, 5]
    with pytest.raises(InputError, match="no 'edges' table"):
        table_files(tmp_path, "edges")


def test_what_is_not_an_export_is_refused(exported, tmp_path):
    _, out = exported
    with pytest.raises(InputError, match="no export.json"):
        open_export(tmp_path)
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in out.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    toml = (copy / "lexicon.toml").read_text(encoding="utf-8")
    (copy / "lexicon.toml").write_text(toml.replace('label = "Betrayal"', 'label = "Treason"'), encoding="utf-8")
    with pytest.raises(InputError, match="not the lexicon the tables were scored with"):
        open_export(copy)


def test_report_from_refuses_scoring_options(exported, tmp_path):
    _, out = exported
    result = CliRunner().invoke(app, ["report", "threads", "--from", str(out), "--out", str(tmp_path / "r")])
    assert result.exit_code == 1 and "cannot change it" in result.output
    result = CliRunner().invoke(app, ["report", "--from", str(tmp_path), "--out", str(tmp_path / "r")])
    assert result.exit_code == 1 and "no export.json" in result.output
