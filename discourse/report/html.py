"""``index.html``: the whole report as one self-contained page — inline CSS and SVG, no network, no fonts
to fetch — readable with JavaScript off.

Everything that comes from the input (titles, authors, comment text, ids, lexicon labels) is escaped with
``html.escape(..., quote=True)``, in text and in attributes alike. No URL is built from the input: article
addresses are shown as text, and the page's only links point to its own sections and files. A
Content-Security-Policy allows no script but the page's own (by hash), as a second line of defence. The
optional script only adds "expand all" and "collapse all" buttons.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

import polars as pl

from discourse.model import Tree, frame
from discourse.model import rows as count_rows
from discourse.report import tables as T
from discourse.report.display import SHOWN_ROWS, Cell, DisplayTable
from discourse.report.palettes import DIVERGING, NO_SCORE, score_color

if TYPE_CHECKING:
    from discourse.model import Analysis
    from discourse.report.tables import ReportTables
    from discourse.report.texts import TextsAside


def e(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return escape("" if value is None else str(value), quote=True)


@dataclass(frozen=True)
class FigureOut:
    """A drawn figure as the page shows it."""

    name: str
    number: int
    title: str
    caption: str
    svg: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class Skipped:
    name: str
    title: str
    reason: str


# ---- pieces -----------------------------------------------------------------------------------------------

DASH = "\u2013"


def fmt_score(x: float | None) -> str:
    return "\u2013" if x is None else f"{x:+.2f}".replace("-", "\u2212")


def _mix(hex_color: str, weight: float) -> str:
    """``hex_color`` mixed with white: ``weight`` 1 is the colour, 0 white."""
    rgb = [int(hex_color[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * weight):02x}" for c in rgb)


def _ink(hex_color: str) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return "#fff" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45 else "#111"


def chip(x: float | None) -> str:
    """A score as a small label coloured on the report's diverging scale."""
    color = score_color(x)
    return f'<span class="chip" style="background:{color};color:{_ink(color)}">{e(fmt_score(x))}</span>'


def table_html(table: DisplayTable, *, files: Sequence[str] = (), table_id: str | None = None) -> str:
    head = "".join(f"<th scope=\"col\">{e(h)}</th>" for h in table.header)
    body = []
    for row in table.rows:
        cells = []
        for c in row:
            cells.append(_cell_html(c))
        body.append("<tr>" + "".join(cells) + "</tr>")
    notes = "".join(f"<p class=\"tnote\">{e(n)}</p>" for n in table.notes)
    links = (" <span class=\"files\">" + " \u00b7 ".join(f'<a href="{e(f)}">{e(f.rsplit(".", 1)[-1].upper())}</a>'
                                                         for f in files) + "</span>") if files else ""
    tid = f' id="{e(table_id)}"' if table_id else ""
    return (f'<div class="table"{tid}><p class="tcap"><strong>{e(table.title)}.</strong> {e(table.caption)}{links}</p>'
            f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
            f"{notes}</div>")


def _cell_html(c: Cell) -> str:
    text = c.text.replace("-", "\u2212") if c.number else c.text
    detail = f' <span class="ci">{e(c.detail.replace("-", chr(0x2212)))}</span>' if c.detail else ""
    if c.score is not None:
        color = score_color(c.score)
        return (f'<td class="num"><span class="chip" style="background:{color};color:{_ink(color)}">{e(text)}</span>'
                f"{detail}</td>")
    return f'<td class="num">{e(text)}{detail}</td>' if c.number else f"<td>{e(text)}</td>"


_ID = re.compile(r'\bid="([^"]+)"')


