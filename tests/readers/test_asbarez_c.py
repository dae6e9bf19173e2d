"""Reading an Asbarez comment section header by header (asbarez.comment_section and its C twin in
discourse/readers/_asbarez.c) against the line-by-line reader it stands in for: the same records,
diagnostics and line roles on every page, and the C kernel the same as its Python specification.

Without a C compiler discourse reads with the Python alone and the C comparisons have nothing to compare;
with DISCOURSE_REQUIRE_NATIVE=1 (as .ci/run sets) a missing kernel fails.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pytest

from discourse.native import native
from discourse.readers import asbarez
from discourse.readers.asbarez import BULLETS, comment_section, parse_text, render

try:
    from discourse.readers import _asbarez
except ImportError:  # built without a C compiler: the tests that need it are skipped
    _asbarez = None

THREADS = Path(__file__).resolve().parents[2] / "threads"
needs_kernel = pytest.mark.skipif(_asbarez is None, reason="discourse was built without its C kernels")


def test_the_kernel_is_built_when_required():
    if os.environ.get("DISCOURSE_REQUIRE_NATIVE") == "1":
        assert _asbarez is not None


# ---- pages: the layout's own, and the layout with every kind of line it can meet -----------------------

WORDS = ["Karabakh", "said:", "Ани", "ԱԲԳ", "1.", "•", "x", "Read more", "Comments", "Reply", "٣.", "said: ", "a\u00a0b"]
BLANKS = ["", " ", "   ", "\u3000", "\x0b", "\x0c ", "\u2028", "\x85", "\x1c", "  \u00a0"]
ODD_LINES = [
    "Related Articles", "Discussion Policy", "Comments are welcome here.", "Leave a Reply", "3 Comments",
    "Share this:", "random furniture", "he said:", "  x said:", "12345678. Big said:", "  ٣. Unicode digit said:",
    "   ٣. Unicode digit said:", "  1.  Two spaces said:", "  1. \u00a0nbsp said:", "  1. A\u3000said:",
    "  1. trailing blanks said: \t ", "  1. A said:\x0b", "\t• tabbed said:", "  • tab\tin author said:",
    "  2. danoo", "    • cut off", "10. Ten said:", "   10. Ten said:", "100. Hundred said:", "•x said:",
    "  ▫ square said:", "    ◦ said:", "  1. said: said:", "  1. A said:B said:",
]


def _body_line(rng: random.Random, indent: int) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6)))
    ind = max(0, indent + rng.choice([0, 0, 0, 0, 1, 2, -1, -2, -3]))
    tail = rng.choice(["", "", "", " ", "\u3000", "\t", " \x0b"])
    return " " * ind + words + tail


def hostile_page(rng: random.Random) -> str:
    """An Asbarez page from :func:`render`, then lines changed, added and removed at random."""
    tree, depth = [], 0
    for k in range(rng.randint(1, 12)):
        depth = 0 if k == 0 else rng.randint(0, min(depth + 1, 4))
        paras = ["\n".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 5)))
                           for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(0, 3))]
        tree.append((depth, rng.choice(["Ani", "jOE", "Arn.Sweden.", "Վազգէն", "a-b, c", "said: x"]), "\n\n".join(paras)))
    lines = render("A title", ["Body one.", "Body two."], tree).split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.endswith("said:"))
    for _ in range(rng.randint(0, 4)):
        i = rng.randrange(start + 1, len(lines) + 1)
        what = rng.random()
        if what < 0.35:
            lines.insert(i, rng.choice(BLANKS))
        elif what < 0.6:
            lines.insert(i, _body_line(rng, rng.choice([0, 2, 4, 6, 8])))
        elif what < 0.85:
            lines.insert(i, rng.choice(ODD_LINES))
        elif i < len(lines):
            del lines[i]
    if rng.random() < 0.2:
        lines = lines[:rng.randrange(start + 1, len(lines) + 1)]  # the page cut short
    return "\n".join(lines) + rng.choice(["", "\n", "\n\n"])


def _read(text: str, fast: bool):
    before = asbarez._FAST
    asbarez._FAST = fast
    try:
        p = parse_text(text, "page.txt", roles=True)
    finally:
        asbarez._FAST = before
    return p.articles, p.diagnostics, p.roles, p.report.as_dict()


def _sections(text: str):
    """(text, off, first, top_right) of a page's comment section, as parse_text finds it, or None."""
    lines = text.split("\n")
    for i, ln in enumerate(lines):
        if ln.rstrip().endswith("said:"):
            m = asbarez._HEADER.fullmatch(asbarez._indent(ln)[1])
            if m and m["num"] and m["ind"]:
                return text, sum(map(len, lines[:i])) + i, i, len(m["ind"]) + len(m["num"])
    return None


# ---- header by header = line by line -----------------------------------------------------------------

@pytest.mark.parametrize("on", [False, True])
def test_by_header_reads_what_line_by_line_reads(on):
    if on and _asbarez is None:
        pytest.skip("discourse was built without its C kernels")
    rng = random.Random(19)
    taken = 0
    with native(on):
        for _ in range(1500):
            page = hostile_page(rng)
            assert _read(page, True) == _read(page, False), page
            sec = _sections(page)
            taken += sec is not None and bool(comment_section(*sec))
    # the pages hold both kinds: sections read header by header, and sections left to the line reader
    assert 300 < taken < 1400


