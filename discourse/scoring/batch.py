"""The pure batch scorer: a table of units (comments and article paragraphs) to four tables.

:func:`score_batch` maps units to unit scores, sentences, topic evidence and actor mentions and depends on
nothing but its inputs and a :class:`ScoringConfig`: any split of a corpus's units, scored in order,
gives the same rows (:mod:`discourse.scoring.run` runs it over a corpus in batches).
"""

from __future__ import annotations

from bisect import bisect_right
import gc
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from discourse import schema
from discourse.native import enabled, held
from discourse.scoring.lexicon import Lexicon, compile_lexicon
from discourse.scoring.quotes import find_quotes, sentence_voice, speech, speech_voice
from discourse.sentiment import POSITIVE_THRESHOLD, Preparation, label
from discourse.sentiment.engine import native_kernel
from discourse.sentiment.scoring import sentence_scores

try:
    from discourse.scoring import _scan
except ImportError:  # built without a C compiler: _hit_rows makes the same rows
    _scan = None


@dataclass(frozen=True)
class ScoringConfig:
    """Everything scoring depends on. ``lexicon`` is a loaded :class:`Lexicon` (picklable)."""

    lexicon: Lexicon
    prep: Preparation = Preparation()


_QUOTE_MARKS = ('"', "“", "«", "„")


def score_batch(units: pl.DataFrame, config: ScoringConfig) -> dict[str, pl.DataFrame]:
    """Score a batch of units. Returns ``units`` (``unit_id`` + the :data:`schema.UNIT_SCORES` columns, one
    row per input row, same order), ``sentences``, ``tags`` and ``mentions`` (their schemas).

    ``units`` has the columns of :data:`discourse.schema.UNITS`. ``context``/``offset`` give the text in which
    quotations are sought (an article's whole body, so a quote may span paragraphs) and where the unit
    starts in it; null ``context`` means the unit's own text.
    """
    # Scoring allocates millions of small lists and tuples and makes no reference cycles: the cyclic
    # collector would only rescan them (about 3% of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with held():  # the native switch, read once for the batch
            return _score_batch(units, config)
    finally:
        if collecting:
            gc.enable()


