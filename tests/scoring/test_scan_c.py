"""The C scanner (discourse/scoring/_scan.c) against the scanner regex it walks: the same matches everywhere.

Without a C compiler discourse scans with the regex alone and these tests have nothing to compare; with
DISCOURSE_REQUIRE_NATIVE=1 (as .ci/run sets) a missing scanner fails.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from helpers import EDGES, WORDS, tiny

import discourse
from discourse.native import native
from discourse.scoring.quotes import Quote, _quote_spans, _spans, _voice, sentence_voice
from discourse.scoring.lexicon import (
    CompiledLexicon,
    _Rules,
    _TextView,
    Entry,
    compile_lexicon,
    load_lexicon,
    native_scanner_available,
    token_spans,
)

try:
    from discourse.scoring import _scan
except ImportError:  # built without a C compiler: the tests that need it are skipped
    _scan = None

THREADS = Path(__file__).resolve().parents[2] / "threads"
NATIVE = compile_lexicon(load_lexicon())._native is not None
needs_scanner = pytest.mark.skipif(not NATIVE, reason="discourse was built without its C scanner")

# Every atom of the pattern language, case rules and a casefold that grows ("straße" is scanned as "strasse").
ATOMS = tiny(
    ("sep", ["cease-fire", "give ... land", "Nagorno Karabakh", "don’t", "turk*", "us", "re-turn*"]),
    ("glob", ["colo*r", "*ism", "fair-*", "fair", "un*fair*"]),
    ("case", [Entry("US", "case", case="sensitive"), Entry("Western", "case", case="sensitive"),
              "western armenia", "straße", "ǆemal", "ﬁx", "İzmir", "kelvin"]),
    actors=(("x", ["U.S.", "ru", "#armenia", "1915", "éa*"]),),
)
LETTERS = tiny(("t", ["ab*", "a b", "a-b", *"abcdefghijklmnopqrstuvwxyz", "ǆ", "ß", "é", "ﬁ"]))
LEXICONS = {"default": load_lexicon(), "edges": EDGES, "atoms": ATOMS}


def test_the_scanner_is_built_when_required():
    if os.environ.get("DISCOURSE_REQUIRE_NATIVE") == "1":
        assert NATIVE, "the C scanner did not build: is a C compiler installed?"


def both(lex, padded: str, pos: int = 0, endpos: int | None = None):
    """The matches of the C scanner and of the regex."""
    endpos = len(padded) if endpos is None else endpos
    compiled = compile_lexicon(lex)
    c = compiled._matches(padded, pos, endpos)
    with native(False):
        return c, compiled._matches(padded, pos, endpos)


_PIECES = st.sampled_from(WORDS + ["u.s.", "U.S.", "#armenia", "turks'", "ru", "’", "#", "give", "Moscow", "Post",
                                   "West", "Bank", "STRASSE", "Straße", "ǅemal", "ǄEMAL", "ﬁx", "FIX", "izmir",
                                   "İZMIR", "\u212aelvin", "ſ", "'s", "’S", "'ſ", "re turned", "re–turn", "1915’s",
                                   "éa", "É", "_", "\u00a0", "\u2029", "-", "‐", "‑", "give  back", "-\n",
                                   "colour", "COLOR", "colr", "communism", "ism", "fair-minded", "fair‐play",
                                   "fair-", "fairness", "unfair", "unbefairly"])
_TEXTS = st.lists(_PIECES | st.text(max_size=4), max_size=30).map(
    lambda parts: "".join(p + " " * (len(p) % 2) for p in parts))


@needs_scanner
@settings(max_examples=700, deadline=None)
@given(_TEXTS, st.sampled_from(sorted(LEXICONS)), st.integers(0, 3), st.integers(0, 3))
def test_generated_texts_match_as_with_the_regex(text, name, cut_start, cut_end):
    padded = " " + text
    found, want = both(LEXICONS[name], padded)
    assert found == want
    # a window of the text, as gaps are rescanned: nothing after endpos is visible
    pos, endpos = min(cut_start, len(padded)), max(len(padded) - cut_end, 0)
    found, want = both(LEXICONS[name], padded, pos, endpos)
    assert found == want


@needs_scanner
@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_unicode_matches_as_with_the_regex(text):
    for lex in LEXICONS.values():
        found, want = both(lex, " " + text)
        assert found == want


@needs_scanner
@pytest.mark.parametrize("template", ["{} ", "a{}b ", "ab{} ", "us{} ", "ru{}s ", "us’{} ", "give{}land ", "cease{}fire "])
def test_every_code_point_is_classed_as_by_the_regex(template):
    # one pass over all of Unicode per template: each character as a pattern letter, a word character after a
    # wildcard, a separator, a possessive, a hyphen
    chars = (chr(c) for c in range(1, 0x110000) if not 0xD800 <= c < 0xE000)
    text = " " + " ".join(template.format(c) for c in chars)
    for lex in (ATOMS, LETTERS):
        found, want = both(lex, text)
        assert found == want


@needs_scanner
def test_the_bundled_corpus_matches_as_with_the_regex():
    corpus = discourse.read(THREADS)
    texts = corpus.comments["text"].drop_nulls().to_list() + corpus.articles["body"].drop_nulls().to_list()
    lex = load_lexicon()
    for text in texts:
        found, want = both(lex, " " + text)
        assert found == want
    assert sum(len(both(lex, " " + t)[0]) for t in texts) > 500


def test_a_compiled_lexicon_pickles_and_matches_the_same():
    # worker processes receive the lexicon: its compiled form (with the C scanner) is built again there
    lex = load_lexicon()
    text = "Russia will backstab us again; compromise is not treason."
    compiled = compile_lexicon(lex)
    again = pickle.loads(pickle.dumps(lex))
    assert compile_lexicon(again).match(text) == compiled.match(text)
    assert pickle.loads(pickle.dumps(compiled)).match(text) == compiled.match(text)
    assert len(compiled.match(text)) >= 3


def test_the_native_switch_keeps_a_compiled_lexicon_to_the_regex():
    compiled = CompiledLexicon(load_lexicon())
    text = "They sold out Artsakh; unity is our answer."
    with native(False):
        assert not native_scanner_available()
        again = pickle.loads(pickle.dumps(compiled))
        regex = compiled.match(text)
        assert again.match(text) == regex != []
    assert compiled.match(text) == regex
    assert native_scanner_available() == (compiled._native is not None)


_TOKEN_PIECES = st.sampled_from(["a", "Russia's", "don’t", "x''y", "ab'", "'", "’", "_id", "мир", "1915", "\u212a",
                                 "rock'n'roll", "—", "\n", " ", "\u00a0", "é", "e\u0301", "٣", "ǅ", "''", "a’’b"])


@needs_scanner
@settings(max_examples=500, deadline=None)
@given(st.lists(_TOKEN_PIECES | st.text(max_size=3), max_size=40).map("".join))
def test_tokens_are_the_regex_tokens(text):
    # the word tokens the rules pass counts context windows in: C and the regex give the same spans
    assert _scan.tokens(text) == token_spans(text)


@needs_scanner
def test_tokens_class_every_code_point_as_the_regex():
    chars = [chr(c) for c in range(1, 0x110000) if not 0xD800 <= c < 0xE000]
    for template in ("{} ", "a{}b ", "a'{} ", "{}’a "):
        text = "".join(template.format(c) for c in chars)
        assert _scan.tokens(text) == token_spans(text)


# Context words (the rules pass): each list's C scanner (Scanner.first over the list's alternatives, in order)
# against the list's regex, searched the Python way (_Rules.near_search).
_RULES = _Rules(load_lexicon())  # its own: the lists below are added to it
_ODD_LISTS = [("give ... land", "fair-*", "*ism", "straße", "don’t", "İzmir", "colo*r", "us", "give+ back"),
              ("ally", "allies", "all*", "a b", "al-ly"), ("ǆemal", "ﬁx", "kelvin", "1915", "re-turn*")]
_NEAR_LISTS = sorted(_RULES._near) + _ODD_LISTS
for _words in _ODD_LISTS:
    _RULES.near_regex(_words)
_NEAR_PIECES = sorted({w.replace("*", "s").replace("+", "ed") for words in _NEAR_LISTS for w in words}) + [
    "Russia", "’", "'", "x'", "—", ",", "\u212aelvin", "ſide", "İn", "ıd", "_", "don't", "ALLY's", "allyx", "ALLİES",
    "give  back", "give SOME more land", "fair‐play", "fairness", "communism", "STRASSE", "-\n", "\u00a0"]


def near_both(words: tuple[str, ...], text: str, a: int, b: int):
    """The C scanner's first match in text[a:b] and the regex's (as spans), and what near_word gives both ways."""
    starts = token_spans(text)[0]
    padded = " " + text
    m = _RULES.near_search(words, text, starts, a, b)
    found = _RULES._native[words].first(padded, a, b + 1)
    return ((found, _RULES.near_word(words, text, padded, starts, a, b, True)),
            (m.span() if m else None, _RULES.near_word(words, text, padded, starts, a, b, False)))


@needs_scanner
def test_every_context_word_list_has_a_scanner():
    assert all(_RULES._native[words] is not None for words in _NEAR_LISTS)


@needs_scanner
@settings(max_examples=700, deadline=None)
@given(st.lists(st.sampled_from(_NEAR_PIECES) | st.text(max_size=2), max_size=30),
       st.lists(st.sampled_from([" ", "", "-", "  ", "\n", "'"]), max_size=30), st.sampled_from(_NEAR_LISTS), st.data())
def test_context_words_are_found_as_by_the_regex(pieces, gaps, words, data):
    text = "".join(w + (gaps[k] if k < len(gaps) else " ") for k, w in enumerate(pieces))
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    c, python = near_both(words, text, a, b)
    assert c == python


@needs_scanner
def test_context_words_class_every_code_point_as_the_regex():
    # each character before, inside and after a context word: every match in a text of all of them, each
    # search starting where the last match ended, as the regex's finditer finds them
    chars = [chr(c) for c in range(1, 0x110000) if not 0xD800 <= c < 0xE000]
    words = _ODD_LISTS[0]
    scanner, regex = _RULES._native[words], _RULES.near_regex(words)
    total = 0
    for template in ("{}us ", "us{} ", "fair{}play ", "give{}back ", "stra{}e ", "co{}or "):
        text = "".join(template.format(c) for c in chars)
        padded = " " + text
        found, at = [], 0
        while (span := scanner.first(padded, at, len(padded))) is not None:
            found.append(span)
            at = span[1]
        assert found == [m.span() for m in regex.finditer(text)], template
        total += len(found)
    assert total > 100_000


@needs_scanner
def test_the_bundled_corpus_finds_context_words_as_with_the_regex():
    corpus = discourse.read(THREADS)
    texts = corpus.comments["text"].drop_nulls().to_list() + corpus.articles["body"].drop_nulls().to_list()
    found = 0
    for text in texts:
        for words in sorted(_RULES._near):
            for a in range(0, len(text), 97):
                c, python = near_both(words, text, a, min(len(text), a + 120))
                assert c == python
                found += c[0] is not None
    assert found > 100


def views(text: str):
    """A text's _TextView with the C kernels and one without (the Python specification)."""
    c = _TextView(text)
    with native(False):
        python = _TextView(text)
    assert c.native and not python.native
    return c, python


