"""The Asbarez plain-text page layout: an article, then numbered comments with bulleted replies.

::

    Title
    <caption, repeated>
    <article paragraphs>
    Discussion Policy
    Comments are welcomed ...
      1. Tavit said:            <- top level: indent, number, '.', author, ' said:'
        <body, 4 spaces>
        • jOE said:             <- reply: each level adds two spaces; bullets •, ◦, ▪
          <body, 6 spaces>

Every non-blank line gets exactly one role (see :data:`ROLES`); lines the reader cannot place are kept
as ``unrecognised`` and reported with their line number. ``docs/formats.md`` describes the layout.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from discourse.readers.base import (
    ArticleRecord, CommentRecord, Diagnostic, Paragraph, ParsedFile,
)

NAME = "asbarez"

ROLES = ("title", "kicker", "caption", "body", "related", "policy", "furniture",
         "comment_header", "comment_body", "unrecognised")

BULLETS = "•◦▪▫‣○●■□"
#: glyph a browser draws for a nested list at each reply depth (1, 2, 3 and deeper)
BULLET_FOR_DEPTH = ("•", "◦", "▪")
_HEADER = re.compile(
    r"(?P<ind>[ ]*)(?:(?P<num>\d{1,7})\.|(?P<bul>[" + BULLETS + r"])) (?P<author>\S(?:.*\S)?) said:[ \t]*")
_OPEN_HEADER = re.compile(r"(?P<ind>[ ]*)(?:(?P<num>\d{1,7})\.|(?P<bul>[" + BULLETS + r"])) (?P<author>\S.*?)[ \t]*")

RELATED_HEADINGS = frozenset({
    "other articles from author", "read also", "related posts", "related articles", "related", "related stories",
    "read more", "more from author", "you may also like", "recommended", "more stories", "latest news",
})
POLICY_HEADINGS = frozenset({"discussion policy", "comment policy", "comments policy"})
POLICY_OPENINGS = ("comments are welcomed", "comments are welcome")
_FURNITURE = re.compile(
    r"(?i)(leave a (reply|comment)|cancel reply|post comment|your email address will not be published.*"
    r"|required fields are marked.*|\d+ (comments?|responses?|replies|thoughts? on .*)|share this:?|like this:?"
    r"|comments|reply)")
#: an ``unrecognised-line`` diagnostic's message is this, then the line exactly as read (its full text)
UNRECOGNISED_PREFIX = "line not understood, kept aside: "
_MAIN_TEXT_STYLE = re.compile(r"\s*date \d{4}-\d{2}-\d{2}\b")


_TYPOGRAPHY = str.maketrans("‘’‛′“”„″–—", "'''\"\"\"\"\"--")


def _fold(s: str) -> str:
    """Compare titles loosely: typography, case and spacing do not matter."""
    s = unicodedata.normalize("NFKC", s).translate(_TYPOGRAPHY)
    return " ".join(s.casefold().split())


#: a ``said:`` that ends its line (blanks after it allowed): where :func:`has_header` looks for a header
_SAID_AT_END = re.compile(rb"said:[ \t]*+(?=[\r\n]|\Z)")


def _header_line(tail: bytes) -> bool:
    """Whether a line, its trailing blanks stripped and ending in ``said:``, is a comment header."""
    if len(tail) > 1000:
        return False
    return _HEADER.fullmatch(tail.decode("utf-8", "replace").lstrip("\ufeff").expandtabs(2)) is not None


def has_header(head: bytes) -> bool:
    """Whether a line of ``head`` is a ``said:`` comment header. Linear in ``len(head)``: only the lines
    that end in ``said:`` are found (one regex search over the bytes, no split into lines), and each is
    decoded and matched once. :func:`has_header_by_lines` is its specification."""
    for m in _SAID_AT_END.finditer(head):
        k = m.start()
        nl = head.rfind(b"\n", 0, k)
        start = max(nl, head.rfind(b"\r", nl + 1, k)) + 1  # both searches stop at the line's start
        if _header_line(head[start:k + 5]):
            return True
    return False


def has_header_by_lines(head: bytes) -> bool:
    """:func:`has_header` line by line, as written first: the specification its tests hold it to."""
    for line in re.split(rb"\r\n|\r|\n", head):
        tail = line.rstrip(b" \t")
        if tail.endswith(b"said:") and _header_line(tail):
            return True
    return False


def sniff(path: Path, head: bytes) -> float:
    """A `said:` header line makes it certain; any other plain text is still a page without comments."""
    if b"\x00" in head:
        return 0.0
    if has_header(head):
        return 0.9
    text = head[:4096].decode("utf-8", "replace")
    if path.suffix.lower() in (".txt", ".text", "") and not text.lstrip("\ufeff \t\r\n").startswith("<"):
        return 0.3
    return 0.0


@dataclass
class _Comment:
    record: CommentRecord
    col: int
    lines: list[str]
    paragraphs: list[list[str]]


def _indent(line: str) -> tuple[int, str]:
    """Indent width and the line with leading tabs expanded (a tab is one reply level, two columns)."""
    stripped = line.lstrip(" \t")
    lead = line[: len(line) - len(stripped)]
    if "\t" in lead:
        lead = lead.replace("\t", "  ")
        line = lead + stripped
    return len(lead), line


def parse_text(text: str, path: str, *, title_hint: str | None = None, roles: bool = False) -> ParsedFile:
    """Parse a page already decoded to ``str``. ``title_hint`` (from the manifest) locates the title line."""
    diags: list[Diagnostic] = []
    text = text.removeprefix("\ufeff")
    lines = re.split(r"\r\n|\r|\n", text) if "\r" in text else text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    n = len(lines)
    role: list[str | None] = [None] * n
    ref: list[str | None] = [None] * n

    # the comment section starts at the first header line
    first = n
    top_right = None
    for i, ln in enumerate(lines):
        if ln.rstrip().endswith("said:"):
            _, ex = _indent(ln)
            m = _HEADER.fullmatch(ex)
            if m and m["num"] and m["ind"]:
                first, top_right = i, len(m["ind"]) + len(m["num"])
                break

    article = ArticleRecord(title=None)
    _read_article(lines[:first], path, title_hint, article, role, ref, diags)
    if first < n and top_right is not None:
        if not (_FAST and "\r" not in text and
                _read_comments_by_header(text, lines, first, top_right, path, article, role, ref, diags)):
            _read_comments(lines, first, top_right, path, article, role, ref, diags)
    elif n and _MAIN_TEXT_STYLE.match(lines[0]):
        diags.append(Diagnostic(
            "warning", "structure-unknown", path, 1,
            "main-text extraction style (a ' date YYYY-MM-DD ' prefix, no 'said:' headers): comments, if any, "
            "cannot be told apart from the article and are read as article text",
            "save the page with its comment markup (Asbarez text dump or HTML) to recover the reply tree"))

    if "unrecognised" in role:
        for i, r in enumerate(role):
            if r == "unrecognised":
                diags.append(Diagnostic("warning", "unrecognised-line", path, i + 1,
                                        UNRECOGNISED_PREFIX + lines[i],
                                        "see `discourse parse FILE --lines`; report the layout if it is common"))
    parsed = ParsedFile(path=path, format=NAME, articles=[article], diagnostics=diags)
    parsed.report.kept["articles"] = 1
    parsed.report.kept["paragraphs"] = sum(p.role == "body" for p in article.paragraphs)
    parsed.report.kept["captions"] = sum(p.role == "caption" for p in article.paragraphs)
    counts = Counter(role)
    for r in ("related", "policy", "furniture", "kicker"):
        if counts[r]:
            parsed.report.dropped[f"{r}-lines"] = counts[r]
    if counts["unrecognised"]:
        parsed.report.dropped["unrecognised-lines"] = counts["unrecognised"]
    if roles:
        parsed.roles = [(i, r or "unrecognised", f, ln) for i, r, f, ln in zip(range(1, n + 1), role, ref, lines)
                        if ln and not ln.isspace()]  # the lines with something other than blanks
    return parsed


def _read_article(lines: list[str], path: str, title_hint: str | None, article: ArticleRecord,
                  role: list, ref: list, diags: list[Diagnostic]) -> None:
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    if not nonblank:
        return
    # title: the manifest's title if it is on one of the first lines, else the first line
    t = nonblank[0]
    if title_hint:
        want = _fold(title_hint)
        for i in nonblank[:4]:
            if _fold(lines[i]) == want:
                t = i
                break
    for i in nonblank:
        if i < t:
            role[i] = "kicker"
    role[t] = "title"
    article.title = lines[t].strip()

    # zones after the title: body until a related-links or policy heading
    zone = "body"
    policy_blocks = 0
    for i in nonblank:
        if i <= t:
            continue
        s = lines[i].strip()
        low = s.casefold().rstrip(":")
        blank_before = i == 0 or not lines[i - 1].strip()
        if low in RELATED_HEADINGS:
            zone = "related"
        elif low in POLICY_HEADINGS:
            zone, policy_blocks = "policy", 0
        elif zone != "policy" and blank_before and low.startswith(POLICY_OPENINGS):
            zone, policy_blocks = "policy", 1
        elif zone == "policy" and blank_before:
            policy_blocks += 1
        if zone == "policy":
            # the heading and the paragraph under it are the policy; what follows is page furniture
            if policy_blocks <= 1:
                role[i] = "policy"
            else:
                role[i] = "furniture" if _FURNITURE.fullmatch(s) else "unrecognised"
        elif zone == "related":
            role[i] = "related"
        else:
            role[i] = "furniture" if _FURNITURE.fullmatch(s) else "body"

    # captions: body lines printed more than once (the photo caption repeats around the image)
    body_idx = [i for i in nonblank if role[i] == "body"]
    seen = Counter(lines[i].strip() for i in body_idx)
    for i in body_idx:
        if seen[lines[i].strip()] > 1:
            role[i] = "caption"
    article_paragraphs(lines, role, ref, article, t + 1, len(lines))


def article_paragraphs(lines: list[str], role: list, ref: list, article: ArticleRecord, start: int, end: int) -> None:
    """The article's captions and body paragraphs from the roles of ``lines[start:end]``, in page order: a
    caption once per distinct text (``c1``, ``c2`` ...), a body paragraph per run of consecutive body lines
    (``p1``, ``p2`` ...); ``ref`` gets each line's paragraph id. Shared by the Asbarez and text-page readers."""
    caption_no: dict[str, str] = {}
    pno = 0
    run: list[int] = []

    def flush() -> None:
        nonlocal pno
        if run:
            pno += 1
            for j in run:
                ref[j] = f"p{pno}"
            article.paragraphs.append(Paragraph("\n".join(lines[j].strip() for j in run), "body",
                                                run[0] + 1, run[-1] + 1))
            run.clear()

    for i in range(start, end):
        if role[i] == "body":
            if run and run[-1] != i - 1:
                flush()
            run.append(i)
            continue
        if lines[i].strip():
            flush()
        if role[i] == "caption":
            s = lines[i].strip()
            if s not in caption_no:
                caption_no[s] = f"c{len(caption_no) + 1}"
                article.paragraphs.append(Paragraph(s, "caption", i + 1, i + 1))
            ref[i] = caption_no[s]
    flush()
    # page order for the paragraphs table: captions and body interleaved by line
    article.paragraphs.sort(key=lambda p: p.line_start or 0)


