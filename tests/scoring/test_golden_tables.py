"""Every table of the bundled corpus, value for value and row for row, against files written before any
optimisation of the pipeline: speed work must not change a single output byte."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from discourse.model import Analysis
from discourse.scoring.pipeline import analyze

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "analysis"


@pytest.fixture(scope="module")
def tables():
    cwd = Path.cwd()
    os.chdir(ROOT)  # source paths in the tables are relative, as written by `discourse export` in the repo
    try:
        return analyze("threads").tables()
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("name", Analysis.TABLES)
def test_table_matches_golden(tables, name):
    df = tables[name]
    text = df.write_ndjson() + "\n# " + "; ".join(f"{c}: {t}" for c, t in df.schema.items()) + "\n"
    path = GOLDEN / f"{name}.ndjson"
    if os.environ.get("DISCOURSE_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from {path}"