@needs_scanner
@settings(max_examples=700, deadline=None)
@given(st.lists(st.sampled_from(_NEAR_PIECES) | st.text(max_size=2), max_size=40),
       st.lists(st.sampled_from([" ", "", "-", "  ", "\n", "'"]), max_size=40), st.sampled_from(_NEAR_LISTS),
       st.integers(1, 50), st.data())
def test_context_windows_are_searched_as_in_python(pieces, gaps, words, window, data):
    # Words.near: the window of word tokens either side of a span, and the first context word in it
    text = "".join(w + (gaps[k] if k < len(gaps) else " ") for k, w in enumerate(pieces))
    c, python = views(text)
    for _ in range(3):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 20)))
        assert c.near(_RULES, words, window, start, end) == python.near(_RULES, words, window, start, end)


@needs_scanner
def test_context_windows_of_the_bundled_corpus_are_searched_as_in_python():
    corpus = discourse.read(THREADS)
    texts = corpus.comments["text"].drop_nulls().to_list() + corpus.articles["body"].drop_nulls().to_list()
    found = 0
    for text in texts:
        c, python = views(text)
        starts, ends = token_spans(text)
        for k in range(0, len(starts), 7):
            for words in sorted(_RULES._near):
                word = c.near(_RULES, words, 1 + k % 12, starts[k], ends[k])
                assert word == python.near(_RULES, words, 1 + k % 12, starts[k], ends[k])
                found += word is not None
    assert found > 100


