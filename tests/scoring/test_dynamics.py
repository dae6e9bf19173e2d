"""Thread dynamics: replies, subtree sizes, deltas, turns, thread summaries, edges and speakers."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discourse import schema
from discourse.scoring.dynamics import (
    edges,
    is_shared,
    speaker,
    speaker_of,
    speakers,
    threads,
    with_thread_scores,
)


def comments(rows):
    """rows: (comment_id, parent_id, author, score, label)"""
    return pl.DataFrame(
        [(cid.split("/")[0], cid, pid, a, s, lab, s is None, ["unity"] if a == "jOE" else [])
         for cid, pid, a, s, lab in rows],
        schema={"article_id": pl.String, "comment_id": pl.String, "parent_id": pl.String, "author": pl.String,
                "sent_score": pl.Float64, "sent_label": pl.String, "text_missing": pl.Boolean,
                "topic_tags": pl.List(pl.String)}, orient="row")


C = comments([
    ("a/1", None, "Tavit", -0.5, "negative"),
    ("a/1.1", "a/1", "jOE", 0.4, "positive"),
    ("a/1.1.1", "a/1.1", "Tavit", 0.0, "neutral"),
    ("a/1.2", "a/1", "Ani", -0.6, "negative"),
    ("a/2", None, "jOE", None, None),
    ("b/1", None, "Ani", 0.2, "positive"),
])


def test_per_comment_scores():
    out = with_thread_scores(C)
    assert out.columns == C.columns + [c.name for c in schema.THREAD_SCORES]
    assert out.get_column("comment_id").to_list() == C.get_column("comment_id").to_list()
    got = out.select("thread_replies", "thread_subtree", "thread_parent_score", "thread_delta", "thread_turn").rows()
    assert got == [(2, 4, None, None, False), (1, 2, -0.5, pytest.approx(0.9), True),
                   (0, 1, 0.4, pytest.approx(-0.4), False), (0, 1, -0.5, pytest.approx(-0.1), False),
                   (0, 1, None, None, False), (0, 1, None, None, False)]


def test_threads_table():
    t = threads(with_thread_scores(C))
    assert t.columns == schema.THREADS.names
    row = t.row(0, named=True)
    assert (row["root_id"], row["size"], row["depth"], row["breadth"], row["n_turns"]) == ("a/1", 4, 2, 2, 1)
    assert row["reply_share"] == pytest.approx(0.75)
    assert row["mean_abs_delta"] == pytest.approx((0.9 + 0.4 + 0.1) / 3)
    assert t.get_column("root_id").to_list() == ["a/1", "a/2", "b/1"]
    assert t.filter(pl.col("root_id") == "a/2").item(0, "mean_abs_delta") is None


def test_edges_and_speakers():
    scored = with_thread_scores(C)
    e = edges(scored)
    assert e.select("source", "target").rows() == [("jOE", "Tavit"), ("Tavit", "jOE"), ("Ani", "Tavit")]
    s = speakers(scored, e)
    assert s.columns == schema.SPEAKERS.names
    tavit = s.filter(pl.col("author") == "Tavit").row(0, named=True)
    assert (tavit["n_comments"], tavit["n_replies"], tavit["replies_to"]) == (2, 1, ["jOE"])
    assert tavit["mean_score"] == pytest.approx(-0.25)
    joe = s.filter(pl.col("author") == "jOE").row(0, named=True)
    assert joe["mean_score"] == pytest.approx(0.4) and joe["topics"] == ["unity"]  # empty comment not averaged
    ani = s.filter(pl.col("author") == "Ani").row(0, named=True)
    assert ani["n_articles"] == 2


def test_a_shared_name_is_one_speaker_per_comment():
    c = with_thread_scores(comments([("a/1", None, "[deleted]", 0.1, "positive"),
                                     ("a/2", None, "Anonymous", 0.1, "positive"),
                                     ("a/2.1", "a/2", "anonymous ", 0.2, "positive"),
                                     ("a/2.1.1", "a/2.1", "Ani", 0.3, "positive"),
                                     ("a/3", None, None, 0.0, "neutral")]))
    e = edges(c)
    assert e.select("source", "target").rows() == [("anonymous #a/2.1", "Anonymous #a/2"),
                                                   ("Ani", "anonymous #a/2.1")]
    s = speakers(c, e)
    assert sorted(s.get_column("author")) == ["Ani", "Anonymous #a/2", "[deleted] #a/1", "[unknown] #a/3",
                                              "anonymous #a/2.1"]
    assert s.get_column("n_comments").to_list() == [1] * 5
    assert s.filter(pl.col("author") == "Ani").get_column("replies_to").to_list() == [["anonymous #a/2.1"]]


def test_speaker_of_and_its_expression_agree():
    names = ["Ani", None, "", " Guest ", "GUEST", "[deleted]", "[removed]", "deleted", "Anonymous", "Anon", "[unknown]"]
    df = pl.DataFrame({"author": names, "comment_id": [f"x/{i}" for i in range(len(names))]})
    assert df.select(speaker()).to_series().to_list() == [speaker_of(a, c) for a, c in df.rows()]
    assert [is_shared(a) for a in names] == [False, True, True, True, True, True, True, True, True, False, True]


@settings(max_examples=100, deadline=None)
@given(parents=st.lists(st.integers(-1, 30), min_size=1, max_size=30),
       scores=st.lists(st.floats(-1, 1), min_size=30, max_size=30))
def test_invariants_on_random_forests(parents, scores):
    rows = []
    for i, p in enumerate(parents):
        pid = f"x/{p}" if 0 <= p < i else None
        s = scores[i]
        rows.append((f"x/{i}", pid, f"u{i % 3}", s, "positive" if s >= 0.05 else "negative" if s <= -0.05 else "neutral"))
    c = comments(rows)
    out = with_thread_scores(c)
    assert out.height == c.height
    t = threads(out)
    assert t.get_column("size").sum() == c.height
    roots = out.filter(pl.col("parent_id").is_null())
    assert roots.get_column("thread_subtree").sum() == c.height
    assert out.get_column("thread_replies").sum() == c.filter(pl.col("parent_id").is_not_null()).height
    assert edges(out).height == c.filter(pl.col("parent_id").is_not_null()).height


_LINK = st.tuples(st.integers(0, 30), st.one_of(st.none(), st.integers(0, 35)))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(_LINK, max_size=30), st.lists(_LINK, max_size=30, unique_by=lambda link: link[0])))
def test_vectorised_levels_and_sizes_equal_the_walk(links):
    # random parent links: forests, unknown parents, cycles and duplicate ids (the last two take the walk)
    from discourse.scoring import dynamics

    frame = pl.DataFrame({"comment_id": [f"c{a}" for a, _ in links],
                          "parent_id": [None if b is None else f"c{b}" for _, b in links]},
                         schema={"comment_id": pl.String, "parent_id": pl.String})
    assert dynamics.levels(frame).equals(dynamics._levels_walk(frame))
    assert dynamics._subtree_sizes(frame).equals(dynamics._subtree_sizes_walk(frame))


def test_a_deep_chain_is_vectorised():
    from discourse.scoring import dynamics

    n = 5_000
    frame = pl.DataFrame({"comment_id": [f"c{i}" for i in range(n)],
                          "parent_id": [None] + [f"c{i}" for i in range(n - 1)]})
    assert dynamics._forest(frame) is not None
    assert dynamics.levels(frame).get_column("level").to_list() == list(range(n))
    assert dynamics._subtree_sizes(frame).get_column("thread_subtree").to_list() == list(range(n, 0, -1))


def test_thread_scores_beside_the_comments_equal_the_joins_over_the_whole_table():
    from discourse.scoring.dynamics import _with_thread_scores, with_thread_scores

    base = pl.DataFrame({"comment_id": ["1", "2", "3", "4"], "parent_id": [None, "1", "2", "1"],
                         "sent_score": [0.5, -0.6, 0.7, None], "sent_label": ["positive", "negative", "positive", None],
                         "text": ["a", "b", "c", "d"]})
    for comments in (base, pl.concat([base, base.head(2)])):  # the second repeats ids: joins add rows
        out = with_thread_scores(comments)
        assert out.equals(_with_thread_scores(comments))
    assert with_thread_scores(base).height == 4 and pl.concat([base, base.head(2)]).pipe(with_thread_scores).height > 6
