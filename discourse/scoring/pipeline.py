"""From a corpus to every scored table: :func:`analyze` and the pure batch scorer it is built on.

:func:`score_batch` maps a table of units (comments and article paragraphs) to four tables — unit
scores, sentences, topic evidence, actor mentions — and depends on nothing but its inputs and a
:class:`ScoringConfig`. :func:`analyze` runs it over the corpus in chunks (in worker processes with
``workers > 1``; the result is identical), then joins the scores back and adds thread dynamics, the reply
network, speakers and actor-targeted sentiment.
"""

from __future__ import annotations

import bisect
import hashlib
import hmac
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from discourse import schema
from discourse.errors import ConfigError
from discourse.model import Corpus
from discourse.scoring import dynamics
from discourse.scoring.lexicon import Lexicon, compile_lexicon, load_lexicon
from discourse.scoring.quotes import find_quotes, sentence_voice
from discourse.sentiment import Preparation, label, score_text

#: groups smaller than this are flagged ``small`` in aggregates and drawn hollow in figures
MIN_GROUP = 5
#: units per batch handed to a worker
BATCH_UNITS = 20_000

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

def _unit_columns() -> dict[str, list]:
    return {"unit_id": []} | {c.name: [] for c in schema.UNIT_SCORES}


def _table_columns(table: schema.Table) -> dict[str, list]:
    return {n: [] for n in table.names}


def score_batch(units: pl.DataFrame, config: ScoringConfig) -> dict[str, pl.DataFrame]:
    """Score a batch of units. Returns ``units`` (``unit_id`` + the :data:`schema.UNIT_SCORES` columns, one
    row per input row, same order), ``sentences``, ``tags`` and ``mentions`` (their schemas).

    ``units`` has the columns of :data:`UNITS_SCHEMA`. ``context``/``offset`` give the text in which
    quotations are sought (an article's whole body, so a quote may span paragraphs) and where the unit
    starts in it; null ``context`` means the unit's own text.
    """
    compiled = compile_lexicon(config.lexicon)
    out_units = _unit_columns()
    sent = _table_columns(schema.SENTENCES)
    tags = _table_columns(schema.TAGS)
    ments = _table_columns(schema.MENTIONS)
    quote_cache: dict[str, list] = {}
    for unit_id, article_id, kind, text, context, offset in units.select(list(UNITS_SCHEMA)).iter_rows():
        text = text or ""
        scored = score_text(text, config.prep)
        spans = [s.span for s in scored.sentences]
        if context is None:
            quotes = find_quotes(text) if ('"' in text or "“" in text or "«" in text or "„" in text) else []
            voices = sentence_voice(spans, quotes, text=text) if quotes else [("own", None)] * len(spans)
        else:
            if context not in quote_cache:
                quote_cache.clear()
                quote_cache[context] = find_quotes(context)
            quotes = quote_cache[context]
            shifted = [(a + offset, b + offset) for a, b in spans]
            voices = sentence_voice(shifted, quotes, text=context) if quotes else [("own", None)] * len(spans)
        ids = [f"{unit_id}#{k}" for k in range(1, len(spans) + 1)]
        own, quoted = [], []
        for k, (s, (voice, speaker)) in enumerate(zip(scored.sentences, voices)):
            (quoted if voice == "quoted" else own).append(s.compound)
            for col, value in (("article_id", article_id), ("unit_id", unit_id), ("kind", kind),
                               ("sentence_id", ids[k]), ("position", k + 1), ("start", s.span[0]),
                               ("end", s.span[1]), ("text", s.text), ("voice", voice), ("speaker", speaker),
                               ("compound", s.compound), ("pos", s.pos), ("neu", s.neu), ("neg", s.neg),
                               ("label", label(s.compound))):
                sent[col].append(value)
        starts = [a for a, _ in spans]
        topics: set[str] = set()
        actors: set[str] = set()
        for hit in compiled.match(text) if text else ():
            k = max(bisect.bisect_right(starts, hit.start) - 1, 0)
            sid = ids[k] if ids else None
            if hit.kind == "topic":
                if not hit.negated:
                    topics.add(hit.label)
                for col, value in (("article_id", article_id), ("unit_id", unit_id), ("kind", kind),
                                   ("sentence_id", sid), ("topic", hit.label), ("entry", hit.entry),
                                   ("matched", hit.matched), ("start", hit.start), ("end", hit.end),
                                   ("negated", hit.negated), ("negator", hit.negator)):
                    tags[col].append(value)
            else:
                actors.add(hit.label)
                for col, value in (("article_id", article_id), ("unit_id", unit_id), ("kind", kind),
                                   ("sentence_id", sid), ("actor", hit.label), ("surface", hit.matched),
                                   ("start", hit.start), ("end", hit.end),
                                   ("voice", voices[k][0] if ids else None),
                                   ("compound", scored.sentences[k].compound if ids else None)):
                    ments[col].append(value)
        n = len(spans)
        mean = scored.sentence_mean if n else None
        for col, value in (
                ("unit_id", unit_id), ("sent_compound", scored.compound), ("sent_pos", scored.pos),
                ("sent_neu", scored.neu), ("sent_neg", scored.neg), ("sent_mean", mean),
                ("sent_own", sum(own) / len(own) if own else None),
                ("sent_quoted", sum(quoted) / len(quoted) if quoted else None),
                ("sent_n", n), ("sent_n_quoted", len(quoted)), ("sent_score", mean),
                ("sent_label", scored.label if n else None),
                ("topic_tags", sorted(topics)), ("actor_tags", sorted(actors))):
            out_units[col].append(value)
    unit_schema = pl.Schema({"unit_id": pl.String} | {c.name: c.dtype for c in schema.UNIT_SCORES})
    return {
        "units": pl.DataFrame(out_units, schema=unit_schema),
        "sentences": schema.frame(schema.SENTENCES, sent),
        "tags": schema.frame(schema.TAGS, tags),
        "mentions": schema.frame(schema.MENTIONS, ments),
    }