@needs_scanner
def test_words_refuse_a_span_outside_the_text():
    words = _scan.Words("one two three")
    scanner = _RULES._native[_ODD_LISTS[1]]
    for window, start, end in ((0, 0, 3), (2, -1, 3), (2, 5, 4), (2, 0, 99)):
        with pytest.raises(ValueError):
            words.near(scanner, window, start, end)
    assert words.near(scanner, 2, 4, 7) is None
    assert _scan.Words("the allies met").near(scanner, 2, 10, 14) == "allies"


# Quotations: quote_spans (C) against quotes._spans (Python), on text made of quote marks, apostrophes,
# opening and closing contexts and line breaks.
_QUOTE_PIECES = st.sampled_from(['"', "“", "”", "„", "«", "»", "‘", "’", "‘‘", "’’", "''", "``", "'", "`", " ", "  ",
                                 "\n", "\n\n", " \n", "\t", "\u00a0", "\u2029", "\r", "(", "[", "{", "—", "–", "-",
                                 "/", ".", ",", "?", "!", "said", "Putin", "we", "x", "1", "٣", "é", "_", "don’t",
                                 "rock'n'roll", "Ⅻ", "²"])


@needs_scanner
@settings(max_examples=1500, deadline=None)
@given(st.lists(_QUOTE_PIECES | st.text(max_size=2), max_size=40).map("".join))
def test_quotations_are_found_as_in_python(text):
    assert sorted(_scan.quote_spans(text)) == _spans(text)


