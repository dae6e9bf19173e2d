"""From a corpus to every scored table: :func:`analyze`.

:func:`analyze` scores every unit (:func:`discourse.scoring.run.score_corpus`, which runs the pure batch
scorer :func:`discourse.scoring.batch.score_batch` over the corpus in batches), joins the scores back and
adds thread dynamics, the reply network, speakers and actor-targeted sentiment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import polars as pl

from discourse import schema
from discourse.errors import ConfigError
from discourse.model import Analysis, Corpus
from discourse.parallel import Progress, resolve_workers
from discourse.readers.base import ReadOptions
from discourse.scoring import dynamics
from discourse.scoring.batch import ACTOR_COLUMNS, ScoringConfig, mentioning_sentences
from discourse.scoring.lexicon import Lexicon, load_lexicon
from discourse.scoring.pseudonyms import pseudonymize
from discourse.scoring.run import ACTOR_ROWS, AUTO_CHARS, pack_batches, score_corpus, text_size
from discourse.sentiment import Preparation

#: groups smaller than this are flagged ``small`` in aggregates and drawn hollow in figures
MIN_GROUP = 5


def actor_sentiment(mentions: pl.DataFrame | pl.LazyFrame, min_group: int = MIN_GROUP) -> pl.DataFrame:
    """Per article, unit kind and actor: the sentences mentioning the actor (each once) and their mean.

    ``mentions`` is the mentions table, or (without a ``sentence_id`` column) its mentioning sentences
    already (:func:`discourse.scoring.batch.mentioning_sentences`, as :func:`score_corpus` collects them
    batch by batch); the keys may be categorical. Each mean sums its sentences in table order.
    """
    if isinstance(mentions, pl.LazyFrame):
        mentions = mentions.select(ACTOR_COLUMNS).collect()
    per_sentence = mentioning_sentences(mentions) if "sentence_id" in mentions.columns else mentions
    keys = ["article_id", "kind", "actor"]
    out = (per_sentence.group_by(keys, maintain_order=True)
           .agg(pl.len().cast(pl.Int64).alias("n"), pl.col("compound").mean().alias("mean"))
           .with_columns(pl.col(keys).cast(pl.String), (pl.col("n") < min_group).alias("small"))
           .sort(keys))
    return schema.conform(schema.ACTOR_SENTIMENT, out)


Source = Corpus | str | Path | Sequence[str | Path]


def only_articles(analysis: Analysis, article_ids: Sequence[str]) -> Analysis:
    """The analysis of some articles: every table with an ``article_id`` keeps their rows (in order),
    speakers are counted again over them; diagnostics, files and settings are the corpus's."""
    keep = pl.col("article_id").is_in(pl.Series(list(article_ids), dtype=pl.String).implode())
    parts = {name: getattr(analysis, name).filter(keep) for name in Analysis.TABLES
             if name not in ("speakers", "diagnostics", "files")}
    return replace(analysis, **parts, speakers=dynamics.speakers(parts["comments"], parts["edges"]))


