"""The report's figures, each a function that draws on a matplotlib ``Axes`` it is given.

Every function takes the :class:`~discourse.Analysis` (and options) and ``ax``, draws, and returns ``ax``.
Figures, style, colour bars and file names belong to the caller (the report builds them in
:mod:`discourse.report.figures`). matplotlib is imported only when a function draws, so importing this
module stays cheap; the colours are those of :mod:`discourse.report.palettes`.

>>> from matplotlib.figure import Figure
>>> fig = Figure(figsize=(3.5, 2.4), layout="constrained")
>>> discourse.report.plots.sentiment_shift(analysis, ax=fig.add_subplot())    # doctest: +SKIP
>>> fig.savefig("shift.pdf")                                            # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import polars as pl

from discourse.report import tables as T
from discourse.report.palettes import (
    DIVERGING,
    KIND_LEGEND,
    KIND_STYLE,
    MARKERS,
    NO_SCORE,
    NOT_MENTIONED,
    OKABE_ITO,
    PANEL_TITLES,
    SEQUENTIAL,
    SERIES_LEGEND,
    SERIES_SHORT,
    SERIES_STYLE,
    SMALL_ALPHA,
    SMALL_HATCH,
    score_cmap,
    score_color,
    score_mappable,
    score_norm,
    share_cmap,
    share_color,
    share_mappable,
    text_color,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from discourse.model import Analysis

# ---- helpers ----------------------------------------------------------------------------------------------

def plain(text: str) -> str:
    """Text from the input as matplotlib must receive it: ``$`` escaped, so no text is read as mathtext."""
    return text.replace("$", r"\$")


def clip(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(width - 1, 1)].rstrip() + "\u2026"


def short_label(label: str, *, cut_and: bool = False) -> str:
    """A label short enough for an axis: the part before a comma, slash or bracket (and before " and "
    with ``cut_and``, which suits topic labels such as "War and violence").

    >>> short_label("Sovereignty, status and independence"), short_label("Artsakh / Nagorno-Karabakh")
    ('Sovereignty', 'Artsakh')
    >>> short_label("War and violence", cut_and=True)
    'War'
    """
    for sep in (",", " / ", " (") + ((" and ",) if cut_and else ()):
        label = label.split(sep, 1)[0]
    return label.strip()


def wrap(label: str, width: int = 16) -> str:
    """``label`` on two lines, broken at the space nearest its middle, when longer than ``width``."""
    if len(label) <= width or " " not in label:
        return label
    mid = len(label) / 2
    cut = min((i for i, ch in enumerate(label) if ch == " "), key=lambda i: abs(i - mid))
    return label[:cut] + "\n" + label[cut + 1:]


def topic_labels(analysis: Analysis) -> dict[str, str]:
    """Short topic labels for figures ("War", "Concessions"), by topic name."""
    return {t.name: short_label(t.label, cut_and=True) for t in analysis.lexicon.topics}


def actor_labels(analysis: Analysis) -> dict[str, str]:
    """Actor labels for figures (at most two lines), by actor name."""
    return {a.name: wrap(short_label(a.label)) for a in analysis.lexicon.actors}


def outlet_key(analysis: Analysis) -> str:
    """What the outlet letters in the article tick labels stand for (``Outlets: A = ..., B = ...``), for a
    legend, a caption or ``fig.supxlabel``; empty when the corpus has one outlet."""
    return plain(T.outlet_key(analysis))


Dodged = list[tuple[float, dict]]


def _dodged_series(ax: Axes, rows: list[dict], pos: dict[str, int], offset: float, value: str, color: str,
                   line: tuple[float, float], gid: str) -> tuple[Dodged, Dodged, Dodged] | None:
    """One series' points moved ``offset`` from their article's slot, with the faint line that joins
    neighbouring large points (``line`` is its width and alpha); returns the (x, row) pairs, all of them
    and split into large and small points, or None when the series has no point."""
    pts = [(pos[r["article_id"]] + offset, r) for r in rows]
    if not pts:
        return None
    line_x, line_y = joined([(pos[r["article_id"]], x, r[value], r["small"]) for x, r in pts])
    ax.plot(line_x, line_y, color=color, linewidth=line[0], alpha=line[1], zorder=1, gid=gid)
    return pts, [(x, r) for x, r in pts if not r["small"]], [(x, r) for x, r in pts if r["small"]]


def joined(points: list[tuple[int, float, float, bool]]) -> tuple[list[float], list[float]]:
    """The x and y of a line that joins only neighbouring articles whose points are both large:
    ``points`` are (article slot, x, y, small) in slot order; a small point, or an article without one,
    breaks the line (NaN between the pieces), so no line runs into a point resting on small n."""
    nan = float("nan")
    xs: list[float] = []
    ys: list[float] = []
    for (s0, x0, y0, small0), (s1, x1, y1, small1) in zip(points, points[1:]):
        if small0 or small1 or s1 != s0 + 1:
            continue
        if xs and xs[-1] == x0 and ys[-1] == y0:
            xs.append(x1)
            ys.append(y1)
        else:
            if xs:
                xs.append(nan)
                ys.append(nan)
            xs += [x0, x1]
            ys += [y0, y1]
    return xs, ys


def _font_size() -> float:
    from matplotlib import rcParams

    return float(rcParams["font.size"])


def _number_gids(ax: Axes, panel: str = "") -> Axes:
    """Make the ids of the drawn artists unique (they become element ids in SVG): ``name.k``, or
    ``name.panel.k``. ``name`` stays readable for tests and for styling the SVG."""
    seen: dict[str, int] = {}
    for artist in ax.get_children():
        gid = artist.get_gid()
        if not gid or "." in gid:
            continue
        k = seen.get(gid, 0)
        seen[gid] = k + 1
        artist.set_gid(f"{gid}.{panel}.{k}" if panel else f"{gid}.{k}")
    return ax


def _panel(key: str) -> str:
    import hashlib

    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]


def _empty(ax: Axes, message: str) -> Axes:
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", color="0.35",
            fontsize="small", gid="empty-note")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    return ax


#: month abbreviations for tick labels (not the locale's, so every machine draws the same figure)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: more articles than this get one-line tick labels, turned upright
MANY_ARTICLES = 8


def article_ticks(analysis: Analysis, *, ids: list[str] | None = None, slot_in: float = 1.0,
                  width: int = 12) -> tuple[list[str], list[str]]:
    """Article ids in publication order (or ``ids``, in that order) and their tick labels: the id, its
    outlet's letter in brackets when the corpus has more than one outlet (:func:`outlet_key` spells them
    out), then the date, ``~`` before an estimated one. ``slot_in`` is the room per article in inches; with less room than
    an ISO date takes in the current font (0.7 in at 7 pt) the date takes two lines (``23 Oct`` / ``2020``)."""
    order = T.article_order(analysis.articles)
    all_ids = order.get_column("article_id").to_list()
    ids = all_ids if ids is None else ids
    many = len(ids) > MANY_ARTICLES
    info = {aid: (d, est) for aid, d, est in order.select("article_id", "published", "date_estimated").iter_rows()}
    codes = T.outlets(analysis)
    outlet_of = dict(order.select("article_id", "outlet").iter_rows())
    labels = []
    for aid in ids:
        d, est = info[aid]
        name = plain(clip(aid, width)) + (f" ({codes[outlet_of[aid]]})" if codes else "")
        mark = "~" if est else ""
        if d is None:
            date = "no date"
        elif many or slot_in * 72 >= 11 * 0.6 * _font_size() * 1.1:    # room for "~2020-10-23"
            date = mark + d.isoformat()
        else:
            date = f"{mark}{d.day} {MONTHS[d.month - 1]}\n{d.year}"
        labels.append(f"{name} {date.replace(chr(10), ' ')}" if many else f"{name}\n{date}")
    return ids, labels


def _figure(ax: Axes) -> Figure:
    """The figure ``ax`` is drawn in (the report draws no subfigures)."""
    return cast("Figure", ax.figure)


def _slot(ax: Axes, n: int) -> float:
    """Approximate inches per article along the x axis of ``ax``."""
    return ax.get_position().width * _figure(ax).get_figwidth() * 0.85 / max(n, 1)


def _small_text_width(chars: int) -> float:
    """Approximate width in points of ``chars`` characters in the "small" font (0.833 of the base size; a
    character is about 0.6 of the font size wide)."""
    return chars * 0.6 * _font_size() * 0.833


def _label_fits(ax: Axes, slots: int, chars: int, share: float = 1.0) -> bool:
    """Whether a label of ``chars`` characters in the "small" font fits across ``share`` of one of
    ``slots`` equal columns of ``ax``."""
    return _small_text_width(chars) <= _slot(ax, slots) * 72 * share


def _top_counts(ax: Axes, positions: list[float], labels: list[str], gid: str) -> None:
    """Counts too many to print beside their points or cells: one upright label per column along the top."""
    top = ax.secondary_xaxis("top")
    top.set_xticks(positions, labels, rotation=90, fontsize="x-small", color="0.3")
    top.tick_params(length=0, pad=1)
    top.spines["top"].set_visible(False)
    top.set_gid(gid)


def _finish_matrix(ax: Axes, columns: list[str], rows: list[str], show_rows: bool, title: str) -> None:
    """Ticks, limits and title of an article (columns) by row heatmap: first row on top, no spines."""
    ax.set_yticks(range(len(rows)), rows)
    ax.tick_params(labelleft=show_rows, length=0)
    ax.set_xticks(range(len(columns)), columns, rotation=90 if len(columns) > MANY_ARTICLES else 0)
    ax.set_xlim(-0.5, len(columns) - 0.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(title, fontsize="medium", loc="left")


def _set_article_axis(ax: Axes, labels: list[str], xlabel: str) -> None:
    ax.set_xticks(range(len(labels)), labels, rotation=90 if len(labels) > MANY_ARTICLES else 0)
    ax.set_xlim(-0.6, len(labels) - 0.4)
    ax.set_xlabel(xlabel)


def _time_label(analysis: Analysis) -> str:
    n_dated = T.dated(analysis.articles)
    if n_dated == 0:
        return "Article (no dates: corpus order)"
    return "Article (publication order)" if n_dated == analysis.articles.height else \
        "Article (publication order; undated last)"


# ---- 1. sentiment across articles -------------------------------------------------------------------------

def sentiment_shift(analysis: Analysis, *, ax: Axes, series: tuple[str, ...] = T.SERIES,
                    resamples: int = T.RESAMPLES, seed: int = T.SEED, legend: bool = True,
                    data: pl.DataFrame | None = None) -> Axes:
    """Mean sentiment per article, in publication order: article text in its own voice, article text that
    quotes someone, and comments, each a point with its 95% bootstrap interval and its n.

    Units: body sentences (article text; the interval resamples paragraphs) and comments with text. A group
    with fewer units than the analysis' ``min_group`` is drawn hollow, without an interval. Each n is printed
    above its point when it fits; with too many articles for that, each tick label ends in the n of every
    series (``n own/quoted/comments``). ``data``: the table :func:`~discourse.report.tables.sentiment_by_article`
    gives for ``analysis``, ``resamples`` and ``seed``, when it is computed already (the report's).
    """
    unknown = [s for s in series if s not in T.SERIES]
    if unknown:
        raise ValueError(f"unknown series {unknown}; valid series: {', '.join(T.SERIES)}")
    if data is None:
        data = T.sentiment_by_article(analysis, resamples=resamples, seed=seed)
    ids, labels = article_ticks(analysis, slot_in=_slot(ax, analysis.articles.height))
    if not ids:
        return _number_gids(_empty(ax, "no articles"))
    pos = {aid: i for i, aid in enumerate(ids)}
    width = 0.24
    widest = max((len(str(v)) for v in data.get_column("n").to_list()), default=1)
    counts_above = _label_fits(ax, len(ids), widest, share=0.5)  # neighbours mostly sit at other heights
    handles = []
    from matplotlib.lines import Line2D

    ax.axhline(0, color="0.6", linewidth=0.6, zorder=0)
    for k, s in enumerate(series):
        color, marker = SERIES_STYLE[s]
        offset = (k - (len(series) - 1) / 2) * width
        rows = data.filter((pl.col("series") == s) & (pl.col("n") > 0)).iter_rows(named=True)
        split = _dodged_series(ax, list(rows), pos, offset, "mean", color, (0.7, 0.45), f"sentiment-shift-{s}-line")
        if split is None:
            continue
        pts, big, small = split
        if big:
            with_ci = [(x, r) for x, r in big if r["ci_low"] is not None]
            if with_ci:
                ax.errorbar([x for x, _ in with_ci], [r["mean"] for _, r in with_ci],
                            yerr=[[r["mean"] - r["ci_low"] for _, r in with_ci],
                                  [r["ci_high"] - r["mean"] for _, r in with_ci]],
                            fmt="none", ecolor=color, elinewidth=0.9, capsize=0, zorder=2,
                            gid=f"sentiment-shift-{s}-ci")
            ax.plot([x for x, _ in big], [r["mean"] for _, r in big], linestyle="none", marker=marker,
                    color=color, markerfacecolor=color, markeredgecolor=color, zorder=3,
                    gid=f"sentiment-shift-{s}-filled")
        if small:
            ax.plot([x for x, _ in small], [r["mean"] for _, r in small], linestyle="none", marker=marker,
                    color=color, markerfacecolor="white", markeredgecolor=color, zorder=3,
                    gid=f"sentiment-shift-{s}-hollow")
        for x, r in pts if counts_above else ():
            top = r["ci_high"] if r["ci_high"] is not None else r["mean"]
            ax.annotate(str(r["n"]), (x, top), xytext=(0, 2.5), textcoords="offset points", ha="center",
                        va="bottom", fontsize="small", color=color, gid=f"sentiment-shift-{s}-n")
        handles.append(Line2D([], [], color=color, marker=marker, linestyle="none",
                              label=SERIES_LEGEND[s]))
    if not counts_above:  # each article's n per series after its date, on the (upright) tick labels
        n_of = {(aid, s): n for aid, s, n in data.select("article_id", "series", "n").iter_rows()}
        labels = [f"{label}  n {'/'.join(str(n_of.get((aid, s), 0)) for s in series)}"
                  for aid, label in zip(ids, labels)]
    _set_article_axis(ax, labels, _time_label(analysis))
    ax.set_ylabel("Sentiment\n(mean sentence compound, \u22121 to 1)")
    lo, hi = ax.get_ylim()
    ax.set_ylim(max(lo, -1.05), min(hi + 0.06 * (hi - lo), 1.05))
    if legend and handles:
        small_below = T.min_group(analysis)
        handles.append(Line2D([], [], color="0.3", marker="o", markerfacecolor="white", linestyle="none",
                              label=f"Hollow: < {small_below} clusters, no interval"))
        handles.append(Line2D([], [], color="0.3", marker="|", markersize=7, linestyle="none",
                              label="95% bootstrap interval"))
        handles.append(Line2D([], [], linestyle="none", label="Numbers: n units" if counts_above else
                              "Last: n " + "/".join(SERIES_SHORT[s] for s in series)))
        if analysis.articles.get_column("date_estimated").any():
            handles.append(Line2D([], [], linestyle="none", label="~ estimated date"))
        room = _figure(ax).get_figwidth() * 72 / _font_size()     # figure width in font sizes
        ncols = 1 if room < 30 else 2 if room < 70 else 4
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.02), ncols=ncols, fontsize="small",
                  handletextpad=0.3, columnspacing=1.2, borderaxespad=0, handlelength=1.2)
    return _number_gids(ax)


# ---- 2. topic prevalence ----------------------------------------------------------------------------------

def _kind_columns(data: pl.DataFrame, kind: str) -> tuple[list[str], dict[str, int]]:
    n_by = {}
    for aid, n in data.filter(pl.col("kind") == kind).select("article_id", "n").unique(maintain_order=True).iter_rows():
        n_by[aid] = n
    ids = [aid for aid, n in n_by.items() if n > 0]
    return ids, n_by


def _check_kind(kind: str) -> None:
    if kind not in T.KINDS:
        raise ValueError(f"unknown kind {kind!r}; valid kinds: {', '.join(T.KINDS)}")


def topic_prevalence(analysis: Analysis, *, ax: Axes, kind: str = "comment", annotate: bool | None = None,
                     show_labels: bool = True, data: pl.DataFrame | None = None) -> Axes:
    """Heatmap of the share of units tagged with each topic (rows, lexicon order) in each article
    (columns, publication order), annotated ``k/n``. ``kind`` is ``article`` (body paragraphs) or
    ``comment`` (comments with text); articles without such units are left out, and articles with fewer
    than ``min_group`` units are hatched and paled. ``annotate=None`` prints ``k/n`` in the cells when it
    fits, else each article's n along the top edge; False prints neither. ``data``: the table
    :func:`~discourse.report.tables.topic_shares` gives for ``analysis``, when it is computed already.
    """
    _check_kind(kind)
    import numpy as np

    if data is None:
        data = T.topic_shares(analysis)
    ids, _ = _kind_columns(data, kind)
    topics = [t.name for t in analysis.lexicon.topics]
    if not ids or not topics:
        return _number_gids(_empty(ax, f"no {T.KIND_UNITS[kind]}" if not ids else "no topics in the lexicon"), kind)
    _, tick = article_ticks(analysis, ids=ids, slot_in=_slot(ax, analysis.articles.height))
    cell = {(r["article_id"], r["topic"]): r for r in data.filter(pl.col("kind") == kind).iter_rows(named=True)}
    share = np.array([[cell[(aid, t)]["share"] for aid in ids] for t in topics], dtype=float)
    small = [cell[(aid, topics[0])]["small"] for aid in ids]
    mesh = ax.pcolormesh(np.arange(len(ids) + 1) - 0.5, np.arange(len(topics) + 1) - 0.5, share,
                         cmap=share_cmap(), vmin=0, vmax=1, edgecolors="white", linewidth=0.6)
    mesh.set_gid(f"topic-prevalence-{kind}-cells")
    from matplotlib.patches import Rectangle

    for j, is_small in enumerate(small):
        if is_small:
            ax.add_patch(Rectangle((j - 0.5, -0.5), 1, len(topics), facecolor="white", alpha=0.5,
                                   edgecolor="0.5", hatch=SMALL_HATCH, linewidth=0, gid="topic-prevalence-small"))
    if annotate is None:
        widest = max(len(f"{r['k']}/{r['n']}") for r in cell.values())
        annotate = _label_fits(ax, len(ids), widest, share=0.9)
        if not annotate:
            _top_counts(ax, list(range(len(ids))), [str(cell[(aid, topics[0])]["n"]) for aid in ids],
                        f"topic-prevalence-{kind}-n")
    if annotate:
        for i, t in enumerate(topics):
            for j, aid in enumerate(ids):
                r = cell[(aid, t)]
                ink = "black" if small[j] else text_color(share_color(r["share"]))
                ax.text(j, i, f"{r['k']}/{r['n']}", ha="center", va="center", fontsize="small",
                        color=ink, gid="topic-prevalence-count")
    labels = topic_labels(analysis)
    _finish_matrix(ax, tick, [plain(labels[t]) for t in topics], show_labels, PANEL_TITLES[kind])
    return _number_gids(ax, kind)


# ---- 3. topic shift ---------------------------------------------------------------------------------------

def topic_shift(analysis: Analysis, *, ax: Axes, topic: str, kinds: tuple[str, ...] = T.KINDS,
                legend: bool = True, tick_labels: bool = True, ylabel: bool = True,
                data: pl.DataFrame | None = None) -> Axes:
    """One topic's share of units along the articles in publication order: article text (body paragraphs)
    and comments (comments with text), each a point with its 95% Wilson interval, side by side so neither
    hides the other. Points resting on fewer units than ``min_group`` are hollow and have no interval;
    lines join neighbouring articles only where both points are large. Draw one panel per topic (small
    multiples); :func:`discourse.report.tables.shift_topics` gives the report's choice of topics.

    ``tick_labels`` puts the article ids (with outlet letters and dates) and each article's n
    (``n paragraphs/comments``) under the axis; False leaves them to another panel of a shared axis.
    ``data``: the table :func:`~discourse.report.tables.topic_shares` gives for ``analysis``, when it is
    computed already (one panel per topic reads it again otherwise).
    """
    for kind in kinds:
        _check_kind(kind)
    known = {t.name: t for t in analysis.lexicon.topics}
    if topic not in known:
        raise ValueError(f"unknown topic {topic!r}; valid topics: {', '.join(known)}")
    data = (T.topic_shares(analysis) if data is None else data).filter(pl.col("topic") == topic)
    all_ids = T.article_order(analysis.articles).get_column("article_id").to_list()
    if not all_ids:
        return _number_gids(_empty(ax, "no articles"), topic)
    pos = {aid: i for i, aid in enumerate(all_ids)}
    width = 0.22
    from matplotlib.lines import Line2D

    handles = []
    n_of: dict[tuple[str, str], int] = {}
    for j, kind in enumerate(kinds):
        color, marker = KIND_STYLE[kind]
        offset = (j - (len(kinds) - 1) / 2) * width
        rows = list(data.filter(pl.col("kind") == kind).iter_rows(named=True))
        n_of.update({(r["article_id"], kind): r["n"] for r in rows})
        split = _dodged_series(ax, [r for r in rows if r["n"] > 0], pos, offset, "share", color, (0.8, 0.6),
                               f"topic-shift-{kind}-line")
        if split is None:
            continue
        pts, big, small = split
        if big:
            ax.errorbar([x for x, _ in big], [r["share"] for _, r in big],
                        yerr=[[r["share"] - r["ci_low"] for _, r in big], [r["ci_high"] - r["share"] for _, r in big]],
                        fmt="none", ecolor=color, elinewidth=0.9, capsize=0, zorder=2, gid=f"topic-shift-{kind}-ci")
            ax.plot([x for x, _ in big], [r["share"] for _, r in big], linestyle="none", marker=marker,
                    color=color, markersize=3.5, zorder=3, gid=f"topic-shift-{kind}-filled")
        if small:
            ax.plot([x for x, _ in small], [r["share"] for _, r in small], linestyle="none", marker=marker,
                    color=color, markerfacecolor="white", markersize=3.5, zorder=3, gid=f"topic-shift-{kind}-hollow")
        handles.append(Line2D([], [], color=color, marker=marker, linestyle="none", label=KIND_LEGEND[kind]))
    if tick_labels:
        _, dates = article_ticks(analysis, slot_in=_slot(ax, len(all_ids)))
        many = len(all_ids) > MANY_ARTICLES
        labels = [f"{d}{' ' if many else chr(10)}n {'/'.join(str(n_of.get((aid, k), 0)) for k in kinds)}"
                  for aid, d in zip(all_ids, dates)]
        _set_article_axis(ax, labels, _time_label(analysis))
        _thin_ticks(ax)
    else:
        ax.set_xticks(range(len(all_ids)))
        ax.set_xlim(-0.6, len(all_ids) - 0.4)
        ax.tick_params(labelbottom=False)
    ax.set_ylim(-0.03, 1.03)
    ax.set_yticks([0, 0.5, 1])
    ax.yaxis.set_major_formatter(percent_formatter())
    if ylabel:
        ax.set_ylabel("Units tagged")
    ax.set_title(plain(short_label(known[topic].label, cut_and=True)), fontsize="medium", loc="left")
    if legend and handles:
        handles.append(Line2D([], [], color="0.3", marker="o", markerfacecolor="white", linestyle="none",
                              label=f"Hollow: n < {T.min_group(analysis)}, no interval"))
        handles.append(Line2D([], [], color="0.3", marker="|", markersize=7, linestyle="none",
                              label="95% Wilson interval"))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", borderaxespad=0)
    return _number_gids(ax, topic)


def _thin_ticks(ax: Axes) -> None:
    """Upright tick labels closer than a line of text: keep every k-th, so none overprints another."""
    ticks = ax.get_xticks()
    if len(ticks) <= MANY_ARTICLES:
        return
    line_in = _font_size() * 0.833 * 1.3 / 72
    step = int(-(-line_in // max(_slot(ax, len(ticks)), 1e-6)))
    if step <= 1:
        return
    labels = [t.get_text() for t in ax.get_xticklabels()]
    ax.set_xticks([t for k, t in enumerate(ticks) if k % step == 0], [lab for k, lab in enumerate(labels) if k % step == 0],
                  rotation=90)


def percent_formatter():
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(xmax=1, decimals=0)


# ---- 4. thread trees --------------------------------------------------------------------------------------

def articles_with_comments(analysis: Analysis) -> list[str]:
    """Ids of the articles that have comments, in publication order."""
    having = set(analysis.comments.get_column("article_id").unique().to_list())
    return [a for a in T.article_order(analysis.articles).get_column("article_id").to_list() if a in having]


def thread_trees(analysis: Analysis, *, ax: Axes, article_id: str, topics: bool = True,
                 topic_header: bool = True, label_width: int = 18, max_comments: int | None = None) -> Axes:
    """The reply tree of one article: one row per comment in display order, indented by depth, replies
    joined to their parent; each node coloured by the comment's score on the diverging scale (grey without
    a score), labelled with its position and author; with ``topics`` a grid on the right marks the topics
    each comment is tagged with, named above the grid with ``topic_header``. ``max_comments`` draws only
    the first comments in display order.
    """
    comments = analysis.comments.filter(pl.col("article_id") == article_id)
    if max_comments is not None:
        comments = comments.head(max_comments)
    if comments.height == 0:
        if article_id not in set(analysis.articles.get_column("article_id").to_list()):
            raise ValueError(f"no article {article_id!r}; articles with comments: "
                             f"{', '.join(articles_with_comments(analysis)) or 'none'}")
        return _number_gids(_empty(ax, f"{article_id}: no comments"), _panel(article_id))
    from matplotlib.collections import LineCollection
    from matplotlib.transforms import blended_transform_factory

    rows = comments.select("comment_id", "parent_id", "depth", "author", "sent_score", "topic_tags").rows(named=True)
    row_of = {r["comment_id"]: i for i, r in enumerate(rows)}
    max_depth = max(r["depth"] for r in rows)
    grid_left = 0.58 if topics else 1.0
    step = min(0.05, 0.3 / (max_depth + 1))
    x_of = [0.02 + r["depth"] * step for r in rows]
    segments = []
    for i, r in enumerate(rows):
        p = row_of.get(r["parent_id"]) if r["parent_id"] else None
        if p is not None:
            segments.append([(x_of[p], -p), (x_of[p], -i), (x_of[i], -i)])
    if segments:
        ax.add_collection(LineCollection(segments, colors="0.55", linewidths=0.7, zorder=1,
                                         gid="thread-trees-edges"))
    colors = [score_color(r["sent_score"]) for r in rows]
    ax.scatter(x_of, [-i for i in range(len(rows))], c=colors, s=28, edgecolors="0.25", linewidths=0.5,
               zorder=2, gid="thread-trees-nodes")
    axes_in = ax.get_position().width * _figure(ax).get_figwidth()
    for i, r in enumerate(rows):
        local = r["comment_id"].split("/", 1)[1] if "/" in r["comment_id"] else r["comment_id"]
        # a label of a deep reply is cut where the topic grid begins (with a margin for the layout), so it
        # never runs into the grid: the author first, then the start of a very long position
        room = int(0.9 * (grid_left - 0.02 - x_of[i] - 0.025) * axes_in * 72 / _small_text_width(1))
        label = f"{local}  {clip(r['author'] or '?', label_width)}"
        if len(label) > room:
            label = (f"{local}  {clip(r['author'] or '?', room - len(local) - 2)}" if len(local) + 4 <= room
                     else "\u2026" + local[-max(room - 1, 3):])
        ax.text(x_of[i] + 0.025, -i, plain(label), va="center", ha="left", fontsize="small",
                gid="thread-trees-label")
    if topics:
        names = [t.name for t in analysis.lexicon.topics]
        labels = topic_labels(analysis)
        xs = [grid_left + (0.98 - grid_left) * (k + 0.5) / max(len(names), 1) for k in range(len(names))]
        faint_x: list[float] = []
        faint_y: list[float] = []
        on_x: list[float] = []
        on_y: list[float] = []
        for i, r in enumerate(rows):
            tags = set(r["topic_tags"] or ())
            for x, t in zip(xs, names):
                (on_x if t in tags else faint_x).append(x)
                (on_y if t in tags else faint_y).append(-i)
        ax.scatter(faint_x, faint_y, s=2, color="0.82", zorder=1, gid="thread-trees-topic-grid")
        ax.scatter(on_x, on_y, s=14, marker="s", color="0.2", zorder=2, gid="thread-trees-topics")
        head = blended_transform_factory(ax.transData, ax.transAxes)
        for x, t in zip(xs, names) if topic_header else ():
            ax.text(x, 1.0, plain(labels[t]), transform=head, rotation=90, ha="center", va="bottom",
                    fontsize="small", gid="thread-trees-topic-label")
    ax.set_xlim(0, 1)
    ax.set_ylim(-(len(rows) - 1) - 0.7, 0.7)
    ax.set_axis_off()
    return _number_gids(ax, _panel(article_id))


# ---- 5. actor sentiment -----------------------------------------------------------------------------------

def actor_sentiment(analysis: Analysis, *, ax: Axes, kind: str = "comment", show_labels: bool = True,
                    annotate: bool | None = None, data: pl.DataFrame | None = None) -> Axes:
    """Actor (rows) by article (columns) matrix of actor-targeted sentiment: the mean compound of the
    sentences that mention the actor, on the diverging scale, with n in every cell. Cells with fewer
    sentences than ``min_group`` are paled and hatched. Actors never mentioned in the corpus are left out, as are
    articles without units of ``kind``. ``annotate=None`` prints the mean and n in the cells when they fit
    (with many articles the cells are too narrow: the report's actor tables hold every mean and n). ``data``:
    the table :func:`~discourse.report.tables.actors_by_article` gives for ``analysis``, when it is computed
    already.
    """
    _check_kind(kind)
    import numpy as np
    from matplotlib.patches import Rectangle

    data = (T.actors_by_article(analysis) if data is None else data).filter(pl.col("kind") == kind)
    ids = T.unit_articles(analysis, kind)
    mentioned = set(analysis.actor_sentiment.get_column("actor").to_list())
    actors = [a.name for a in analysis.lexicon.actors if a.name in mentioned]
    if not ids or not actors:
        return _number_gids(_empty(ax, f"no {T.KIND_UNITS[kind]}" if not ids else "no actor is mentioned"), kind)
    _, tick = article_ticks(analysis, ids=ids, slot_in=_slot(ax, analysis.articles.height))
    cell = {(r["article_id"], r["actor"]): r for r in data.iter_rows(named=True)}
    if annotate is None:
        widest = max((len(f"n={r['n']}") for r in cell.values()), default=1)
        annotate = _label_fits(ax, len(ids), max(widest, 5), share=0.9)

    def matrix(small: bool):
        return np.ma.masked_invalid(np.array(
            [[cell[(aid, a)]["mean"] if (aid, a) in cell and cell[(aid, a)]["small"] == small else np.nan
              for aid in ids] for a in actors], dtype=float))

    ax.set_facecolor(NOT_MENTIONED)
    cmap = score_cmap().with_extremes(bad=(0, 0, 0, 0))
    edges = np.arange(len(ids) + 1) - 0.5, np.arange(len(actors) + 1) - 0.5
    mesh = ax.pcolormesh(*edges, matrix(False), cmap=cmap, norm=score_norm(), edgecolors="white", linewidth=0.6)
    mesh.set_gid(f"actor-sentiment-{kind}-cells")
    faint = ax.pcolormesh(*edges, matrix(True), cmap=cmap, norm=score_norm(), edgecolors="white", linewidth=0.6,
                          alpha=SMALL_ALPHA)
    faint.set_gid(f"actor-sentiment-{kind}-small-cells")
    for i, a in enumerate(actors):
        for j, aid in enumerate(ids):
            r = cell.get((aid, a))
            if r is None:
                continue
            if r["small"]:
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="none", edgecolor="0.6",
                                       hatch=SMALL_HATCH, linewidth=0, gid="actor-sentiment-small"))
            if annotate:
                ink = "black" if r["small"] else text_color(score_color(r["mean"]))
                ax.text(j, i, f"{r['mean']:+.2f}\nn={r['n']}".replace("-", "\u2212"), ha="center",
                        va="center", fontsize="small", color=ink, linespacing=1.0,
                        gid="actor-sentiment-value")
    labels = actor_labels(analysis)
    _finish_matrix(ax, tick, [plain(labels[a]) for a in actors], show_labels, f"{T.KIND_LABELS[kind]} (sentences)")
    return _number_gids(ax, kind)


# ---- 6. reply dynamics ------------------------------------------------------------------------------------

#: more replies than this are drawn as counts in a grid of cells instead of one point each
MAX_REPLY_POINTS = 2_000
REPLY_CELLS = 40


def reply_dynamics(analysis: Analysis, *, ax: Axes, label_points: bool | None = None,
                   max_points: int = MAX_REPLY_POINTS) -> Axes:
    """Each reply's score against its parent's, coloured by reply depth, with the line y = x (no change).
    Points above the line are replies warmer than the comment they answer. Only replies where both
    comments have a score are drawn; ``label_points`` (default: when there are at most 10) names them.
    More than ``max_points`` replies are drawn as the number of replies in each of 40 x 40 cells.
    """
    depth = dict(analysis.comments.select("comment_id", "depth").iter_rows())
    edges = analysis.edges.filter(pl.col("score").is_not_null() & pl.col("parent_score").is_not_null())
    ax.plot([-1, 1], [-1, 1], color="0.5", linestyle="--", linewidth=0.7, zorder=0, gid="reply-dynamics-identity")
    ax.axhline(0, color="0.85", linewidth=0.5, zorder=0)
    ax.axvline(0, color="0.85", linewidth=0.5, zorder=0)
    ax.set_xlim(-1.05, 1.05)
    ax.set_ylim(-1.05, 1.05)
    ax.set_aspect("equal")
    ax.set_xticks([-1, -0.5, 0, 0.5, 1])
    ax.set_yticks([-1, -0.5, 0, 0.5, 1])
    ax.set_xlabel("Parent comment's score (mean sentence compound)")
    ax.set_ylabel("Reply's score (mean sentence compound)")
    if edges.height == 0:
        ax.text(0.5, 0.5, "no replies with scores", transform=ax.transAxes, ha="center", va="center",
                color="0.35", fontsize="small", gid="empty-note")
        return _number_gids(ax)
    if edges.height > max_points:
        return _reply_density(edges, ax)
    rows = edges.with_columns(pl.col("comment_id").replace_strict(depth, default=None).alias("depth")).rows(named=True)
    levels = sorted({min(r["depth"], 3) for r in rows})
    for k, lv in enumerate(levels):
        pts = [r for r in rows if min(r["depth"], 3) == lv]
        name = f"depth {lv}" if lv < 3 else "depth 3+"
        ax.plot([r["parent_score"] for r in pts], [r["score"] for r in pts], linestyle="none",
                marker=MARKERS[k], color=OKABE_ITO[k], label=f"replies at {name} (n={len(pts)})",
                gid=f"reply-dynamics-depth-{lv}")
    if label_points if label_points is not None else len(rows) <= 10:
        for r in rows:
            ax.annotate(plain(r["comment_id"]), (r["parent_score"], r["score"]), xytext=(3, 2),
                        textcoords="offset points", fontsize="small", color="0.3", gid="reply-dynamics-label")
    ax.text(-0.97, 0.97, "reply more positive\nthan its parent", ha="left", va="top", fontsize="small",
            color="0.45", gid="reply-dynamics-note")
    ax.text(0.97, -0.97, "reply more negative\nthan its parent", ha="right", va="bottom", fontsize="small",
            color="0.45", gid="reply-dynamics-note")
    # as many legend columns as fit across the figure (a marker and its padding: about 4 characters)
    widest = max(len(str(ln.get_label())) for ln in ax.get_lines()
                 if (ln.get_gid() or "").startswith("reply-dynamics-depth"))
    ncols = max(1, min(len(levels), int(_figure(ax).get_figwidth() * 72 * 0.9 // _small_text_width(widest + 4))))
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.01), ncols=ncols, fontsize="small",
              borderaxespad=0, handletextpad=0.3)
    return _number_gids(ax)


def _reply_density(edges: pl.DataFrame, ax: Axes) -> Axes:
    import numpy as np
    from matplotlib.colors import LogNorm

    x = edges.get_column("parent_score").to_numpy()
    y = edges.get_column("score").to_numpy()
    bins = np.linspace(-1, 1, REPLY_CELLS + 1)
    counts, _, _ = np.histogram2d(x, y, bins=[bins, bins])
    shown = np.ma.masked_equal(counts.T, 0)
    mesh = ax.pcolormesh(bins, bins, shown, cmap=share_cmap(), norm=LogNorm(vmin=1, vmax=max(2, counts.max())),
                         zorder=1, gid="reply-dynamics-cells")
    ax.figure.colorbar(mesh, ax=ax, shrink=0.8, label=f"Replies per cell (of {edges.height:,})")
    for note in (("reply more positive\nthan its parent", -0.97, 0.97, "left", "top"),
                 ("reply more negative\nthan its parent", 0.97, -0.97, "right", "bottom")):
        ax.text(note[1], note[2], note[0], ha=note[3], va=note[4], fontsize="small", color="0.45",
                gid="reply-dynamics-note")
    return _number_gids(ax)


#: the figure functions, by name
FIGURES = ("sentiment_shift", "topic_prevalence", "topic_shift", "thread_trees", "actor_sentiment", "reply_dynamics")

__all__ = [*FIGURES, "articles_with_comments", "score_color", "share_color", "score_cmap", "share_cmap",
           "score_norm", "score_mappable", "share_mappable", "OKABE_ITO", "DIVERGING", "SEQUENTIAL", "NO_SCORE"]