@needs_scanner
def test_quotations_class_every_code_point_as_python():
    # each character before and after an opening, a closing and a single quote mark, and as a line's indent
    chars = [chr(c) for c in range(1, 0x110000) if not 0xD800 <= c < 0xE000]
    for template in ('{}"a{}"{} ', "{}‘a’{} ", "“a”{}\n{}“b{}»"):
        for k in range(0, len(chars), 4096):  # in pieces: a quote left open runs on
            text = "".join(template.format(c, c, c) for c in chars[k:k + 4096])
            assert sorted(_scan.quote_spans(text)) == _spans(text), (template, k)


@needs_scanner
def test_quotations_of_the_bundled_corpus_are_found_as_in_python():
    corpus = discourse.read(THREADS)
    texts = corpus.comments["text"].drop_nulls().to_list() + corpus.articles["body"].drop_nulls().to_list()
    assert all(sorted(_scan.quote_spans(text)) == _spans(text) for text in texts)
    assert sum(len(_spans(text)) for text in texts) > 30


def test_the_native_switch_finds_quotations_in_python():
    text = 'He said “we want peace” and left.'
    with native(False):
        assert _quote_spans(text) == _spans(text) == [(8, 23, True)]
    assert _quote_spans(text) == [(8, 23, True)]


# Voices: voices (C) against quotes._voice (Python): which sentences are someone else's speech.
_VOICE_TEXT = st.lists(st.sampled_from(["a", "bc", " ", "  ", "\n", "\t", "\u00a0", "\u2029", "\u3000", "\x1c", "é",
                                        "“", "”", "."]), max_size=60).map("".join)


