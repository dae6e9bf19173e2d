"""The Asbarez text reader: the bundled pages, the layout's edge cases, and the no-line-lost property."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discourse.readers import asbarez
from discourse.readers.asbarez import parse_text, render
from discourse.readers.textpage import read_asbarez
from discourse.readers.base import ReadOptions

THREADS = Path(__file__).resolve().parents[2] / "threads"


def parsed_file(name: str):
    path = next(THREADS.glob(name + "*.txt"))
    return read_asbarez(path, ReadOptions(roles=True))


def comments_of(text: str, **kw):
    return parse_text(text, "page.txt", roles=True, **kw)


def account_for_every_line(text: str, parsed) -> None:
    """Each non-blank line has exactly one role, and its words reach the record that role names."""
    lines = text.replace("\r\n", "\n").removeprefix("\ufeff").split("\n")
    nonblank = [i + 1 for i, ln in enumerate(lines) if ln.strip()]
    got = [r[0] for r in parsed.roles]
    assert got == nonblank, "every non-blank line is listed once, in order"
    art = parsed.articles[0]
    by_id = {c.source_id: c for c in art.comments}
    paragraphs = {("p" if p.role == "body" else "c") + str(k): p for k, p in enumerate(
        [p for p in art.paragraphs if p.role == "body"], 1)} | {
        "c" + str(k): p for k, p in enumerate([p for p in art.paragraphs if p.role == "caption"], 1)}
    body_pos: dict[str, int] = {}
    for line, role, ref, raw in parsed.roles:
        s = raw.strip()
        assert role in asbarez.ROLES
        if role == "comment_header":
            assert by_id[ref].line_start == line and by_id[ref].author in raw
        elif role == "comment_body":
            c = by_id[ref]
            at = c.text.find(s, body_pos.get(ref, 0))
            assert at >= 0, f"line {line} missing from comment {ref}"
            body_pos[ref] = at + len(s)
        elif role in ("body", "caption"):
            assert s in paragraphs[ref].text
        elif role == "title":
            assert art.title == s
    # nothing counted twice: comment texts are exactly their body lines
    for c in art.comments:
        n_chars = sum(len(r[3].strip()) for r in parsed.roles if r[2] == c.source_id and r[1] == "comment_body")
        assert len(c.text.replace("\n", "")) - sum(
            len(ln) - len(ln.lstrip()) for ln in c.text.split("\n")) == n_chars


# ---- the bundled corpus -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_every_bundled_line_has_one_role(name):
    path = next(THREADS.glob(name + "*.txt"))
    parsed = parsed_file(name)
    account_for_every_line(path.read_text(encoding="utf-8"), parsed)
    assert not [r for r in parsed.roles if r[1] == "unrecognised"]
    assert not parsed.diagnostics


def test_002_tree_shape():
    art = parsed_file("002").articles[0]
    top = [c for c in art.comments if c.parent is None]
    replies = [c for c in art.comments if c.parent is not None]
    assert [c.number for c in top] == list(range(1, 10))
    assert [c.author for c in top] == ["Tavit", "Vache", "GB", "vartan", "Arn.Sweden.", "Vindicated Man",
                                       "Harutik", "Armen", "Albertino"]
    by_id = {c.source_id: c for c in art.comments}
    assert [(r.author, by_id[r.parent].author, r.text[:20]) for r in replies] == [
        ("jOE", "Vache", ""), ("jOE", "vartan", "Where is the 200 mil"), ("jOE", "Harutik", "Same person that bla")]


def test_002_multi_paragraph_and_hard_breaks():
    art = parsed_file("002").articles[0]
    vache = next(c for c in art.comments if c.author == "Vache")
    assert vache.text.count("\n\n") == 4 and vache.text.startswith("Azerbaijan wants")
    arn = next(c for c in art.comments if c.author == "Arn.Sweden.")
    assert arn.text == ("Typical Turkish policy,\nThey always want to dominate other Peoples !\n\n"
                        "Armenias ties with Iran next – against Turkish Politic ?")


def test_captions_counted_once_and_kept_out_of_body():
    art = parsed_file("002").articles[0]
    caps = [p for p in art.paragraphs if p.role == "caption"]
    assert len(caps) == 1 and caps[0].text.startswith("Azerbaijani President Ilham Aliyev")
    assert all("TASS photo" not in p.text for p in art.paragraphs if p.role == "body")
    roles = [r for r in parsed_file("002").roles if r[1] == "caption"]
    assert [r[0] for r in roles] == [3, 4, 6]


def test_related_links_and_policy_kept_out():
    parsed = parsed_file("000")
    art = parsed.articles[0]
    related = [r for r in parsed.roles if r[1] == "related"]
    assert related[0][3] == "Other Articles from Author" and len(related) == 27
    assert all("Read also" not in p.text and "Mnatsakanyan" not in p.text for p in art.paragraphs)
    assert art.paragraphs[-1].text.startswith("Armenia and Artsakh have difficult days ahead")
    p002 = parsed_file("002")
    assert [r[0] for r in p002.roles if r[1] == "policy"] == [39, 41]
    assert all("Discussion Policy" not in c.text for c in p002.articles[0].comments)


def test_kicker_above_title_found_with_the_manifest_title():
    path = next(THREADS.glob("003*.txt"))
    parsed = read_asbarez(path, ReadOptions(roles=True, title="Putin explains Russia's position on Karabakh's conflict"))
    assert parsed.articles[0].title == "Putin explains Russia’s position on Karabakh’s conflict"
    assert parsed.roles[0][1:3] == ("kicker", None)
    # without the manifest the first line is taken as the title
    assert read_asbarez(path, ReadOptions()).articles[0].title == "Russia, Vladimir Putin"


def test_poem_keeps_its_line_breaks():
    poem = parsed_file("004").articles[0].comments[0]
    assert poem.author == "sylva portoian,MD"
    assert poem.text.startswith("Mothers & their Heroes\n\nOur Brave Mothers,\nWho brought Brave Sons,\n")
    assert poem.text.endswith("Sylva Portoian, MD\nOctober 20, 2020")


# ---- layout edge cases (pages written here) ----------------------------------------------------------

PAGE = """Title line

