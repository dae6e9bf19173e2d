"""HTML to text, dates and the status policy shared by the markup readers."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from discourse.readers.base import CommentRecord, ReadReport
from discourse.readers.markup import apply_status_policy, html_to_text, parse_display_date, parse_iso

UTC = dt.timezone.utc


@pytest.mark.parametrize("html, text", [
    ("<p>Peace needs compromise,<br />\nnot surrender.</p>\n<p>Second paragraph.</p>",
     "Peace needs compromise,\nnot surrender.\n\nSecond paragraph."),
    ("<p>Baku &amp; Moscow</p>", "Baku & Moscow"),
    ("<p>&amp;lt;b&amp;gt; stays escaped once</p>", "&lt;b&gt; stays escaped once"),
    ("<p>won&#8217;t &#8220;balance&#8221; &#8230;</p>", "won’t “balance” …"),
    ("<p>a&nbsp;b   c\n\t d</p>", "a b c d"),
    ("smile <img class='wp-smiley' alt=':)' src='s.png'> <img src='photo.jpg' alt='photo'>", "smile :)"),
    ("x<br><br>y", "x\n\ny"),
    ("<p>&nbsp;</p><p>one</p><p> </p>", "one"),
    ("<blockquote><p>quoted</p></blockquote><p>answer</p>", "quoted\n\nanswer"),
    ("<ul><li>a</li><li>b</li></ul>", "a\nb"),
    ("<p>see <a href='https://x.example'>https://x.example</a>.</p>", "see https://x.example."),
    ("<script>alert(1)</script><style>p{}</style><p>ok</p>", "ok"),
    ("a < b and <3", "a < b and <3"),
    ("", ""),
])
def test_html_to_text(html, text):
    assert html_to_text(html) == text


@pytest.mark.parametrize("stored, text", [
    ("One line\nnext line\n\nNew paragraph.", "One line\nnext line\n\nNew paragraph."),
    ("<p>A<br />\nB</p>\n<p>C</p>", "A\nB\n\nC"),
    ("Tom &amp; Jerry &lt;3", "Tom & Jerry <3"),
    ("  padded  \n\n\n\n  text  ", "padded\n\ntext"),
])
def test_stored_text_reads_as_the_page_shows_it(stored, text):
    assert html_to_text(stored, stored=True) == text


def test_deep_nesting_does_not_recurse():
    assert html_to_text("<div>" * 5000 + "deep" + "</div>" * 5000) == "deep"


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1,
                        max_size=12).filter(lambda s: s.strip() == s and s), min_size=1, max_size=4))
def test_paragraphs_round_trip(words):
    """Escaped text in <p> elements comes back exactly, one paragraph each."""
    import html

    markup = "".join(f"<p>{html.escape(w)}</p>" for w in words)
    assert html_to_text(markup) == "\n\n".join(words)


def test_parse_iso_and_zones():
    assert parse_iso("2020-10-02T09:15:00+04:00") == (dt.datetime(2020, 10, 2, 5, 15, tzinfo=UTC), True)
    assert parse_iso("2016-04-05T17:12:40Z") == (dt.datetime(2016, 4, 5, 17, 12, 40, tzinfo=UTC), True)
    assert parse_iso("2016-04-05 17:12:40") == (dt.datetime(2016, 4, 5, 17, 12, 40, tzinfo=UTC), False)
    assert parse_iso("0000-00-00 00:00:00") == (None, False)
    assert parse_iso("yesterday") == (None, False)


@pytest.mark.parametrize("text, when", [
    ("March 3, 2012 at 10:14 am", dt.datetime(2012, 3, 3, 10, 14)),
    ("March 3, 2012 at 12:05 am", dt.datetime(2012, 3, 3, 0, 5)),
    ("Mar 3, 2012 at 10:14 p.m.", dt.datetime(2012, 3, 3, 22, 14)),
    ("3 March 2012 at 14:05", dt.datetime(2012, 3, 3, 14, 5)),
    ("2012-03-03 at 14:05", dt.datetime(2012, 3, 3, 14, 5)),
    ("October 2, 2020", dt.datetime(2020, 10, 2)),
    ("February 30, 2012 at 10:14 am", None),
    ("2 days ago", None),
])
def test_display_dates(text, when):
    assert parse_display_date(text) == when


def test_status_policy_keeps_placeholders_and_counts_by_reason():
    recs = [CommentRecord("1", None, "a", "spam text"), CommentRecord("2", "1", "b", "reply"),
            CommentRecord("3", None, "c", "more spam"), CommentRecord("4", None, "d", "gone", status="deleted"),
            CommentRecord("5", None, "e", "ok")]
    report = ReadReport()
    kept = apply_status_policy(recs, {id(recs[0]): "spam", id(recs[2]): "spam"}, report)
    assert [(r.source_id, r.status, r.text) for r in kept] == [
        ("1", "placeholder", ""), ("2", "visible", "reply"), ("5", "visible", "ok")]
    assert report.dropped == {"spam": 1, "deleted": 1} and report.repaired == {"placeholder": 1}
