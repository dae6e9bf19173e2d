"""VADER scoring: vaderSentiment 3.3.2's ``polarity_scores``, same numbers, linear time.

The rules, their order and their quirks are those of vaderSentiment 3.3.2 (see ``docs/sentiment.md``);
only the bookkeeping differs: every text is tokenised and lowercased once, lexicon lookups are done
in one pass, only lexicon words are visited, and the "but" rescaling keeps vaderSentiment's by-value
``list.index`` behaviour with a heap per value instead of ``list.index`` plus ``pop``/``insert``.

:func:`explain` runs the same core with a trace collector; :func:`polarity_scores` passes ``None``.

When discourse was built with a C compiler, :func:`polarity_scores` and :func:`score_pieces` run the same
rules in C (``_vader.c``, a line-by-line port of ``_valences``, ``_but`` and ``_scores`` held to them by
``tests/sentiment/test_vader_c.py``), several times faster and with identical scores; :func:`native_kernel`
says whether it is in use, and ``DISCOURSE_NATIVE=0`` turns it off.
"""

from __future__ import annotations

import math
import re
import string
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from heapq import heappop, heappush
from itertools import chain, compress
from typing import Literal

from discourse.native import enabled
from discourse.sentiment import reference

try:
    import discourse.sentiment._vader as _vader
except ImportError:  # built without a C compiler: the Python rules below give the same scores
    _vader = None

# Empirically derived constants of VADER (Hutto & Gilbert 2014), as in vaderSentiment 3.3.2.
B_INCR = 0.293
B_DECR = -0.293
C_INCR = 0.733
N_SCALAR = -0.74
ALPHA = 15

NEGATE = frozenset((
    "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
    "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
    "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither",
    "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
    "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
    "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
    "oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
    "without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite",
))

_BOOSTER_UP = tuple((
    "absolutely amazingly awfully completely considerable considerably decidedly deeply effing enormous "
    "enormously entirely especially exceptional exceptionally extreme extremely fabulously flipping flippin "
    "frackin fracking fricking frickin frigging friggin fully fuckin fucking fuggin fugging greatly hella "
    "highly hugely incredible incredibly intensely major majorly more most particularly purely quite really "
    "remarkably so substantially thoroughly total totally tremendous tremendously uber unbelievably unusually "
    "utter utterly very"
).split())
_BOOSTER_DOWN = tuple((
    "almost|barely|hardly|just enough|kind of|kinda|kindof|kind-of|less|little|marginal|marginally|"
    "occasional|occasionally|partly|scarce|scarcely|slight|slightly|somewhat|sort of|sorta|sortof|sort-of"
).split("|"))
BOOSTERS: tuple[tuple[str, float], ...] = (
    *((w, B_INCR) for w in _BOOSTER_UP), *((w, B_DECR) for w in _BOOSTER_DOWN))

# Idioms containing lexicon words; values are vaderSentiment's, ints included.
SPECIAL_CASES: tuple[tuple[str, float], ...] = (
    ("the shit", 3), ("the bomb", 3), ("bad ass", 1.5), ("badass", 1.5), ("bus stop", 0.0),
    ("yeah right", -2), ("kiss of death", -1.5), ("to die for", 3), ("beating heart", 3.5),
)

Rule = Literal["no", "caps", "booster", "negation", "emphasis", "doubt", "idiom", "phrase", "least", "but"]


@dataclass(frozen=True, slots=True)
class Step:
    """One rule that changed (or, for ``doubt``, deliberately kept) a token's valence.

    ``rule`` is one of: ``no`` (negated by a nearby "no", or "no" itself zeroed before a lexicon word),
    ``caps`` (ALL-CAPS emphasis), ``booster`` (booster/dampener word, scalar added), ``negation``
    (negator, valence times -0.74), ``emphasis`` ("never so/this", or "so"/"this" just before: x1.25),
    ``doubt`` ("without doubt" cancels the negation), ``idiom`` (valence replaced), ``phrase``
    ("kind of"/"sort of"/"just enough" before the word, scalar added), ``least`` (x -0.74) and ``but``
    (x0.5 before the first "but", x1.5 after it). ``trigger`` is the word or phrase that fired the rule.
    """

    rule: Rule
    trigger: str
    scalar: float
    before: float
    after: float


