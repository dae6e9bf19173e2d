"""WordPress export files (WXR 1.0, 1.1, 1.2): every post with its comments.

::

    <rss xmlns:wp="http://wordpress.org/export/1.2/" ...><channel>
      <item>                                   <- an article: wp:post_id, title, link, content:encoded
        <wp:comment>                           <- its comments, in no particular order
          <wp:comment_id>, <wp:comment_parent> (0 = top level), <wp:comment_date_gmt>,
          <wp:comment_content> (stored HTML), <wp:comment_approved> (1, 0, spam, trash, post-trashed),
          <wp:comment_type> ('', comment, pingback, trackback)

Approved comments are kept; pending (``0``), spam, trash and post-trashed comments are kept out and
counted unless ``ReadOptions.include`` names them (``pending``, ``spam``, ``trash``). Pingbacks and
trackbacks are dropped and counted. Read as a stream (see :mod:`discourse.readers.xmlsafe`).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from xml.etree.ElementTree import Element

from discourse.errors import FormatError
from discourse.readers.base import (
    ArticleRecord, CommentRecord, Diagnostic, FileReading, Paragraph, ParsedFile, Reader, ReadOptions, Status,
)
from discourse.readers.markup import apply_status_policy, html_paragraphs, html_to_text, parse_iso
from discourse.readers.xmlsafe import local, namespace, read_streamed, sniff_head

NAME = "wxr"

WP_NAMESPACE = re.compile(r"https?://wordpress\.org/export/(\d+\.\d+)/")
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
#: comment_approved -> the status the comment keeps when ``--include`` names it, and that name
APPROVAL: dict[str, tuple[Status, str]] = {"0": ("pending", "pending"), "spam": ("spam", "spam"), "trash": ("trash", "trash"),
            "post-trashed": ("trash", "trash")}
#: item types that are not articles (kept anyway when they carry comments)
NOT_ARTICLES = frozenset({"attachment", "nav_menu_item", "revision", "custom_css", "customize_changeset",
                          "oembed_cache", "user_request", "wp_block", "wp_template", "wp_template_part",
                          "wp_global_styles", "wp_navigation", "wp_font_family", "wp_font_face"})
_SHORTCODE = re.compile(r"\[/?(?:caption|embed|gallery|video|audio|playlist)\b[^\]]*\]")
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
                       "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")
_C1 = re.compile("[\u0080-\u009f]")


def sniff(path: Path, head: bytes) -> float:
    """``<rss`` with the WordPress export namespace."""
    text = sniff_head(path, head)
    if b"<rss" not in text:
        return 0.0
    if WP_NAMESPACE.search(text.decode("utf-8", "replace")):
        return 0.95
    return 0.5 if b"<wp:comment" in text or b"<wp:post_id" in text else 0.0


def fix_mojibake(s: str) -> str | None:
    """Undo WordPress's ``utf8_encode`` of text that was already UTF-8 or Windows-1252; None if clean.

    >>> fix_mojibake("Russiaâ€™s caf\\u00c3\\u00a9")
    'Russia’s café'
    """
    if _MOJIBAKE.search(s):
        for enc in ("cp1252", "latin-1"):
            try:
                return s.encode(enc).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
    if _C1.search(s):  # Windows-1252 punctuation read as Latin-1 control characters
        return _C1.sub(lambda m: bytes([ord(m[0])]).decode("cp1252", "replace"), s)
    return None


class _Reader(FileReading):
    def __init__(self, path: Path, options: ReadOptions) -> None:
        super().__init__(path, options, NAME)
        self.versions: set[str] = set()
        self.comments: list[CommentRecord] = []
        self.excluded: dict[int, str] = {}
        self.zero_dates = 0
        self.mojibake = 0
        self.other_types: set[str] = set()
        self.kinds: dict[str, str] = {}  # tag -> "comment", "item" or "other" (one regex per distinct tag)

    # -- stream callbacks ---------------------------------------------------------------------------
    def on_end(self, elem: Element, line: int, end_line: int, depth: int) -> bool:
        kind = self.kinds.get(elem.tag)
        if kind is None:
            ns, name = namespace(elem.tag), local(elem.tag)
            wp = WP_NAMESPACE.fullmatch(ns)
            if wp:
                self.versions.add(wp[1])
            kind = self.kinds[elem.tag] = ("comment" if name == "comment" and wp else
                                           "item" if name == "item" and not ns else "other")
        if kind == "comment":
            self.comment(elem, line, end_line)
            return True
        if kind == "item":
            self.item(elem, line)
            return True
        return depth == 2  # other channel children (authors, terms, ...) are not needed once read

    def field(self, elem: Element, name: str, ns: str | None = None) -> str:
        for child in elem:
            if local(child.tag) == name and (ns is None or namespace(child.tag) == ns
                                             or (ns == "wp" and WP_NAMESPACE.fullmatch(namespace(child.tag)))):
                return child.text or ""
        return ""

    def clean(self, s: str) -> str:
        fixed = fix_mojibake(s)
        if fixed is not None and fixed != s:
            self.mojibake += 1
            return fixed
        return s

    def comment(self, elem: Element, line: int, end_line: int) -> None:
        fields = {local(child.tag): child.text or "" for child in elem}

        def f(name: str) -> str:
            return fields.get(name, "").strip()
        kind = f("comment_type").lower()
        if kind in ("pingback", "trackback"):
            self.report.dropped[kind] += 1
            return
        if kind not in ("", "comment"):
            self.other_types.add(kind)
        cid = f("comment_id")
        native = bool(cid)
        if not native:
            cid = f"L{line}"
            self.warn("missing-id", line,
                      "comment has no <wp:comment_id>; given a made-up id", None)
        parent = f("comment_parent")
        created, _ = parse_iso(f("comment_date_gmt"))
        if created is None:
            created, _ = parse_iso(f("comment_date"), self.options.timezone)
            if created is not None:
                self.zero_dates += 1
        content = fields.get("comment_content", "")
        record = CommentRecord(
            source_id=cid, parent=parent if parent not in ("", "0") else None,
            author=self.clean(html_to_text(f("comment_author"))) or None,
            text=self.clean(html_to_text(content, stored=True)), created=created,
            line_start=line, line_end=end_line, order=len(self.comments), native_id=native)
        approved = f("comment_approved")
        if approved not in ("1", "approve", "approved"):
            status, name = APPROVAL.get(approved, ("pending", "pending"))
            if approved not in APPROVAL:
                self.warn("unknown-approval", line,
                          f"comment {cid!r} has comment_approved {approved!r}; treated as pending",
                          None, level="note")
            record.status = status
            if name not in self.options.include:
                self.excluded[id(record)] = "pending" if status == "pending" else approved
        self.comments.append(record)

    def item(self, elem: Element, line: int) -> None:
        comments, self.comments = self.comments, []
        excluded, self.excluded = self.excluded, {}
        post_type = self.field(elem, "post_type", "wp").strip() or "post"
        if post_type in NOT_ARTICLES and not comments:
            self.report.dropped[f"{post_type}-items"] += 1
            return
        post_id = self.field(elem, "post_id", "wp").strip() or f"L{line}"
        published, _ = parse_iso(self.field(elem, "post_date_gmt", "wp"))
        if published is None:
            published, _ = parse_iso(self.field(elem, "post_date", "wp"), self.options.timezone)
        body = _SHORTCODE.sub("", self.field(elem, "encoded", CONTENT_NAMESPACE))
        article = ArticleRecord(
            title=html_to_text(self.field(elem, "title", "")) or None,
            paragraphs=[Paragraph(self.clean(p)) for p in html_paragraphs(body, stored=True)],
            key=post_id, url=self.field(elem, "link", "").strip() or None,
            published=published.date() if isinstance(published, dt.datetime) else None)
        article.comments = apply_status_policy(comments, excluded, self.report)
        self.parsed.articles.append(article)

    # -- after the stream ------------------------------------------------------------------------------
    def finish(self) -> ParsedFile:
        if not self.versions:
            raise FormatError("not a WordPress export: no element in the http://wordpress.org/export/ namespace",
                              path=self.path, hint="export again from Tools > Export, or name the format with --format")
        if self.comments:  # comments outside any <item>
            self.diags.append(Diagnostic("warning", "comment-outside-item", self.where, self.comments[0].line_start,
                                         f"{len(self.comments)} comments are not inside an <item>; dropped", None))
            self.report.dropped["outside-item"] += len(self.comments)
        if self.zero_dates:
            self.report.repaired["local-time"] += self.zero_dates
            self.diags.append(Diagnostic(
                "note", "local-time", self.where, None,
                f"{self.zero_dates} comments have no GMT date (0000-00-00 00:00:00); their site-local "
                f"comment_date is read as {self.options.timezone or 'UTC'}",
                None if self.options.timezone else
                "times may be off by the site's UTC offset; pass --timezone with the site's zone "
                "(an IANA name such as Asia/Yerevan) to read them in it"))
        if self.mojibake:
            self.report.repaired["mojibake"] += self.mojibake
            self.diags.append(Diagnostic(
                "note", "mojibake", self.where, None,
                f"{self.mojibake} texts were encoded twice (WordPress utf8_encode); repaired", None))
        if self.other_types:
            self.diags.append(Diagnostic("note", "comment-type", self.where, None,
                                         "comments of other types kept: " + ", ".join(sorted(self.other_types)),
                                         None))
        self.report.kept["articles"] = len(self.parsed.articles)
        self.report.kept["paragraphs"] = sum(len(a.paragraphs) for a in self.parsed.articles)
        return self.finished()


def read(path: Path, options: ReadOptions) -> ParsedFile:
    return read_streamed(_Reader(path, options))


READER = Reader(NAME, "WordPress export (WXR) XML: posts with their comments", (".xml", ".xml.gz", ".wxr"),
                sniff, read)
