"""Comments as a table: CSV, TSV or JSON Lines, one comment per row, with a column mapping.

The mapping (``ReadOptions.mapping``; ``--map id=comment_id,parent=parent_id,text=body`` on the command
line) says which column holds each field. Keys:

=========  ==========================================================================================
``id``      the comment's id (required)
``text``    its text (required)
``parent``  id of the comment replied to; empty for a top-level comment
``author``  display name
``article`` the article (thread) the comment belongs to; one article per distinct value
``title``   the article's title (the first non-empty value per article)
``time``    posting time: ISO 8601 (a time without a zone is taken as UTC) or a Unix epoch in seconds
            or milliseconds
``number``  the number shown next to the comment
``status``  ``visible``/``approved``, ``deleted``, ``removed``, ``pending``, ``spam``, ``trash``
=========  ==========================================================================================

A key not in the mapping is read from the column of the same name when the file has one, so a file with
the columns ``id,parent,author,text,article,title,time`` needs no mapping at all. Rows are streamed (the
``csv`` module for CSV/TSV, line by line for JSONL; nested JSON fields can be named with dots,
``author.name``). Pending, spam and trash rows are dropped and counted unless ``ReadOptions.include`` names
them. A parent of ``0`` or ``-1``, or equal to the article's own value, that names no comment means top
level (several exports write it so).
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from discourse.errors import FormatError, InputError
from discourse.readers.base import (
    ArticleRecord, CommentRecord, Diagnostic, FileReading, ParsedFile, Reader, ReadOptions, check_file, looks_binary,
)
from discourse.readers.jsonlines import iter_json, loads
from discourse.readers.values import dead, id_string, parse_time

NAME = "table"

#: mapping keys, in the order error messages list them
KEYS = ("id", "parent", "text", "author", "article", "title", "time", "number", "status")
REQUIRED = ("id", "text")
EXAMPLE_MAP = "--map id=comment_id,parent=parent_id,text=body,author=user,article=thread,time=created_at"

#: column names that make a file look like a comment table (for detection only)
ID_LIKE = frozenset({"id", "comment_id", "commentid", "post_id", "message_id", "utterance_id", "cid"})
PARENT_LIKE = frozenset({"parent", "parent_id", "parentid", "reply_to", "reply-to", "replyto", "in_reply_to",
                         "in_reply_to_id", "parent_comment_id"})
CSV_SUFFIXES = (".csv", ".tsv")
JSON_SUFFIXES = (".jsonl", ".ndjson")

#: status words -> status; pending, spam and trash are kept only when ``ReadOptions.include`` names them
STATUS_WORDS: dict[str, str] = {
    "": "visible", "visible": "visible", "approved": "visible", "approve": "visible", "published": "visible",
    "public": "visible", "1": "visible",
    "deleted": "deleted", "removed": "removed", "placeholder": "placeholder",
    "pending": "pending", "unapproved": "pending", "hold": "pending", "0": "pending",
    "spam": "spam", "trash": "trash", "trashed": "trash",
}
EXCLUDED_UNLESS_INCLUDED = frozenset({"pending", "spam", "trash"})
NULL_WORDS = frozenset({"null", "none", "nan", "na", "n/a"})
ROOT_PARENTS = frozenset({"0", "-1"})
#: the range of the ``number`` column (64-bit integers)
INT64 = (-(2**63), 2**63 - 1)
_EOL = re.compile(rb"\r\n|\r|\n")


def _delimiter(path: Path, header: str) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    counts = {d: header.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _looks_like_comments(columns: list[str]) -> float:
    names = {c.strip().lower() for c in columns}
    if names & ID_LIKE and names & PARENT_LIKE:
        return 0.6
    if names & (ID_LIKE | PARENT_LIKE):
        return 0.4
    return 0.2


def _binary(head: bytes, suffix: str) -> bool:
    """Whether a table file is binary (or UTF-16/32 text). A CSV or TSV is when its first line (the
    header) holds a NUL byte; NULs further down are damage to those lines, which are read and reported."""
    if suffix not in CSV_SUFFIXES:
        return looks_binary(head)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    end = head.find(b"\n")
    return b"\x00" in (head if end < 0 else head[:end])


def sniff(path: Path, head: bytes) -> float:
    """CSV/TSV/JSONL by name; more confident when the header names id- and parent-like columns.

    Pushshift-shaped JSON lines are left to the ``reddit`` reader, which is more confident about them.
    """
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES + JSON_SUFFIXES or _binary(head, suffix):
        return 0.0
    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    lines = [ln for ln in re.split("\r\n|\r|\n", text) if ln.strip()]
    if not lines:
        return 0.0
    if suffix in CSV_SUFFIXES:
        try:
            header = next(csv.reader([lines[0]], delimiter=_delimiter(path, lines[0])), [])
        except csv.Error:  # a NUL or a stray quote: still a table by its name, reading will say what is wrong
            return 0.2
        return _looks_like_comments(header)
    for line in lines:
        try:
            obj, _ = loads(line)
        except ValueError:
            continue
        return _looks_like_comments(list(obj)) if isinstance(obj, dict) else 0.0
    return 0.0


def resolve(columns: list[str], mapping: tuple[tuple[str, str], ...], path: Path | str) -> dict[str, str]:
    """Key -> column for this file: the mapping given, then columns named like a key.

    Raises :class:`FormatError` naming the file's columns and the valid keys when a key is unknown, a
    mapped column is not in the file, or a required key (``id``, ``text``) has no column.

    >>> resolve(["comment_id", "parent", "body"], (("id", "comment_id"), ("text", "body")), "c.csv")
    {'parent': 'parent', 'id': 'comment_id', 'text': 'body'}
    """
    given = dict(mapping)
    listing = "the file's columns: " + (", ".join(columns) if columns else "(none)")
    keys = "valid keys: " + ", ".join(KEYS)
    unknown = [k for k in given if k not in KEYS]
    if unknown:
        raise FormatError(f"unknown mapping key(s) {', '.join(unknown)}", path=path, hint=f"{keys}; {listing}")
    absent = [f"{k}={c}" for k, c in given.items() if c not in columns]
    if absent:
        raise FormatError(f"mapped column(s) not in the file: {', '.join(absent)}", path=path,
                          hint=f"{listing}; {keys}")
    resolved = {k: k for k in KEYS if k in columns and k not in given} | given
    missing = [k for k in REQUIRED if k not in resolved]
    if missing:
        raise FormatError(f"no column for {' and '.join(missing)}: name it with --map", path=path,
                          hint=f"{listing}; {keys}; e.g. {EXAMPLE_MAP}")
    return resolved


@contextmanager
def _field_limit(limit: int):
    """Let csv read fields up to the line limit (its default is 128 KiB); restored afterwards."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, limit))
    try:
        yield
    finally:
        csv.field_size_limit(old)


