"""From a corpus to every scored table: :func:`analyze` and the pure batch scorer it is built on.

:func:`score_batch` maps a table of units (comments and article paragraphs) to four tables — unit
scores, sentences, topic evidence, actor mentions — and depends on nothing but its inputs and a
:class:`ScoringConfig`. :func:`analyze` runs it over the corpus in chunks (in worker processes with
``workers > 1``; the result is identical), then joins the scores back and adds thread dynamics, the reply
network, speakers and actor-targeted sentiment.
"""

from __future__ import annotations

import bisect
import gc
import hashlib
import hmac
import multiprocessing
import tempfile
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import NamedTuple

import polars as pl

from discourse import schema
from discourse.errors import ConfigError
from discourse.model import Corpus
from discourse.parallel import resolve_workers
from discourse.scoring import dynamics
from discourse.scoring.lexicon import Lexicon, compile_lexicon, load_lexicon
from discourse.scoring.quotes import find_quotes, sentence_voice
from discourse.sentiment import POSITIVE_THRESHOLD, Preparation, label
from discourse.sentiment.scoring import sentence_scores

#: groups smaller than this are flagged ``small`` in aggregates and drawn hollow in figures
MIN_GROUP = 5

#: the units table :func:`score_batch` takes
UNITS_SCHEMA = pl.Schema({
    "unit_id": pl.String, "article_id": pl.String, "kind": pl.String, "text": pl.String,
    "context": pl.String, "offset": pl.Int64,
})

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ScoringConfig:
    """Everything scoring depends on. ``lexicon`` is a loaded :class:`Lexicon` (picklable)."""

    lexicon: Lexicon
    prep: Preparation = Preparation()


# ---- the pure batch function ---------------------------------------------------------------------------

_QUOTE_MARKS = ('"', "“", "«", "„")


def score_batch(units: pl.DataFrame, config: ScoringConfig) -> dict[str, pl.DataFrame]:
    """Score a batch of units. Returns ``units`` (``unit_id`` + the :data:`schema.UNIT_SCORES` columns, one
    row per input row, same order), ``sentences``, ``tags`` and ``mentions`` (their schemas).

    ``units`` has the columns of :data:`UNITS_SCHEMA`. ``context``/``offset`` give the text in which
    quotations are sought (an article's whole body, so a quote may span paragraphs) and where the unit
    starts in it; null ``context`` means the unit's own text.
    """
    # Scoring allocates millions of small lists and tuples and makes no reference cycles: the cyclic
    # collector would only rescan them (about 3% of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _score_batch(units, config)
    finally:
        if collecting:
            gc.enable()


