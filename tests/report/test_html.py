"""index.html: structure, escaping of everything from the input, no network, works without JavaScript."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

import discourse
from discourse.report import build_report
from discourse.report.html import SCRIPT, Hit, highlight, inline_svg
from discourse.report.markdown import escape as md_escape
from discourse.report.palettes import score_color


class Page(HTMLParser):
    """Every start tag with its attributes, and the text of script elements."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data

    def named(self, name: str) -> list[dict]:
        return [a for t, a in self.tags if t == name]


@pytest.fixture(scope="module")
def bundled_page(bundled, tmp_path_factory):
    out = build_report(bundled, tmp_path_factory.mktemp("h") / "r")
    return (out / "index.html").read_text(encoding="utf-8")


@pytest.fixture()
def xss_report(xss_corpus, tmp_path):
    return build_report(discourse.analyze(xss_corpus), tmp_path / "report")


def test_untrusted_text_is_escaped_everywhere(xss_report):
    html = (xss_report / "index.html").read_text(encoding="utf-8")
    page = Page(html)
    # the payloads are shown as text ...
    assert "&lt;script&gt;document.title=&#x27;pwned-script&#x27;&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html and "&quot;&gt;&lt;svg onload=" in html
    assert "Eve &quot;the &lt;b&gt;quote&lt;/b&gt;&quot; O&#x27;Hara" in html
    # ... and never become markup: no element, attribute or script comes from them
    assert [t for t, _ in page.tags if t in ("img", "iframe", "a", "meta", "style", "script", "svg")
            and t not in ("a", "meta", "style", "script", "svg")] == []
    assert page.scripts == [SCRIPT]
    for tag, attrs in page.tags:
        assert not [k for k in attrs if k.startswith("on")], (tag, attrs)
        assert "pwned" not in " ".join(f"{k}={v}" for k, v in attrs.items() if k not in ("title", "aria-label")), tag
    assert len(page.named("meta")) == 4 and len(page.named("style")) == 1 + len(page.named("svg"))
    assert not re.search(r"<(script|img|iframe|svg)[^>]*pwned", html)


def test_no_url_is_built_from_the_input(xss_report):
    page = Page((xss_report / "index.html").read_text(encoding="utf-8"))
    links = [a.get("href") for a in page.named("a")]
    assert links and all(h.startswith("#") or re.fullmatch(r"(figures|tables)/[\w.]+|provenance\.json", h)
                         for h in links), links
    assert not [a for t, a in page.tags if "src" in a]          # nothing is loaded: no src at all
    assert not [t for t, _ in page.tags if t in ("link", "base", "iframe", "object", "embed", "form")]
    for tag, attrs in page.tags:
        for k, v in attrs.items():
            if k in ("href", "src", "xlink:href", "action"):
                assert v is not None and not v.lower().startswith(("http", "javascript", "data", "//")), (tag, k, v)


def test_the_page_loads_nothing_from_the_network(bundled_page):
    page = Page(bundled_page)
    for tag, attrs in page.tags:
        for k in ("href", "src", "xlink:href"):
            assert not (attrs.get(k) or "").startswith(("http:", "https:", "//")), (tag, attrs)
    assert "@import" not in bundled_page and "url(http" not in bundled_page and "@font-face" not in bundled_page
    csp = [m["content"] for m in page.named("meta") if m.get("http-equiv") == "Content-Security-Policy"][0]
    assert csp.startswith("default-src 'none';") and "script-src 'sha256-" in csp


def test_ids_are_unique_across_inlined_figures(bundled_page):
    ids = [a["id"] for _, a in Page(bundled_page).tags if "id" in a]
    assert len(ids) == len(set(ids))
    for ref in re.findall(r'(?:href|xlink:href)="#([^"]+)"|url\(#([^)]+)\)', bundled_page):
        target = ref[0] or ref[1]
        assert target in ids, target