#: :func:`parse_text` reads a comment section header by header when it can (tests switch it off to compare)
_FAST = True


def _header_fields(line: str, top_right: int) -> tuple[int, str | None, str] | None:
    """``_HEADER.fullmatch(line)`` with the reader's right-edge rule for numbered headers, by hand: the
    indent's width, the number (None for a bullet) and the author, or None. A ``said:`` header's author runs
    from after the marker and one space to the `` said:`` the line ends in (blanks after it allowed), and
    starts and ends with a non-blank character."""
    width = len(line) - len(line.lstrip(" "))
    j = width
    num = None
    while j < len(line) and j - width < 8 and line[j].isdecimal():
        j += 1
    if j > width:
        if j - width > 7 or line[j:j + 1] != ".":
            return None
        num = line[width:j]
        right = width + len(num)
        if not (right == top_right or (width == 0 and right > top_right)):
            return None
        j += 1
    elif line[j:j + 1] and line[j] in BULLETS:
        j += 1
    else:
        return None
    tail = line.rstrip(" \t")
    if line[j:j + 1] != " " or len(tail) - (j + 1) < 7 or not tail.endswith(" said:"):
        return None
    author = tail[j + 1:-6]
    if author[0].isspace() or author[-1].isspace():
        return None
    return width, num, author


