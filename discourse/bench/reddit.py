"""Synthetic Reddit dumps in the Pushshift layout, for the cluster path's tests and benchmarks.

:func:`generate_reddit` writes ``N`` comments under submissions as monthly dumps, ``RC_YYYY-MM.zst`` (one
JSON object per line, zstd-compressed, as Pushshift writes them), with each submission's ``t3`` record in
the file of the month it was posted. Texts, reply trees and authors are drawn as in
:mod:`discourse.bench.synth` (same vocabulary, quoted speech, heavy tails). A thread's comments go into
the file of the month each was written, so a thread that runs over the end of a month is split across two
files, as in the real dumps (``split`` is the share of submissions posted in the last days of a month
whose discussion goes on into the next).

The same ``seed`` gives byte-identical files.

>>> stats = generate_reddit("bench-out/reddit-1k", 1_000, files=3)     # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from discourse.bench.synth import Shape, _authors, _sizes, _texts, _title, thread_comments
from discourse.readers.values import base36

__all__ = ["RedditStats", "generate_reddit"]

#: submissions are drawn in blocks of this many, each block from its own random stream
BLOCK = 200
_EPOCH = dt.datetime(2016, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class RedditStats:
    path: Path
    files: tuple[Path, ...]
    submissions: int
    comments: int
    split_threads: int  # submissions whose record and comments are in more than one file
    bytes: int  # compressed bytes written


def _month_start(k: int) -> dt.datetime:
    year, month = divmod(k, 12)
    return _EPOCH.replace(year=2016 + year, month=month + 1)


def generate_reddit(out: str | Path, comments: int, *, files: int = 4, seed: int = 0, split: float = 0.2,
                    shape: Shape = Shape(), level: int = 3) -> RedditStats:
    """Write ``comments`` comments as ``files`` monthly dumps into the folder ``out`` (replaced if it exists)."""
    import zstandard

    if comments < 0 or files < 1:
        raise ValueError("comments must be >= 0 and files >= 1")
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    rng = np.random.default_rng([seed, 10])
    sizes = _sizes(rng, comments, shape)
    bounds = [_month_start(k).timestamp() for k in range(files + 1)]
    paths = [out / f"RC_{_month_start(k):%Y-%m}.zst" for k in range(files)]
    sinks = [open(p, "wb") for p in paths]
    # one compressor per stream: a compressor holds the state of one stream at a time
    writers = [zstandard.ZstdCompressor(level=level).stream_writer(s) for s in sinks]
    pool, activity = _authors(seed, max(50, comments // 20))
    next_id = 36**5  # five-character base36 ids upwards, like Reddit's
    split_threads = 0
    used = [0] * files
    try:
        for first in range(0, len(sizes), BLOCK):
            brng = np.random.default_rng([seed, 11, first])
            block = sizes[first:first + BLOCK]
            month = brng.integers(0, files, len(block))
            late = brng.random(len(block)) < split
            # a submission in the last two days of its month when `late`, else anywhere before them
            span = np.asarray([bounds[m + 1] - bounds[m] for m in month.tolist()])
            offset = np.where(late, span - brng.random(len(block)) * 2 * 86_400,
                              brng.random(len(block)) * (span - 3 * 86_400))
            posted = np.asarray([bounds[m] for m in month.tolist()]) + offset
            lines: list[list[bytes]] = [[] for _ in range(files)]
            for n, t0 in zip(block, posted.tolist()):
                sid = base36(next_id)
                next_id += 1
                m0 = int(np.searchsorted(bounds, t0, side="right")) - 1
                body = _texts(brng, np.asarray([int(brng.integers(0, 120))]), shape, shape.quotes_article)[0]
                lines[m0].append(json.dumps({
                    "id": sid, "name": f"t3_{sid}", "subreddit": "armenia", "title": _title(brng),
                    "selftext": body, "permalink": f"/r/armenia/comments/{sid}/", "created_utc": int(t0),
                    "author": pool[int(brng.integers(0, len(pool)))]}, ensure_ascii=False).encode() + b"\n")
                depths, texts, names = thread_comments(brng, n, shape, pool, activity)
                # comments in display order, each a little after the one before (a reply after its parent)
                gaps = brng.exponential(3_600 * 6 / max(1, math.sqrt(n)), n)
                times = (t0 + np.cumsum(gaps)).astype(np.int64).tolist()
                stack: list[str] = []
                where = {m0}  # the files holding the thread: its submission's, then its comments'
                for depth, name, text, t in zip(depths, names, texts, times):
                    cid = base36(next_id)
                    next_id += 1
                    del stack[depth:]
                    parent = f"t1_{stack[-1]}" if stack else f"t3_{sid}"
                    stack.append(cid)
                    m = min(files - 1, int(np.searchsorted(bounds, t, side="right")) - 1)
                    where.add(m)
                    lines[m].append(json.dumps({
                        "id": cid, "link_id": f"t3_{sid}", "parent_id": parent, "author": name,
                        "body": text if text else "[deleted]", "created_utc": t, "subreddit": "armenia",
                        "score": 1}, ensure_ascii=False).encode() + b"\n")
                split_threads += len(where) > 1
            for k, (w, chunk) in enumerate(zip(writers, lines)):
                used[k] += len(chunk)
                w.write(b"".join(chunk))
    finally:
        for w in writers:
            w.close()
        for s in sinks:
            s.close()
    # a month with nothing in it would be an empty dump, which reading refuses: none is kept
    kept = [p for p, n in zip(paths, used) if n]
    for p, n in zip(paths, used):
        if not n:
            p.unlink()
    return RedditStats(out, tuple(kept), len(sizes), comments, split_threads, sum(p.stat().st_size for p in kept))
