"""What the markup readers (WordPress HTML, WXR, Disqus) share: HTML to text, dates, the status policy.

Comment text is turned into plain text in one place, so one conversation gives the same text whatever
format it was saved in: ``<p>`` paragraphs are joined by a blank line, ``<br>`` is a line break, entities
are decoded exactly once (by the HTML parser), runs of spaces collapse, smilies become their ``alt`` text.

>>> html_to_text("<p>Peace needs compromise,<br />\\nnot surrender.</p>\\n<p>Second &amp; last.</p>")
'Peace needs compromise,\\nnot surrender.\\n\\nSecond & last.'
>>> html_to_text("Stored text\\nwith a break\\n\\nand a paragraph", stored=True)
'Stored text\\nwith a break\\n\\nand a paragraph'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable

from selectolax.lexbor import LexborHTMLParser, LexborNode

from discourse.readers.base import CommentRecord, ReadReport
from discourse.readers.tree import prune_dead
from discourse.readers.values import localize

#: elements that end a paragraph
BLOCK = frozenset({
    "p", "div", "blockquote", "ul", "ol", "dl", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
    "article", "header", "footer", "figure", "figcaption", "hr", "address", "aside", "nav", "main", "form",
    "fieldset", "details", "summary", "center",
})
#: elements that end a line
LINE = frozenset({"br", "li", "dt", "dd", "tr", "caption"})
#: elements whose content is never text a reader sees
HIDDEN = frozenset({"script", "style", "noscript", "template", "head", "title", "iframe", "object", "embed",
                    "svg", "math", "select", "textarea", "button", "input", "video", "audio", "canvas"})

_SPACE = re.compile(r"[ \t\n\r\f\xa0]+")
_STORED_BREAK = re.compile(r"[ \t\r\f]*\n(?:[ \t\r\f]*\n)*[ \t\r\f]*")

Skip = Callable[[LexborNode], bool]


class _Text:
    """Collects text as paragraphs of lines; a blank line inside a paragraph splits it."""

    def __init__(self) -> None:
        self.paras: list[list[str]] = []
        self.lines: list[str] = []
        self.cur: list[str] = []

    def add(self, s: str) -> None:
        self.cur.append(s)

    def line_is_empty(self) -> bool:
        return not "".join(self.cur).strip(" \t\n\r\f\xa0")

    def br(self) -> None:
        self.lines.append(_SPACE.sub(" ", "".join(self.cur)).strip(" "))
        self.cur = []

    def para(self) -> None:
        if not self.line_is_empty():
            self.br()
        self.cur = []
        if self.lines:
            self.paras.append(self.lines)
            self.lines = []

    def result(self) -> str:
        self.para()
        out: list[str] = []
        for lines in self.paras:
            block: list[str] = []
            for ln in lines + [""]:
                if ln:
                    block.append(ln)
                elif block:
                    out.append("\n".join(block))
                    block = []
        return "\n\n".join(out)


def nodes_text(nodes: Iterable[LexborNode], *, stored: bool = False, skip: Skip | None = None) -> str:
    """Plain text of ``nodes`` and everything under them, skipping subtrees for which ``skip`` is true.

    ``stored=True`` reads text as WordPress stores it before display (``wpautop``): a newline is a line
    break and a blank line starts a paragraph, as the rendered page would show them.
    """
    out = _Text()
    # an explicit stack (not recursion): hostile pages can nest thousands of elements
    stack: list[tuple[LexborNode, bool]] = [(n, False) for n in reversed(list(nodes))]
    pre = 0
    while stack:
        node, leaving = stack.pop()
        tag = node.tag
        if leaving:
            if tag == "pre":
                pre -= 1
            if tag in BLOCK:
                out.para()
            elif tag in LINE and tag != "br":
                if not out.line_is_empty():
                    out.br()
            continue
        if node.is_text_node:
            _add_text(out, node.text_content or "", stored=stored, pre=pre > 0)
            continue
        if not node.is_element_node or tag in HIDDEN or (skip is not None and skip(node)):
            continue
        if tag == "br":
            out.br()
            continue
        if tag == "img":
            cls = node.attributes.get("class") or ""
            if "wp-smiley" in cls or "emoji" in cls.split():
                out.add(node.attributes.get("alt") or "")
            continue
        if tag in BLOCK:
            out.para()
        if tag == "pre":
            pre += 1
        stack.append((node, True))
        stack.extend((c, False) for c in reversed(list(node.iter(include_text=True))))
    return out.result()


def _add_text(out: _Text, s: str, *, stored: bool, pre: bool) -> None:
    if not (stored or pre):
        out.add(s)
        return
    parts = _STORED_BREAK.split(s) if stored else s.split("\n")
    breaks = _STORED_BREAK.findall(s) if stored else ["\n"] * (len(parts) - 1)
    for i, part in enumerate(parts):
        if i:
            if breaks[i - 1].count("\n") > 1:
                out.para()
            elif not out.line_is_empty():  # a newline right after <br /> or <p> adds nothing (wpautop)
                out.br()
        out.add(part)


def html_to_text(fragment: str, *, stored: bool = False) -> str:
    """Plain text of an HTML fragment (a comment body, a Disqus message, a post's content)."""
    if "<" not in fragment and "&" not in fragment:
        out = _Text()
        _add_text(out, fragment, stored=stored, pre=False)
        return out.result()
    doc = LexborHTMLParser(fragment)
    body = doc.body
    if body is None:
        return ""
    return nodes_text(body.iter(include_text=True), stored=stored)


def html_paragraphs(fragment: str, *, stored: bool = False) -> list[str]:
    """The paragraphs of an HTML fragment, for article bodies."""
    text = html_to_text(fragment, stored=stored)
    return [p for p in text.split("\n\n") if p.strip()]


# ---- dates -------------------------------------------------------------------------------------------

def to_utc(value: dt.datetime, zone: str | None = None) -> tuple[dt.datetime, bool]:
    """``value`` in UTC, and whether it carried a zone (a naive time is read in ``zone``, None: UTC)."""
    if value.tzinfo is None:
        return localize(value, zone), False
    return value.astimezone(dt.timezone.utc), True


def parse_iso(text: str | None, zone: str | None = None) -> tuple[dt.datetime | None, bool]:
    """An ISO 8601 / SQL ``YYYY-MM-DD HH:MM:SS`` time in UTC, whether it had a zone; ``None`` when unreadable.
    A time without a zone is read in ``zone`` (an IANA name; None: UTC).

    >>> parse_iso("2020-10-02T09:15:00+04:00")
    (datetime.datetime(2020, 10, 2, 5, 15, tzinfo=datetime.timezone.utc), True)
    """
    if not text or not text.strip() or text.strip().startswith("0000-00-00"):
        return None, False
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None, False
    return to_utc(value, zone)


_MONTHS = {m: i for i, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
    ("december", "dec")), 1) for m in names}