@dataclass(frozen=True, slots=True)
class TokenExplanation:
    """A token as VADER saw it, its lexicon valence, the rules applied to it and its final valence.

    ``role`` is ``sentiment`` (a lexicon word that was scored), ``modifier`` (a booster/dampener,
    scored 0), ``kind-of`` ("kind" before "of", scored 0) or ``neutral`` (not in the lexicon).
    """

    index: int
    token: str
    role: Literal["sentiment", "modifier", "kind-of", "neutral"]
    lexicon_valence: float | None
    steps: tuple[Step, ...]
    valence: float


@dataclass(frozen=True, slots=True)
class Explanation:
    """How VADER scored a text: per-token valences and rules, punctuation emphasis, the scores.

    ``text`` is the text as scored (emoji replaced by their descriptions). ``scores()`` equals
    :func:`polarity_scores` of the input.
    """

    text: str
    tokens: tuple[TokenExplanation, ...]
    all_caps_differential: bool
    but_index: int | None
    punctuation_emphasis: float
    neg: float
    neu: float
    pos: float
    compound: float

    def scores(self) -> dict[str, float]:
        """The ``polarity_scores`` dict: ``neg``, ``neu``, ``pos``, ``compound``."""
        return {"neg": self.neg, "neu": self.neu, "pos": self.pos, "compound": self.compound}


@dataclass(frozen=True, slots=True)
class _Tables:
    lexicon: dict[str, float]
    scored: frozenset[str]  # lexicon words that are not boosters: the only tokens that can carry valence
    boosters: dict[str, float]
    special: dict[tuple[str, ...], float]
    phrase_boosters: dict[tuple[str, ...], float]
    idiom_starts: frozenset[str]  # first words of special cases and multi-word boosters
    emoji: dict[int, str]  # str.translate table: emoji -> " " + description
    emoji_chars: frozenset[str]  # the keys of ``emoji``, for a linear-time membership test
    # Every word a rule looks for before a sentiment word (boosters, negators, "no", "never", "so", "this",
    # "least", idiom starts); a sentiment word with none of them (nor an n't word) among the three before
    # it keeps its lexicon valence, which lets the loop skip the rules.
    modifiers: frozenset[str]
    # sentiment words whose own rules look at the words after them ("kind of", "no", idioms)
    self_modifying: frozenset[str]
    forms: _Forms  # token -> the form looked up (memo)


class _Forms(dict):
    """A token -> the form the tables are searched with: lowercased, then stripped of ASCII punctuation
    unless that leaves two characters or fewer (vaderSentiment's ``_strip_punc_if_word``). A memo: a
    corpus repeats its words, and ``map(forms.__getitem__, tokens)`` runs in C for every word seen before.

    Lowercasing token by token equals lowercasing the text and splitting it: no character lowercases to
    whitespace, and the one context-dependent mapping (Greek final sigma) looks no further than the
    surrounding whitespace. It differs from vaderSentiment (strip, then lowercase) only for a token holding
    U+0130, which lowercases to two characters; no such token is in any table.
    """

    LIMIT = 500_000

    def __init__(self) -> None:
        super().__init__()
        self.upper: set[str] = set()  # the tokens seen that are ALL CAPS (``str.isupper``), a faster test

    def __missing__(self, token: str) -> str:
        word = token.lower()
        stripped = word.strip(_PUNCTUATION)
        form = stripped if len(stripped) > 2 else word
        if len(self) >= self.LIMIT:
            self.clear()
            self.upper.clear()
        self[token] = form
        if token.isupper():
            self.upper.add(token)
        return form


