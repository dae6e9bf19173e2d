"""Typography and whitespace normalisation, and the sentence splitter."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import calls

from discourse.errors import ConfigError
from discourse.sentiment import Preparation, normalize, polarity_scores, split_sentences

RAW = Preparation(typography=False, whitespace=False)


def test_curly_apostrophe_flips_vader_from_positive_to_negative():
    text = "I don\u2019t like it"
    assert polarity_scores(text)["compound"] > 0.05
    assert normalize(text) == "I don't like it"
    assert polarity_scores(normalize(text))["compound"] < -0.05


@pytest.mark.parametrize(("char", "ascii"), [
    ("\u2019", "'"), ("\u2018", "'"), ("\u201b", "'"), ("\u2032", "'"), ("\u201a", "'"), ("\u02bc", "'"),
    ("\u201c", '"'), ("\u201d", '"'), ("\u201f", '"'), ("\u2033", '"'), ("\u00ab", '"'), ("\u00bb", '"'),
    ("\u201e", '"'),
    ("\u2013", "-"), ("\u2012", "-"), ("\u2212", "-"), ("\u2014", " - "), ("\u2015", " - "),
    ("\u2026", "..."),
    ("\u00a0", " "), ("\u2009", " "), ("\u202f", " "), ("\u3000", " "),
    ("\u00ad", ""), ("\u200b", ""), ("\ufeff", ""),
])
def test_typography_map(char, ascii):
    assert normalize(f"a{char}b", Preparation(whitespace=False)) == f"a{ascii}b"


def test_em_dash_separates_words():
    assert normalize("good\u2014really good") == "good - really good"
    assert normalize("good \u2014 really") == "good - really"


def test_whitespace():
    text = "  one \t two\u00a0 three \r\n four\r\r\n\n  \n five \u2029six\n\n\n\n seven  "
    assert normalize(text) == "one two three\nfour\n\nfive\n\nsix\n\nseven"


def test_each_switch_alone():
    text = " I don\u2019t \t like\u2026 it "
    assert normalize(text, RAW) == text
    assert normalize(text, Preparation(typography=False)) == "I don\u2019t like\u2026 it"
    assert normalize(text, Preparation(whitespace=False)) == " I don't \t like... it "


def test_ascii_text_without_extra_whitespace_is_unchanged():
    text = "It was good.\nReally.\n\nNext paragraph!"
    assert normalize(text) == text


def test_preparation_rejects_non_bool_and_lists_valid_values():
    with pytest.raises(ConfigError, match=r"Preparation.typography must be a bool.*True, False"):
        Preparation(typography="yes")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="whitespace"):
        Preparation(whitespace=1)  # type: ignore[arg-type]


def test_non_str_input_raises_type_error():
    with pytest.raises(TypeError):
        normalize(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        split_sentences(b"Hello. World.")  # type: ignore[arg-type]


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Hello world. This is a test.", ["Hello world.", "This is a test."]),
    ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
    ("Pres. Biden and Prof. X. Then Gen. Lee and Col. Mustard, Lt. Dan, Sgt. Pepper, Rev. Green.",
     ["Pres. Biden and Prof. X. Then Gen. Lee and Col. Mustard, Lt. Dan, Sgt. Pepper, Rev. Green."]),
    ("Martin Luther King Jr. Day. Apples, pears etc. Are fine.", ["Martin Luther King Jr. Day.",
                                                                   "Apples, pears etc. Are fine."]),
    ("The U.S. And the U.K. Both at the U.N. Today.", ["The U.S. And the U.K. Both at the U.N. Today."]),
    ("Use e.g. This or i.e. That.", ["Use e.g. This or i.e. That."]),
    ("J. Smith wrote it. So did I. Then we left.", ["J. Smith wrote it.", "So did I.", "Then we left."]),
    ("See No. 5 on Oct. 3 and Nov. 4. No. That was it.", ["See No. 5 on Oct. 3 and Nov. 4.", "No.",
                                                          "That was it."]),
    ("It costs 2.5 dollars. It rose 3.75%.", ["It costs 2.5 dollars.", "It rose 3.75%."]),
    ('He said "no." Then he left.', ['He said "no."', "Then he left."]),
    ('He said "no." "Yes," she said.', ['He said "no."', '"Yes," she said.']),
    ("(It was late.) We left.", ["(It was late.)", "We left."]),
    ("Really?????? Yes!!! Why?! Because.", ["Really??????", "Yes!!!", "Why?!", "Because."]),
    ("Wait... what? Well\u2026 no. So... Then.", ["Wait... what?", "Well\u2026 no.", "So...", "Then."]),
    ("i agree. this is bad! why? idk", ["i agree.", "this is bad!", "why?", "idk"]),
    ("Call me at 5. 10 is too late.", ["Call me at 5.", "10 is too late."]),
    ("First paragraph without end\n\nsecond paragraph", ["First paragraph without end", "second paragraph"]),
    ("end.\n\n:) smile", ["end.", ":) smile"]),
    ("Mr.\n\nsmith", ["Mr.", "smith"]),
    ("Headline one\nHeadline two\ncontinued here", ["Headline one", "Headline two\ncontinued here"]),
    ("Reasons:\n- one\n- two", ["Reasons:", "- one", "- two"]),
    ("", []), ("   \n\n  ", []), ("...", ["..."]), ("a", ["a"]),
])
def test_splitter_cases(text, expected):
    assert sentences(text) == expected


# Pathological runs at m repeats -> the exact spans. Their speed is measured by benchmarks/bench_steps.py
# (seconds at 1x to 8x); here the output is checked at full size and the Python-level work must grow in step
# with the input (calls counted, not timed: a regular expression's own backtracking is the benchmark's part).
PATHOLOGICAL = {
    "spaces": (lambda m: "a" + " " * m + "b", lambda m: [(0, m + 2)]),
    "blank lines": (lambda m: "a" + "\n " * m + "b", lambda m: [(0, 1), (2 * m + 1, 2 * m + 2)]),
    "bangs": (lambda m: "!" * m + "x", lambda m: [(0, m + 1)]),
    "sentences": (lambda m: "a. " * m, lambda m: [(3 * i, 3 * i + 2) for i in range(m)]),
    "dots": (lambda m: ". " * m, lambda m: [(0, 2 * m - 1)]),
    "abbreviations": (lambda m: "Mr." * m, lambda m: [(0, 3 * m)]),
    "ellipsis lines": (lambda m: "\u2026\n" * m, lambda m: [(0, 2 * m - 1)]),
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_splitter_on_pathological_runs(name):
    make, spans = PATHOLOGICAL[name]
    assert split_sentences(make(100_000)) == spans(100_000)
    small, large = calls(split_sentences, make(12_500)), calls(split_sentences, make(100_000))
    assert large <= 10 * small, (small, large)  # linear: 8 times the input, at most about 8 times the calls


_ALPHABET = st.sampled_from(list("aAbBzZ09 .!?\u2026\"')([\n\t-") + ["Mr", "e.g", "U.S", "No", " I", "\u00a0"])


def _check_spans(text: str) -> None:
    spans = split_sentences(text)
    cursor = 0
    for start, end in spans:
        assert cursor <= start < end <= len(text)  # sorted, non-overlapping, non-empty
        assert text[cursor:start].strip() == ""  # nothing but whitespace between sentences
        assert text[start:end] == text[start:end].strip()
        cursor = end
    assert text[cursor:].strip() == ""
    # Reconstruct: the spans plus the whitespace gaps give back the text.
    assert re.sub(r"\s+", "", "".join(text[a:b] for a, b in spans)) == re.sub(r"\s+", "", text)


@settings(max_examples=500, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_spans_cover_all_text_in_order(text):
    _check_spans(text)
    _check_spans(normalize(text))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_spans_on_random_unicode(text):
    _check_spans(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once
