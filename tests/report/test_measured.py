"""The error-aware section of the report (`discourse report --labels`): measured quality and corrected shares,
with captions that state the measured quality."""

from __future__ import annotations

import html
import json

from helpers import write_table
from typer.testing import CliRunner

import discourse
from discourse.cli import app
from discourse.report import build_report
from discourse.validation import validate_labels, write_labels

COMMENTS = [  # id, parent, author, text, article, title
    ("c1", "", "Ani", "Russia betrayed us again. Shameful treason.", "a1", "Lavrov visits Yerevan"),
    ("c2", "c1", "Bob", "Peace and a ceasefire, finally. I am glad.", "a1", "Lavrov visits Yerevan"),
    ("c3", "", "Cem", "The war killed thousands of soldiers.", "a1", "Lavrov visits Yerevan"),
    ("c4", "", "Dan", "Wonderful news, thank you!", "a2", "Talks in Moscow"),
    ("c5", "c4", "Eve", "No concessions, not one inch of land.", "a2", "Talks in Moscow"),
    ("c6", "", "Fay", "We need unity, not infighting.", "a2", "Talks in Moscow"),
]
#: hand labels: (topics, sentiment)
HAND = {"c1": (["betrayal"], "negative"), "c2": (["peace_ceasefire"], "positive"), "c3": (["war_violence"], "neutral"),
        "c4": ([], "positive"), "c5": (["concessions", "sovereignty_independence"], "negative"),
        "c6": (["unity"], "positive")}


def _corpus(tmp_path):
    path = write_table(tmp_path, COMMENTS)
    analysis = discourse.analyze(path)
    topics = [t.name for t in analysis.lexicon.topics]
    labels = tmp_path / "labels.csv"
    labels.write_text(write_labels([{"comment_id": c, "annotator": "ann", "sentiment": s, **{t: t in ts for t in topics}}
                                    for c, (ts, s) in HAND.items()], topics), encoding="utf-8")
    return path, labels, analysis


def test_the_section_states_the_measured_quality(tmp_path):
    path, labels, analysis = _corpus(tmp_path)
    v = validate_labels(analysis, labels, replicates=300)
    out = build_report(analysis, tmp_path / "report", validation=v)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<section id="measured"><h2>Measured quality and corrected shares</h2>' in page
    # every caption states the quality measured on the labels
    q = v.quality()
    assert html.escape(q["topics"], quote=False) in page and html.escape(q["sentiment"], quote=False) in page
    assert "Topic tags, measured on 6 hand-labelled comments: precision" in q["topics"]
    # the corrected shares are shown with their intervals: betrayal in a1 is tagged 1 of 3 and, with
    # sensitivity and specificity 1 on the labels, corrected to the same 33%
    row = v.corrected_topics.filter(article_id="comments:a1", topic="betrayal").row(0, named=True)
    assert (row["observed"], row["sensitivity"], row["specificity"]) == (1 / 3, 1.0, 1.0)
    assert ">33%<" in page
    # the tables are files too, and provenance records the labels
    for name in ("measured_quality.csv", "measured_sentiment.csv", "corrected_topics.csv", "corrected_sentiment.csv",
                 "corrected_topics.tex", "corrected_topics-column.tex", "measured_quality.tex"):
        assert (out / "tables" / name).is_file(), name
    record = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert record["validation"]["labels"] == [str(labels)] and record["validation"]["comments_labelled"] == 6
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "## Measured quality and corrected shares" in md and "Sentiment labels, measured on 6" in md


def test_no_labels_no_section(tmp_path):
    _, _, analysis = _corpus(tmp_path)
    out = build_report(analysis, tmp_path / "report")
    assert "Measured quality" not in (out / "index.html").read_text(encoding="utf-8")
    assert not (out / "tables" / "corrected_topics.csv").exists()


def test_report_labels_from_the_command_line(tmp_path):
    path, labels, _ = _corpus(tmp_path)
    r = CliRunner().invoke(app, ["report", str(path), "--labels", str(labels), "--out", str(tmp_path / "r"),
                                 "--quiet"])
    assert r.exit_code == 0, r.output
    record = json.loads((tmp_path / "r" / "provenance.json").read_text(encoding="utf-8"))
    assert record["command"][-2:] == ["--labels", str(labels)]
    assert "Measured quality and corrected shares" in (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("comment_id,annotator\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["report", str(path), "--labels", str(bad), "--out", str(tmp_path / "r2")])
    assert r.exit_code == 1 and f"Error: {bad}:1: missing column sentiment" in r.stderr
    assert not (tmp_path / "r2").exists()


def test_the_section_fits_a_two_column_paper(tmp_path):
    from helpers import compile_paper, problems

    _, labels, analysis = _corpus(tmp_path)
    report = build_report(analysis, tmp_path / "report", validation=validate_labels(analysis, labels, replicates=300))
    # the figures and the other tables are checked by test_latex_paper; here the section's tables
    for other in [*(report / "figures").glob("*"), *(report / "tables").glob("*.tex")]:
        if not other.name.startswith(("measured_", "corrected_")):
            other.unlink()
    log, fonts = compile_paper(report)
    assert problems(log, fonts) == []
    assert all(f"tables/{n}" in log for n in ("measured_quality.tex", "measured_quality-column.tex",
                                              "corrected_topics.tex", "corrected_sentiment-column.tex"))