def _parse_lexicon(text: str) -> dict[str, float]:
    # Same parsing as SentimentIntensityAnalyzer.make_lex_dict (later duplicates win).
    lexicon: dict[str, float] = {}
    for line in text.rstrip("\n").split("\n"):
        if not line:
            continue
        word, measure = line.strip().split("\t")[0:2]
        lexicon[word] = float(measure)
    return lexicon


def _parse_emoji(text: str) -> dict[str, str]:
    # Same parsing as SentimentIntensityAnalyzer.make_emoji_dict.
    emoji: dict[str, str] = {}
    for line in text.rstrip("\n").split("\n"):
        key, description = line.strip().split("\t")[0:2]
        emoji[key] = description
    return emoji


@cache
def _tables() -> _Tables:
    lexicon = _parse_lexicon(reference.lexicon_text())
    boosters = dict(BOOSTERS)
    special = {tuple(key.split(" ")): value for key, value in SPECIAL_CASES}
    phrases = {tuple(key.split(" ")): value for key, value in BOOSTERS if " " in key}
    # vaderSentiment replaces emoji character by character, so multi-code-point keys never match.
    single = {key: desc for key, desc in _parse_emoji(reference.emoji_lexicon_text()).items() if len(key) == 1}
    return _Tables(
        lexicon=lexicon,
        scored=frozenset(lexicon.keys() - boosters.keys()),
        boosters=boosters,
        special=special,
        phrase_boosters=phrases,
        idiom_starts=frozenset(key[0] for key in (*special, *phrases)),
        # A leading space keeps the description a separate token, as vaderSentiment's rebuilt string does;
        # str.split() cannot tell the extra spaces apart.
        emoji={ord(key): " " + desc for key, desc in single.items()},
        emoji_chars=frozenset(single),
        modifiers=frozenset((*boosters, *NEGATE, "no", "never", "so", "this", "least",
                             *(key[0] for key in (*special, *phrases)))),
        self_modifying=frozenset(("kind", "no", *(key[0] for key in (*special, *phrases)))),
        forms=_Forms(),
    )


_PUNCTUATION = string.punctuation
_SO_THIS = ("so", "this")
_OR_NOR = ("or", "nor")


class _Trace:
    """Collects what the core did to each token; only :func:`explain` creates one."""

    def __init__(self) -> None:
        self.steps: dict[int, list[Step]] = {}
        self.text = ""
        self.raw: list[str] = []
        self.lower: list[str] = []
        self.cap_diff = False
        self.but_index: int | None = None
        self.emphasis = 0.0
        self.final: dict[int, float] = {}
        self.kind_of: set[int] = set()

    def step(self, i: int, rule: Rule, trigger: str, scalar: float, before: float, after: float) -> None:
        self.steps.setdefault(i, []).append(Step(rule, trigger, scalar, before, after))


def polarity_scores(text: str) -> dict[str, float]:
    """vaderSentiment 3.3.2's scores of ``text``: ``{"neg", "neu", "pos", "compound"}``, identically rounded.

    >>> polarity_scores("The book was good.")
    {'neg': 0.0, 'neu': 0.508, 'pos': 0.492, 'compound': 0.4404}
    """
    if not isinstance(text, str):
        raise TypeError(f"VADER scores str, not {type(text).__name__}: {text!r:.60}")
    kernel = native_kernel()
    if kernel is not None:
        return dict(zip(_KEYS, kernel.score(text, [(0, len(text))], False)[1]))
    return _score(text, None)


def native_kernel() -> _vader.Kernel | None:
    """The C kernel over this module's tables, or None when discourse was built without it or the native
    switch is off (:mod:`discourse.native`). The kernel keeps scratch buffers: one per process, used under
    the GIL."""
    return _kernel() if enabled() else None


