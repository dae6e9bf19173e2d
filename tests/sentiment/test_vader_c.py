"""The C kernel (discourse/sentiment/_vader.c) against the Python rules it ports: the same scores everywhere.

The Python engine is held to vaderSentiment 3.3.2 in test_engine.py; here every path through the kernel is
held to the Python engine. Without a C compiler discourse runs the Python engine alone and these tests
have nothing to compare; with DISCOURSE_REQUIRE_NATIVE=1 (as .ci/run sets) a missing kernel fails.
"""

from __future__ import annotations

import os
import random
import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from helpers import VADER_TEXTS

from discourse.native import native
from discourse.sentiment import engine, scoring
from discourse.sentiment.prepare import Preparation, split_sentences
from discourse.sentiment.validate import documents, read_corpora

DATA = Path(__file__).resolve().parents[1] / "data" / "vader-ground-truth"
KERNEL = engine.native_kernel()
needs_kernel = pytest.mark.skipif(KERNEL is None, reason="discourse was built without its C kernel")


def test_the_kernel_is_built_when_required():
    if os.environ.get("DISCOURSE_REQUIRE_NATIVE") == "1":
        assert KERNEL is not None, "the C kernel did not build: is a C compiler installed?"


def python_scores(text: str) -> tuple[float, ...]:
    return tuple(engine._score(text, None).values())


def python_sentences(text: str, prep: Preparation = Preparation()):
    """scoring.sentence_scores with the kernel switched off."""
    with native(False):
        assert engine.native_kernel() is None
        return scoring.sentence_scores(text, prep)


def same(a, b) -> bool:
    """Equal to the bit, signed zeros included."""
    if isinstance(a, float):
        return isinstance(b, float) and struct.pack("d", a) == struct.pack("d", b)
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


@needs_kernel
def test_every_snippet_of_the_vader_paper_scores_as_in_python():
    texts = read_corpora(DATA)["text"].to_list()
    assert len(texts) == 23_703
    mismatches = [t for t in texts if not same(KERNEL.score(t, [(0, len(t))], False)[1], python_scores(t))]
    assert mismatches == []


@needs_kernel
def test_rebuilt_documents_score_sentence_by_sentence_as_in_python():
    for text in documents(read_corpora(DATA))["text"].to_list():
        spans, each, whole = python_sentences(text)
        assert same(KERNEL.score(text, spans, True), (each, whole))


@needs_kernel
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VADER_TEXTS)
def test_generated_texts_score_as_in_python(text):
    each, whole = KERNEL.score(text, [(0, len(text))], False)
    assert same(whole, python_scores(text)) and same(each, [whole])


@needs_kernel
@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode_scores_as_in_python(text):
    assert same(KERNEL.score(text, [(0, len(text))], False)[1], python_scores(text))


@needs_kernel
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(VADER_TEXTS, max_size=8))
def test_pieces_score_as_in_python(pieces):
    assert same(engine.score_pieces(pieces), engine._score_pieces(pieces))


_TYPOGRAPHIC = st.sampled_from(["’", "‘", "“", "”", "«", "»", "—", "–", "…", "\u00a0", "\u200b", "\u00ad", "\u2028",
                                "don’t", "isn’t", "“good”", "bad…", "GOOD—really", "😀", "💔", "❤", "Ⅻ", "ǅ"])
_SENTENCES = st.lists(st.one_of(VADER_TEXTS, _TYPOGRAPHIC), max_size=12).map(
    lambda parts: "".join(p + random.Random(len(p)).choice([". ", "! ", "? ", "\n\n", " ", "… "]) for p in parts))


@needs_kernel
@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_SENTENCES, st.booleans())
def test_sentences_with_typography_score_as_in_python(text, typography):
    prep = Preparation(typography=typography)
    spans, each, whole = python_sentences(text, prep)
    assert same(KERNEL.score(text, spans, typography), (each, whole))
    assert same(scoring.sentence_scores(text, prep), (spans, each, whole))


@needs_kernel
def test_the_but_rule_on_a_long_text_rescales_as_in_python():
    # hundreds of equal valences before and after the first "but": the per-value heaps of _but
    words = ("good bad ok but great love hate fine no kind of good " * 300).split()
    text = " ".join(words)
    assert same(KERNEL.score(text, [(0, len(text))], False)[1], python_scores(text))


@needs_kernel
def test_round_is_pythons_round():
    from discourse.sentiment._vader import round as c_round

    rng = random.Random(7)
    values = [rng.uniform(-1, 1) for _ in range(100_000)] + [k / 2000 for k in range(-2000, 2001)]
    values += [k / 20000 for k in range(-20000, 20001)] + [k / 2 ** e for e in range(1, 24) for k in range(-64, 65)]
    values += [0.0, -0.0, 5e-324, -5e-324, 1e-300, 0.0005, 0.00005, 1.0, -1.0, 123456.78905, 1e7, -3.5e9]
    for digits in (3, 4):
        assert [v for v in values if not same(c_round(v, digits), round(v, digits))] == []


@needs_kernel
def test_spans_are_checked():
    with pytest.raises(ValueError, match="outside the text"):
        KERNEL.score("good", [(0, 5)], False)
    with pytest.raises(ValueError, match="outside the text"):
        KERNEL.score("good", [(3, 2)], False)
    with pytest.raises(TypeError):
        KERNEL.score("good", [[0, 4]], False)
    assert KERNEL.score("", [], True) == ([], (0.0, 0.0, 0.0, 0.0))


@needs_kernel
def test_the_bundled_corpus_scores_as_in_python():
    import discourse

    corpus = discourse.read(Path(__file__).resolve().parents[2] / "threads")
    texts = corpus.comments["text"].drop_nulls().to_list() + corpus.paragraphs["text"].drop_nulls().to_list()
    assert len(texts) > 90
    for text in texts:
        spans, each, whole = python_sentences(text)
        assert spans == split_sentences(text)
        assert same(KERNEL.score(text, spans, True), (each, whole))


_SPLIT_PARTS = st.sampled_from(["Mr.", "e.g.", "U.S.", "J. Smith", "No. 5", "2.5", "...", "…", "?!", "\n", "\n\n",
                                "\n \n", " ", ". ", "! ", "? ", "“", "”", "(", ")", "«", "»", "- ", "• ", "a", "A",
                                "é", "É", "ß", "1", "Ⅻ", "\u00a0", "\u2028", "\u3000", "word", "Word", "etc.", "'"])


@needs_kernel
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=200), st.lists(_SPLIT_PARTS, max_size=40).map("".join)))
def test_the_sentence_splitter_splits_as_in_python(text):
    assert KERNEL.split(text) == split_sentences(text)
