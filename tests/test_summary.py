"""Tests for discourse.summary: the terminal views of a corpus."""

from __future__ import annotations

from pathlib import Path

import discourse
from discourse.summary import TREE_INDENT_LEVELS, render_tree


def _read(tmp_path: Path, rows: list[tuple[int, int | None, str]]) -> discourse.Corpus:
    path = tmp_path / "thread.csv"
    path.write_text("id,parent,author,text\n" + "".join(
        f"{i},{'' if p is None else p},ani,{text}\n" for i, p, text in rows), encoding="utf-8")
    return discourse.read([path], format="table")


def test_a_tree_is_drawn_with_its_branches(tmp_path: Path) -> None:
    corpus = _read(tmp_path, [(1, None, "first"), (2, 1, "reply"), (3, 2, "deeper"), (4, 1, "second reply"),
                              (5, None, "another")])
    [article] = corpus.articles.get_column("article_id").to_list()
    lines = render_tree(corpus, article).splitlines()[1:]
    assert lines == ["├─ 1  ani: first", "│  ├─ 1.1  ani: reply", "│  │  └─ 1.2  ani: deeper",
                     "│  └─ 1.3  ani: second reply", "└─ 2  ani: another"]


def test_a_50000_deep_chain_is_drawn_in_bounded_width(tmp_path: Path) -> None:
    # the walk was recursive (RecursionError at about 1,000 levels), and each line's indentation grew with
    # its depth (50,000 levels would have drawn 3.7 billion characters)
    n = 50_000
    corpus = _read(tmp_path, [(i, i - 1 if i else None, f"reply {i}") for i in range(n)])
    [article] = corpus.articles.get_column("article_id").to_list()
    lines = render_tree(corpus, article).splitlines()
    assert len(lines) == n + 1
    assert lines[1:3] == ["└─ 1  ani: reply 0", "   └─ 1.1  ani: reply 1"]
    assert lines[1 + TREE_INDENT_LEVELS] == "   " * TREE_INDENT_LEVELS + "└─ 1.50  ani: reply 50"
    assert lines[2 + TREE_INDENT_LEVELS] == "   " * TREE_INDENT_LEVELS + "… +1 └─ 1.51  ani: reply 51"
    assert lines[-1] == "   " * TREE_INDENT_LEVELS + f"… +{n - 1 - TREE_INDENT_LEVELS} └─ 1.{n - 1}  ani: reply {n - 1}"
    assert max(map(len, lines)) < 3 * TREE_INDENT_LEVELS + 40
