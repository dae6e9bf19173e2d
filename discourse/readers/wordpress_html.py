"""Saved WordPress article pages with their threaded comments (``wp_list_comments`` markup).

::

    <ol class="comment-list">                                  <- or ol.commentlist; absent with style=div
      <li id="comment-501" class="comment depth-1 parent">       <- li, or div with style=div
        <article class="comment-body">                          <- html5; xhtml: div.comment-body
          <footer class="comment-meta"> <b class="fn">Ani</b>
            <time datetime="2020-10-02T09:15:00+04:00">...</time></footer>
          <div class="comment-content"><p>...</p></div>         <- xhtml: the <p>s with no wrapper
        </article>
        <ol class="children"> <li id="comment-502" class="comment depth-2">...</li> </ol>

A comment's parent is the nearest enclosing comment element; its ``depth-N`` class is checked against
that. Pingbacks and trackbacks are dropped and counted; comments awaiting moderation are kept out and
counted unless ``include`` names ``pending``. The article's title, body paragraphs, address and date
come from the same page. Parsed with selectolax (lexbor), which gives no line numbers: a comment's line
is found from its ``id="comment-N"`` attribute in the file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from selectolax.lexbor import LexborHTMLParser, LexborNode

from discourse.readers.base import (
    ArticleRecord, CommentRecord, Diagnostic, FileReading, Paragraph, ParsedFile, Reader, ReadOptions,
    read_text,
)
from discourse.readers.markup import apply_status_policy, nodes_text, parse_display_date, parse_iso, to_utc

NAME = "wordpress-html"

#: elements inside a comment that are not what the commenter wrote
FURNITURE = frozenset({
    "comment-author", "comment-meta", "commentmetadata", "comment-metadata", "reply", "comment-reply",
    "comment-reply-link", "comment-awaiting-moderation", "children", "comment-respond", "says", "avatar",
    "comment-edit-link", "edit-link", "screen-reader-text", "comment-reply-title",
})
#: page regions whose paragraphs are not the article's text
NOT_ARTICLE = frozenset({
    "comments", "comments-area", "comment-list", "commentlist", "comment-respond", "sharedaddy", "jp-relatedposts",
    "related-posts", "widget", "sidebar", "wp-caption", "screen-reader-text",
})
#: classes of the parts of a comment the reader looks for
_PARTS = frozenset({"comment-content", "fn", "comment-author", "comment-awaiting-moderation", "comment-reply-link",
                    "comment-date"})
_META = frozenset({"comment-meta", "commentmetadata", "comment-metadata"})
NOT_ARTICLE_TAGS = frozenset({"header", "footer", "nav", "aside", "form", "figure"})
PARENT_NOT_ON_PAGE = "(not on the page)"

_COMMENT_ID = re.compile(r"(?:li-)?comment-(\d+)")
_DEPTH = re.compile(r"\bdepth-(\d+)\b")
_ID_LINE = re.compile(r"""\bid\s*=\s*["']?(?:li-)?comment-(\d+)\b""")
_COUNT = re.compile(r"(?i)\b(\d[\d,.]*|one|no)\s+(?:comments?|responses?|thoughts?|replies|reactions?)\b")
_MARKERS = (b"commentlist", b"comment-list", b'id="comment-', b"id='comment-", b"li-comment-")
_NOT_HTML_ROOT = re.compile(rb"<(?:rss|disqus|feed|urlset)\b")


def sniff(path: Path, head: bytes) -> float:
    """WordPress comment markup is certain; any other HTML page reads as an article with no comments."""
    if b"<" not in head:  # no markup at all
        return 0.0
    low = head[:1 << 16].lower()
    html = any(t in low for t in (b"<html", b"<!doctype html", b"<body", b"<head"))
    if not html:
        if _NOT_HTML_ROOT.search(low) or path.suffix.lower() not in (".html", ".htm"):
            return 0.0
    if any(m in low for m in _MARKERS):
        return 0.85
    return 0.3


def _classes(node: LexborNode) -> set[str]:
    return set((node.attributes.get("class") or "").split())


