"""Linking flat records into trees: out-of-order input, orphans, cycles, duplicates, placeholders."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from discourse.model import check_tree
from discourse.readers.base import CommentRecord, ReadReport
from discourse.readers.tree import link, prune_dead
from discourse.schema import COMMENTS, frame


def rec(i, parent=None, text="t", **kw):
    return CommentRecord(source_id=str(i), parent=None if parent is None else str(parent), author=f"a{i}",
                         text=text, order=kw.pop("order", int(i) if str(i).isdigit() else 0), **kw)


def run(records):
    report, diags = ReadReport(), []
    rows, ids = link("A", records, "f", report, diags)
    return rows, ids, report, diags


def test_children_before_parents_are_linked():
    rows, ids, report, diags = run([rec(3, 1), rec(2, 1), rec(1)])
    assert [(r["comment_id"], r["parent_id"], r["depth"]) for r in rows] == [
        ("A/1", None, 0), ("A/1.1", "A/1", 1), ("A/1.2", "A/1", 1)]
    assert ids == {"1": "A/1", "2": "A/1.1", "3": "A/1.2"} and not diags


def test_orphans_are_kept_at_the_top_and_flagged():
    rows, _, report, diags = run([rec(1), rec(2, 99)])
    assert [(r["comment_id"], r["orphan"]) for r in rows] == [("A/1", False), ("A/2", True)]
    assert report.repaired["orphan"] == 1 and diags[0].code == "orphan"


def test_cycles_are_broken_and_reported():
    rows, _, report, diags = run([rec(1, 3), rec(2, 1), rec(3, 2), rec(4, 4)])
    assert len(rows) == 4 and report.repaired["cycle"] == 2
    assert check_tree(frame(COMMENTS, rows)).height == 0
    assert {d.code for d in diags} == {"cycle"}


def test_replies_listed_before_their_parents_in_display_order():
    # display order puts the reply first: not a cycle, and linked as when the parent comes first
    rows, ids, report, diags = run([rec(1, 2), rec(2), rec(3, 1)])
    assert [(r["comment_id"], r["parent_id"], r["author"]) for r in rows] == [
        ("A/1", None, "a2"), ("A/1.1", "A/1", "a1"), ("A/1.2", "A/1.1", "a3")]
    assert not diags and not report.repaired["cycle"]
    # the same with a loop beside it: the loop alone is cut, at its earliest comment
    rows, ids, report, diags = run([rec(1, 2), rec(2), rec(4, 5), rec(5, 4)])
    assert [(r["comment_id"], r["parent_id"], r["author"], r["orphan"]) for r in rows] == [
        ("A/1", None, "a2", False), ("A/1.1", "A/1", "a1", False), ("A/2", None, "a4", True),
        ("A/2.1", "A/2", "a5", False)]
    assert [d.code for d in diags] == ["cycle"] and report.repaired["cycle"] == 1


def test_duplicates_dropped_or_latest_kept():
    rows, _, report, diags = run([rec(1), rec(1), rec(2, text="old", retrieved=1.0),
                                  rec(2, text="new", retrieved=2.0)])
    assert [r["text"] for r in rows] == ["t", "new"]
    assert report.dropped["duplicate-record"] == 1 and report.repaired["duplicate-id"] == 1


def test_times_order_siblings_when_every_comment_has_one():
    t = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    rows, *_ = run([rec(1, created=t + dt.timedelta(hours=2)), rec(2, created=t)])
    assert [r["author"] for r in rows] == ["a2", "a1"]


def test_dead_leaves_dropped_dead_parents_kept_as_placeholders():
    report = ReadReport()
    kept = prune_dead([rec(1, status="deleted"), rec(2, 1), rec(3, status="removed")], report)
    assert [(r.source_id, r.status) for r in kept] == [("1", "placeholder"), ("2", "visible")]
    assert report.dropped["removed"] == 1 and report.repaired["placeholder"] == 1


@st.composite
def parent_lists(draw):
    n = draw(st.integers(1, 40))
    return [draw(st.one_of(st.none(), st.integers(0, n + 3))) for _ in range(n)]


@settings(max_examples=200, deadline=None)
@given(parents=parent_lists())
def test_any_parent_links_give_sound_trees(parents):
    records = [rec(i, p) for i, p in enumerate(parents)]
    rows, ids, _, _ = run(records)
    assert len(rows) == len(parents) and len(ids) == len(parents)
    assert check_tree(frame(COMMENTS, rows)).height == 0
    by_id = {r["comment_id"]: r for r in rows}
    for r in rows:
        if r["parent_id"] is not None:
            assert r["depth"] == by_id[r["parent_id"]]["depth"] + 1
