"""WordPress export files: posts as articles, comment statuses, dates, stored HTML, versions, streaming."""

from __future__ import annotations

import datetime as dt
import tracemalloc
from pathlib import Path

import polars as pl
import pytest

import discourse
from discourse.readers import detect, wxr
from discourse.readers.base import ReadOptions

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "wxr"
UTC = dt.timezone.utc
ALL = frozenset({"pending", "spam", "trash"})


def read(name: str, **options):
    return wxr.read(HERE / name, ReadOptions(**options))


@pytest.mark.parametrize("name", ["statuses.xml", "v11.xml"])
def test_detection(name):
    assert detect(HERE / name).name == "wxr"


def test_posts_are_articles():
    parsed = read("statuses.xml")
    arts = parsed.articles
    assert [(a.key, a.title, a.url, a.published) for a in arts] == [
        ("77", "Moscow & Yerevan: Talks Resume", "https://weekly.example.am/2020/10/talks-resume/", dt.date(2020, 10, 1)),
        ("78", "Second Post", "https://weekly.example.am/2020/10/second-post/", dt.date(2020, 10, 5)),
    ]
    assert [p.text for p in arts[0].paragraphs] == [
        "Talks resumed on Friday.", "The ministers", "No date was set\nfor the next round."]
    assert parsed.report.dropped["attachment-items"] == 1


def test_default_policy_keeps_approved_and_counts_the_rest():
    parsed = read("statuses.xml")
    comments = parsed.articles[0].comments
    assert [(c.source_id, c.parent, c.status) for c in comments] == [
        ("502", "501", "visible"), ("501", None, "visible"), ("504", None, "placeholder"), ("505", "504", "visible"),
        ("508", "999", "visible"), ("509", None, "visible")]
    assert comments[2].text == "" and comments[2].author == "Troll"  # trashed, but replied to
    assert parsed.articles[1].comments == []
    assert parsed.report.dropped == {"pending": 1, "spam": 1, "post-trashed": 1, "pingback": 1, "trackback": 1,
                                     "attachment-items": 1}
    assert parsed.report.repaired == {"placeholder": 1, "local-time": 1}


def test_include_keeps_statuses_with_their_names():
    parsed = read("statuses.xml", include=ALL)
    status = {c.source_id: c.status for a in parsed.articles for c in a.comments}
    assert {k: v for k, v in status.items() if v != "visible"} == {
        "504": "trash", "506": "spam", "507": "pending", "601": "trash"}
    assert next(c for c in parsed.articles[0].comments if c.source_id == "504").text == "You are all traitors."
    assert parsed.report.dropped == {"pingback": 1, "trackback": 1, "attachment-items": 1}
    only_pending = read("statuses.xml", include=frozenset({"pending"}))
    assert only_pending.report.dropped["spam"] == 1 and "pending" not in only_pending.report.dropped


def test_times_are_utc_with_zero_date_fallback():
    parsed = read("statuses.xml")
    by_id = {c.source_id: c for c in parsed.articles[0].comments}
    assert by_id["501"].created == dt.datetime(2020, 10, 2, 5, 15, tzinfo=UTC)
    assert by_id["509"].created == dt.datetime(2020, 10, 2, 14, 0, tzinfo=UTC)  # local comment_date
    note = next(d for d in parsed.diagnostics if d.code == "local-time")
    assert note.level == "note" and "0000-00-00" in note.message
    # only the local fallback moves with the site's zone; GMT dates stay as they are
    moscow = {c.source_id: c for c in read("statuses.xml", timezone="Europe/Moscow").articles[0].comments}
    assert moscow["501"].created == by_id["501"].created
    assert moscow["509"].created == dt.datetime(2020, 10, 2, 11, 0, tzinfo=UTC)


def test_stored_html_to_text():
    by_id = {c.source_id: c for c in read("statuses.xml").articles[0].comments}
    assert by_id["501"].text == "Russia won't intervene & everyone knows it :(\n\nWrite &lt;b&gt; for bold."
    assert by_id["501"].line_start == 42 and by_id["501"].line_end == 54


def test_out_of_order_and_orphan_in_the_tree():
    corpus = discourse.read(HERE / "statuses.xml", strict=True)
    c = corpus.comments.filter(pl.col("article_id") == "statuses:77")
    assert c.select("source_id", "depth", "orphan").rows() == [
        ("501", 0, False), ("502", 1, False), ("504", 0, False), ("505", 1, False), ("508", 0, True),
        ("509", 0, False)]
    warn = corpus.diagnostics.filter(pl.col("code") == "orphan").row(0, named=True)
    assert warn["line"] == 107 and "'999'" in warn["message"]
    assert corpus.check().height == 0
    assert corpus.articles.get_column("article_id").to_list() == ["statuses:77", "statuses:78"]


def test_version_11_escaped_content_cdata_split_and_mojibake():
    parsed = read("v11.xml")
    art = parsed.articles[0]
    assert art.title == "Putin’s Visit" and art.published == dt.date(2011, 6, 1)
    assert [p.text for p in art.paragraphs] == ["Escaped, not CDATA & still HTML."]
    assert [(c.author, c.text) for c in art.comments] == [
        ("José María", "It’s a CDATA split: ]]> stays, and so does <this>."), ("Plain", "Tom & Jerry")]
    assert parsed.report.repaired["mojibake"] == 2


def test_clean_text_is_not_touched_by_the_mojibake_repair():
    assert wxr.fix_mojibake("café–bar, Ժամանակն, “quotes”") is None
    assert wxr.fix_mojibake("It\u0092s") == "It’s"


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_namespace_version(tmp_path, version):
    p = tmp_path / "v.xml"
    p.write_text((HERE / "v11.xml").read_text(encoding="utf-8").replace("export/1.1/", f"export/{version}/"),
                 encoding="utf-8")
    assert detect(p).name == "wxr"
    assert len(wxr.read(p, ReadOptions()).articles[0].comments) == 2


def test_plain_rss_is_not_wxr(tmp_path):
    p = tmp_path / "feed.xml"
    p.write_text('<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</title></item></channel></rss>',
                 encoding="utf-8")
    assert wxr.sniff(p, p.read_bytes()) == 0
    with pytest.raises(discourse.FormatError, match="not a WordPress export"):
        wxr.read(p, ReadOptions())


def test_large_export_is_streamed(tmp_path):
    """40,000 comments (~11 MB): memory stays near the size of the records, not of the element tree."""
    comment = ("<wp:comment><wp:comment_id>{i}</wp:comment_id><wp:comment_author><![CDATA[A{i}]]></wp:comment_author>"
               "<wp:comment_date_gmt>2020-01-01 00:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA["
               + "word " * 30 + "]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved>"
               "<wp:comment_parent>{p}</wp:comment_parent></wp:comment>\n")
    p = tmp_path / "big.xml"
    with p.open("w", encoding="utf-8") as fh:
        fh.write('<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>\n')
        for post in range(40):
            fh.write(f"<item><title>P{post}</title><wp:post_id>{post}</wp:post_id>\n")
            for i in range(post * 1000, post * 1000 + 1000):
                fh.write(comment.format(i=i, p=i - 1 if i % 10 else 0))
            fh.write("</item>\n")
        fh.write("</channel></rss>\n")
    assert p.stat().st_size > 10_000_000
    tracemalloc.start()
    try:
        parsed = wxr.read(p, ReadOptions())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sum(len(a.comments) for a in parsed.articles) == 40_000
    assert parsed.articles[7].comments[5].line_start == 2 + 7 * 1002 + 1 + 5  # item line, then one per comment
    assert peak < 80 * 1024**2