@st.composite
def _voice_case(draw):
    text = draw(_VOICE_TEXT)
    n = len(text) + 3  # spans may run past the text's end
    point = st.integers(0, n)

    def span():
        a = draw(point)
        return a, draw(st.integers(a, n) if draw(st.booleans()) else point)  # sometimes end < start

    spans = [span() for _ in range(draw(st.integers(0, 8)))]
    quotes = []
    for _ in range(draw(st.integers(0, 6))):
        a = draw(point)
        quotes.append(Quote(a, draw(st.integers(a, n)), draw(st.sampled_from([None, "Putin", "Aliyev"])),
                            scare=draw(st.booleans())))
    return text, spans, quotes


def voices_both(spans, quotes, text):
    speech = sorted((q for q in quotes if not q.scare), key=lambda q: q.start)
    return _scan.voices(spans, [(q.start, q.end, q.speaker) for q in speech], text), _voice(spans, speech, text)


@needs_scanner
@settings(max_examples=1500, deadline=None)
@given(_voice_case(), st.booleans())
def test_voices_are_those_of_python(case, counted):
    text, spans, quotes = case
    c, python = voices_both(spans, quotes, text if counted else None)
    assert c == python
    assert sentence_voice(spans, quotes, text=text if counted else None) == python


@needs_scanner
def test_voices_count_every_code_point_as_python():
    # one-character sentences inside one quotation: quoted exactly when the character is not whitespace
    text = "".join(chr(c) for c in range(1, 0x110000) if not 0xD800 <= c < 0xE000)
    spans = [(k, k + 1) for k in range(len(text))]
    quote = [Quote(0, len(text), "Putin")]
    c, python = voices_both(spans, quote, text)
    assert c == python
    assert 0 < sum(v == "own" for v, _ in c) < 100


@needs_scanner
def test_voices_refuse_negative_offsets():
    with pytest.raises(ValueError):
        _scan.voices([(-1, 3)], [], "abc")
    with pytest.raises(ValueError):
        _scan.voices([(0, 3)], [(-2, 1, None)], "abc")
    with native(False):
        assert sentence_voice([(0, 3)], [Quote(0, 3, "X")], text="abc") == [("quoted", "X")]


# The rules pass: Rules.apply (C) against _Rules._apply (Python), on the rules of tests/scoring/test_lexicon_rules.py
# (every kind of rule, with windows of 2 to 8 words), on the default lexicon, on generated text and on the corpus.
from helpers import RULES  # noqa: E402

from discourse.scoring.lexicon import Hit, lexicon_from_data, negator_before, parse_lexicon_toml  # noqa: E402
from discourse.scoring.quotes import find_quotes  # noqa: E402

_RULE_LEXICONS = {"rules": lexicon_from_data(parse_lexicon_toml(RULES), raw=RULES), "default": load_lexicon()}
_RULE_PIECES = sorted({*WORDS, "recognize", "recognise", "genocide", "status", "Karabakh", "Artsakh", "independence",
                       "kill", "killed", "war", "und", "1915", "traitor", "traitors", "hang", "out", "to", "dry",
                       "back-stabbed", "sell", "sold", "surrender", "alliance", "ally", "protect", "protects", "Turkey",
                       "Ottoman", "Ottomans", "Iran", "Russia", "Russian", "allies", "peacekeepers", "troops", "strategic",
                       "camp", "part", "of", "territory", "so-called", "said", "Putin", "‘", "’", "(", "!"})


