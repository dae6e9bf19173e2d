"""Quoted speech: find the quotations in a text, who is quoted, and which sentences are someone else's voice.

Handles curly (“ ” ‘ ’ „ « ») and straight (") quote marks, the typewriter closing ’’ or '', quotes that run
over several paragraphs (each new paragraph reopens the quote), scare quotes and unclosed quotes. The rules
and their limits are documented in ``docs/lexicon.md``.

>>> text = "This is what Putin stated: “We want peace.” Critics were not “convinced”."
>>> [(text[q.start:q.end], q.speaker, q.cue, q.scare) for q in find_quotes(text)]
[('“We want peace.”', 'Putin', 'stated', False), ('“convinced”', None, None, True)]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple
from itertools import accumulate

from discourse.native import enabled

try:
    from discourse.scoring import _scan
except ImportError:  # built without a C compiler: the Python code below finds the same quotations
    _scan = None

__all__ = ["ATTRIBUTIONS", "SPEECH_VERBS", "VOICES", "Quote", "Speech", "find_quotes", "quotation_spans",
           "sentence_voice", "speech", "speech_voice"]

ATTRIBUTIONS = ("named", "pronoun", "none")
VOICES = ("own", "quoted")
#: Verbs that introduce or follow a quotation ("Putin said", "said Putin", "Putin stated: “...”").
SPEECH_VERBS = (
    "said", "says", "say", "saying", "stated", "states", "added", "adds", "adding", "told", "tells", "noted",
    "notes", "stressed", "stresses", "emphasized", "emphasised", "emphasizes", "emphasises", "insisted",
    "insists", "explained", "explains", "recalled", "recalls", "declared", "declares", "announced", "announces",
    "remarked", "replied", "replies", "answered", "asked", "asks", "wrote", "writes", "continued", "concluded",
    "argued", "argues", "claimed", "claims", "warned", "warns", "admitted", "admits", "acknowledged",
    "commented", "observed", "suggested", "confirmed", "confirms", "assured", "promised", "vowed", "urged",
    "tweeted", "posted", "pointed out", "went on", "goes on",
)
#: A quote of at most this many words, with no attribution and no closing punctuation inside, is a scare quote.
SCARE_MAX_WORDS = 3

_OPEN = {"“", "„", "«", "‘‘", "``"}
_CLOSE = {"”", "»", "’’"}
_AMBIGUOUS = {'"', "''"}
_MARKS = re.compile(r"‘‘|’’|''|``|[\"“”„«»‘’]")
_WORD = re.compile(r"\w+(?:['’\-]\w+)*")
_OPENING_CONTEXT = set(" \t\n([{—–-/")
_CAP = r"[A-Z][\w’'\-]*"
_NAME = rf"(?:(?:Mr|Mrs|Ms|Dr|Pres|Gen|Prof)\.\s*)?{_CAP}(?:\s+(?:of\s+)?{_CAP})*"
_PRONOUN = r"[Hh]e|[Ss]he|[Tt]hey|I|[Ww]e"
_VERB = "|".join(sorted((v.replace(" ", r"\s+") for v in SPEECH_VERBS), key=len, reverse=True))
_ADVERBS = r"(?:\s+(?:also|then|later|once\s+again|again|further|however|has|had|have|reportedly|previously|" \
           r"earlier|repeatedly|\w+ly))"
_SUBJECT = rf"(?P<name>{_NAME}|{_PRONOUN})(?!['’]s\b)"
# after the closing mark: ", said Putin" / "Putin said" / "he added" / "according to Putin"
_TRAILING = re.compile(
    rf"[\s,]*(?:(?P<cue1>{_VERB})\s+(?P<name1>{_NAME}|{_PRONOUN})\b"
    rf"|(?P<name2>{_NAME}|{_PRONOUN}){_ADVERBS}{{0,3}}\s+(?P<cue2>{_VERB})\b"
    rf"|(?P<cue3>[Aa]ccording\s+to)\s+(?P<name3>{_NAME}|{_PRONOUN})\b)")
# before the opening mark, in the same sentence: "Putin stated:", "He said,", "according to Putin,"
_LEADING = re.compile(
    rf"(?:(?<![\w’'])(?P<name1>{_NAME}|{_PRONOUN}){_ADVERBS}{{0,3}}\s+(?P<cue1>{_VERB})\b"
    rf"|\b(?P<cue2>[Aa]ccording\s+to)\s+(?P<name2>{_NAME}|{_PRONOUN})\b)")
_LEADING_REACH = 200
_TAIL_MAX = 160
_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*\s")
_LEADING_STOPWORDS = frozenset({
    "The", "A", "An", "But", "And", "So", "Then", "This", "That", "These", "Those", "When", "While", "As", "If",
    "However", "Also", "Yet", "Now", "Here", "There", "In", "On", "At", "For", "Asked", "Meanwhile", "Thus",
    "Therefore", "What", "Why", "How", "Even", "Still", "After", "Before", "Since", "Although", "Though",
})
_RESOLVABLE = frozenset({"he", "she"})
_PRONOUNS = frozenset({"he", "she", "they", "i", "we", "it"})


@dataclass(frozen=True)
class Quote:
    """A quotation in a text: ``text[start:end]`` includes the quote marks.

    ``speaker`` is a capitalised name (or the last named speaker for he/she, see ``attribution``), ``cue``
    the verb or phrase that attributes it ("said", "according to"). ``scare`` marks short scare quotes
    (“nationalists”), which are not someone else's speech. ``closed`` is False for a quote still open at the
    end of its paragraph or of the text; it then ends there.
    """

    start: int
    end: int
    speaker: str | None = None
    cue: str | None = None
    scare: bool = False
    closed: bool = True
    attribution: str = "none"

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"Quote needs 0 <= start <= end, got start={self.start}, end={self.end}")
        if self.attribution not in ATTRIBUTIONS:
            raise ValueError(f"unknown attribution {self.attribution!r}; valid: {', '.join(ATTRIBUTIONS)}")


# ------------------------------------------------------------------------------------------------ pairing

def _role(text: str, i: int, mark: str, is_open: bool) -> str | None:
    """'open', 'close' or None (ignore) for a double quote mark at ``i`` given the current state."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + len(mark)] if i + len(mark) < len(text) else " "
    opening_context = before in _OPENING_CONTEXT and not after.isspace()
    closing_context = not before.isspace() and (after.isspace() or not after.isalnum())
    if mark in _AMBIGUOUS:
        if opening_context and not closing_context:
            return None if is_open else "open"
        if closing_context and not opening_context:
            return "close" if is_open else None
        return "close" if is_open else "open"
    declared = "open" if mark in _OPEN else "close"
    # Sources sometimes use the wrong curly mark; trust the context when the declared role makes no sense.
    if declared == "open" and is_open:
        return "close" if closing_context and not opening_context else None
    if declared == "close" and not is_open:
        return "open" if opening_context and not closing_context else None
    return declared


