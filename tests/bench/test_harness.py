"""discourse bench on a tiny corpus: every row is there with a positive number (speed is not tested)."""

from __future__ import annotations

import os
import re

import pytest
from typer.testing import CliRunner

from discourse.bench.harness import BenchResult, parse_size, run_benchmarks
from discourse.cli import app
from discourse.errors import ConfigError


def test_a_small_run_fills_every_row(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # a relative work folder; a short loop for the machine's two-process ceiling
    result = run_benchmarks([200], "work", sample=300, lengths=(50, 200), length_texts=4, ceiling_loops=100_000,
                            parse_runs=2)
    figures = result.sizes[0].figures
    # the parse step ran twice; the best run is the one reported
    runs = [float(x) for x in figures["parse_runs"].split(" / ")]
    assert len(runs) == 2 and all(x > 0 for x in runs)
    assert f"{figures['parse_mb_s']:.1f}" == f"{max(runs):.1f}"
    for key, _ in BenchResult.ROWS:
        value = figures[key]
        assert value is not None, key
        if key == "report_s" and value == "not available" or key == "parse_runs":
            continue
        assert isinstance(value, (int, float)) and value > 0, (key, value)
    assert figures["vader_ratio"] > 1  # the engine beats vaderSentiment even on short comments
    table = result.markdown()
    for _, label in BenchResult.ROWS:
        assert f"| {label} |" in table
    assert table.count("\n| 50 |") + table.count("\n| 200 |") == 2
    assert re.search(r"\d+ cores, \d+ GB RAM", result.machine_line())
    kernels = "on" if os.environ.get("DISCOURSE_REQUIRE_NATIVE") == "1" else r"(on|off \(pure Python\)|partly on \([^)]*\))"
    assert re.search(rf"C kernels {kernels}; ", result.machine_line())
    # the corpus is generated once and reused
    again = run_benchmarks([200], "work", sample=300, lengths=(), report=False, ceiling_loops=100_000, parse_runs=1)
    assert again.sizes[0].figures["generate_s"] == figures["generate_s"]
    assert again.sizes[0].figures["report_s"] == "not available"


@pytest.mark.parametrize(("text", "n"), [("200", 200), ("1k", 1_000), ("100K", 100_000), ("1M", 1_000_000),
                                         ("2.5k", 2_500)])
def test_sizes(text, n):
    assert parse_size(text) == n


@pytest.mark.parametrize("text", ["", "k", "many", "0", "1.5"])
def test_bad_sizes(text):
    with pytest.raises(ConfigError, match="corpus size"):
        parse_size(text)


def test_parse_runs_must_be_positive(tmp_path):
    with pytest.raises(ConfigError, match="parse_runs must be at least 1"):
        run_benchmarks([200], tmp_path, parse_runs=0)


def test_cli_rejects_a_bad_size():
    r = CliRunner().invoke(app, ["bench", "--sizes", "lots"])
    assert r.exit_code == 1 and "not a corpus size: 'lots'" in r.stderr


def test_end_to_end_only_times_export_and_report_with_the_ceiling(tmp_path):
    result = run_benchmarks([200], tmp_path, ceiling_loops=100_000, end_to_end_only=True)
    figures = result.sizes[0].figures
    for key in ("export_s", "export_peak", "export_cpu_s", "report_s", "report_peak", "report_cpu_s",
                "ceiling_ratio", "corpus_mb"):
        assert isinstance(figures[key], (int, float)) and figures[key] > 0, key
    assert not {"parse_mb_s", "score1_cps", "vader_tps"} & set(figures) and not result.lengths
    table = result.markdown()
    assert "| parse, 1 process (MB/s), best run | – |" in table
    assert re.search(r"\| discourse export: CPU time, all its processes \(s\) \| [\d.]+ \|", table)
