"""The ConvoKit writer: file layout, meta and index, determinism, the round trip through discourse's own
reader, and (when the optional convokit package is installed) loading with ConvoKit itself."""

from __future__ import annotations

import json
import math
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from threadgen import dump_lines, forests

import discourse
from discourse import schema
from discourse.errors import ReportError
from discourse.writers import write_convokit
from discourse.scoring.dynamics import speaker_of
from discourse.writers.convokit import ARTICLE_SPEAKER, NO_AUTHOR

ROOT = Path(__file__).resolve().parents[2]
THREADS = ROOT / "threads"
REDDIT = ROOT / "tests" / "fixtures" / "reddit"
SAME = ROOT / "tests" / "fixtures" / "same_conversation"


def with_fake_scores(comments: pl.DataFrame) -> pl.DataFrame:
    """The comments table with a few scoring columns, named and typed as in ``schema.SCORED_COMMENTS``."""
    n = comments.height
    compound = [round(math.sin(i + 1), 4) for i in range(n)]
    parent = [None if d == 0 else 0.25 for d in comments.get_column("depth")]
    delta = [None if p is None else c - p for c, p in zip(compound, parent, strict=True)]
    if n > 3:
        delta[3] = float("nan")  # not JSON: must become null
    scored = comments.with_columns(
        pl.Series("sent_compound", compound, pl.Float64),
        pl.Series("sent_score", compound, pl.Float64),
        pl.Series("sent_label", ["positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral"
                                 for c in compound], pl.String),
        pl.Series("sent_n", [i % 4 for i in range(n)], pl.Int64),
        pl.Series("topic_tags", [["peace", "war"] if i % 3 == 0 else [] for i in range(n)], pl.List(pl.String)),
        pl.Series("actor_tags", [["Russia"] if i % 2 else [] for i in range(n)], pl.List(pl.String)),
        pl.Series("thread_parent_score", parent, pl.Float64),
        pl.Series("thread_delta", delta, pl.Float64),
        pl.Series("thread_turn", [i % 5 == 0 for i in range(n)], pl.Boolean),
    )
    assert set(scored.columns) <= set(schema.SCORED_COMMENTS.names)
    return scored


def _key(aid: str, read_back: bool) -> str:
    # read back from a corpus folder, article ``X`` is ``<folder>:X``
    return aid.split(":", 1)[1] if read_back else aid


def trees_by_key(corpus, read_back=False) -> dict[str, list[tuple]]:
    """Article id -> its (depth, author, text, status) rows in display order."""
    out: dict[str, list[tuple]] = {}
    for aid in corpus.articles.get_column("article_id"):
        rows = corpus.comments.filter(pl.col("article_id") == aid).select("depth", "author", "text", "status").rows()
        out[_key(aid, read_back)] = rows
    return out


def articles_by_key(corpus, read_back=False) -> dict[str, tuple]:
    return {_key(aid, read_back): (title, body) for aid, title, body in
            corpus.articles.select("article_id", "title", "body").iter_rows()}


@pytest.fixture(scope="module")
def threads():
    corpus = discourse.read(THREADS)
    return corpus, with_fake_scores(corpus.comments)


@pytest.fixture(scope="module")
def written(threads, tmp_path_factory):
    corpus, scored = threads
    return write_convokit(scored, corpus.articles, tmp_path_factory.mktemp("out") / "threads_corpus")


def utterances(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "utterances.jsonl").read_text(encoding="utf-8").splitlines()]


def test_round_trip_through_our_reader_gives_the_same_trees(threads, written):
    corpus, _ = threads
    back = discourse.read(written, strict=True)
    assert back.files.item(0, "format") == "convokit"
    assert trees_by_key(back, read_back=True) == trees_by_key(corpus)
    assert articles_by_key(back, read_back=True) == articles_by_key(corpus)
    assert back.articles.get_column("published").to_list() == corpus.articles.get_column("published").to_list()
    assert back.articles.get_column("url").to_list() == corpus.articles.get_column("url").to_list()
    assert back.comments.get_column("number").to_list() == corpus.comments.get_column("number").to_list()
    assert back.check().height == 0