@cache
def _kernel() -> _vader.Kernel | None:
    if _vader is None:
        return None
    from discourse.sentiment import prepare

    tables = _tables()
    return _vader.Kernel(
        lexicon=tables.lexicon, boosters=tables.boosters, negate=NEGATE, special=tables.special,
        phrases=tables.phrase_boosters, emoji={chr(code): text[1:] for code, text in tables.emoji.items()},
        typography=dict(prepare._TYPOGRAPHY), c_incr=C_INCR, n_scalar=N_SCALAR,
        abbreviations=prepare._ABBREVIATIONS, number_abbreviations=prepare._NUMBER_ABBREVIATIONS,
        openers=prepare._OPENERS, closers=prepare._CLOSERS, starts="".join(sorted(prepare._STARTS)))


def explain(text: str) -> Explanation:
    """Score ``text`` like :func:`polarity_scores` and say, token by token, how each rule acted."""
    trace = _Trace()
    scores = _score(text, trace)
    lexicon = _tables().lexicon
    tokens = []
    for i, (raw, low) in enumerate(zip(trace.raw, trace.lower)):
        stripped = raw.strip(_PUNCTUATION)
        tokens.append(TokenExplanation(
            index=i,
            token=stripped if len(stripped) > 2 else raw,
            role=_role(trace, i, low),
            lexicon_valence=lexicon.get(low),
            steps=tuple(trace.steps.get(i, ())),
            valence=float(trace.final.get(i, 0.0)),
        ))
    return Explanation(
        text=trace.text, tokens=tuple(tokens), all_caps_differential=trace.cap_diff,
        but_index=trace.but_index, punctuation_emphasis=trace.emphasis, **scores)


def _role(trace: _Trace, i: int, low: str) -> Literal["sentiment", "modifier", "kind-of", "neutral"]:
    if i in trace.kind_of:
        return "kind-of"
    if i in trace.final:
        return "sentiment"
    return "modifier" if low in _tables().boosters else "neutral"


def _score(text: str, trace: _Trace | None) -> dict[str, float]:
    """The one implementation of the VADER rules; ``trace`` is ``None`` on the fast path.

    C twin: ``Kernel.score`` in ``_vader.c``.
    """
    if not isinstance(text, str):
        raise TypeError(f"VADER scores str, not {type(text).__name__}: {text!r:.60}")
    tables = _tables()
    text, raw, low = _tokens(text, tables)
    n = len(raw)
    if trace is not None:
        trace.text = text.strip()
        trace.raw = raw
        trace.lower = low
    if not n:
        return dict(zip(_KEYS, _ZERO))
    # Stripping removes ASCII punctuation only, so a token is ALL CAPS exactly when its raw form is.
    n_caps = sum(map(str.isupper, raw))
    cap_diff = 0 < n_caps < n
    if trace is not None:
        trace.cap_diff = cap_diff
    hits = list(compress(range(n), map(tables.scored.__contains__, low)))
    values = _valences(raw, low, hits, [(0, n, cap_diff)], tables, trace)
    if "but" in low:
        _but(hits, values, low.index("but"), trace)
    if trace is not None:
        trace.final = dict(zip(hits, values))
    return dict(zip(_KEYS, _scores(values, n, text.count("!"), text.count("?"), trace)))


Scores = tuple[float, float, float, float]
"""``(neg, neu, pos, compound)``, the values of the :func:`polarity_scores` dict."""
_KEYS = ("neg", "neu", "pos", "compound")
_ZERO: Scores = (0.0, 0.0, 0.0, 0.0)
_NEUTRAL: Scores = (0.0, 1.0, 0.0, 0.0)  # a text of neutral tokens: _scores(values=[], n > 0, ...)


