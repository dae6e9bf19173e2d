"""A seeded, stratified sample of comments to label, with each comment's inclusion probability.

The frame is every comment with text. Strata are article x predicted topic x sentiment label, where a
comment's topic is the rarest topic it is tagged with (``untagged`` when none), so that rare topics form
strata of their own. Draws are allocated in proportion to the square root of each stratum's size (rare strata
are oversampled, large ones undersampled) and capped at the stratum's size; a stratum gets the floor or the
ceiling of its allocation by systematic rounding, so the sample has exactly the size asked for and every
comment's inclusion probability is its stratum's allocation over its size. Weighting a labelled comment by the
inverse of that probability gives unbiased estimates for the whole corpus (Horvitz-Thompson).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
import polars as pl

from discourse import schema
from discourse.errors import ConfigError

UNTAGGED = "untagged"


def strata(comments: pl.DataFrame, topics: Sequence[str]) -> pl.DataFrame:
    """``comment_id``, ``article_id`` and ``stratum`` of every comment with text, in table order."""
    frame = comments.filter(~pl.col("text_missing"))
    tags = frame.get_column("topic_tags").to_list()
    counts = Counter(t for ts in tags for t in ts)
    order = {t: k for k, t in enumerate(topics)}
    # rarest first; ties in lexicon order; a topic missing from the lexicon last
    rank = {t: (counts[t], order.get(t, len(order)), t) for t in counts}
    primary = [min(ts, key=rank.__getitem__) if ts else UNTAGGED for ts in tags]
    return frame.select(
        "comment_id", "article_id",
        pl.concat_str([pl.col("article_id"), pl.Series(primary, dtype=pl.String),
                       pl.col("sent_label").fill_null("none")], separator="|").alias("stratum"))


def allocate(sizes: dict[str, int], size: int) -> dict[str, float]:
    """Expected draws per stratum: proportional to sqrt(stratum size), capped at the size, summing to ``size``.

    >>> allocate({"a": 100, "b": 1}, 11)
    {'a': 10.0, 'b': 1.0}
    """
    alloc = {h: 0.0 for h in sizes}
    free = {h for h, n in sizes.items() if n > 0}
    left = float(min(size, sum(sizes.values())))
    while free and left > 1e-9:
        root = {h: math.sqrt(sizes[h]) for h in free}
        total = sum(root.values())
        share = {h: left * root[h] / total for h in free}
        full = {h for h in free if alloc[h] + share[h] >= sizes[h] - 1e-9}
        if not full:
            for h in free:
                alloc[h] += share[h]
            break
        for h in full:  # capped strata are taken whole; the rest is shared again among the others
            left -= sizes[h] - alloc[h]
            alloc[h] = float(sizes[h])
        free -= full
    return alloc


def draw_sample(comments: pl.DataFrame, topics: Sequence[str], size: int, seed: int = 0) -> pl.DataFrame:
    """Draw ``size`` comments (all of them when the corpus has fewer) as the :data:`schema.SAMPLE` table.

    ``comments`` is ``Analysis.comments``; ``topics`` the lexicon's topic names in order. The same comments,
    seed and size give the same sample.
    """
    if size < 1:
        raise ConfigError(f"sample size must be at least 1, got {size}", hint="pass --size N with N >= 1")
    frame = strata(comments, topics)
    if frame.height == 0:
        raise ConfigError("no comment with text to sample", hint="check the input files: every comment is empty")
    members: dict[str, list[str]] = {}
    article: dict[str, str] = {}
    for cid, aid, h in frame.iter_rows():
        members.setdefault(h, []).append(cid)
        article[cid] = aid
    names = sorted(members)
    sizes = {h: len(members[h]) for h in names}
    alloc = allocate(sizes, size)
    rng = np.random.default_rng(seed)
    # systematic rounding: one uniform start, then points one apart across the strata's fractional parts
    start = rng.random()
    whole = {h: math.floor(alloc[h] + 1e-9) for h in names}
    frac = {h: max(alloc[h] - whole[h], 0.0) for h in names}
    total = round(sum(frac.values()))  # an integer: the allocations sum to a whole number of draws
    cumulative = 0.0
    draws: dict[str, int] = {}
    for k, h in enumerate(names):
        before = cumulative
        cumulative = float(total) if k == len(names) - 1 else cumulative + frac[h]
        # points start, start + 1, ... falling in (before, cumulative]
        draws[h] = whole[h] + math.floor(cumulative - start) - math.floor(before - start)
    rows = []
    for h in names:
        chosen = rng.choice(len(members[h]), size=draws[h], replace=False).tolist() if draws[h] else []
        p = alloc[h] / sizes[h]
        for k in sorted(chosen):
            cid = members[h][k]
            rows.append({"comment_id": cid, "article_id": article[cid], "stratum": h, "stratum_size": sizes[h],
                         "expected": alloc[h], "inclusion_probability": p, "weight": 1 / p})
    order = rng.permutation(len(rows))
    shuffled = [rows[k] | {"position": i + 1} for i, k in enumerate(order)]
    return schema.frame(schema.SAMPLE, shuffled)
