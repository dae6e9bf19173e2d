"""Plain-text views of a corpus for the terminal: the parse summary and an article's reply tree."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import polars as pl

from discourse.model import Corpus


def corpus_summary(corpus: Corpus) -> str:
    """Articles, comments (top level and replies), deepest thread and diagnostics, as aligned text."""
    c = corpus.comments
    top = c.filter(pl.col("depth") == 0).height
    deepest = int(c.get_column("depth").max()) if c.height else None  # type: ignore[arg-type]
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
    w = max([12, *(len(a) + 1 for a in corpus.articles.get_column("article_id").to_list())])
    lines.append(f"{'article':<{w}} {'published':<11} {'comments':>8}  title")
    for a in corpus.articles.iter_rows(named=True):
        date = a["published"].isoformat() if a["published"] else "-"
        if a["published"] and a["date_estimated"]:
            date += "~"
        lines.append(f"{a['article_id']:<{w}} {date:<11} {a['n_comments']:>8}  {a['title']}")
    if corpus.articles.filter(pl.col("date_estimated")).height:
        lines.append("(~ estimated date)")
    return "\n".join(lines)


def _snippet(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(width - 1, 0)].rstrip() + "…"


#: levels of a reply tree drawn with their own indentation; deeper lines are drawn at this indentation with
#: their depth written out, so a line's width does not grow with the depth of the thread
TREE_INDENT_LEVELS = 50


def render_tree(corpus: Corpus, article_id: str, *, width: int = 60) -> str:
    """One line per comment, indented by depth: id, author and the first words.

    Replies deeper than ``TREE_INDENT_LEVELS`` are indented as that level and marked ``… +N`` (N more
    levels). The tree is walked with a loop, however deep the thread.

    >>> print(render_tree(corpus, "002"))   # doctest: +SKIP
    002  What Does the Putin-Aliyev Embrace Mean for Artsakh?  (12 comments)
    ├─ 1  Tavit: Again, the Russians will backstab Armenians. ...
    """
    art = corpus.articles.filter(pl.col("article_id") == article_id).row(0, named=True)
    rows = corpus.comments.filter(pl.col("article_id") == article_id).select(
        "comment_id", "parent_id", "author", "text", "text_missing", "status", "orphan", "truncated").rows(named=True)
    out = [f"{article_id}  {art['title']}  ({len(rows)} comments)"]
    tree = corpus.tree(article_id)
    by_id = {r["comment_id"]: r for r in rows}

    def kids(parent: str | None) -> Iterator[tuple[dict[str, Any], bool]]:
        ids = tree.roots if parent is None else tree.children(parent)
        return ((by_id[c], k == len(ids) - 1) for k, c in enumerate(ids))

    marks: list[str] = []  # the indentation each open level adds: "│  " or, under a last child, "   "
    stack = [kids(None)]
    while stack:
        step = next(stack[-1], None)
        if step is None:
            stack.pop()
            if marks:
                marks.pop()
            continue
        r, last = step
        depth = len(marks)
        prefix = "".join(marks[:TREE_INDENT_LEVELS])
        if depth > TREE_INDENT_LEVELS:
            prefix += f"… +{depth - TREE_INDENT_LEVELS} "
        local = r["comment_id"].split("/", 1)[1]
        text = "(no text)" if r["text_missing"] else _snippet(r["text"], width)
        flags = "".join(f" [{f}]" for f in ("orphan", "truncated") if r[f])
        if r["status"] != "visible":
            flags += f" [{r['status']}]"
        out.append(f"{prefix}{'└─ ' if last else '├─ '}{local}  {r['author'] or '?'}: {text}{flags}")
        marks.append("   " if last else "│  ")
        stack.append(kids(r["comment_id"]))
    if not rows:
        out.append("(no comments)")
    return "\n".join(out)


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:+.4f}"


def render_explanation(exp) -> str:
    """``discourse explain`` output: scores, then each sentence's words and rules, then the evidence."""
    u = exp.unit
    who = f" by {u['author']}" if exp.kind == "comment" else ""
    uid = u["comment_id"] if exp.kind == "comment" else u["paragraph_id"]
    lines = [f"{'comment' if exp.kind == 'comment' else 'paragraph'} {uid}{who} (article {u['article_id']})"
             + (f", showing sentence {exp.unit_id}" if exp.unit_id != uid else "")]
    if u["sent_n"]:
        lines.append(f"score     {_num(u['sent_score'])} {u['sent_label']}  = mean of {u['sent_n']} sentence "
                     f"compounds ({u['sent_n_quoted']} quoted)")
    else:
        lines.append("score     - (no text)")
    lines.append(f"whole     compound {_num(u['sent_compound'])}  pos {u['sent_pos']:.3f}  neu {u['sent_neu']:.3f}  "
                 f"neg {u['sent_neg']:.3f}  (VADER on the whole prepared text)")
    lines.append(f"voices    own {_num(u['sent_own'])}  quoted {_num(u['sent_quoted'])}")
    lines.append(f"topics    {', '.join(u['topic_tags']) or '-'}")
    lines.append(f"actors    {', '.join(u['actor_tags']) or '-'}")
    if exp.prepared != (u["text"] or ""):
        lines.append("prepared  " + exp.prepared.replace("\n", "\n          "))
    for s in exp.sentences:
        t = s.trace
        voice = f"quoted ({s.speaker})" if s.voice == "quoted" and s.speaker else s.voice
        lines += ["", f"sentence {s.sentence_id}  {voice}  compound {_num(t.compound)}  "
                      f"pos {t.pos:.3f} neu {t.neu:.3f} neg {t.neg:.3f}", f"  {s.prepared}"]
        for tok in t.tokens:
            if tok.role != "sentiment" and not tok.steps:
                continue
            steps = "; ".join(f"{st.rule} '{st.trigger}' {st.before:+.3f}->{st.after:+.3f}" for st in tok.steps)
            base = "" if tok.lexicon_valence is None else f"lexicon {tok.lexicon_valence:+.2f}"
            lines.append(f"    {tok.token:<16} {tok.valence:+.3f}  {base}{'  ' + steps if steps else ''}")
        if t.punctuation_emphasis and any(tok.valence for tok in t.tokens):
            lines.append(f"    punctuation emphasis {t.punctuation_emphasis:+.3f} (! and ?)")
    if exp.tags.height or exp.mentions.height:
        lines += ["", "evidence"]
        for r in exp.tags.iter_rows(named=True):
            neg = (f"  NEGATED by '{r['negator']}' (does not tag)" if r["negated"]
                   else f"  NOT COUNTED: {r['rule']}" if not r["counted"]
                   else f"  counted: {r['rule']}" if r["rule"] else "")
            lines.append(f"  topic {r['topic']:<24} {r['entry']:<22} '{r['matched']}' [{r['start']}:{r['end']}] "
                         f"in {r['sentence_id']}{neg}")
        for r in exp.mentions.iter_rows(named=True):
            lines.append(f"  actor {r['actor']:<24} {r['surface']:<22} [{r['start']}:{r['end']}] "
                         f"in {r['sentence_id']}  sentence compound {_num(r['compound'])}")
    return "\n".join(lines)


def render_lexicon_check(lexicon, check, *, show: int = 40) -> str:
    """``discourse lexicon check`` output."""
    n_entries = check.entry_counts.height
    lines = [f"lexicon   {lexicon.name} ({len(lexicon.topics)} topics, {len(lexicon.actors)} actors, "
             f"{n_entries} entries" + (f", {len(lexicon.ignore)} ignored phrases)" if lexicon.ignore else ")"),
             f"units     {check.n_units} comments; {check.n_untagged} with no topic "
             f"({check.share_untagged:.1%})" if check.n_units else "units     0 comments",
             f"unmatched {check.unmatched.height} of {n_entries} entries never match this corpus", ""]
    for r in check.unmatched.head(show).iter_rows(named=True):
        lines.append(f"  {r['kind']:<6} {r['label']:<26} {r['entry']}")
    if check.unmatched.height > show:
        lines.append(f"  ... and {check.unmatched.height - show} more (--show N)")
    lines += ["", f"shared    {check.shared.height} entries appear under more than one topic or actor"]
    for r in check.shared.iter_rows(named=True):
        lines.append(f"  {r['entry']:<26} {', '.join(r['labels'])}")
    return "\n".join(lines)