def score_pieces(pieces: list[str]) -> tuple[list[Scores], Scores]:
    """The scores of each piece, and of all the pieces joined by whitespace, tokenised once.

    Equal to ``[polarity_scores(p) for p in pieces]`` and ``polarity_scores(" ".join(pieces))`` (as
    ``(neg, neu, pos, compound)`` tuples): the joined text's tokens are the pieces' tokens one after
    another, so each piece is scored on its stretch of the joined tokens, and a sentiment word keeps the
    valence it has in its piece unless a word its rules read lies in another piece (it is among the first
    three or last two of its piece) or the ALL-CAPS rule differs (the piece is all caps, the whole text
    not); only those words are scored again.

    >>> score_pieces(["Good.", "But bad!"])
    ([(0.0, 0.0, 1.0, 0.4404), (0.834, 0.166, 0.0, -0.722)], (0.631, 0.125, 0.244, -0.6239))

    C twin: ``Kernel.score`` in ``_vader.c``.
    """
    kernel = native_kernel()
    if kernel is None:
        return _score_pieces(pieces)
    spans = []
    start = 0
    for piece in pieces:
        spans.append((start, start + len(piece)))
        start += len(piece) + 1
    return kernel.score(" ".join(pieces), spans, False)


def _score_pieces(pieces: list[str]) -> tuple[list[Scores], Scores]:
    """:func:`score_pieces` in Python: the specification the C kernel follows."""
    tables = _tables()
    joined = " ".join(pieces)
    if not joined.isascii():
        found = tables.emoji_chars.intersection(_NON_ASCII.findall(joined))
        if found:
            # replace the few emoji present: the same text as str.translate with the whole table (which looks
            # up every character), since no description holds an emoji (tested)
            for char in sorted(found):
                pieces = [piece.replace(char, tables.emoji[ord(char)]) if char in piece else piece for piece in pieces]
            joined = " ".join(pieces)
    parts = list(map(str.split, pieces))
    raw = list(chain.from_iterable(parts))
    n = len(raw)
    if not n:
        return [_ZERO] * len(pieces), _ZERO
    low = list(map(tables.forms.__getitem__, raw))  # after this every token is in forms.upper or not upper
    hits = list(compress(range(n), map(tables.scored.__contains__, low)))
    caps = list(compress(range(n), map(tables.forms.upper.__contains__, raw)))
    buts = list(compress(range(n), map("but".__eq__, low))) if "but" in low else []
    # Pieces that hold sentiment words: their windows and hits; the others score as all neutral (or empty).
    windows: list[Window] = []
    spans: list[tuple[int, int, int, int]] = []  # (piece, first hit, hit after the last, tokens)
    recheck: list[int] = []  # indices into hits of words whose valence may differ when joined
    all_caps: list[tuple[int, int]] = []  # inner hits of all-caps pieces, rescored when the joined text is not
    n_hits = len(hits)
    start = h = c = 0
    for k, size in enumerate(map(len, parts)):
        end = start + size
        if h < n_hits and hits[h] < end:
            h_end = bisect_left(hits, end, h)
            c = bisect_left(caps, start, c)
            n_caps = bisect_left(caps, end, c) - c
            windows.append((start, end, 0 < n_caps < size))
            spans.append((k, h, h_end, size))
            inner_from = bisect_left(hits, start + 3, h, h_end)
            inner_to = bisect_right(hits, end - 3, h, h_end)
            recheck += range(h, inner_from)
            recheck += range(max(inner_from, inner_to), h_end)
            if n_caps == size and inner_to > inner_from:
                all_caps.append((inner_from, inner_to))
            h = h_end
        start = end
    values = _valences(raw, low, hits, windows, tables, None)  # each in its piece, before "but"

    out = [_NEUTRAL if p else _ZERO for p in parts]
    b = 0
    for (k, h, h_end, size), (start, end, _) in zip(spans, windows):
        piece_values = values[h:h_end]
        if buts:
            b = bisect_left(buts, start, b)
            if b < len(buts) and buts[b] < end:
                _but(hits[h:h_end], piece_values, buts[b], None)
        piece = pieces[k]
        out[k] = _scores(piece_values, size, piece.count("!"), piece.count("?"), None)

    # The joined text: the same valences but where a word's rules cross pieces or the caps rule differs.
    cap_diff = 0 < len(caps) < n
    if cap_diff:
        for lo, hi in all_caps:
            recheck += range(lo, hi)
    if recheck:
        recheck.sort()
        again = _valences(raw, low, [hits[k] for k in recheck], [(0, n, cap_diff)], tables, None)
        for k, value in zip(recheck, again):
            values[k] = value
    if buts:
        _but(hits, values, buts[0], None)
    return out, _scores(values, n, joined.count("!"), joined.count("?"), None)