def rules_both(lex, text: str, quotes=None):
    """The rules pass over the scanner's hits in text: by the C twin and by the Python specification."""
    compiled = compile_lexicon(lex)
    found = compiled.match(text)
    assert compiled._rules._c is not None
    c = compiled._rules.apply(text, found, quotes)
    python = compiled._rules._apply(text, found, quotes)
    assert all(type(h) is Hit for h in c)
    return c, python


@needs_scanner
@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_RULE_PIECES) | st.text(max_size=2), max_size=50),
       st.lists(st.sampled_from([" ", "", "-", "  ", "\n", "'", ", ", " “", "” ", '"']), max_size=50),
       st.sampled_from(sorted(_RULE_LEXICONS)), st.booleans())
def test_the_rules_pass_is_that_of_python(pieces, gaps, name, known_quotes):
    text = "".join(w + (gaps[k] if k < len(gaps) else " ") for k, w in enumerate(pieces))
    c, python = rules_both(_RULE_LEXICONS[name], text, find_quotes(text) if known_quotes else None)
    assert c == python


@needs_scanner
def test_the_rules_pass_sets_aside_and_implies_as_python():
    # each rule at work at least once, so the comparison above is not of unruled hits alone
    lex = _RULE_LEXICONS["rules"]
    texts = ["They must recognize the Armenian genocide.", "The status of Karabakh", "the status quo",
             "In 1915 they killed many", "Krieg und war", "He is no “traitor” at all", "They will “surrender”, he said",
             "Russia is our ally", "Russia and Turkey in 1915", "Iran", "Russia will protect Turkey in 1915"]
    rules = set()
    for text in texts:
        c, python = rules_both(lex, text)
        assert c == python
        rules |= {h.rule.split(":")[0] for h in c if h.rule}
    assert rules == {"unless_near", "only_near", "quotation = scare", "quotation = quoted", "implied by actor russia",
                     "implied by actor turkey", "implied by actor iran"}


@needs_scanner
def test_the_rules_pass_over_the_bundled_corpus_is_that_of_python():
    corpus = discourse.read(THREADS)
    texts = corpus.comments["text"].drop_nulls().to_list() + corpus.articles["body"].drop_nulls().to_list()
    ruled = 0
    for lex in _RULE_LEXICONS.values():
        for text in texts:
            c, python = rules_both(lex, text, find_quotes(text))
            assert c == python
            ruled += sum(h.rule is not None for h in c)
    assert ruled > 100


@needs_scanner
def test_the_native_switch_keeps_the_rules_pass_to_python():
    compiled = compile_lexicon(_RULE_LEXICONS["rules"])
    text = "Russia is our ally, not a “traitor”"
    hits = compiled.match(text)
    with native(False):
        assert compiled._rules.apply(text, hits) == compiled._rules._apply(text, hits)
    called = []
    real = compiled._rules._apply
    compiled._rules._apply = lambda *args: called.append(args) or real(*args)
    try:
        with native(False):
            compiled._rules.apply(text, hits)
        compiled._rules.apply(text, hits)
    finally:
        del compiled._rules._apply
    assert len(called) == 1


@needs_scanner
def test_the_rules_pass_refuses_what_is_not_a_hit():
    rules = compile_lexicon(_RULE_LEXICONS["rules"])._rules._c
    quoted = _TextView("Russia").quoted
    with pytest.raises(TypeError):
        rules.apply("Russia", [("actor", "russia", "Russia", "Russia", 0, 6, False, None, True, None)], quoted)
    with pytest.raises(ValueError):
        rules.apply("Russia", [Hit("actor", "russia", "Russia", "Russia", 0, 9)], quoted)
    with pytest.raises(ValueError):
        _scan.Rules(hit=Hit, context={"t": {"x": (None,)}}, implied={}, quotation={})


