"""Disqus exports: dsq:id links, duplicate threads, deleted and spam posts, empty threads, UTC times."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

import discourse
from discourse.readers import detect, disqus
from discourse.readers.base import ReadOptions

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "disqus"
EXPORT = HERE / "export.xml"
UTC = dt.timezone.utc


def read(**options):
    return disqus.read(EXPORT, ReadOptions(**options))


def test_detection():
    assert detect(EXPORT).name == "disqus"
    assert disqus.sniff(EXPORT, b'<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/">') == 0


def test_duplicate_threads_merge_and_empty_threads_are_counted():
    parsed = read()
    assert [(a.key, a.title, a.url, a.published) for a in parsed.articles] == [
        ("7301100", "Lavrov Visits Yerevan", "https://news.example.am/120345/lavrov-visits-yerevan/",
         dt.date(2016, 4, 5)),
        ("7301300", "Gas Prices Rise Again", "https://news.example.am/120400/gas-prices/", dt.date(2016, 5, 1)),
    ]
    assert parsed.report.repaired["merged-threads"] == 1 and parsed.report.dropped["empty-threads"] == 1
    note = next(d for d in parsed.diagnostics if d.code == "merged-threads")
    assert note.line == 11 and "7301100, 7301101" in note.message


def test_empty_threads_kept_with_include():
    parsed = read(include=frozenset({"empty"}))
    assert [a.key for a in parsed.articles] == ["7301100", "7301200", "7301300"]
    assert parsed.articles[1].comments == [] and "empty-threads" not in parsed.report.dropped


def test_posts_links_and_statuses():
    parsed = read()
    comments = parsed.articles[0].comments
    assert [(c.source_id, c.parent, c.author, c.status, c.text) for c in comments] == [
        ("2602007", "2602001", "Guest", "visible", "Source?"),  # listed before its parent, in the duplicate thread
        ("2602001", None, "Sevan", "visible", "Russia arms both sides & calls it balance."),
        ("2602010", None, "Angry", "placeholder", ""),  # deleted, replied to
        ("2602011", "2602010", "hayk_1990", "visible", "Why was that removed?\nIt was fair."),  # no name: username
        ("wp_id=88050", None, "Lori", "visible", "Imported from WordPress."),  # empty dsq:id: <id> used
        ("2602030", "2600000", "Ani K.", "visible", "Answering a lost comment."),
    ]
    assert parsed.report.dropped == {"deleted": 1, "spam": 1, "empty-threads": 1}
    assert parsed.report.repaired == {"placeholder": 1, "merged-threads": 1}
    assert comments[0].created == dt.datetime(2016, 4, 5, 18, 1, 9, tzinfo=UTC)
    assert (comments[0].line_start, comments[0].line_end) == (57, 66)


def test_spam_kept_with_include():
    parsed = read(include=frozenset({"spam"}))
    spam = [c for c in parsed.articles[0].comments if c.status == "spam"]
    assert [(c.source_id, c.text) for c in spam] == [("2602013", "Cheap pills")]
    assert "spam" not in parsed.report.dropped


def test_tree_in_time_order_with_orphan_and_placeholder():
    corpus = discourse.read(EXPORT, strict=True)
    c = corpus.comments.filter(pl.col("article_id") == "export:7301100")
    assert c.select("source_id", "depth", "status", "orphan").rows() == [
        ("2602001", 0, "visible", False), ("2602007", 1, "visible", False), ("2602010", 0, "placeholder", False),
        ("2602011", 1, "visible", False), ("wp_id=88050", 0, "visible", False), ("2602030", 0, "visible", True)]
    orphan = corpus.diagnostics.filter(pl.col("code") == "orphan").row(0, named=True)
    assert orphan["line"] == 127 and "'2600000'" in orphan["message"]
    assert corpus.check().height == 0


def test_normalise_link():
    same = {disqus.normalise_link(u) for u in (
        "https://news.example.am/a/b/", "http://www.news.example.am/a/b", "https://news.example.am/a/b/#comments",
        "https://news.example.am/a/b/?utm_source=x&utm_medium=y")}
    assert same == {"news.example.am/a/b"}
    assert disqus.normalise_link("https://news.example.am/?p=12") != disqus.normalise_link("https://news.example.am/?p=13")


def xml(tmp_path, body: str) -> Path:
    p = tmp_path / "d.xml"
    p.write_text('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
                 'xmlns:dsq="http://disqus.com/disqus-internals">\n' + body + "\n</disqus>\n", encoding="utf-8")
    return p


def test_post_for_a_thread_not_in_the_file(tmp_path):
    p = xml(tmp_path, '<post dsq:id="1"><message>Hi</message><thread dsq:id="99"/></post>\n'
                      '<post dsq:id="2"><message>No thread</message></post>')
    parsed = disqus.read(p, ReadOptions())
    assert [(a.key, a.title, [c.text for c in a.comments]) for a in parsed.articles] == [("99", None, ["Hi"])]
    assert parsed.report.dropped["no-thread"] == 1
    assert {(d.code, d.line) for d in parsed.diagnostics} == {("unknown-thread", 3), ("post-without-thread", 4)}


def test_deleted_reply_to_deleted_parent_both_dropped(tmp_path):
    p = xml(tmp_path, '<thread dsq:id="1"><link>https://x.example/a</link><title>A</title></thread>'
                      '<post dsq:id="10"><message>a</message><isDeleted>true</isDeleted><thread dsq:id="1"/></post>'
                      '<post dsq:id="11"><message>b</message><isDeleted>true</isDeleted><thread dsq:id="1"/>'
                      '<parent dsq:id="10"/></post>')
    parsed = disqus.read(p, ReadOptions())
    assert parsed.articles[0].comments == [] and parsed.report.dropped["deleted"] == 2


def test_wrong_root_is_a_format_error(tmp_path):
    p = tmp_path / "x.xml"
    p.write_text("<comments><post/></comments>", encoding="utf-8")
    with pytest.raises(discourse.FormatError, match="not a Disqus export") as info:
        disqus.read(p, ReadOptions())
    assert info.value.path == str(p)
