"""The optional sentiment rule on top of VADER: what it changes, what it leaves exactly as VADER scores it."""

from __future__ import annotations

import pytest

from discourse.errors import ConfigError
from discourse.sentiment import Preparation, polarity_scores, score_text
from discourse.sentiment.rules import CONFLICT_VALENCES, rule_compound
from discourse.sentiment.scoring import sentence_scores

CONFLICT = Preparation(rule="conflict")


@pytest.mark.parametrize("text, vader_sign, ruled", [
    ("There would have been no war.", 1, 0.0),                 # a negated negative is not praise
    ("It was genocide.", 0, -0.6124),                          # a conflict word VADER lacks
    ("It was not genocide.", 0, 0.0),                          # ... negated
    ("The occupation and the blockade continue.", 0, None),
])
def test_the_conflict_rule(text, vader_sign, ruled):
    vader = polarity_scores(text)["compound"]
    assert (vader > 0) - (vader < 0) == vader_sign
    got = rule_compound(text, "conflict", vader)
    if ruled is not None:
        assert got == ruled
    assert got <= 0


@pytest.mark.parametrize("text", [
    "The book was good.", "Great news! But the delays are awful.", "I hate this war!!!", "not very good",
    "Russia is a great ally and a good friend.", "",
])
def test_sentences_without_a_negated_negative_or_conflict_word_keep_vader(text):
    assert rule_compound(text, "conflict", polarity_scores(text)["compound"]) == polarity_scores(text)["compound"]
    assert sentence_scores(text, CONFLICT) == sentence_scores(text)


def test_the_rule_adds_up_the_valences_as_vader_does():
    # "war" is -2.9 in VADER; "genocide" counts -3.0: the sum -5.9 normalised by x / sqrt(x^2 + 15)
    assert rule_compound("war and genocide", "conflict", 0.0) == round(-5.9 / (5.9 ** 2 + 15) ** 0.5, 4)
    # "!" adds VADER's punctuation emphasis away from zero
    assert rule_compound("It was genocide!", "conflict", 0.0) == round(-3.292 / (3.292 ** 2 + 15) ** 0.5, 4)


def test_default_scoring_is_vader_exactly():
    text = "There would have been no war. It was genocide. Peace is good."
    plain = score_text(text)
    assert [s.compound for s in plain.sentences] == [polarity_scores(s.prepared)["compound"] for s in plain.sentences]
    ruled = score_text(text, CONFLICT)
    assert [s.compound for s in ruled.sentences] == [0.0, -0.6124, plain.sentences[2].compound]
    assert ruled.compound < plain.compound and ruled.sentence_mean < plain.sentence_mean
    # pos, neu and neg stay VADER's
    assert (ruled.pos, ruled.neu, ruled.neg) == (plain.pos, plain.neu, plain.neg)


def test_unknown_rules_are_errors():
    with pytest.raises(ConfigError, match="unknown sentiment rule 'vibes'"):
        Preparation(rule="vibes")
    with pytest.raises(ConfigError, match="valid rules: conflict"):
        rule_compound("x", "vibes", 0.0)


def test_conflict_words_are_unknown_to_vader():
    from discourse.sentiment.engine import _tables

    lexicon = _tables().lexicon
    assert not [w for w in CONFLICT_VALENCES if w in lexicon]
    assert all(-4 <= v < 0 for v in CONFLICT_VALENCES.values())


def test_export_and_report_take_the_rule(tmp_path):
    from pathlib import Path

    import polars as pl
    from typer.testing import CliRunner

    from discourse.cli import app

    threads = Path(__file__).resolve().parents[2] / "threads"
    scores = {}
    for name, extra in (("vader", []), ("conflict", ["--sentiment-rule", "conflict"])):
        out = tmp_path / name
        result = CliRunner().invoke(app, ["export", str(threads), "--out", str(out), "--to", "csv", "--quiet",
                                          *extra])
        assert result.exit_code == 0, result.output
        scores[name] = pl.read_csv(out / "comments.csv").select("comment_id", "sent_score")
    joined = scores["vader"].join(scores["conflict"], on="comment_id", suffix="_rule")
    changed = joined.filter(pl.col("sent_score") != pl.col("sent_score_rule"))
    assert changed.height and (changed.get_column("sent_score_rule") < changed.get_column("sent_score")).all()
    bad = CliRunner().invoke(app, ["export", str(threads), "--out", str(tmp_path / "x"), "--sentiment-rule", "vibes"])
    assert bad.exit_code != 0 and "unknown sentiment rule 'vibes'" in bad.output
    assert not (tmp_path / "x").exists()


def test_topic_words_are_the_vader_positive_entries_of_the_default_lexicon():
    from discourse.scoring.lexicon import compile_lexicon, load_lexicon
    from discourse.sentiment.engine import _tables
    from discourse.sentiment.rules import TOPIC_WORDS

    compiled = compile_lexicon(load_lexicon())
    positive = [w for w, v in _tables().lexicon.items() if v > 0 and w.isalpha()]
    entries = {w for w in positive
               if any(h.kind == "topic" and h.start == 0 and h.end == len(w) for h in compiled.match(w))}
    assert entries == TOPIC_WORDS


@pytest.mark.parametrize("text", [
    "Russian peacekeepers failed us.", "We want peace.", "The united front of the opposition collapsed.",
])
def test_the_topics_rule_counts_topic_words_zero(text):
    vader = polarity_scores(text)["compound"]
    conflict = rule_compound(text, "conflict", vader)
    topics = rule_compound(text, "topics", vader)
    assert conflict == vader and topics < vader
    # "peace", "peacekeepers", "united" count 0; every other word keeps VADER's valence ("want" +0.3)
    from discourse.sentiment.engine import explain
    from discourse.sentiment.rules import TOPIC_WORDS

    rest = sum(t.valence or 0.0 for t in explain(text).tokens if t.token.lower().strip(".") not in TOPIC_WORDS)
    assert topics == (round(rest / (rest * rest + 15) ** 0.5, 4) if rest else 0.0)


def test_the_topics_rule_does_what_the_conflict_rule_does():
    for text in ("There would have been no war.", "It was genocide.", "war and genocide", "The book was good.",
                 "Great news! But the delays are awful.", ""):
        vader = polarity_scores(text)["compound"]
        assert rule_compound(text, "topics", vader) == rule_compound(text, "conflict", vader)
    assert sentence_scores("The book was good.", Preparation(rule="topics")) == sentence_scores("The book was good.")
