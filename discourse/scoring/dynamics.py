"""How replies move against their parents: per-comment dynamics, per-thread summaries, the reply network.

All functions take the scored ``comments`` table (``sent_score`` and ``sent_label`` present) and work
through parent links only, so they apply to comments from any reader or built by hand.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from discourse import schema

SCORE = "sent_score"
LABEL = "sent_label"


def levels(comments: pl.DataFrame) -> pl.DataFrame:
    """``comment_id``, ``root_id`` and ``level`` (0 at the top), computed from parent links."""
    forest = _forest(comments)
    if forest is not None:
        ids = comments.get_column("comment_id")
        return pl.DataFrame({"comment_id": ids, "root_id": ids.gather(forest[0]), "level": forest[1]},
                            schema={"comment_id": pl.String, "root_id": pl.String, "level": pl.Int64})
    return _levels_walk(comments)


def _forest(comments: pl.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """For unique ids whose parent links form a forest: each row's root row, level and parent row (-1 for
    none), by pointer jumping (log2 of the depth passes over the arrays); None for duplicate ids or a cycle,
    which the walk in Python handles."""
    ids = comments.get_column("comment_id")
    n = ids.len()
    if ids.n_unique() != n:
        return None
    rows = pl.DataFrame({"comment_id": ids}).with_row_index("row")
    parent = (comments.select(pl.col("parent_id").alias("comment_id"))
              .join(rows, on="comment_id", how="left", maintain_order="left")
              .get_column("row").cast(pl.Int64).fill_null(-1).to_numpy())
    own = np.arange(n, dtype=np.int64)
    jump = np.where(parent >= 0, parent, own)  # an ancestor `dist` levels up; roots point to themselves
    dist = (parent >= 0).astype(np.int64)
    for _ in range(max(1, n).bit_length() + 1):
        further = jump[jump]
        if np.array_equal(further, jump):
            # settled: on a root each, or going round a cycle
            return (jump, dist, parent) if (parent[jump] < 0).all() else None
        dist = dist + dist[jump]
        jump = further
    return None  # still moving after log2(n) doublings: a cycle


def _levels_walk(comments: pl.DataFrame) -> pl.DataFrame:
    links = comments.select("comment_id", "parent_id")
    known = set(links.get_column("comment_id").to_list())
    parent = {c: (p if p in known else None) for c, p in links.iter_rows()}
    root: dict[str, str] = {}
    level: dict[str, int] = {}
    for cid in links.get_column("comment_id").to_list():
        walk = []
        n = cid
        while n not in root and parent.get(n) is not None and n not in walk:
            walk.append(n)
            n = parent[n]
        if n not in root:
            root[n], level[n] = n, 0
        base_root, base_level = root[n], level[n]
        for k, w in enumerate(reversed(walk), 1):
            root[w], level[w] = base_root, base_level + k
    ids = links.get_column("comment_id").to_list()
    return pl.DataFrame({"comment_id": ids, "root_id": [root[i] for i in ids], "level": [level[i] for i in ids]},
                        schema={"comment_id": pl.String, "root_id": pl.String, "level": pl.Int64})


def with_thread_scores(comments: pl.DataFrame) -> pl.DataFrame:
    """``comments`` with the :data:`discourse.schema.THREAD_SCORES` columns appended; rows kept in order.

    A reply *turns* the tone when its label and its parent's are opposite (positive against negative).
    The columns are computed from the ids, scores and labels alone and set beside the comments, so the
    comments' other columns (their texts) are not copied by the joins; where ids repeat, and joins could
    add rows, the whole table goes through them as before.
    """
    narrow = _with_thread_scores(comments.select("comment_id", "parent_id", SCORE, LABEL))
    if narrow.height != comments.height:
        return _with_thread_scores(comments)
    return comments.hstack(narrow.select([c.name for c in schema.THREAD_SCORES]).rechunk())


def _with_thread_scores(comments: pl.DataFrame) -> pl.DataFrame:
    parent = comments.select(
        pl.col("comment_id").alias("parent_id"),
        pl.col(SCORE).alias("thread_parent_score"),
        pl.col(LABEL).alias("_parent_label"),
    )
    replies = comments.filter(pl.col("parent_id").is_not_null()).group_by("parent_id").len("thread_replies")
    subtree = _subtree_sizes(comments)
    out = (
        comments.with_row_index("_row")
        .join(parent, on="parent_id", how="left")
        .join(replies.rename({"parent_id": "comment_id"}), on="comment_id", how="left")
        .join(subtree, on="comment_id", how="left")
        .sort("_row")
        .with_columns(
            pl.col("thread_replies").fill_null(0),
            (pl.col(SCORE) - pl.col("thread_parent_score")).alias("thread_delta"),
            (
                ((pl.col(LABEL) == "positive") & (pl.col("_parent_label") == "negative"))
                | ((pl.col(LABEL) == "negative") & (pl.col("_parent_label") == "positive"))
            ).fill_null(False).alias("thread_turn"),
        )
    )
    cols = [c for c in comments.columns] + [c.name for c in schema.THREAD_SCORES]
    return out.select(cols)


def _subtree_sizes(comments: pl.DataFrame) -> pl.DataFrame:
    forest = _forest(comments)
    if forest is None:
        return _subtree_sizes_walk(comments)
    _, level, parent = forest
    sizes = np.ones(len(level), dtype=np.int64)
    # deepest level first, each adding its subtrees to their parents
    order = np.argsort(-level, kind="stable")
    bounds = np.flatnonzero(np.diff(level[order])) + 1
    for group in np.split(order, bounds):
        group = group[parent[group] >= 0]
        np.add.at(sizes, parent[group], sizes[group])
    return pl.DataFrame({"comment_id": comments.get_column("comment_id"), "thread_subtree": sizes},
                        schema={"comment_id": pl.String, "thread_subtree": pl.Int64})


def _subtree_sizes_walk(comments: pl.DataFrame) -> pl.DataFrame:
    lv = _levels_walk(comments)
    sizes = {c: 1 for c in lv.get_column("comment_id").to_list()}
    parent = dict(comments.select("comment_id", "parent_id").iter_rows())
    for cid, _level in sorted(lv.select("comment_id", "level").iter_rows(), key=lambda r: -r[1]):
        p = parent.get(cid)
        if p is not None and p in sizes:
            sizes[p] += sizes[cid]
    return pl.DataFrame({"comment_id": list(sizes), "thread_subtree": list(sizes.values())},
                        schema={"comment_id": pl.String, "thread_subtree": pl.Int64})


def threads(comments: pl.DataFrame) -> pl.DataFrame:
    """One row per thread (a top-level comment and its replies): the :data:`schema.THREADS` table."""
    if comments.height == 0:
        return schema.frame(schema.THREADS)
    lv = levels(comments)
    c = comments.select("article_id", "comment_id", "thread_delta", "thread_turn").join(
        lv, on="comment_id", maintain_order="left")
    breadth = c.group_by("root_id", "level").len("n").group_by("root_id").agg(pl.col("n").max().alias("breadth"))
    out = (
        c.group_by("root_id", maintain_order=True)
        .agg(
            pl.col("article_id").first(),
            pl.len().alias("size"),
            pl.col("level").max().alias("depth"),
            pl.col("thread_delta").abs().mean().alias("mean_abs_delta"),
            pl.col("thread_turn").sum().cast(pl.Int64).alias("n_turns"),
        )
        .join(breadth, on="root_id", maintain_order="left")
        .with_columns(((pl.col("size") - 1) / pl.col("size")).alias("reply_share"))
    )
    return schema.conform(schema.THREADS, out)


# ---- who is one person: the policy for shared names -------------------------------------------------------

#: Names that stand for many people (anonymous posting, deleted accounts), compared without case or
#: surrounding spaces. A comment under one of them, or under no name, is not by a known person: it is its
#: own speaker, ``<name> #<comment_id>`` (``Anonymous #002/7.1``, ``[unknown] #003/2``), in the ``edges``
#: and ``speakers`` tables, in GraphML nodes and in ConvoKit speakers alike. ``comments.author`` keeps the
#: name as shown.
SHARED_AUTHORS = frozenset({"[deleted]", "[removed]", "deleted", "removed", "anonymous", "guest", "[unknown]", ""})
NO_AUTHOR = "[unknown]"


def is_shared(author: str | None) -> bool:
    """True when ``author`` is missing or a shared name (:data:`SHARED_AUTHORS`): not one person."""
    return author is None or author.strip().casefold() in SHARED_AUTHORS


def speaker_of(author: str | None, comment_id: str) -> str:
    """The speaker of a comment: its author, or ``<name> #<comment_id>`` for a shared or missing name.

    >>> speaker_of("Ani", "002/1"), speaker_of("Anonymous", "002/1"), speaker_of(None, "002/2")
    ('Ani', 'Anonymous #002/1', '[unknown] #002/2')
    """
    if not is_shared(author):
        return author  # type: ignore[return-value]
    return f"{author.strip() or NO_AUTHOR if author is not None else NO_AUTHOR} #{comment_id}"


def speaker(author: str = "author", comment_id: str = "comment_id") -> pl.Expr:
    """:func:`speaker_of` as a polars expression over the columns ``author`` and ``comment_id``."""
    a = pl.col(author)
    shared = a.is_null() | a.str.strip_chars().str.to_lowercase().is_in(sorted(SHARED_AUTHORS))
    name = pl.when(a.is_null() | (a.str.strip_chars() == "")).then(pl.lit(NO_AUTHOR)).otherwise(a.str.strip_chars())
    return pl.when(shared).then(name + " #" + pl.col(comment_id)).otherwise(a)


def edges(comments: pl.DataFrame) -> pl.DataFrame:
    """The reply network: one row per reply, replying speaker -> replied-to speaker (:data:`schema.EDGES`;
    shared names are one speaker per comment, see :func:`speaker_of`)."""
    parents = comments.select(pl.col("comment_id").alias("parent_id"),
                              speaker("author", "comment_id").alias("target"))
    # only the columns the edges take: a filter of the whole table would copy every comment's columns
    replies = comments.select("article_id", "comment_id", "parent_id", "author", SCORE, "thread_parent_score",
                              "thread_delta").filter(pl.col("parent_id").is_not_null())
    out = (
        replies.join(parents, on="parent_id", how="inner", maintain_order="left")
        .select(
            "article_id", "comment_id", "parent_id", speaker().alias("source"), "target",
            pl.col(SCORE).alias("score"), pl.col("thread_parent_score").alias("parent_score"),
            pl.col("thread_delta").alias("delta"),
        )
    )
    return schema.conform(schema.EDGES, out)


def speakers(comments: pl.DataFrame, edges_: pl.DataFrame) -> pl.DataFrame:
    """One row per speaker (:data:`schema.SPEAKERS`): per author, and per comment for a shared or missing
    name (:func:`speaker_of`)."""
    if comments.height == 0:
        return schema.frame(schema.SPEAKERS)
    base = comments.with_columns(speaker().alias("author")).group_by("author").agg(
        pl.len().alias("n_comments"),
        pl.col("article_id").n_unique().alias("n_articles"),
        pl.col("parent_id").is_not_null().sum().cast(pl.Int64).alias("n_replies"),
        pl.col(SCORE).filter(~pl.col("text_missing")).mean().alias("mean_score"),
        pl.col("topic_tags").list.explode(keep_nulls=False, empty_as_null=False).unique().sort().alias("topics"),
    )
    to = (edges_.filter(pl.col("source").is_not_null() & pl.col("target").is_not_null())
          .group_by(pl.col("source").alias("author"))
          .agg(pl.col("target").unique().sort().alias("replies_to")))
    out = (base.join(to, on="author", how="left")
           .with_columns(pl.col("replies_to").fill_null(pl.lit([], dtype=pl.List(pl.String))))
           .sort(["n_comments", "author"], descending=[True, False]))
    return schema.conform(schema.SPEAKERS, out)
