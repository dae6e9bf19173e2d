"""Disqus XML exports: threads (one per page) and their posts, linked by ``dsq:id`` attributes.

::

    <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
      <category dsq:id="..."/>...
      <thread dsq:id="7301100"><link>https://site/page/</link><title>...</title><createdAt>...</createdAt></thread>
      <post dsq:id="2602007">
        <message><![CDATA[<p>HTML</p>]]></message><createdAt>2016-04-05T18:01:09Z</createdAt>
        <isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Guest</name></author>
        <thread dsq:id="7301100"/><parent dsq:id="2602001"/>       <- links are attributes
      </post>

Threads for the same page (same link once normalised) are merged into one article. Threads with no
posts at all are dropped and counted, unless ``include`` names ``empty``. Spam is kept out and counted
unless ``include`` names ``spam``; deleted posts that have live replies stay as placeholders, the other
deleted posts are dropped and counted. Read as a stream (see :mod:`discourse.readers.xmlsafe`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from discourse.errors import FormatError
from discourse.readers.base import (
    ArticleRecord, CommentRecord, FileReading, ParsedFile, Reader, ReadOptions,
)
from discourse.readers.markup import apply_status_policy, html_to_text, parse_iso
from discourse.readers.xmlsafe import local, read_streamed, sniff_head

NAME = "disqus"

DISQUS = "http://disqus.com"
DSQ_ID = "{http://disqus.com/disqus-internals}id"
_TRACKING = ("utm_", "fbclid=", "gclid=", "replytocom=")


def sniff(path: Path, head: bytes) -> float:
    """A ``<disqus`` root element."""
    text = sniff_head(path, head)
    if b"<disqus" in text:
        return 0.95 if b"disqus.com" in text else 0.7
    return 0.0


def normalise_link(link: str) -> str:
    """The page a link names, for merging duplicate threads: scheme, ``www.``, trailing slash, fragment
    and tracking parameters do not matter.

    >>> normalise_link("https://www.News.example.am/120345/slug/?utm_source=x#comments")
    'news.example.am/120345/slug'
    """
    try:
        parts = urlsplit(link.strip())
        host = (parts.hostname or "").removeprefix("www.")
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return link.strip()
    query = "&".join(q for q in parts.query.split("&") if q and not q.lower().startswith(_TRACKING))
    return host + port + (parts.path.rstrip("/") or "") + ("?" + query if query else "")


@dataclass(eq=False)
class _Thread:
    dsq_id: str
    link: str
    title: str | None
    created: str
    deleted: bool
    line: int
    posts: list[CommentRecord] = field(default_factory=list)
    excluded: dict[int, str] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)


def _text(elem: Element, name: str) -> str:
    for child in elem:
        if local(child.tag) == name:
            return child.text or ""
    return ""


def _child(elem: Element, name: str) -> Element | None:
    for child in elem:
        if local(child.tag) == name:
            return child
    return None


def _ref(elem: Element, name: str) -> str | None:
    """The ``dsq:id`` attribute of a reference element (``<thread dsq:id=".."/>``), else its text."""
    child = _child(elem, name)
    if child is None:
        return None
    return (child.get(DSQ_ID) or child.text or "").strip() or None


def _true(s: str) -> bool:
    return s.strip().lower() == "true"


class _Reader(FileReading):
    def __init__(self, path: Path, options: ReadOptions) -> None:
        super().__init__(path, options, NAME)
        self.root_seen = False
        self.threads: dict[str, _Thread] = {}
        self.posts: list[tuple[str | None, CommentRecord, str | None]] = []  # thread, record, exclusion

    def on_end(self, elem: Element, line: int, end_line: int, depth: int) -> bool:
        name = local(elem.tag)
        if depth == 0:
            self.root_seen = name == "disqus"
            return False
        if depth != 1:
            return False
        if name == "thread":
            self.thread(elem, line)
        elif name == "post":
            self.post(elem, line, end_line)
        return True

    def thread(self, elem: Element, line: int) -> None:
        dsq_id = (elem.get(DSQ_ID) or _text(elem, "id")).strip() or f"L{line}"
        if dsq_id in self.threads:
            self.report.dropped["duplicate-thread-record"] += 1
            return
        self.threads[dsq_id] = _Thread(dsq_id, _text(elem, "link").strip(), _text(elem, "title").strip() or None,
                                       _text(elem, "createdAt"), _true(_text(elem, "isDeleted")), line)

    def post(self, elem: Element, line: int, end_line: int) -> None:
        pid = (elem.get(DSQ_ID) or "").strip()
        native = True
        if not pid:
            pid = _text(elem, "id").strip()
        if not pid:
            pid, native = f"L{line}", False
            self.warn("missing-id", line,
                      "post has neither a dsq:id nor an <id>; given a made-up id", None)
        author = _child(elem, "author")
        name = None
        if author is not None:
            name = _text(author, "name").strip() or _text(author, "username").strip() or None
        created, _ = parse_iso(_text(elem, "createdAt"), self.options.timezone)
        record = CommentRecord(source_id=pid, parent=_ref(elem, "parent"), author=name,
                               text=html_to_text(_text(elem, "message")), created=created,
                               line_start=line, line_end=end_line, order=len(self.posts), native_id=native)
        exclusion = None
        if _true(_text(elem, "isSpam")):
            record.status = "spam"
            if "spam" not in self.options.include:
                exclusion = "spam"
        elif _true(_text(elem, "isDeleted")):
            record.status = "deleted"
        self.posts.append((_ref(elem, "thread"), record, exclusion))

    def finish(self) -> ParsedFile:
        if not self.root_seen:
            raise FormatError("not a Disqus export: the root element is not <disqus>", path=self.path,
                              hint="export the comments from the Disqus admin, or name the format with --format")
        # one article per page: later threads with the same normalised link merge into the first
        canonical: dict[str, _Thread] = {}
        by_link: dict[str, _Thread] = {}
        for t in self.threads.values():
            key = normalise_link(t.link) if t.link else None
            first = by_link.setdefault(key, t) if key else t
            canonical[t.dsq_id] = first
            if first is not t:
                first.merged.append(t.dsq_id)
        orphans = 0
        for thread_id, record, exclusion in self.posts:
            if thread_id is None:
                orphans += 1
                self.warn("post-without-thread", record.line_start,
                          f"post {record.source_id!r} names no thread; dropped", None)
                continue
            known = canonical.get(thread_id)
            if known is not None:
                t = known
            else:  # a thread the export does not describe: keep its posts under a bare article
                t = self.threads[thread_id] = canonical[thread_id] = _Thread(thread_id, "", None, "", False,
                                                                            record.line_start or 0)
                self.warn("unknown-thread", record.line_start,
                          f"post {record.source_id!r} belongs to thread {thread_id!r}, which "
                          "is not in the file; kept under an article with no title", None)
            t.posts.append(record)
            if exclusion:
                t.excluded[id(record)] = exclusion
        if orphans:
            self.report.dropped["no-thread"] += orphans

        for t in dict.fromkeys(canonical.values()):
            if t.merged:
                self.report.repaired["merged-threads"] += len(t.merged)
                self.warn("merged-threads", t.line,
                          f"threads {', '.join([t.dsq_id, *t.merged])} are the same page "
                          f"({t.link}); merged into one article", None, level="note")
            if not t.posts and "empty" not in self.options.include:
                self.report.dropped["empty-threads"] += 1
                continue
            if t.deleted:
                self.warn("deleted-thread", t.line,
                          f"thread {t.dsq_id!r} is marked deleted in Disqus; its posts are kept",
                          None, level="note")
            created, _ = parse_iso(t.created, self.options.timezone)
            article = ArticleRecord(title=t.title, key=t.dsq_id, url=t.link or None,
                                    published=created.date() if created else None)
            article.comments = apply_status_policy(t.posts, t.excluded, self.report)
            self.parsed.articles.append(article)
        return self.finished()


def read(path: Path, options: ReadOptions) -> ParsedFile:
    return read_streamed(_Reader(path, options))


READER = Reader(NAME, "Disqus XML export: threads and posts", (".xml", ".xml.gz"), sniff, read)