def _score_batch(units: pl.DataFrame, config: ScoringConfig) -> dict[str, pl.DataFrame]:
    compiled = compile_lexicon(config.lexicon)
    prep = config.prep
    # unit columns
    u_whole: list[tuple[float, float, float, float]] = []  # VADER's (neg, neu, pos, compound) of the whole text
    u_mean: list[float | None] = []
    u_own: list[float | None] = []
    u_quoted: list[float | None] = []
    u_n: list[int] = []
    u_n_quoted: list[int] = []
    u_label: list[str | None] = []
    u_topics: list[str] = []  # sorted labels joined by _SEP: polars builds list columns from lists slowly
    u_actors: list[str] = []
    # sentence columns; ids, labels and the columns repeated from the unit are added by polars at the end
    s_unit: list[int] = []
    s_position: list[int] = []
    s_spans: list[tuple[int, int]] = []
    s_text: list[str] = []
    s_voice: list[str] = []
    s_speaker: list[str | None] = []
    s_scores: list[tuple[float, float, float, float]] = []  # (neg, neu, pos, compound) of each sentence
    # tag and mention columns (row, position, then the hit's fields: TAG_COLUMNS, MENTION_COLUMNS)
    tags: list[list] = [[] for _ in TAG_COLUMNS]
    mentions: list[list] = [[] for _ in MENTION_COLUMNS]
    # A context (an article's body) is the same for every paragraph of the article: it is read into Python,
    # and its quotations found, once per run of rows that share it, not once per paragraph.
    contexts = units.get_column("context")
    earlier = contexts.fill_null(strategy="forward").shift(1)
    fresh = (contexts.is_not_null() & (earlier.is_null() | (contexts != earlier))).fill_null(False).alias("fresh")
    new_contexts = iter(contexts.filter(fresh).to_list())
    context: str = ""
    quotes_in_context: list = []
    speech_in_context = speech([])
    rows = units.select("text", "offset", contexts.is_not_null(), fresh).iter_rows()
    # sentence_scores, straight from its C twin when the kernel is on for this batch (no rule to apply)
    kernel = native_kernel() if prep.rule is None else None
    typography = prep.typography
    hits_of = compiled.hits
    hit_rows = _scan.hit_rows if _scan is not None and enabled() else _hit_rows
    for row, (text, offset, has_context, is_fresh) in enumerate(rows):
        text = text or ""
        spans, each, whole = kernel.sentences(text, typography) if kernel is not None else sentence_scores(text, prep)
        n = len(spans)
        if not has_context:
            quotes = find_quotes(text) if any(m in text for m in _QUOTE_MARKS) else []
            voices = sentence_voice(spans, quotes, text=text) if quotes else None
        else:
            if is_fresh:
                context = next(new_contexts)
                quotes_in_context = find_quotes(context)
                speech_in_context = speech(quotes_in_context)
            quotes = quotes_in_context
            voices = speech_voice([(a + offset, b + offset) for a, b in spans], speech_in_context,
                                  text=context) if quotes else None
        compounds = [scores[3] for scores in each]
        s_unit += [row] * n
        s_position += range(1, n + 1)
        s_spans += spans
        s_text += [text[a:b] for a, b in spans]
        s_scores += each
        own: Sequence[float]
        quoted: Sequence[float]
        if voices is None:
            s_voice += ["own"] * n
            s_speaker += [None] * n
            own, quoted = compounds, ()
        else:
            s_voice += [v for v, _ in voices]
            s_speaker += [who for _, who in voices]
            own = [c for c, (v, _) in zip(compounds, voices) if v != "quoted"]
            quoted = [c for c, (v, _) in zip(compounds, voices) if v == "quoted"]

        topics = actors = ""
        if text:
            hits = hits_of(text, None if has_context else quotes)
            if hits:
                topics, actors = hit_rows(row, hits, [a for a, _ in spans], voices, compounds, tags, mentions)
        u_whole.append(whole)
        mean = sum(compounds) / n if n else None
        u_mean.append(mean)
        u_own.append(sum(own) / len(own) if own else None)
        u_quoted.append(sum(quoted) / len(quoted) if quoted else None)
        u_n.append(n)
        u_n_quoted.append(len(quoted))
        u_label.append(label(mean) if mean is not None else None)
        u_topics.append(topics)
        u_actors.append(actors)

    ids = units.select(pl.col("unit_id").cast(pl.String), pl.col("article_id").cast(pl.String),
                       pl.col("kind").cast(pl.String))
    u_neg, u_neu, u_pos, u_compound = _unzip(u_whole, 4)
    s_neg, s_neu, s_pos, s_compound = _unzip(s_scores, 4)
    s_start, s_end = _unzip(s_spans, 2)
    unit_schema = pl.Schema({"unit_id": pl.String} | {c.name: c.dtype for c in schema.UNIT_SCORES})
    scores = pl.DataFrame(dict(zip(unit_schema, (
        ids.get_column("unit_id"), u_compound, u_pos, u_neu, u_neg, u_mean, u_own, u_quoted, u_n, u_n_quoted,
        u_mean, u_label, u_topics, u_actors), strict=True)),
        schema=unit_schema | {"topic_tags": pl.String, "actor_tags": pl.String})
    scores = scores.with_columns(_split_labels("topic_tags"), _split_labels("actor_tags"))
    return {
        "units": scores,
        "sentences": _long_table(schema.SENTENCES, ids, {
            "row": s_unit, "position": s_position, "start": s_start, "end": s_end, "text": s_text,
            "voice": s_voice, "speaker": s_speaker, "compound": s_compound, "pos": s_pos, "neu": s_neu,
            "neg": s_neg}),
        "tags": _long_table(schema.TAGS, ids, dict(zip(TAG_COLUMNS, tags, strict=True))),
        "mentions": _long_table(schema.MENTIONS, ids, dict(zip(MENTION_COLUMNS, mentions, strict=True))),
    }


#: the mention columns actor-targeted sentiment needs (:func:`mentioning_sentences`)
ACTOR_COLUMNS = ("article_id", "kind", "sentence_id", "actor", "compound")


def mentioning_sentences(mentions: pl.DataFrame) -> pl.DataFrame:
    """The :data:`ACTOR_COLUMNS` of ``mentions``, each sentence and actor once (its first mention), in order.

    A sentence's mentions are all in the batch that scored its unit, so this runs batch by batch: the
    batches' rows, in order, hold the whole table's rows, in order, and the repeats of a sentence only
    where its unit id (or a null sentence id) recurs in another batch.
    """
    return mentions.select(ACTOR_COLUMNS).unique(["sentence_id", "actor"], keep="first", maintain_order=True)