A paragraph.


  1. Ani said:

    First line
    second line

    New paragraph.

    • Bob-Smith Jr. said:

      Reply one.

      ◦ Վազգէն said:

        Reply two.

        ▪ a, b. c said:

          Deepest.

    • Carol said:


  2. Dan said:

    He told me and I said:
    then I left.
"""


def test_depths_bullets_and_odd_authors():
    parsed = comments_of(PAGE)
    cs = parsed.articles[0].comments
    by_id = {c.source_id: c for c in cs}
    depth = {}
    for c in cs:
        depth[c.source_id] = 0 if c.parent is None else depth[c.parent] + 1
    assert [(c.author, depth[c.source_id]) for c in cs] == [
        ("Ani", 0), ("Bob-Smith Jr.", 1), ("Վազգէն", 2), ("a, b. c", 3), ("Carol", 1), ("Dan", 0)]
    assert by_id[cs[4].source_id].text == "" and not cs[4].truncated
    assert cs[0].text == "First line\nsecond line\n\nNew paragraph."
    assert cs[-1].text == "He told me and I said:\nthen I left."
    account_for_every_line(PAGE, parsed)


def test_crlf_bom_and_tabs():
    page = "\ufeff" + PAGE.replace("\n", "\r\n").replace("\n    • Bob-Smith Jr.", "\n\t\t• Bob-Smith Jr.")
    a = comments_of(page).articles[0]
    b = comments_of(PAGE).articles[0]
    assert [(c.author, c.parent, c.text) for c in a.comments] == [(c.author, c.parent, c.text) for c in b.comments]
    assert a.title == "Title line"


def test_two_digit_numbers_narrow_the_indent():
    comments = [(0, f"user{i}", f"Comment {i}.") for i in range(1, 13)] + [(1, "replier", "To twelve.")]
    page = render("T", ["Body."], comments)
    assert " 10. user10 said:" in page
    cs = comments_of(page).articles[0].comments
    assert [c.number for c in cs if c.parent is None] == list(range(1, 13))
    assert cs[-1].parent == cs[-2].source_id


def test_no_comments_and_no_policy_heading():
    art = comments_of("Headline\n\nOnly text.\n\nMore text.").articles[0]
    assert art.comments == [] and [p.text for p in art.paragraphs] == ["Only text.", "More text."]
    page = "Headline\n\nText.\n\n  1. Ani said:\n\n    Hello.\n"
    parsed = comments_of(page)
    assert [c.author for c in parsed.articles[0].comments] == ["Ani"]
    assert not parsed.diagnostics


def test_truncated_header_is_reported():
    page = "Headline\n\nText.\n\n  1. Ani said:\n\n    Hello.\n\n  2. danoo"
    parsed = comments_of(page)
    last = parsed.articles[0].comments[-1]
    assert (last.author, last.truncated, last.text) == ("danoo", True, "")
    assert parsed.articles[0].truncated
    assert [(d.code, d.line) for d in parsed.diagnostics] == [("truncated", 9)]


def test_header_at_end_of_page_is_flagged_truncated():
    parsed = comments_of("Headline\n\nText.\n\n  1. Ani said:\n\n    Hello.\n\n    • Bob said:\n")
    assert parsed.articles[0].comments[-1].truncated
    assert parsed.diagnostics[0].code == "truncated"


def test_unrecognised_lines_are_reported_not_dropped():
    page = "Headline\n\nText.\n\n  1. Ani said:\n\n    Hello.\n\nStray footer text\n"
    parsed = comments_of(page)
    assert ("unrecognised") in [r[1] for r in parsed.roles]
    d = parsed.diagnostics[0]
    assert (d.code, d.line, "Stray footer" in d.message) == ("unrecognised-line", 9, True)


def test_furniture_is_recognised():
    page = "Headline\n\nText.\n\n  1. Ani said:\n\n    Hello.\n\nLeave a Reply\n"
    parsed = comments_of(page)
    assert parsed.roles[-1][1] == "furniture" and not parsed.diagnostics


def test_main_text_extraction_style_is_detected():
    parsed = comments_of(" date 2020-10-23 Putin says something.\nA reader writes back.\n")
    assert parsed.diagnostics[0].code == "structure-unknown"


# ---- round trip: random trees rendered in the layout parse back to the same tree -----------------

_word = st.text("abcxyzABCXYZ019éßԱբգ’“”", min_size=1, max_size=8)
_line = st.lists(_word, min_size=1, max_size=8).map(" ".join) | st.just("And then he said:") | st.just("1) a list")
_para = st.lists(_line, min_size=1, max_size=3).map("\n".join)
_text = st.lists(_para, min_size=0, max_size=3).map("\n\n".join)
_author = st.lists(_word, min_size=1, max_size=3).map(" ".join) | st.sampled_from(["jOE", "Arn.Sweden.", "a-b, c"])


@st.composite
def trees(draw):
    """Comments as (depth, author, text) in display order: each depth at most one more than the last."""
    n = draw(st.integers(0, 25))
    out, depth = [], 0
    for i in range(n):
        depth = 0 if i == 0 else draw(st.integers(0, min(depth + 1, 5)))
        out.append((depth, draw(_author), draw(_text)))
    return out


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(tree=trees(), paragraphs=st.lists(_line, min_size=1, max_size=4, unique=True))
def test_render_then_parse_is_identity(tree, paragraphs):
    page = render("A title", paragraphs, tree)
    parsed = comments_of(page)
    cs = parsed.articles[0].comments
    depth: dict[str, int] = {}
    got = []
    for c in cs:
        depth[c.source_id] = 0 if c.parent is None else depth[c.parent] + 1
        got.append((depth[c.source_id], c.author, c.text))
    assert got == tree
    assert [p.text for p in parsed.articles[0].paragraphs] == paragraphs
    account_for_every_line(page, parsed)
    if tree and tree[-1][2]:
        assert not parsed.diagnostics
