"""A corpus is articles and comments; comments form reply trees; an analysis is a scored corpus.

The tables are polars DataFrames (schemas in :mod:`discourse.schema`); :class:`Tree` is a light index
over the ``comment_id``/``parent_id`` columns for walking replies. :class:`Corpus` is what reading
gives, :class:`Analysis` what :func:`discourse.analyze` gives.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import polars as pl

from discourse import schema
from discourse.errors import InputError

if TYPE_CHECKING:
    from discourse.scoring.lexicon import Lexicon

#: a table in memory, or a scan of files on disk read only as far as a query needs it
Table = pl.DataFrame | pl.LazyFrame


@dataclass(frozen=True)
class Tree:
    """Reply structure of some comments. Build with :meth:`from_frame`; every method is read-only.

    >>> t = Tree.from_frame(pl.DataFrame({"comment_id": ["a/1", "a/1.1"], "parent_id": [None, "a/1"]}))
    >>> t.children("a/1"), t.ancestors("a/1.1")
    (['a/1.1'], ['a/1'])
    """

    roots: tuple[str, ...]
    _parent: dict[str, str | None] = field(repr=False)
    _children: dict[str, tuple[str, ...]] = field(repr=False)

    @classmethod
    def from_frame(cls, comments: pl.DataFrame) -> Tree:
        """Index ``comments`` (rows in display order). Broken links do not raise: see :func:`check_tree`."""
        ids = comments.get_column("comment_id").to_list()
        parents = comments.get_column("parent_id").to_list()
        known = set(ids)
        parent: dict[str, str | None] = {}
        children: dict[str, list[str]] = {}
        roots: list[str] = []
        for cid, pid in zip(ids, parents):
            if cid in parent:
                continue
            if pid is not None and pid not in known:
                pid = None  # missing parent: treated as a root here, reported by check_tree
            parent[cid] = pid
            if pid is None:
                roots.append(cid)
            else:
                children.setdefault(pid, []).append(cid)
        return cls(tuple(roots), parent, {k: tuple(v) for k, v in children.items()})

    def __contains__(self, comment_id: str) -> bool:
        return comment_id in self._parent

    def __len__(self) -> int:
        return len(self._parent)

    def _check(self, comment_id: str) -> None:
        if comment_id not in self._parent:
            raise KeyError(f"no comment {comment_id!r} in this tree")

    def parent(self, comment_id: str) -> str | None:
        self._check(comment_id)
        return self._parent[comment_id]

    def children(self, comment_id: str) -> list[str]:
        self._check(comment_id)
        return list(self._children.get(comment_id, ()))

    def ancestors(self, comment_id: str) -> list[str]:
        """Parent first, up to the top-level comment. Stops at a cycle rather than looping."""
        self._check(comment_id)
        out: list[str] = []
        seen = {comment_id}
        p = self._parent[comment_id]
        while p is not None and p not in seen:
            out.append(p)
            seen.add(p)
            p = self._parent[p]
        return out

    def depth(self, comment_id: str) -> int:
        return len(self.ancestors(comment_id))

    def subtree(self, comment_id: str) -> list[str]:
        """The comment and everything below it, in pre-order."""
        self._check(comment_id)
        return list(self.preorder(comment_id))

    def preorder(self, start: str | None = None) -> Iterator[str]:
        """Depth-first, each comment before its replies (display order)."""
        return self._walk(start, "preorder")

    def postorder(self, start: str | None = None) -> Iterator[str]:
        """Depth-first, replies before the comment they answer (for bottom-up sums).

        >>> t = Tree.from_frame(pl.DataFrame({"comment_id": ["a", "a.1", "a.2", "b"],
        ...                                   "parent_id": [None, "a", "a", None]}))
        >>> list(t.preorder()), list(t.postorder())
        (['a', 'a.1', 'a.2', 'b'], ['a.1', 'a.2', 'a', 'b'])
        """
        # the reverse of a pre-order walk that takes the last reply first
        return reversed(list(self._walk(start, "mirrored")))

    def breadth_first(self, start: str | None = None) -> Iterator[str]:
        """Level by level: all top-level comments, then all first replies, ..."""
        return self._walk(start, "breadth")

    def _walk(self, start: str | None, order: str) -> Iterator[str]:
        """Every comment once from ``start`` (or the roots): ``preorder`` (a stack, first reply first),
        ``mirrored`` (a stack, last reply first) or ``breadth`` (a queue)."""
        tops = [start] if start is not None else list(self.roots)
        todo = deque(reversed(tops) if order == "preorder" else tops)
        take = todo.popleft if order == "breadth" else todo.pop
        seen: set[str] = set()
        while todo:
            c = take()
            if c in seen:
                continue
            seen.add(c)
            yield c
            replies = self._children.get(c, ())
            todo.extend(reversed(replies) if order == "preorder" else replies)


def check_tree(comments: pl.DataFrame) -> pl.DataFrame:
    """Integrity problems in a comments table, one row each: ``problem``, ``comment_id``, ``detail``.

    Problems: ``duplicate-id``, ``missing-parent``, ``cycle``, ``depth`` (not parent depth + 1),
    ``article`` (parent under another article). An empty frame means the trees are sound.
    """
    rows: list[tuple[str, str, str]] = []
    ids = comments.get_column("comment_id").to_list()
    parents = comments.get_column("parent_id").to_list()
    depths: list[int | None] = (comments.get_column("depth").to_list() if "depth" in comments.columns
                                else [None] * len(ids))
    arts = comments.get_column("article_id").to_list() if "article_id" in comments.columns else [None] * len(ids)
    first: dict[str, int] = {}
    for i, cid in enumerate(ids):
        if cid in first:
            rows.append(("duplicate-id", cid, f"rows {first[cid] + 1} and {i + 1}"))
        else:
            first[cid] = i
    for i, (cid, pid) in enumerate(zip(ids, parents)):
        if pid is None:
            if depths[i] not in (None, 0):
                rows.append(("depth", cid, f"top-level comment with depth {depths[i]}"))
            continue
        j = first.get(pid)
        if j is None:
            rows.append(("missing-parent", cid, f"parent {pid!r} is not in the table"))
            continue
        depth, parent_depth = depths[i], depths[j]
        if depth is not None and parent_depth is not None and depth != parent_depth + 1:
            rows.append(("depth", cid, f"depth {depth}, parent's {parent_depth}"))
        if arts[i] != arts[j]:
            rows.append(("article", cid, f"parent {pid!r} is under article {arts[j]!r}"))
    parent = {cid: pid for cid, pid in zip(ids, parents)}
    state: dict[str, int] = {}
    for cid in ids:
        walk: list[str] = []
        n: str | None = cid
        while n is not None and n in parent and n not in state:
            state[n] = 1
            walk.append(n)
            n = parent[n]
        if n is not None and state.get(n) == 1:
            loop = walk[walk.index(n):]
            rows.append(("cycle", min(loop), " -> ".join(loop)))
        for w in walk:
            state[w] = 2
    return pl.DataFrame(rows, schema=schema.TREE_PROBLEMS.schema, orient="row")


@dataclass(frozen=True)
class Corpus:
    """Articles and their comment trees, as read by :func:`discourse.read`.

    Attributes are polars DataFrames with the schemas in ``docs/schema.md``. ``diagnostics`` lists what
    reading reported (errors for skipped files, warnings for repairs and unrecognised lines).
    """

    articles: pl.DataFrame
    paragraphs: pl.DataFrame
    comments: pl.DataFrame
    diagnostics: pl.DataFrame
    files: pl.DataFrame
    line_roles: pl.DataFrame | None = None

    def __repr__(self) -> str:
        return (f"Corpus({self.articles.height} articles, {self.comments.height} comments, "
                f"{self.diagnostics.height} diagnostics)")

    def article_id(self, key: str) -> str:
        """Resolve an article by id, file path, file name or file stem."""
        rows = self.articles.select("article_id", "source_path").rows()
        for match in (lambda aid, src: aid == key, lambda aid, src: src == key,
                      lambda aid, src: Path(src).name == key, lambda aid, src: Path(src).stem == key):
            hits = [aid for aid, src in rows if match(aid, src)]
            if len(hits) == 1:
                return hits[0]
        raise InputError(f"no article {key!r} in the corpus",
                         hint="valid ids: " + ", ".join(aid for aid, _ in rows[:30]))

    def only(self, article_id: str) -> Corpus:
        """The corpus restricted to one article (unchanged when there is no such article)."""
        if article_id not in self.articles.get_column("article_id").to_list():
            return self
        keep = pl.col("article_id") == article_id
        return replace(self, articles=self.articles.filter(keep), paragraphs=self.paragraphs.filter(keep),
                       comments=self.comments.filter(keep))

    def tree(self, article_id: str | None = None) -> Tree:
        """Reply tree of one article (or of the whole corpus)."""
        c = self.comments if article_id is None else self.comments.filter(pl.col("article_id") == article_id)
        return Tree.from_frame(c)

    def check(self) -> pl.DataFrame:
        """Integrity problems (duplicate ids, missing parents, cycles, depth errors); empty when sound."""
        return check_tree(self.comments)


@dataclass(frozen=True)
class Analysis:
    """Every table of a scored corpus (schemas in ``docs/schema.md``) and the settings that made it.

    From ``analyze(..., spill=folder)`` the tables with a row per sentence or lexicon hit (``sentences``,
    ``tags``, ``mentions``) are ``polars.LazyFrame`` scans of files in that folder, read only as far as
    a query needs them; :func:`rows` counts any table and :func:`frame` reads one into memory.
    """

    articles: pl.DataFrame
    paragraphs: pl.DataFrame
    comments: pl.DataFrame
    sentences: Table
    tags: Table
    mentions: Table
    actor_sentiment: pl.DataFrame
    edges: pl.DataFrame
    threads: pl.DataFrame
    speakers: pl.DataFrame
    diagnostics: pl.DataFrame
    files: pl.DataFrame
    lexicon: Lexicon = field(repr=False)
    settings: dict[str, Any] = field(default_factory=dict)

    TABLES: ClassVar[tuple[str, ...]] = (
        "articles", "paragraphs", "comments", "sentences", "tags", "mentions", "actor_sentiment", "edges",
        "threads", "speakers", "diagnostics", "files")

    def tables(self) -> dict[str, Table]:
        """The tables by name, in a fixed order (what ``discourse export`` writes)."""
        return {name: getattr(self, name) for name in self.TABLES}

    def __repr__(self) -> str:
        return (f"Analysis({self.articles.height} articles, {self.comments.height} comments, "
                f"{rows(self.sentences)} sentences, {rows(self.tags)} topic hits)")


def rows(table: Table) -> int:
    """The rows of a table, in memory or streamed from disk.

    >>> rows(pl.DataFrame({"a": [1, 2]})), rows(pl.LazyFrame({"a": [1, 2, 3]}))
    (2, 3)
    """
    return table.height if isinstance(table, pl.DataFrame) else int(table.select(pl.len()).collect().item())


def frame(table: Table) -> pl.DataFrame:
    """A table in memory (a streamed one is read)."""
    return table if isinstance(table, pl.DataFrame) else table.collect()