def test_utterance_lines(threads, written):
    corpus, scored = threads
    utts = utterances(written)
    assert len(utts) == corpus.articles.height + corpus.comments.height
    assert all(list(u) == ["id", "conversation_id", "text", "speaker", "meta", "reply-to", "timestamp", "vectors"]
               for u in utts)
    roots = [u for u in utts if u["reply-to"] is None]
    assert [u["id"] for u in roots] == corpus.articles.get_column("article_id").to_list()
    assert all(u["speaker"] == ARTICLE_SPEAKER and u["meta"] == {"discourse_kind": "article"}
               and u["conversation_id"] == u["id"] for u in roots)
    comment_utts = [u for u in utts if u["reply-to"] is not None]
    # Asbarez comments have no times: timestamps are display positions, the root is 0
    assert next(u for u in roots if u["id"] == "002")["timestamp"] == 0
    assert [u["timestamp"] for u in comment_utts if u["conversation_id"] == "002"] == list(range(1, 13))
    assert all(u["meta"]["created"] is None for u in comment_utts)
    assert [u["id"] for u in comment_utts] == scored.get_column("comment_id").to_list()
    expected_reply = [p if p is not None else a for p, a in scored.select("parent_id", "article_id").iter_rows()]
    assert [u["reply-to"] for u in comment_utts] == expected_reply
    extra = set(scored.columns) - {"comment_id", "article_id", "parent_id", "author", "text", "created"}
    for u, row in zip(comment_utts, scored.iter_rows(named=True), strict=True):
        assert set(u["meta"]) == extra | {"discourse_kind", "created"}
        assert list(u["meta"]) == sorted(u["meta"])
        assert u["meta"]["sent_compound"] == row["sent_compound"]
        assert u["meta"]["topic_tags"] == row["topic_tags"]
        assert (u["meta"]["depth"], u["meta"]["status"], u["meta"]["orphan"]) == (
            row["depth"], row["status"], row["orphan"])
    assert comment_utts[3]["meta"]["thread_delta"] is None  # NaN written as null


def test_side_files(threads, written):
    corpus, scored = threads
    index = json.loads((written / "index.json").read_text())
    assert set(index) == {"utterances-index", "speakers-index", "conversations-index", "overall-index", "version",
                          "vectors"}
    u = index["utterances-index"]
    assert (u["sent_compound"], u["topic_tags"], u["thread_turn"], u["depth"]) == (
        ["<class 'float'>"], ["<class 'list'>"], ["<class 'bool'>"], ["<class 'int'>"])
    assert u["source_id"] == []  # only nulls: type unknown, as ConvoKit records it
    convos = json.loads((written / "conversations.json").read_text())
    assert convos["002"] == {"meta": {
        "outlet": "Asbarez (editorial)", "published": "2016-08-08", "timestamps": "order",
        "title": "What Does the Putin-Aliyev Embrace Mean for Artsakh?",
        "url": corpus.articles.filter(pl.col("article_id") == "002").item(0, "url")}, "vectors": []}
    speakers = json.loads((written / "speakers.json").read_text())
    assert speakers["jOE"] == {"meta": {"n_comments": 3}, "vectors": []}
    assert speakers[ARTICLE_SPEAKER]["meta"]["n_comments"] == 0
    assert sum(s["meta"]["n_comments"] for s in speakers.values()) == scored.height
    assert json.loads((written / "corpus.json").read_text()) == {"name": "threads_corpus", "source": "discourse"}


def test_output_is_deterministic(threads, tmp_path):
    corpus, scored = threads
    first = write_convokit(scored, corpus.articles, tmp_path / "a", name="x")
    snap = {f.name: f.read_bytes() for f in first.iterdir()}
    second = write_convokit(scored, corpus.articles, tmp_path / "b", name="x")
    assert {f.name: f.read_bytes() for f in second.iterdir()} == snap


@pytest.mark.parametrize("source", [SAME / "reddit.ndjson", REDDIT / "messy_month.ndjson",
                                    REDDIT / "doc_example.ndjson", SAME / "table.csv"], ids=lambda p: p.name)
def test_round_trip_keeps_times_statuses_and_missing_authors(source, tmp_path):
    corpus = discourse.read(source)
    back = discourse.read(write_convokit(corpus.comments, corpus.articles, tmp_path / "c"), strict=True)
    assert trees_by_key(back, read_back=True) == trees_by_key(corpus)
    assert articles_by_key(back, read_back=True) == articles_by_key(corpus)
    assert back.comments.get_column("created").to_list() == corpus.comments.get_column("created").to_list()


