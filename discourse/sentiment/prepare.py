"""Text preparation before VADER scoring: typography and whitespace normalisation, sentence spans.

VADER matches ASCII: a curly apostrophe hides the negation in "don’t" and an em dash glues two words
into one unknown token. :func:`normalize` maps typography to ASCII and tidies whitespace;
:func:`split_sentences` returns character spans. Spans refer to the text they were computed on, which
in the pipeline is the prepared text (normalisation changes lengths: "…" becomes "...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from types import MappingProxyType

from discourse.errors import ConfigError


#: the rules that may be applied on top of VADER's compound (:mod:`discourse.sentiment.rules`)
SENTIMENT_RULES = ("conflict", "topics")


def check_rule(rule: str | None) -> None:
    """Raise ``ConfigError`` for a rule name that is not None or one of :data:`SENTIMENT_RULES`."""
    if rule is not None and rule not in SENTIMENT_RULES:
        raise ConfigError(f"unknown sentiment rule {rule!r}",
                          hint=f"valid rules: {', '.join(SENTIMENT_RULES)} (or none, for VADER exactly)")


@dataclass(frozen=True)
class Preparation:
    """Which normalisations :func:`normalize` applies.

    ``typography``: curly quotes and apostrophes, primes, guillemets, dashes, minus, ellipsis, Unicode
    spaces and invisible characters (soft hyphen, zero-width space, word joiner, BOM) become ASCII.
    ``whitespace``: line endings become ``\\n``; runs of spaces and tabs become one space; a blank line
    (two or more line breaks) becomes exactly ``\\n\\n``; a single line break stays ``\\n``; ends are stripped.

    ``rule`` is not a normalisation: it names an optional rule applied on top of VADER's compound scores
    (:mod:`discourse.sentiment.rules`, ``"conflict"`` or ``"topics"``); None, the default, keeps VADER's scores
    exactly.
    """

    typography: bool = True
    whitespace: bool = True
    rule: str | None = None

    def __post_init__(self) -> None:
        check_rule(self.rule)
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name != "rule" and not isinstance(value, bool):
                raise ConfigError(f"Preparation.{field.name} must be a bool, got {value!r}",
                                  hint="valid values: True, False")


_TYPOGRAPHY = MappingProxyType({
    # apostrophes and single quotes
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u2039": "'", "\u203a": "'",
    "\u02bc": "'", "\u00b4": "'", "\uff07": "'",
    # double quotes
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\uff02": '"',
    # hyphens, dashes, minus; an em dash or bar separates words, so it keeps spaces around it
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-", "\ufe63": "-", "\uff0d": "-",
    "\u2014": " - ", "\u2015": " - ",
    "\u2026": "...",
    # Unicode spaces
    "\u00a0": " ", "\u1680": " ", "\u2000": " ", "\u2001": " ", "\u2002": " ", "\u2003": " ", "\u2004": " ",
    "\u2005": " ", "\u2006": " ", "\u2007": " ", "\u2008": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ",
    "\u205f": " ", "\u3000": " ",
    # invisible characters that split or hide words
    "\u00ad": "", "\u200b": "", "\u2060": "", "\ufeff": "",
})
_TYPOGRAPHIC = re.compile("[" + "".join(_TYPOGRAPHY) + "]")
_LINE_BREAKS = MappingProxyType(str.maketrans({
    "\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x1c": "\n", "\x1d": "\n", "\x1e": "\n", "\x85": "\n",
    "\u2028": "\n", "\u2029": "\n\n",
}))
_OTHER_LINE_BREAK = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_BLANK_LINES = re.compile(r"\n\n\n+")


def normalize(text: str, prep: Preparation = Preparation()) -> str:
    """Return ``text`` with the normalisations ``prep`` switches on; linear time.

    >>> normalize("I don’t  like it…\\r\\n\\r\\n\\r\\nReally — no.")
    "I don't like it...\\n\\nReally - no."

    C twin: ``Kernel.score (its typography and emoji step)`` in ``_vader.c``.
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize() takes str, not {type(text).__name__}")
    if prep.typography and not text.isascii():
        # Replacing each distinct character is faster than str.translate on a non-ASCII text.
        for char in set(_TYPOGRAPHIC.findall(text)):
            text = text.replace(char, _TYPOGRAPHY[char])
    if prep.whitespace:
        if _OTHER_LINE_BREAK.search(text):
            text = text.replace("\r\n", "\n").translate(_LINE_BREAKS)
        if "\n" in text:
            # Within each line, str.split() collapses and trims every other kind of whitespace.
            text = "\n".join([" ".join(line.split()) for line in text.split("\n")])
            text = _BLANK_LINES.sub("\n\n", text).strip()
        else:
            text = " ".join(text.split())
    return text