def analyze(source: Source = "threads", lexicon: Lexicon | str | Path | None = None,
            *, prep: Preparation = Preparation(), workers: int | None = 1, pseudonym_key: str | None = None,
            min_group: int = MIN_GROUP, progress: Progress | None = None,
            spill: str | Path | None = None, options: ReadOptions | None = None,
            on_read: Callable[[Corpus], None] | None = None, keep_texts: bool = True) -> Analysis:
    """Score a corpus (or the paths to read one from): every table of :class:`Analysis`.

    ``lexicon`` is a loaded lexicon, a path to a TOML lexicon (which extends or replaces the default as
    the file says), or None for the default. ``pseudonym_key`` replaces authors by stable pseudonyms.
    ``workers=None`` picks the number of processes (:func:`discourse.parallel.resolve_workers`: one per core
    once the corpus holds :data:`AUTO_CHARS` bytes of text, else one); the tables do not depend on it.
    With ``spill`` (an existing folder, kept for as long as the analysis is used) sentences, topic evidence
    and mentions are written there batch by batch and left on disk as ``LazyFrame`` scans: memory then
    holds only the per-comment and per-article tables. The batches to score and the texts of the comments,
    paragraphs and articles are written there too, and the texts are read back once every table is
    computed: while scoring runs and the tables are joined, memory holds no text (unless the caller holds
    the corpus it passed; paths are read here, with ``options``, and ``on_read(corpus)`` is called once
    they are read).

    ``keep_texts=False`` (with ``spill``) leaves the texts on disk for a caller that reads them only in part
    (``discourse report``: :func:`discourse.report.texts.in_spill`): the comments' and paragraphs' texts are
    written to ``spill`` as Parquet files (:func:`text_file`, row groups of :data:`TEXT_ROWS` rows, in the
    tables' row order) and not read back, and the analysis's ``comments`` and ``paragraphs`` have no ``text``
    column and its ``articles`` no ``body``; every other column and table is the same.

    >>> a = analyze("threads")                          # doctest: +SKIP
    >>> a.comments.select("comment_id", "sent_score", "topic_tags").head(3)   # doctest: +SKIP
    """
    if workers is not None and workers < 1:
        raise ConfigError(f"workers must be at least 1, got {workers}", hint="use --workers 1 or more")
    if min_group < 1:
        raise ConfigError(f"min_group must be at least 1, got {min_group}", hint="a positive number of units")
    if not keep_texts and spill is None:
        raise ConfigError("keep_texts=False needs a spill folder to leave the texts in",
                          hint="pass spill=folder, or keep_texts=True")
    if not isinstance(source, Corpus):
        from discourse.readers import read

        source = read(source, options=options, progress=progress, workers=workers)
        if on_read:
            on_read(source)
    lex = lexicon if isinstance(lexicon, Lexicon) else load_lexicon(lexicon)
    corpus = pseudonymize(source, pseudonym_key) if pseudonym_key else source
    del source
    workers = resolve_workers(workers, text_size(corpus), AUTO_CHARS)
    packed = texts = None
    if spill is not None:
        # the batches and the texts go to disk, and the texts leave memory until the tables are complete
        # (the corpus's only other holder is the caller, when it passed one)
        packed = pack_batches(corpus, Path(spill))
        corpus, texts = _put_texts_aside(corpus, Path(spill), keep_texts)
    res = score_corpus(corpus, ScoringConfig(lex, prep), workers, progress,
                       Path(spill) if spill is not None else None, packed)
    rows = res.pop(ACTOR_ROWS)
    assert isinstance(rows, pl.DataFrame)
    actors = actor_sentiment(rows, min_group)  # before the joins below, which need more memory
    del rows
    scores = res.pop("units")
    assert isinstance(scores, pl.DataFrame)
    comments = dynamics.with_thread_scores(_attach(corpus.comments, scores, "comment_id"))
    paragraphs = _attach(corpus.paragraphs, scores, "paragraph_id")
    del scores
    edges = dynamics.edges(comments)
    threads = dynamics.threads(comments)
    speakers = dynamics.speakers(comments, edges)
    articles = corpus.articles
    if texts is not None and keep_texts:
        articles, paragraphs, comments = (_with_text(articles, texts["articles"]),
                                          _with_text(paragraphs, texts["paragraphs"]),
                                          _with_text(comments, texts["comments"]))
    without = {} if keep_texts else TEXTS
    return Analysis(
        articles=articles, paragraphs=_conform(schema.SCORED_PARAGRAPHS, paragraphs, without.get("paragraphs")),
        comments=_conform(schema.SCORED_COMMENTS, comments, without.get("comments")), sentences=res["sentences"], tags=res["tags"],
        mentions=res["mentions"], actor_sentiment=actors, edges=edges, threads=threads, speakers=speakers,
        diagnostics=corpus.diagnostics, files=corpus.files, lexicon=lex,
        settings={"typography": prep.typography, "whitespace": prep.whitespace, "sentiment_rule": prep.rule,
                  "workers": workers,
                  "pseudonymized": bool(pseudonym_key), "min_group": min_group, "lexicon": lex.sha256})