_M = r"(?P<month>[A-Za-z]{3,9})\.?"
_CLOCK = r"(?:,?\s*(?:at|@|-)?\s*(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\.?)?)?"
_DISPLAY_DATES = (
    re.compile(r"(?i)" + _M + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _CLOCK),
    re.compile(r"(?i)(?P<day>\d{1,2})(?:st|nd|rd|th)?\.?\s+" + _M + r",?\s+(?P<year>\d{4})" + _CLOCK),
    re.compile(r"(?i)(?P<year>\d{4})-(?P<mo>\d{2})-(?P<day>\d{2})" + _CLOCK),
)


def parse_display_date(text: str) -> dt.datetime | None:
    """A date as WordPress prints it ("March 3, 2012 at 10:14 am", "3 March 2012 at 10:14"), naive.

    >>> parse_display_date("March 3, 2012 at 10:14 pm")
    datetime.datetime(2012, 3, 3, 22, 14)
    """
    s = " ".join(text.split())
    for pattern in _DISPLAY_DATES:
        m = pattern.search(s)
        if not m:
            continue
        g = m.groupdict()
        month = int(g["mo"]) if g.get("mo") else _MONTHS.get((g.get("month") or "").lower())
        if month is None:
            continue
        hour, minute, second = int(g["h"] or 0), int(g["mi"] or 0), int(g["s"] or 0)
        ampm = (g["ampm"] or "").replace(".", "").replace(" ", "").lower()
        if ampm:
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if ampm == "pm" else 0)
        try:
            return dt.datetime(int(g["year"]), month, int(g["day"]), hour, minute, second)
        except ValueError:
            continue
    return None


# ---- statuses ----------------------------------------------------------------------------------------

def apply_status_policy(records: list[CommentRecord], reasons: dict[int, str],
                        report: ReadReport) -> list[CommentRecord]:
    """Keep out the records named in ``reasons`` (``id(record)`` -> reason, e.g. ``spam``), and deleted ones.

    A kept-out or deleted comment that someone replied to stays as a text-less ``placeholder`` so the
    replies keep their place; the others are dropped and counted in ``report.dropped`` by reason.
    """
    reason_of: dict[int, str] = {}
    for r in records:
        if id(r) in reasons or r.status == "deleted":
            reason_of[id(r)] = reasons.get(id(r), "deleted")
            r.status = "deleted"
            r.text = ""
    if not reason_of:
        return records
    scratch = ReadReport()
    kept = prune_dead(records, scratch)
    kept_ids = {id(r) for r in kept}
    for r in records:
        if id(r) in reason_of and id(r) not in kept_ids:
            report.dropped[reason_of[id(r)]] += 1
    report.repaired.update(scratch.repaired)
    return kept