_CLOSERS = "\"'\u201d\u2019)]}\u00bb\u203a"
_OPENERS = "\"'\u201c\u2018([{\u00ab\u2039\u00bf\u00a1"
_BULLETS = "-\u2013\u2014\u2022*\u00b7>"


def _char_class(chars: str) -> str:
    return "[" + "".join(re.escape(c) for c in chars) + "]"


_STARTS = frozenset(_OPENERS + _BULLETS)
# Candidate boundaries: a run of terminal punctuation with its closers and the whitespace after it, or a line
# break with the whitespace after it. Both consume whole runs, so the scan is linear; the loop in
# split_sentences decides. The leading lookahead lets the scan skip other characters quickly.
_BOUNDARY = re.compile(
    r"(?=[.!?\u2026\n])"
    rf"(?:(?P<term>[.!?\u2026]++)(?P<close>{_char_class(_CLOSERS)}*+)(?P<gap>\s*+)|(?P<breaks>\n\s*+))"
)
_ABBREVIATIONS = frozenset((
    "mr mrs ms messrs dr pres prof st gen col lt sgt capt cmdr maj adm gov sen rep hon rev jr sr "
    "vs v etc al cf approx dept inc ltd co corp mt ft "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split())
_NUMBER_ABBREVIATIONS = frozenset("no nos nr vol p pp fig art ch".split())  # only before a number
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")  # U.S, e.g, i.e, a.m


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` over ``text``, in order, non-empty, trimmed of whitespace.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` (runs such as ``?!`` or ``......`` included) plus any
    closing quotes or brackets, when whitespace and a sentence start follow: an uppercase letter, digit,
    opening quote or bracket, list bullet, or, except after an ellipsis, a lowercase letter (comments and
    reviews are often written in lowercase). It does not end after an abbreviation ("Mr.", "e.g.",
    "U.S.", "J. Smith", "No. 5"). A blank line always ends a sentence; a single line break does when a
    start other than a lowercase letter follows. Only whitespace lies between spans. Linear time.

    >>> split_sentences("Dr. Smith arrived. He left?! Then 2.5 hours passed")
    [(0, 18), (19, 28), (29, 50)]

    C twin: ``Kernel.split`` in ``_vader.c``.
    """
    if not isinstance(text, str):
        raise TypeError(f"split_sentences() takes str, not {type(text).__name__}")
    spans: list[tuple[int, int]] = []
    start = 0
    size = len(text)
    for match in _BOUNDARY.finditer(text):
        after = match.end()
        if after == size:
            break
        char = text[after]
        starts = char in _STARTS or char.isalnum()
        term, close, gap, breaks = match.groups()
        if breaks is not None:
            if breaks.count("\n") < 2 and (not starts or char.islower()):
                continue
            end = match.start()
        else:
            if not gap:
                continue
            if gap.count("\n") < 2:  # a blank line ends the sentence whatever follows
                if not starts:
                    continue
                if "\u2026" in term or ".." in term:
                    if char.islower():
                        continue
                elif term == "." and not close and "\n" not in gap \
                        and _is_abbreviation(text, match.start(), after):
                    continue
            end = after - len(gap)
        _append(spans, text, start, end)
        start = after
    _append(spans, text, start, size)
    return spans


def _append(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    """C twin: ``append_span`` in ``_vader.c``."""
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        start += len(piece) - len(piece.lstrip())
        spans.append((start, start + len(stripped)))


def _is_abbreviation(text: str, dot: int, after: int) -> bool:
    """C twin: ``is_abbreviation`` in ``_vader.c``."""
    # Abbreviations are short: 16 characters before the dot hold the whole word if it can be one.
    before = text[max(0, dot - 16):dot]
    if not before or before[-1].isspace():
        return False
    word = before.rsplit(None, 1)[-1].lstrip(_OPENERS)
    lowered = word.lower()
    return (
        lowered in _ABBREVIATIONS
        or (lowered in _NUMBER_ABBREVIATIONS and text[after].isdigit())
        or (len(word) == 1 and word.isupper() and word != "I")
        or ("." in word and _DOTTED.fullmatch(word) is not None)  # a dotted word holds a dot
    )
