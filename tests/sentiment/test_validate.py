"""Validation against the VADER paper's human ratings, and its statistics."""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl
import pytest

from discourse.errors import FormatError, InputError
from discourse.sentiment import Preparation
from discourse.sentiment.validate import (
    RESULT_SCHEMA,
    documents,
    ground_truth_dir,
    pearson,
    read_corpora,
    validate,
    weighted_f1,
)

DATA = ground_truth_dir()

# vaderSentiment 3.3.2, whole text, as documented in the project's VADER notes.
NOTES_SNIPPETS = {"tweets": (0.872, 0.95), "movie": (0.427, 0.59), "amazon": (0.590, 0.63), "nyt": (0.503, 0.55)}
NOTES_DOCUMENTS = {("amazon", "whole"): 0.63, ("nyt", "whole"): 0.53,
                   ("amazon", "sentence_mean"): 0.79, ("nyt", "sentence_mean"): 0.64}


@pytest.fixture(scope="module")
def table() -> pl.DataFrame:
    return validate(DATA)


@pytest.fixture(scope="module")
def raw_table() -> pl.DataFrame:
    return validate(DATA, Preparation(typography=False, whitespace=False))


def test_structure(table):
    assert table.schema == pl.Schema(RESULT_SCHEMA)
    assert table.select("corpus", "level", "method").rows() == [
        (corpus, level, method)
        for level, corpora in (("snippet", ("tweets", "movie", "amazon", "nyt")), ("document", ("amazon", "nyt")))
        for corpus in corpora for method in ("whole", "sentence_mean")]
    sizes = dict(table.filter(pl.col("method") == "whole").select(
        pl.concat_str("corpus", "level", separator="/"), "n").rows())
    assert sizes == {"tweets/snippet": 4200, "movie/snippet": 10605, "amazon/snippet": 3708, "nyt/snippet": 5190,
                     "amazon/document": 300, "nyt/document": 498}


def test_raw_whole_text_snippets_match_the_notes(raw_table):
    for corpus, (r, f1) in NOTES_SNIPPETS.items():
        row = raw_table.filter(corpus=corpus, level="snippet", method="whole").row(0, named=True)
        assert row["r"] == pytest.approx(r, abs=0.0005)
        assert row["f1"] == pytest.approx(f1, abs=0.005)


def test_documents_match_the_notes(table):
    for (corpus, method), r in NOTES_DOCUMENTS.items():
        row = table.filter(corpus=corpus, level="document", method=method).row(0, named=True)
        assert row["r"] == pytest.approx(r, abs=0.015)


def test_sentence_mean_beats_whole_text_on_documents(table):
    for corpus in ("amazon", "nyt"):
        rows = table.filter(corpus=corpus, level="document")
        r = dict(rows.select("method", "r").rows())
        assert r["sentence_mean"] > r["whole"] + 0.01


def test_typography_changes_little_on_these_corpora(table, raw_table):
    diff = (table["r"] - raw_table["r"]).abs().max()
    assert diff < 0.005


def test_read_corpora_and_documents():
    snippets = read_corpora(DATA)
    assert snippets.columns == ["corpus", "id", "rating", "text"]
    first = ("Somehow I was blessed with some really amazing friends in my life who love me and send "
             "encouragement when I'm not feeling awesome. So lucky.")
    assert snippets.row(0) == ("tweets", "1", 2.726315789, first)
    assert snippets.height == 23_703
    docs = documents(snippets)
    assert docs.columns == ["corpus", "id", "rating", "text", "n_snippets"]
    first = snippets.filter(corpus="nyt", id="1_1")["text"][0]
    nyt1 = docs.filter(corpus="nyt", id="1").row(0, named=True)
    assert nyt1["text"].startswith(first + " ")
    parts = snippets.filter(pl.col("corpus") == "nyt", pl.col("id").str.starts_with("1_"))
    assert nyt1["n_snippets"] == parts.height
    assert nyt1["rating"] == pytest.approx(parts["rating"].mean())
    # Sentence order is numeric: 1_10 comes after 1_9.
    ten = docs.filter(corpus="nyt", id="2")["text"][0]
    s9, s10 = (snippets.filter(corpus="nyt", id=i)["text"][0] for i in ("2_9", "2_10"))
    assert ten.index(s9) < ten.index(s10)


def test_missing_and_damaged_corpora(tmp_path):
    with pytest.raises(InputError, match="not found.*GroundTruth"):
        read_corpora(tmp_path)
    for _, name in (("tweets", "tweets_GroundTruth.txt"), ("movie", "movieReviewSnippets_GroundTruth.txt"),
                    ("amazon", "amazonReviewSnippets_GroundTruth.txt"), ("nyt", "nytEditorialSnippets_GroundTruth.txt")):
        (tmp_path / name).write_bytes(b"1\t0.5\tgood\r\n2\t-1\tbad")
    (tmp_path / "tweets_GroundTruth.txt").write_bytes(b"1\t0.5\tgood\r\n2\tminus one\tbad")
    with pytest.raises(FormatError) as err:
        read_corpora(tmp_path)
    assert (err.value.line, Path(err.value.path).name) == (2, "tweets_GroundTruth.txt")


def test_pearson():
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert pearson([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(0.8)
    assert math.isnan(pearson([1, 1, 1], [1, 2, 3]))


def test_weighted_f1():
    gold = ["positive"] * 4 + ["negative"] * 2
    predicted = ["positive", "positive", "positive", "negative", "negative", "neutral"]
    # positive: P 1, R 3/4, F1 6/7; negative: P 1/2, R 1/2, F1 1/2; weights 4 and 2.
    assert weighted_f1(gold, predicted) == pytest.approx((4 * 6 / 7 + 2 * 0.5) / 6)
    assert weighted_f1(gold, gold) == 1.0