def comment_section(text: str, off: int, first: int, top_right: int) -> list[tuple] | None:
    """The comments of a section read header by header: for each, ``(line, number, author, column,
    text, last line)`` (indexes of ``text``'s lines counting from ``first``, the line at ``off``; ``last``
    is the comment's last non-blank line, -1 if it has none), or None when the section is not one this
    reading can take: a tab in it, or a non-blank line that is neither a header nor indented past the
    column of the comment above it (a related-links heading, policy or furniture line, an unplaced or
    under-indented line: the line-by-line reader places those). ``text`` has no ``\r``.

    The specification of the C kernel ``_asbarez.comment_section`` (the tests hold the two to each other)."""
    if "\t" in text[off:]:
        return None
    out: list[list] = []
    cur: list | None = None  # [line, number, author, column, pieces, last line, blank pending]
    lines = text[off:].split("\n")
    for k, ln in enumerate(lines):
        i = first + k
        head = _header_fields(ln, top_right) if ln.endswith(("said:", " ")) else None
        if head is not None:
            width, num, author = head
            cur = [i, num, author, width + (len(num) - 1 if num else 0), [], -1, False]
            out.append(cur)
            continue
        if not ln or ln.isspace():
            if cur is not None:
                cur[6] = True
            continue
        if cur is None:
            return None
        cut = cur[3] + 1
        if not ln.startswith(" " * cut):
            return None
        if ln[cut] == " ":
            cut += 1
        if cur[4]:
            cur[4].append("\n\n" if cur[6] else "\n")
        cur[4].append(ln[cut:].rstrip())
        cur[5], cur[6] = i, False
    return [(i, num, author, col, "".join(pieces), last) for i, num, author, col, pieces, last, _ in out]


