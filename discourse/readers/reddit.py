"""Reddit comments as Pushshift / Arctic Shift dumps write them: one JSON object per line.

Plain, gzip or zstd (``RC_YYYY-MM.zst``, needs ``pip install 'discourse[zst]'``), streamed line by line.
Each submission (``link_id``) becomes one article, keyed by the submission id; its title, text, address
and date come from a ``t3`` submission record in the same file when there is one. What is normalised:

- ``parent_id``: ``t1_<id>`` names the comment replied to; ``t3_<id>``, the submission itself, ``null``
  (Pushshift after its 2023 migration) or a missing key mean top level; an integer is the base-10 value of
  a base36 comment id (``t1_`` + base36).
- ``[deleted]``, ``[removed]`` and ``[ Removed by Reddit ]`` bodies are kept as comments with status
  ``deleted`` or ``removed`` and no text: they are data, and their replies keep their parent. Such an
  author (the account is gone) becomes a null author; the text, if still there, is kept.
- ``created_utc`` as int, float or quoted string becomes a UTC time; ``body`` is HTML-unescaped once.
- Records repeated with the same ``id`` keep the latest ``retrieved_on`` / ``retrieved_utc``
  (:mod:`discourse.readers.tree` does the choosing; this reader passes the retrieval time on).
- Lines that are not JSON are skipped, counted and listed with their line number; they never stop the file.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from discourse.errors import FormatError
from discourse.readers.base import (
    ArticleRecord, CommentRecord, Diagnostic, FileReading, Paragraph, ParsedFile, Reader, ReadOptions, Status,
    looks_binary,
)
from discourse.readers.jsonlines import compression, iter_json, loads, peek
from discourse.readers.values import base36, dead, id_string, parse_time

NAME = "reddit"


def _unwrap(obj: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The record and its kind (``t1`` comment, ``t3`` submission, or ``None`` when it is neither).

    Accepts the API's ``{"kind": "t1", "data": {...}}`` wrapping as well as the dumps' bare objects.
    """
    kind = obj.get("kind")
    if isinstance(kind, str) and isinstance(obj.get("data"), dict):
        obj = obj["data"]
    else:
        kind = None
    name = obj.get("name")
    if isinstance(name, str) and name[:3] in ("t1_", "t3_") and name[3:].strip():
        kind = name[:2]
    if kind == "t3" and "link_id" in obj and "body" in obj:
        kind = "t1"  # a submission has no link_id and no body: the name is wrong, the record a comment
    if kind in ("t1", "t3"):
        return obj, kind
    if kind is not None:
        return obj, None
    if "link_id" in obj or "parent_id" in obj or "body" in obj:
        return obj, "t1"
    if "title" in obj or "selftext" in obj:
        return obj, "t3"
    return obj, None


_COMMENT_KEYS = (re.compile(rb'"link_id"\s*:'), re.compile(rb'"(?:parent_id|body)"\s*:'))


def _has_comment_keys(line: bytes) -> bool:
    """A line that names a Reddit comment's keys, whether or not it parses as JSON."""
    return all(key.search(line) for key in _COMMENT_KEYS)


def sniff(path: Path, head: bytes) -> float:
    """Certain for objects with ``link_id`` (comments) or ``subreddit`` with ``title`` (submissions).

    The first JSON object in the first 64 KiB decides; lines that are not JSON objects are passed over.
    """
    kind = compression(head)
    if kind is None and looks_binary(head):
        return 0.0
    data = peek(path, head)
    if not data:
        # a .zst we cannot open here: no other reader takes zstd, and reading says what to install
        return 0.5 if kind == "zstd" else 0.0
    if b"{" not in data and b'"link_id"' not in data:  # no JSON object anywhere
        return 0.0
    for raw in data.split(b"\n"):
        line = raw.strip().removeprefix(b"\xef\xbb\xbf")
        if line.startswith(b"{"):
            try:
                obj, _ = loads(line.decode("utf-8", "replace"))
            except ValueError:
                obj = None  # the sniffed block may end inside a long line
        else:
            obj = None  # blank, or not a JSON object
        if obj is None:
            if b'"link_id"' in line and _has_comment_keys(line):  # only its keys can say
                return 0.9
            continue
        if not isinstance(obj, dict):
            return 0.0
        obj, rkind = _unwrap(obj)
        if rkind == "t1" and "link_id" in obj and ("parent_id" in obj or "body" in obj):
            return 0.95
        if rkind == "t3" and "subreddit" in obj and "id" in obj:
            return 0.9
        return 0.0
    return 0.0