def _is_apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isalnum() and after.isalnum()


def _spans(text: str) -> list[tuple[int, int, bool]]:
    """``(start, end, closed)`` of each top-level quotation, marks included.

    Paragraphs are lines. A double quote still open at the end of a paragraph continues when the next
    paragraph starts with an opening mark (the journalistic convention for long quotations); otherwise it
    ends, unclosed, with its paragraph. Single quotes count only outside double quotes and within a line.

    C twin: ``quote_spans`` in ``_scan.c`` (the same spans in the order found; see :func:`_quote_spans`).
    """
    spans: list[tuple[int, int, bool]] = []
    start: int | None = None
    open_until = 0  # where the open quote's text ends so far (end of its last line, trailing blanks dropped)
    for line in re.finditer(r"[^\n]+", text):
        a, b = line.span()
        first = _MARKS.match(text, a + len(line.group()) - len(line.group().lstrip()))
        if start is not None:
            if first and (first.group() in _OPEN or first.group() in _AMBIGUOUS):
                a = first.end()  # the reopening mark of a continued quotation
            else:
                spans.append((start, open_until, False))
                start = None
        single: int | None = None
        for m in _MARKS.finditer(text, a, b):
            i, mark = m.start(), m.group()
            if mark in ("‘", "’"):
                if start is not None or _is_apostrophe(text, i):
                    continue  # nested single quotes belong to the enclosing quotation
                if mark == "‘" and single is None and (i == 0 or not text[i - 1].isalnum()):
                    single = i
                elif mark == "’" and single is not None:
                    spans.append((single, i + 1, True))
                    single = None
                continue
            role = _role(text, i, mark, start is not None)
            if role == "open":
                start, single = i, None
            elif role == "close" and start is not None:
                spans.append((start, m.end(), True))
                start = None
        if start is not None:
            open_until = a + len(text[a:b].rstrip()) if text[a:b].strip() else open_until
            open_until = max(open_until, start + 1)
    if start is not None:
        spans.append((start, open_until, False))
    return sorted(spans)