@needs_scanner
def test_context_windows_of_every_code_point_are_searched_as_in_python():
    # a character before a context word makes it a token of its own or not (Words.near tries only where a token
    # starts when every word of the list begins with a word character)
    words = _ODD_LISTS[1]
    assert _RULES._native[words].word_first and not _RULES._native[_ODD_LISTS[0]].word_first
    chars = [chr(c) for c in range(1, 0x110000) if not 0xD800 <= c < 0xE000]
    for k in range(0, len(chars), 8192):
        text = "".join(f"{c}ally z " for c in chars[k:k + 8192])
        c, python = views(text)
        for at in range(6, len(text), 8):  # each "z": the token before it and the one after
            assert c.near(_RULES, words, 1, at, at + 1) == python.near(_RULES, words, 1, at, at + 1)


# Hits: Scanner.hits (C: matches, surfaces, negators and gaps in one call) against CompiledLexicon._scan (Python).
def hits_both(lex, text: str):
    """The hits of the C scanner's one call and of the Python loop over the regex's matches."""
    compiled = compile_lexicon(lex)
    c, rescanned = compiled._native.hits(text, " " + text, compiled._memo, compiled._resolve, negator_before, Hit)
    assert all(type(h) is Hit for h in c)
    python: list = []
    with native(False):
        assert compiled._scan(text, " " + text, 0, len(text), python) == rescanned
    return c, python


_HIT_LEXICONS = {**LEXICONS, "rules": _RULE_LEXICONS["rules"]}


@needs_scanner
@settings(max_examples=700, deadline=None)
@given(_TEXTS, st.sampled_from(sorted(_HIT_LEXICONS)))
def test_generated_texts_give_the_hits_of_python(text, name):
    c, python = hits_both(_HIT_LEXICONS[name], text)
    assert c == python
    with native(False):
        python_match = compile_lexicon(_HIT_LEXICONS[name]).match(text)
    assert compile_lexicon(_HIT_LEXICONS[name]).match(text) == python_match


@needs_scanner
def test_hits_in_gaps_and_negated_hits_are_those_of_python():
    lex = _HIT_LEXICONS["default"]
    for text in ("We will not give back SOME more land to Russia", "Compromise is not treason", "no betrayal, not ever",
                 "give back the Russian land", "They didn’t sell out Artsakh"):
        c, python = hits_both(lex, text)
        assert c == python
    c, _ = hits_both(lex, "We will not give back SOME more land, never a betrayal, is not treason")
    assert any(h.negated for h in c) and len({h.start for h in c}) >= 3


@needs_scanner
@pytest.mark.parametrize("template", ["a{}b ", "not {}us ", "give{}land "])
def test_every_code_point_gives_the_hits_of_python(template):
    chars = [chr(c) for c in range(1, 0x110000) if not 0xD800 <= c < 0xE000]
    for k in range(0, len(chars), 65536):
        text = " ".join(template.format(c) for c in chars[k:k + 65536])
        c, python = hits_both(ATOMS, text)
        assert c == python


@needs_scanner
def test_the_bundled_corpus_gives_the_hits_of_python():
    corpus = discourse.read(THREADS)
    texts = corpus.comments["text"].drop_nulls().to_list() + corpus.articles["body"].drop_nulls().to_list()
    found = 0
    for text in texts:
        c, python = hits_both(_HIT_LEXICONS["default"], text)
        assert c == python
        found += len(c)
    assert found > 500


@needs_scanner
def test_hits_refuse_a_padding_that_is_not_the_text():
    compiled = compile_lexicon(load_lexicon())
    with pytest.raises(ValueError):
        compiled._native.hits("Russia", "Russia", compiled._memo, compiled._resolve, negator_before, Hit)


# A unit's tag and mention rows: hit_rows (C) against batch._hit_rows (Python), on hits anywhere around the
# sentences (before the first, between, after the last, with no sentences), with and without voices.
from discourse.scoring.batch import MENTION_COLUMNS, TAG_COLUMNS, _hit_rows  # noqa: E402