def test_structure_works_without_javascript(bundled_page, bundled):
    page = Page(bundled_page)
    details = page.named("details")
    assert len([d for d in details if "article" in (d.get("class") or "")]) == 2        # 002 and 004
    assert len([d for d in details if d.get("class") == "replies"]) == 3               # 3 comments have replies
    assert len([d for d in details if d.get("class") == "more"]) == bundled.comments.height
    assert all("open" in d for d in details if d.get("class") in ("article", "replies"))
    assert len(page.named("figure")) == 6 and len(page.named("figcaption")) == 6
    assert ["hidden" in b for b in page.named("button")] == [True, True]             # shown by the script only
    for section in ("overview", "figures", "tables", "threads", "speakers", "provenance"):
        assert f'<section id="{section}">' in bundled_page
    assert "Figure 1. Sentiment across articles." in bundled_page
    assert "(n = 130)" in bundled_page                                                # own-voice sentences


def test_comments_are_tinted_and_their_hits_marked(bundled_page, bundled):
    tavit = bundled.comments.row(0, named=True)
    block = re.search(r'<div class="c" id="c1" style="([^"]*)" title="([^"]*)"', bundled_page)
    assert block and f"border-left-color:{score_color(tavit['sent_score'])}" in block.group(1)
    assert "whole-text compound \u22120.78" in block.group(2) and "3 sentences" in block.group(2)
    assert '<mark class="topic" title="topic: Betrayal (entry backstab*)">backstab</mark>' in bundled_page
    assert '<mark class="actor" title="actor: Russia">Russians</mark>' in bundled_page
    assert "<td>topic</td><td>Betrayal</td><td><code>backstab*</code></td><td>backstab</td><td>no</td>" in bundled_page


def test_negated_hits_are_marked_differently(make_corpus, tmp_path, paragraphs):
    folder = make_corpus([{"id": "n", "published": "2020-01-01", "paragraphs": paragraphs,
                           "comments": [(0, "Ann", "Compromise is not treason.")]}])
    html = (build_report(discourse.analyze(folder), tmp_path / "r") / "index.html").read_text(encoding="utf-8")
    assert '<mark class="neg" title="topic: Betrayal (entry treason), negated by \u201cnot\u201d">treason</mark>' in html
    assert "<td>yes (not)</td>" in html


def test_highlight_splits_overlapping_hits():
    text = "a <b>Russia</b> c"
    out = highlight(text, [Hit(5, 11, "actor", "actor: Russia"), Hit(2, 15, "topic", "topic: T")])
    assert out == ('a <mark class="topic" title="topic: T">&lt;b&gt;</mark>'
                   '<mark class="actor topic" title="topic: T; actor: Russia">Russia</mark>'
                   '<mark class="topic" title="topic: T">&lt;/b&gt;</mark> c')
    assert highlight("x & y", []) == "x &amp; y"
    assert highlight("abc", [Hit(2, 9, "topic", "out of range")]) == "abc"


def test_inline_svg_prefixes_ids_and_drops_prolog():
    svg = ('<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg width="1"><!-- a comment --><defs><path id="p1"/></defs>'
           '<use xlink:href="#p1"/><g clip-path="url(#p1)"/></svg>')
    out = inline_svg(svg, "f2", 'Figure "2"')
    assert out == ('<svg role="img" aria-label="Figure &quot;2&quot;" width="1"><defs><path id="f2-p1"/></defs>'
                   '<use xlink:href="#f2-p1"/><g clip-path="url(#f2-p1)"/></svg>')


def test_markdown_report_escapes_the_input(xss_report):
    md = (xss_report / "report.md").read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)<", md)            # every < from the input is escaped, so no tag
    assert "](javascript" not in md and "\\<script\\>document.title" in md
    assert md_escape("<script>x</script> [a](b)") == r"\<script\>x\</script\> \[a\](b)"
    assert "![Sentiment across articles](figures/sentiment_shift.png)" in md
    assert "| Article | Date | Title |" in md