try:
    from discourse.readers._asbarez import comment_section as _comment_section_c
except ImportError:  # built without a C compiler: the Python above
    _comment_section_c = None


def _read_comments_by_header(text: str, lines: list[str], first: int, top_right: int, path: str,
                             article: ArticleRecord, role: list, ref: list, diags: list[Diagnostic]) -> bool:
    """:func:`_read_comments` header by header instead of line by line (:func:`comment_section`, in C
    when built), for the comment sections it can read so (every page the layout's own writer,
    :func:`render`, gives); False, with nothing changed, for any other, which the line-by-line reader then
    reads. It gives what :func:`_read_comments` gives (records, diagnostics, roles); the tests check that
    on generated pages. ``lines`` is ``text`` split at ``\n`` (no ``\r`` in it)."""
    from discourse import native

    n = len(lines)
    off = sum(map(len, lines[:first])) + first  # where line ``first`` starts in ``text``
    kernel = _comment_section_c if _comment_section_c is not None and native.enabled() else comment_section
    section = kernel(text, off, first, top_right)
    if not section or section[0][0] != first:
        return False
    records: list[CommentRecord] = []
    stack: list[tuple[int, str]] = []  # (column, source id) of the open comments, outermost first
    expected_number = None
    for k, (i, num, author, col, body, last) in enumerate(section):
        while stack and stack[-1][0] >= col:
            stack.pop()
        number = int(num) if num else None
        if num is None and not stack:
            diags.append(Diagnostic("warning", "reply-without-parent", path, i + 1,
                                    "bulleted reply before any numbered comment; kept as top-level", None))
        if number is not None:
            if expected_number is not None and number != expected_number:
                diags.append(Diagnostic("note", "numbering-gap", path, i + 1,
                                        f"comment number {number} follows {expected_number - 1}", None))
            expected_number = number + 1
        sid = f"L{i + 1}"
        records.append(CommentRecord(sid, stack[-1][1] if stack else None, author, body, number=number,
                                     line_start=i + 1, line_end=(last if last >= 0 else i) + 1,
                                     order=len(records), native_id=False))
        stack.append((col, sid))
        role[i], ref[i] = "comment_header", sid
        end = section[k + 1][0] if k + 1 < len(section) else n
        if end > i + 1:  # blank lines get the role too: roles are read for non-blank lines only
            role[i + 1:end] = ["comment_body"] * (end - i - 1)
            ref[i + 1:end] = [sid] * (end - i - 1)

    last_nonblank = first
    for j in range(n - 1, first - 1, -1):
        if lines[j].strip():
            last_nonblank = j
            break
    rec = records[-1]
    if rec.line_end == rec.line_start and rec.line_start == last_nonblank + 1:
        rec.truncated = article.truncated = True
        diags.append(Diagnostic("warning", "truncated", path, rec.line_start,
                                f"page ends right after the header of a comment by {rec.author!r}; "
                                "its text may be cut off, flagged truncated",
                                "save the complete page if the comment had text"))
    article.comments = records
    return True


