"""One export function: an analysis written as it is, or a corpus scored and streamed to the same files."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

import discourse
from discourse.scoring.pipeline import analyze
from discourse.writers import export

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("fmt", ["parquet", "csv", "ndjson"])
def test_export_streams_the_same_files_as_writing_the_analysis(tmp_path, monkeypatch, fmt):
    from discourse.scoring import run

    monkeypatch.setattr(run, "BATCH_UNITS", 30)  # several batches, each written to disk
    corpus = discourse.read(ROOT / "threads")
    export(analyze(corpus), tmp_path / "memory", fmt)
    for workers in (1, 2):
        written = export(corpus, tmp_path / f"streamed{workers}", fmt, workers=workers)
        # every table, schema.json, export.json and lexicon.toml, and the batches' temporary folder is gone
        assert sorted(f.name for f in written) == sorted(f.name for f in (tmp_path / f"streamed{workers}").iterdir())
        for path in written:
            mine = tmp_path / "memory" / path.name
            if path.name == "export.json":  # the settings record the workers used, and nothing else differs
                ours, theirs = json.loads(path.read_text()), json.loads(mine.read_text())
                assert ours["settings"].pop("workers") == workers and theirs["settings"].pop("workers") == 1
                assert ours == theirs
            elif fmt == "parquet" and path.suffix == ".parquet":
                assert pl.read_parquet(path).equals(pl.read_parquet(mine)), path.name
            else:
                assert path.read_bytes() == mine.read_bytes(), path.name


def test_an_analysis_is_written_as_it_is(tmp_path):
    analysis = analyze(discourse.read(ROOT / "threads"))
    written = export(analysis, tmp_path / "out", "graphml")
    assert [p.name for p in written] == ["replies.graphml"]
    with pytest.raises(discourse.ConfigError, match="unknown export format 'xlsx'"):
        export(analysis, tmp_path / "bad", "xlsx")
    assert not (tmp_path / "bad").exists()