def inline_svg(svg: str, prefix: str, label: str) -> str:
    """A matplotlib SVG file as markup to inline in the page: no XML prolog, no comments, every id prefixed
    so that figures on one page cannot clash, and an accessible name."""
    svg = re.sub(r"<\?xml[^>]*\?>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    svg = re.sub(r"<!--.*?-->\s*", "", svg, flags=re.DOTALL)
    ids = set(_ID.findall(svg))
    if ids:
        alternatives = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
        svg = re.sub(rf'\bid="({alternatives})"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
        svg = re.sub(rf'#({alternatives})(?=[")])', lambda m: f"#{prefix}-{m.group(1)}", svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{e(label)}" ', 1).strip()


# ---- comment text with highlights -------------------------------------------------------------------------

@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    cls: str
    note: str


def highlight(text: str, hits: Iterable[Hit]) -> str:
    """``text`` escaped, with every hit wrapped in ``<mark>``; overlapping hits split the text into
    segments that carry all the classes and notes covering them."""
    hits = sorted((h for h in hits if 0 <= h.start < h.end <= len(text)), key=lambda h: (h.start, h.end, h.cls))
    if not hits:
        return e(text)
    bounds = sorted({0, len(text), *[h.start for h in hits], *[h.end for h in hits]})
    out = []
    for a, b in zip(bounds, bounds[1:]):
        piece = e(text[a:b])
        cover = [h for h in hits if h.start <= a and b <= h.end]
        if not cover:
            out.append(piece)
            continue
        classes = sorted({h.cls for h in cover})
        notes = "; ".join(dict.fromkeys(h.note for h in cover))
        out.append(f'<mark class="{" ".join(classes)}" title="{e(notes)}">{piece}</mark>')
    return "".join(out)


def _evidence(analysis: Analysis, kind: str = "comment",
              units: pl.Series | None = None) -> tuple[dict[str, list[Hit]], dict[str, list[tuple]]]:
    """Topic and actor hits of the units of ``kind`` (comments, or article paragraphs): the marks for
    :func:`highlight` and the rows of the evidence tables, by unit id; ``units`` limits them to some units
    (default: the comments shown)."""
    topic_label = {t.name: t.label for t in analysis.lexicon.topics}
    actor_label = {a.name: a.label for a in analysis.lexicon.actors}
    hits: dict[str, list[Hit]] = {}
    rows: dict[str, list[tuple]] = {}
    units = analysis.comments.get_column("comment_id") if units is None else units
    shown = pl.col("unit_id").is_in(units.implode())
    tags = frame(analysis.tags.filter((pl.col("kind") == kind) & shown))
    for r in tags.iter_rows(named=True):
        label = topic_label.get(r["topic"], r["topic"])
        neg = not r["counted"]
        why = (f"negated by \u201c{r['negator']}\u201d" if r["negated"] else r["rule"]) if neg else r["rule"]
        note = f"topic: {label} (entry {r['entry']})" + (f", {why}" if why else "")
        hits.setdefault(r["unit_id"], []).append(Hit(r["start"], r["end"], "neg" if neg else "topic", note))
        rows.setdefault(r["unit_id"], []).append(
            (r["start"], "topic", label, r["entry"], r["matched"],
             ("yes (" + (r["negator"] or "") + ")") if r["negated"] else f"yes ({r['rule']})" if neg else "no"))
    for r in frame(analysis.mentions.filter((pl.col("kind") == kind) & shown)).iter_rows(named=True):
        label = actor_label.get(r["actor"], r["actor"])
        hits.setdefault(r["unit_id"], []).append(Hit(r["start"], r["end"], "actor", f"actor: {label}"))
        rows.setdefault(r["unit_id"], []).append((r["start"], "actor", label, "\u2013", r["surface"], "\u2013"))
    return hits, {k: sorted(v, key=lambda t: (t[0], t[1], t[2])) for k, v in rows.items()}


def _comment_block(r: dict, key: str, hits: list[Hit], evidence: list[tuple], topic_label: dict) -> str:
    score = r["sent_score"]
    color = score_color(score)
    n = r["sent_n"] or 0
    quoted = r["sent_n_quoted"] or 0
    share = f"{100 * quoted / n:.0f}% ({quoted} of {n} sentences)" if n else "\u2013"
    tip = (f"score (sentence mean) {fmt_score(score)} \u00b7 whole-text compound {fmt_score(r['sent_compound'])} "
           f"\u00b7 {n} sentence{'s' if n != 1 else ''} \u00b7 quoted {share}")
    local = r["comment_id"]
    flags = []
    if r["status"] != "visible":
        flags.append(r["status"])
    for f in ("orphan", "truncated"):
        if r[f]:
            flags.append(f)
    flag_html = "".join(f' <span class="flag">{e(f)}</span>' for f in flags)
    body = (f'<div class="txt">{highlight(r["text"], hits)}</div>' if not r["text_missing"]
            else '<div class="txt empty">(no text)</div>')
    topics = ", ".join(topic_label.get(t, t) for t in r["topic_tags"] or ()) or "\u2013"
    dl = (f"<dl><dt>Score (mean of sentence compounds)</dt><dd>{e(fmt_score(score))}</dd>"
          f"<dt>Whole-text compound</dt><dd>{e(fmt_score(r['sent_compound']))}</dd>"
          f"<dt>Sentences</dt><dd>{n}</dd><dt>Quoted share</dt><dd>{e(share)}</dd>"
          f"<dt>Label</dt><dd>{e(r['sent_label'] or DASH)}</dd><dt>Topics</dt><dd>{e(topics)}</dd>"
          + (f"<dt>Parent's score</dt><dd>{e(fmt_score(r['thread_parent_score']))} (change "
             f"{e(fmt_score(r['thread_delta']))})</dd>" if r["parent_id"] else "") + "</dl>")
    if evidence:
        ev = "".join(f"<tr><td>{e(k)}</td><td>{e(lab)}</td><td><code>{e(entry)}</code></td><td>{e(m)}</td>"
                     f"<td>{e(neg)}</td></tr>" for _, k, lab, entry, m, neg in evidence)
        ev = ("<table class=\"ev\"><thead><tr><th>kind</th><th>topic or actor</th><th>entry</th><th>matched</th>"
              f"<th>not counted</th></tr></thead><tbody>{ev}</tbody></table>")
    else:
        ev = "<p class=\"tnote\">No topic or actor hit.</p>"
    background = _mix(color, 0.22) if score is not None else "#f4f4f4"
    return (f'<div class="c" id="{key}" style="border-left-color:{color};background:{background}" '
            f'title="{e(tip)}"><div class="head"><span class="who">{e(r["author"] or "(no name)")}</span> '
            f'<span class="cid">{e(local)}</span> {chip(score)}{flag_html}</div>{body}'
            f'<details class="more"><summary>scores and evidence</summary>{dl}{ev}</details></div>')


#: a corpus with more comments than this shows only its largest threads in the browser, about
#: BROWSER_SHOWN comments in all (at least one thread)
BROWSER_COMMENTS = 2_000
BROWSER_SHOWN = 1_000


def browser_view(analysis: Analysis, texts: TextsAside | None = None) -> tuple[Analysis, str]:
    """The comments the thread browser shows, and a note saying what was left out: all of them up to
    :data:`BROWSER_COMMENTS`, else the largest threads (a top-level comment and its replies) until about
    :data:`BROWSER_SHOWN` comments. With ``texts`` (the comments' texts on disk,
    :mod:`discourse.report.texts`) the comments shown get theirs back."""
    from dataclasses import replace

    from discourse.scoring.dynamics import levels

    comments = analysis.comments
    if comments.height <= BROWSER_COMMENTS:
        if texts is not None:
            every = pl.int_range(comments.height, eager=True)
            analysis = replace(analysis, comments=texts.restore("comments", comments, every))
        return analysis, ""
    roots = levels(comments).get_column("root_id")
    sizes = (pl.DataFrame({"root_id": roots}).group_by("root_id", maintain_order=True).agg(pl.len().alias("size"))
             .sort("size", descending=True, maintain_order=True))  # largest first; ties in display order
    total = sizes.get_column("size").cum_sum()
    chosen = sizes.filter((total - pl.col("size")) < BROWSER_SHOWN).get_column("root_id")
    keep = roots.is_in(chosen.implode())
    shown = comments.filter(keep)
    view = replace(analysis, comments=shown if texts is None else texts.restore("comments", shown, keep.arg_true()))
    n_threads = sizes.height
    note = (f"The corpus has {comments.height:,} comments in {n_threads:,} threads; the browser shows the "
            f"{chosen.len():,} largest threads ({view.comments.height:,} comments). Every comment, with its "
            "scores, sentences and evidence, is in the tables of <code>discourse export</code> (comments, "
            'sentences, tags, mentions); aggregates are in <a href="tables/articles.csv">tables/articles.csv</a> '
            'and <a href="tables/speakers.csv">tables/speakers.csv</a>.')
    return view, note


def thread_browser(analysis: Analysis, texts: TextsAside | None = None) -> str:
    """Every article's text and comments: the text paragraph by paragraph (own voice and quotations told
    apart, topic and actor hits marked; at most :data:`BROWSER_TEXTS` articles), the comments as nested
    lists (``<ul>`` in ``<details>``), each comment tinted by its score, its topic and actor hits marked,
    its scores and evidence one click away (in a large corpus,
    only the largest threads: :func:`browser_view`). ``texts``: the comments' and paragraphs' texts on disk
    (:mod:`discourse.report.texts`), read back for what the browser shows."""
    analysis, note = browser_view(analysis, texts)
    head = f'<p class="note">{note}</p>' if note else ""
    return head + _thread_browser(analysis, texts)


#: articles whose text the browser shows at most (those with most comments, then most paragraphs)
BROWSER_TEXTS = 40


def _text_articles(analysis: Analysis) -> set[str]:
    a = analysis.articles
    if a.height <= BROWSER_TEXTS:
        return set(a.get_column("article_id").to_list())
    return set(a.with_row_index("_order").sort(["n_comments", "n_paragraphs", "_order"], descending=[True, True, False])
               .head(BROWSER_TEXTS).get_column("article_id").to_list())


def _article_text(aid: str, paragraphs: pl.DataFrame, sentences: dict[str, list[dict]],
                  hits: dict[str, list[Hit]], key: int) -> str:
    """One article's text, paragraph by paragraph: each sentence marked as the author's own voice or as
    quoted (with its compound on hover), topic and actor hits marked as in the comments; captions shown
    apart, as they are not article text."""
    body = paragraphs.filter(pl.col("role") == "body")
    sent = [x for pid in body.get_column("paragraph_id") for x in sentences.get(pid, [])]
    quoted = sum(1 for x in sent if x["voice"] == "quoted")
    parts = [f'<details class="atext" id="t{key}"><summary>Article text: {body.height} paragraph'
             f'{"s" if body.height != 1 else ""}, {len(sent)} sentences ({len(sent) - quoted} own voice, '
             f'{quoted} quoted)</summary>']
    for r in paragraphs.iter_rows(named=True):
        pid, text = r["paragraph_id"], r["text"] or ""
        local = pid.split("/", 1)[1] if "/" in pid else pid
        if r["role"] != "body":
            parts.append(f'<div class="para cap"><span class="cid">{e(local)}</span> <span class="flag">'
                         f'{e(r["role"])}: not article text</span><div class="txt">{e(text)}</div></div>')
            continue
        marks = list(hits.get(pid, []))
        for x in sentences.get(pid, []):
            who = f" ({x['speaker']})" if x.get("speaker") else ""
            voice = "quoted" + who if x["voice"] == "quoted" else "own voice"
            marks.append(Hit(x["start"], x["end"], "q" if x["voice"] == "quoted" else "own",
                             f"{voice}, compound {fmt_score(x['compound'])}"))
        score = r["sent_score"]
        color = score_color(score)
        parts.append(f'<div class="para" style="border-left-color:{color}"><span class="cid">{e(local)}</span> '
                     f'{chip(score)}<div class="txt">{highlight(text, marks)}</div></div>')
    parts.append("</details>")
    return "".join(parts)


def _thread_browser(analysis: Analysis, texts: TextsAside | None = None) -> str:
    hits, evidence = _evidence(analysis)
    topic_label = {t.name: t.label for t in analysis.lexicon.topics}
    order = T.article_order(analysis.articles)
    by_article = {k[0]: g for k, g in analysis.comments.group_by("article_id", maintain_order=True)}
    with_text = _text_articles(analysis)
    articles = pl.Series(list(with_text), dtype=pl.String)
    in_browser = analysis.paragraphs.get_column("article_id").is_in(articles.implode())
    paras = analysis.paragraphs.filter(in_browser)
    if texts is not None:
        paras = texts.restore("paragraphs", paras, in_browser.arg_true())
    para_by = {k[0]: g for k, g in paras.group_by("article_id", maintain_order=True)}
    text_hits, _ = _evidence(analysis, "article", paras.get_column("paragraph_id"))
    sentences: dict[str, list[dict]] = {}
    for x in (frame(analysis.sentences.filter(pl.col("kind") == "article")
                    .select("unit_id", "start", "end", "voice", "speaker", "compound"))
              .filter(pl.col("unit_id").is_in(paras.get_column("paragraph_id").implode())).iter_rows(named=True)):
        sentences.setdefault(x["unit_id"], []).append(x)
    out = []
    without = []
    ckey = 0
    for a_index, a in enumerate(order.iter_rows(named=True)):
        aid = a["article_id"]
        comments = by_article.get(aid)
        if (comments is None or comments.height == 0) and aid not in para_by:
            without.append(aid)
            continue
        meta = " \u00b7 ".join(x for x in (a["outlet"], a["date_label"], a["url"]) if x)
        head = (f'<details class="article" open id="a{a_index}"><summary><span class="aid">{e(aid)}</span> '
                f'{e(a["title"])} <span class="count">({0 if comments is None else comments.height} comment'
                f'{"s" if comments is None or comments.height != 1 else ""})</span></summary>'
                f'<p class="meta">{e(meta)}</p>'
                + (_article_text(aid, para_by[aid], sentences, text_hits, a_index) if aid in para_by else ""))
        if comments is None or comments.height == 0:
            out.append(head + '<p class="tnote">No comments.</p></details>')
            continue
        rows = {r["comment_id"]: r for r in comments.iter_rows(named=True)}
        tree = Tree.from_frame(comments)  # a reply whose parent is missing is shown at the top
        parts = [head + '<ul class="tree">']
        stack: list[tuple[str, str]] = [("node", c) for c in reversed(tree.roots)]
        seen: set[str] = set()
        while stack:
            kind, value = stack.pop()
            if kind == "html":
                parts.append(value)
                continue
            if value in seen:
                continue
            seen.add(value)
            ckey += 1
            r = rows[value]
            parts.append("<li>" + _comment_block(r, f"c{ckey}", hits.get(value, []), evidence.get(value, []),
                                                 topic_label))
            kids = tree.children(value)
            if kids:
                parts.append(f'<details open class="replies"><summary>{len(kids)} repl{"ies" if len(kids) != 1 else "y"}'
                             '</summary><ul>')
                stack.append(("html", "</ul></details></li>"))
                stack.extend(("node", k) for k in reversed(kids))
            else:
                parts.append("</li>")
        parts.append("</ul></details>")
        out.append("".join(parts))
    if not out:
        return '<p class="note">The corpus has no article text and no comments.</p>'
    note = (f'<p class="tnote">Not shown (no comments shown, text beyond the {BROWSER_TEXTS} articles with most '
            f'comments): {e(", ".join(without))}.</p>' if without else "")
    return "".join(out) + note


def _legend() -> str:
    stops = ", ".join(f"{c} {100 * k / (len(DIVERGING) - 1):.0f}%" for k, c in enumerate(DIVERGING))
    return ('<div class="legend"><span>Comment score</span> <span class="scale">\u22121</span>'
            f'<span class="bar" style="background:linear-gradient(to right, {stops})"></span>'
            f'<span class="scale">+1</span> <span class="chip" style="background:{NO_SCORE};color:#111">no text</span>'
            ' \u00b7 highlights: <mark class="topic">topic</mark> '
            '<mark class="neg">topic hit not counted (negated or set aside by a rule)</mark> '
            '<mark class="actor">actor</mark> \u00b7 <span>article text: own voice, <mark class="q">quoted</mark>, each '
            'paragraph edged by its score</span> \u00b7 hover a comment or sentence for its scores, open '
            '\u201cscores and evidence\u201d for the lexicon hits</div>')


# ---- the page ---------------------------------------------------------------------------------------------

SCRIPT = ("document.querySelectorAll('button[data-open]').forEach(function (b) {"
          " b.hidden = false;"
          " b.addEventListener('click', function () {"
          " var open = b.getAttribute('data-open') === '1';"
          " document.querySelectorAll('#threads details').forEach(function (d) { d.open = open; }); }); });")

CSS = """
:root{--ink:#1b1b1b;--muted:#5f5f5f;--rule:#d9d9d9}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);
margin:0 auto;max-width:1180px;padding:1.5rem 1.25rem 4rem;background:#fff}
h1{font-size:1.6rem;margin:.2rem 0 .4rem}h2{font-size:1.25rem;margin:2.2rem 0 .6rem;border-bottom:1px solid var(--rule);
padding-bottom:.2rem}h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3rem 1.1rem;margin:.4rem 0}
a{color:#0b5fa5}
.lead{color:var(--muted);margin:.2rem 0}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:.86rem;margin:.3rem 0}
th,td{padding:.22rem .5rem;border-bottom:1px solid #ececec;text-align:left;vertical-align:top}
thead th{border-bottom:1.5px solid #888;white-space:nowrap}
#t-articles td:nth-child(2){white-space:nowrap}
#t-articles td:nth-child(3){min-width:13em}
#t-articles table{font-size:.8rem}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.tcap{margin:.8rem 0 .2rem}.tnote{color:var(--muted);font-size:.82rem;margin:.2rem 0}
.files{font-size:.82rem;white-space:nowrap}
.ci{color:var(--muted);font-size:.8rem}
figure{margin:1.4rem 0 2rem}
figure svg{width:min(100%,640px);height:auto;display:block}
figcaption{max-width:720px;font-size:.9rem;color:#333;margin-top:.4rem}
.note{background:#fff8e1;border-left:4px solid #E69F00;padding:.5rem .8rem;margin:.6rem 0}
.chip{display:inline-block;min-width:3.2em;text-align:center;border-radius:3px;padding:0 .3em;
font-variant-numeric:tabular-nums;font-size:.85em}
.legend{font-size:.86rem;margin:.4rem 0 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.35rem}
.legend .bar{display:inline-block;width:160px;height:.8rem;border:1px solid #bbb}
details.article{border:1px solid var(--rule);border-radius:4px;padding:.4rem .8rem;margin:.8rem 0}
details.article>summary{font-weight:600;cursor:pointer}
.aid,.cid{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em;color:var(--muted)}
.count{font-weight:400;color:var(--muted)}
.meta{color:var(--muted);font-size:.82rem;margin:.2rem 0 .5rem;word-break:break-all}
ul.tree,ul.tree ul{list-style:none;margin:0;padding-left:0}
ul.tree ul{padding-left:1.4rem;border-left:1px dashed #bbb;margin-left:.6rem}
details.replies>summary{font-size:.8rem;color:var(--muted);cursor:pointer;margin:.1rem 0 .2rem .6rem}
.c{border-left:6px solid #ccc;padding:.35rem .6rem;margin:.45rem 0;border-radius:0 4px 4px 0}
.c .head{font-size:.9rem}.who{font-weight:600}
.flag{font-size:.75rem;background:#eee;border-radius:3px;padding:0 .3em;color:#444}
.txt{white-space:pre-wrap;overflow-wrap:anywhere;margin:.2rem 0}
.txt.empty{color:var(--muted);font-style:italic}
mark{background:none;color:inherit;padding:0 .05em}
mark.own{padding:0}
mark.q{color:#7a1f5c;background:rgba(204,121,167,.13);font-style:italic;padding:0}
mark.topic{background:#ffe28a;border-bottom:2px solid #b8860b}
mark.actor{border-bottom:2px solid #0072B2;background:rgba(86,180,233,.18)}
mark.neg{background:#eee;text-decoration:line-through;text-decoration-color:#D55E00;border-bottom:2px dotted #D55E00}
mark.actor.topic{background:#ffe28a;border-bottom:2px solid #0072B2}
details.atext{margin:.2rem 0 .6rem}details.atext>summary{font-size:.85rem;cursor:pointer;color:#333}
.para{border-left:4px solid #ccc;padding:.1rem .6rem;margin:.35rem 0}.para.cap{border-left-color:#eee;color:var(--muted)}
details.more>summary{font-size:.78rem;color:var(--muted);cursor:pointer}
details.more dl{display:grid;grid-template-columns:max-content 1fr;gap:.05rem .8rem;font-size:.82rem;margin:.3rem 0}
details.more dt{color:var(--muted)}details.more dd{margin:0}
table.ev{font-size:.78rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
pre{background:#f6f6f6;padding:.6rem;overflow-x:auto;font-size:.8rem}
button{font:inherit;font-size:.85rem;margin-right:.4rem}
"""


def _script_hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def overview(analysis: Analysis) -> str:
    """One line on the corpus: articles, their dates, comments and speakers (the report's lead)."""
    a = analysis.articles
    dates = a.get_column("published").drop_nulls()
    span = f"{dates.min()!s} to {dates.max()!s}" if dates.len() else "no dates"
    with_c = a.filter(pl.col("n_comments") > 0).height
    outlets = a.get_column("outlet").drop_nulls().unique(maintain_order=True)
    unknown = a.get_column("outlet").null_count()
    from_ = (f" from {outlets.len()} outlet{'s' if outlets.len() != 1 else ''}"
             + (f" and {unknown} of unknown outlet" if unknown else "") if outlets.len() else "")
    return (f"{a.height} article{'s' if a.height != 1 else ''}{from_} ({span}), {analysis.comments.height} comment"
            f"{'s' if analysis.comments.height != 1 else ''} under {with_c} of them, "
            f"{count_rows(analysis.sentences):,} sentences scored")


def _provenance(record: dict) -> str:
    v = record["versions"]
    rows = "".join(f"<tr><td>{e(k)}</td><td><code>{e(val)}</code></td></tr>" for k, val in v.items())
    inputs = "".join(f"<tr><td>{e(i['path'])}</td><td>{e(i['format'])}</td><td>{e(i['status'])}</td>"
                     f"<td><code>{e(i['sha256'])}</code></td></tr>" for i in record["inputs"][:SHOWN_ROWS])
    if len(record["inputs"]) > SHOWN_ROWS:
        inputs += (f'<tr><td colspan="4">\u2026 the first {SHOWN_ROWS:,} of {len(record["inputs"]):,} inputs; all of '
                   "them are in provenance.json</td></tr>")
    lex = record["lexicon"]
    command = " ".join(record["command"]) if record["command"] else "(built from Python)"
    when = record["timestamp"] or "none"
    return ("<h3>Software</h3><table><tbody>" + rows + "</tbody></table>"
            f"<h3>Lexicon</h3><p>{e(lex['name'])} ({lex['topics']} topics, {lex['actors']} actors), "
            f"SHA-256 <code>{e(lex['sha256'])}</code></p>"
            "<h3>Inputs</h3><div class=\"scroll\"><table><thead><tr><th>file</th><th>format</th><th>status</th>"
            f"<th>SHA-256</th></tr></thead><tbody>{inputs}</tbody></table></div>"
            f"<h3>Run</h3><p>Command: <code>{e(command)}</code><br>Timestamp: {e(when)} "
            f"({e(record['timestamp_source'])})</p>"
            f"<pre>{e(json.dumps(record['settings'], indent=1, ensure_ascii=False))}</pre>"
            '<p class="tnote">The same record is in <a href="provenance.json">provenance.json</a>.</p>')


def _diagnostics(analysis: Analysis) -> str:
    d = analysis.diagnostics
    if d.height == 0:
        return "<p>Reading reported no problems.</p>"
    rows = "".join(f"<tr><td>{e(r['level'])}</td><td>{e(r['path'])}{e(':' + str(r['line']) if r['line'] is not None else '')}"
                   f"</td><td>{e(r['message'])}</td><td>{e(r['hint'])}</td></tr>" for r in d.head(SHOWN_ROWS).iter_rows(named=True))
    if d.height > SHOWN_ROWS:
        rows += (f'<tr><td colspan="4">\u2026 the first {SHOWN_ROWS:,} of {d.height:,}; all of them: '
                 "<code>discourse parse --json</code> or the diagnostics table of <code>discourse export</code></td></tr>")
    return ("<div class=\"scroll\"><table><thead><tr><th>level</th><th>where</th><th>what</th><th>what to do</th>"
            f"</tr></thead><tbody>{rows}</tbody></table></div>")


#: the error-aware tables (discourse.report.measured), shown when the report is given labels
MEASURED = ("measured_quality", "corrected_topics", "corrected_sentiment")


def page(analysis: Analysis, tables: ReportTables, display: dict[str, DisplayTable], figures: list[FigureOut],
         skipped: list[Skipped], record: dict, notes: list[str], table_files: dict[str, list[str]],
         texts: TextsAside | None = None) -> str:
    """The complete ``index.html``; ``texts``: the texts the thread browser reads back from disk, when the
    analysis is without them (:mod:`discourse.report.texts`)."""
    csp = (f"default-src 'none'; style-src 'unsafe-inline'; script-src '{_script_hash(SCRIPT)}'; "
           "base-uri 'none'; form-action 'none'")
    figs = []
    for f in figures:
        links = " \u00b7 ".join(f'<a href="{e(p)}">{e(p.rsplit(".", 1)[-1].upper())}</a>' for p in f.files)
        figs.append(f'<figure id="fig-{e(f.name)}">{f.svg}<figcaption><strong>Figure {f.number}. {e(f.title)}.'
                    f"</strong> {e(f.caption)} <span class=\"files\">{links}</span></figcaption></figure>")
    for s in skipped:
        figs.append(f'<p class="note" id="fig-{e(s.name)}"><strong>{e(s.title)}</strong> is not drawn: {e(s.reason)}.</p>')
    note_html = "".join(f'<p class="note">{e(n)}</p>' for n in notes)
    sections = [
        ("overview", "Corpus overview", note_html + table_html(display["articles"], files=table_files["articles"],
                                                               table_id="t-articles")),
        ("figures", "Figures", "".join(figs)),
        ("tables", "Topics and actors", table_html(display["topics"], files=table_files["topics"])
         + table_html(display["actors"], files=table_files["actors"])),
        *([("measured", "Measured quality and corrected shares",
            "".join(table_html(display[n], files=table_files[n]) for n in MEASURED))]
          if all(n in display for n in MEASURED) else []),
        ("threads", "Thread browser",
         '<p><button type="button" data-open="1" hidden>expand all</button>'
         '<button type="button" data-open="0" hidden>collapse all</button></p>'
         + _legend() + thread_browser(analysis, texts)),
        ("speakers", "Speakers", table_html(display["speakers"], files=table_files["speakers"])),
        ("reading", "What reading reported", _diagnostics(analysis)),
        ("provenance", "Provenance", _provenance(record)),
    ]
    nav = "".join(f'<li><a href="#{sid}">{e(title)}</a></li>' for sid, title, _ in sections)
    body = "".join(f'<section id="{sid}"><h2>{e(title)}</h2>{content}</section>' for sid, title, content in sections)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{e(csp)}">'
            '<meta name="referrer" content="no-referrer">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>discourse report</title><style>{CSS}</style></head><body>"
            f"<header><h1>discourse report</h1><p class=\"lead\">{e(overview(analysis))}.</p>"
            f"<nav><ul>{nav}</ul></nav></header><main>{body}</main>"
            f"<script>{SCRIPT}</script></body></html>\n")
