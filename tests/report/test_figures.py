"""The report's figure layouts and captions (discourse.report.figures): sizes that print, panels, keys."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

import discourse
from discourse.report import figures as F
from discourse.report import tables as T
from discourse.report.style import Style

ROOT = Path(__file__).resolve().parents[2]
SPECS = {f.name: f for f in F.FIGURES}


@pytest.fixture(scope="module")
def bundled():
    a = discourse.analyze(ROOT / "threads")
    return a, T.report_tables(a)


@pytest.fixture(scope="module")
def many():
    from discourse.bench.synth import generate
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        a = discourse.analyze(generate(Path(tmp) / "corpus", 1300, seed=1).path)
    return a, T.report_tables(a)


def draw(name, analysis, tables, width="single"):
    style = Style("paper", width)
    with matplotlib.rc_context(style.rc()):
        return SPECS[name].draw(analysis, tables, style)


def test_topic_shift_has_a_panel_per_topic_led_by_the_lexicons_first_topics(bundled):
    a, t = bundled
    for width, columns in (("single", 1), ("double", 3)):
        fig = draw("topic_shift", a, t, width)
        shown = [ax for ax in fig.axes if ax.get_visible() and ax.get_title(loc="left")]
        # the three leading topics, then the three others with the most tagged units (sovereignty now ahead of
        # negotiation: "part of Azerbaijan", "Azerbaijani territory" imply it)
        assert [ax.get_title(loc="left") for ax in shown] == ["Betrayal", "Unity", "Concessions", "War",
                                                              "Sovereignty", "Alliances"]
        lefts = sorted({round(ax.get_position().x0, 2) for ax in shown})
        assert len(lefts) == columns, width
        # tick labels only under the bottom panel of each column
        labelled = [ax for ax in shown if any(t.get_text() for t in ax.get_xticklabels())]
        assert len(labelled) == columns
        assert fig.get_size_inches()[1] <= 9
    caption = SPECS["topic_shift"].caption(a, t)
    assert "Betrayal, Unity and division, Concessions and compromise" in caption
    assert "Wilson" in caption and "Hollow" in caption and "lines join" in caption


def test_cross_article_figures_name_the_outlets(bundled):
    a, t = bundled
    key = T.outlet_key(a)
    for name in ("sentiment_shift", "topic_prevalence", "topic_shift", "actor_sentiment"):
        fig = draw(name, a, t)
        assert fig._supxlabel is not None and fig._supxlabel.get_text().replace("\n", " ") == key, name
        assert "A = Asbarez (editorial)" in SPECS[name].caption(a, t), name
        ticks = [lab.get_text() for ax in fig.axes for lab in ax.get_xticklabels()]
        assert any(tick.startswith("002 (A)") for tick in ticks), name


def test_captions_explain_their_marks(bundled):
    a, t = bundled
    assert "Hatched, paled columns" in SPECS["topic_prevalence"].caption(a, t)
    assert "Hatched cells" in SPECS["actor_sentiment"].caption(a, t)
    assert "Hollow points" in SPECS["sentiment_shift"].caption(a, t)
    assert "only where both rest on enough clusters" in SPECS["sentiment_shift"].caption(a, t)
    assert "Squares" in SPECS["thread_trees"].caption(a, t)


def test_reply_trees_fit_a_printed_page(many, bundled):
    a, t = many
    plan = F.tree_plan(a)
    assert sum(rows for _, rows, _ in plan) <= F.MAX_TREE_ROWS
    assert all(rows >= min(total, F.MIN_TREE_ROWS) for _, rows, total in plan)
    counts = dict(a.comments.group_by("article_id").len().iter_rows())
    ranked = sorted(counts.values(), reverse=True)
    assert sorted((total for _, _, total in plan), reverse=True) == ranked[:len(plan)]   # the most commented
    fig = draw("thread_trees", a, t)
    assert fig.get_size_inches()[1] <= 9.0
    caption = SPECS["thread_trees"].caption(a, t)
    assert "To fit a printed page" in caption and "thread browser" in caption
    # the bundled corpus: every comment of both threads
    a, t = bundled
    assert F.tree_plan(a) == [("002", 12, 12), ("004", 2, 2)]
    assert "To fit" not in SPECS["thread_trees"].caption(a, t)


def test_the_figures_view_takes_its_sentiment_rows_from_the_corpus_table(monkeypatch, bundled):
    # the view of the articles with most comments: its sentiment table is the corpus table's rows of those
    # articles, which is what computing it again on the view gives, value for value
    a, t = bundled
    monkeypatch.setattr(F, "MAX_ARTICLES", 3)
    assert a.articles.height > 3
    view, tables, note = F.figure_view(a, t)
    assert view.articles.height == 3 and "3 with the most comments" in note
    again = T.report_tables(view)
    assert tables.sentiment.height == 9
    for name in T.ReportTables.FILES:
        assert getattr(tables, name).equals(getattr(again, name)), name
    fig_from_table = draw("sentiment_shift", view, tables)
    fig_again = draw("sentiment_shift", view, again)
    import io

    svgs = []
    for fig in (fig_from_table, fig_again):
        buf = io.StringIO()
        with matplotlib.rc_context({"svg.hashsalt": "view"}):
            fig.savefig(buf, format="svg", metadata={"Date": None})
        svgs.append(buf.getvalue())
    assert svgs[0] == svgs[1]
