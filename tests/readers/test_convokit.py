"""The ConvoKit corpus reader: both key spellings, old and new layouts, the root as article or comment,
orphans, binary meta left unopened, missing conversation ids, limits."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import shutil
from pathlib import Path

import polars as pl
import pytest

import discourse
from discourse.errors import FormatError, InputError
from discourse.readers import convokit, detect
from discourse.readers.base import ReadOptions

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "convokit"
UTC = dt.timezone.utc


def tree(corpus, article_id=None):
    c = corpus.comments if article_id is None else corpus.comments.filter(pl.col("article_id") == article_id)
    return [(r["depth"], r["source_id"], r["author"], r["text"], r["status"], r["orphan"])
            for r in c.iter_rows(named=True)]


def report(corpus, row=0):
    return json.loads(corpus.files.item(row, "report"))


@pytest.fixture(scope="module")
def sample():
    return discourse.read(FIX / "armenia_sample", strict=True)


def test_reddit_style_root_post_is_the_article(sample):
    a = sample.articles.row(0, named=True)
    assert (a["article_id"], a["title"], a["body"], a["published"], a["format"]) == (
        "armenia_sample:p_16x0abc", "Lavrov says peacekeepers stay", "Lavrov says peacekeepers stay",
        dt.date(2023, 9, 28), "convokit")
    assert sample.articles.height == 1


def test_both_reply_keys_orphans_and_deleted_parents(sample):
    assert tree(sample) == [
        (0, "k3m9q2a", "ani_h", "They just watched.", "visible", False),
        (1, "k3mb1zz", None, "", "deleted", False),  # `reply_to` spelling; deleted, but its reply keeps it
        (2, "k3mc7hh", "baku_watcher", "Both sides lose.", "visible", False),  # listed before its parent
        (0, "k3md0aa", "lori_guy", "> quote\n\nreply to a comment that was not sampled", "visible", True),
        (0, "k3me5bb", "gyumri_1988", "", "removed", False),
    ]
    assert sample.comments.get_column("created").to_list()[:2] == [
        dt.datetime.fromtimestamp(1695900112, UTC), dt.datetime.fromtimestamp(1695900840, UTC)]
    assert sample.comments.get_column("line_start").to_list() == [3, 4, 2, 5, 6]
    orphan = sample.diagnostics.filter(pl.col("code") == "orphan").row(0, named=True)
    assert "'k3zzzzz'" in orphan["message"]
    assert sample.check().height == 0


def test_binary_meta_is_named_never_unpickled(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("a pickle was opened")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "Unpickler", refuse)
    corpus = discourse.read(FIX / "armenia_sample", strict=True)
    note = corpus.diagnostics.filter(pl.col("code") == "binary-meta").row(0, named=True)
    assert note["level"] == "note" and note["message"].endswith(": parsed")
    assert report(corpus) == {
        "dropped": {}, "repaired": {"orphan": 1},
        "kept": {"article-roots": 1, "articles": 1, "comments": 5, "speakers": 6, "utterances": 6}}


def test_old_layout_user_root_users_json_and_comment_roots():
    corpus = discourse.read(FIX / "awry_old", strict=True)
    assert corpus.articles.select("article_id", "title", "body", "published").rows() == [
        ("awry_old:c100", "conversation c100", "", None), ("awry_old:c200", "conversation c200", "", None)]
    # no title: the root utterance is a comment (Conversations Gone Awry); no times: file order
    assert tree(corpus, "awry_old:c100") == [
        (0, "c100", "delta_bot", "Top-level comment that starts the conversation.", "visible", False),
        (1, "c101", "hayk", "First reply.", "visible", False),
        (1, "c102", "nare", "Second reply, shown after the first.", "visible", False),
        (2, "c103", "hayk", "Reply to the second.", "visible", False),
    ]
    # missing `root` filled by walking up the replies; float timestamps; [deleted] speaker is no one
    assert tree(corpus, "awry_old:c200") == [
        (0, "c200", "nare", "Another conversation.", "visible", False),
        (1, "c201", None, "Account gone, words stay.", "visible", False),
        (2, "c202", "tigran", "Answering the vanished account.", "visible", False),
    ]
    assert corpus.comments.filter(pl.col("article_id") == "awry_old:c200").item(0, "created") == \
        dt.datetime(2017, 7, 14, 2, 41, 40, 500000, tzinfo=UTC)
    assert report(corpus)["repaired"] == {"conversation-id": 2}
    assert report(corpus)["kept"]["speakers"] == 5
    assert corpus.diagnostics.filter(pl.col("code") == "no-title").height == 1


def test_utterances_json_array():
    corpus = discourse.read(FIX / "array_format", strict=True)
    assert [(d, s, a) for d, s, a, *_ in tree(corpus)] == [
        (0, "145", "chief justice roberts"), (1, "199", "justice kagan"), (2, "200", "mr. srinivasan")]
    assert report(corpus)["dropped"] == {"not-an-object": 1}
    assert corpus.comments.get_column("line_start").to_list() == [None, None, None]


def test_missing_side_files_are_tolerated(tmp_path):
    shutil.copy(FIX / "armenia_sample" / "utterances.jsonl", tmp_path / "utterances.jsonl")
    corpus = discourse.read(tmp_path, strict=True)
    # without conversations.json there is no title, so the post is an ordinary root comment
    assert corpus.comments.height == 6 and corpus.comments.item(0, "source_id") == "p_16x0abc"
    assert {"no-conversations-file", "no-title"} <= set(corpus.diagnostics.get_column("code"))


def test_marker_makes_the_root_an_article_without_title(tmp_path):
    lines = [
        {"id": "A", "conversation_id": "A", "speaker": "[article]", "reply-to": None, "timestamp": None,
         "text": "Body one.\n\nBody two.", "meta": {"discourse_kind": "article"}},
        {"id": "A/1", "conversation_id": "A", "speaker": "x", "reply-to": "A", "timestamp": None, "text": "hi",
         "meta": {"discourse_kind": "comment", "status": "placeholder", "number": 4}},
    ]
    (tmp_path / "utterances.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    parsed = convokit.read(tmp_path, ReadOptions())
    art = parsed.articles[0]
    assert [p.text for p in art.paragraphs] == ["Body one.", "Body two."]
    c = art.comments[0]
    assert (c.parent, c.status, c.number, c.text) == (None, "placeholder", 4, "hi")


def test_bad_lines_and_bad_times_are_reported(tmp_path):
    (tmp_path / "utterances.jsonl").write_text(
        '{"id": "1", "speaker": "a", "conversation_id": "1", "reply-to": null, "timestamp": "soon", "text": "x"}\n'
        '{"id": "2", "speaker": "b", "conversation_id": "1", "reply-to": "1", "timestamp": 5, "text": "y"\n'
        '{"speaker": "c", "conversation_id": "1", "reply-to": "1", "text": "no id"}\n', encoding="utf-8")
    parsed = convokit.read(tmp_path, ReadOptions())
    assert parsed.report.dropped == {"bad-json": 1, "no-id": 1} and parsed.report.repaired == {"bad-time": 1}
    assert [(d.code, d.line, Path(d.path).name) for d in parsed.diagnostics if d.level == "warning"] == [
        ("bad-time", 1, "utterances.jsonl"), ("bad-json", 2, "utterances.jsonl"), ("no-id", 3, "utterances.jsonl")]


def test_line_limit_and_not_a_corpus(tmp_path):
    (tmp_path / "utterances.jsonl").write_text('{"id": "1", "text": "' + "x" * 300 + '"}\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        convokit.read(tmp_path, ReadOptions(max_line=100))
    assert err.value.line == 1 and err.value.path.endswith("utterances.jsonl")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no utterances.jsonl"):
        convokit.read(empty, ReadOptions())
    (empty / "utterances.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        convokit.read(empty, ReadOptions())
    (empty / "utterances.jsonl").write_text("[]\n", encoding="utf-8")
    with pytest.raises(FormatError, match="no utterances"):
        convokit.read(empty, ReadOptions())


def test_size_limit_applies_to_every_file(tmp_path):
    shutil.copytree(FIX / "armenia_sample", tmp_path / "c")
    with pytest.raises(InputError, match="utterances.jsonl: file is .* over the 1,000-byte limit"):
        convokit.read(tmp_path / "c", ReadOptions(max_bytes=1000))
    (tmp_path / "c" / "speakers.json").write_text(json.dumps({f"s{i}": {} for i in range(2000)}))
    with pytest.raises(InputError, match="speakers.json: file is"):
        convokit.read(tmp_path / "c", ReadOptions(max_bytes=5000))


def test_detection_and_folder_scan(tmp_path):
    assert detect(FIX / "awry_old").name == "convokit"
    assert convokit.sniff(FIX, b"") == 0.0
    # a folder of corpora: each corpus folder is one input, its files are not scanned on their own
    corpus = discourse.read(FIX)
    assert sorted(corpus.files.get_column("source_path").to_list()) == sorted(
        str(FIX / n) for n in ("armenia_sample", "array_format", "awry_old"))
    assert corpus.files.get_column("status").to_list() == ["read"] * 3
