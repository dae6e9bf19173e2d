"""The aggregate tables of the report, computed once from an :class:`~discourse.Analysis` and shared by the
figures, the HTML and Markdown pages, and the CSV and LaTeX files.

Every aggregate carries its n. Units of analysis:

* article text: **sentences** of body paragraphs (captions excluded), split by voice (``own`` or
  ``quoted``); their 95% interval resamples **paragraphs** (a cluster bootstrap), because sentences of one
  paragraph are not independent;
* comments: **comments with text**, scored by ``sent_score`` (the mean of their sentence compounds);
* topics: body **paragraphs** and **comments with text**, each tagged or not;
* actors: **sentences** mentioning the actor (``Analysis.actor_sentiment``).

A group with fewer than ``min_group`` units (``Analysis.settings["min_group"]``, default
:data:`~discourse.scoring.pipeline.MIN_GROUP`) is flagged ``small`` and gets no interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from discourse import schema
from discourse.model import frame
from discourse.scoring.pipeline import MIN_GROUP

if TYPE_CHECKING:
    from discourse.model import Analysis

#: the three sentiment series: article text in its own voice, article text quoting someone, comments
SERIES = ("own", "quoted", "comments")
SERIES_LABELS = {"own": "Article text, own voice", "quoted": "Article text, quoted", "comments": "Comments"}
#: what one unit of each series is
SERIES_UNITS = {"own": "sentences", "quoted": "sentences", "comments": "comments"}
#: unit kinds of the topic and actor tables, and what one unit is
KINDS = ("article", "comment")
KIND_LABELS = {"article": "Article text", "comment": "Comments"}
KIND_UNITS = {"article": "paragraphs", "comment": "comments"}

#: bootstrap settings of every interval in the report
RESAMPLES = 2000
SEED = 0
LEVEL = 0.95
#: decimals kept for means and intervals in the tables
DECIMALS = 4


def min_group(analysis: Analysis) -> int:
    """The smallest group the analysis treats as large enough (``settings["min_group"]``)."""
    return int(analysis.settings.get("min_group", MIN_GROUP))


# ---- articles in publication order ----------------------------------------------------------------------

def date_label(published: date | None, estimated: bool) -> str:
    """A date as the report prints it: ``~`` before an estimated one, ``no date`` when missing."""
    return "no date" if published is None else ("~" if estimated else "") + published.isoformat()


def article_order(articles: pl.DataFrame) -> pl.DataFrame:
    """The articles in publication order (undated ones last, in corpus order), with ``order`` (0-based) and
    ``date_label``: the date, ``~`` before an estimated one, or ``no date``.

    >>> article_order(analysis.articles).select("article_id", "date_label").row(0)   # doctest: +SKIP
    ('002', '2016-08-08')
    """
    out = (articles.with_row_index("_corpus")
           .sort(pl.col("published").is_null(), "published", "_corpus")
           .with_row_index("order")
           .with_columns(pl.col("order").cast(pl.Int64))
           .drop("_corpus"))
    labels = [date_label(d, est) for d, est in out.select("published", "date_estimated").iter_rows()]
    return out.with_columns(pl.Series("date_label", labels, dtype=pl.String))


def dated(articles: pl.DataFrame) -> int:
    """How many articles have a publication date."""
    return articles.height - articles.get_column("published").null_count()


# ---- bootstrap ------------------------------------------------------------------------------------------

def bootstrap_mean(values, clusters=None, *, resamples: int = RESAMPLES, seed: int = SEED,
                   level: float = LEVEL) -> tuple[float, float] | None:
    """Percentile bootstrap interval of the mean of ``values``.

    With ``clusters`` (one label per value) whole clusters are resampled and the mean is taken over their
    values (a cluster bootstrap); otherwise single values are. A fresh ``numpy.random.default_rng(seed)``
    is used per call, so a group's interval does not depend on the other groups. None when there are
    fewer than two clusters (nothing to resample).

    >>> bootstrap_mean([0.1, 0.2, 0.3, 0.4, 0.5])    # doctest: +SKIP
    (0.18, 0.42)
    """
    import numpy as np

    vals = np.asarray(values, dtype=float)
    if clusters is None:
        sums, counts = vals, np.ones_like(vals)
    else:
        labels: dict[object, int] = {}
        idx = np.fromiter((labels.setdefault(c, len(labels)) for c in clusters), dtype=np.int64, count=len(vals))
        sums = np.bincount(idx, weights=vals, minlength=len(labels))
        counts = np.bincount(idx, minlength=len(labels)).astype(float)
    return bootstrap_cluster_means([(sums, counts)], resamples=resamples, seed=seed, level=level)[0]


#: elements of one resampled array (draws x clusters, or groups x draws x clusters): bounds the memory
_DRAW_ELEMENTS = 4_000_000


def bootstrap_cluster_means(groups, *, resamples: int = RESAMPLES, seed: int = SEED,
                            level: float = LEVEL) -> list[tuple[float, float] | None]:
    """:func:`bootstrap_mean` for many groups at once, each given as its clusters' value sums and value
    counts (numpy arrays, clusters in order of first appearance); each group's interval is the one it gets
    alone, bit for bit.

    Every group draws from a fresh generator seeded with ``seed``, so the resampled cluster indices depend
    only on the number of clusters: groups with as many clusters share them, and they are drawn once and
    applied to all those groups together (an archive's 25,000 articles take seconds, not minutes).
    """
    import numpy as np

    out: list[tuple[float, float] | None] = [None] * len(groups)
    by_size: dict[int, list[int]] = {}
    for k, (sums, _) in enumerate(groups):
        if len(sums) >= 2:
            by_size.setdefault(len(sums), []).append(k)
    alpha = (1 - level) / 2
    for m, members in by_size.items():
        sums = np.stack([groups[k][0] for k in members])
        counts = np.stack([groups[k][1] for k in members])
        singletons = bool((counts == 1).all())
        means = np.empty((len(members), resamples))
        rng = np.random.default_rng(seed)
        block = max(1, min(resamples, _DRAW_ELEMENTS // m))
        for start in range(0, resamples, block):
            stop = min(start + block, resamples)
            pick = rng.integers(0, m, size=(stop - start, m))
            # Each resample's cluster sums are added left to right, one drawn position at a time: numpy's
            # sum() would pick a summation order by array shape, and a group's interval must not depend
            # on how many other groups share its size.
            step = max(1, _DRAW_ELEMENTS // (stop - start))
            for a in range(0, len(members), step):
                s_part, c_part = sums[a:a + step], counts[a:a + step]
                total = s_part[:, pick[:, 0]]
                for j in range(1, m):
                    total += s_part[:, pick[:, j]]
                if singletons:  # every cluster holds one value: each resample holds m (added exactly)
                    means[a:a + step, start:stop] = total / float(m)
                    continue
                weight = c_part[:, pick[:, 0]]
                for j in range(1, m):
                    weight += c_part[:, pick[:, j]]
                means[a:a + step, start:stop] = total / weight
        low, high = np.quantile(means, [alpha, 1 - alpha], axis=1)
        for k, lo, hi in zip(members, low.tolist(), high.tolist()):
            out[k] = (lo, hi)
    return out


# ---- sentiment by article -------------------------------------------------------------------------------

SENTIMENT_SCHEMA = schema.REPORT_SENTIMENT.schema


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, DECIMALS)


def sentiment_units(analysis: Analysis) -> pl.DataFrame:
    """The scored units behind :func:`sentiment_by_article`: ``article_id``, ``series``, ``cluster``, ``value``.

    Article text: one row per body sentence (its compound), clustered by paragraph. Comments: one row per
    comment with text (its ``sent_score``), each its own cluster.
    """
    # lazily: the filters then copy only the columns selected, not every column of the table
    body = (analysis.paragraphs.lazy().filter(pl.col("role") == "body")
            .select(pl.col("paragraph_id").alias("unit_id")).collect())
    sent = (frame(analysis.sentences.filter(pl.col("kind") == "article")
                  .select("article_id", "unit_id", "voice", "compound"))
            .join(body, on="unit_id", how="semi", maintain_order="left")
            .select("article_id", pl.col("voice").alias("series"), pl.col("unit_id").alias("cluster"),
                    pl.col("compound").alias("value")))
    com = (analysis.comments.lazy().filter(pl.col("sent_score").is_not_null())
           .select("article_id", pl.lit("comments").alias("series"), pl.col("comment_id").alias("cluster"),
                   pl.col("sent_score").alias("value")).collect())
    return pl.concat([sent, com]).cast({"value": pl.Float64})


def sentiment_by_article(analysis: Analysis, *, resamples: int = RESAMPLES, seed: int = SEED,
                         level: float = LEVEL) -> pl.DataFrame:
    """One row per article (publication order) and series (:data:`SERIES`): ``n`` units, ``clusters``
    (paragraphs or comments), ``mean``, the bootstrap interval ``ci_low``/``ci_high`` (null for a
    ``small`` group or fewer than two clusters). Groups with no units have ``n`` 0 and null mean.
    """
    import numpy as np

    small_below = min_group(analysis)
    units = sentiment_units(analysis)
    # clusters and groups (article, series) numbered in order of first appearance, which within a group is
    # bootstrap_mean's numbering: each row's cluster and group by the position of its first row (a window over
    # the keys, with no join of the keys back onto the rows), numbered by sorting those positions
    first = units.with_row_index("_row").select(
        pl.col("_row").first().over(keys).alias(name)
        for name, keys in (("c", ["article_id", "series", "cluster"]), ("g", ["article_id", "series"])))
    cluster_rows, gid = np.unique(first.get_column("c").to_numpy(), return_inverse=True)
    group_rows, row_group = np.unique(first.get_column("g").to_numpy(), return_inverse=True)
    del first
    values = units.get_column("value").to_numpy()
    group_keys = units[group_rows].select("article_id", "series").with_row_index("g")
    del units
    n_clusters_all = len(cluster_rows)
    sums = np.bincount(gid, weights=values, minlength=n_clusters_all)  # in row order, as per group
    counts = np.bincount(gid, minlength=n_clusters_all).astype(float)
    # each cluster's group (its first row's), and each group's clusters in order of first appearance (ascending
    # numbers)
    group_of = row_group[cluster_rows]
    n_groups = group_keys.height
    n_clusters = np.bincount(group_of, minlength=n_groups)
    by_group = np.argsort(group_of, kind="stable")
    first_cluster = np.concatenate([[0], np.cumsum(n_clusters)])
    # each group's n and the sum of its values, added one by one in row order (as sum() of its values)
    n_units = np.bincount(row_group, minlength=n_groups)
    totals = np.bincount(row_group, weights=values, minlength=n_groups)
    del gid, values, row_group
    index = {(aid, series): g for g, aid, series in group_keys.iter_rows()}
    # the bootstrap resamples clusters (paragraphs, comments): a group is small by its clusters, not its
    # sentences (49 sentences in 2 paragraphs give an interval from 2 draws)
    wanted = [g for g in range(n_groups) if n_clusters[g] >= small_below]
    clusters_of = {g: by_group[first_cluster[g]:first_cluster[g + 1]] for g in wanted}
    found = bootstrap_cluster_means([(sums[clusters_of[g]], counts[clusters_of[g]]) for g in wanted],
                                    resamples=resamples, seed=seed, level=level)
    intervals = dict(zip(wanted, found))
    out = []
    for aid in article_order(analysis.articles).get_column("article_id"):
        for series in SERIES:
            g = index.get((aid, series))
            n = int(n_units[g]) if g is not None else 0
            k = int(n_clusters[g]) if g is not None else 0
            mean = float(totals[g]) / n if n else None
            ci = intervals.get(g) if g is not None else None
            out.append((aid, series, SERIES_UNITS[series], n, k, _r(mean),
                        _r(ci[0]) if ci else None, _r(ci[1]) if ci else None, k < small_below))
    return pl.DataFrame(out, schema=SENTIMENT_SCHEMA, orient="row")


# ---- topics ---------------------------------------------------------------------------------------------

TOPIC_SHARES_SCHEMA = schema.REPORT_TOPIC_SHARES.schema


def wilson(k: int, n: int, level: float = LEVEL) -> tuple[float, float]:
    """The Wilson score interval of the proportion k/n.

    >>> tuple(round(x, 4) for x in wilson(3, 10))
    (0.1078, 0.6032)
    """
    from statistics import NormalDist

    if not 0 <= k <= n or n <= 0:
        raise ValueError(f"a Wilson interval needs 0 <= k <= n and n > 0, not k={k}, n={n}")
    z = NormalDist().inv_cdf(0.5 + level / 2)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5
    return max(0.0, centre - half), min(1.0, centre + half)


def topic_units(analysis: Analysis) -> pl.DataFrame:
    """Units that can carry topics: body paragraphs (kind ``article``) and comments with text (``comment``),
    with ``article_id``, ``kind``, ``unit_id``, ``topic_tags``."""
    # lazily: the filters then copy only the columns selected
    para = (analysis.paragraphs.lazy().filter(pl.col("role") == "body")
            .select("article_id", pl.lit("article").alias("kind"), pl.col("paragraph_id").alias("unit_id"),
                    "topic_tags").collect())
    com = (analysis.comments.lazy().filter(pl.col("sent_n") > 0)
           .select("article_id", pl.lit("comment").alias("kind"), pl.col("comment_id").alias("unit_id"),
                   "topic_tags").collect())
    return pl.concat([para, com])


def unit_articles(analysis: Analysis, kind: str) -> list[str]:
    """The articles (publication order) with at least one unit of ``kind`` that can carry topics or actors;
    independent of the lexicon, so a lexicon without topics still has its columns."""
    present = set(topic_units(analysis).filter(pl.col("kind") == kind).get_column("article_id").to_list())
    return [aid for aid in article_order(analysis.articles).get_column("article_id") if aid in present]


def topic_shares(analysis: Analysis) -> pl.DataFrame:
    """One row per article (publication order), kind and topic (lexicon order): ``k`` units tagged of ``n``,
    ``share`` = k/n (null when n is 0), its 95% Wilson interval ``ci_low``/``ci_high`` (null for a ``small``
    group: n below the minimum group). Paragraphs and comments are the units tagged, so each is its own
    cluster."""
    small_below = min_group(analysis)
    units = topic_units(analysis).select("article_id", "kind", "topic_tags")
    topics = [(t.name, t.label) for t in analysis.lexicon.topics]
    # units per article and kind, and tags per article, kind and topic (a tag listed twice counts twice)
    n_by: dict[tuple[str, str], int] = {(aid, kind): n for aid, kind, n in
                                        units.group_by("article_id", "kind").len().iter_rows()}
    k_by: dict[tuple[str, str, str], int] = {
        (aid, kind, t): k for aid, kind, t, k in
        units.explode("topic_tags").drop_nulls("topic_tags").group_by("article_id", "kind", "topic_tags").len()
        .iter_rows()}
    del units
    # the share and interval of k of n, once per (k, n): most articles and topics repeat a few of them
    shares: dict[tuple[int, int], tuple] = {}

    def share(k: int, n: int) -> tuple:
        found = shares.get((k, n))
        if found is None:
            low, high = wilson(k, n) if n >= small_below else (None, None)
            found = shares[(k, n)] = (k, n, _r(k / n) if n else None, _r(low), _r(high), n < small_below)
        return found

    rows = []
    for aid in article_order(analysis.articles).get_column("article_id"):
        for kind in KINDS:
            n = n_by.get((aid, kind), 0)
            for name, label in topics:
                rows.append((aid, kind, name, label, *share(k_by.get((aid, kind, name), 0), n)))
    return pl.DataFrame(rows, schema=TOPIC_SHARES_SCHEMA, orient="row")


TOPICS_SCHEMA = schema.REPORT_TOPICS.schema


def topic_summary(analysis: Analysis, shares: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per topic (lexicon order): paragraphs and comments tagged (k of n, share), the number of
    articles where a paragraph or comment is tagged, and the evidence: ``hits`` and ``negated_hits``."""
    shares = topic_shares(analysis) if shares is None else shares
    units = topic_units(analysis)
    n = {kind: units.filter(pl.col("kind") == kind).height for kind in KINDS}
    tags = frame(analysis.tags.select("topic", "negated"))
    rows = []
    for t in analysis.lexicon.topics:
        s = shares.filter(pl.col("topic") == t.name)
        k = {kind: int(s.filter(pl.col("kind") == kind).get_column("k").sum()) for kind in KINDS}
        in_articles = s.filter(pl.col("k") > 0).get_column("article_id").n_unique()
        hits = tags.filter(pl.col("topic") == t.name)
        rows.append((t.name, t.label,
                     k["article"], n["article"], _r(k["article"] / n["article"]) if n["article"] else None,
                     k["comment"], n["comment"], _r(k["comment"] / n["comment"]) if n["comment"] else None,
                     in_articles, hits.height, hits.filter(pl.col("negated")).height))
    return pl.DataFrame(rows, schema=TOPICS_SCHEMA, orient="row")


def top_topics(summary: pl.DataFrame, top: int) -> list[str]:
    """The ``top`` topics with the most tagged units (paragraphs and comments together); ties in lexicon
    order. Topics never tagged are left out."""
    ranked = (summary.with_row_index("_lex")
              .with_columns((pl.col("article_k") + pl.col("comment_k")).alias("_k"))
              .filter(pl.col("_k") > 0)
              .sort(pl.col("_k"), "_lex", descending=[True, False]))
    return ranked.get_column("topic").head(top).to_list()


#: topics of the topic-shift figure: the lexicon's first LEADING_TOPICS topics always (a lexicon lists the
#: topics a study is about first: betrayal, unity and concessions in the default), then the most tagged
#: others up to SHIFT_TOPICS in all
LEADING_TOPICS = 3
SHIFT_TOPICS = 6


def shift_topics(analysis: Analysis, summary: pl.DataFrame | None = None, *, total: int = SHIFT_TOPICS,
                 leading: int = LEADING_TOPICS) -> list[str]:
    """The topics the topic-shift figure shows, in lexicon order: the lexicon's first ``leading`` topics,
    tagged or not, then the others with the most tagged units (paragraphs and comments together; ties in
    lexicon order) until there are ``total``."""
    names = [t.name for t in analysis.lexicon.topics]
    first = names[:leading]
    summary = topic_summary(analysis) if summary is None else summary
    others = [t for t in top_topics(summary, len(names)) if t not in first][:max(total - len(first), 0)]
    chosen = set(first) | set(others)
    return [t for t in names if t in chosen]


def outlets(analysis: Analysis) -> dict[str | None, str]:
    """A letter for each outlet (A, B, ...; None, an unknown outlet, gets ``?``), in the order of the outlets'
    first articles in publication order; empty when every article has the same outlet (nothing to tell
    apart)."""
    seen = list(dict.fromkeys(article_order(analysis.articles).get_column("outlet").to_list()))
    if len(seen) < 2:
        return {}
    letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    out: dict[str | None, str] = {}
    for o in seen:
        if o is None:
            out[o] = "?"
        else:
            k = next(letters, None)
            out[o] = k if k is not None else f"{len([v for v in out.values() if v != '?']) + 1}"
    return out


def outlet_key(analysis: Analysis) -> str:
    """The outlet letters spelled out, ``Outlets: A = Asbarez, B = news.am``; empty for a one-outlet corpus."""
    codes = outlets(analysis)
    return ("Outlets: " + ", ".join(f"{c} = {o if o is not None else 'unknown'}" for o, c in codes.items())
            if codes else "")


# ---- actors ---------------------------------------------------------------------------------------------

ACTORS_BY_ARTICLE_SCHEMA = schema.REPORT_ACTORS_BY_ARTICLE.schema


def actors_by_article(analysis: Analysis) -> pl.DataFrame:
    """``Analysis.actor_sentiment`` in publication and lexicon order, with the actor's label."""
    order = article_order(analysis.articles).select("article_id", "order")
    lex = pl.DataFrame({"actor": [a.name for a in analysis.lexicon.actors],
                        "label": [a.label for a in analysis.lexicon.actors]},
                       schema={"actor": pl.String, "label": pl.String}).with_row_index("_lex")
    kinds = pl.DataFrame({"kind": list(KINDS)}).with_row_index("_kind")
    out = (analysis.actor_sentiment
           .join(order, on="article_id", how="left")
           .join(lex, on="actor", how="left")
           .join(kinds, on="kind", how="left")
           .with_columns(pl.col("label").fill_null(pl.col("actor")), pl.col("mean").round(DECIMALS))
           .sort("order", "_kind", "_lex", "actor", nulls_last=True))
    return out.select(list(ACTORS_BY_ARTICLE_SCHEMA)).cast(ACTORS_BY_ARTICLE_SCHEMA)


ACTORS_SCHEMA = schema.REPORT_ACTORS.schema


def actor_summary(analysis: Analysis) -> pl.DataFrame:
    """One row per actor (lexicon order): ``mentions`` (alias hits), and per kind the sentences mentioning
    the actor (``n``, each counted once) with their mean compound; ``articles`` where it is mentioned."""
    small_below = min_group(analysis)
    mentions = analysis.mentions.lazy().select("article_id", "kind", "sentence_id", "actor", "compound")
    rows = []
    for a in analysis.lexicon.actors:
        # one actor's mentions at a time (the whole table with its sentence ids is millions of rows), each
        # sentence once: its first mention, in table order
        hits = frame(mentions.filter(pl.col("actor") == a.name))
        s = hits.unique(["sentence_id"], keep="first", maintain_order=True)
        row: list = [a.name, a.label, hits.height]
        for kind in KINDS:
            sk = s.filter(pl.col("kind") == kind)
            n = sk.height
            mean = sk.get_column("compound").mean() if n else None
            row += [n, _r(mean), n < small_below]  # type: ignore[arg-type]
        row.append(hits.get_column("article_id").n_unique())
        rows.append(tuple(row))
    return pl.DataFrame(rows, schema=ACTORS_SCHEMA, orient="row")


# ---- the article summary --------------------------------------------------------------------------------

ARTICLE_SUMMARY_SCHEMA = schema.REPORT_ARTICLES.schema


def article_summary(analysis: Analysis, sentiment: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per article in publication order: body paragraphs and sentences, comments (all, placeholders
    included), distinct authors, replies, and for each series (:data:`SERIES`) n, mean and interval."""
    sentiment = sentiment_by_article(analysis) if sentiment is None else sentiment
    sent = {(r["article_id"], r["series"]): r for r in sentiment.iter_rows(named=True)}
    # lazily: the filters then copy only the columns they need, not every column of the table
    body = analysis.paragraphs.lazy().filter(pl.col("role") == "body").select("article_id", "paragraph_id").collect()
    n_par = dict(body.group_by("article_id").len().iter_rows())
    n_sent = dict(frame(analysis.sentences.filter(pl.col("kind") == "article").select("article_id", "unit_id"))
                  .join(body.select(pl.col("paragraph_id").alias("unit_id")), on="unit_id", how="semi")
                  .group_by("article_id").len().iter_rows())
    c = analysis.comments.lazy()
    authors = dict(c.group_by("article_id").agg(pl.col("author").drop_nulls().n_unique()).collect().iter_rows())
    replies = dict(c.filter(pl.col("depth") > 0).group_by("article_id").len().collect().iter_rows())
    rows = []
    for a in article_order(analysis.articles).iter_rows(named=True):
        aid = a["article_id"]
        row = [aid, a["published"], a["date_estimated"], a["title"], a["outlet"], n_par.get(aid, 0),
               n_sent.get(aid, 0), a["n_comments"], authors.get(aid, 0), replies.get(aid, 0)]
        for s in SERIES:
            r = sent[(aid, s)]
            row += [r["n"], r["mean"], r["ci_low"], r["ci_high"]]
        rows.append(tuple(row))
    return pl.DataFrame(rows, schema=ARTICLE_SUMMARY_SCHEMA, orient="row")


def speakers(analysis: Analysis) -> pl.DataFrame:
    """``Analysis.speakers`` with the mean score rounded, most active first (ties by name)."""
    return (analysis.speakers.with_columns(pl.col("mean_score").round(DECIMALS))
            .sort(pl.col("n_comments"), pl.col("author"), descending=[True, False], nulls_last=True))


# ---- all of them ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReportTables:
    """Every aggregate table of the report, computed once by :func:`report_tables`."""

    articles: pl.DataFrame
    sentiment: pl.DataFrame
    topics: pl.DataFrame
    topics_by_article: pl.DataFrame
    actors: pl.DataFrame
    actors_by_article: pl.DataFrame
    speakers: pl.DataFrame

    #: table name -> (file stem, also written as LaTeX)
    FILES = {"articles": ("articles", True), "topics": ("topics", True), "actors": ("actors", True),
             "sentiment": ("sentiment", False), "topics_by_article": ("topics_by_article", False),
             "actors_by_article": ("actors_by_article", False), "speakers": ("speakers", False)}


def report_tables(analysis: Analysis, *, resamples: int = RESAMPLES, seed: int = SEED,
                  sentiment: pl.DataFrame | None = None) -> ReportTables:
    """Compute every aggregate table once; ``sentiment``: :func:`sentiment_by_article` of ``analysis`` (with
    ``resamples`` and ``seed``) when it is known already."""
    if sentiment is None:
        sentiment = sentiment_by_article(analysis, resamples=resamples, seed=seed)
    shares = topic_shares(analysis)
    return ReportTables(
        articles=article_summary(analysis, sentiment), sentiment=sentiment,
        topics=topic_summary(analysis, shares), topics_by_article=shares,
        actors=actor_summary(analysis), actors_by_article=actors_by_article(analysis),
        speakers=speakers(analysis),
    )