class _Page(FileReading):
    def __init__(self, text: str, path: Path, options: ReadOptions, diags: list[Diagnostic]) -> None:
        super().__init__(path, options, NAME, diags)
        self.text = text
        self.doc = LexborHTMLParser(text)
        self.lines: dict[str, int] = {}
        for m in _ID_LINE.finditer(text):
            self.lines.setdefault(m[1], text.count("\n", 0, m.start()) + 1)

    # -- comments --------------------------------------------------------------------------------------
    def comment_nodes(self) -> tuple[dict[int, LexborNode], dict[int, str]]:
        """Every comment element by ``mem_id`` in page order, and the ids written on them. An inner
        wrapper of the same comment (``<li id="li-comment-5"><div id="comment-5">``) is not a comment."""
        found: dict[int, LexborNode] = {}
        for node in self.doc.css('li, [id^="comment-"]'):
            cls = _classes(node)
            ident = node.attributes.get("id") or ""
            if node.tag == "li" and (cls & {"comment", "pingback", "trackback"} or _COMMENT_ID.fullmatch(ident)):
                found[node.mem_id] = node
            elif node.tag in ("div", "article", "section") and re.fullmatch(r"comment-\d+", ident):
                found[node.mem_id] = node
        written: dict[int, str] = {}
        for key, node in found.items():
            m = _COMMENT_ID.fullmatch(node.attributes.get("id") or "")
            if m:
                written[key] = m[1]
        for key, node in list(found.items()):
            up = self.enclosing(node, found)
            if up is None or up.tag != "li" or node.tag == "li" or key not in written:
                continue
            if written.get(up.mem_id, written[key]) == written[key]:
                written[up.mem_id] = written.pop(key)
                del found[key]
        return found, written

    @staticmethod
    def enclosing(node: LexborNode, comments: dict[int, LexborNode]) -> LexborNode | None:
        p = node.parent
        while p is not None:
            if p.mem_id in comments:
                return p
            p = p.parent
        return None

    def own_parts(self, comments: dict[int, LexborNode]) -> tuple[dict[int, dict[str, list[LexborNode]]],
                                                                  dict[int, int | None]]:
        """For each comment, the elements of interest that belong to it and not to a reply inside it
        (author, time, content, ...), and the comment it is nested in; one walk over the page."""
        parts: dict[int, dict[str, list[LexborNode]]] = {k: {} for k in comments}
        parent: dict[int, int | None] = {}
        root = self.doc.root
        stack: list[tuple[LexborNode, int | None, bool]] = [(root, None, False)] if root is not None else []
        while stack:
            node, owner, in_meta = stack.pop()
            key = node.mem_id
            if key in comments:
                parent[key] = owner
                owner, in_meta = key, False
            elif owner is not None:
                found = parts[owner]
                cls = _classes(node)
                for name in cls & _PARTS:
                    found.setdefault(name, []).append(node)
                if cls & _META:
                    in_meta = True
                    found.setdefault("meta", []).append(node)
                if node.tag == "time":
                    found.setdefault("time", []).append(node)
                elif node.tag == "a" and in_meta:
                    found.setdefault("meta-link", []).append(node)
                ident = node.attributes.get("id") or ""
                if ident.startswith("div-comment-"):
                    found.setdefault("div-id", []).append(node)
            stack.extend((c, owner, in_meta) for c in reversed(list(node.iter())))
        return parts, parent

    @staticmethod
    def native_id(written: str | None, parts: dict[str, list[LexborNode]]) -> str | None:
        if written:
            return written
        for link in parts.get("comment-reply-link", []):
            if link.attributes.get("data-commentid"):
                return link.attributes.get("data-commentid")
        for inner in parts.get("div-id", []):
            m = re.fullmatch(r"div-comment-(\d+)", inner.attributes.get("id") or "")
            if m:
                return m[1]
        return None

    def read_comments(self, article: ArticleRecord) -> None:
        comments, written = self.comment_nodes()
        own, nesting = self.own_parts(comments)

        records: list[CommentRecord] = []
        class_depth: dict[int, int | None] = {}
        nest_parent: dict[int, int | None] = {}
        reply_link: dict[int, bool] = {}
        excluded: dict[int, str] = {}
        local_times = unparsed_times = 0
        ids: dict[int, str] = {}
        for node in comments.values():
            key = node.mem_id
            parts = own[key]
            nest_parent[key] = nesting.get(key)
            cls = _classes(node)
            kind = "pingback" if "pingback" in cls else "trackback" if "trackback" in cls else None
            if kind:
                self.report.dropped[kind] += 1
                continue
            native = self.native_id(written.get(key), parts)
            cid = native or f"C{len(records) + 1}"
            ids[key] = cid

            def skip(n: LexborNode, root: LexborNode = node) -> bool:
                return (n.mem_id in comments and n.mem_id != root.mem_id) or bool(_classes(n) & FURNITURE) \
                    or n.attributes.get("id") == "respond"

            content = parts.get("comment-content", [])
            text = nodes_text(content[:1] or [node], skip=skip)
            author = None
            for fn in parts.get("fn", []) or parts.get("comment-author", []):
                author = " ".join(nodes_text([fn], skip=lambda n: "says" in _classes(n)).split()) or None
                break
            created = None
            for t in parts.get("time", []):
                if t.attributes.get("datetime"):
                    created, zoned = parse_iso(t.attributes.get("datetime"), self.options.timezone)
                    local_times += created is not None and not zoned
                    break
            if created is None:
                for meta in parts.get("meta-link", []) + parts.get("time", []) + parts.get("comment-date", []):
                    naive = parse_display_date(meta.text())
                    if naive is not None:
                        created, _ = to_utc(naive, self.options.timezone)
                        local_times += 1
                        break
                else:
                    unparsed_times += bool(parts.get("meta") or parts.get("time"))
            record = CommentRecord(source_id=cid, parent=None, author=author, text=text, created=created,
                                   line_start=self.lines.get(native) if native else None,
                                   order=len(records), native_id=native is not None)
            record.line_end = record.line_start
            if parts.get("comment-awaiting-moderation"):
                record.status = "pending"
                if "pending" not in self.options.include:
                    excluded[id(record)] = "pending"
            m = _DEPTH.search(node.attributes.get("class") or "")
            class_depth[key] = int(m[1]) if m else None
            reply_link[key] = bool(parts.get("comment-reply-link"))
            records.append(record)

        by_mem = dict(zip([k for k in comments if k in ids], records))
        has_replies = {k for k, n in comments.items() if "parent" in _classes(n)}
        self.link_parents(by_mem, ids, nest_parent, class_depth, reply_link, has_replies)
        if local_times:
            self.report.repaired["local-time"] += local_times
            zone = self.options.timezone
            self.diags.append(Diagnostic(
                "note", "local-time", self.where, None,
                f"{local_times} comment times are printed in the site's local time with no zone; read as "
                + (zone or "UTC"),
                None if zone else "times may be off by the site's UTC offset; pass --timezone with the site's zone "
                                  "(an IANA name such as Asia/Yerevan) to read them in it"))
        if unparsed_times:
            self.diags.append(Diagnostic("note", "unparsed-time", self.where, None,
                                         f"{unparsed_times} comment dates could not be read; their page order is kept",
                                         None))
        self.check_count(len(comments) - len(excluded))
        article.comments = apply_status_policy(records, excluded, self.report)

    def link_parents(self, by_mem: dict[int, CommentRecord], ids: dict[int, str],
                     nest_parent: dict[int, int | None], class_depth: dict[int, int | None],
                     reply_link: dict[int, bool], has_replies: set[int]) -> None:
        nested = any(p is not None for p in nest_parent.values())
        deep_classes = any((d or 0) > 1 for d in class_depth.values())
        if not nested and deep_classes:
            # the theme closes each comment before its replies: rebuild the tree from depth-N classes,
            # trusting the `parent` class (core marks every comment that has replies) when the page uses it
            stack: list[tuple[int, int, CommentRecord]] = []
            for key, record in by_mem.items():
                d = class_depth[key] or 1
                while stack and stack[-1][0] >= d:
                    stack.pop()
                if d > 1:
                    above = stack[-1] if stack and stack[-1][0] == d - 1 else None
                    if above is not None and (not has_replies or above[1] in has_replies):
                        record.parent = above[2].source_id
                        self.report.repaired["parent-from-depth"] += 1
                    else:
                        self.parent_not_on_page(record, d)
                stack.append((d, key, record))
            self.diags.append(Diagnostic(
                "warning", "flat-markup", self.where, None,
                "comments are not nested in the page; replies were linked by their depth-N classes", None))
            return
        depth: dict[int, int] = {}
        for key, record in by_mem.items():
            up = nest_parent[key]
            while up is not None and up not in ids:  # a pingback cannot be replied to; skip it
                up = nest_parent.get(up)
            record.parent = ids[up] if up is not None else None
            depth[key] = depth[up] + 1 if up is not None and up in depth else 0
            want = class_depth[key]
            if want is None or want == depth[key] + 1:
                continue
            if up is None:
                self.parent_not_on_page(record, want)
            else:
                self.diags.append(Diagnostic(
                    "warning", "depth-mismatch", self.where, record.line_start,
                    f"comment {record.source_id!r} is nested at depth {depth[key] + 1} but marked depth-{want}; "
                    "the nesting is used", None))
        deepest = max((d for d in class_depth.values() if d), default=0)
        at_max = [k for k, d in class_depth.items() if d == deepest and k in by_mem]
        if deepest >= 2 and any(reply_link.values()) and not any(reply_link[k] for k in at_max):
            self.report.kept["at-max-depth"] += len(at_max)
            self.diags.append(Diagnostic(
                "note", "max-depth", self.where, None,
                f"{len(at_max)} comments are at depth-{deepest}, where this site stops threading: WordPress prints "
                "replies to them at the same level, so some may answer the comment above rather than their parent",
                None))

    def parent_not_on_page(self, record: CommentRecord, depth: int) -> None:
        record.parent = PARENT_NOT_ON_PAGE
        self.diags.append(Diagnostic(
            "warning", "parent-not-on-page", self.where, record.line_start,
            f"comment {record.source_id!r} is marked depth-{depth} but has no comment above it to reply to: "
            "the comment it answers is not on the page (deleted, or on another comment page)", None))

    def check_count(self, found: int) -> None:
        title = self.doc.css_first(".comments-title, #comments-title")
        if title is not None:
            m = _COUNT.search(title.text())
            if m:
                word = m[1].lower()
                said = 1 if word == "one" else 0 if word == "no" else int(re.sub(r"\D", "", word) or 0)
                if said != found:
                    self.diags.append(Diagnostic(
                        "note", "comment-count", self.where, None,
                        f"the page says {said} comments, {found} are on it",
                        "comments may be paged (comment-page-N), pending, or hidden by the theme"))
        if self.doc.css_first('a[href*="/comment-page-"]') is not None:
            self.diags.append(Diagnostic("note", "paged-comments", self.where, None,
                                         "comments are split over several pages (comment-page-N); this file holds one",
                                         "save every comment page to get the whole discussion"))

    # -- the article -----------------------------------------------------------------------------------
    def meta(self, *selectors: str) -> str | None:
        for sel in selectors:
            node = self.doc.css_first(sel)
            if node is None:
                continue
            value = node.attributes.get("content") or node.attributes.get("href") or node.attributes.get("datetime")
            if value is None and node.tag not in ("meta", "link"):
                value = node.text()
            if value and value.strip():
                return " ".join(value.split())
        return None

    def read_article(self) -> ArticleRecord:
        title = None
        for sel in ("h1.entry-title", ".entry-title", 'meta[property="og:title"]', "title", "h1"):
            node = self.doc.css_first(sel)
            if node is not None:
                raw = (node.attributes.get("content") or "") if node.tag == "meta" else node.text()
                title = " ".join(raw.split()) or None
                if title and sel == "title":
                    title = self.without_site_name(title)
                if title:
                    break
        url = self.meta('link[rel="canonical"]', 'meta[property="og:url"]')
        published = None
        for sel in ('meta[property="article:published_time"]', "time.entry-date[datetime]",
                    ".entry-meta time[datetime]", ".posted-on time[datetime]"):
            value = self.meta(sel)
            if value:
                when, _ = parse_iso(value)
                if when is not None:
                    published = when.date()
                    break
        article = ArticleRecord(title=title, url=url, published=published)
        for sel in (".entry-content", ".post-content", ".entry", ".article-content", '[itemprop="articleBody"]',
                    "article", "main", "body"):
            container = self.doc.css_first(sel)
            if container is None:
                continue
            paras = self.paragraphs(container)
            if paras:
                article.paragraphs = paras
                break
        return article

    def without_site_name(self, title: str) -> str:
        """``<title>`` less the site name: the page's heading it starts with, else up to a ' | ' separator."""
        for h in self.doc.css("h1, h2, .posttitle, .post-title"):
            head = " ".join(h.text().split())
            rest = title[len(head):].lstrip()[:1]
            if len(head) > 3 and title.startswith(head) and rest in ("|", "–", "—", "-", "·", ":"):
                return head
        site = self.meta('meta[property="og:site_name"]')
        for sep in (" | ", " – ", " — ", " - "):
            if site and title.endswith(sep + site):
                return title[: -len(sep + site)]
        return title

    def paragraphs(self, container: LexborNode) -> list[Paragraph]:
        out: list[Paragraph] = []
        for p in container.css("p, .wp-caption-text, figcaption"):
            caption = p.tag == "figcaption" or "wp-caption-text" in _classes(p)
            if not caption and self.outside_article(p, container):
                continue
            text = nodes_text([p])
            if text.strip():
                role: Literal["body", "caption"] = "caption" if caption else "body"
                if role == "caption" and any(q.role == "caption" and q.text == text for q in out):
                    continue
                out.append(Paragraph(text, role))
        return out

    @staticmethod
    def outside_article(node: LexborNode, container: LexborNode) -> bool:
        n: LexborNode | None = node
        stop = container.mem_id
        while n is not None and n.mem_id != stop:
            if _classes(n) & NOT_ARTICLE or n.tag in NOT_ARTICLE_TAGS or n.attributes.get("id") in (
                    "comments", "respond"):
                return True
            n = n.parent
        return False


def read(path: Path, options: ReadOptions) -> ParsedFile:
    diags: list[Diagnostic] = []
    text = read_text(path, options, diags)
    page = _Page(text, path, options, diags)
    article = page.read_article()
    page.read_comments(article)
    page.parsed.articles.append(article)
    report = page.report
    report.kept["articles"] = 1
    report.kept["paragraphs"] = sum(p.role == "body" for p in article.paragraphs)
    report.kept["captions"] = sum(p.role == "caption" for p in article.paragraphs)
    return page.parsed


READER = Reader(NAME, "Saved WordPress page (HTML) with its threaded comments", (".html", ".htm"), sniff, read)