def _read_comments(lines: list[str], first: int, top_right: int, path: str, article: ArticleRecord,
                   role: list, ref: list, diags: list[Diagnostic]) -> None:
    n = len(lines)
    last_nonblank = first
    for i in range(n - 1, first - 1, -1):
        if lines[i].strip():
            last_nonblank = i
            break
    stack: list[_Comment] = []
    current: _Comment | None = None
    comments: list[_Comment] = []
    blank_pending = False
    related = False
    expected_number = None
    # the current comment, unpacked: its indent, the paragraph being filled and its record
    col = -1
    paragraph: list[str] = []
    record: CommentRecord | None = None

    def close(c: _Comment | None) -> None:
        if c is None:
            return
        paras = ["\n".join(p) for p in c.paragraphs if p]
        c.record.text = "\n\n".join(paras)

    for i in range(first, n):
        raw = lines[i]
        if not raw or raw.isspace():  # not raw.strip()
            blank_pending = True
            continue
        if "\t" in raw:
            width, ln = _indent(raw)
        else:
            ln = raw
            width = len(raw) - len(raw.lstrip(" "))
        m = _HEADER.fullmatch(ln) if "said:" in ln and ln.rstrip().endswith("said:") else None
        if m and m["num"]:
            right = len(m["ind"]) + len(m["num"])
            if not (right == top_right or (m["ind"] == "" and right > top_right)):
                m = None
        if m is None and i == last_nonblank:
            o = _OPEN_HEADER.fullmatch(ln)
            if o and (o["bul"] or (o["num"] and len(o["ind"]) + len(o["num"]) == top_right)) and (
                    current is None or width <= current.col):
                # the page ends inside a comment header ("2. danoo"): keep it, flagged
                m = o
        if m is not None:
            close(current)
            related = False
            col = len(m["ind"]) + (len(m["num"]) - 1 if m["num"] else 0)
            while stack and stack[-1].col >= col:
                stack.pop()
            parent = stack[-1].record.source_id if stack else None
            number = int(m["num"]) if m["num"] else None
            if m["num"] is None and not stack:
                diags.append(Diagnostic("warning", "reply-without-parent", path, i + 1,
                                        "bulleted reply before any numbered comment; kept as top-level",
                                        None))
            if number is not None:
                if expected_number is not None and number != expected_number:
                    diags.append(Diagnostic("note", "numbering-gap", path, i + 1,
                                            f"comment number {number} follows {expected_number - 1}", None))
                expected_number = number + 1
            truncated = not ln.rstrip().endswith("said:")
            record = CommentRecord(source_id=f"L{i + 1}", parent=parent, author=m["author"], text="",
                                   number=number, truncated=truncated, line_start=i + 1, line_end=i + 1,
                                   order=len(comments), native_id=False)
            if truncated:
                article.truncated = True
                diags.append(Diagnostic("warning", "truncated", path, i + 1,
                                        f"page ends inside the header of a comment by {m['author']!r}; "
                                        "kept with no text, flagged truncated",
                                        "save the complete page to recover the comment"))
            paragraph = []
            current = _Comment(record, col, [], [paragraph])
            comments.append(current)
            stack.append(current)
            role[i], ref[i] = "comment_header", record.source_id
            blank_pending = False
            continue
        if width == 0 and ln.strip().casefold().rstrip(":") in RELATED_HEADINGS:
            related = True
        if related:
            role[i] = "related"
        elif width > col and record is not None:
            # a body line of the current comment (the common case: kept cheap)
            if blank_pending and paragraph:
                paragraph = []
                current.paragraphs.append(paragraph)  # type: ignore[union-attr]
            paragraph.append(ln[min(width, col + 2):].rstrip())
            record.line_end = i + 1
            role[i], ref[i] = "comment_body", record.source_id
        else:
            s = ln.strip()
            low = s.casefold().rstrip(":")
            if low in POLICY_HEADINGS or low.startswith(POLICY_OPENINGS):
                role[i] = "policy"
            elif _FURNITURE.fullmatch(s):
                role[i] = "furniture"
            else:
                role[i] = "unrecognised"
        blank_pending = False
    close(current)

    if comments and not comments[-1].record.truncated and comments[-1].record.line_end == comments[-1].record.line_start \
            and comments[-1].record.line_start == last_nonblank + 1:
        rec = comments[-1].record
        rec.truncated = article.truncated = True
        diags.append(Diagnostic("warning", "truncated", path, rec.line_start,
                                f"page ends right after the header of a comment by {rec.author!r}; "
                                "its text may be cut off, flagged truncated",
                                "save the complete page if the comment had text"))
    article.comments = [c.record for c in comments]