def _tokens(text: str, tables: _Tables) -> tuple[str, list[str], list[str]]:
    """The text with emoji described, its tokens, and their lowercased forms for the table lookups."""
    if _has_emoji(text, tables):
        text = text.translate(tables.emoji)
    raw = text.split()
    return text, raw, list(map(tables.forms.__getitem__, raw))


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _has_emoji(text: str, tables: _Tables) -> bool:
    # Only the few non-ASCII characters are looked up: a character class of ~1,200 astral code points would
    # make re test each one in turn.
    return not text.isascii() and not tables.emoji_chars.isdisjoint(_NON_ASCII.findall(text))


Window = tuple[int, int, bool]
"""``(start, end, cap_diff)``: a text as a stretch of tokens, and whether it mixes ALL-CAPS and other words."""


def _valences(raw: list[str], low: list[str], hits: list[int], windows: list[Window], tables: _Tables,
              trace: _Trace | None) -> list[float]:
    """The valence of each sentiment word at ``hits`` after every rule but "but". Each word is scored in the
    text of its window (``windows`` in order, each holding at least one hit): the rules see no word outside
    it.

    C twin: ``valences`` in ``_vader.c``.
    """
    lexicon = tables.lexicon
    boosters = tables.boosters
    idiom_starts = tables.idiom_starts
    modifiers = tables.modifiers
    self_modifying = tables.self_modifying
    values: list[float] = []
    stretches = iter(windows)
    end = -1
    for i in hits:
        if i >= end:
            first, end, cap_diff = next(stretches)
            second, third, last = first + 1, first + 2, end - 1
        word = low[i]
        # No rule applies: the lexicon valence (the rules below would add 0.0 to it, which changes nothing).
        if word not in self_modifying and not (cap_diff and raw[i].isupper()) \
                and (i == first or ((w := low[i - 1]) not in modifiers and "n't" not in w)) \
                and (i <= second or ((w := low[i - 2]) not in modifiers and "n't" not in w)) \
                and (i <= third or ((w := low[i - 3]) not in modifiers and "n't" not in w)):
            values.append(lexicon[word])
            continue
        if word == "kind" and i < last and low[i + 1] == "of":
            if trace is not None:
                trace.kind_of.add(i)
            values.append(0)
            continue
        base = lexicon[word]
        valence = base
        if word == "no" and i != last and low[i + 1] in lexicon:
            if trace is not None:
                trace.step(i, "no", low[i + 1], 0.0, valence, 0.0)
            valence = 0.0
        if (i > first and low[i - 1] == "no") or (i > second and low[i - 2] == "no") \
                or (i > third and low[i - 3] == "no" and low[i - 1] in _OR_NOR):
            if trace is not None:
                trace.step(i, "no", "no", N_SCALAR, valence, base * N_SCALAR)
            valence = base * N_SCALAR
        if cap_diff and raw[i].isupper():
            after = valence + C_INCR if valence > 0 else valence - C_INCR
            if trace is not None:
                trace.step(i, "caps", raw[i], after - valence, valence, after)
            valence = after

        # The three preceding words, nearest first; lexicon words among them neither boost nor negate.
        # A booster's scalar is never 0, so damping it unconditionally is vaderSentiment's "if s != 0".
        if i > first and (prev := low[i - 1]) not in lexicon:
            scalar = _booster(boosters[prev], raw[i - 1], valence, cap_diff) if prev in boosters else 0.0
            if trace is not None and scalar:
                trace.step(i, "booster", prev, scalar, valence, valence + scalar)
            valence = valence + scalar
            if prev in NEGATE or "n't" in prev:
                if trace is not None:
                    trace.step(i, "negation", prev, N_SCALAR, valence, valence * N_SCALAR)
                valence = valence * N_SCALAR
        if i > second and (prev := low[i - 2]) not in lexicon:
            scalar = _booster(boosters[prev], raw[i - 2], valence, cap_diff) * 0.95 if prev in boosters else 0.0
            if trace is not None and scalar:
                trace.step(i, "booster", prev, scalar, valence, valence + scalar)
            valence = valence + scalar
            if prev == "never" and low[i - 1] in _SO_THIS:
                if trace is not None:
                    trace.step(i, "emphasis", "never " + low[i - 1], 1.25, valence, valence * 1.25)
                valence = valence * 1.25
            elif prev == "without" and low[i - 1] == "doubt":
                if trace is not None:
                    trace.step(i, "doubt", "without doubt", 1.0, valence, valence)
            elif prev in NEGATE or "n't" in prev:
                if trace is not None:
                    trace.step(i, "negation", prev, N_SCALAR, valence, valence * N_SCALAR)
                valence = valence * N_SCALAR
        if i > third and (prev := low[i - 3]) not in lexicon:
            scalar = _booster(boosters[prev], raw[i - 3], valence, cap_diff) * 0.9 if prev in boosters else 0.0
            if trace is not None and scalar:
                trace.step(i, "booster", prev, scalar, valence, valence + scalar)
            valence = valence + scalar
            # Operator precedence as in vaderSentiment: "so"/"this" right before the word is enough.
            if (prev == "never" and low[i - 2] in _SO_THIS) or low[i - 1] in _SO_THIS:
                if trace is not None:
                    trigger = "never " + low[i - 2] if prev == "never" and low[i - 2] in _SO_THIS else low[i - 1]
                    trace.step(i, "emphasis", trigger, 1.25, valence, valence * 1.25)
                valence = valence * 1.25
            elif prev == "without" and (low[i - 2] == "doubt" or low[i - 1] == "doubt"):
                if trace is not None:
                    trace.step(i, "doubt", "without doubt", 1.0, valence, valence)
            elif prev in NEGATE or "n't" in prev:
                if trace is not None:
                    trace.step(i, "negation", prev, N_SCALAR, valence, valence * N_SCALAR)
                valence = valence * N_SCALAR
            if prev in idiom_starts or low[i - 2] in idiom_starts or low[i - 1] in idiom_starts \
                    or word in idiom_starts:
                valence = _idioms(valence, low, i, end, tables, trace)

        if i > first and low[i - 1] == "least" and "least" not in lexicon \
                and (i == second or (low[i - 2] != "at" and low[i - 2] != "very")):
            if trace is not None:
                trace.step(i, "least", "least", N_SCALAR, valence, valence * N_SCALAR)
            valence = valence * N_SCALAR
        values.append(valence)
    return values


