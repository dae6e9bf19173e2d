"""Tree helpers and integrity checks."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from discourse.model import Tree, check_tree

FRAME = pl.DataFrame({
    "article_id": ["a"] * 6,
    "comment_id": ["a/1", "a/1.1", "a/1.1.1", "a/1.2", "a/2", "a/2.1"],
    "parent_id": [None, "a/1", "a/1.1", "a/1", None, "a/2"],
    "depth": [0, 1, 2, 1, 0, 1],
})


def test_navigation():
    t = Tree.from_frame(FRAME)
    assert t.roots == ("a/1", "a/2")
    assert t.children("a/1") == ["a/1.1", "a/1.2"]
    assert t.parent("a/1.1.1") == "a/1.1" and t.parent("a/1") is None
    assert t.ancestors("a/1.1.1") == ["a/1.1", "a/1"]
    assert t.subtree("a/1") == ["a/1", "a/1.1", "a/1.1.1", "a/1.2"]
    assert list(t.preorder()) == FRAME.get_column("comment_id").to_list()
    assert list(t.postorder()) == ["a/1.1.1", "a/1.1", "a/1.2", "a/1", "a/2.1", "a/2"]
    assert list(t.breadth_first()) == ["a/1", "a/2", "a/1.1", "a/1.2", "a/2.1", "a/1.1.1"]
    assert t.depth("a/1.1.1") == 2 and len(t) == 6 and "a/2.1" in t


def test_sound_frame_has_no_problems():
    assert check_tree(FRAME).height == 0


def test_problems_are_reported_not_raised():
    bad = pl.DataFrame({
        "article_id": ["a", "a", "a", "a", "b", "a", "a"],
        "comment_id": ["a/1", "a/1", "a/2", "a/3", "b/1", "a/4", "a/5"],
        "parent_id": [None, None, "a/9", "a/1", "a/1", "a/5", "a/4"],
        "depth": [0, 0, 1, 2, 1, 1, 1],
    })
    problems = check_tree(bad)
    got = sorted(problems.select("problem", "comment_id").iter_rows())
    assert got == [("article", "b/1"), ("cycle", "a/4"), ("depth", "a/3"), ("depth", "a/4"), ("depth", "a/5"),
                   ("duplicate-id", "a/1"), ("missing-parent", "a/2")]
    t = Tree.from_frame(bad)  # does not raise; the cycle is not walked forever
    assert t.ancestors("a/4") == ["a/5"]


@st.composite
def forests(draw):
    n = draw(st.integers(1, 60))
    parents = [None] + [draw(st.one_of(st.none(), st.integers(0, i - 1))) for i in range(1, n)]
    return parents


@settings(max_examples=200, deadline=None)
@given(parents=forests())
def test_every_comment_appears_once_in_each_traversal(parents):
    ids = [f"x/{i}" for i in range(len(parents))]
    df = pl.DataFrame({"comment_id": ids, "parent_id": [None if p is None else ids[p] for p in parents]},
                      schema={"comment_id": pl.String, "parent_id": pl.String})
    t = Tree.from_frame(df)
    for order in (t.preorder(), t.postorder(), t.breadth_first()):
        assert sorted(order) == sorted(ids)
    post = list(t.postorder())
    for i, p in enumerate(parents):
        if p is not None:
            assert post.index(ids[i]) < post.index(ids[p])
            assert t.depth(ids[i]) == t.depth(ids[p]) + 1
