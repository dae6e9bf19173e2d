"""`discourse annotate` and `discourse validate --labels` from the command line: output, files, error paths."""

from __future__ import annotations

import csv

from typer.testing import CliRunner

from discourse.cli import app

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_annotate_then_validate(corpus_path, tmp_path):
    r = invoke("annotate", corpus_path, "--size", 6, "--seed", 5, "--out", tmp_path / "kit")
    assert r.exit_code == 0, r.output
    assert r.stdout == f"{tmp_path / 'kit' / 'kit.html'}: 6 comments\n"
    # fill the spreadsheet: everything neutral, no topic; the probabilities stay
    with (tmp_path / "kit" / "sample.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    topics = [c for c in rows[0] if c not in ("comment_id", "annotator", "sentiment", "note", "inclusion_probability",
                                              "article", "parent", "text", "predicted_sentiment", "predicted_topics")]
    for row in rows:
        row.update({"annotator": "ann", "sentiment": "neutral", **{t: "0" for t in topics}})
    with (tmp_path / "labels.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    r = invoke("validate", "--labels", tmp_path / "labels.csv", corpus_path, "--out", tmp_path / "v")
    assert r.exit_code == 0, r.output
    assert "labels: 6 rows from 1 file(s), 6 comments, annotators: ann; weighted by inverse inclusion probability" in r.stdout
    assert "sentence_mean" in r.stdout and "majority_class" in r.stdout and "micro" in r.stdout
    assert sorted(p.name for p in (tmp_path / "v").iterdir()) == sorted(
        [f"{n}.csv" for n in ("validation_topics", "validation_sentiment", "validation_confusion",
                              "validation_agreement", "validation_entries", "validation_errors", "corrected_topics",
                              "corrected_sentiment")]
        + [f"{n}.tex" for n in ("validation_topics", "validation_sentiment", "validation_agreement",
                                "validation_entries", "corrected_topics", "corrected_sentiment")]
        + ["validation.json"])


def test_validate_reports_a_bad_labels_file_with_its_line(corpus_path, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("comment_id,annotator,sentiment\nc1,ann,negative\n", encoding="utf-8")
    r = invoke("validate", "--labels", path, corpus_path, "--out", tmp_path / "v")
    assert r.exit_code == 1
    assert r.stderr.startswith(f"Error: {path}:1: no column for topics betrayal, unity")
    assert "(add the column with empty cells where the topic was not labelled)" in r.stderr
    assert not (tmp_path / "v").exists()


def test_validate_without_labels_refuses_paths(corpus_path):
    r = invoke("validate", corpus_path)
    assert r.exit_code == 1 and "paths are only read with --labels" in r.stderr


def test_annotate_bad_options(corpus_path, tmp_path):
    r = invoke("annotate", corpus_path, "--size", 0, "--out", tmp_path / "kit")
    assert r.exit_code == 1 and "Error: sample size must be at least 1" in r.stderr
    r = invoke("annotate", corpus_path, "--annotators", 0, "--out", tmp_path / "kit")
    assert r.exit_code == 1 and "annotators must be at least 1" in r.stderr
