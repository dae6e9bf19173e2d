"""The engine against vaderSentiment 3.3.2: the oracle file, the installed package, generated texts."""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import VADER_TEXTS, calls

from discourse.native import native
from discourse.sentiment import engine, explain, polarity_scores, reference
from discourse.sentiment.validate import documents, ground_truth_dir, read_corpora

DATA = ground_truth_dir()
ORACLE = Path(__file__).resolve().parents[1] / "data" / "vader-ground-truth"


@pytest.fixture(scope="module")
def snippets() -> pl.DataFrame:
    return read_corpora(DATA)


@pytest.fixture(scope="module")
def vader():
    return reference.analyzer()


@pytest.fixture(scope="module")
def capturing_vader(vader):
    """A vaderSentiment analyzer that also records the per-token sentiments it sums."""

    class Capturing(type(vader)):
        sentitext = sys.modules[type(vader).__module__].SentiText

        def score_valence(self, sentiments, text):
            self.captured = (list(sentiments), text)
            return super().score_valence(sentiments, text)

    return Capturing()


def test_compound_equals_the_oracle_file_on_all_23703_items(snippets):
    oracle = pl.read_csv(ORACLE / "vaderSentiment-3.3.2-compound.tsv", separator="\t", has_header=False,
                         new_columns=["corpus", "id", "compound"], infer_schema=False,
                         quote_char=None)
    joined = snippets.join(oracle, on=["corpus", "id"], how="inner", maintain_order="left")
    assert joined.height == snippets.height == 23_703
    mismatches = [(c, i, str(polarity_scores(t)["compound"]), want)
                  for c, i, t, want in joined.select("corpus", "id", "text", "compound").iter_rows()
                  if str(polarity_scores(t)["compound"]) != want]
    assert mismatches == []


def test_scores_equal_installed_vader_on_all_snippets_and_documents(snippets, vader):
    texts = snippets["text"].to_list() + documents(snippets)["text"].to_list()
    assert len(texts) == 23_703 + 798
    mismatches = [t for t in texts if polarity_scores(t) != vader.polarity_scores(t)]
    assert mismatches == []


def test_dict_has_vader_keys_in_vader_order():
    assert list(polarity_scores("good")) == ["neg", "neu", "pos", "compound"]
    assert polarity_scores("") == {"neg": 0.0, "neu": 0.0, "pos": 0.0, "compound": 0.0}
    assert polarity_scores(" \t\n ") == {"neg": 0.0, "neu": 0.0, "pos": 0.0, "compound": 0.0}


@pytest.mark.parametrize("value", [None, b"good", float("nan"), 3, ["good"]])
def test_non_str_input_raises_type_error(value):
    with pytest.raises(TypeError, match="VADER scores str"):
        polarity_scores(value)
    with pytest.raises(TypeError):
        explain(value)


def test_rule_tables_are_those_of_the_installed_package():
    tables = reference.rule_tables()
    assert engine.NEGATE == frozenset(tables["NEGATE"])
    assert dict(engine.BOOSTERS) == tables["BOOSTER_DICT"]
    assert dict(engine.SPECIAL_CASES) == tables["SPECIAL_CASES"]
    assert (engine.B_INCR, engine.B_DECR, engine.C_INCR, engine.N_SCALAR) == (
        tables["B_INCR"], tables["B_DECR"], tables["C_INCR"], tables["N_SCALAR"])
    assert reference.version() == "3.3.2"


# Quirks of 3.3.2 that the engine keeps on purpose (docs/sentiment.md).
@pytest.mark.parametrize("text", [
    "affection ok but",          # "but" by value: "affection" halved twice, "ok" not at all
    "but ok lol",                # after "but": "ok" x1.5 twice, "lol" not at all
    "Great. But bad. But good",  # only the first "but" counts, across sentences
    "It is ok", "It is ok.",     # tokens of two characters keep their punctuation
    "I don’t like it",           # a curly apostrophe hides the negation
    "family 👨‍👩‍👧 love 👍🏽 ❤️",  # multi-code-point emoji never match
    "VERY GOOD but NO",
    "NO good", "no no good", "not no good",
    "never so good", "it is this good", "without a doubt good", "at least good", "least good",
    "kind of good", "the shit", "yeah right", "kiss of death", "bad ass movie", "you are the bomb!!!!!",
    "ΟΔΟΣ good İİ! good", "it is O\u212a",  # final sigma, dotted capital I, Kelvin sign (lowercases to "ok")
])
def test_quirks_are_reproduced(text, vader):
    assert polarity_scores(text) == vader.polarity_scores(text)


