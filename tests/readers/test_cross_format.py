"""The same conversation written in every supported format reads into the same tree.

Each file in ``tests/fixtures/same_conversation/`` holds one article ("Lavrov Visits Yerevan") with the
six comments of ``expected.json`` as (depth, author, text) in display order.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import discourse
from discourse.readers import detect, readers
from discourse.writers import write_convokit

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "same_conversation"
EXPECTED = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
FIXTURES = sorted(p for p in HERE.iterdir() if p.name != "expected.json")


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_same_tree_in_every_format(path):
    corpus = discourse.read(path, strict=True)
    assert corpus.articles.height == 1
    assert corpus.articles.item(0, "title") == EXPECTED["title"]
    got = [list(r) for r in corpus.comments.select("depth", "author", "text").iter_rows()]
    assert got == EXPECTED["comments"]
    assert corpus.check().height == 0


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_detection_picks_the_named_reader(path):
    assert detect(path).name == path.name.split(".")[0].split("_")[0]


def test_every_reader_has_a_fixture():
    names = {p.name.split(".")[0].split("_")[0] for p in FIXTURES}
    assert set(readers()) <= names, f"no same-conversation fixture for {set(readers()) - names}"


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_convokit_export_reads_back_the_same(path, tmp_path):
    corpus = discourse.read(path, strict=True)
    back = discourse.read(write_convokit(corpus.comments, corpus.articles, tmp_path / "corpus"), strict=True)
    assert back.articles.item(0, "title") == EXPECTED["title"]
    assert back.articles.item(0, "body") == corpus.articles.item(0, "body")
    assert [list(r) for r in back.comments.select("depth", "author", "text").iter_rows()] == EXPECTED["comments"]


def test_unrecognised_file_lists_the_formats_and_the_option(tmp_path):
    from discourse.errors import FormatError

    odd = tmp_path / "export.xml"
    odd.write_text('<?xml version="1.0"?><catalog><book id="1"/></catalog>\n', encoding="utf-8")
    with pytest.raises(FormatError) as err:
        detect(odd)
    message = str(err.value)
    assert str(odd) in message and "no reader recognises this file" in message
    assert all(name in message for name in readers()) and "--format" in message
    corpus = discourse.read(tmp_path)  # in a corpus run it is reported and skipped
    assert corpus.diagnostics.filter(corpus.diagnostics["level"] == "error").height == 1
