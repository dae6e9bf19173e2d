"""How many worker processes discourse picks when the caller does not say."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import discourse
from discourse import parallel
from discourse.readers import load
from discourse.scoring import pipeline

THREADS = Path(__file__).resolve().parents[1] / "threads"


def test_default_is_one_per_usable_core_at_most_eight(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(3)), raising=False)
    assert parallel.usable_cores() == 3 and parallel.default_workers() == 3
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    assert parallel.default_workers() == parallel.MAX_AUTO_WORKERS == 8
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert parallel.usable_cores() == 1


@pytest.mark.parametrize(("workers", "work", "expected"), [(None, 0, 1), (None, 999, 1), (None, 1000, 4), (2, 0, 2),
                                                           (1, 10**9, 1)])
def test_resolve(monkeypatch, workers, work, expected):
    monkeypatch.setattr(parallel, "default_workers", lambda: 4)
    assert parallel.resolve_workers(workers, work, 1000) == expected


def test_analysis_picks_processes_by_the_size_of_the_text(monkeypatch):
    monkeypatch.setattr(parallel, "default_workers", lambda: 2)
    used: list[int] = []
    real = pipeline.score_corpus

    def spy(corpus, config, workers, progress, spill=None, packed=None):
        used.append(workers)
        return real(corpus, config, 1, progress, spill, packed)  # the count is what is tested; score here

    monkeypatch.setattr(pipeline, "score_corpus", spy)
    corpus = discourse.read(THREADS)
    small = discourse.analyze(corpus, workers=None)
    assert used == [1] and small.settings["workers"] == 1
    monkeypatch.setattr(pipeline, "AUTO_CHARS", pipeline.text_size(corpus))  # now just big enough
    big = discourse.analyze(corpus, workers=None)
    assert used == [1, 2] and big.settings["workers"] == 2
    assert big.comments.equals(small.comments)
    assert discourse.analyze(corpus, workers=3).settings["workers"] == 3 and used[-1] == 3


def test_reading_uses_one_process_per_core_when_not_told(monkeypatch):
    monkeypatch.setattr(load, "default_workers", lambda: 5)
    seen: list[int] = []
    real = load._jobs

    def spy(entries, workers, opts):
        seen.append(workers)
        return real(entries, workers, opts)

    monkeypatch.setattr(load, "_jobs", spy)
    corpus = discourse.read(THREADS, workers=None)
    assert seen == [5] and corpus.comments.height == 14  # five small files: one run, read in this process


@pytest.mark.parametrize("workers", [1, 2])
def test_ordered_map_gives_results_in_the_order_of_the_jobs(workers):
    jobs = ((k, 2) for k in range(25))  # a generator: taken only as jobs are submitted
    waited: list[int] = []
    out = list(parallel.ordered_map(pow, jobs, workers, waiting=waited.append))
    assert out == [k * k for k in range(25)] and waited == list(range(25))


def test_ordered_map_runs_the_initializer_and_raises_a_job_error():
    started: list[str] = []
    assert list(parallel.ordered_map(divmod, [(7, 2)], 1, initializer=started.append, initargs=("here",))) == [(3, 1)]
    assert started == ["here"]
    with pytest.raises(TypeError):
        list(parallel.ordered_map(pow, [(2, 2), ("a", 2)], 2))
