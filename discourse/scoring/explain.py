"""Why a comment or sentence got its scores and tags: the prepared text, each sentence's VADER trace,
and the topic and actor evidence. Backs ``discourse explain``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from discourse.errors import InputError
from discourse.model import Analysis, Corpus, frame, rows
from discourse.scoring.lexicon import Lexicon
from discourse.scoring.pipeline import analyze
from discourse.sentiment import Explanation, Preparation, explain, normalize


@dataclass(frozen=True)
class SentenceExplanation:
    sentence_id: str
    text: str
    prepared: str
    voice: str
    speaker: str | None
    trace: Explanation


@dataclass(frozen=True)
class UnitExplanation:
    """Everything behind one unit's numbers. ``unit`` is its row of ``comments``/``paragraphs`` (a dict)."""

    unit_id: str
    kind: str
    unit: dict
    prepared: str
    sentences: tuple[SentenceExplanation, ...]
    tags: pl.DataFrame
    mentions: pl.DataFrame


def explain_unit(analysis: Analysis, unit_id: str) -> UnitExplanation:
    """Explain a comment (``002/7.1``), a paragraph (``000/p4``) or one sentence (``002/7.1#2``)."""
    base, _, sentence_no = unit_id.partition("#")
    comments = analysis.comments.filter(pl.col("comment_id") == base)
    paragraphs = analysis.paragraphs.filter(pl.col("paragraph_id") == base)
    if comments.height:
        kind, unit = "comment", comments.row(0, named=True)
    elif paragraphs.height:
        kind, unit = "article", paragraphs.row(0, named=True)
    else:
        raise InputError(f"no comment, paragraph or sentence {unit_id!r}",
                         hint="ids look like 002/7.1 (comment), 000/p4 (paragraph) or 002/7.1#2 (sentence); "
                              "`discourse tree ARTICLE` lists comment ids")
    sentences = frame(analysis.sentences.filter(pl.col("unit_id") == base))
    if sentence_no:
        sentences = sentences.filter(pl.col("sentence_id") == unit_id)
        if not sentences.height:
            raise InputError(f"{base} has no sentence {sentence_no!r}",
                             hint=f"it has {rows(analysis.sentences.filter(pl.col('unit_id') == base))} sentences, "
                                  "numbered from 1")
    prep = Preparation(typography=analysis.settings.get("typography", True),
                       whitespace=analysis.settings.get("whitespace", True))
    explained = tuple(
        SentenceExplanation(s["sentence_id"], s["text"], normalize(s["text"], prep), s["voice"], s["speaker"],
                            explain(normalize(s["text"], prep)))
        for s in sentences.iter_rows(named=True))
    ids = sentences.get_column("sentence_id").to_list()
    keep = pl.col("unit_id") == base
    if sentence_no:
        keep &= pl.col("sentence_id").is_in(ids)
    return UnitExplanation(unit_id, kind, unit, normalize(unit["text"] or "", prep), explained,
                           frame(analysis.tags.filter(keep)), frame(analysis.mentions.filter(keep)))


def explain_in(corpus: Corpus, unit_id: str, lexicon: Lexicon | str | Path | None = None) -> UnitExplanation:
    """:func:`explain_unit` for a unit of ``corpus``: only the unit's article is scored (``lexicon`` as
    :func:`~discourse.scoring.pipeline.analyze` takes it)."""
    return explain_unit(analyze(corpus.only(unit_id.split("/", 1)[0]), lexicon), unit_id)