@st.composite
def _rows_case(draw):
    starts = sorted(draw(st.lists(st.integers(0, 60), max_size=6)))
    n = len(starts)
    voices = draw(st.none() | st.lists(st.tuples(st.sampled_from(["own", "quoted"]), st.sampled_from([None, "Putin"])),
                                       min_size=n, max_size=n))
    compounds = draw(st.lists(st.floats(-1, 1), min_size=n, max_size=n))
    hits = []
    for _ in range(draw(st.integers(0, 12))):
        start = draw(st.integers(0, 70))
        kind = draw(st.sampled_from(["topic", "actor"]))
        label = draw(st.sampled_from(["betrayal", "unity", "russia", "b", "ä", ""]))
        negated = draw(st.booleans())
        hits.append(Hit(kind, label, "entry*", "Surface", start, start + draw(st.integers(0, 9)), negated,
                        "not" if negated else None, draw(st.booleans()), draw(st.sampled_from([None, "a rule"]))))
    return draw(st.integers(0, 5000)), hits, starts, voices, compounds


def rows_both(row, hits, starts, voices, compounds):
    out = []
    for make in (_scan.hit_rows, _hit_rows):
        tags, mentions = [[] for _ in TAG_COLUMNS], [["x"] for _ in MENTION_COLUMNS]  # appended after what is there
        labels = make(row, hits, starts, voices, compounds, tags, mentions)
        out.append((labels, tags, mentions))
    return out


@needs_scanner
@settings(max_examples=1500, deadline=None)
@given(_rows_case())
def test_hit_rows_are_those_of_python(case):
    c, python = rows_both(*case)
    assert c == python
    assert [type(v) for column in c[1] + c[2] for v in column] == \
        [type(v) for column in python[1] + python[2] for v in column]


def test_hit_rows_place_each_hit_in_its_sentence():
    hits = [Hit("topic", "b", "b", "b", 3, 4), Hit("actor", "r", "R", "R", 12, 13), Hit("topic", "a", "a", "a", 0, 1,
                                                                                       counted=False)]
    for make in filter(None, (_hit_rows, _scan and _scan.hit_rows)):
        tags, mentions = [[] for _ in TAG_COLUMNS], [[] for _ in MENTION_COLUMNS]
        labels = make(7, hits, [2, 10], [("own", None), ("quoted", "Putin")], [0.5, -0.25], tags, mentions)
        assert labels == ("b", "r")  # the topic hit that does not count is not a label of the unit
        assert dict(zip(TAG_COLUMNS, tags)) == {
            "row": [7, 7], "position": [1, 1], "topic": ["b", "a"], "entry": ["b", "a"], "matched": ["b", "a"],
            "start": [3, 0], "end": [4, 1], "negated": [False, False], "negator": [None, None],
            "counted": [True, False], "rule": [None, None]}
        assert dict(zip(MENTION_COLUMNS, mentions)) == {
            "row": [7], "position": [2], "actor": ["r"], "surface": ["R"], "start": [12], "end": [13],
            "voice": ["quoted"], "compound": [-0.25]}
        tags, mentions = [[] for _ in TAG_COLUMNS], [[] for _ in MENTION_COLUMNS]
        assert make(0, hits[1:2], [], None, [], tags, mentions) == ("", "r")
        assert mentions[1] == mentions[6] == mentions[7] == [None]


@needs_scanner
def test_hit_rows_refuse_columns_of_the_wrong_shape():
    with pytest.raises(ValueError):
        _scan.hit_rows(0, [], [], None, [], [[]] * 10, [[] for _ in MENTION_COLUMNS])
    with pytest.raises(ValueError):
        _scan.hit_rows(0, [], [1], None, [], [[] for _ in TAG_COLUMNS], [[] for _ in MENTION_COLUMNS])