@dataclass
class _Submission:
    line: int
    title: str | None
    selftext: str | None
    url: str | None
    created: dt.datetime | None
    retrieved: float | None
    subreddit: str | None


@dataclass
class _Thread:
    key: str
    subreddit: str | None = None
    submission: _Submission | None = None
    comments: list[CommentRecord] = field(default_factory=list)


def _retrieved(obj: dict[str, Any]) -> float | None:
    for k in ("retrieved_on", "retrieved_utc"):
        v = obj.get(k)
        if v is None or isinstance(v, bool):
            continue
        try:
            return float(v)
        except (TypeError, ValueError, OverflowError):
            continue
    return None


def _fullname_id(value: object) -> str | None:
    """``t3_abc`` -> ``abc`` (any ``tN_`` prefix removed); an integer -> its base36 spelling."""
    if isinstance(value, int) and not isinstance(value, bool):
        return base36(value) if value >= 0 else None
    s = id_string(value)
    if s is None:
        return None
    return s[3:] if re.fullmatch(r"t\d_.+", s) else s


class _Reading(FileReading):
    """State while one file is read."""

    def __init__(self, path: Path, options: ReadOptions) -> None:
        super().__init__(path, options, NAME)
        self.threads: dict[str, _Thread] = {}

    def thread(self, key: str) -> _Thread:
        t = self.threads.get(key)
        if t is None:
            t = self.threads[key] = _Thread(key)
        return t

    def time(self, obj: dict[str, Any], line: int) -> dt.datetime | None:
        raw = obj.get("created_utc", obj.get("created"))
        try:
            return parse_time(raw)[0]
        except ValueError as err:
            self.report.repaired["bad-time"] += 1
            self.warn("bad-time", line, f"created_utc: {err}; left empty")
            return None

    def own_id(self, obj: dict[str, Any], line: int, kind: str) -> str | None:
        """The object's id (``id``, else the fullname ``name``); None, counted and warned, when it has none."""
        sid = id_string(obj.get("id")) or _fullname_id(obj.get("name"))
        if sid is None:
            self.report.dropped["no-id"] += 1
            self.warn("no-id", line, f"{kind} without an id; skipped")
        return sid

    def comment(self, obj: dict[str, Any], line: int) -> None:
        sid = self.own_id(obj, line, "comment")
        if sid is None:
            return
        link = _fullname_id(obj.get("link_id"))
        if link is None:
            self.report.dropped["no-link-id"] += 1
            self.warn("no-link-id", line, f"comment {sid!r} has no link_id, so no submission to go under; skipped")
            return
        raw_parent = obj.get("parent_id")
        parent: str | None
        if raw_parent is None:
            parent = None
            self.report.repaired["null-parent"] += 1
        elif isinstance(raw_parent, int) and not isinstance(raw_parent, bool):
            parent = base36(raw_parent) if raw_parent >= 0 else None
            self.report.repaired["integer-parent"] += 1
        else:
            p = id_string(raw_parent)
            if p is None or p == link or p == "t3_" + link:
                parent = None
            elif p.startswith("t3_"):
                parent = None
                self.warn("other-submission", line,
                          f"comment {sid!r} replies to submission {p[3:]!r} but its link_id is {link!r}; "
                          "kept at the top of the link_id's thread")
            else:
                parent = _fullname_id(p)
        body = obj.get("body")
        text = html.unescape(body) if isinstance(body, str) else ""
        status: Status = dead(text) or "visible"
        if status != "visible":
            text = ""
            self.report.kept[status] += 1
        author = obj.get("author") if isinstance(obj.get("author"), str) else None
        if author is not None and (dead(author) or not author.strip()):
            author = None
        t = self.thread(link)
        if t.subreddit is None and isinstance(obj.get("subreddit"), str):
            t.subreddit = obj["subreddit"]
        t.comments.append(CommentRecord(
            source_id=sid, parent=parent, author=author, text=text, created=self.time(obj, line), status=status,
            line_start=line, line_end=line, order=line, retrieved=_retrieved(obj)))

    def submission(self, obj: dict[str, Any], line: int) -> None:
        sid = self.own_id(obj, line, "submission")
        if sid is None:
            return
        title = obj.get("title")
        selftext = obj.get("selftext")
        url = obj.get("url") if isinstance(obj.get("url"), str) else None
        permalink = obj.get("permalink") if isinstance(obj.get("permalink"), str) else None
        if not (url and url.startswith(("http://", "https://"))):
            url = "https://www.reddit.com" + permalink if permalink and permalink.startswith("/") else permalink
        sub = _Submission(
            line=line, title=html.unescape(title).strip() if isinstance(title, str) else None,
            selftext=html.unescape(selftext) if isinstance(selftext, str) else None, url=url,
            created=self.time(obj, line), retrieved=_retrieved(obj),
            subreddit=obj.get("subreddit") if isinstance(obj.get("subreddit"), str) else None)
        t = self.thread(sid)
        if t.submission is not None:
            self.report.dropped["duplicate-submission"] += 1
            if (sub.retrieved or float("-inf")) <= (t.submission.retrieved or float("-inf")):
                return
        t.submission = sub
        t.subreddit = t.subreddit or sub.subreddit

    def articles(self) -> list[ArticleRecord]:
        out = []
        untitled: list[str] = []
        for t in self.threads.values():
            s = t.submission
            art = ArticleRecord(title=s.title if s and s.title else None, comments=t.comments, key=t.key)
            if s is not None:
                self.report.kept["submissions"] += 1
                art.url = s.url
                art.published = s.created.date() if s.created else None
                if s.selftext and not dead(s.selftext):
                    for para in re.split(r"\n[ \t]*\n", s.selftext.replace("\r\n", "\n")):
                        if para.strip():
                            art.paragraphs.append(Paragraph(para.strip(), "body", s.line, s.line))
            if art.title is None:
                art.title = (f"r/{t.subreddit} " if t.subreddit else "") + f"submission {t.key}"
                untitled.append(t.key)
            out.append(art)
        if untitled:
            shown = ", ".join(untitled[:5]) + (" ..." if len(untitled) > 5 else "")
            self.diags.append(Diagnostic(
                "note", "no-submission", self.where, None,
                f"{len(untitled):,} submission(s) have comments but no t3 record in this file ({shown}); "
                "titled 'r/<subreddit> submission <id>'",
                "add the submissions (RS_ dump lines) to the file to get their titles"))
        self.report.kept["articles"] = len(out)
        return out


def read(path: Path, options: ReadOptions) -> ParsedFile:
    r = _Reading(path, options)
    for line, obj in iter_json(path, options, r.diags, r.report):
        obj, kind = _unwrap(obj)
        if kind == "t1":
            r.comment(obj, line)
        elif kind == "t3":
            r.submission(obj, line)
        else:
            r.report.dropped["not-reddit"] += 1
            r.warn("not-reddit", line, "JSON object is neither a comment nor a submission; skipped")
    articles = r.articles()
    if not articles:
        raise FormatError("no Reddit comments or submissions in the file", path=path,
                          hint="expected one JSON object per line with id, link_id, parent_id and body "
                               f"(dropped: {dict(r.report.dropped) or 'nothing'})")
    r.parsed.articles = articles
    return r.finished()


READER = Reader(NAME, "Reddit / Pushshift comment dumps: one JSON object per line, plain, .gz or .zst",
                (".ndjson", ".zst", ".ndjson.gz", ".jsonl.gz", ".json.gz"), sniff, read)
