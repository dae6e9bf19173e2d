"""The report's figures: layout, size, colour bars and captions around the functions of
:mod:`discourse.report.plots`, and the rule deciding whether a figure makes sense for a corpus.

Each :class:`FigureSpec` has ``skip`` (why the figure is not drawn for this corpus, or None), ``draw``
(returns a ``matplotlib.figure.Figure``; call it inside the style's ``rc_context``) and ``caption``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import polars as pl

from discourse.report import palettes, plots
from discourse.report import tables as T
from discourse.report.style import Style
from discourse.scoring.pipeline import only_articles

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from discourse.model import Analysis
    from discourse.report.tables import ReportTables

#: thread trees drawn at most (the most commented articles), comments per tree, rows of all trees together
#: (so the figure fits a printed page: 48 rows are about 8 inches at 7 pt) and the fewest rows a tree gets
MAX_TREES = 8
MAX_TREE_COMMENTS = 60
MAX_TREE_ROWS = 48
MIN_TREE_ROWS = 12
#: articles drawn at most in the figures with one column or point per article: a corpus with more is drawn
#: on the articles with the most comments (the tables keep every article)
MAX_ARTICLES = 40
#: the figures drawn per article, whose captions then say which articles they show
PER_ARTICLE = frozenset({"sentiment_shift", "topic_prevalence", "topic_shift", "actor_sentiment", "reply_dynamics"})


def figure_view(analysis: Analysis, tables: ReportTables) -> tuple[Analysis, ReportTables, str]:
    """The analysis and tables the figures are drawn from, and a sentence for the captions of the
    per-article figures: the whole corpus up to :data:`MAX_ARTICLES` articles, else the articles with the
    most comments (then the most paragraphs, then corpus order), shown in publication order."""
    articles = analysis.articles
    if articles.height <= MAX_ARTICLES:
        return analysis, tables, ""
    keep = (articles.with_row_index("_order")
            .sort(["n_comments", "n_paragraphs", "_order"], descending=[True, True, False])
            .head(MAX_ARTICLES).get_column("article_id"))
    view = only_articles(analysis, keep.to_list())
    shown = view.comments.height
    note = (f" The corpus has {_fmt(articles.height)} articles; per-article figures show the {MAX_ARTICLES} with "
            f"the most comments ({_fmt(shown)} of {_fmt(analysis.comments.height)} comments). Every article is "
            "in the articles table (tables/articles.csv).")
    # each article's sentiment rows do not depend on the other articles (T.sentiment_by_article), and the shown
    # articles keep their publication order: their rows of the corpus's table are the view's table
    sentiment = tables.sentiment.filter(pl.col("article_id").is_in(keep.implode()))
    return view, T.report_tables(view, sentiment=sentiment), note


@dataclass(frozen=True)
class FigureSpec:
    name: str
    title: str
    skip: Callable[[Analysis, ReportTables], str | None]
    draw: Callable[[Analysis, ReportTables, Style], Figure]
    caption: Callable[[Analysis, ReportTables], str]


def _figure(style: Style, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(style.width_in, height), layout="constrained")


def _fmt(n: int) -> str:
    return f"{n:,}"


def _small(analysis: Analysis) -> int:
    return T.min_group(analysis)


def _kinds_present(tables: ReportTables) -> list[str]:
    s = tables.topics_by_article
    return [k for k in T.KINDS if s.filter((pl.col("kind") == k) & (pl.col("n") > 0)).height]


def _outlet_note(fig, analysis: Analysis) -> None:
    """The outlet letters of the tick labels spelled out under the figure (a one-outlet corpus has none)."""
    key = plots.outlet_key(analysis)
    if key:
        import textwrap

        from matplotlib import rcParams

        chars = int(fig.get_figwidth() * 72 * 0.95 / (0.6 * float(rcParams["font.size"]) * 0.833))
        fig.supxlabel(textwrap.fill(key, max(chars, 20)), fontsize="small", color="0.25", ha="center")


def _outlet_sentence(analysis: Analysis) -> str:
    key = T.outlet_key(analysis)
    if key:
        return (" The letter after each article id names its outlet (" + key.removeprefix("Outlets: ")
                + "), so a shift between articles can be told from a change of outlet.")
    outlet = analysis.articles.get_column("outlet").drop_nulls()
    return f" Every article is from one outlet ({outlet[0]})." if outlet.len() else ""


def _date_note(analysis: Analysis) -> str:
    n_dated = T.dated(analysis.articles)
    if n_dated == 0:
        return " The articles have no dates: they are shown in corpus order, not in time."
    note = ""
    if n_dated < analysis.articles.height:
        note += f" {analysis.articles.height - n_dated} undated article(s) are shown last, in corpus order."
    if analysis.articles.get_column("date_estimated").any():
        note += " ~ marks an estimated date."
    return note


# ---- 1 ---------------------------------------------------------------------------------------------------

def _shift_skip(analysis: Analysis, tables: ReportTables) -> str | None:
    if tables.sentiment.filter(pl.col("n") > 0).height == 0:
        return "no article text or comment has a score"
    return None


def _shift_draw(analysis: Analysis, tables: ReportTables, style: Style) -> Figure:
    n = analysis.articles.height
    # upright tick labels (more than 8 articles, when the n no longer fit above the points either and end
    # the labels) take height
    extra = (style.font_size - 7) * 0.3 + (1.5 if n > plots.MANY_ARTICLES else 0)
    fig = _figure(style, style.width_in * (0.78 if not style.double else 0.42) + extra)
    plots.sentiment_shift(analysis, ax=fig.add_subplot(), data=tables.sentiment)
    _outlet_note(fig, analysis)
    return fig


def _shift_caption(analysis: Analysis, tables: ReportTables) -> str:
    s = tables.sentiment
    tot = {k: int(s.filter(pl.col("series") == k).get_column("n").sum()) for k in T.SERIES}
    par = int(s.filter(pl.col("series") != "comments").get_column("clusters").sum())
    return (
        "Sentiment of the article text and of the comments, article by article. Each point is a mean of "
        "VADER compound scores (\u22121 to 1); article text: body sentences in the author's own voice "
        f"(n = {_fmt(tot['own'])}) and in quotations (n = {_fmt(tot['quoted'])}), from {_fmt(par)} "
        f"paragraph groups; comments: the comment score, the mean of its sentence compounds (n = "
        f"{_fmt(tot['comments'])} comments with text). The number above each point is its n (with too many "
        "articles for that, each article's label ends in the n of each series, own/quoted/comments; every n "
        "is in tables/sentiment.csv). Bars: 95% "
        f"percentile bootstrap interval ({T.RESAMPLES:,} resamples, seed {T.SEED}), resampling paragraphs "
        f"for article text and comments for comments. Hollow points rest on fewer than {_small(analysis)} "
        "clusters (paragraphs or comments) and have no interval. Lines join a series' points in neighbouring "
        "articles only where both rest on enough clusters; they guide the eye and interpolate nothing."
        + _outlet_sentence(analysis) + _date_note(analysis))


# ---- 2 ---------------------------------------------------------------------------------------------------

def _topics_skip(analysis: Analysis, tables: ReportTables) -> str | None:
    if not analysis.lexicon.topics:
        return "the lexicon has no topics"
    if not _kinds_present(tables):
        return "no article paragraph or comment to tag"
    return None


def _panels(style: Style, columns: list[int], row_in: float, rows: int, extra: float):
    """Heatmap panels: side by side at double width (widths by number of columns), else stacked."""
    n = len(columns)
    if style.double and n > 1:
        fig = _figure(style, rows * row_in + extra)
        axes = fig.subplots(1, n, squeeze=False, width_ratios=[max(c, 1) for c in columns])[0]
    else:
        fig = _figure(style, n * (rows * row_in + extra) + 0.35)
        axes = fig.subplots(n, 1, squeeze=False)[:, 0]
    return fig, list(axes)


def _colorbar(fig, mappable, axes, style: Style, label: str):
    if style.double:
        cb = fig.colorbar(mappable, ax=axes, shrink=0.7, aspect=25, pad=0.02)
    else:
        cb = fig.colorbar(mappable, ax=axes, orientation="horizontal", location="bottom", shrink=0.8,
                          aspect=35, pad=0.01)
    cb.set_label(label)
    return _vector(cb)


def _vector(cb):
    # matplotlib rasterises colour bars of many levels; keep them vector, without seams between levels
    cb.solids.set_rasterized(False)
    cb.solids.set_edgecolor("face")
    return cb


def _columns(tables: ReportTables, kind: str) -> int:
    s = tables.topics_by_article
    return s.filter((pl.col("kind") == kind) & (pl.col("n") > 0)).get_column("article_id").n_unique()


def _prevalence_draw(analysis: Analysis, tables: ReportTables, style: Style) -> Figure:
    kinds = _kinds_present(tables)
    row = 0.17 * style.font_size / 7
    fig, axes = _panels(style, [_columns(tables, k) for k in kinds], row, len(analysis.lexicon.topics), 0.75)
    for k, (ax, kind) in enumerate(zip(axes, kinds)):
        plots.topic_prevalence(analysis, ax=ax, kind=kind, show_labels=not (style.double and k > 0),
                               data=tables.topics_by_article)
    cb = _colorbar(fig, palettes.share_mappable(), axes, style, "Share of units tagged")
    (cb.ax.yaxis if style.double else cb.ax.xaxis).set_major_formatter(plots.percent_formatter())
    _outlet_note(fig, analysis)
    return fig


def _prevalence_caption(analysis: Analysis, tables: ReportTables) -> str:
    t = tables.topics
    n_par = int(cast(int, t.get_column("article_n").max()) or 0) if t.height else 0
    n_com = int(cast(int, t.get_column("comment_n").max()) or 0) if t.height else 0
    missing = "" if n_com else " The corpus has no comments, so only article text is shown."
    return ("Topic prevalence by article: the share of units tagged with each topic (colour) and the count "
            "k/n in each cell (k units tagged of n; with too many articles for that, each article's n is "
            "printed along the top edge and every k/n is in tables/topics_by_article.csv). Units: body "
            f"paragraphs of the article text (n = "
            f"{_fmt(n_par)}) and comments with text (n = {_fmt(n_com)}); a unit is tagged when it has a "
            "lexicon hit that is not negated. Hatched, paled columns: articles with fewer than "
            f"{_small(analysis)} units of the panel's kind, whose shares rest on too few units to compare. "
            "Articles without units of a kind are left out of that panel."
            + missing + _outlet_sentence(analysis) + _date_note(analysis))


# ---- 3 ---------------------------------------------------------------------------------------------------

def _topic_shift_skip(analysis: Analysis, tables: ReportTables) -> str | None:
    if analysis.articles.height < 2:
        return "a shift needs two or more articles; the corpus has one"
    if not analysis.lexicon.topics:
        return "the lexicon has no topics"
    if not _kinds_present(tables):
        return "no article paragraph or comment to tag"
    return None


def _topic_shift_draw(analysis: Analysis, tables: ReportTables, style: Style) -> Figure:
    kinds = tuple(_kinds_present(tables))
    topics = T.shift_topics(analysis, tables.topics)
    n = analysis.articles.height
    many = n > plots.MANY_ARTICLES
    # small multiples: up to two columns in a column and three on a page, as many as leave each article's
    # tick label its room; many articles (upright labels) get one column in a column and two on a page
    ncols = min((2 if style.double else 1) if many else (3 if style.double else 2), len(topics))
    if not many:
        _, ticks = plots.article_ticks(analysis, slot_in=0.5)
        n_max = tables.topics_by_article.get_column("n").max() or 0
        chars = max([len(line) for t in ticks for line in t.split("\n")] + [2 * len(str(n_max)) + 3])
        need_in = chars * 0.6 * style.font_size * 0.833 / 72
        while ncols > 1 and (style.width_in - 0.5) / ncols * 0.85 / n < need_in:
            ncols -= 1
    nrows = -(-len(topics) // ncols)
    scale = style.font_size / 7
    panel_in = (0.72 if ncols == 1 else 1.0) * scale
    ticks_in = (1.5 if many else 0.75) * scale
    fig = _figure(style, nrows * panel_in + ticks_in + 0.55 * scale)
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True, sharey=True)
    for k, topic in enumerate(topics):
        row, col = divmod(k, ncols)
        below = k + ncols >= len(topics)          # no panel under this one: it carries the tick labels
        plots.topic_shift(analysis, ax=axes[row][col], topic=topic, kinds=kinds, legend=False,
                          tick_labels=below, ylabel=False, data=tables.topics_by_article)
        if not below or col:
            axes[row][col].set_xlabel("")
    for k in range(len(topics), nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=palettes.KIND_STYLE[k][0], marker=palettes.KIND_STYLE[k][1], linestyle="none",
                      label=palettes.KIND_LEGEND[k]) for k in kinds]
    handles.append(Line2D([], [], color="0.3", marker="o", markerfacecolor="white", linestyle="none",
                          label=f"n < {_small(analysis)}: no interval"))
    handles.append(Line2D([], [], color="0.3", marker="|", markersize=7, linestyle="none", label="95% Wilson interval"))
    fig.legend(handles=handles, loc="outside upper center", ncols=2 if not style.double else 4, fontsize="small",
               frameon=False, handletextpad=0.3, columnspacing=1.0)
    fig.supylabel("Units tagged (share of paragraphs or comments)", fontsize="medium")
    _outlet_note(fig, analysis)
    return fig


def _topic_shift_caption(analysis: Analysis, tables: ReportTables) -> str:
    topics = T.shift_topics(analysis, tables.topics)
    label = {t.name: t.label for t in analysis.lexicon.topics}
    lead = [t.name for t in analysis.lexicon.topics][:T.LEADING_TOPICS]
    others = [t for t in topics if t not in lead]
    return ("Topic shift across articles, one panel per topic: the share of units tagged with the topic, "
            "article by article, for article text (body paragraphs, circles) and comments (comments with "
            "text, triangles), drawn side by side. Bars: 95% Wilson interval of k tagged of n units. Hollow "
            f"points rest on fewer than {_small(analysis)} units and have no interval; lines join neighbouring "
            "articles only where both points rest on enough units (they guide the eye and interpolate "
            "nothing). Topics: the lexicon's leading topics (" + ", ".join(label[t] for t in lead) + ")"
            + (", then the most tagged others (" + ", ".join(label[t] for t in others) + ")" if others else "")
            + f", {len(topics)} of {len(analysis.lexicon.topics)}; every topic is in tables/topics_by_article.csv. "
            "Under the bottom panels, each article's n (paragraphs/comments)"
            + (" for every few articles (the others are in the table)" if analysis.articles.height > plots.MANY_ARTICLES
               else "") + "." + _outlet_sentence(analysis) + _date_note(analysis))


# ---- 4 ---------------------------------------------------------------------------------------------------

def tree_plan(analysis: Analysis) -> list[tuple[str, int, int]]:
    """The reply trees the figure draws, in publication order, as (article id, comments drawn, comments):
    the articles with most comments, at most :data:`MAX_TREES`, sharing :data:`MAX_TREE_ROWS` rows so the
    figure fits a printed page; fewer trees when a tree would get fewer than :data:`MIN_TREE_ROWS` rows.
    Each tree shows its first comments in display order; the thread browser has all."""
    ids = plots.articles_with_comments(analysis)
    counts = dict(analysis.comments.group_by("article_id").len().iter_rows())
    position = {a: k for k, a in enumerate(ids)}
    ranked = sorted(ids, key=lambda a: (-counts[a], position[a]))

    def share(chosen: list[str]) -> dict[str, int]:
        left, out = MAX_TREE_ROWS, {}
        for k, a in enumerate(sorted(chosen, key=lambda a: (counts[a], position[a]))):   # smallest first
            out[a] = min(counts[a], MAX_TREE_COMMENTS, left // (len(chosen) - k))
            left -= out[a]
        return out

    n = min(MAX_TREES, len(ranked))
    rows = share(ranked[:n])
    while n > 1 and any(rows[a] < min(counts[a], MIN_TREE_ROWS) for a in ranked[:n]):
        n -= 1
        rows = share(ranked[:n])
    return [(a, rows[a], counts[a]) for a in ids if a in rows]


def _trees_skip(analysis: Analysis, tables: ReportTables) -> str | None:
    return "the corpus has no comments" if analysis.comments.height == 0 else None


def _trees_draw(analysis: Analysis, tables: ReportTables, style: Style) -> Figure:
    plan = tree_plan(analysis)
    titles = dict(analysis.articles.select("article_id", "title").iter_rows())
    codes = T.outlets(analysis)
    outlet_of = dict(analysis.articles.select("article_id", "outlet").iter_rows())
    scale = style.font_size / 7
    row_in = 0.12 * scale
    title_in = 0.3 * scale
    heights = [(shown + 0.4) * row_in for _, shown, _ in plan]
    header_in = 0.55 * scale
    fig = _figure(style, sum(heights) + len(plan) * title_in + header_in + 0.6 * scale)
    axes = fig.subplots(len(plan), 1, squeeze=False, height_ratios=heights)[:, 0]
    width = int(34 * (style.width_in / 3.5) * (7 / style.font_size))
    for k, (ax, (aid, shown, total)) in enumerate(zip(axes, plan)):
        plots.thread_trees(analysis, ax=ax, article_id=aid, max_comments=shown, topic_header=k == 0)
        count = f"first {shown} of {total}" if shown < total else str(total)
        outlet = f" ({codes[outlet_of[aid]]})" if codes else ""
        ax.text(0, 1.0, plots.plain(f"{aid}{outlet} ({count} comments)\n{plots.clip(titles.get(aid) or '', width)}"),
                transform=ax.transAxes, ha="left", va="bottom", fontsize="medium", gid=f"thread-trees-title.{k}")
    cb = fig.colorbar(palettes.score_mappable(), ax=list(axes), orientation="horizontal", location="bottom",
                      shrink=0.8, aspect=35, pad=0.01)
    _vector(cb).set_ticks([-1, -0.5, 0, 0.5, 1])
    cb.set_label("Comment score (grey: no text)")
    _outlet_note(fig, analysis)
    return fig


def _trees_caption(analysis: Analysis, tables: ReportTables) -> str:
    plan = tree_plan(analysis)
    all_ids = plots.articles_with_comments(analysis)
    shown = f"the {len(plan)} articles with most comments of {len(all_ids)}" if len(plan) < len(all_ids) \
        else f"{len(plan)} article(s) with comments"
    drawn = sum(r for _, r, _ in plan)
    total = sum(t for _, _, t in plan)
    cut = (f" To fit a printed page the figure draws {_fmt(drawn)} of their {_fmt(total)} comments, the first "
           "of each thread in display order; the thread browser of index.html has every comment."
           if drawn < total else "")
    return (f"Reply trees of {shown} ({_fmt(total)} comments): one row per comment in display order, replies "
            "indented and joined to the comment they answer, labelled with their position and author. Node "
            "colour: the comment score on the diverging scale (red negative, blue positive, grey: no text). "
            "Squares in the grid on the right: the topics the comment is tagged with (dots: not tagged)."
            + cut + _outlet_sentence(analysis))


# ---- 5 ---------------------------------------------------------------------------------------------------

def _actors_skip(analysis: Analysis, tables: ReportTables) -> str | None:
    return "no actor of the lexicon is mentioned" if analysis.actor_sentiment.height == 0 else None


def _actors_draw(analysis: Analysis, tables: ReportTables, style: Style) -> Figure:
    # columns are the articles with units of the kind, whether or not the lexicon has topics
    kinds = [k for k in T.KINDS if analysis.actor_sentiment.filter(pl.col("kind") == k).height]
    n_actors = analysis.actor_sentiment.get_column("actor").n_unique()
    row = 0.24 * style.font_size / 7
    fig, axes = _panels(style, [len(T.unit_articles(analysis, k)) for k in kinds], row, n_actors, 0.7)
    for k, (ax, kind) in enumerate(zip(axes, kinds)):
        plots.actor_sentiment(analysis, ax=ax, kind=kind, show_labels=not (style.double and k > 0),
                              data=tables.actors_by_article)
    cb = _colorbar(fig, palettes.score_mappable(), axes, style, "Mean compound of the sentences\nthat mention the actor")
    cb.set_ticks([-1, -0.5, 0, 0.5, 1])
    _outlet_note(fig, analysis)
    return fig


def _actors_caption(analysis: Analysis, tables: ReportTables) -> str:
    a = analysis.actor_sentiment
    n = {k: int(a.filter(pl.col("kind") == k).get_column("n").sum()) for k in T.KINDS}
    return ("Actor-targeted sentiment: for each actor and article, the mean VADER compound (\u22121 to 1) of "
            "the sentences that mention the actor (each sentence once per actor), with n sentences in each "
            f"cell ({_fmt(n['article'])} actor-sentence pairs in article text, {_fmt(n['comment'])} in "
            f"comments). Hatched cells rest on fewer than {_small(analysis)} sentences; grey cells: the actor "
            "is not mentioned. A sentence's score is not necessarily about the actor it names. When the cells "
            "are too narrow for their numbers, every mean and n is in tables/actors_by_article.csv."
            + _outlet_sentence(analysis) + _date_note(analysis))


# ---- 6 ---------------------------------------------------------------------------------------------------

def _replies_scored(analysis: Analysis) -> pl.DataFrame:
    return analysis.edges.filter(pl.col("score").is_not_null() & pl.col("parent_score").is_not_null())


def _replies_skip(analysis: Analysis, tables: ReportTables) -> str | None:
    if analysis.edges.height == 0:
        return "the corpus has no replies"
    if _replies_scored(analysis).height == 0:
        return "no reply where both comments have text"
    return None


def _replies_draw(analysis: Analysis, tables: ReportTables, style: Style) -> Figure:
    side = min(style.width_in, 3.5 * style.font_size / 7)
    fig = _figure(style, side * 0.95)
    fig.set_figwidth(style.width_in)
    plots.reply_dynamics(analysis, ax=fig.add_subplot())
    return fig


def _replies_caption(analysis: Analysis, tables: ReportTables) -> str:
    n = _replies_scored(analysis).height
    how = ("by reply depth" if n <= plots.MAX_REPLY_POINTS else
           f"drawn as the number of replies in each cell of a {plots.REPLY_CELLS} \u00d7 {plots.REPLY_CELLS} grid "
           "(log colour scale), there being too many for one point each")
    return (f"Reply dynamics: each reply's score against the score of the comment it answers (n = {_fmt(n)} "
            f"replies where both have text, of {_fmt(analysis.edges.height)} replies), {how}. Dashed: "
            "y = x, no change in tone; above it the reply is more positive than its parent. Scores are mean "
            "sentence compounds (\u22121 to 1).")


FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec("sentiment_shift", "Sentiment across articles", _shift_skip, _shift_draw, _shift_caption),
    FigureSpec("topic_prevalence", "Topic prevalence", _topics_skip, _prevalence_draw, _prevalence_caption),
    FigureSpec("topic_shift", "Topic shift", _topic_shift_skip, _topic_shift_draw, _topic_shift_caption),
    FigureSpec("thread_trees", "Reply trees", _trees_skip, _trees_draw, _trees_caption),
    FigureSpec("actor_sentiment", "Actor-targeted sentiment", _actors_skip, _actors_draw, _actors_caption),
    FigureSpec("reply_dynamics", "Reply dynamics", _replies_skip, _replies_draw, _replies_caption),
)
