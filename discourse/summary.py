"""Plain-text views of a corpus for the terminal: the parse summary and an article's reply tree."""

from __future__ import annotations

import polars as pl

from discourse.model import Corpus


def corpus_summary(corpus: Corpus) -> str:
    """Articles, comments (top level and replies), deepest thread and diagnostics, as aligned text."""
    c = corpus.comments
    top = c.filter(pl.col("depth") == 0).height
    deepest = c.get_column("depth").max() if c.height else None
    lines = [
        f"files        {corpus.files.filter(pl.col('status') == 'read').height} read, "
        f"{corpus.files.filter(pl.col('status') == 'skipped').height} skipped",
        f"articles     {corpus.articles.height}",
        f"comments     {c.height} ({top} top-level, {c.height - top} replies)",
        f"deepest      {'-' if deepest is None else f'depth {deepest}'}",
    ]
    d = corpus.diagnostics
    counts = {lvl: d.filter(pl.col("level") == lvl).height for lvl in ("error", "warning", "note")}
    lines.append(f"diagnostics  {counts['error']} errors, {counts['warning']} warnings, {counts['note']} notes")
    lines.append("")
    lines.append(f"{'article':<12} {'published':<11} {'comments':>8}  title")
    for a in corpus.articles.iter_rows(named=True):
        date = a["published"].isoformat() if a["published"] else "-"
        if a["published"] and a["date_estimated"]:
            date += "~"
        lines.append(f"{a['article_id']:<12} {date:<11} {a['n_comments']:>8}  {a['title']}")
    if corpus.articles.filter(pl.col("date_estimated")).height:
        lines.append("(~ estimated date)")
    return "\n".join(lines)


def _snippet(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(width - 1, 0)].rstrip() + "…"


def render_tree(corpus: Corpus, article_id: str, *, width: int = 60) -> str:
    """One line per comment, indented by depth: id, author and the first words.

    >>> print(render_tree(corpus, "002"))   # doctest: +SKIP
    002  What Does the Putin-Aliyev Embrace Mean for Artsakh?  (12 comments)
    ├─ 1  Tavit: Again, the Russians will backstab Armenians. ...
    """
    art = corpus.articles.filter(pl.col("article_id") == article_id).row(0, named=True)
    rows = corpus.comments.filter(pl.col("article_id") == article_id).select(
        "comment_id", "parent_id", "author", "text", "text_missing", "status", "orphan", "truncated").rows(named=True)
    out = [f"{article_id}  {art['title']}  ({len(rows)} comments)"]
    children: dict[str | None, list[dict]] = {}
    for r in rows:
        children.setdefault(r["parent_id"], []).append(r)

    def walk(parent: str | None, prefix: str) -> None:
        kids = children.get(parent, [])
        for k, r in enumerate(kids):
            last = k == len(kids) - 1
            local = r["comment_id"].split("/", 1)[1]
            text = "(no text)" if r["text_missing"] else _snippet(r["text"], width)
            flags = "".join(f" [{f}]" for f in ("orphan", "truncated") if r[f])
            if r["status"] != "visible":
                flags += f" [{r['status']}]"
            out.append(f"{prefix}{'└─ ' if last else '├─ '}{local}  {r['author'] or '?'}: {text}{flags}")
            walk(r["comment_id"], prefix + ("   " if last else "│  "))

    walk(None, "")
    if not rows:
        out.append("(no comments)")
    return "\n".join(out)