# ---- writing the layout (round-trip tests, synthetic corpora) ------------------------------------

def render(title: str, paragraphs: list[str], comments: list[tuple[int, str, str]], *,
           policy: bool = True, captions: tuple[str, ...] = ()) -> str:
    """The page as an Asbarez dump. ``comments`` is ``(depth, author, text)`` in display order.

    >>> print(render("T", ["Body."], [(0, "Ani", "Hi."), (1, "jOE", "")]).splitlines()[-1])
        • jOE said:
    """
    out = [title, ""]
    for c in captions:
        out += [c, c, "", c, ""]
    for p in paragraphs:
        out += [p, ""]
    if comments:
        if policy:
            out += ["Discussion Policy", "",
                    "Comments are welcomed and encouraged. Though you are fully responsible for the content you "
                    "post, comments that include profanity, personal attacks or other inappropriate material will "
                    "not be permitted. Asbarez reserves the right to edit or remove comments that do not adhere to "
                    "these standards and policies.", ""]
        out.append("")
        number = 0
        for depth, author, text in comments:
            if depth == 0:
                number += 1
                marker = f"{number:>3}."
                pad = ""
            else:
                marker = BULLET_FOR_DEPTH[min(depth, 3) - 1]
                pad = " " * (2 * depth + 2)
            out += [f"{pad}{marker} {author} said:", ""]
            body = " " * (2 * depth + 4)
            for para in text.split("\n\n") if text else []:
                out += [body + line for line in para.split("\n")]
                out.append("")
            if not text:
                out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
