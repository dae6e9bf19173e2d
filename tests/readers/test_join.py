"""discourse.readers.join: a Reddit thread whose comments are in several dumps is read as one article, linked as
if the files were one."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from discourse import read

zstandard = pytest.importorskip("zstandard")


def _lines(path: Path, *records: dict) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _comment(cid: str, parent: str, link: str = "s1", t: int = 1_500_000_000, body: str = "Fine words.") -> dict:
    return {"id": cid, "link_id": f"t3_{link}", "parent_id": parent, "author": f"user_{cid}", "body": body,
            "created_utc": t, "subreddit": "armenia"}


@pytest.fixture()
def two_months(tmp_path):
    folder = tmp_path / "dumps"
    folder.mkdir()
    _lines(folder / "RC_2016-01.ndjson",
           {"id": "s1", "name": "t3_s1", "title": "A submission", "selftext": "Its text.", "subreddit": "armenia",
            "permalink": "/r/armenia/comments/s1/", "created_utc": 1_499_999_000},
           _comment("c1", "t3_s1"),
           _comment("d1", "t3_other", link="other"))
    _lines(folder / "RC_2016-02.ndjson",
           _comment("c2", "t1_c1", t=1_500_000_100),  # replies to a comment of the month before
           _comment("c3", "t1_zzz", t=1_500_000_200),  # replies to a comment in no file
           _comment("c4", "t1_c2", t=1_500_000_300))
    return folder


def test_a_thread_in_two_files_is_one_article(two_months):
    corpus = read(two_months)
    assert corpus.articles.get_column("article_id").to_list() == ["RC_2016-01:s1", "RC_2016-01:other"]
    thread = corpus.comments.filter(pl.col("article_id") == "RC_2016-01:s1")
    got = {r["source_id"]: r for r in thread.iter_rows(named=True)}
    assert got["c2"]["parent_id"] == got["c1"]["comment_id"] and got["c4"]["parent_id"] == got["c2"]["comment_id"]
    assert got["c2"]["depth"] == 1 and not got["c2"]["orphan"]
    assert got["c3"]["orphan"] and got["c3"]["parent_id"] is None
    # each comment keeps its own file and line
    assert got["c1"]["source_path"].endswith("RC_2016-01.ndjson")
    assert (got["c3"]["source_path"].endswith("RC_2016-02.ndjson"), got["c3"]["line_start"]) == (True, 2)
    article = corpus.articles.row(0, named=True)
    assert (article["title"], article["n_comments"], article["n_paragraphs"]) == ("A submission", 4, 1)
    assert corpus.paragraphs.get_column("paragraph_id").to_list() == ["RC_2016-01:s1/p1"]


def test_only_true_orphans_are_reported(two_months):
    d = read(two_months).diagnostics
    orphans = d.filter(pl.col("code") == "orphan")
    assert orphans.height == 1  # c2's warning from reading February alone is withdrawn
    row = orphans.row(0, named=True)
    assert row["path"].endswith("RC_2016-02.ndjson") and row["line"] == 2 and "'zzz'" in row["message"]
    note = d.filter(pl.col("code") == "joined-thread").row(0, named=True)
    assert "2 files" in note["message"] and "1 reply found its parent in another file" in note["message"]


def test_joined_threads_are_linked_as_if_the_files_were_one(tmp_path):
    from discourse.bench.reddit import generate_reddit

    dump = generate_reddit(tmp_path / "dumps", 1_200, files=3, seed=5, split=0.5)
    assert dump.split_threads >= 5
    joined = read(dump.path)
    whole = tmp_path / "one" / "all.ndjson"
    whole.parent.mkdir()
    with whole.open("wb") as fh:
        for path in dump.files:
            fh.write(zstandard.ZstdDecompressor().stream_reader(path.open("rb")).read())
    one = read(whole)

    def tree(comments: pl.DataFrame) -> pl.DataFrame:
        local = r"^[^:]+:"  # the file stem before the submission id
        return comments.select(
            pl.col("article_id").str.replace(local, ""), pl.col("comment_id").str.replace(local, ""),
            pl.col("parent_id").str.replace(local, ""), "depth", "position", "author", "text", "created",
            "source_id", "status", "orphan")

    assert joined.comments.height == one.comments.height == 1_200
    assert tree(joined.comments).sort("comment_id").equals(tree(one.comments).sort("comment_id"))
    assert joined.comments.filter(pl.col("orphan")).height == 0
    assert joined.articles.height == one.articles.height
    assert (joined.articles.select("title", "url", "n_comments").sort("url")
            .equals(one.articles.select("title", "url", "n_comments").sort("url")))


def test_other_formats_are_not_joined(tmp_path):
    # two WXR or CSV files may use the same key for different articles: only Reddit's link ids are global
    from discourse.readers.join import JOINED_FORMATS

    assert JOINED_FORMATS == {"reddit"}