#: the text column of each corpus table that :func:`analyze` puts aside on disk while it scores
TEXTS = {"articles": "body", "paragraphs": "text", "comments": "text"}


#: rows of a row group of the Parquet files ``analyze(..., keep_texts=False)`` leaves the texts in: what one
#: read of a few rows brings back at most
TEXT_ROWS = 65_536


def text_file(folder: str | Path, table: str) -> Path:
    """The Parquet file in ``folder`` where ``analyze(..., spill=folder, keep_texts=False)`` leaves the text
    column (:data:`TEXTS`) of ``table`` (``comments`` or ``paragraphs``), one row per row of the table."""
    return Path(folder) / f"{table}-{TEXTS[table]}.parquet"


def _put_texts_aside(corpus: Corpus, folder: Path,
                     keep: bool = True) -> tuple[Corpus, dict[str, tuple[Path, str, int]]]:
    """``corpus`` without its text columns (:data:`TEXTS`), each written to ``folder`` as an Arrow IPC stream;
    for each table the file, the column and its position, for :func:`_with_text`. Unless ``keep``, the texts
    are not to be read back here: the comments' and paragraphs' are written as Parquet (:func:`text_file`), for
    reading in part, and the article bodies are dropped."""
    aside = {}
    tables = {}
    for name, column in TEXTS.items():
        frame = getattr(corpus, name)
        if keep:
            path = folder / f"{name}-{column}.arrow"
            frame.select(column).write_ipc_stream(path, compression="uncompressed")
            aside[name] = (path, column, frame.columns.index(column))
        elif name != "articles":
            path = text_file(folder, name)
            frame.select(column).write_parquet(path, compression="lz4", row_group_size=TEXT_ROWS, statistics=False)
            aside[name] = (path, column, frame.columns.index(column))
        tables[name] = frame.drop(column)
    return replace(corpus, **tables), aside


def _conform(table: schema.Table, df: pl.DataFrame, without: str | None) -> pl.DataFrame:
    """:func:`discourse.schema.conform`, but for the column ``without`` when one is named."""
    if without is None:
        return schema.conform(table, df)
    return schema.conform(table, df.with_columns(pl.lit(None, dtype=pl.String).alias(without))).drop(without)


def _with_text(frame: pl.DataFrame, aside: tuple[Path, str, int]) -> pl.DataFrame:
    """``frame`` with the text column :func:`_put_texts_aside` wrote back in its place, in one piece."""
    path, column, position = aside
    # an IPC stream is read into memory once (read_ipc maps the file and copies it besides: twice the text)
    text = pl.read_ipc_stream(path).get_column(column).rechunk()
    path.unlink()
    return frame.insert_column(position, text)


def _attach(units: pl.DataFrame, scores: pl.DataFrame, key: str) -> pl.DataFrame:
    """``units`` with their scores joined on ``key``, in their order.

    Scores come in the order of the units (paragraphs, then comments): when the rows of ``scores`` at the
    start or the end carry exactly the units' ids (set, unique), they are set beside the units as they
    are, which is what the join gives without copying the units' columns; otherwise the join runs."""
    ids = units.get_column(key)
    n = units.height
    if ids.null_count() == 0 and not set(units.columns) & set(scores.columns) and ids.n_unique() == n:
        for offset in {0, max(scores.height - n, 0)}:
            part = scores.slice(offset, n)
            if part.height == n and part.get_column("unit_id").equals(ids, check_names=False):
                # in one piece, as the join gives them (a Parquet file's row groups follow the pieces)
                return units.hstack(part.drop("unit_id").rechunk())
    return units.join(scores.rename({"unit_id": key}), on=key, how="left", maintain_order="left")
