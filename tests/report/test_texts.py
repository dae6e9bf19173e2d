"""The report's texts on disk: put aside once scored, read back for what the thread browser shows; the
aggregates, figures' tables and the page are the same as with the texts in memory."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from discourse.report import html as H
from discourse.report import tables as T
from discourse.report import texts as X

ROOT = Path(__file__).resolve().parents[2]


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


def test_texts_left_on_disk_by_analyze_are_those_read_back(bundled, tmp_path, monkeypatch):
    # analyze(keep_texts=False): the same tables without their texts, which come back from the spill folder
    import discourse
    from discourse.model import frame
    from discourse.scoring import pipeline

    monkeypatch.setattr(pipeline, "TEXT_ROWS", 3)  # many row groups, so a read back crosses them
    spill = tmp_path / "spill"
    spill.mkdir()
    (tmp_path / "kept").mkdir()
    whole = discourse.analyze(ROOT / "threads", spill=tmp_path / "kept")
    analysis = discourse.analyze(ROOT / "threads", spill=spill, keep_texts=False)
    assert whole.comments.equals(bundled.comments) and whole.paragraphs.equals(bundled.paragraphs)
    assert analysis.comments.equals(bundled.comments.drop("text"))
    assert analysis.paragraphs.equals(bundled.paragraphs.drop("text"))
    assert analysis.articles.equals(bundled.articles.drop("body"))
    for name in ("sentences", "tags", "mentions"):
        assert frame(getattr(analysis, name)).equals(frame(getattr(whole, name))), name
    for name in ("actor_sentiment", "edges", "threads", "speakers", "diagnostics", "files"):
        assert getattr(analysis, name).equals(getattr(bundled, name)), name
    assert analysis.settings == bundled.settings
    assert sorted(p.name for p in spill.glob("*-text.*")) == ["comments-text.parquet", "paragraphs-text.parquet"]
    assert pl.scan_parquet(spill / "comments-text.parquet").collect().height == bundled.comments.height
    texts = X.in_spill(analysis, spill)
    for name in ("comments", "paragraphs"):
        table = getattr(analysis, name)
        back = texts.restore(name, table, pl.int_range(table.height, eager=True))
        assert back.equals(getattr(bundled, name)), name
    positions = pl.Series([analysis.comments.height - 1, 0, 4], dtype=pl.UInt32)
    assert texts.restore("comments", analysis.comments[positions], positions).equals(bundled.comments[positions])
    with pytest.raises(ValueError, match="keep_texts"):
        X.in_spill(bundled, spill)
    with pytest.raises(ValueError, match="texts for the"):
        X.in_spill(replace(analysis, comments=analysis.comments.head(3)), spill)


def test_keep_texts_false_needs_a_spill_folder():
    import discourse
    from discourse.errors import ConfigError

    with pytest.raises(ConfigError, match="spill"):
        discourse.analyze(ROOT / "threads", keep_texts=False)


def test_the_report_from_texts_left_on_disk_is_the_report_with_texts_in_memory(bundled, tmp_path, monkeypatch):
    # discourse report leaves the texts on disk from scoring on; the report's every file is the one drawn from
    # the analysis with its texts in memory, byte for byte (the thread browser's texts included)
    from discourse.report.build import build_report, report
    from discourse.scoring import pipeline

    monkeypatch.setattr(pipeline, "TEXT_ROWS", 4)
    monkeypatch.setattr(H, "BROWSER_COMMENTS", 5)  # the largest threads only, and two articles' texts
    monkeypatch.setattr(H, "BROWSER_SHOWN", 5)
    monkeypatch.setattr(H, "BROWSER_TEXTS", 2)
    calls = []
    analyze = pipeline.analyze
    monkeypatch.setattr(pipeline, "analyze", lambda *a, **k: calls.append(k["keep_texts"]) or analyze(*a, **k))
    on_disk = report(ROOT / "threads", tmp_path / "disk", workers=1)
    in_memory = build_report(bundled, tmp_path / "memory")
    assert calls == [False]
    files = sorted(p.relative_to(on_disk) for p in on_disk.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(in_memory) for p in in_memory.rglob("*") if p.is_file())
    assert len(files) > 30 and not any(".scoring" in str(f) for f in files)
    assert [f for f in files if (on_disk / f).read_bytes() != (in_memory / f).read_bytes()] == []