def _booster(scalar: float, raw_word: str, valence: float, cap_diff: bool) -> float:
    """C twin: ``booster`` in ``_vader.c``."""
    # vaderSentiment's scalar_inc_dec for a word known to be a booster.
    if valence < 0:
        scalar *= -1
    if cap_diff and raw_word.isupper():
        if valence > 0:
            scalar += C_INCR
        else:
            scalar -= C_INCR
    return scalar


def _idioms(valence: float, low: list[str], i: int, end: int, tables: _Tables, trace: _Trace | None) -> float:
    """vaderSentiment's ``_special_idioms_check`` on token tuples (tokens hold no spaces).

    C twin: ``idioms`` in ``_vader.c``.
    """
    special = tables.special
    w3, w2, w1, w0 = low[i - 3], low[i - 2], low[i - 1], low[i]
    for key in ((w1, w0), (w2, w1, w0), (w2, w1), (w3, w2, w1), (w3, w2)):
        if key in special:
            valence = _set(valence, special[key], key, i, trace)
            break
    if end - 1 > i and (key := (w0, low[i + 1])) in special:
        valence = _set(valence, special[key], key, i, trace)
    if end - 1 > i + 1 and (key := (w0, low[i + 1], low[i + 2])) in special:
        valence = _set(valence, special[key], key, i, trace)
    phrases = tables.phrase_boosters
    for key in ((w3, w2, w1), (w3, w2), (w2, w1)):
        if key in phrases:
            if trace is not None:
                trace.step(i, "phrase", " ".join(key), phrases[key], valence, valence + phrases[key])
            valence = valence + phrases[key]
    return valence