def _unzip(rows: Sequence[tuple], width: int) -> list[list]:
    """Columns from rows of ``width`` values."""
    return [list(column) for column in zip(*rows)] if rows else [[] for _ in range(width)]


#: the columns of a batch's tag and mention rows, before the unit's ids are added (:func:`_long_table`)
TAG_COLUMNS = ("row", "position", "topic", "entry", "matched", "start", "end", "negated", "negator", "counted", "rule")
MENTION_COLUMNS = ("row", "position", "actor", "surface", "start", "end", "voice", "compound")


def _hit_rows(row: int, hits: Sequence[tuple], starts: list[int], voices: list[tuple[str, str | None]] | None,
              compounds: list[float], tags: list[list], mentions: list[list]) -> tuple[str, str]:
    """Append a unit's tag and mention rows to the columns ``tags`` (:data:`TAG_COLUMNS`) and ``mentions``
    (:data:`MENTION_COLUMNS`); return the labels of its counted topic hits and of its actor hits, each sorted
    and joined by :data:`_SEP`.

    A hit belongs to the last sentence that starts at or before it (``starts``, ascending; the first when
    none does); ``position`` is that sentence's number from 1, None when the unit has no sentences (and so
    are the mention's voice and compound). ``voices`` None: every sentence is the writer's own.

    C twin: ``hit_rows`` in ``_scan.c``."""
    topics: set[str] = set()
    actors: set[str] = set()
    n = len(starts)
    for hit in hits:
        # a Hit is a tuple: (kind, label, entry, matched, start, end, negated, negator, counted, rule)
        kind, hit_label, _, matched, start, end, _, _, counted, _ = hit
        k = max(bisect_right(starts, start) - 1, 0)
        position = k + 1 if n else None
        if kind == "topic":
            if counted:
                topics.add(hit_label)
            for column, value in zip(tags, (row, position, *hit[1:]), strict=True):
                column.append(value)
        else:
            actors.add(hit_label)
            for column, value in zip(mentions, (row, position, hit_label, matched, start, end,
                                                (voices[k][0] if voices is not None else "own") if n else None,
                                                compounds[k] if n else None), strict=True):
                column.append(value)
    return _SEP.join(sorted(topics)), _SEP.join(sorted(actors))


def _long_table(table: schema.Table, ids: pl.DataFrame, columns: dict[str, Sequence]) -> pl.DataFrame:
    """A sentences/tags/mentions table from its own columns: ``row`` (the unit's row in ``ids``) brings
    the unit's article, id and kind, ``position`` the sentence id (``<unit_id>#<position>``)."""
    dtypes = table.schema
    own = pl.DataFrame({name: pl.Series(name, values, dtype=pl.UInt32 if name == "row" else pl.Int64
                                        if name == "position" else dtypes[name])
                        for name, values in columns.items()})
    out = own.with_columns(ids.get_column("article_id").gather(own.get_column("row")).alias("article_id"),
                           ids.get_column("unit_id").gather(own.get_column("row")).alias("unit_id"),
                           ids.get_column("kind").gather(own.get_column("row")).alias("kind"))
    sentence_id = pl.concat_str(pl.col("unit_id"), pl.lit("#"), pl.col("position").cast(pl.String))
    if table is schema.SENTENCES:
        out = out.with_columns(sentence_id.alias("sentence_id"), pl.col("compound").pipe(_label).alias("label"))
    else:
        out = out.with_columns(sentence_id.alias("sentence_id"))
    return schema.conform(table, out)


#: joins a unit's labels in one string; lexicon names cannot contain it
_SEP = "\x1f"


def _split_labels(column: str) -> pl.Expr:
    joined = pl.col(column)
    return (pl.when(joined == "").then(pl.lit([], dtype=pl.List(pl.String)))
            .otherwise(joined.str.split(_SEP)).alias(column))


def _label(score: pl.Expr) -> pl.Expr:
    """:func:`discourse.sentiment.label` as an expression."""
    return (pl.when(score >= POSITIVE_THRESHOLD).then(pl.lit("positive"))
            .when(score <= -POSITIVE_THRESHOLD).then(pl.lit("negative")).otherwise(pl.lit("neutral")))