def _quote_spans(text: str) -> list[tuple[int, int, bool]]:
    """:func:`_spans`, by its C twin when discourse was built with it and the native switch is on."""
    if _scan is not None and enabled():
        return sorted(_scan.quote_spans(text))
    return _spans(text)


# -------------------------------------------------------------------------------------------- attribution

def _clean_name(name: str) -> str | None:
    """Drop sentence-initial function words and a trailing "of Russia" ("President Putin of Russia")."""
    words = " ".join(name.split()).split(" of ")[0].split()
    while words and words[0] in _LEADING_STOPWORDS:
        words.pop(0)
    return " ".join(words) or None


def _pick(m: re.Match[str], n: int) -> tuple[str | None, str | None]:
    name, cue = m.group(f"name{n}"), m.group(f"cue{n}")
    return (_clean_name(name) if name else None), (" ".join(cue.split()).lower() if cue else None)


def _trailing(text: str, end: int, inner: str) -> tuple[str | None, str | None]:
    if inner.rstrip("\"”’'»)] ").endswith((".", "…")):
        return None, None  # the quotation ends its sentence: what follows is a new sentence
    stop = text.find("\n", end)
    m = _TRAILING.match(text, end, stop if stop >= 0 else len(text))
    if not m or (inner.rstrip().endswith(("?", "!")) and m.group("name2") and m.group("name2")[0].isupper()
                 and m.group("name2").casefold() in _PRONOUNS):
        return None, None  # “...?” He said ... starts a new sentence; “...?” he asked does not
    for n in (1, 2, 3):
        if m.group(f"cue{n}"):
            return _pick(m, n)
    return None, None


def _leading(text: str, start: int, floor: int) -> tuple[str | None, str | None]:
    lo = max(floor, start - _LEADING_REACH, text.rfind("\n", 0, start) + 1)
    best: tuple[str | None, str | None] = (None, None)
    for m in _LEADING.finditer(text, lo, start):
        tail = text[m.end():start]
        if len(tail) > _TAIL_MAX or _SENTENCE_END.search(tail) or _MARKS.search(tail):
            continue
        n = 1 if m.group("cue1") else 2
        name, cue = _pick(m, n)
        if name:
            best = (name, cue)
    return best


_SO_CALLED = re.compile(r"so[\s-]called\s*$", re.IGNORECASE)
_ENDS_A_CLAUSE = re.compile(r"[.!?,;:…]\W*$")


def find_quotes(text: str) -> list[Quote]:
    """The quotations in ``text``, in order, with speaker and scare-quote flags.

    Speakers: "X said/says/stated/added ..." before or after the quote, "said X", "according to X", where X
    is a capitalised name ("President Aliyev", "Sarkisian"). "he"/"she" resolve to the last named speaker
    of an earlier quote in the same text (``attribution == "pronoun"``); "I", "we" and "they" stay None.
    """
    quotes: list[Quote] = []
    last_named: str | None = None
    previous_end = 0
    for start, end, closed in _quote_spans(text):
        inner = text[start:end].strip("\"“”„«»‘’'` \n\t")
        words = _WORD.findall(inner)
        if not words:
            previous_end = end
            continue
        speaker, cue = _trailing(text, end, inner) if closed else (None, None)
        if cue is None:
            speaker, cue = _leading(text, start, previous_end)
        attribution = "none"
        if speaker is not None and speaker.casefold() in _PRONOUNS:
            attribution = "pronoun"
            speaker = last_named if speaker.casefold() in _RESOLVABLE else None
        elif speaker is not None:
            attribution = "named"
            last_named = speaker
        so_called = _SO_CALLED.search(text[max(0, start - 12):start]) is not None
        short = len(words) <= SCARE_MAX_WORDS and not _ENDS_A_CLAUSE.search(inner)
        scare = so_called or (short and cue is None)
        quotes.append(Quote(start, end, speaker, cue, scare, closed, attribution))
        previous_end = end
    return quotes


