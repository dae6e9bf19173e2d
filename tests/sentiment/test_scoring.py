"""Comment scores: whole text, sentences, their mean, the label."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discourse.sentiment import (
    POSITIVE_THRESHOLD,
    Preparation,
    label,
    normalize,
    polarity_scores,
    score_text,
    score_texts,
    scoring,
)


def test_whole_text_and_sentences():
    raw = "I love this idea.  It is wonderful!\n\n\nBut the cost is terrible."
    result = score_text(raw)
    assert result.text == raw
    assert result.prepared == "I love this idea. It is wonderful!\n\nBut the cost is terrible."
    assert [s.text for s in result.sentences] == ["I love this idea.", "It is wonderful!", "But the cost is terrible."]
    assert [raw[a:b] for a, b in (s.span for s in result.sentences)] == [s.text for s in result.sentences]
    whole = polarity_scores(result.prepared)
    assert (result.compound, result.pos, result.neu, result.neg) == (
        whole["compound"], whole["pos"], whole["neu"], whole["neg"])
    for sentence in result.sentences:
        assert sentence.compound == polarity_scores(sentence.text)["compound"]
        assert (sentence.pos, sentence.neu, sentence.neg) == (
            polarity_scores(sentence.text)["pos"], polarity_scores(sentence.text)["neu"],
            polarity_scores(sentence.text)["neg"])
    compounds = [s.compound for s in result.sentences]
    assert result.sentence_mean == pytest.approx(sum(compounds) / 3)
    assert result.score == result.sentence_mean
    assert result.n_sentences == 3
    assert result.label == label(result.sentence_mean)


def test_sentence_mean_resists_saturation():
    text = " ".join(["The staff were kind and the food was excellent."] * 12 + ["The bill was a disgrace."] * 12)
    result = score_text(text)
    assert result.compound > 0.9  # the whole-text compound saturates
    assert -0.2 < result.sentence_mean < 0.2


def test_empty_text():
    for text in ("", "   \n\n "):
        result = score_text(text)
        assert (result.n_sentences, result.sentence_mean, result.label, result.compound) == (0, 0.0, "neutral", 0.0)


def test_spans_index_the_text_as_written():
    raw = "\u201cI don\u2019t trust them,\u201d he said.  Russia\u2019s role \u2014 again \u2026 sad."
    result = score_text(raw)
    assert [s.text for s in result.sentences] == ["\u201cI don\u2019t trust them,\u201d he said.",
                                                  "Russia\u2019s role \u2014 again \u2026 sad."]
    assert all(raw[a:b] == s.text for s, (a, b) in ((s, s.span) for s in result.sentences))
    assert result.sentences[0].prepared == '"I don\'t trust them," he said.'
    assert result.sentences[0].compound == polarity_scores(result.sentences[0].prepared)["compound"]


def test_preparation_is_applied():
    curly = "I don\u2019t like it"
    assert score_text(curly).label == "negative"
    assert score_text(curly, Preparation(typography=False)).label == "positive"


@pytest.mark.parametrize(("score", "expected"), [
    (POSITIVE_THRESHOLD, "positive"), (0.9, "positive"), (0.0499, "neutral"), (0.0, "neutral"),
    (-0.0499, "neutral"), (-POSITIVE_THRESHOLD, "negative"), (-1.0, "negative"),
])
def test_label_thresholds(score, expected):
    assert label(score) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=5))
def test_batch_is_the_same_as_one_by_one(texts):
    assert score_texts(texts) == [score_text(t) for t in texts]
    assert score_texts(iter(texts), Preparation(whitespace=False)) == [
        score_text(t, Preparation(whitespace=False)) for t in texts]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_scores_are_bounded(text):
    result = score_text(text)
    assert -1 <= result.compound <= 1 and -1 <= result.sentence_mean <= 1
    assert result.label == label(result.sentence_mean)


_TYPO = st.sampled_from(["\u2019", "\u201c", "\u201d", "\u2014", "\u2026", "\u200b", "\u00ad", "\u00a0", "\ufeff",
                         "\r\n", "\n\n\n", "\u2029", "\t", " ", ". ", "! ", "? ", "NOT", "I", "but", "good", "great",
                         "bad", "don't", "no", "very", "kind of", "Mr.", "😀", "\U0001f44d"])
_MIXED = st.lists(st.one_of(_TYPO, st.text(max_size=6)), max_size=60).map("".join)


@settings(max_examples=500, deadline=None)
@given(_MIXED, st.sampled_from([Preparation(), Preparation(typography=False), Preparation(whitespace=False),
                                Preparation(False, False)]))
def test_sentence_scores_are_vader_on_each_prepared_sentence_and_the_whole(text, prep):
    spans, each, whole = scoring.sentence_scores(text, prep)
    assert spans == [s.span for s in score_text(text, prep).sentences]
    assert each == [tuple(polarity_scores(normalize(text[a:b], prep)).values()) for a, b in spans]
    assert whole == tuple(polarity_scores(normalize(text, prep)).values())


def test_examples_in_the_sentiment_docs():
    docs = Path(__file__).resolve().parents[2] / "docs" / "sentiment.md"
    result = doctest.testfile(str(docs), module_relative=False, encoding="utf-8")
    assert result.attempted >= 8 and result.failed == 0
