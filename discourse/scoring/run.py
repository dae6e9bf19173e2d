"""Scoring a whole corpus: units cut into batches, batches scored in order (in worker processes with
``workers > 1``; the result is identical) and the per-sentence and per-hit tables spilled to disk.

:func:`score_corpus` gives the unit scores and the long tables; :func:`units_table` the units it scores, as
one table (for scoring them elsewhere, e.g. on a Dask cluster: ``docs/examples/dask_score.py``).
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import polars as pl

from discourse import schema
from discourse.model import Corpus
from discourse.parallel import Progress, ordered_map
from discourse.scoring.batch import ScoringConfig, mentioning_sentences, score_batch
from discourse.scoring.lexicon import compile_lexicon


def units_table(corpus: Corpus) -> pl.DataFrame:
    """Article paragraphs, then comments, as one table of units to score (:data:`discourse.schema.UNITS`); body
    paragraphs carry their article's body as quotation context, with their offset in it.

    :func:`score_corpus` scores the same rows batch by batch; ``score_batch`` on any split of this table, in
    order, gives the same rows.
    """
    offsets = _body_offsets(corpus.paragraphs)
    frames = [_batch(corpus, bound, offsets) for bound in _batch_bounds(corpus, None, None)]
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema.UNITS.schema)


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

    units: pl.DataFrame  # schema.UNITS.schema
    bodies: pl.DataFrame  # article_id, body: the context of every row whose offset is set


def _batch(corpus: Corpus, bound: _Bound, offsets: pl.Series | None = None) -> pl.DataFrame:
    """The units of one batch (:data:`discourse.schema.UNITS`); ``offsets`` are :func:`_body_offsets` when known."""
    return _unpack(_packed_batch(corpus, bound, offsets))


def _packed_batch(corpus: Corpus, bound: _Bound, offsets: pl.Series | None = None) -> _Packed:
    source, start, stop = bound
    if source == "comments":
        units = corpus.comments.slice(start, stop - start).select(
            pl.col("comment_id").alias("unit_id"), "article_id", pl.lit("comment").alias("kind"), "text",
            pl.lit(None, dtype=pl.String).alias("context"), pl.lit(None, dtype=pl.Int64).alias("offset"))
        return _Packed(units.cast(schema.UNITS.schema), pl.DataFrame(schema=schema.ARTICLE_BODIES.schema))
    if offsets is None:
        offsets = _body_offsets(corpus.paragraphs)
    rows = corpus.paragraphs.slice(start, stop - start).with_columns(offsets.slice(start, stop - start))
    units = rows.select(pl.col("paragraph_id").alias("unit_id"), "article_id", pl.lit("article").alias("kind"),
                        "text", pl.lit(None, dtype=pl.String).alias("context"), "offset")
    ids = rows.filter(pl.col("offset").is_not_null()).get_column("article_id").unique().implode()
    bodies = corpus.articles.filter(pl.col("article_id").is_in(ids)).select("article_id", "body")
    return _Packed(units.cast(schema.UNITS.schema), bodies.cast(schema.ARTICLE_BODIES.schema))


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


def text_size(corpus: Corpus) -> int:
    """The UTF-8 bytes of text scoring reads (every comment and article paragraph), counted as
    :func:`_batch_bounds` counts them."""
    return int(sum(frame.get_column("text").str.len_bytes().fill_null(0).sum()
                   for frame in (corpus.comments, corpus.paragraphs)))


#: the tables score_batch returns row by row of text; export writes them from disk, batch by batch
LONG_TABLES = ("sentences", "tags", "mentions")
#: what :func:`score_corpus` gives for actor-targeted sentiment: the whole mentions table's
#: :func:`~discourse.scoring.batch.mentioning_sentences` without ``sentence_id``, collected batch by batch
ACTOR_ROWS = "actor_rows"

_WORKER_CONFIG: ScoringConfig | None = None  # set once in each worker process by _start_worker


def _start_worker(config: ScoringConfig) -> None:
    # The config (and the lexicon it compiles) crosses to a worker once, not with every batch.
    global _WORKER_CONFIG
    _WORKER_CONFIG = config
    compile_lexicon(config.lexicon)


def _score_in_worker(packed: _Packed | Path, spill: Path | None) -> dict[str, pl.DataFrame | Path]:
    assert _WORKER_CONFIG is not None
    return _score_packed(_WORKER_CONFIG, packed, spill)


def _score_packed(config: ScoringConfig, packed: _Packed | Path, spill: Path | None) -> dict[str, pl.DataFrame | Path]:
    return _score_and_spill(_unpack(_load(packed) if isinstance(packed, Path) else packed), config, spill)


def pack_batches(corpus: Corpus, folder: Path) -> list[Path]:
    """Write the units of every batch :func:`score_corpus` scores (their texts included) to ``folder``, one
    Arrow IPC stream per batch (and one for the article bodies it needs); the batches' paths, in order.

    ``score_corpus(..., packed=paths)`` then reads each batch from its file in the process that scores it,
    so the corpus's texts need not stay in memory while it runs.
    """
    bounds = _batch_bounds(corpus, BATCH_UNITS, BATCH_CHARS) or [("comments", 0, 0)]
    offsets = _body_offsets(corpus.paragraphs)
    paths = []
    for k, bound in enumerate(bounds):
        units, bodies = _packed_batch(corpus, bound, offsets)
        path = folder / f"batch{k:06d}-units.arrow"
        units.write_ipc_stream(path, compression="uncompressed")
        if not bodies.is_empty():
            bodies.write_ipc_stream(_bodies_path(path), compression="uncompressed")
        paths.append(path)
    return paths


def _bodies_path(units: Path) -> Path:
    return units.with_name(units.name.replace("-units.arrow", "-bodies.arrow"))


def _load(path: Path) -> _Packed:
    """A batch :func:`pack_batches` wrote, its files removed once read."""
    bodies = _bodies_path(path)
    packed = _Packed(pl.read_ipc_stream(path).cast(schema.UNITS.schema),
                     pl.read_ipc_stream(bodies).cast(schema.ARTICLE_BODIES.schema) if bodies.exists()
                     else pl.DataFrame(schema=schema.ARTICLE_BODIES.schema))
    path.unlink()
    bodies.unlink(missing_ok=True)
    return packed


def _score_and_spill(units: pl.DataFrame, config: ScoringConfig, spill: Path | None) -> dict[str, pl.DataFrame | Path]:
    """score_batch, and the batch's mentioning sentences (:data:`ACTOR_ROWS`); with ``spill`` (a path prefix),
    the long tables are written there as Arrow IPC files and their paths returned instead, so they never
    cross between processes or pile up in memory."""
    result: dict[str, pl.DataFrame | Path] = dict(score_batch(units, config))
    result[ACTOR_ROWS] = mentioning_sentences(result["mentions"])  # type: ignore[arg-type]
    if spill is not None:
        for name in LONG_TABLES:
            path = spill.with_name(f"{spill.name}-{name}.arrow")
            result.pop(name).write_ipc(path, compression="uncompressed")  # type: ignore[union-attr]
            result[name] = path
    return result


def score_corpus(corpus: Corpus, config: ScoringConfig, workers: int, progress: Progress | None = None,
                 spill: Path | None = None, packed: list[Path] | None = None) -> dict[str, pl.DataFrame | pl.LazyFrame]:
    """Score every unit of ``corpus``: ``units`` (the unit scores) and the long tables, in memory, or with
    ``spill`` (a folder) as lazy scans of the files the batches were written to; and :data:`ACTOR_ROWS`,
    in memory (:func:`_actor_rows`).

    Worker processes always write their long tables to disk (to a temporary folder when no ``spill`` is
    given, read back at the end): results never cross between processes as pickles. With ``packed`` (the
    paths :func:`pack_batches` gave for this corpus) each batch is read from its file where it is scored,
    and only the ids of ``corpus`` are used: its texts may be dropped.
    """
    if spill is None and workers > 1:
        with tempfile.TemporaryDirectory(prefix="discourse-scoring-") as tmp:
            lazy = score_corpus(corpus, config, workers, progress, Path(tmp), packed)
            return {name: t.collect() if isinstance(t, pl.LazyFrame) else t for name, t in lazy.items()}
    batches: Iterator[tuple[_Packed | Path, Path | None]]
    if packed is not None:
        total = len(packed)
        batches = ((path, spill / f"batch{k:06d}" if spill else None) for k, path in enumerate(packed))
    else:
        bounds = _batch_bounds(corpus, BATCH_UNITS, BATCH_CHARS) or [("comments", 0, 0)]
        offsets = _body_offsets(corpus.paragraphs)
        batches = ((_packed_batch(corpus, bound, offsets), spill / f"batch{k:06d}" if spill else None)
                   for k, bound in enumerate(bounds))
        total = len(bounds)

    def waiting(k: int) -> None:
        if progress:
            progress(k, total, "scoring")

    if workers <= 1 or total == 1:
        scored = ordered_map(functools.partial(_score_packed, config), batches, 1, waiting=waiting)
    else:
        scored = ordered_map(_score_in_worker, batches, workers, initializer=_start_worker,
                             initargs=(config,), waiting=waiting)
    distinct = _distinct_units(corpus)
    results = []
    for result in scored:
        result[ACTOR_ROWS] = _compact(result[ACTOR_ROWS], distinct)  # type: ignore[arg-type]
        results.append(result)
    if progress:
        progress(total, total, "scoring")
    out: dict[str, pl.DataFrame | pl.LazyFrame] = {
        ACTOR_ROWS: _actor_rows([r.pop(ACTOR_ROWS) for r in results], distinct)}  # type: ignore[misc]
    for name in list(results[0]):
        parts = [r.pop(name) for r in results]
        if spill is not None and name in LONG_TABLES:
            out[name] = pl.scan_ipc([p for p in parts if isinstance(p, Path)])
        elif name == "units":
            out[name] = _one_chunk([p for p in parts if isinstance(p, pl.DataFrame)])
        else:
            # batch by batch, one chunk each: a copy into one chunk would double the memory for a moment
            out[name] = pl.concat([p for p in parts if isinstance(p, pl.DataFrame)], rechunk=False)
    return out


def _one_chunk(parts: list[pl.DataFrame]) -> pl.DataFrame:
    """The batches' rows as one table in one chunk, built column by column: each column's batch pieces are
    freed as soon as it is copied, so the copy never holds more than one column twice (the unit scores are
    set beside the comments in one piece, :func:`discourse.scoring.pipeline._attach`)."""
    names = parts[0].columns
    columns = []
    for name in names:
        columns.append(pl.concat([p.drop_in_place(name) for p in parts], rechunk=True))
    return pl.DataFrame(columns)


def _distinct_units(corpus: Corpus) -> bool:
    """Whether every unit id is set and unique: then no sentence id recurs across batches."""
    ids = pl.concat([corpus.paragraphs.get_column("paragraph_id"), corpus.comments.get_column("comment_id")])
    return ids.null_count() == 0 and ids.n_unique() == ids.len()


def _compact(rows: pl.DataFrame, distinct: bool) -> pl.DataFrame:
    """A batch's mentioning sentences as the main process keeps them until scoring ends: the keys
    categorical and, when the unit ids are distinct, the sentence ids (which then recur in no other batch)
    replaced by whether they are null (null ids are all equal, in any batch)."""
    rows = rows.with_columns(pl.col("article_id", "kind", "actor").cast(pl.Categorical))
    if distinct:
        rows = rows.with_columns(pl.col("sentence_id").is_null().alias("no_sentence")).drop("sentence_id")
    return rows


def _actor_rows(parts: list[pl.DataFrame], distinct: bool) -> pl.DataFrame:
    """The batches' :func:`_compact` rows as the whole table's mentioning sentences, in order: each batch has
    dropped its own repeats, so what is left to drop is a sentence's repeats in later batches (the first
    row of each sentence and actor in the whole table is the first of its batch, and is kept)."""
    rows = pl.concat(parts, rechunk=False)
    if not distinct:
        return rows.unique(["sentence_id", "actor"], keep="first", maintain_order=True).drop("sentence_id")
    none = pl.col("no_sentence")
    if rows.get_column("no_sentence").any():
        rows = rows.filter(~none | pl.struct(none, "actor").is_first_distinct())
    return rows.drop("no_sentence")
