"""The figure functions, checked through the artists they draw (points, colours, labels, n), not pixels."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure

import discourse
from discourse.readers.asbarez import render
from discourse.report import palettes, plots
from discourse.report import tables as T

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def analysis():
    return discourse.analyze(ROOT / "threads")


def new_ax(width: float = 3.5, height: float = 2.6):
    return Figure(figsize=(width, height), layout="constrained").add_subplot()


def name(artist) -> str | None:
    gid = artist.get_gid()
    return gid.split(".")[0] if gid else None


def by_gid(ax, gid: str) -> list:
    return [a for a in ax.get_children() if name(a) == gid]


def line(ax, gid: str):
    found = [ln for ln in ax.lines if name(ln) == gid]
    assert len(found) == 1, (gid, [ln.get_gid() for ln in ax.lines])
    return found[0]


# ---- the colour scales ------------------------------------------------------------------------------------

def _lab_lightness(hex_color: str) -> float:
    c = np.array(to_rgb(hex_color))
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    y = lin @ np.array([0.2126, 0.7152, 0.0722])
    return float(116 * np.cbrt(y) - 16 if y > 0.008856 else 903.3 * y)


def test_score_scale_is_centred_and_symmetric():
    norm = palettes.score_norm()
    assert (norm.vmin, norm.vmax) == (-1, 1) and norm(0.0) == 0.5
    for x in (0.1, 0.25, 0.5, 0.75, 1.0):
        low, high = palettes.score_color(-x), palettes.score_color(x)
        assert low != high
        assert abs(_lab_lightness(low) - _lab_lightness(high)) < 6, x   # same lightness either side of 0
    # lightness falls monotonically from the neutral midpoint to both ends
    for sign in (-1, 1):
        ls = [_lab_lightness(palettes.score_color(sign * x)) for x in np.linspace(0, 1, 11)]
        assert all(a >= b - 0.5 for a, b in zip(ls, ls[1:]))


def test_score_color_is_the_figures_colour():
    cmap, norm = palettes.score_cmap(), palettes.score_norm()
    for x in np.linspace(-1, 1, 41):
        assert palettes.score_color(float(x)) == to_hex(cmap(norm(x)))
    assert palettes.score_color(None) == palettes.NO_SCORE


# Machado, Oliveira & Fernandes (2009), severity 1, in linear RGB
CVD = {
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}


def _simulate_lab(hex_color: str, matrix) -> np.ndarray:
    """CIELAB (D65) of ``hex_color`` as seen with the simulated deficiency."""
    c = np.array(to_rgb(hex_color))
    lin = np.clip(matrix @ np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4), 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ lin
    f = np.cbrt(xyz / np.array([0.95047, 1.0, 1.08883]))
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("kind", sorted(CVD))
def test_negative_and_positive_stay_apart_with_colour_blindness(kind):
    # under each simulated deficiency, -x and +x remain clearly different colours (CIELAB distance)
    for x in (0.4, 0.7, 1.0):
        a, b = _simulate_lab(palettes.score_color(-x), CVD[kind]), _simulate_lab(palettes.score_color(x), CVD[kind])
        assert np.linalg.norm(a - b) > 15, (kind, x, np.linalg.norm(a - b))


def test_categorical_palette_is_okabe_ito():
    assert palettes.OKABE_ITO[:3] == ("#0072B2", "#E69F00", "#009E73")
    assert {c for c, _ in palettes.SERIES_STYLE.values()} <= set(palettes.OKABE_ITO)


# ---- 1. sentiment_shift -----------------------------------------------------------------------------------

def test_sentiment_shift_points_intervals_and_n(analysis):
    ax = plots.sentiment_shift(analysis, ax=new_ax())
    data = T.sentiment_by_article(analysis)
    order = T.article_order(analysis.articles).get_column("article_id").to_list()
    assert order == ["002", "004", "000", "001", "003"]
    for s in T.SERIES:
        rows = data.filter((pl.col("series") == s) & (pl.col("n") > 0))
        big, small = rows.filter(~pl.col("small")), rows.filter(pl.col("small"))
        if big.height:
            filled = line(ax, f"sentiment-shift-{s}-filled")
            assert list(filled.get_ydata()) == big.get_column("mean").to_list()
            assert to_hex(filled.get_markerfacecolor()) == palettes.SERIES_STYLE[s][0].lower()
            xs = np.round(filled.get_xdata()).astype(int).tolist()
            assert [order[x] for x in xs] == big.get_column("article_id").to_list()
        if small.height:
            hollow = line(ax, f"sentiment-shift-{s}-hollow")
            assert list(hollow.get_ydata()) == small.get_column("mean").to_list()
            assert to_hex(hollow.get_markerfacecolor()) == "#ffffff"
        labels = [t.get_text() for t in by_gid(ax, f"sentiment-shift-{s}-n")]
        assert labels == [str(n) for n in rows.get_column("n")]
    # on the bundled corpus: quoted speech in 002 and 000 (7 and 49 sentences, but each from fewer than 5
    # paragraphs) and in 001 (2 sentences), and the comments of 004 (2) are too small
    assert line(ax, "sentiment-shift-quoted-hollow").get_ydata().tolist() == [0.0845, -0.0079, -0.2377]
    assert len(line(ax, "sentiment-shift-comments-hollow").get_xdata()) == 1
    # every interval drawn belongs to a large group and contains its mean
    for s in T.SERIES:
        bars = by_gid(ax, f"sentiment-shift-{s}-ci")
        rows = data.filter((pl.col("series") == s) & pl.col("ci_low").is_not_null())
        if not rows.height:
            continue
        segments = bars[0].get_segments()
        assert len(segments) == rows.height
        for seg, (lo, hi, mean) in zip(segments, rows.select("ci_low", "ci_high", "mean").iter_rows()):
            assert seg[0][1] == pytest.approx(lo) and seg[1][1] == pytest.approx(hi) and lo <= mean <= hi


def test_sentiment_shift_axis_labels_mark_estimated_dates(analysis):
    ax = plots.sentiment_shift(analysis, ax=new_ax())
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[0].startswith("002 (A)\n") and "~" not in ticks[0]      # 002 has a printed date
    assert all("~" in t for t in ticks[1:])                                # the others are estimated
    assert "2016" in ticks[0] and "Oct" in ticks[1]
    assert "compound" in ax.get_ylabel() and "publication order" in ax.get_xlabel()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "~ estimated date" in legend and any("< 5 clusters" in t for t in legend)
    assert -1.05 <= ax.get_ylim()[0] < ax.get_ylim()[1] <= 1.05


def test_sentiment_shift_rejects_unknown_series(analysis):
    with pytest.raises(ValueError, match="valid series: own, quoted, comments"):
        plots.sentiment_shift(analysis, ax=new_ax(), series=("own", "tweets"))


# ---- 2. topic_prevalence ----------------------------------------------------------------------------------

def test_topic_prevalence_cells_and_counts(analysis):
    ax = plots.topic_prevalence(analysis, ax=new_ax(3.5, 4), kind="comment")
    mesh = by_gid(ax, "topic-prevalence-comment-cells")[0]
    shares = T.topic_shares(analysis).filter(pl.col("kind") == "comment")
    topics = [t.name for t in analysis.lexicon.topics]
    ids = ["002", "004"]                                     # only articles with comments
    expected = [[shares.filter((pl.col("article_id") == a) & (pl.col("topic") == t)).item(0, "share")
                 for a in ids] for t in topics]
    assert np.allclose(np.asarray(mesh.get_array()).reshape(len(topics), len(ids)), expected)
    counts = [t.get_text() for t in by_gid(ax, "topic-prevalence-count")]
    assert len(counts) == len(topics) * len(ids)
    assert counts[:2] == ["2/11", "0/2"]                    # betrayal: 2 of 11 comments of 002 with text
    assert [t.get_text() for t in ax.get_yticklabels()][:4] == ["Betrayal", "Unity", "Concessions", "War"]
    assert len(by_gid(ax, "topic-prevalence-small")) == 1  # 004 has two comments: flagged as too small


def test_topic_prevalence_article_text(analysis):
    ax = plots.topic_prevalence(analysis, ax=new_ax(3.5, 4), kind="article")
    assert len(ax.get_xticklabels()) == 5
    # betrayal in 001: Putin's quoted "talk about some kind of betrayal ... is absolutely groundless" (001/p5)
    # does not count (betrayal sets quotation = "quoted"), nor do the accusations the article reports
    # ("nationalists accuse Pashinyan of betraying", "accusations of betrayal": 001/p11, p13); 000/p17's
    # "left all alone to their fate" does
    assert [t.get_text() for t in by_gid(ax, "topic-prevalence-count")][:5] == ["0/15", "0/14", "1/17", "0/24", "0/9"]
    assert not by_gid(ax, "topic-prevalence-small")
    with pytest.raises(ValueError, match="valid kinds: article, comment"):
        plots.topic_prevalence(analysis, ax=new_ax(), kind="tweet")


# ---- 3. topic_shift ---------------------------------------------------------------------------------------

def test_topic_shift_one_topic_per_panel_with_wilson_intervals(analysis):
    ax = plots.topic_shift(analysis, ax=new_ax(), topic="concessions")
    shares = T.topic_shares(analysis).filter(pl.col("topic") == "concessions")
    order = T.article_order(analysis.articles).get_column("article_id").to_list()
    art = shares.filter(pl.col("kind") == "article")
    filled = line(ax, "topic-shift-article-filled")
    assert filled.get_ydata().tolist() == art.get_column("share").to_list()
    assert to_hex(filled.get_color()) == palettes.KIND_STYLE["article"][0].lower()
    (bars,) = by_gid(ax, "topic-shift-article-ci")
    for seg, (lo, hi) in zip(bars.get_segments(), art.select("ci_low", "ci_high").iter_rows()):
        assert (seg[0][1], seg[1][1]) == (pytest.approx(lo), pytest.approx(hi))
    # the two kinds sit side by side, never on one spot
    com = line(ax, "topic-shift-comment-filled")
    assert set(np.round(com.get_xdata(), 3)).isdisjoint(np.round(filled.get_xdata(), 3))
    assert ax.get_title(loc="left") == "Concessions"
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert [t.split("\n")[-1] for t in ticks] == ["n 15/11", "n 14/2", "n 17/0", "n 24/0", "n 9/0"]
    assert [t.split("\n")[0] for t in ticks] == ["002 (A)", "004 (B)", "000 (C)", "001 (D)", "003 (E)"]
    assert order == ["002", "004", "000", "001", "003"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "95% Wilson interval" in legend and any("n < 5" in t for t in legend)


def test_topic_shift_small_points_are_hollow_and_break_the_line(analysis):
    ax = plots.topic_shift(analysis, ax=new_ax(), topic="war_violence")
    # 002 has 11 comments with text (6 tagged: 002/9's "invade" is about Tsarist Russia, history not war),
    # 004 two (both tagged): 004 is small
    assert line(ax, "topic-shift-comment-filled").get_ydata().tolist() == [pytest.approx(6 / 11, abs=1e-4)]
    hollow = line(ax, "topic-shift-comment-hollow")
    assert hollow.get_ydata().tolist() == [1.0] and to_hex(hollow.get_markerfacecolor()) == "#ffffff"
    # no line runs into the small point of 004
    assert len(line(ax, "topic-shift-comment-line").get_ydata()) == 0
    # article text: five large points, one unbroken line through them
    assert line(ax, "topic-shift-article-line").get_ydata().tolist() == \
        line(ax, "topic-shift-article-filled").get_ydata().tolist()
    with pytest.raises(ValueError, match="unknown topic"):
        plots.topic_shift(analysis, ax=new_ax(), topic="nope")


def test_shift_topics_lead_with_the_lexicons_first_topics(analysis):
    topics = T.shift_topics(analysis)
    # betrayal, unity and concessions lead the default lexicon: shown however rarely they are tagged
    assert topics[:3] == ["betrayal", "unity", "concessions"] and len(topics) == 6
    summary = T.topic_summary(analysis)
    others = [t for t in T.top_topics(summary, 10) if t not in topics[:3]][:3]
    assert set(topics[3:]) == set(others)
    assert T.shift_topics(analysis, total=2) == ["betrayal", "unity", "concessions"]   # the leading ones stay


def test_joined_breaks_at_small_points_and_gaps():
    nan_free = plots.joined([(0, 0.0, 1.0, False), (1, 1.0, 2.0, False), (2, 2.0, 3.0, False)])
    assert nan_free == ([0.0, 1.0, 2.0], [1.0, 2.0, 3.0])
    xs, ys = plots.joined([(0, 0.0, 1.0, False), (1, 1.0, 2.0, False), (2, 2.0, 9.0, True),
                           (3, 3.0, 3.0, False), (4, 4.0, 4.0, False), (6, 6.0, 6.0, False)])
    assert xs[:2] == [0.0, 1.0] and np.isnan(xs[2]) and xs[3:] == [3.0, 4.0]
    assert 9.0 not in ys and 6.0 not in ys          # the small point and the one past a gap stand alone


def test_sentiment_shift_lines_do_not_run_into_small_points(analysis):
    ax = plots.sentiment_shift(analysis, ax=new_ax())
    small = T.sentiment_by_article(analysis).filter(pl.col("small") & (pl.col("n") > 0))
    for s in T.SERIES:
        ys = line(ax, f"sentiment-shift-{s}-line").get_ydata().tolist()
        for mean in small.filter(pl.col("series") == s).get_column("mean"):
            assert mean not in ys, (s, mean)
    # own voice: five large groups in a row, joined by one line
    assert len(line(ax, "sentiment-shift-own-line").get_ydata()) == 5


def test_outlets_are_lettered_in_publication_order(analysis):
    codes = T.outlets(analysis)
    assert list(codes.values()) == ["A", "B", "C", "D", "E"]
    assert next(iter(codes)) == "Asbarez (editorial)"          # 002, the first article, 2016
    assert T.outlet_key(analysis).startswith("Outlets: A = Asbarez (editorial), B = Asbarez")
    one = discourse.analyze(ROOT / "threads" / "002_f95fa880e584f71f.txt")
    assert T.outlets(one) == {} and T.outlet_key(one) == ""


# ---- 4. thread_trees --------------------------------------------------------------------------------------

def test_thread_trees_nodes_edges_labels_topics(analysis):
    ax = plots.thread_trees(analysis, ax=new_ax(3.5, 3), article_id="002")
    comments = analysis.comments.filter(pl.col("article_id") == "002")
    nodes = by_gid(ax, "thread-trees-nodes")[0]
    colors = [to_hex(c) for c in nodes.get_facecolors()]
    assert colors == [palettes.score_color(s) for s in comments.get_column("sent_score")]
    assert colors[2] == palettes.NO_SCORE                        # 002/2.1, jOE's comment without text
    offsets = nodes.get_offsets()
    assert offsets[:, 1].tolist() == [-i for i in range(comments.height)]
    depth = comments.get_column("depth").to_list()
    assert offsets[2, 0] > offsets[1, 0] and (offsets[:, 0][np.array(depth) == 0] == offsets[0, 0]).all()
    edges = by_gid(ax, "thread-trees-edges")[0].get_segments()
    assert len(edges) == comments.filter(pl.col("depth") > 0).height == 3
    labels = [t.get_text() for t in by_gid(ax, "thread-trees-label")]
    assert labels[:3] == ["1  Tavit", "2  Vache", "2.1  jOE"]
    tagged = by_gid(ax, "thread-trees-topics")[0]
    assert len(tagged.get_offsets()) == sum(len(t) for t in comments.get_column("topic_tags"))
    heads = [t.get_text() for t in by_gid(ax, "thread-trees-topic-label")]
    assert heads[:3] == ["Betrayal", "Unity", "Concessions"]
    ax2 = plots.thread_trees(analysis, ax=new_ax(), article_id="002", topic_header=False, max_comments=4)
    assert not by_gid(ax2, "thread-trees-topic-label") and len(by_gid(ax2, "thread-trees-nodes")[0].get_offsets()) == 4


def test_thread_trees_labels_of_deep_replies_stop_before_the_topic_grid(tmp_path):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    chain = [(d, f"Commenter With A Long Name {d}", "Russia betrayed the peace talks.") for d in range(10)]
    (tmp_path / "deep.txt").write_text(render("Deep", ["Peace talks failed."], chain), encoding="utf-8")
    a = discourse.analyze(tmp_path)
    fig = Figure(figsize=(3.5, 2.6), layout="constrained")
    canvas = FigureCanvasAgg(fig)
    ax = plots.thread_trees(a, ax=fig.add_subplot(), article_id="deep")
    canvas.draw()
    renderer = canvas.get_renderer()
    grid_x = ax.transData.transform((by_gid(ax, "thread-trees-topic-grid")[0].get_offsets()[:, 0].min(), 0))[0]
    labels = by_gid(ax, "thread-trees-label")
    assert len(labels) == 10 and "\u2026" in labels[-1].get_text()               # the deepest is cut
    for label in labels:
        assert label.get_window_extent(renderer).x1 < grid_x, label.get_text()


def test_thread_trees_unknown_and_empty_articles(analysis):
    with pytest.raises(ValueError, match="articles with comments: 002, 004"):
        plots.thread_trees(analysis, ax=new_ax(), article_id="999")
    ax = plots.thread_trees(analysis, ax=new_ax(), article_id="000")
    assert by_gid(ax, "empty-note")[0].get_text() == "000: no comments"
    assert plots.articles_with_comments(analysis) == ["002", "004"]


# ---- 5. actor_sentiment -----------------------------------------------------------------------------------

def test_actor_sentiment_cells_n_and_small_flags(analysis):
    ax = plots.actor_sentiment(analysis, ax=new_ax(3.5, 4), kind="comment")
    data = analysis.actor_sentiment.filter(pl.col("kind") == "comment")
    values = [t.get_text() for t in by_gid(ax, "actor-sentiment-value")]
    assert len(values) == data.height
    assert "\u22120.21\nn=11" in values                      # Armenia in the comments of 002
    assert len(by_gid(ax, "actor-sentiment-small")) == data.filter(pl.col("small")).height
    big = np.ma.getmaskarray(by_gid(ax, "actor-sentiment-comment-cells")[0].get_array())
    assert (~big).sum() == data.filter(~pl.col("small")).height
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows[0] == "Russia" and "United Nations" not in rows   # never mentioned: left out
    assert "The United States\nand the West" in rows


def test_actor_sentiment_uses_the_diverging_scale(analysis):
    ax = plots.actor_sentiment(analysis, ax=new_ax(3.5, 4), kind="article")
    mesh = by_gid(ax, "actor-sentiment-article-cells")[0]
    assert (mesh.norm.vmin, mesh.norm.vmax) == (-1, 1)
    assert to_hex(mesh.cmap(0.0)) == palettes.DIVERGING[0] and to_hex(mesh.cmap(1.0)) == palettes.DIVERGING[-1]


# ---- 6. reply_dynamics ------------------------------------------------------------------------------------

def test_reply_dynamics_points_and_identity(analysis):
    ax = plots.reply_dynamics(analysis, ax=new_ax(3.5, 3.5))
    pts = line(ax, "reply-dynamics-depth-1")
    edges = analysis.edges.drop_nulls(["score", "parent_score"])
    assert pts.get_xdata().tolist() == edges.get_column("parent_score").to_list()
    assert pts.get_ydata().tolist() == edges.get_column("score").to_list()
    assert pts.get_label() == "replies at depth 1 (n=2)"
    ident = line(ax, "reply-dynamics-identity")
    assert ident.get_xdata().tolist() == [-1, 1] and ident.get_ydata().tolist() == [-1, 1]
    assert [t.get_text() for t in by_gid(ax, "reply-dynamics-label")] == ["002/4.1", "002/7.1"]


# ---- robustness -------------------------------------------------------------------------------------------

def test_text_from_the_input_is_never_mathtext(tmp_path):
    (tmp_path / "m.txt").write_text(render("Cost $5 and $x^2$", ["Prices rose. Russia paid $5 and $6."],
                                           [(0, r"$\frac{a}{b}$ and $", "Russia is $$ rich."),
                                            (1, "$x_1$", "War $ peace.")]), encoding="utf-8")
    a = discourse.analyze(tmp_path)
    for name in plots.FIGURES:
        ax = new_ax()
        kwargs = {"article_id": "m"} if name == "thread_trees" else {"topic": "betrayal"} if name == "topic_shift" else {}
        getattr(plots, name)(a, ax=ax, **kwargs)
        ax.figure.savefig(io.BytesIO(), format="svg")      # a mathtext parse error would raise here
    ax = plots.thread_trees(a, ax=new_ax(), article_id="m")
    label = [t.get_text() for t in by_gid(ax, "thread-trees-label")][0]
    assert label.startswith(r"1  \$\frac{a}{b}\$")


def test_importing_discourse_does_not_import_matplotlib():
    code = ("import sys, discourse, discourse.report.plots, discourse.cli, discourse.report; "
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'; "
            "discourse.report.palettes.score_color(0.3); assert 'matplotlib' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_artist_ids_are_unique_in_every_svg(analysis):
    fig = Figure(figsize=(7, 8))
    axes = fig.subplots(3, 2)
    plots.thread_trees(analysis, ax=axes[0, 0], article_id="002")
    plots.thread_trees(analysis, ax=axes[0, 1], article_id="004")
    plots.topic_prevalence(analysis, ax=axes[1, 0], kind="article")
    plots.topic_prevalence(analysis, ax=axes[1, 1], kind="comment")
    plots.actor_sentiment(analysis, ax=axes[2, 0], kind="article")
    plots.actor_sentiment(analysis, ax=axes[2, 1], kind="comment")
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    import re

    ids = re.findall(r' id="([^"]+)"', buf.getvalue())
    assert len(ids) == len(set(ids))


def test_library_never_uses_pyplot():
    for path in (ROOT / "discourse" / "report").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "pyplot" not in text and "plt." not in text, path


# ---- many articles: counts that no longer fit beside their points or in their cells ---------------------

@pytest.fixture(scope="module")
def many(tmp_path_factory):
    from discourse.bench.synth import generate

    corpus = generate(tmp_path_factory.mktemp("many") / "corpus", 600, seed=3).path
    return discourse.analyze(corpus)


def test_sentiment_shift_with_many_articles_puts_each_n_in_the_tick_label(many, analysis):
    assert many.articles.height > 16
    ax = plots.sentiment_shift(many, ax=new_ax())
    assert not any(by_gid(ax, f"sentiment-shift-{s}-n") for s in T.SERIES)
    data = T.sentiment_by_article(many)
    n_of = {(a, s): n for a, s, n in data.select("article_id", "series", "n").iter_rows()}
    order = T.article_order(many.articles).get_column("article_id").to_list()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert len(ticks) == len(order)
    for aid, tick in zip(order, ticks):
        assert tick.startswith(aid + " (")                                  # the outlet's letter
        assert tick.endswith(" n " + "/".join(str(n_of.get((aid, s), 0)) for s in T.SERIES))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Last: n own/quot./comm." in legend and "Numbers: n units" not in legend
    # five articles: the n sits above each point, tick labels carry none
    ax = plots.sentiment_shift(analysis, ax=new_ax())
    assert by_gid(ax, "sentiment-shift-comments-n")
    assert not any(" n " in t.get_text() for t in ax.get_xticklabels())


def test_topic_prevalence_with_many_articles_prints_n_along_the_top(many, analysis):
    ax = plots.topic_prevalence(many, ax=new_ax(), kind="comment")
    assert not by_gid(ax, "topic-prevalence-count")
    (top,) = by_gid(ax, "topic-prevalence-comment-n")
    shares = T.topic_shares(many).filter(pl.col("kind") == "comment")
    n_by = dict(shares.select("article_id", "n").unique().iter_rows())
    order = [a for a in T.article_order(many.articles).get_column("article_id").to_list() if n_by.get(a, 0) > 0]
    assert [t.get_text() for t in top.get_xticklabels()] == [str(n_by[a]) for a in order]
    # the bundled corpus keeps k/n in the cells
    ax = plots.topic_prevalence(analysis, ax=new_ax(), kind="comment")
    assert by_gid(ax, "topic-prevalence-count") and not by_gid(ax, "topic-prevalence-comment-n")


def test_actor_sentiment_leaves_numbers_out_of_cells_too_narrow_for_them(many, analysis):
    ax = plots.actor_sentiment(many, ax=new_ax(), kind="comment")
    assert by_gid(ax, "actor-sentiment-comment-cells") and not by_gid(ax, "actor-sentiment-value")
    ax = plots.actor_sentiment(analysis, ax=new_ax(7.16, 4), kind="comment")
    assert by_gid(ax, "actor-sentiment-value")
    forced = plots.actor_sentiment(many, ax=new_ax(), kind="comment", annotate=True)
    assert by_gid(forced, "actor-sentiment-value")


def test_reply_dynamics_legend_fits_a_single_column_figure(many):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(figsize=(3.5, 3.3), layout="constrained")
    canvas = FigureCanvasAgg(fig)
    ax = plots.reply_dynamics(many, ax=fig.add_subplot())
    assert len(ax.get_legend().get_texts()) >= 2
    canvas.draw()
    assert ax.get_legend().get_window_extent(canvas.get_renderer()).width / fig.dpi <= 3.5
    assert ax.get_position().width > 0.5  # the layout kept the axes (it collapses them when a legend cannot fit)
