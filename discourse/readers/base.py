"""What every reader produces, and the file checks every reader shares.

A reader turns one input file into a :class:`ParsedFile`: one or more :class:`ArticleRecord`, each with
its comments as flat :class:`CommentRecord` rows that name their parent by the source's own id. Linking
them into trees, ids, depths and repairs (orphans, cycles, duplicates) happens once, in
:mod:`discourse.readers.tree`, for every format alike.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from discourse.errors import InputError

#: Refuse files larger than this unless the caller raises the limit (``ReadOptions.max_bytes``).
DEFAULT_MAX_BYTES = 2 * 1024**3
#: Refuse a single line (or record) longer than this: protects memory against hostile or broken files.
DEFAULT_MAX_LINE = 16 * 1024**2
#: warnings of one kind listed one by one per file; the rest are counted in one summary line
LISTED_BAD_LINES = 5

Status = Literal["visible", "deleted", "removed", "pending", "spam", "trash", "placeholder"]
Level = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class Diagnostic:
    """One thing reading noticed. ``str()`` gives the one-line form the CLI prints."""

    level: Level
    code: str
    path: str | None
    line: int | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = (self.path or "") + (f":{self.line}" if self.line is not None else "")
        text = f"{where}: {self.message}" if where else self.message
        return text + (f" ({self.hint})" if self.hint else "")


@dataclass(frozen=True)
class ReadOptions:
    """Options every reader receives. ``mapping`` is for the CSV/JSONL reader's column mapping."""

    format: str | None = None
    strict: bool = False
    include: frozenset[str] = frozenset()  # statuses kept beyond the default, e.g. {"pending", "spam"}
    mapping: tuple[tuple[str, str], ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    max_line: int = DEFAULT_MAX_LINE
    roles: bool = False  # keep the per-line roles (``discourse parse --lines``)
    title: str | None = None  # the manifest's title, which helps find the title line
    timezone: str | None = None  # IANA zone of times printed without one (None: UTC)

    def __post_init__(self) -> None:
        if self.timezone is not None:
            from discourse.readers.values import time_zone

            time_zone(self.timezone)  # an unknown zone fails before any file is read


@dataclass(frozen=True)
class Reader:
    """A format: how to recognise it and how to read it.

    ``sniff(path, head)`` returns a confidence in [0, 1] from the path and the first bytes (for a
    directory reader, ``head`` is empty); ``read(path, options)`` returns a :class:`ParsedFile`.
    ``extensions`` are the file endings a folder scan picks up for this format.
    """

    name: str
    description: str
    extensions: tuple[str, ...]
    sniff: Callable[[Path, bytes], float]
    read: Callable[[Path, ReadOptions], ParsedFile]
    directory: bool = False


@dataclass
class Paragraph:
    text: str
    role: Literal["body", "caption"] = "body"
    line_start: int | None = None
    line_end: int | None = None


@dataclass
class CommentRecord:
    """A comment as the source states it; ``parent`` is the source id of the comment replied to."""

    source_id: str
    parent: str | None
    author: str | None
    text: str
    created: dt.datetime | None = None  # timezone-aware UTC
    number: int | None = None
    status: Status = "visible"
    truncated: bool = False
    line_start: int | None = None
    line_end: int | None = None
    order: int = 0  # display order in the source; ties broken by it
    retrieved: float | None = None  # for de-duplication: the latest retrieval wins
    native_id: bool = True  # False when ``source_id`` was made up by the reader (text dumps)


@dataclass
class ArticleRecord:
    """An article and its comments. ``key`` tells articles apart inside one multi-article file."""

    title: str | None
    paragraphs: list[Paragraph] = field(default_factory=list)
    comments: list[CommentRecord] = field(default_factory=list)
    key: str | None = None
    url: str | None = None
    published: dt.date | None = None
    truncated: bool = False


@dataclass
class ReadReport:
    """What a reader kept, dropped and repaired, per file. Counts are by reason."""

    kept: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)
    repaired: Counter = field(default_factory=Counter)

    def merge(self, other: ReadReport) -> None:
        self.kept.update(other.kept)
        self.dropped.update(other.dropped)
        self.repaired.update(other.repaired)

    def as_dict(self) -> dict:
        return {k: dict(sorted(getattr(self, k).items())) for k in ("kept", "dropped", "repaired")}


@dataclass
class ParsedFile:
    path: str
    format: str
    articles: list[ArticleRecord]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    report: ReadReport = field(default_factory=ReadReport)
    #: for line-based formats with ``ReadOptions.roles``: (line, role, ref, text) for every non-blank line
    roles: list[tuple[int, str, str | None, str]] | None = None


