"""The measured steps of ``discourse bench``, each run in a fresh process by :mod:`discourse.bench.harness`.

``python -m discourse.bench.steps STEP JSON`` runs one step and prints one JSON object on stdout: the
step's own timings (the harness measures wall time and memory from outside). Steps import only what they
measure, so a step's memory is its own.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path


def parse(corpus: str) -> dict:
    """Read the corpus in this process (one core): the reader, manifest, reply-tree linking and tables."""
    from discourse.readers import read

    files = [p for p in Path(corpus).iterdir() if p.suffix == ".txt"]
    size = sum(p.stat().st_size for p in files)
    start = time.perf_counter()
    result = read(corpus)
    seconds = time.perf_counter() - start
    words = int(result.comments.get_column("text").str.count_matches(r"\S+").sum())
    return {"seconds": seconds, "bytes": size, "comments": result.comments.height, "articles": result.articles.height,
            "paragraphs": result.paragraphs.height, "comment_words": words,
            "article_words": int(result.articles.get_column("body").str.count_matches(r"\S+").sum())}


def score(corpus: str, workers: int) -> dict:
    """Score every unit (article paragraphs and comments) with ``workers`` processes, as ``discourse export``
    and ``report`` do: the per-sentence and per-hit tables are written batch by batch to a temporary folder
    (by the process that scored the batch). Reading is not timed."""
    import tempfile

    from discourse.model import rows
    from discourse.readers import read
    from discourse.scoring.batch import ScoringConfig
    from discourse.scoring.lexicon import load_lexicon
    from discourse.scoring.run import score_corpus

    data = read(corpus)
    config = ScoringConfig(load_lexicon())
    with tempfile.TemporaryDirectory(prefix="discourse-bench-") as spill:
        start = time.perf_counter()
        tables = score_corpus(data, config, workers, None, Path(spill))
        seconds = time.perf_counter() - start
        sentences = rows(tables["sentences"])
    units = data.paragraphs.height + data.comments.height
    words = sum(int(frame.get_column("text").str.count_matches(r"\S+").sum())
                for frame in (data.comments, data.paragraphs))
    return {"seconds": seconds, "units": units, "words": words, "sentences": sentences}


def topics(corpus: str, sample: int) -> dict:
    """Topic and actor matching (the compiled lexicon) over the first ``sample`` comment texts, one core."""
    from discourse.readers import read
    from discourse.scoring.lexicon import compile_lexicon, load_lexicon

    texts = [t for t in read(corpus).comments.get_column("text").head(sample).to_list() if t]
    compiled = compile_lexicon(load_lexicon())
    start = time.perf_counter()
    hits = sum(len(compiled.match(t)) for t in texts)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "texts": len(texts), "bytes": sum(len(t.encode("utf-8")) for t in texts), "hits": hits}


def vader(corpus: str, sample: int) -> dict:
    """discourse's VADER engine and vaderSentiment 3.3.2 on the same prepared comment texts, one core."""
    from discourse.readers import read
    from discourse.sentiment import normalize, polarity_scores, reference

    texts = [normalize(t) for t in read(corpus).comments.get_column("text").head(sample).to_list() if t]
    theirs = reference.analyzer().polarity_scores
    polarity_scores(texts[0])  # tables loaded before timing
    start = time.perf_counter()
    ours = [polarity_scores(t) for t in texts]
    ours_s = time.perf_counter() - start
    start = time.perf_counter()
    ref = [theirs(t) for t in texts]
    theirs_s = time.perf_counter() - start
    return {"texts": len(texts), "words": sum(len(t.split()) for t in texts), "seconds": ours_s,
            "reference_seconds": theirs_s, "same": ours == ref}


def lengths(words: int, texts: int) -> dict:
    """Scoring comments of ``words`` words (a text as score_batch scores it: sentences and the whole), and
    vaderSentiment on the same prepared texts."""
    from discourse.bench.synth import sample_texts
    from discourse.sentiment import normalize, polarity_scores, reference
    from discourse.sentiment.scoring import sentence_scores

    batch = sample_texts(texts, words, seed=words)
    prepared = [normalize(t) for t in batch]
    polarity_scores(prepared[0])
    start = time.perf_counter()
    for t in batch:
        sentence_scores(t)
    ours_s = time.perf_counter() - start
    start = time.perf_counter()
    for t in prepared:
        polarity_scores(t)
    whole_s = time.perf_counter() - start
    theirs = reference.analyzer().polarity_scores
    reference_texts = prepared[: max(1, min(len(prepared), 20 if words <= 1600 else 3))]
    start = time.perf_counter()
    for t in reference_texts:
        theirs(t)
    theirs_s = (time.perf_counter() - start) * len(prepared) / len(reference_texts)
    return {"texts": len(batch), "words": sum(len(t.split()) for t in batch), "seconds": ours_s,
            "whole_seconds": whole_s, "reference_seconds": theirs_s}


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def ceiling(loops: int) -> dict:
    """What two processes can gain on this machine at best: a pure-Python loop of ``loops`` iterations,
    twice in one process, then once in each of two processes at the same time. Virtual machines often give
    less than 2x (shared cores, a noisy neighbour), and that bounds ``--workers 2`` too."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    start = time.perf_counter()
    _spin(loops)
    _spin(loops)
    one = time.perf_counter() - start
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_spin, [1, 1]))  # both processes started before timing
        start = time.perf_counter()
        list(pool.map(_spin, [loops, loops]))
        two = time.perf_counter() - start
    return {"one": one, "two": two}


STEPS: dict[str, Callable[..., dict]] = {
    "ceiling": ceiling, "parse": parse, "score": score, "topics": topics, "vader": vader, "lengths": lengths}


def main(argv: list[str]) -> None:
    name, args = argv[0], json.loads(argv[1]) if len(argv) > 1 else {}
    print(json.dumps(STEPS[name](**args)))


if __name__ == "__main__":
    main(sys.argv[1:])
