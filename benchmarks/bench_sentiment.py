"""Throughput of discourse's VADER engine next to vaderSentiment 3.3.2, in one process.

Run from the repository root: ``python benchmarks/bench_sentiment.py``. Inputs are the tweets corpus and
texts of 200, 1,600 and 6,400 words cut from the NYT and Amazon snippets in file order. Each timing is
the best of several repeats. The script only prints; a slow machine gives smaller numbers, not a failure.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from discourse.sentiment import engine, polarity_scores, reference, score_text  # noqa: E402
from discourse.sentiment.validate import read_corpora  # noqa: E402

DATA = ROOT / "tests" / "data" / "vader-ground-truth"


def best_time(score: Callable[[str], object], texts: list[str], repeats: int) -> float:
    """Seconds for one pass over ``texts``, best of ``repeats``."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for text in texts:
            score(text)
        best = min(best, time.perf_counter() - start)
    return best


def word_texts(words: list[str], size: int, count: int) -> list[str]:
    """``count`` texts of ``size`` words, consecutive, wrapping around the word list."""
    return [" ".join(words[(k * size + j) % len(words)] for j in range(size)) for k in range(count)]


def main() -> None:
    snippets = read_corpora(DATA)
    tweets = snippets.filter(corpus="tweets")["text"].to_list()
    words = " ".join(snippets.filter(corpus="nyt")["text"].to_list()
                     + snippets.filter(corpus="amazon")["text"].to_list()).split()
    inputs = [
        ("tweets", tweets, 5),
        ("200 words", word_texts(words, 200, 200), 3),
        ("1,600 words", word_texts(words, 1600, 12), 3),
        ("6,400 words", word_texts(words, 6400, 2), 2),
    ]
    vader = reference.analyzer().polarity_scores

    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
          f"vaderSentiment {reference.version()}, C kernel {'on' if engine.native_kernel() else 'off'}; "
          "best of repeats, one process, one core")
    print()
    header = ("input", "texts", "words/text", "vaderSentiment texts/s", "discourse texts/s", "ratio",
              "vaderSentiment words/s", "discourse words/s", "same scores")
    rows = []
    for name, texts, repeats in inputs:
        mean_words = sum(len(t.split()) for t in texts) / len(texts)
        polarity_scores(texts[0])  # load the lexicon outside the timing
        theirs = best_time(vader, texts, repeats)
        ours = best_time(polarity_scores, texts, repeats)
        same = all(vader(t) == polarity_scores(t) for t in texts)
        n_words = mean_words * len(texts)
        rows.append((name, f"{len(texts):,}", f"{mean_words:,.1f}", f"{len(texts) / theirs:,.1f}",
                     f"{len(texts) / ours:,.1f}", f"{theirs / ours:,.1f}x", f"{n_words / theirs:,.0f}",
                     f"{n_words / ours:,.0f}", "yes" if same else "NO"))
    _print_table(header, rows)

    print()
    print("The whole comment pipeline, score_text (normalise, split, score the text and each sentence):")
    rows = []
    for name, texts, repeats in inputs[:3]:
        seconds = best_time(score_text, texts, repeats)
        rows.append((name, f"{len(texts):,}", f"{len(texts) / seconds:,.1f}"))
    _print_table(("input", "texts", "score_text texts/s"), rows)


def _print_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
