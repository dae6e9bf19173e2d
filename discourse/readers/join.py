"""Threads split across files, joined: a Reddit submission whose comments are in several monthly dumps.

Each file is read and linked on its own (so files can be read in any process, or on any machine of a
cluster). A submission's comments written in January and February are then in two files, and each file
alone gives an article of its own, the February replies to January comments orphans. Formats whose
article keys name the same thread in every file (:data:`JOINED_FORMATS`: Reddit's ``link_id``) are joined
afterwards:

- the articles with the same key become one, with the id of the first (files in path order, so the
  earliest monthly dump), and its metadata from the first that has the submission's ``t3`` record;
- its comments from every file are linked again as one tree (:func:`discourse.readers.tree.link`): a reply
  finds its parent in another file, ids and display order are those of the whole thread, and each comment
  keeps its own ``source_path`` and line;
- the orphan warnings the files gave for replies that found their parent are withdrawn; a reply whose
  parent is in none of the files stays an orphan and is reported with its own file and line; a note names
  each joined thread and the files it spans.

The joined article stands where its first part stood; nothing else moves. ``files`` keeps what each file's
reading found on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from discourse import schema
from discourse.readers.base import CommentRecord, Diagnostic, ReadReport
from discourse.readers.tree import link

#: formats whose article key names one thread wherever it appears
JOINED_FORMATS = frozenset({"reddit"})

#: a comment's display order across files: its file's rank in the thread, then its line
_RANK = 1 << 40


@dataclass
class Joined:
    """The tables with the split threads joined, and the diagnostics to withdraw and to add."""

    articles: pl.DataFrame
    paragraphs: pl.DataFrame
    comments: pl.DataFrame
    stale: set[tuple[str | None, int | None]]  # (path, line) of orphan/cycle warnings no longer true
    notes: list[Diagnostic]

    def diagnostics(self, diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
        """``diagnostics`` without the withdrawn warnings, then the join's own."""
        kept = [d for d in diagnostics if not (d.code in ("orphan", "cycle") and (d.path, d.line) in self.stale)]
        return kept + self.notes


def split_groups(keys: pl.DataFrame) -> list[list[str]]:
    """The article ids sharing a key (``keys``: ``article_id``, ``key`` in corpus order), for every key held
    by more than one article, in the order of their first article."""
    if keys.is_empty():
        return []
    groups = (keys.group_by("key", maintain_order=True).agg(pl.col("article_id"))
              .filter(pl.col("article_id").list.len() > 1))
    return groups.get_column("article_id").to_list()


def join_threads(articles: pl.DataFrame, paragraphs: pl.DataFrame, comments: pl.DataFrame,
                 groups: Sequence[Sequence[str]], orphans: pl.DataFrame) -> Joined:
    """Join every group of ``groups`` whose first article is in ``articles`` (the others' rows, when present,
    are only dropped). ``orphans``: ``comment_id``, ``parent`` (the source's parent id) of the comments
    linking made orphans, for the groups' articles."""
    firsts = {g[0]: g for g in groups}
    later = {aid for g in groups for aid in g[1:]}
    members = set(firsts) | later
    present = articles.filter(pl.col("article_id").is_in(pl.Series(list(members), dtype=pl.String).implode()))
    if present.is_empty():
        return Joined(articles, paragraphs, comments, set(), [])
    mine = [firsts[a] for a in present.get_column("article_id").to_list() if a in firsts]
    in_groups = pl.col("article_id").is_in(pl.Series(list(members), dtype=pl.String).implode())
    stale_rows = comments.filter(in_groups & pl.col("orphan")).select("source_path", "line_start")
    stale: set[tuple[str | None, int | None]] = set(stale_rows.iter_rows())
    parent_of = dict(orphans.iter_rows()) if orphans.height else {}

    # the groups' rows, by article, picked out once (not once per group)
    by_article = {name: {k[0]: g for k, g in table.filter(in_groups).group_by("article_id", maintain_order=True)}
                  for name, table in (("articles", articles), ("paragraphs", paragraphs), ("comments", comments))}
    new_articles, new_paragraphs, new_comments, notes = [], [], [], []
    for group in mine:
        a, p, c, diags = _join(group, by_article, articles.schema, paragraphs.schema, comments.schema, parent_of)
        new_articles.append(a)
        new_paragraphs.append(p)
        new_comments.append(c)
        notes += diags

    position = articles.select("article_id").with_row_index("_a")

    def splice(table: pl.DataFrame, new: list[pl.DataFrame]) -> pl.DataFrame:
        keep = table.filter(~in_groups)
        both = pl.concat([keep, *new]) if new else keep
        # rows stay grouped by article, in article order; a joined article where its first part stood
        ordered = (both.with_row_index("_r").join(position, on="article_id", how="left", maintain_order="left")
                   .sort("_a", "_r", maintain_order=True))
        return ordered.drop("_a", "_r")

    return Joined(splice(articles, new_articles), splice(paragraphs, new_paragraphs),
                  splice(comments, new_comments), stale, notes)