class FileReading:
    """What a reader keeps while it reads one file: the path (``where`` as written in diagnostics), the
    options, and the :class:`ParsedFile` it fills, with that file's ``report`` and ``diags`` at hand.

    :meth:`warn` lists the first :data:`LISTED_BAD_LINES` warnings of each code (dumps repeat one problem
    thousands of times); :meth:`finish_warnings` adds one line per code saying how many more there were.
    Every reader keeps its per-file state in a subclass of this.
    """

    def __init__(self, path: Path, options: ReadOptions, format: str,
                 diagnostics: list[Diagnostic] | None = None) -> None:
        self.path = path
        self.where = str(path)
        self.options = options
        self.parsed = ParsedFile(path=str(path), format=format, articles=[],
                                 diagnostics=[] if diagnostics is None else diagnostics)
        self.report = self.parsed.report
        self.diags = self.parsed.diagnostics
        self.listed: Counter = Counter()
        self._first: dict[str, Diagnostic] = {}

    def warn(self, code: str, line: int | None, message: str, hint: str | None = None,
             level: Level = "warning", path: Path | str | None = None) -> None:
        """A diagnostic, listed for the first few occurrences of its ``code`` only; ``path`` when it
        concerns another file than the one read (a ConvoKit folder's side files)."""
        self.listed[code] += 1
        if self.listed[code] <= LISTED_BAD_LINES:
            d = Diagnostic(level, code, self.where if path is None else str(path), line, message, hint)
            self._first.setdefault(code, d)
            self.diags.append(d)

    def finish_warnings(self) -> None:
        """One summary line for each code warned about more often than it was listed."""
        for code, n in sorted(self.listed.items()):
            if n > LISTED_BAD_LINES:
                first = self._first[code]
                self.diags.append(Diagnostic(
                    first.level, code, first.path, None,
                    f"{n:,} {code} {'notes' if first.level == 'note' else 'warnings'} in all; "
                    f"the first {LISTED_BAD_LINES} are listed", None))
        self.listed.clear()

    def finished(self) -> ParsedFile:
        """The parsed file, its articles counted and the warning summaries added: a reader's last step."""
        self.report.kept["articles"] = len(self.parsed.articles)
        self.finish_warnings()
        return self.parsed


# ---- shared file checks ---------------------------------------------------------------------------

def check_file(path: Path, options: ReadOptions) -> None:
    """Raise :class:`InputError` for a path that is missing, not a file, empty or over the size limit."""
    if not path.exists():
        raise InputError("no such file or directory", path=path, hint="check the path; `discourse parse` takes files or folders")
    if not path.is_file():
        raise InputError("not a regular file", path=path, hint="pass a thread file or a folder of them")
    size = path.stat().st_size
    if size == 0:
        raise InputError("file is empty", path=path, hint="re-save the page, or remove the file from the corpus")
    if size > options.max_bytes:
        raise InputError(f"file is {size:,} bytes, over the {options.max_bytes:,}-byte limit", path=path,
                         hint="split the file, or raise the limit with --max-bytes")


def looks_binary(head: bytes) -> bool:
    """NUL bytes in the first block mean a binary file (UTF-16 text is refused the same way)."""
    return b"\x00" in head[:8192]


def decode(data: bytes, path: Path | str, diagnostics: list[Diagnostic]) -> str:
    """UTF-8 (a byte-order mark removed), else cp1252 with a warning naming the file."""
    if looks_binary(data):
        raise InputError("binary file, not text", path=path,
                         hint="save the page as text (UTF-8), or pass --format for a supported format")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError("not UTF-8 and not cp1252 text", path=path, line=line,
                             hint="convert the file to UTF-8, e.g. iconv -f <encoding> -t UTF-8") from None
        diagnostics.append(Diagnostic(
            "warning", "not-utf8", str(path), line,
            "not valid UTF-8; read as cp1252 (Windows-1252)",
            "check accented characters, or convert the file to UTF-8"))
    return text.removeprefix("\ufeff")


def read_text(path: Path, options: ReadOptions, diagnostics: list[Diagnostic]) -> str:
    """Checks, reads and decodes a text file; enforces the line-length limit."""
    check_file(path, options)
    data = path.read_bytes()
    text = decode(data, path, diagnostics)
    if len(text) > options.max_line:
        lengths = [len(line) for line in text.split("\n")]
        longest = max(lengths)
        if longest > options.max_line:
            raise InputError(f"line is {longest:,} characters, over the {options.max_line:,} limit",
                             path=path, line=lengths.index(longest) + 1,
                             hint="the file is probably not a comment thread; check it, or raise --max-line")
    return text