# ---- the analysis ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Analysis:
    """Every table of a scored corpus (schemas in ``docs/schema.md``) and the settings that made it."""

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

    def tables(self) -> dict[str, pl.DataFrame]:
        """The tables by name, in a fixed order (what ``discourse export`` writes)."""
        return {name: getattr(self, name) for name in self.TABLES}

    def __repr__(self) -> str:
        return (f"Analysis({self.articles.height} articles, {self.comments.height} comments, "
                f"{self.sentences.height} sentences, {self.tags.height} topic hits)")


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


def _units(corpus: Corpus) -> pl.DataFrame:
    """Comments and article paragraphs as one units table; body paragraphs carry their article's body as
    quotation context, with their offset in it."""
    comments = corpus.comments.select(
        pl.col("comment_id").alias("unit_id"), "article_id", pl.lit("comment").alias("kind"), "text",
        pl.lit(None, dtype=pl.String).alias("context"), pl.lit(None, dtype=pl.Int64).alias("offset"))
    para = corpus.paragraphs
    bodies = dict(corpus.articles.select("article_id", "body").iter_rows())
    offsets: list[int | None] = []
    contexts: list[str | None] = []
    pos: dict[str, int] = {}
    for aid, role, text in para.select("article_id", "role", "text").iter_rows():
        if role == "body":
            at = pos.get(aid, 0)
            offsets.append(at)
            contexts.append(bodies[aid])
            pos[aid] = at + len(text) + 2
        else:
            offsets.append(None)
            contexts.append(None)
    paragraphs = para.select(pl.col("paragraph_id").alias("unit_id"), "article_id",
                             pl.lit("article").alias("kind"), "text").with_columns(
        pl.Series("context", contexts, dtype=pl.String), pl.Series("offset", offsets, dtype=pl.Int64))
    return pl.concat([paragraphs, comments]).cast(UNITS_SCHEMA)  # type: ignore[arg-type]