def _join(group: Sequence[str], by_article: dict[str, dict[str, pl.DataFrame]], articles: pl.Schema,
          paragraphs: pl.Schema, comments: pl.Schema,
          parent_of: dict[str, str]) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, list[Diagnostic]]:
    first = group[0]
    rank = {aid: k for k, aid in enumerate(group)}
    parts = pl.concat([by_article["articles"][aid] for aid in group])
    empty = pl.DataFrame(schema=comments)
    rows = pl.concat([by_article["comments"].get(aid, empty) for aid in group])
    # a comment's id in the source (every Reddit comment has one; the row's own id otherwise)
    sources = rows.select(pl.coalesce("source_id", "comment_id")).to_series().to_list()
    source = dict(zip(rows.get_column("comment_id").to_list(), sources))

    records: list[CommentRecord] = []
    path_of: dict[str, str] = {}
    for sid, r in zip(sources, rows.iter_rows(named=True)):
        parent = source.get(r["parent_id"]) if r["parent_id"] is not None else parent_of.get(r["comment_id"])
        records.append(CommentRecord(
            source_id=sid, parent=parent, author=r["author"], text=r["text"], created=r["created"],
            number=r["number"], status=r["status"], truncated=r["truncated"], line_start=r["line_start"],
            line_end=r["line_end"], order=rank[r["article_id"]] * _RANK + (r["line_start"] or 0),
            native_id=r["source_id"] is not None))
        path_of.setdefault(sid, r["source_path"])
    meta = parts.filter(pl.col("url").is_not_null()).head(1)
    meta = meta if meta.height else parts.head(1)
    meta_id = meta.item(0, "article_id")
    first_path = parts.item(0, "source_path")

    linked_diags: list[Diagnostic] = []
    linked, idmap = link(first, records, first_path, ReadReport(), linked_diags)
    sid_of = {cid: sid for sid, cid in idmap.items()}
    by_id = {r.source_id: r for r in records}
    diags: list[Diagnostic] = []
    for row in linked:
        sid = sid_of[row["comment_id"]]
        row["source_path"] = path_of.get(sid, first_path)
        if row["orphan"]:
            rec = by_id[sid]
            diags.append(Diagnostic(
                "warning", "orphan", row["source_path"], row["line_start"],
                f"comment {sid!r} replies to {rec.parent!r}, which is in none of the {len(group)} files holding "
                f"this thread; kept at the top, flagged orphan"))
    for d in linked_diags:
        if d.code != "orphan":  # a duplicate id or a loop across files: reported against the thread's first file
            diags.append(Diagnostic(d.level, d.code, first_path, None, d.message + " (thread joined across files)",
                                    d.hint))
    found = sum(1 for row in linked if not row["orphan"] and row["parent_id"] is not None) - int(
        rows.get_column("parent_id").is_not_null().sum())
    files = parts.get_column("source_path").to_list()
    diags.insert(0, Diagnostic(
        "note", "joined-thread", first_path, None,
        f"thread {first!r} has comments in {len(files)} files ({', '.join(files)}); linked as one article "
        f"of {len(linked):,} comments ({found:,} {'reply' if found == 1 else 'replies'} found "
        f"{'its' if found == 1 else 'their'} parent in another file)"))

    comments_out = schema.frame(schema.COMMENTS, {n: [r[n] for r in linked] for n in schema.COMMENTS.names})
    comments_out = comments_out.select(comments.names()).cast(comments)
    art = meta.with_columns(
        pl.lit(first).alias("article_id"), pl.lit(len(linked), dtype=pl.Int64).alias("n_comments"),
        (pl.col("truncated") | pl.lit(bool(parts.get_column("truncated").any() or comments_out.get_column(
            "truncated").any()))).alias("truncated")).cast(articles)
    paras = by_article["paragraphs"].get(meta_id, pl.DataFrame(schema=paragraphs)).with_columns(
        pl.lit(first).alias("article_id"),
        (pl.lit(first) + pl.col("paragraph_id").str.slice(len(meta_id))).alias("paragraph_id"))
    return art.select(articles.names()), paras.select(paragraphs.names()), comments_out, diags