def test_timed_comments_keep_epoch_timestamps(tmp_path):
    corpus = discourse.read(SAME / "reddit.ndjson")
    utts = utterances(write_convokit(corpus.comments, corpus.articles, tmp_path / "c"))
    assert utts[0]["timestamp"] == 1695859200  # the root: published 2023-09-28, midnight UTC
    assert [u["timestamp"] for u in utts[1:]] == [1695900000, 1695900100, 1695900200, 1695900500, 1695901000,
                                                  1695901100]
    assert all("created" not in u["meta"] for u in utts)
    convos = json.loads((tmp_path / "c" / "conversations.json").read_text())
    assert convos["reddit:16x0abc"]["meta"]["timestamps"] == "epoch"


def test_partly_timed_article_uses_display_order(tmp_path):
    corpus = discourse.read(REDDIT / "messy_month.ndjson")  # one comment has an unreadable time
    utts = utterances(write_convokit(corpus.comments, corpus.articles, tmp_path / "c"))
    first = [u for u in utts if u["conversation_id"] == "messy_month:17abcde"]
    assert [u["timestamp"] for u in first] == list(range(8))
    assert first[1]["meta"]["created"] == "2023-10-11T04:55:00+00:00" and first[5]["meta"]["created"] is None


def test_null_authors_get_a_speaker_of_their_own(tmp_path):
    corpus = discourse.read(REDDIT / "doc_example.ndjson")
    out = write_convokit(corpus.comments, corpus.articles, tmp_path / "c")
    deleted = next(u for u in utterances(out) if u["meta"].get("source_id") == "k3mb1zz")
    assert (deleted["speaker"], deleted["text"], deleted["meta"]["status"]) == (
        f"{NO_AUTHOR} #{deleted['id']}", "", "deleted")
    assert "author" not in deleted["meta"]
    assert deleted["timestamp"] == 1695900840


def test_bad_input_is_refused(threads, tmp_path):
    corpus, scored = threads
    with pytest.raises(ValueError, match="missing columns \\['author'\\]"):
        write_convokit(scored.drop("author"), corpus.articles, tmp_path / "x")
    clash = corpus.articles.with_columns(pl.lit("002/1").alias("article_id")).head(1)
    with pytest.raises(ValueError, match="article ids also used as comment ids"):
        write_convokit(scored, clash, tmp_path / "x")
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(ReportError, match="exists and is not a folder"):
        write_convokit(scored, corpus.articles, tmp_path / "file")


def test_convokit_loads_the_corpus(threads, written):
    convokit = pytest.importorskip("convokit", reason="the optional convokit extra is not installed")
    corpus, scored = threads
    ck = convokit.Corpus(filename=str(written))
    assert len(list(ck.iter_utterances())) == corpus.articles.height + corpus.comments.height
    assert len(list(ck.iter_conversations())) == corpus.articles.height
    for row in scored.iter_rows(named=True):
        utt = ck.get_utterance(row["comment_id"])
        assert utt.reply_to == (row["parent_id"] or row["article_id"])
        assert utt.conversation_id == row["article_id"]
        assert utt.speaker.id == speaker_of(row["author"], row["comment_id"])
        assert utt.text == row["text"]
        assert utt.meta["sent_compound"] == row["sent_compound"]
        assert utt.meta["depth"] == row["depth"] and utt.meta["status"] == row["status"]
        assert list(utt.meta["topic_tags"]) == row["topic_tags"]
    convo = ck.get_conversation("002")
    assert convo.meta["title"] == "What Does the Putin-Aliyev Embrace Mean for Artsakh?"
    assert convo.check_integrity(verbose=False)
    assert [u.id for u in convo.traverse("dfs")] == ["002"] + scored.filter(
        pl.col("article_id") == "002").get_column("comment_id").to_list()
    assert ck.get_speaker("jOE").meta["n_comments"] == 3


@settings(max_examples=40, deadline=None)
@given(forest=forests(), timed=st.booleans(), data=st.data())
def test_any_tree_survives_the_round_trip(forest, timed, data, tmp_path_factory):
    order = data.draw(st.permutations(range(len(forest))))
    work = tmp_path_factory.mktemp("rt")
    lines = dump_lines(forest, order)
    if not timed:  # no times: display order is line order, and the writer numbers the utterances
        lines = [json.dumps({**json.loads(x), "created_utc": None}, ensure_ascii=False) for x in lines]
    (work / "dump.ndjson").write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = discourse.read(work / "dump.ndjson", strict=True)
    back = discourse.read(write_convokit(corpus.comments, corpus.articles, work / "ck"), strict=True)
    assert trees_by_key(back, read_back=True) == trees_by_key(corpus)
    assert back.comments.get_column("created").to_list() == corpus.comments.get_column("created").to_list()
