"""build_report: every output, byte-identical reruns, atomic replacement, small and odd corpora, tables."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
from pathlib import Path

import polars as pl
import pytest
from matplotlib.figure import Figure
from PIL import Image
from typer.testing import CliRunner

import discourse
from discourse.cli import app
from discourse.errors import ConfigError, ReportError
from discourse.report import build_report, plots
from discourse.report import tables as T
from discourse.report.figures import FIGURES
from discourse.report.latex import escape as latex_escape
from discourse.report.provenance import provenance, timestamp
from discourse.report.style import Style

ROOT = Path(__file__).resolve().parents[2]
NAMES = [f.name for f in FIGURES]


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(bundled, tmp_path_factory):
    return build_report(bundled, tmp_path_factory.mktemp("r") / "report")


def test_every_output_exists(built):
    for name in NAMES:
        for fmt in ("pdf", "svg", "png"):
            assert (built / "figures" / f"{name}.{fmt}").stat().st_size > 1000, (name, fmt)
    for stem in ("articles", "topics", "actors"):
        assert (built / "tables" / f"{stem}.csv").exists() and (built / "tables" / f"{stem}.tex").exists()
    for stem in ("sentiment", "topics_by_article", "actors_by_article", "speakers"):
        assert (built / "tables" / f"{stem}.csv").exists()
    for name in ("index.html", "report.md", "provenance.json"):
        assert (built / name).exists()
    assert sorted(os.listdir(built)) == ["figures", "index.html", "provenance.json", "report.md", "tables"]


def test_rerun_is_byte_identical(built, tmp_path):
    # a second build from a fresh read and analysis of the same files, into another folder
    first = files_of(built)
    again = files_of(build_report(discourse.analyze(ROOT / "threads"), tmp_path / "two"))
    assert first.keys() == again.keys() and len(first) == 31
    assert [k for k in first if first[k] != again[k]] == []


def test_cli_writes_the_same_report(built, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "rep"
    r = CliRunner().invoke(app, ["report", "--out", str(out), "--quiet"])
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == str(out / "index.html") and r.stderr == ""
    got, want = files_of(out), files_of(built)
    # only the recorded command line differs (it names the output folder)
    assert [k for k in want if got[k] != want[k]] == ["index.html", "provenance.json", "report.md"]
    prov = json.loads(got["provenance.json"])
    assert prov["command"] == ["discourse", "report", "threads", "--out", str(out), "--style", "paper",
                               "--width", "single"]
    assert prov["settings"]["analysis"]["workers"] == 1  # chosen for a corpus this small


def test_figure_files_are_vector_with_embedded_fonts(built):
    pdf = (built / "figures" / "sentiment_shift.pdf").read_bytes()
    assert b"/FontFile2" in pdf and b"/Type3" not in pdf          # TrueType (Type 42), not Type 3
    assert b"DejaVuSans" in pdf and b"CreationDate" not in pdf and b"Matplotlib" not in pdf
    for name in NAMES:
        svg = (built / "figures" / f"{name}.svg").read_text(encoding="utf-8")
        assert "<text" not in svg and "<path" in svg              # glyphs drawn as paths: no font needed
        assert "<dc:date>" not in svg and "Matplotlib" not in svg
        assert "<image" not in svg, name                          # nothing rasterised, colour bars included
        assert b"/Subtype /Image" not in (built / "figures" / f"{name}.pdf").read_bytes(), name
    with Image.open(built / "figures" / "sentiment_shift.png") as im:
        assert round(im.info["dpi"][0]) == 300 and im.width == round(3.5 * 300)
        assert "Software" not in im.info


def test_style_and_width_change_the_figures(bundled, tmp_path):
    out = build_report(bundled, tmp_path / "d", style="slides", width="double")
    with Image.open(out / "figures" / "reply_dynamics.png") as im:
        assert im.width == round(7.16 * 300)
    prov = json.loads((out / "provenance.json").read_text())
    assert prov["settings"]["figures"] == {"style": "slides", "width": "double", "width_in": 7.16, "font_size_pt": 9.0}


@pytest.mark.parametrize("kwargs, message", [
    ({"style": "poster"}, "unknown style 'poster' (valid styles: paper, slides, web)"),
    ({"width": "wide"}, "unknown width 'wide' (valid widths: single, double)"),
])
def test_invalid_style_or_width_lists_the_valid_ones(bundled, tmp_path, kwargs, message):
    with pytest.raises(ConfigError) as err:
        build_report(bundled, tmp_path / "x", **kwargs)
    assert str(err.value) == message
    assert not (tmp_path / "x").exists()


# ---- atomic writing -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("error", [RuntimeError("drawing failed"), KeyboardInterrupt()])
def test_failed_run_leaves_the_previous_report_intact(built, bundled, tmp_path, monkeypatch, error):
    out = tmp_path / "report"
    shutil.copytree(built, out)
    before = files_of(out)
    calls = []

    def boom(*args, **kwargs):
        calls.append(1)
        raise error

    monkeypatch.setattr(plots, "topic_shift", boom)      # the third figure: tables and two figures are written
    with pytest.raises(type(error)):
        build_report(bundled, out)
    assert calls
    assert files_of(out) == before
    assert sorted(os.listdir(tmp_path)) == ["report"]     # no temporary or old folder left behind


def test_report_replaces_the_old_one_and_keeps_hidden_files(built, bundled, tmp_path):
    out = tmp_path / "reports"
    shutil.copytree(built, out)
    (out / ".gitkeep").write_text("")
    (out / "figures" / "stale.png").write_bytes(b"old")
    seen = []
    build_report(bundled, out, progress=lambda done, total, item: seen.append((done, total, item)))
    assert (out / ".gitkeep").exists() and not (out / "figures" / "stale.png").exists()
    assert sorted(os.listdir(tmp_path)) == ["reports"]
    assert files_of(out) == {**files_of(built), ".gitkeep": b""}
    # progress: tables, six figures, pages, done
    assert seen[0] == (0, 8, "tables") and seen[-1] == (8, 8, "done")
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)
    assert "figure sentiment_shift" in [i for _, _, i in seen]


def test_refuses_to_replace_a_folder_that_is_not_a_report(bundled, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ReportError, match=r"not part of a report \(notes.txt\)"):
        build_report(bundled, tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"
    (tmp_path / "file").write_text("x")
    with pytest.raises(ReportError, match="exists and is not a folder"):
        build_report(bundled, tmp_path / "file")


# ---- small and odd corpora --------------------------------------------------------------------------------

def drawn(out: Path) -> set[str]:
    return {p.stem for p in (out / "figures").glob("*.pdf")}


def test_corpus_without_comments(make_corpus, tmp_path, paragraphs):
    PARAGRAPHS = paragraphs
    folder = make_corpus([{"id": "x", "published": "2021-03-01", "paragraphs": PARAGRAPHS},
                          {"id": "y", "published": "2021-04-01", "paragraphs": PARAGRAPHS[::-1]}])
    out = build_report(discourse.analyze(folder), tmp_path / "r")
    assert drawn(out) == {"sentiment_shift", "topic_prevalence", "topic_shift", "actor_sentiment"}
    html = (out / "index.html").read_text(encoding="utf-8")
    md = (out / "report.md").read_text(encoding="utf-8")
    for text in (html, md):
        assert "The corpus has no comments" in text
        assert "is not drawn: the corpus has no comments" in text
        assert "is not drawn: the corpus has no replies" in text


def test_corpus_with_one_article(make_corpus, tmp_path, paragraphs):
    PARAGRAPHS = paragraphs
    folder = make_corpus([{"id": "solo", "published": "2021-03-01", "paragraphs": PARAGRAPHS,
                           "comments": [(0, "Ann", "Russia betrayed us. War again."), (1, "Bob", "Peace now, please.")]}])
    out = build_report(discourse.analyze(folder), tmp_path / "r")
    assert "topic_shift" not in drawn(out)
    assert {"sentiment_shift", "thread_trees", "topic_prevalence", "reply_dynamics"} <= drawn(out)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "a shift needs two or more articles" in html and "The corpus has one article" in html


def test_corpus_without_dates(make_corpus, tmp_path, paragraphs):
    PARAGRAPHS = paragraphs
    folder = make_corpus([{"id": "p", "paragraphs": PARAGRAPHS, "comments": [(0, "Ann", "War. Russia.")]},
                          {"id": "q", "paragraphs": PARAGRAPHS[:1]}], manifest=False)
    a = discourse.analyze(folder)
    assert a.articles.get_column("published").null_count() == 2
    out = build_report(a, tmp_path / "r")
    assert "sentiment_shift" in drawn(out)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "No article has a publication date: articles are shown in corpus order" in html
    ax = plots.sentiment_shift(a, ax=Figure().add_subplot())
    assert ax.get_xlabel() == "Article (no dates: corpus order)"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["p\nno date", "q\nno date"]


def test_empty_corpus_is_an_error(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    with pytest.raises(ReportError, match="no articles to report on"):
        build_report(discourse.analyze(tmp_path / "in"), tmp_path / "r")


# ---- tables ------------------------------------------------------------------------------------------------

def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_article_csv_has_every_aggregate_with_its_n(built, bundled):
    rows = read_csv(built / "tables" / "articles.csv")
    assert [r["article_id"] for r in rows] == ["002", "004", "000", "001", "003"]
    for series in T.SERIES:
        for col in ("n", "mean", "ci_low", "ci_high"):
            assert f"{series}_{col}" in rows[0]
    first = rows[0]
    assert (first["own_n"], first["quoted_n"], first["comments_n"], first["comments"]) == ("17", "7", "11", "12")
    assert float(first["own_ci_low"]) <= float(first["own_mean"]) <= float(first["own_ci_high"])
    assert rows[1]["comments_n"] == "2" and rows[1]["comments_ci_low"] == ""   # too small: no interval
    sentiment = read_csv(built / "tables" / "sentiment.csv")
    assert len(sentiment) == 15 and set(sentiment[0]) >= {"n", "clusters", "mean", "ci_low", "ci_high", "small"}


def test_topic_and_actor_csv_counts(built, bundled):
    topics = {r["topic"]: r for r in read_csv(built / "tables" / "topics.csv")}
    units = T.topic_units(bundled)
    comments = units.filter(pl.col("kind") == "comment")
    k = comments.filter(pl.col("topic_tags").list.contains("betrayal")).height
    assert topics["betrayal"]["comment_k"] == str(k) and topics["betrayal"]["comment_n"] == str(comments.height)
    assert topics["betrayal"]["hits"] == str(bundled.tags.filter(pl.col("topic") == "betrayal").height)
    actors = {r["actor"]: r for r in read_csv(built / "tables" / "actors.csv")}
    a = bundled.actor_sentiment.filter((pl.col("actor") == "armenia") & (pl.col("kind") == "comment"))
    assert actors["armenia"]["comment_n"] == str(a.get_column("n").sum())
    by_article = read_csv(built / "tables" / "actors_by_article.csv")
    assert len(by_article) == bundled.actor_sentiment.height and "n" in by_article[0]


def test_latex_tables_are_booktabs_and_escaped(built):
    tex = (built / "tables" / "articles.tex").read_text(encoding="utf-8")
    assert tex.count("\\toprule") == tex.count("\\midrule") == tex.count("\\bottomrule") == 1
    assert "\\begin{tabular}{llrrrrrrrr}" in tex
    assert "$-$0.16 [$-$0.38, +0.04] & 17" in tex and "\\textasciitilde{}2020-10-23" in tex and "95\\% CI" in tex
    assert latex_escape("& % $ # _ { } ~ ^ \\") == \
        r"\& \% \$ \# \_ \{ \} \textasciitilde{} \textasciicircum{} \textbackslash{}"
    assert latex_escape("two\nlines\\input{x}") == r"two lines\textbackslash{}input\{x\}"


def test_latex_escapes_text_from_the_input(make_corpus, tmp_path, paragraphs):
    PARAGRAPHS = paragraphs
    folder = make_corpus([{"id": "r&d_50%", "published": "2021-01-01", "paragraphs": PARAGRAPHS}])
    lex = tmp_path / "lex.toml"
    lex.write_text('[topics.money]\nlabel = "Money & $ {costs} #1 ~50% ^_^ \\\\input"\nentries = ["paid"]\n',
                   encoding="utf-8")
    out = build_report(discourse.analyze(folder, lex), tmp_path / "r")
    articles = (out / "tables" / "articles.tex").read_text(encoding="utf-8")
    assert "r\\&d\\_50\\%" in articles
    topics = (out / "tables" / "topics.tex").read_text(encoding="utf-8")
    assert (r"Money \& \$ \{costs\} \#1 \textasciitilde{}50\% \textasciicircum{}\_\textasciicircum{} "
            r"\textbackslash{}input") in topics


# ---- provenance -------------------------------------------------------------------------------------------

def test_provenance_record(built, bundled):
    prov = json.loads((built / "provenance.json").read_text(encoding="utf-8"))
    assert set(prov["versions"]) >= {"discourse", "vaderSentiment", "polars", "matplotlib", "python"}
    assert prov["versions"]["vaderSentiment"] == "3.3.2"
    assert prov["lexicon"]["sha256"] == bundled.lexicon.sha256
    assert [i["sha256"] for i in prov["inputs"]] == bundled.files.get_column("sha256").to_list()
    assert prov["settings"]["analysis"] == bundled.settings
    assert prov["settings"]["bootstrap"]["resamples"] == 2000 and prov["settings"]["bootstrap"]["seed"] == 0
    assert prov["timestamp_source"] in ("SOURCE_DATE_EPOCH", "input-mtime")


def test_timestamp_honours_source_date_epoch(bundled, tmp_path, monkeypatch):
    assert timestamp(bundled, {"SOURCE_DATE_EPOCH": "1700000000"}) == ("2023-11-14T22:13:20Z", "SOURCE_DATE_EPOCH")
    when, source = timestamp(bundled, {})
    newest = max(int(Path(p).stat().st_mtime) for p in bundled.files.get_column("source_path"))
    assert (when, source) == (dt.datetime.fromtimestamp(newest, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                              "input-mtime")
    with pytest.raises(ConfigError, match="SOURCE_DATE_EPOCH"):
        timestamp(bundled, {"SOURCE_DATE_EPOCH": "yesterday"})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    record = provenance(bundled, Style())
    assert (record["timestamp"], record["timestamp_source"]) == ("1970-01-01T00:00:00Z", "SOURCE_DATE_EPOCH")


def test_pseudonymised_report_hides_names(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("DISCOURSE_PSEUDONYM_KEY", "s3cret")
    r = CliRunner().invoke(app, ["report", "--out", str(tmp_path / "p"), "--pseudonymize", "--quiet"])
    assert r.exit_code == 0, r.output
    everything = b"".join(files_of(tmp_path / "p").values())
    assert b"Harutik" not in everything and b"speaker-" in everything and b"s3cret" not in everything


def test_leftovers_of_a_killed_run_are_cleared(tmp_path, bundled):
    from discourse.report.build import build_report

    out = tmp_path / "rep"
    stale = tmp_path / ".rep-abc123.partial"
    stale.mkdir()
    (stale / "index.html").write_text("half", encoding="utf-8")
    old = tmp_path / ".rep-def456.old"
    old.mkdir()
    other = tmp_path / ".other-1.partial"
    other.mkdir()
    build_report(bundled, out)
    assert not stale.exists() and not old.exists()
    assert other.exists()  # another report's folder is not touched
    assert (out / "index.html").is_file()