@dataclass
class _Row:
    line_start: int
    line_end: int
    values: dict[str, Any]  # by key for CSV, by column for JSONL until the mapping is resolved


@dataclass
class _Article:
    key: str | None
    title: str | None = None
    titles: set[str] = field(default_factory=set)
    comments: list[CommentRecord] = field(default_factory=list)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _get(obj: dict[str, Any], column: str) -> tuple[bool, Any]:
    if column in obj:
        return True, obj[column]
    cur: Any = obj
    for part in column.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return False, None
        cur = cur[part]
    return True, cur


class _Reading(FileReading):
    def __init__(self, path: Path, options: ReadOptions) -> None:
        super().__init__(path, options, NAME)

    # ---- CSV / TSV ----------------------------------------------------------------------------------

    def _raw_lines(self, fh: IO[bytes]) -> Iterator[bytes]:
        """The file's lines with their ends, split at CRLF, LF or a lone CR (old Mac exports), in blocks."""
        limit = self.options.max_line
        buf = b""
        n = 0
        while True:
            block = fh.read(1 << 20)
            buf += block
            pos = 0
            for m in _EOL.finditer(buf):
                if block and m.end() == len(buf) and m[0] == b"\r":
                    break  # the CR may be the first half of a CRLF split between two blocks
                n += 1
                if m.start() - pos > limit:
                    self._too_long(n)
                yield buf[pos:m.end()]
                pos = m.end()
            buf = buf[pos:]
            if len(buf) > limit:
                self._too_long(n + 1)
            if not block:
                if buf:
                    yield buf
                return

    def _too_long(self, line: int) -> None:
        raise InputError(f"line is longer than the {self.options.max_line:,}-byte limit",
                         path=self.path, line=line, hint="check the file is a table, or raise the limit")

    def _lines(self, fh: IO[bytes]) -> Iterator[str]:
        """Each line decoded on its own: UTF-8, else cp1252, else UTF-8 with U+FFFD for the bad bytes,
        with a warning naming the line, so one damaged line never changes how the others read."""
        for n, raw in enumerate(self._raw_lines(fh), 1):
            if n == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            if b"\x00" in raw:
                raw = self._without_nul(n, raw)
            try:
                yield raw.decode("utf-8")
                continue
            except UnicodeDecodeError:
                pass
            try:
                text = raw.decode("cp1252")
                self.report.repaired["cp1252-line"] += 1
                self.warn("not-utf8", n, "line is not valid UTF-8; read as cp1252 (Windows-1252)",
                          "check accented characters, or convert the file to UTF-8")
            except UnicodeDecodeError:
                text = raw.decode("utf-8", "replace")
                self.report.repaired["undecodable-line"] += 1
                self.warn("undecodable", n, "line is neither UTF-8 nor cp1252; its undecodable bytes were "
                          "replaced with U+FFFD", "convert the file to UTF-8, e.g. iconv -f <encoding> -t UTF-8")
            yield text

    def _without_nul(self, n: int, raw: bytes) -> bytes:
        """Line ``n`` with its NUL bytes dealt with, and a warning naming the line and how many there were:
        a line of nothing but NULs (a zeroed block, as a crash or a failing disk leaves) is read as empty;
        NULs among text become U+FFFD, so the damage shows in the text."""
        nuls = raw.count(b"\x00")
        if not raw.strip(b"\x00 \t\r\n"):
            self.report.repaired["nul-block"] += 1
            self.warn("nul-bytes", n, f"line is {nuls:,} NUL bytes and nothing else (a zeroed block); read as empty",
                      "the file was damaged, e.g. by a crash while it was written; export it again if rows are missing")
            return raw.replace(b"\x00", b"")
        self.report.repaired["nul-line"] += 1
        self.warn("nul-bytes", n, f"line holds {nuls:,} NUL bytes; each was read as U+FFFD",
                  "the file was damaged; check this row, or export the file again")
        return raw.replace(b"\x00", "\ufffd".encode())

    def csv_rows(self) -> tuple[dict[str, str], list[_Row]]:
        rows: list[_Row] = []
        with self.path.open("rb") as fh, _field_limit(self.options.max_line):
            lines = self._lines(fh)
            first = next(lines, "")
            delimiter = _delimiter(self.path, first)

            def chained() -> Iterator[str]:
                yield first
                yield from lines

            reader = csv.reader(chained(), delimiter=delimiter)
            try:
                header = [h.strip() for h in next(reader, [])]
                mapping = resolve(header, self.options.mapping, self.path)
                if len(set(header)) < len(header):
                    dup = sorted({h for h in header if header.count(h) > 1})
                    self.warn("duplicate-column", 1, f"columns named more than once: {', '.join(dup)}; "
                                                     "the first of each is read")
                where = {k: header.index(c) for k, c in mapping.items()}
                prev = reader.line_num
                for row in reader:
                    start, end = prev + 1, reader.line_num
                    prev = end
                    if not any(cell.strip() for cell in row):
                        continue
                    if len(row) != len(header):
                        self.report.repaired["ragged-row"] += 1
                        self.warn("ragged-row", start, f"row has {len(row)} fields, the header {len(header)}; "
                                                       "missing fields read as empty, extra ones ignored")
                    rows.append(_Row(start, end, {k: row[i] if i < len(row) else None for k, i in where.items()}))
            except csv.Error as err:
                raise FormatError(f"not a well-formed {'TSV' if delimiter == chr(9) else 'CSV'} file ({err})",
                                  path=self.path, line=reader.line_num,
                                  hint="check quoting around that line") from None
        return mapping, rows

    # ---- JSON Lines ---------------------------------------------------------------------------------

    def json_rows(self) -> tuple[dict[str, str], list[_Row]]:
        wanted = set(KEYS) | {c for _, c in self.options.mapping}
        seen: set[str] = set()
        found: set[str] = set()
        rows: list[_Row] = []
        for line, obj in iter_json(self.path, self.options, self.diags, self.report):
            if len(seen) < 1000:
                seen.update(obj)
            values = {}
            for col in wanted:
                ok, v = _get(obj, col)
                if ok:
                    values[col] = v
                    found.add(col)
            rows.append(_Row(line, line, values))
        columns = sorted(seen) + sorted(found - seen)
        mapping = resolve(columns, self.options.mapping, self.path)
        for r in rows:
            r.values = {k: r.values.get(c) for k, c in mapping.items()}
        return mapping, rows

    # ---- rows to records ----------------------------------------------------------------------------

    def records(self, mapping: dict[str, str], rows: list[_Row]) -> list[ArticleRecord]:
        articles: dict[str | None, _Article] = {}
        naive = 0
        for order, row in enumerate(rows):
            v = row.values
            sid = id_string(v.get("id"))
            if sid is None or sid.lower() in NULL_WORDS:
                self.report.dropped["no-id"] += 1
                self.warn("no-id", row.line_start, "row without an id; skipped")
                continue
            word = (_text(v.get("status")) or "").strip().lower()
            status = STATUS_WORDS.get(word)
            if status is None:
                status = "visible"
                self.warn("unknown-status", row.line_start, f"status {word!r} of comment {sid!r} is not known; "
                                                            "read as visible",
                          "known: " + ", ".join(sorted(w for w in STATUS_WORDS if w)), level="note")
            if status in EXCLUDED_UNLESS_INCLUDED and status not in self.options.include:
                self.report.dropped[status] += 1
                continue
            text = _text(v.get("text")) or ""
            gone = dead(text)
            if gone and status == "visible":
                status, text = gone, ""
            parent = id_string(v.get("parent"))
            if parent is not None and parent.lower() in NULL_WORDS:
                parent = None
            author = _text(v.get("author"))
            author = None if author is None or not author.strip() or dead(author) else author.strip()
            created = None
            raw_time = v.get("time")
            try:
                created, was_naive = parse_time(raw_time.strip() if isinstance(raw_time, str) else raw_time,
                                                self.options.timezone)
                naive += was_naive
            except ValueError as err:
                self.report.repaired["bad-time"] += 1
                self.warn("bad-time", row.line_start, f"time of comment {sid!r}: {err}; left empty")
            number = None
            raw_number = id_string(v.get("number"))
            if raw_number is not None:
                try:
                    number = int(raw_number) if len(raw_number) <= 40 else None
                except ValueError:
                    pass
                if number is None or not INT64[0] <= number <= INT64[1]:
                    shown = raw_number if len(raw_number) <= 40 else raw_number[:37] + "..."
                    why = "is not an integer" if number is None else "is beyond the 64-bit range of the column"
                    number = None
                    self.report.repaired["bad-number"] += 1
                    self.warn("bad-number", row.line_start, f"number {shown!r} of comment {sid!r} {why}; "
                                                            "left empty (the text of the row is kept)")
            key = id_string(v.get("article"))
            art = articles.get(key)
            if art is None:
                art = articles[key] = _Article(key)
            title = _text(v.get("title"))
            if title and title.strip():
                art.titles.add(title.strip())
                art.title = art.title or title.strip()
            art.comments.append(CommentRecord(
                source_id=sid, parent=parent, author=author, text=text, created=created, number=number,
                status=status, line_start=row.line_start, line_end=row.line_end, order=order))  # type: ignore[arg-type]
        if naive:
            self.diags.append(Diagnostic("note", "naive-time", str(self.path), None,
                                         f"{naive:,} time(s) without a zone were taken as "
                                         f"{self.options.timezone or 'UTC'}",
                                         None if self.options.timezone else
                                         "pass --timezone with the site's zone (an IANA name such as Asia/Yerevan) "
                                         "to read them in it"))
        out = []
        for art in articles.values():
            ids = {c.source_id for c in art.comments}
            for c in art.comments:
                if c.parent is not None and c.parent not in ids and (c.parent in ROOT_PARENTS or c.parent == art.key):
                    c.parent = None
                    self.report.repaired["parent-as-root"] += 1
            if len(art.titles) > 1:
                self.warn("conflicting-titles", None, f"article {art.key!r} has {len(art.titles)} different titles; "
                                                      f"the first, {art.title!r}, is used")
            out.append(ArticleRecord(title=art.title, comments=art.comments, key=art.key))
        if "parent" not in mapping:
            self.diags.append(Diagnostic("note", "no-parent-column", str(self.path), None,
                                         "no parent column: every comment is top-level",
                                         "name the column with --map parent=<column>"))
        self.report.kept["articles"] = len(out)
        return out


def read(path: Path, options: ReadOptions) -> ParsedFile:
    check_file(path, options)
    with path.open("rb") as fh:
        if _binary(fh.read(8192), path.suffix.lower()):
            raise InputError("binary file, not text", path=path, hint="save the table as UTF-8 CSV or JSON Lines")
    r = _Reading(path, options)
    if path.suffix.lower() in JSON_SUFFIXES:
        mapping, rows = r.json_rows()
    else:
        mapping, rows = r.csv_rows()
    articles = r.records(mapping, rows)
    if not articles:
        raise FormatError("the table has no comment rows", path=path,
                          hint="check the file, and the mapping if rows were dropped: "
                               + (", ".join(f"{k} {n}" for k, n in r.report.dropped.items()) or "none were"))
    r.parsed.articles = articles
    return r.finished()


READER = Reader(NAME, "comments as a table: CSV, TSV or JSON Lines, columns named with --map",
                (".csv", ".tsv", ".jsonl"), sniff, read)