def _set(valence: float, value: float, key: tuple[str, ...], i: int, trace: _Trace | None) -> float:
    if trace is not None:
        trace.step(i, "idiom", " ".join(key), value, valence, value)
    return value


def _but(positions: list[int], values: list[float], but_index: int, trace: _Trace | None) -> None:
    """vaderSentiment's ``_but_check``, in place, in O(n log n).

    vaderSentiment walks the sentiments and rescales ``sentiments.index(value)``: the FIRST token that
    currently holds the value, not necessarily the one being visited. So equal valences can be scaled
    twice or not at all; this is reproduced. Zeros stay zero and are skipped. A visited position still
    holds its original value (earlier steps only touch earlier positions), and the first holder of a
    value is the smallest position in that value's heap.

    C twin: ``but_rescale`` in ``_vader.c``.
    """
    if trace is not None:
        trace.but_index = but_index
    holders: dict[float, list[int]] = {}
    for k, value in enumerate(values):
        if value:
            holders.setdefault(value, []).append(k)  # ascending, hence already a heap
    for value in values[:]:
        if not value:
            continue
        heap = holders[value]
        first = heap[0]
        position = positions[first]
        if position == but_index:
            continue
        factor = 0.5 if position < but_index else 1.5
        heappop(heap)
        scaled = value * factor
        values[first] = scaled
        heappush(holders.setdefault(scaled, []), first)
        if trace is not None:
            trace.step(position, "but", "but", factor, value, scaled)


def _scores(values: list[float], n: int, exclamations: int, questions: int, trace: _Trace | None) -> Scores:
    """vaderSentiment's ``score_valence``; ``values`` are the only possibly non-zero sentiments of ``n``.

    C twin: ``scores`` in ``_vader.c``.
    """
    # Zeros do not change a float sum that starts from int 0, so summing only these values is exact.
    sum_s = float(sum(values))
    emphasis: float = min(exclamations, 4) * 0.292
    qm_count = questions
    if qm_count > 1:
        emphasis += qm_count * 0.18 if qm_count <= 3 else 0.96
    if trace is not None:
        trace.emphasis = emphasis
    if sum_s > 0:
        sum_s += emphasis
    elif sum_s < 0:
        sum_s -= emphasis
    compound = sum_s / math.sqrt((sum_s * sum_s) + ALPHA)
    if compound < -1.0:
        compound = -1.0
    elif compound > 1.0:
        compound = 1.0

    pos_sum = 0.0
    neg_sum = 0.0
    neu_count = n
    for s in values:
        if s > 0:
            pos_sum += (float(s) + 1)
            neu_count -= 1
        elif s < 0:
            neg_sum += (float(s) - 1)
            neu_count -= 1
    if pos_sum > math.fabs(neg_sum):
        pos_sum += emphasis
    elif pos_sum < math.fabs(neg_sum):
        neg_sum -= emphasis
    total = pos_sum + math.fabs(neg_sum) + neu_count
    return (round(math.fabs(neg_sum / total), 3), round(math.fabs(neu_count / total), 3),
            round(math.fabs(pos_sum / total), 3), round(compound, 4))
