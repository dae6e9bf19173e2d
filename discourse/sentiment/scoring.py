"""Scoring a comment: prepare the text, score it whole and sentence by sentence, label it.

VADER's compound normalises a sum, so a long comment drifts to +-1 and the first "but" or the "!" count
of one sentence colours the whole text. The comment score is therefore the mean of its sentence
compounds; the whole-text scores are kept next to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from discourse.sentiment.engine import Scores, native_kernel, score_pieces
from discourse.sentiment.prepare import Preparation, normalize, split_sentences

POSITIVE_THRESHOLD = 0.05
"""A score >= this is positive, <= its negative is negative, anything between is neutral (Hutto & Gilbert)."""

Label = Literal["positive", "neutral", "negative"]


def label(score: float) -> Label:
    """The sentiment class of a compound-like score.

    >>> label(0.05), label(0.0), label(-0.3)
    ('positive', 'neutral', 'negative')
    """
    if score >= POSITIVE_THRESHOLD:
        return "positive"
    if score <= -POSITIVE_THRESHOLD:
        return "negative"
    return "neutral"


@dataclass(frozen=True, slots=True)
class SentenceScore:
    """VADER scores of one sentence. ``span`` indexes the text as given and ``text`` is the sentence as
    written there; ``prepared`` is what VADER scored."""

    span: tuple[int, int]
    text: str
    prepared: str
    compound: float
    pos: float
    neu: float
    neg: float


@dataclass(frozen=True, slots=True)
class TextScore:
    """A text's scores: whole-text VADER scores, per-sentence scores, their mean and the label.

    ``text`` is the text as given and ``prepared`` the whole prepared text VADER scored for
    ``compound``. ``score`` (the sentence mean) is the comment score and decides ``label``. An empty
    text has no sentences and scores 0.0.
    """

    text: str
    prepared: str
    sentences: tuple[SentenceScore, ...]
    compound: float
    pos: float
    neu: float
    neg: float
    sentence_mean: float
    label: Label

    @property
    def n_sentences(self) -> int:
        """How many sentences the text has."""
        return len(self.sentences)

    @property
    def score(self) -> float:
        """The comment score: the mean of the sentence compounds."""
        return self.sentence_mean


def score_text(text: str, prep: Preparation = Preparation()) -> TextScore:
    """Score ``text`` whole and per sentence.

    Sentences are found in the text as written, so their spans can mark it (and topic evidence found
    in it) without any offset translation; each sentence, and the whole text, is prepared before VADER
    scores it.

    >>> s = score_text("Great news! But the delays are awful.")
    >>> s.n_sentences, s.sentence_mean, s.label
    (2, 0.0232, 'neutral')
    """
    spans, each, (neg, neu, pos, compound) = sentence_scores(text, prep)
    sentences = tuple(SentenceScore((a, b), text[a:b], normalize(text[a:b], prep), c, p, u, n)
                      for (a, b), (n, u, p, c) in zip(spans, each))
    mean = sum(s.compound for s in sentences) / len(sentences) if sentences else 0.0
    return TextScore(text=text, prepared=normalize(text, prep), compound=compound, pos=pos, neu=neu, neg=neg,
                     sentences=sentences, sentence_mean=mean, label=label(mean))


_TYPOGRAPHY_ONLY = Preparation(typography=True, whitespace=False)
#: typography that normalisation replaces by more or fewer characters ("…" -> "...")
_RESIZED = frozenset("\u2026\u2014\u2015\u00ad\u200b\u2060\ufeff")


def sentence_scores(text: str, prep: Preparation = Preparation()) -> tuple[list[tuple[int, int]], list[Scores], Scores]:
    """The numbers of :func:`score_text` without its objects: the sentence spans, VADER's
    ``(neg, neu, pos, compound)`` for each prepared sentence, and for the whole prepared text.

    The whole text is not scored a second time: its tokens are the sentences' tokens one after another
    (only whitespace lies between sentences), so :func:`~discourse.sentiment.engine.score_pieces` derives
    its scores from theirs. Whitespace normalisation cannot change a token, so sentences are prepared for
    typography only, all at once when no replacement changes the text's length.

    >>> spans, each, whole = sentence_scores("Great news! But the delays are awful.")
    >>> spans, [c for *_, c in each], whole[3]
    ([(0, 11), (12, 37)], [0.6588, -0.6124], -0.4102)

    C twin: ``Kernel.sentences`` in ``_vader.c``.
    """
    if not isinstance(text, str):
        raise TypeError(f"sentence_scores() takes str, not {type(text).__name__}")
    kernel = native_kernel()
    if kernel is not None:  # the same sentences, preparation and scores, in C
        return kernel.sentences(text, prep.typography)
    spans = split_sentences(text)
    if prep.typography and not text.isascii():
        if _RESIZED.isdisjoint(text):
            typographic = normalize(text, _TYPOGRAPHY_ONLY)
            pieces = [typographic[a:b] for a, b in spans]
        else:
            pieces = [normalize(text[a:b], _TYPOGRAPHY_ONLY) for a, b in spans]
    else:
        pieces = [text[a:b] for a, b in spans]
    each, whole = score_pieces(pieces)
    return spans, each, whole


def score_texts(texts: Iterable[str], prep: Preparation = Preparation()) -> list[TextScore]:
    """:func:`score_text` applied to each text, in order."""
    return [score_text(text, prep) for text in texts]