@pytest.mark.parametrize("on", [False, True])
def test_by_header_on_rendered_and_bundled_pages(on):
    if on and _asbarez is None:
        pytest.skip("discourse was built without its C kernels")
    rng = random.Random(7)
    with native(on):
        for _ in range(200):
            tree, depth = [], 0
            for k in range(rng.randint(1, 30)):
                depth = 0 if k == 0 else rng.randint(0, min(depth + 1, 5))
                tree.append((depth, "Ani " + str(k), rng.choice(["", "One.", "One.\ntwo.", "One.\n\nTwo.\nthree."])))
            page = render("T", ["Body."], tree, captions=("A caption",))
            assert comment_section(*_sections(page)), "a page of the layout's own writer is read header by header"
            assert _read(page, True) == _read(page, False)
        for path in sorted(THREADS.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            assert _read(text, True) == _read(text, False), path.name


# ---- the C kernel = its Python specification ---------------------------------------------------------

@needs_kernel
def test_kernel_equals_python_on_hostile_pages():
    rng = random.Random(3)
    for _ in range(3000):
        sec = _sections(hostile_page(rng))
        if sec is not None:
            assert _asbarez.comment_section(*sec) == comment_section(*sec), sec[0]


def _code_points():
    chosen = {c for c in range(sys.maxunicode + 1) if c % 7 == 0}
    chosen |= {c for c in range(sys.maxunicode + 1) if chr(c).isspace() or chr(c).isdecimal()}
    chosen |= {ord(b) for b in BULLETS} | set(range(128))
    return sorted(c for c in chosen if not 0xD800 <= c <= 0xDFFF)


@needs_kernel
def test_kernel_equals_python_on_every_kind_of_character():
    # each character as a marker, an author's first and last character, a blank line, the first character
    # after a body line's indent, a trailing blank and inside a word
    templates = [
        "  1. A said:\n{c}\n    x{c}\n",
        "  1. A said:\n    {c}\n     {c}y\n      z {c}\n\n    w\n",
        "  1. A said:\n  {c}. B said:\n  {c} C said:\n",
        "  1. {c}A said:\n  2. A{c} said:\n  3. {c} said:\n    x\n",
        "  1. A said:{c}\n    x\n",
        "  1. A said:\n{c}{c}{c}{c}{c}\n",
        "  {c}{c}. A said:\n    • B said:\n      {c}\n",
    ]
    for c in map(chr, _code_points()):
        # the line reader as well for the characters the rules name (blanks, digits, bullets, ASCII), and some
        whole = c.isspace() or c.isdecimal() or c in BULLETS or ord(c) < 128 or ord(c) % 91 == 0
        for t in templates:
            text = "T\n\n" + t.format(c=c)
            args = (text, 3, 2, 3)
            assert _asbarez.comment_section(*args) == comment_section(*args), (hex(ord(c)), t)
            if whole and "\r" not in text:
                assert _read(text, True) == _read(text, False), (hex(ord(c)), t)


@needs_kernel
def test_kernel_arguments():
    assert _asbarez.comment_section("  1. A said:\n    x", 0, 0, 3) == [(0, "1", "A", 2, "x", 1)]
    assert _asbarez.comment_section("", 0, 0, 3) == []
    with pytest.raises(ValueError):
        _asbarez.comment_section("abc", 4, 0, 3)
    with pytest.raises(TypeError):
        _asbarez.comment_section(b"abc", 0, 0, 3)


def test_a_section_read_header_by_header():
    page = render("T", ["Body."], [(0, "Ani", "One.\ntwo.\n\nThree."), (1, "jOE", ""), (2, "Vazgen", "Hi."),
                                   (0, "Dan", "Bye.")])
    sec = _sections(page)
    lines = page.split("\n")
    want = [(sec[2], "1", "Ani", 2, "One.\ntwo.\n\nThree.", sec[2] + 5), (sec[2] + 7, None, "jOE", 4, "", -1),
            (sec[2] + 10, None, "Vazgen", 6, "Hi.", sec[2] + 12), (sec[2] + 14, "2", "Dan", 2, "Bye.", sec[2] + 16)]
    assert comment_section(*sec) == want
    assert [lines[w[0]] for w in want] == ["  1. Ani said:", "    • jOE said:", "      ◦ Vazgen said:",
                                           "  2. Dan said:"]
    if _asbarez is not None:
        assert _asbarez.comment_section(*sec) == want
    # a line it cannot place (under-indented, a related-links heading, a tab) leaves the page to the line reader
    for bad in ("  under-indented", "Related Articles", "    \ttab"):
        cut = page.replace("    Bye.", bad)
        assert comment_section(*_sections(cut)) is None
        if _asbarez is not None:
            assert _asbarez.comment_section(*_sections(cut)) is None


# ---- the sniffer: said: line ends found in the bytes = line by line ---------------------------------------

def test_has_header_equals_reading_line_by_line():
    rng = random.Random(5)
    pieces = [b"  1. Ani said:", b"said:", b" said:  ", b"said:\t", b"x said:", b"\r\n", b"\n", b"\r", b"\n\n",
              b"  \xe2\x80\xa2 Bob said:", b"\xef\xbb\xbf  1. BOM said:", b"\t\t1. Tabs said:", b"2. A said: x",
              b"\xff\xfe", b"  12345678. A said:", b"\xd9\xa3. A said:", b"   ", b"said", b":", b"1.", b" "]
    for _ in range(4000):
        head = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert asbarez.has_header(head) == asbarez.has_header_by_lines(head), head
    for path in sorted(THREADS.glob("*")):
        head = path.read_bytes()[:65536]
        assert asbarez.has_header(head) == asbarez.has_header_by_lines(head)
    assert asbarez.has_header(b"Title\r\rx\r  1. Ani said: \r")
    assert not asbarez.has_header(b"Title\n  1. Ani said: x\n" + b"y" * 2000 + b" said:")
