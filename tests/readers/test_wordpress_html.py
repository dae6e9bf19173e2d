"""Saved WordPress pages: html5, xhtml and style=div markup, statuses, depths, the article around them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from helpers import calls

import discourse
from discourse.readers import detect, wordpress_html
from discourse.readers.base import ReadOptions

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "wordpress"
UTC = dt.timezone.utc


def read(name: str, **options):
    return wordpress_html.read(HERE / name, ReadOptions(**options))


def rows(parsed):
    return [(c.source_id, c.parent, c.author, c.text) for c in parsed.articles[0].comments]


def codes(parsed):
    return [d.code for d in parsed.diagnostics]


@pytest.mark.parametrize("name", sorted(p.name for p in HERE.glob("*.html")))
def test_detection(name):
    assert detect(HERE / name).name == "wordpress-html"


def test_sniff_confidence():
    html = HERE / "html5.html"
    assert wordpress_html.sniff(html, html.read_bytes()) > 0.8
    plain = HERE / "no_comments.html"
    assert 0 < wordpress_html.sniff(plain, plain.read_bytes()) < 0.5
    assert wordpress_html.sniff(Path("x.txt"), b"  1. Ani said:\n\n    Hi.\n") == 0
    assert wordpress_html.sniff(Path("x.xml"), b'<?xml version="1.0"?><rss><li id="comment-1">') == 0


def test_html5_tree_authors_times_and_text():
    parsed = read("html5.html")
    assert rows(parsed) == [
        ("501", None, "Ani", "Russia won’t intervene & everyone knows it :(\n\nWrite &lt;b&gt; to get bold text."),
        ("502", "501", "The Editor", "Please keep it civil."),
        ("504", None, "Karen", "Talks without Artsakh at the table… again."),
    ]
    created = [c.created for c in parsed.articles[0].comments]
    assert created == [dt.datetime(2020, 10, 2, 5, 15, tzinfo=UTC), dt.datetime(2020, 10, 2, 6, 0, tzinfo=UTC),
                       dt.datetime(2020, 10, 2, 8, 5, tzinfo=UTC)]
    assert all(c.created.tzinfo is UTC for c in parsed.articles[0].comments)
    assert [c.line_start for c in parsed.articles[0].comments] == [25, 39, 64]


def test_html5_pingback_and_moderation_counted():
    parsed = read("html5.html")
    assert parsed.report.dropped == {"pingback": 1, "pending": 1}
    assert parsed.report.kept["articles"] == 1
    assert "comment-count" not in codes(parsed)  # "4 thoughts": three comments and the pingback


def test_pending_kept_with_include():
    parsed = read("html5.html", include=frozenset({"pending"}))
    pending = [c for c in parsed.articles[0].comments if c.status == "pending"]
    assert [(c.source_id, c.parent, c.author, c.text) for c in pending] == [("505", "501", "Վազգէն", "Ժամանակն է։")]
    assert "pending" not in parsed.report.dropped


def test_html5_article():
    art = read("html5.html").articles[0]
    assert art.title == "Ceasefire Talks Resume in Moscow"
    assert art.url == "https://weekly.example.am/2020/10/ceasefire-talks/"
    assert art.published == dt.date(2020, 10, 1)  # 01:30 at +04:00 is the 1st in UTC
    assert [(p.role, p.text) for p in art.paragraphs] == [
        ("body", "Foreign ministers met in Moscow on Friday — the third round this month."),
        ("caption", "The ministers before the talks."),
        ("body", "“We are ready,” a spokesman said.\nNo date was set."),
    ]


def test_xhtml_markup_local_times_and_trackback():
    parsed = read("xhtml.html")
    assert rows(parsed) == [
        ("21001", None, "Vache",
         "Azerbaijan wants to use the negotiations …\n\nI believe that Armenians would give back SOME land,\nbut not all."),
        ("21007", "21001", "jOE", ""),
        ("21012", None, "Tavit", "Again, the Russians will backstab Armenians. 8-)"),
    ]
    assert parsed.articles[0].comments[0].created == dt.datetime(2012, 3, 3, 10, 14, tzinfo=UTC)
    assert parsed.report.dropped == {"trackback": 1}
    assert parsed.report.repaired["local-time"] == 3
    note = next(d for d in parsed.diagnostics if d.code == "local-time")
    assert note.level == "note" and note.path == str(HERE / "xhtml.html") and "read as UTC" in note.message
    assert "--timezone" in note.hint
    # in the site's zone (Yerevan: UTC+4 in March 2012) the same printed time is four hours earlier in UTC
    yerevan = read("xhtml.html", timezone="Asia/Yerevan")
    assert yerevan.articles[0].comments[0].created == dt.datetime(2012, 3, 3, 6, 14, tzinfo=UTC)
    note = next(d for d in yerevan.diagnostics if d.code == "local-time")
    assert note.message.endswith("read as Asia/Yerevan") and note.hint is None
    art = parsed.articles[0]
    assert art.title == "What Does the Putin-Aliyev Embrace Mean?"  # <title> less " | Asbarez.com"
    assert [p.text for p in art.paragraphs] == ["The presidents met in Baku.", "Analysts disagree about what follows."]


def test_div_style_nesting_and_unreadable_date():
    parsed = read("div_style.html")
    assert rows(parsed) == [("31", None, "Gor", "Top level, no wrapper."), ("32", "31", "Lilit", "Nested reply."),
                            ("33", None, "Gor", "A date the reader cannot read.")]
    assert parsed.articles[0].comments[0].created == dt.datetime(2015, 1, 12, 14, 5, tzinfo=UTC)
    assert parsed.articles[0].comments[2].created is None
    assert "unparsed-time" in codes(parsed)
    assert parsed.articles[0].url == "https://example.org/div-style/"


def test_max_depth_flattening_noted():
    parsed = read("max_depth.html")
    assert [(c.source_id, c.parent) for c in parsed.articles[0].comments] == [
        ("1", None), ("2", "1"), ("3", "2"), ("4", "2")]
    note = next(d for d in parsed.diagnostics if d.code == "max-depth")
    assert "depth-3" in note.message and note.message.startswith("2 comments")
    assert parsed.report.kept["at-max-depth"] == 2


def test_max_depth_not_noted_when_the_deepest_level_can_be_replied_to(tmp_path):
    text = (HERE / "max_depth.html").read_text(encoding="utf-8").replace(
        "<div class=\"comment-content\"><p>Third level", "<a class=\"comment-reply-link\">Reply</a>"
        "<div class=\"comment-content\"><p>Third level")
    p = tmp_path / "page.html"
    p.write_text(text, encoding="utf-8")
    assert "max-depth" not in codes(wordpress_html.read(p, ReadOptions()))


def test_deleted_parent_kept_as_orphan():
    corpus = discourse.read(HERE / "deleted_parent.html", strict=True)
    got = corpus.comments.select("source_id", "parent_id", "depth", "orphan", "text").rows()
    assert got == [("11", None, 0, False, "First."), ("12", "deleted_parent/1", 1, False, "Agreed."),
                   ("14", None, 0, True, "Replying to a comment that is gone.")]
    warn = corpus.diagnostics.filter(pl.col("code") == "parent-not-on-page").row(0, named=True)
    assert warn["line"] == 23 and "'14'" in warn["message"] and "depth-2" in warn["message"]
    assert corpus.check().height == 0


def test_no_comments_page_is_an_article():
    parsed = read("no_comments.html")
    art = parsed.articles[0]
    assert art.comments == [] and art.title == "Foreign Minister Visits Moscow"
    assert [p.text for p in art.paragraphs] == ["The minister arrived on Monday.", "Talks will last two days."]


# ---- pages written here -------------------------------------------------------------------------------

def page(tmp_path, comments: str, head: str = "") -> Path:
    p = tmp_path / "page.html"
    p.write_text(f"<html><head>{head}</head><body><h1 class='entry-title'>T</h1>"
                 f"<ol class='commentlist'>{comments}</ol></body></html>", encoding="utf-8")
    return p


def li(n: int, depth: int, text: str, *, cls: str = "comment", inner: str = "", author: str = "X") -> str:
    return (f"<li id='comment-{n}' class='{cls} depth-{depth}'><div class='comment-body'>"
            f"<div class='comment-author vcard'><cite class='fn'>{author}</cite> <span class='says'>says:</span></div>"
            f"<p>{text}</p></div>{inner}</li>")


def test_duplicate_comment_from_a_recrawl_is_deduplicated(tmp_path):
    p = page(tmp_path, li(1, 1, "Hi") + li(2, 1, "Yo") + li(1, 1, "Hi"))
    corpus = discourse.read(p, strict=True)
    assert corpus.comments.get_column("source_id").to_list() == ["1", "2"]
    assert corpus.files.item(0, "report").count('"duplicate-record": 1') == 1


def test_flat_markup_rebuilt_from_depth_classes(tmp_path):
    p = page(tmp_path, li(1, 1, "a", cls="comment parent") + li(2, 2, "b", cls="comment parent") + li(3, 3, "c")
             + li(4, 2, "d") + li(5, 1, "e"))
    parsed = wordpress_html.read(p, ReadOptions())
    assert [(c.source_id, c.parent) for c in parsed.articles[0].comments] == [
        ("1", None), ("2", "1"), ("3", "2"), ("4", "1"), ("5", None)]
    assert parsed.report.repaired["parent-from-depth"] == 3
    assert "flat-markup" in codes(parsed)


def test_nesting_wins_over_a_disagreeing_depth_class(tmp_path):
    p = page(tmp_path, li(1, 1, "a", inner="<ul class='children'>" + li(2, 3, "b") + "</ul>"))
    parsed = wordpress_html.read(p, ReadOptions())
    assert [(c.source_id, c.parent) for c in parsed.articles[0].comments] == [("1", None), ("2", "1")]
    warn = next(d for d in parsed.diagnostics if d.code == "depth-mismatch")
    assert "nested at depth 2 but marked depth-3" in warn.message and warn.line == 1


def test_twenty_ten_wrapper_is_one_comment(tmp_path):
    p = page(tmp_path, "<li class='comment depth-1' id='li-comment-7'><div id='comment-7'>"
                       "<div class='comment-author vcard'><cite class='fn'>Ani</cite></div>"
                       "<div class='comment-body'><p>Once.</p></div></div></li>")
    parsed = wordpress_html.read(p, ReadOptions())
    assert rows(parsed) == [("7", None, "Ani", "Once.")]


def test_comment_count_disagreement_and_paging_noted(tmp_path):
    p = page(tmp_path, li(1, 1, "a"), head="")
    text = p.read_text(encoding="utf-8").replace(
        "<ol", "<h2 class='comments-title'>7 Comments</h2><a href='/post/comment-page-2/#comments'>Older</a><ol", 1)
    p.write_text(text, encoding="utf-8")
    parsed = wordpress_html.read(p, ReadOptions())
    notes = {d.code: d.message for d in parsed.diagnostics}
    assert notes["comment-count"] == "the page says 7 comments, 1 are on it"
    assert "paged-comments" in notes


def test_reply_form_inside_a_comment_is_not_its_text(tmp_path):
    form = ("<div id='respond' class='comment-respond'><h3 class='comment-reply-title'>Leave a Reply</h3>"
            "<form><p class='comment-notes'>Your email address will not be published.</p></form></div>")
    p = page(tmp_path, li(1, 1, "Real text.", inner=form))
    assert rows(wordpress_html.read(p, ReadOptions())) == [("1", None, "X", "Real text.")]


def test_cp1252_page_read_with_a_warning(tmp_path):
    p = tmp_path / "old.html"
    p.write_bytes(("<html><body><ol class='commentlist'>" + li(1, 1, "caf\u00e9 \u201cquoted\u201d") +
                   "</ol></body></html>").encode("cp1252"))
    parsed = wordpress_html.read(p, ReadOptions())
    assert rows(parsed)[0][3] == "café “quoted”"
    assert "not-utf8" in codes(parsed)


def test_large_threads_read_in_one_walk(tmp_path):
    """2,000 replies under one comment, and a 300-deep chain: parts are found without rescanning subtrees
    (the work, counted in calls, grows in step with the replies; benchmarks/bench_growth.py times it)."""
    def wide_page(n: int) -> Path:
        replies = "".join(li(100 + i, 2, f"r{i}") for i in range(n))
        return page(tmp_path, li(1, 1, "top", inner=f"<ul class='children'>{replies}</ul>"))

    small = calls(wordpress_html.read, wide_page(500), ReadOptions())
    large = calls(wordpress_html.read, wide_page(2000), ReadOptions())
    assert large <= 5 * small, (small, large)  # four times the replies
    parsed = wordpress_html.read(wide_page(2000), ReadOptions())
    comments = parsed.articles[0].comments
    assert len(comments) == 2001 and {c.parent for c in comments[1:]} == {"1"}
    assert comments[-1].text == "r1999"
    def deep_page(n: int) -> Path:
        chain = ""
        for k in range(n, 0, -1):
            chain = li(k, k, f"t{k}", inner=f"<ul class='children'>{chain}</ul>" if chain else "")
        return page(tmp_path, chain)

    small, large = calls(wordpress_html.read, deep_page(75), ReadOptions()), calls(wordpress_html.read, deep_page(300),
                                                                                   ReadOptions())
    assert large <= 5 * small, (small, large)  # four times as deep (each paragraph walked to the top: 16 times)
    got = wordpress_html.read(deep_page(300), ReadOptions()).articles[0].comments
    assert [(c.source_id, c.parent, c.text) for c in got[:3]] == [("1", None, "t1"), ("2", "1", "t2"), ("3", "2", "t3")]
    assert len(got) == 300
