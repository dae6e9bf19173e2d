"""The report's texts on disk: put aside once scored, read back for what the thread browser shows; the
aggregates, figures' tables and the page are the same as with the texts in memory."""

from __future__ import annotations

import polars as pl
import pytest

from discourse.report import html as H
from discourse.report import tables as T
from discourse.report import texts as X


@pytest.fixture()
def aside(bundled, tmp_path, monkeypatch):
    monkeypatch.setattr(X, "ROWS", 3)  # many row groups, so a read back crosses them
    return X.set_aside(bundled, tmp_path)


def test_the_texts_leave_the_tables_and_come_back_in_place(bundled, aside):
    analysis, texts = aside
    assert "text" not in analysis.comments.columns and "text" not in analysis.paragraphs.columns
    assert "body" not in analysis.articles.columns
    assert analysis.comments.equals(bundled.comments.drop("text"))
    for name in ("comments", "paragraphs"):
        table = getattr(analysis, name)
        every = pl.int_range(table.height, eager=True)
        assert texts.restore(name, table, every).equals(getattr(bundled, name)), name
        assert "text" not in table.columns  # the rows given are left as they were


def test_some_rows_come_back_in_any_order_with_their_texts(bundled, aside):
    analysis, texts = aside
    n = analysis.comments.height
    assert n > 3 * 3
    positions = pl.Series([n - 1, 0, 7, 4, 7, 3], dtype=pl.UInt32)   # across row groups, repeated, unordered
    back = texts.restore("comments", analysis.comments[positions], positions)
    assert back.equals(bundled.comments[positions])
    assert back.columns == bundled.comments.columns
    none = texts.restore("comments", analysis.comments.clear(), pl.Series([], dtype=pl.UInt32))
    assert none.equals(bundled.comments.clear())


def test_rows_and_positions_must_agree(aside):
    analysis, texts = aside
    with pytest.raises(ValueError):
        texts.restore("comments", analysis.comments.head(2), pl.Series([0]))
    with pytest.raises(ValueError):
        texts.restore("comments", analysis.comments.head(1), pl.Series([analysis.comments.height]))


def test_the_aggregates_do_not_need_the_texts(bundled, aside):
    analysis, _ = aside
    with_texts, without = T.report_tables(bundled, resamples=200), T.report_tables(analysis, resamples=200)
    for name in T.ReportTables.FILES:
        assert getattr(without, name).equals(getattr(with_texts, name)), name


@pytest.mark.parametrize("shown", [None, 5])
def test_the_browser_shows_the_same_page_from_texts_on_disk(bundled, aside, monkeypatch, shown):
    # shown=5: a corpus too large for every comment (the largest threads only) and for every article's text
    if shown is not None:
        monkeypatch.setattr(H, "BROWSER_COMMENTS", shown)
        monkeypatch.setattr(H, "BROWSER_SHOWN", shown)
        monkeypatch.setattr(H, "BROWSER_TEXTS", 2)
    analysis, texts = aside
    page = H.thread_browser(bundled)
    assert H.thread_browser(analysis, texts) == page
    if shown is not None:
        assert "largest threads" in page and "Not shown" in page


def test_a_report_from_an_export_reads_the_texts_from_its_files(bundled, tmp_path, monkeypatch):
    from discourse.writers import export
    from discourse.writers.exported import open_export

    export(bundled, tmp_path / "export")
    whole = open_export(tmp_path / "export")
    monkeypatch.setattr(X, "ROWS", 3)
    analysis, texts = X.in_export(tmp_path / "export")
    assert "text" not in analysis.comments.columns and "body" not in analysis.articles.columns
    for name in ("comments", "paragraphs"):
        table = getattr(analysis, name)
        assert table.equals(getattr(whole, name).drop("text")), name
        assert texts.restore(name, table, pl.int_range(table.height, eager=True)).equals(getattr(whole, name))
    monkeypatch.setattr(H, "BROWSER_COMMENTS", 5)
    monkeypatch.setattr(H, "BROWSER_SHOWN", 5)
    assert H.thread_browser(analysis, texts) == H.thread_browser(whole)
