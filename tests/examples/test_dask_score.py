"""docs/examples/dask_score.py: Dask on a local cluster scores a Parquet dataset of units exactly like one
machine. Runs when the `dask` extra is installed (pip install 'discourse[dask]')."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "dask_score.py"


@pytest.fixture(scope="module")
def example():
    return runpy.run_path(str(EXAMPLE))


def test_dask_scores_exactly_like_one_machine(example, tmp_path, capsys):
    from discourse.bench.synth import generate

    corpus = generate(tmp_path / "corpus", 400, seed=4).path  # quotes, curly typography, deep threads
    assert example["main"](str(corpus)) == 0
    out = capsys.readouterr().out
    assert out.count("identical") == 4 and "DIFFERENT" not in out


def test_the_bundled_corpus(example, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert example["main"]("threads") == 0
    assert "sentences" in capsys.readouterr().out