def _score_batch(units: pl.DataFrame, config: ScoringConfig) -> dict[str, pl.DataFrame]:
    compiled = compile_lexicon(config.lexicon)
    prep = config.prep
    # unit columns
    u_compound: list[float] = []
    u_pos: list[float] = []
    u_neu: list[float] = []
    u_neg: list[float] = []
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
    s_start: list[int] = []
    s_end: list[int] = []
    s_text: list[str] = []
    s_voice: list[str] = []
    s_speaker: list[str | None] = []
    s_compound: list[float] = []
    s_pos: list[float] = []
    s_neu: list[float] = []
    s_neg: list[float] = []
    tags: list[tuple] = []
    mentions: list[tuple] = []
    # A context (an article's body) is the same for every paragraph of the article: it is read into Python,
    # and its quotations found, once per run of rows that share it, not once per paragraph.
    contexts = units.get_column("context")
    earlier = contexts.fill_null(strategy="forward").shift(1)
    fresh = (contexts.is_not_null() & (earlier.is_null() | (contexts != earlier))).fill_null(False).alias("fresh")
    new_contexts = iter(contexts.filter(fresh).to_list())
    context: str = ""
    quotes_in_context: list = []
    rows = units.select("text", "offset", contexts.is_not_null(), fresh).iter_rows()
    for row, (text, offset, has_context, is_fresh) in enumerate(rows):
        text = text or ""
        spans, each, whole = sentence_scores(text, prep)
        n = len(spans)
        if not has_context:
            quotes = find_quotes(text) if any(m in text for m in _QUOTE_MARKS) else []
            voices = sentence_voice(spans, quotes, text=text) if quotes else None
        else:
            if is_fresh:
                context = next(new_contexts)
                quotes_in_context = find_quotes(context)
            quotes = quotes_in_context
            voices = sentence_voice([(a + offset, b + offset) for a, b in spans], quotes,
                                    text=context) if quotes else None
        negs, neus, poss, compounds = zip(*each) if n else ((), (), (), ())
        s_unit += [row] * n
        s_position += range(1, n + 1)
        s_start += [a for a, _ in spans]
        s_end += [b for _, b in spans]
        s_text += [text[a:b] for a, b in spans]
        s_compound += compounds
        s_pos += poss
        s_neu += neus
        s_neg += negs
        if voices is None:
            s_voice += ["own"] * n
            s_speaker += [None] * n
            own, quoted = compounds, ()
        else:
            s_voice += [v for v, _ in voices]
            s_speaker += [who for _, who in voices]
            own = [c for c, (v, _) in zip(compounds, voices) if v != "quoted"]
            quoted = [c for c, (v, _) in zip(compounds, voices) if v == "quoted"]

        topics: set[str] = set()
        actors: set[str] = set()
        if text:
            starts = None
            for hit in compiled.hits(text):
                if starts is None:
                    starts = [a for a, _ in spans]
                k = max(bisect.bisect_right(starts, hit.start) - 1, 0)
                position = k + 1 if n else None
                if hit.kind == "topic":
                    if hit.counted:
                        topics.add(hit.label)
                    tags.append((row, position, hit.label, hit.entry, hit.matched, hit.start, hit.end, hit.negated,
                                 hit.negator, hit.counted, hit.rule))
                else:
                    actors.add(hit.label)
                    mentions.append((row, position, hit.label, hit.matched, hit.start, hit.end,
                                     (voices[k][0] if voices is not None else "own") if n else None,
                                     compounds[k] if n else None))
        u_compound.append(whole[3])
        u_pos.append(whole[2])
        u_neu.append(whole[1])
        u_neg.append(whole[0])
        mean = sum(compounds) / n if n else None
        u_mean.append(mean)
        u_own.append(sum(own) / len(own) if own else None)
        u_quoted.append(sum(quoted) / len(quoted) if quoted else None)
        u_n.append(n)
        u_n_quoted.append(len(quoted))
        u_label.append(label(mean) if n else None)
        u_topics.append(_SEP.join(sorted(topics)))
        u_actors.append(_SEP.join(sorted(actors)))

    ids = units.select(pl.col("unit_id").cast(pl.String), pl.col("article_id").cast(pl.String),
                       pl.col("kind").cast(pl.String))
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
        "tags": _long_table(schema.TAGS, ids, _columns(
            tags, ("row", "position", "topic", "entry", "matched", "start", "end", "negated", "negator", "counted",
                   "rule"))),
        "mentions": _long_table(schema.MENTIONS, ids, _columns(
            mentions, ("row", "position", "actor", "surface", "start", "end", "voice", "compound"))),
    }


def _columns(rows: list[tuple], names: tuple[str, ...]) -> dict[str, Sequence]:
    return dict(zip(names, zip(*rows))) if rows else {name: () for name in names}


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


# ---- the analysis ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Analysis:
    """Every table of a scored corpus (schemas in ``docs/schema.md``) and the settings that made it.

    From ``analyze(..., spill=folder)`` the tables with a row per sentence or lexicon hit (``sentences``,
    ``tags``, ``mentions``) are ``polars.LazyFrame`` scans of files in that folder, read only as far as
    a query needs them; :func:`rows` counts any table.
    """

    articles: pl.DataFrame
    paragraphs: pl.DataFrame
    comments: pl.DataFrame
    sentences: pl.DataFrame
    tags: pl.DataFrame
    mentions: pl.DataFrame
    actor_sentiment: pl.DataFrame
    edges: pl.DataFrame
    threads: pl.DataFrame
    speakers: pl.DataFrame
    diagnostics: pl.DataFrame
    files: pl.DataFrame
    lexicon: Lexicon = field(repr=False)
    settings: dict = field(default_factory=dict)

    TABLES = ("articles", "paragraphs", "comments", "sentences", "tags", "mentions", "actor_sentiment",
              "edges", "threads", "speakers", "diagnostics", "files")

    def only(self, article_ids: Sequence[str]) -> Analysis:
        """The analysis of some articles: every table with an ``article_id`` keeps their rows (in order),
        speakers are counted again over them; diagnostics, files and settings are the corpus's."""
        keep = pl.col("article_id").is_in(pl.Series(list(article_ids), dtype=pl.String).implode())
        parts = {name: getattr(self, name).filter(keep) for name in self.TABLES
                 if name not in ("speakers", "diagnostics", "files")}
        return replace(self, **parts, speakers=dynamics.speakers(parts["comments"], parts["edges"]))

    def tables(self) -> dict[str, pl.DataFrame]:
        """The tables by name, in a fixed order (what ``discourse export`` writes)."""
        return {name: getattr(self, name) for name in self.TABLES}

    def __repr__(self) -> str:
        return (f"Analysis({self.articles.height} articles, {self.comments.height} comments, "
                f"{rows(self.sentences)} sentences, {rows(self.tags)} topic hits)")