def test_no_emoji_description_holds_an_emoji():
    # score_pieces replaces the emoji of a text one after another instead of str.translate
    tables = engine._tables()
    assert not [d for d in tables.emoji.values() if tables.emoji_chars & set(d)]


def test_but_rescales_by_value_twice_or_not_at_all():
    tokens = {t.token: t for t in explain("affection ok but").tokens}
    assert [s.scalar for s in tokens["affection"].steps if s.rule == "but"] == [0.5, 0.5]
    assert tokens["ok"].steps == () and tokens["ok"].valence == 1.2


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VADER_TEXTS)
def test_generated_texts_score_like_vader(vader, text):
    assert polarity_scores(text) == vader.polarity_scores(text)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200))
def test_random_unicode_scores_like_vader(vader, text):
    assert polarity_scores(text) == vader.polarity_scores(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VADER_TEXTS)
def test_explain_equals_vader_token_by_token(capturing_vader, text):
    _check_explanation(capturing_vader, text)


def test_explain_equals_vader_on_a_corpus_sample(snippets, capturing_vader):
    for text in snippets["text"].to_list()[::23]:
        _check_explanation(capturing_vader, text)


def _check_explanation(capturing_vader, text: str) -> None:
    want = capturing_vader.polarity_scores(text)
    explanation = explain(text)
    assert explanation.scores() == want == polarity_scores(text)
    if not explanation.tokens:
        return
    sentiments, scored_text = capturing_vader.captured
    words = capturing_vader.sentitext(scored_text).words_and_emoticons
    assert [t.token for t in explanation.tokens] == words
    assert [t.valence for t in explanation.tokens] == sentiments
    assert explanation.punctuation_emphasis == capturing_vader._punctuation_emphasis(scored_text)
    for token in explanation.tokens:
        if token.steps:  # each step starts where the previous one ended
            assert all(a.after == b.before for a, b in zip(token.steps, token.steps[1:]))


def test_explain_names_the_rules():
    tokens = explain("The plot was NOT very good, but the ending is kind of great!!").tokens
    good = next(t for t in tokens if t.token == "good")
    assert [(s.rule, s.trigger) for s in good.steps] == [("booster", "very"), ("negation", "not"), ("but", "but")]
    great = next(t for t in tokens if t.token == "great")
    assert [(s.rule, s.trigger) for s in great.steps] == [("phrase", "kind of"), ("but", "but")]
    roles = {t.token: t.role for t in tokens}
    assert (roles["very"], roles["kind"], roles["plot"], roles["good"]) == (
        "modifier", "kind-of", "neutral", "sentiment")


def _vader_tuple(vader, text: str) -> tuple[float, ...]:
    return tuple(vader.polarity_scores(text).values())


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(VADER_TEXTS, max_size=8))
def test_pieces_score_like_vader_alone_and_joined(vader, pieces):
    # the words next to piece boundaries and the ALL-CAPS rule are where joining changes valences
    each, joined = engine.score_pieces(pieces)
    assert each == [_vader_tuple(vader, p) for p in pieces]
    assert joined == _vader_tuple(vader, " ".join(pieces))


def test_pieces_on_the_rebuilt_documents(snippets, vader):
    parts = pl.col("id").str.split_exact("_", 1)
    docs = (snippets.filter(pl.col("corpus").is_in(["amazon", "nyt"]))
            .with_columns(doc=parts.struct.field("field_0"), n=parts.struct.field("field_1").cast(pl.Int64))
            .sort("corpus", "doc", "n").group_by("corpus", "doc", maintain_order=True).agg("text"))
    for pieces in docs.get_column("text").to_list():
        each, joined = engine.score_pieces(pieces)
        assert joined == _vader_tuple(vader, " ".join(pieces))
        assert each == [tuple(polarity_scores(p).values()) for p in pieces]


def test_linear_work_on_long_texts(snippets, vader):
    """The engine's work grows with the text; vaderSentiment's with its square. Work is counted in calls on
    the pure Python engine (the C kernel is its bit-for-bit twin); benchmarks/bench_sentiment.py prints the
    seconds of both at 200 to 6,400 words."""
    words = " ".join(snippets.filter(pl.col("corpus") == "nyt")["text"].to_list()).split()
    short, long = " ".join(words[:400]), " ".join(words[:3200])
    with native(False):
        ours = calls(polarity_scores, short), calls(polarity_scores, long)
        assert polarity_scores(long) == vader.polarity_scores(long)
    theirs = calls(vader.polarity_scores, short), calls(vader.polarity_scores, long)
    assert ours[1] <= 10 * ours[0], ours  # 8 times the words
    assert theirs[1] >= 20 * theirs[0], theirs  # the reference is quadratic: the contrast is real
