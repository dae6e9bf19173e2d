"""The development-set evaluation script (tests/data/karabakh_comments/evaluate.py): the split rule keeps test
pages out before their comments are read, and the figures are computed as defined."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "data" / "karabakh_comments" / "evaluate.py"


@pytest.fixture(scope="module")
def ev():
    spec = importlib.util.spec_from_file_location("karabakh_evaluate", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _url(part: int) -> str:
    """A url whose page falls in split bucket ``part`` (0-4) of the GUIDELINES rule."""
    for i in range(1000):
        url = f"https://example.org/page{i}"
        if int(hashlib.sha1(url.encode()).hexdigest(), 16) % 5 == part:
            return url
    raise AssertionError


def test_the_split_rule(ev):
    assert [ev.is_test_page(_url(k)) for k in range(5)] == [True, True, False, False, False]


def test_test_pages_are_skipped_before_their_comments_are_read(ev, tmp_path):
    dev = {"page": "D1", "url": _url(3), "comments": [
        {"id": "D1-01", "text": "Russia betrayed us", "topics": ["betrayal"], "sentiment": "negative"}]}
    # a test page whose comments cannot even be read: touching them would fail
    test = {"page": "T1", "url": _url(0), "comments": "not a list"}
    (tmp_path / "D1.json").write_text(json.dumps(dev), encoding="utf-8")
    (tmp_path / "T1.json").write_text(json.dumps(test), encoding="utf-8")
    got = ev.development_comments(tmp_path)
    assert [(c.comment_id, c.topics, c.sentiment) for c in got] == [("D1/D1-01", frozenset({"betrayal"}), "negative")]


def test_topic_figures(ev):
    gold = [frozenset({"betrayal"}), frozenset({"unity", "war_violence"}), frozenset()]
    pred = [frozenset({"betrayal", "war_violence"}), frozenset({"war_violence"}), frozenset({"unity"})]
    fig = ev.topic_figures(gold, pred)
    assert fig["per_topic"]["betrayal"] | {} == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 1, "fp": 0, "fn": 0,
                                                 "support": 1}
    assert (fig["micro"]["tp"], fig["micro"]["fp"], fig["micro"]["fn"]) == (2, 2, 1)
    assert fig["micro"]["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert (fig["core"]["tp"], fig["core"]["fp"], fig["core"]["fn"]) == (1, 1, 1)


def test_sentiment_figures(ev):
    gold = ["negative", "negative", "neutral", "positive"]
    fig = ev.sentiment_figures(gold, {"score": [-0.5, 0.3, 0.0, 0.9]})
    assert fig["always negative"]["accuracy"] == 0.5
    assert fig["score"]["accuracy"] == 0.75 and fig["score"]["confusion"]["negative"]["positive"] == 1
    # macro-F1: negative 2/3, neutral 1, positive 2/3
    assert fig["score"]["macro_f1"] == pytest.approx((2 / 3 + 1 + 2 / 3) / 3)


def test_permalinks_into_a_thread_are_split_with_their_thread(ev):
    """GUIDELINES.md splits threads, not pages: every permalink of one thread is in the part of its thread key,
    as dataset.py splits them (the script once hashed the whole address and read test threads as dev)."""
    spec = importlib.util.spec_from_file_location("karabakh_dataset", SCRIPT.parent / "dataset.py")
    dataset = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dataset)
    base = "https://r.example/r/armenia/comments/"
    for i in range(40):
        thread = f"{base}t{i}x"
        for url in (thread, f"{thread}/title/c{i}/?context=3", f"{thread}/title/d{i}/"):
            assert ev.thread_key(url) == thread
            assert ev.is_test_page(url) == (dataset.part_of(url) == "test") == ev.is_test_page(thread)
    for path in sorted((SCRIPT.parent / "pages").glob("*.json")):
        url = json.loads(path.read_text(encoding="utf-8"))["url"]
        assert ev.is_test_page(url) == (dataset.part_of(url) == "test"), path.name


def test_halves_split_the_development_pages(ev):
    comments = ev.development_comments()
    first, second = ev.half(comments, 1), ev.half(comments, 2)
    assert len(first) + len(second) == len(comments)
    assert not {c.page for c in first} & {c.page for c in second}
    assert abs(len({c.page for c in first}) - len({c.page for c in second})) <= 1


def test_page_letters_name_rounds_and_ranges(ev):
    assert ev.page_letters("A-D") == frozenset("ABCD")
    assert ev.page_letters("E") == frozenset("E")
    assert ev.page_letters("ac") == frozenset("AC")
    assert ev.page_letters("A-C,E") == frozenset("ABCE")
    for bad in ("", "D-A", "1", "A-D;E", "A--D"):
        with pytest.raises(SystemExit):
            ev.page_letters(bad)


def test_pages_select_rounds_by_the_letter_of_the_page_id(ev):
    comments = ev.development_comments()
    last = max(c.page[0] for c in comments)
    early, late = ev.on_pages(comments, "A-D"), ev.on_pages(comments, f"E-{last}")
    assert {c.page[0] for c in early} == set("ABCD")
    assert {c.page[0] for c in late} == {chr(k) for k in range(ord("E"), ord(last) + 1)}
    assert len(early) + len(late) == len(comments)
    assert ev.on_pages(comments, None) == comments
    assert [c.comment_id for c in ev.on_pages(comments, "B")] == [c.comment_id for c in comments if c.page[0] == "B"]


def test_parts_table_counts_each_round_and_the_whole(ev):
    table = ev.parts_table([("default", None)])
    rows = [line.split("|")[1:-1] for line in table.splitlines()[2:]]
    counts = {r[1].strip(): int(r[2]) for r in rows}
    comments = ev.development_comments()
    assert counts == {"A-D": len(ev.on_pages(comments, "A-D")), "E": len(ev.on_pages(comments, "E")),
                      "whole": len(comments)}
    whole = ev.evaluate(sentiment_rules=())["topics"]["micro"]
    assert rows[2][5].strip() == f"**{whole['f1']:.2f}**"


def test_rounds_name_the_rows_of_the_parts_table(ev, capsys):
    comments = ev.development_comments()
    later = f"F-{max(c.page[0] for c in comments)}"
    assert ev.main(["--parts", "default=default", "--rounds", "A-E", later]) == 0
    rows = [line.split("|")[1:-1] for line in capsys.readouterr().out.splitlines()[2:] if line.startswith("|")]
    assert [(r[1].strip(), int(r[2])) for r in rows] == [
        ("A-E", len(ev.on_pages(comments, "A-E"))), (later, len(ev.on_pages(comments, later))),
        ("whole", len(comments))]
    assert len(ev.on_pages(comments, "A-E")) + len(ev.on_pages(comments, later)) == len(comments)
    with pytest.raises(SystemExit):
        ev.main(["--parts", "default=default", "--rounds", "F-A"])


def test_main_filters_pages_for_figures_and_errors(ev, capsys):
    assert ev.main(["--pages", "C", "--json"]) == 0
    fig = json.loads(capsys.readouterr().out)
    assert fig["comments"] == len(ev.on_pages(ev.development_comments(), "C"))
    assert ev.main(["--pages", "A", "--misses", "diaspora"]) == 0
    ids = [line.split()[1] for line in capsys.readouterr().out.splitlines() if line.startswith("--- ")]
    assert ids and all(i.startswith("A") for i in ids)
    with pytest.raises(SystemExit):
        ev.main(["--pages", "Q-A"])