def rows(table: pl.DataFrame | pl.LazyFrame) -> int:
    """The rows of a table, in memory or streamed from disk."""
    return table.height if isinstance(table, pl.DataFrame) else int(table.select(pl.len()).collect().item())


def frame(table: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """A table in memory (a streamed one is read)."""
    return table if isinstance(table, pl.DataFrame) else table.collect()


def pseudonym(name: str, key: str) -> str:
    """A stable pseudonym for an author: the same name and key always give the same pseudonym."""
    digest = hmac.new(key.encode("utf-8"), name.encode("utf-8"), hashlib.sha256).hexdigest()
    return "speaker-" + digest[:10]


def pseudonymize(corpus: Corpus, key: str) -> Corpus:
    """The corpus with every author replaced by :func:`pseudonym`; shared placeholders stay as they are."""
    authors = corpus.comments.get_column("author").unique().drop_nulls().to_list()
    mapping = {a: (a if a in dynamics.SHARED_AUTHORS else pseudonym(a, key)) for a in authors}
    comments = corpus.comments.with_columns(pl.col("author").replace_strict(mapping, default=None))
    return replace(corpus, comments=comments)


def units_table(corpus: Corpus) -> pl.DataFrame:
    """Article paragraphs, then comments, as one table of units to score (:data:`UNITS_SCHEMA`); body
    paragraphs carry their article's body as quotation context, with their offset in it.

    :func:`analyze` scores the same rows batch by batch; ``score_batch`` on any split of this table, in
    order, gives the same rows.
    """
    offsets = _body_offsets(corpus.paragraphs)
    frames = [_batch(corpus, bound, offsets) for bound in _batch_bounds(corpus, None, None)]
    return pl.concat(frames) if frames else pl.DataFrame(schema=UNITS_SCHEMA)


#: at most this many units, and about this many characters of text, in a batch: many batches of similar
#: work keep every process busy to the end, whatever the comment lengths
BATCH_UNITS = 20_000
BATCH_CHARS = 2_000_000

_Bound = tuple[str, int, int]  # ("paragraphs" | "comments", first row, row after the last)


def _batch_bounds(corpus: Corpus, max_units: int | None, max_chars: int | None) -> list[_Bound]:
    """Where batches start and end: a new batch at every ``max_units`` rows and whenever the text before a
    row crosses a multiple of ``max_chars`` (None: no limit)."""
    bounds: list[_Bound] = []
    for source, frame in (("paragraphs", corpus.paragraphs), ("comments", corpus.comments)):
        n = frame.height
        if not n:
            continue
        row = pl.int_range(0, n, dtype=pl.Int64, eager=True)
        keys = pl.DataFrame({"rows": row // (max_units or n)})
        if max_chars:
            before = frame.get_column("text").str.len_bytes().fill_null(0).cast(pl.Int64).cum_sum()
            keys = keys.with_columns(chars=before.shift(1, fill_value=0) // max_chars)
        starts = (keys.select(pl.any_horizontal([pl.col(c) != pl.col(c).shift(1) for c in keys.columns])
                              .fill_null(True).arg_true()).to_series().to_list())
        bounds += [(source, a, b) for a, b in zip(starts, starts[1:] + [n])]
    return bounds


class _Packed(NamedTuple):
    """A batch as it crosses to a worker: the units with ``context`` left null, and each article body they
    need once (a body repeated on every paragraph would make article batches several times their text)."""

    units: pl.DataFrame  # UNITS_SCHEMA
    bodies: pl.DataFrame  # article_id, body: the context of every row whose offset is set


def _batch(corpus: Corpus, bound: _Bound, offsets: pl.Series | None = None) -> pl.DataFrame:
    """The units of one batch (:data:`UNITS_SCHEMA`); ``offsets`` are :func:`_body_offsets` when known."""
    return _unpack(_packed_batch(corpus, bound, offsets))


def _packed_batch(corpus: Corpus, bound: _Bound, offsets: pl.Series | None = None) -> _Packed:
    source, start, stop = bound
    if source == "comments":
        units = corpus.comments.slice(start, stop - start).select(
            pl.col("comment_id").alias("unit_id"), "article_id", pl.lit("comment").alias("kind"), "text",
            pl.lit(None, dtype=pl.String).alias("context"), pl.lit(None, dtype=pl.Int64).alias("offset"))
        return _Packed(units.cast(UNITS_SCHEMA), pl.DataFrame(schema=_BODIES))  # type: ignore[arg-type]
    if offsets is None:
        offsets = _body_offsets(corpus.paragraphs)
    rows = corpus.paragraphs.slice(start, stop - start).with_columns(offsets.slice(start, stop - start))
    units = rows.select(pl.col("paragraph_id").alias("unit_id"), "article_id", pl.lit("article").alias("kind"),
                        "text", pl.lit(None, dtype=pl.String).alias("context"), "offset")
    ids = rows.filter(pl.col("offset").is_not_null()).get_column("article_id").unique().implode()
    bodies = corpus.articles.filter(pl.col("article_id").is_in(ids)).select("article_id", "body")
    return _Packed(units.cast(UNITS_SCHEMA), bodies.cast(_BODIES))  # type: ignore[arg-type]


_BODIES = pl.Schema({"article_id": pl.String, "body": pl.String})


def _unpack(packed: _Packed) -> pl.DataFrame:
    """The batch's units with ``context`` set: the article's body for body paragraphs (offset set)."""
    units, bodies = packed
    if bodies.is_empty():
        return units
    body = pl.col("article_id").replace_strict(bodies.get_column("article_id"), bodies.get_column("body"),
                                               default=None, return_dtype=pl.String)
    return units.with_columns(pl.when(pl.col("offset").is_not_null()).then(body).alias("context"))


def _body_offsets(paragraphs: pl.DataFrame) -> pl.Series:
    """Where each body paragraph starts in its article's body: after the earlier body paragraphs and the
    blank line ("\\n\\n") after each; null for captions."""
    body = pl.col("role") == "body"
    width = pl.when(body).then(pl.col("text").str.len_chars().cast(pl.Int64) + 2)
    return paragraphs.select(pl.when(body).then(width.cum_sum().over("article_id") - width).alias("offset")).to_series()


#: with ``workers=None``, scoring starts worker processes once the corpus holds this much text (UTF-8 bytes,
#: as batches count it): two batches, about 8,000 comments, several seconds of work for one core
AUTO_CHARS = 2 * BATCH_CHARS


def _text_size(corpus: Corpus) -> int:
    """The UTF-8 bytes of text scoring reads (every comment and article paragraph), counted as
    :func:`_batch_bounds` counts them."""
    return int(sum(frame.get_column("text").str.len_bytes().fill_null(0).sum()
                   for frame in (corpus.comments, corpus.paragraphs)))


#: the tables score_batch returns row by row of text; export writes them from disk, batch by batch
LONG_TABLES = ("sentences", "tags", "mentions")

_WORKER_CONFIG: ScoringConfig | None = None  # set once in each worker process by _start_worker


def _start_worker(config: ScoringConfig) -> None:
    # The config (and the lexicon it compiles) crosses to a worker once, not with every batch.
    global _WORKER_CONFIG
    _WORKER_CONFIG = config
    compile_lexicon(config.lexicon)


def _score_in_worker(packed: _Packed, spill: Path | None) -> dict[str, pl.DataFrame | Path]:
    assert _WORKER_CONFIG is not None
    return _score_and_spill(_unpack(packed), _WORKER_CONFIG, spill)


def _score_and_spill(units: pl.DataFrame, config: ScoringConfig, spill: Path | None) -> dict[str, pl.DataFrame | Path]:
    """score_batch; with ``spill`` (a path prefix), the long tables are written there as Arrow IPC files and
    their paths returned instead, so they never cross between processes or pile up in memory."""
    result: dict[str, pl.DataFrame | Path] = dict(score_batch(units, config))
    if spill is not None:
        for name in LONG_TABLES:
            path = spill.with_name(f"{spill.name}-{name}.arrow")
            result.pop(name).write_ipc(path, compression="uncompressed")  # type: ignore[union-attr]
            result[name] = path
    return result


def _run(corpus: Corpus, config: ScoringConfig, workers: int, progress: Progress | None,
         spill: Path | None = None) -> dict[str, pl.DataFrame | pl.LazyFrame]:
    """Score every unit of ``corpus``: ``units`` (the unit scores) and the long tables, in memory, or with
    ``spill`` (a folder) as lazy scans of the files the batches were written to.

    Worker processes always write their long tables to disk (to a temporary folder when no ``spill`` is
    given, read back at the end): results never cross between processes as pickles.
    """
    if spill is None and workers > 1:
        with tempfile.TemporaryDirectory(prefix="discourse-scoring-") as tmp:
            lazy = _run(corpus, config, workers, progress, Path(tmp))
            return {name: t.collect() if isinstance(t, pl.LazyFrame) else t for name, t in lazy.items()}
    bounds = _batch_bounds(corpus, BATCH_UNITS, BATCH_CHARS) or [("comments", 0, 0)]
    offsets = _body_offsets(corpus.paragraphs)
    batches = ((_packed_batch(corpus, bound, offsets), spill / f"batch{k:06d}" if spill else None)
               for k, bound in enumerate(bounds))
    total = len(bounds)
    results: list[dict[str, pl.DataFrame | Path]] = []
    if workers <= 1 or total == 1:
        for k, (batch, prefix) in enumerate(batches):
            if progress:
                progress(k, total, "scoring")
            results.append(_score_and_spill(_unpack(batch), config, prefix))
    else:
        # spawn, not fork: polars' thread pool does not survive a fork
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_start_worker,
                                 initargs=(config,)) as pool:
            # a few batches ahead of the results: workers never wait, and batches are built as they go
            pending = deque(pool.submit(_score_in_worker, *b) for b in islice(batches, 2 * workers))
            while pending:
                if progress:
                    progress(len(results), total, "scoring")
                results.append(pending.popleft().result())
                for b in islice(batches, 1):
                    pending.append(pool.submit(_score_in_worker, *b))
    if progress:
        progress(total, total, "scoring")
    out: dict[str, pl.DataFrame | pl.LazyFrame] = {}
    for name in list(results[0]):
        parts = [r.pop(name) for r in results]
        if spill is not None and name in LONG_TABLES:
            out[name] = pl.scan_ipc(parts)
        else:
            # batch by batch, one chunk each: a copy into one chunk would double the memory for a moment
            out[name] = pl.concat(parts, rechunk=False)  # type: ignore[arg-type]
    return out


def actor_sentiment(mentions: pl.DataFrame | pl.LazyFrame, min_group: int = MIN_GROUP) -> pl.DataFrame:
    """Per article, unit kind and actor: the sentences mentioning the actor (each once) and their mean."""
    if isinstance(mentions, pl.LazyFrame):
        mentions = mentions.select("article_id", "kind", "sentence_id", "actor", "compound").collect()
    per_sentence = mentions.unique(["sentence_id", "actor"], keep="first", maintain_order=True)
    out = (per_sentence.group_by("article_id", "kind", "actor", maintain_order=True)
           .agg(pl.len().cast(pl.Int64).alias("n"), pl.col("compound").mean().alias("mean"))
           .with_columns((pl.col("n") < min_group).alias("small"))
           .sort("article_id", "kind", "actor"))
    return schema.conform(schema.ACTOR_SENTIMENT, out)


Source = Corpus | str | Path | Sequence[str | Path]


def analyze(source: Source = "threads", lexicon: Lexicon | str | Path | None = None,
            *, prep: Preparation = Preparation(), workers: int | None = 1, pseudonym_key: str | None = None,
            min_group: int = MIN_GROUP, progress: Progress | None = None,
            spill: str | Path | None = None) -> Analysis:
    """Score a corpus (or the paths to read one from): every table of :class:`Analysis`.

    ``lexicon`` is a loaded lexicon, a path to a TOML lexicon (which extends or replaces the default as
    the file says), or None for the default. ``pseudonym_key`` replaces authors by stable pseudonyms.
    ``workers=None`` picks the number of processes (:func:`discourse.parallel.resolve_workers`: one per core
    once the corpus holds :data:`AUTO_CHARS` bytes of text, else one); the tables do not depend on it.
    With ``spill`` (an existing folder, kept for as long as the analysis is used) sentences, topic evidence
    and mentions are written there batch by batch and left on disk as ``LazyFrame`` scans: memory then
    holds only the per-comment and per-article tables.

    >>> a = analyze("threads")                          # doctest: +SKIP
    >>> a.comments.select("comment_id", "sent_score", "topic_tags").head(3)   # doctest: +SKIP
    """
    tables, lex, settings = _analysis(source, lexicon, prep=prep, workers=workers, pseudonym_key=pseudonym_key,
                                      min_group=min_group, progress=progress,
                                      spill=Path(spill) if spill is not None else None)
    return Analysis(**tables, lexicon=lex, settings=settings)  # type: ignore[arg-type]


def export(source: Source, out: str | Path, format: str = "parquet", lexicon: Lexicon | str | Path | None = None,
           *, prep: Preparation = Preparation(), workers: int | None = 1, pseudonym_key: str | None = None,
           min_group: int = MIN_GROUP, progress: Progress | None = None) -> list[Path]:
    """Score a corpus and write it into the folder ``out`` in one of
    :data:`discourse.writers.EXPORT_FORMATS`; returns the paths written.

    The files are those of ``discourse.writers.export(analyze(...), out, format)``. For the table formats
    (parquet, csv, ndjson) the tables with a row per sentence or lexicon hit never sit in memory: each
    batch writes its rows to a temporary folder in ``out`` (from the worker process that scored it), and
    the final files are streamed from there.

    >>> export("threads", "export", "csv", workers=2)       # doctest: +SKIP
    """
    from discourse.writers import EXPORT_FORMATS, export as write
    from discourse.writers.tables import FORMATS, write_tables

    if format not in EXPORT_FORMATS:
        raise ConfigError(f"unknown export format {format!r}", hint="valid formats: " + ", ".join(EXPORT_FORMATS))
    if format not in FORMATS:
        return write(analyze(source, lexicon, prep=prep, workers=workers, pseudonym_key=pseudonym_key,
                             min_group=min_group, progress=progress), out, format)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".discourse-scoring-", dir=out) as spill:
        tables, _, _ = _analysis(source, lexicon, prep=prep, workers=workers, pseudonym_key=pseudonym_key,
                                 min_group=min_group, progress=progress, spill=Path(spill))
        return write_tables(tables, out, format)


def _analysis(source: Source, lexicon: Lexicon | str | Path | None, *, prep: Preparation, workers: int | None,
              pseudonym_key: str | None, min_group: int, progress: Progress | None,
              spill: Path | None) -> tuple[dict[str, pl.DataFrame | pl.LazyFrame], Lexicon, dict]:
    """The tables of :class:`Analysis` by name, in order (the long ones lazy when ``spill`` is a folder)."""
    if workers is not None and workers < 1:
        raise ConfigError(f"workers must be at least 1, got {workers}", hint="use --workers 1 or more")
    if min_group < 1:
        raise ConfigError(f"min_group must be at least 1, got {min_group}", hint="a positive number of units")
    if not isinstance(source, Corpus):
        from discourse.readers import read

        source = read(source, workers=workers)
    lex = lexicon if isinstance(lexicon, Lexicon) else load_lexicon(lexicon)
    corpus = pseudonymize(source, pseudonym_key) if pseudonym_key else source
    workers = resolve_workers(workers, _text_size(corpus), AUTO_CHARS)
    res = _run(corpus, ScoringConfig(lex, prep), workers, progress, spill)
    scores = res.pop("units")
    assert isinstance(scores, pl.DataFrame)

    def attach(frame: pl.DataFrame, key: str) -> pl.DataFrame:
        return frame.join(scores.rename({"unit_id": key}), on=key, how="left", maintain_order="left")

    comments = dynamics.with_thread_scores(attach(corpus.comments, "comment_id"))
    paragraphs = attach(corpus.paragraphs, "paragraph_id")
    del scores
    edges = dynamics.edges(comments)
    tables = {
        "articles": corpus.articles, "paragraphs": schema.conform(schema.SCORED_PARAGRAPHS, paragraphs),
        "comments": schema.conform(schema.SCORED_COMMENTS, comments), "sentences": res["sentences"],
        "tags": res["tags"], "mentions": res["mentions"], "actor_sentiment": actor_sentiment(res["mentions"], min_group),
        "edges": edges, "threads": dynamics.threads(comments), "speakers": dynamics.speakers(comments, edges),
        "diagnostics": corpus.diagnostics, "files": corpus.files,
    }
    settings = {"typography": prep.typography, "whitespace": prep.whitespace, "sentiment_rule": prep.rule,
                "workers": workers,
                "pseudonymized": bool(pseudonym_key), "min_group": min_group, "lexicon": lex.sha256}
    return {name: tables[name] for name in Analysis.TABLES}, lex, settings