def quotation_spans(text: str) -> list[tuple[int, int, bool]]:
    """``(start, end, scare)`` of each of ``find_quotes(text)``'s quotations, without naming speakers: a
    quotation's speaker is looked for only where it decides ``scare`` (a short quotation not after
    "so-called" is a scare quote unless a speaker's cue is found for it)."""
    out: list[tuple[int, int, bool]] = []
    previous_end = 0
    for start, end, closed in _quote_spans(text):
        inner = text[start:end].strip("\"“”„«»‘’'` \n\t")
        words = _WORD.findall(inner)
        if words:
            so_called = _SO_CALLED.search(text[max(0, start - 12):start]) is not None
            short = len(words) <= SCARE_MAX_WORDS and not _ENDS_A_CLAUSE.search(inner)
            scare = so_called
            if short and not so_called:
                cue = _trailing(text, end, inner)[1] if closed else None
                if cue is None:
                    cue = _leading(text, start, previous_end)[1]
                scare = cue is None
            out.append((start, end, scare))
        previous_end = end
    return out


def sentence_voice(sentence_spans: Sequence[tuple[int, int]], quotes: Sequence[Quote], *,
                   text: str | None = None) -> list[tuple[str, str | None]]:
    """For each ``(start, end)`` sentence span: ``("quoted", speaker)`` when more than half of its
    characters lie inside a (non-scare) quote, else ``("own", None)``.

    Pass ``text`` to count only non-space characters, as the definition intends; without it every
    character counts.
    """
    return speech_voice(sentence_spans, speech(quotes), text=text)


class Speech(NamedTuple):
    """A text's quotations that are someone else's speech (not scare quotes), ordered by start, and the same
    as ``(start, end, speaker)`` (what the C twin reads): :func:`speech`."""

    quotes: list[Quote]
    spans: list[tuple[int, int, str | None]]


def speech(quotes: Sequence[Quote]) -> Speech:
    """The :class:`Speech` of ``quotes``: made once for a text whose sentences are looked at in several calls
    of :func:`speech_voice` (an article body's quotations, for each of its paragraphs)."""
    ordered = sorted((q for q in quotes if not q.scare), key=lambda q: q.start)
    return Speech(ordered, [(q.start, q.end, q.speaker) for q in ordered])


def speech_voice(sentence_spans: Sequence[tuple[int, int]], speech: Speech, *,
                 text: str | None = None) -> list[tuple[str, str | None]]:
    """:func:`sentence_voice` given the :func:`speech` of the quotations."""
    if _scan is not None and enabled():
        return _scan.voices(sentence_spans, speech.spans, text)
    return _voice(sentence_spans, speech.quotes, text)


def _voice(sentence_spans: Sequence[tuple[int, int]], speech: Sequence[Quote],
           text: str | None) -> list[tuple[str, str | None]]:
    """:func:`sentence_voice` given ``speech``, its quotations that are not scare quotes, ordered by start.

    C twin: ``voices`` in ``_scan.c`` (given each quotation as ``(start, end, speaker)``; it refuses
    negative offsets)."""
    # reach[i]: the furthest end among the first i + 1 quotes, so the quotes that can overlap a sentence
    # starting at s begin at the first i with reach[i] > s: a sentence looks only at the quotes it touches,
    # and a text of many sentences and many quotations is scored in one pass, not sentences x quotations
    reach = list(accumulate((q.end for q in speech), max))
    out: list[tuple[str, str | None]] = []
    for s, e in sentence_spans:
        if text is not None:
            total = _visible(text[s:e])
        else:
            total = e - s
        best: Quote | None = None
        best_inside = 0
        inside = 0
        for i in range(bisect_right(reach, s), len(speech)):
            q = speech[i]
            if q.start >= e:
                break
            lo, hi = max(s, q.start), min(e, q.end)
            if lo >= hi:
                continue
            n = _visible(text[lo:hi]) if text is not None else hi - lo
            inside += n
            if n > best_inside:
                best, best_inside = q, n
        if total and inside * 2 > total and best is not None:
            out.append(("quoted", best.speaker))
        else:
            out.append(("own", None))
    return out


def _visible(piece: str) -> int:
    """The characters of ``piece`` that are not whitespace (``str.split`` drops exactly those)."""
    return len("".join(piece.split()))
