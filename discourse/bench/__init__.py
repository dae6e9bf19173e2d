"""Benchmarks at the scale of whole comment archives: synthetic corpora (:mod:`discourse.bench.synth`) and
the measurements of ``discourse bench`` (:mod:`discourse.bench.harness`)."""

from discourse.bench.harness import BenchResult, run_benchmarks
from discourse.bench.synth import Shape, generate, sample_texts

__all__ = ["BenchResult", "Shape", "generate", "run_benchmarks", "sample_texts"]