def _run(units: pl.DataFrame, config: ScoringConfig, workers: int, progress: Progress | None) -> dict[str, pl.DataFrame]:
    batches = [units.slice(i, BATCH_UNITS) for i in range(0, units.height, BATCH_UNITS)] or [units]
    results: list[dict[str, pl.DataFrame]] = []
    if workers <= 1 or len(batches) == 1:
        for k, b in enumerate(batches):
            if progress:
                progress(k, len(batches), "scoring")
            results.append(score_batch(b, config))
    else:
        # spawn, not fork: polars' thread pool does not survive a fork
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures = [pool.submit(score_batch, b, config) for b in batches]
            for k, f in enumerate(futures):
                if progress:
                    progress(k, len(batches), "scoring")
                results.append(f.result())
    if progress:
        progress(len(batches), len(batches), "scoring")
    return {name: pl.concat([r[name] for r in results], rechunk=True) for name in results[0]}


def actor_sentiment(mentions: pl.DataFrame, min_group: int = MIN_GROUP) -> pl.DataFrame:
    """Per article, unit kind and actor: the sentences mentioning the actor (each once) and their mean."""
    per_sentence = mentions.unique(["sentence_id", "actor"], keep="first", maintain_order=True)
    out = (per_sentence.group_by("article_id", "kind", "actor", maintain_order=True)
           .agg(pl.len().cast(pl.Int64).alias("n"), pl.col("compound").mean().alias("mean"))
           .with_columns((pl.col("n") < min_group).alias("small"))
           .sort("article_id", "kind", "actor"))
    return schema.conform(schema.ACTOR_SENTIMENT, out)


def analyze(source: Corpus | str | Path | Sequence[str | Path] = "threads", lexicon: Lexicon | str | Path | None = None,
            *, prep: Preparation = Preparation(), workers: int = 1, pseudonym_key: str | None = None,
            min_group: int = MIN_GROUP, progress: Progress | None = None) -> Analysis:
    """Score a corpus (or the paths to read one from): every table of :class:`Analysis`.

    ``lexicon`` is a loaded lexicon, a path to a TOML lexicon (which extends or replaces the default as
    the file says), or None for the default. ``pseudonym_key`` replaces authors by stable pseudonyms.

    >>> a = analyze("threads")                          # doctest: +SKIP
    >>> a.comments.select("comment_id", "sent_score", "topic_tags").head(3)   # doctest: +SKIP
    """
    if workers < 1:
        raise ConfigError(f"workers must be at least 1, got {workers}", hint="use --workers 1 or more")
    if min_group < 1:
        raise ConfigError(f"min_group must be at least 1, got {min_group}", hint="a positive number of units")
    if not isinstance(source, Corpus):
        from discourse.readers import read

        source = read(source)
    lex = lexicon if isinstance(lexicon, Lexicon) else load_lexicon(lexicon)
    corpus = pseudonymize(source, pseudonym_key) if pseudonym_key else source
    units = _units(corpus)
    res = _run(units, ScoringConfig(lex, prep), workers, progress)
    scores = res["units"]

    def attach(frame: pl.DataFrame, key: str) -> pl.DataFrame:
        return frame.join(scores.rename({"unit_id": key}), on=key, how="left", maintain_order="left")

    comments = dynamics.with_thread_scores(attach(corpus.comments, "comment_id"))
    paragraphs = attach(corpus.paragraphs, "paragraph_id")
    edges = dynamics.edges(comments)
    return Analysis(
        articles=corpus.articles, paragraphs=schema.conform(schema.SCORED_PARAGRAPHS, paragraphs),
        comments=schema.conform(schema.SCORED_COMMENTS, comments), sentences=res["sentences"],
        tags=res["tags"], mentions=res["mentions"], actor_sentiment=actor_sentiment(res["mentions"], min_group),
        edges=edges, threads=dynamics.threads(comments), speakers=dynamics.speakers(comments, edges),
        diagnostics=corpus.diagnostics, files=corpus.files, lexicon=lex,
        settings={"typography": prep.typography, "whitespace": prep.whitespace, "workers": workers,
                  "pseudonymized": bool(pseudonym_key), "min_group": min_group, "lexicon": lex.sha256},
    )


def default_workers() -> int:
    """Worker processes to use by default: one per core, at most 8."""
    return max(1, min(8, os.cpu_count() or 1))
