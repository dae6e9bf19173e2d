"""discourse's measures against hand labels: :func:`validate_labels` and the tables it returns.

Gold is, per comment and measure, the label most of its annotators gave; a tie leaves the comment out of that
measure (counted in ``Validation.settings["ties"]``). Estimates are weighted by inverse inclusion probability
when the labels carry it (a sample from ``discourse annotate``), unweighted otherwise.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import polars as pl

from discourse import schema
from discourse.errors import ConfigError, LabelsError
from discourse.sentiment import POSITIVE_THRESHOLD
from discourse.validation import correct
from discourse.validation.labels import SENTIMENTS, Labels, read_labels
from discourse.validation.metrics import (
    cohen_kappa,
    f1,
    krippendorff_alpha,
    macro_f1,
    percentile_interval,
    ratio,
    resample_counts,
    weighted_share,
)

#: comment scores compared with the hand sentiment labels: method -> how the score is found
METHODS = {
    "sentence_mean": "sent_score (mean of sentence compounds)",
    "own_voice": "sent_own (own-voice sentences; sent_score where the comment has none)",
    "whole_text": "sent_compound (VADER on the whole text)",
    "majority_class": "always the most frequent gold label",
}
MIN_GROUP = 5
T = TypeVar("T")


def _collect(table: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    return table.collect() if isinstance(table, pl.LazyFrame) else table


def _label(score: float | None) -> str | None:
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    return "positive" if score >= POSITIVE_THRESHOLD else "negative" if score <= -POSITIVE_THRESHOLD else "neutral"


def _majority(values: Iterable[T]) -> tuple[T | None, bool]:
    """The most frequent value, and False when two values tie for it."""
    top = Counter(values).most_common(2)
    if len(top) > 1 and top[0][1] == top[1][1]:
        return None, False
    return top[0][0], True


@dataclass(frozen=True)
class Validation:
    """Every table of a validation (schemas in docs/schema.md) and the settings that made it."""

    topics: pl.DataFrame
    sentiment: pl.DataFrame
    confusion: pl.DataFrame
    agreement: pl.DataFrame
    entries: pl.DataFrame
    errors: pl.DataFrame
    corrected_topics: pl.DataFrame
    corrected_sentiment: pl.DataFrame
    labels: Labels = field(repr=False)
    settings: dict = field(default_factory=dict)

    TABLES = ("topics", "sentiment", "confusion", "agreement", "entries", "errors", "corrected_topics",
              "corrected_sentiment")

    def tables(self) -> dict[str, pl.DataFrame]:
        """The tables by their schema names (``validation_topics`` ...), in a fixed order."""
        names = {"topics": "validation_topics", "sentiment": "validation_sentiment",
                 "confusion": "validation_confusion", "agreement": "validation_agreement",
                 "entries": "validation_entries", "errors": "validation_errors"}
        return {names.get(t, t): getattr(self, t) for t in self.TABLES}

    def quality(self) -> dict[str, str]:
        """One sentence per measure stating its measured quality, for captions (see
        :func:`discourse.validation.output.quality_notes`)."""
        from discourse.validation.output import quality_notes

        return quality_notes(self)

    def summary(self) -> str:
        """A plain-text summary for the terminal."""
        from discourse.validation.output import render_summary

        return render_summary(self)


def validate_labels(analysis, labels: Labels | str | Path | Sequence[str | Path], *, replicates: int = 2000,
                    seed: int = 0, min_group: int = MIN_GROUP) -> Validation:
    """Compare an analysis (``discourse.analyze``) with hand labels (a :class:`Labels` or labels files).

    ``replicates`` bootstrap replicates (seeded by ``seed``) give the intervals of F1, the averages and the
    corrected shares.

    >>> v = validate_labels(discourse.analyze("threads"), "labels.csv")   # doctest: +SKIP
    >>> v.topics.select("topic", "precision", "recall", "f1")             # doctest: +SKIP
    """
    topic_keys = [t.name for t in analysis.lexicon.topics]
    comments = analysis.comments
    if not isinstance(labels, Labels):
        labels = read_labels(labels, comments, topic_keys)
    elif list(labels.topic_keys) != topic_keys:
        raise LabelsError("the labels were read for other topics than the analysis's lexicon",
                          hint="read them again with the analysis's topics")
    if replicates < 100:
        raise ConfigError(f"replicates must be at least 100, got {replicates}", hint="use 2000 (the default)")
    rng = np.random.default_rng(seed)
    ctx = _Context.build(analysis, labels)
    counts = resample_counts(len(ctx.ids), replicates, rng)
    topics = _topic_metrics(ctx, topic_keys, counts, min_group)
    sentiment, confusion = _sentiment_metrics(ctx, counts)
    agreement = _agreement(labels, topic_keys)
    entries = _entries(ctx, analysis)
    errors = _errors(ctx, analysis, topic_keys)
    corrected_topics = _corrected_topics(ctx, topic_keys, counts, rng)
    corrected_sentiment = _corrected_sentiment(ctx, counts, rng)
    settings = {
        "labels": list(labels.files), "annotators": labels.annotators, "comments_labelled": len(ctx.ids),
        "rows": labels.rows.height, "repeated_rows": labels.repeated, "empty_rows": labels.empty,
        "weighted": labels.weighted, "replicates": replicates, "seed": seed, "ties": ctx.ties,
        "lexicon": analysis.lexicon.sha256,
    }
    return Validation(topics, sentiment, confusion, agreement, entries, errors, corrected_topics,
                      corrected_sentiment, labels, settings)


@dataclass
class _Context:
    """The labelled comments as arrays: ids, weights, gold and predictions."""

    ids: list[str]
    weights: np.ndarray
    gold_topics: dict[str, np.ndarray]        # topic -> 1 / 0 / -1 (no gold) per comment
    tagged: dict[str, np.ndarray]             # topic -> bool per comment
    gold_sentiment: list[str | None]
    scores: dict[str, list[str | None]]       # method -> predicted label per comment
    comments: pl.DataFrame                    # the analysis's comments
    ties: dict[str, int]

    @classmethod
    def build(cls, analysis, labels: Labels) -> _Context:
        ids = list(dict.fromkeys(labels.rows.get_column("comment_id").to_list()))
        position = {c: i for i, c in enumerate(ids)}
        if labels.weighted:
            first = labels.rows.unique("comment_id", keep="first", maintain_order=True)
            p = dict(first.select("comment_id", "inclusion_probability").iter_rows())
            weights = np.array([1.0 / p[c] for c in ids])
        else:
            weights = np.ones(len(ids))
        ties: dict[str, int] = {}
        sentiment: list[str | None] = [None] * len(ids)
        by_comment: dict[str, list[str]] = {}
        for cid, value in labels.rows.select("comment_id", "sentiment").iter_rows():
            if value is not None:
                by_comment.setdefault(cid, []).append(value)
        for cid, values in by_comment.items():
            majority, decided = _majority(values)
            if decided:
                sentiment[position[cid]] = majority
            else:
                ties["sentiment"] = ties.get("sentiment", 0) + 1
        gold_topics = {t: np.full(len(ids), -1, dtype=int) for t in labels.topic_keys}
        grouped: dict[tuple[str, str], list[bool]] = {}
        for cid, topic, label in labels.topics.select("comment_id", "topic", "label").iter_rows():
            grouped.setdefault((topic, cid), []).append(label)
        for (topic, cid), marks in grouped.items():
            mark, decided = _majority(marks)
            if decided:
                gold_topics[topic][position[cid]] = int(bool(mark))
            else:
                ties[topic] = ties.get(topic, 0) + 1
        comments = analysis.comments
        chosen = (pl.DataFrame({"comment_id": ids}, schema={"comment_id": pl.String})
                  .join(comments, on="comment_id", how="left", maintain_order="left"))
        tags = chosen.get_column("topic_tags").to_list()
        tagged = {t: np.array([t in (ts or ()) for ts in tags], dtype=bool) for t in labels.topic_keys}
        score = chosen.get_column("sent_score").to_list()
        own = chosen.get_column("sent_own").to_list()
        scores = {
            "sentence_mean": [_label(s) for s in score],
            "own_voice": [_label(o if o is not None else s) for o, s in zip(own, score)],
            "whole_text": [_label(s) if m is not None else None
                           for s, m in zip(chosen.get_column("sent_compound").to_list(), score)],
        }
        return cls(ids, weights, gold_topics, tagged, sentiment, scores, comments, ties)


def _topic_metrics(ctx: _Context, topics: Sequence[str], counts: np.ndarray, min_group: int) -> pl.DataFrame:
    rows = []
    w = ctx.weights
    replicate_weights = counts * w
    tp_l: list[np.ndarray] = []
    fp_l: list[np.ndarray] = []
    fn_l: list[np.ndarray] = []
    totals = {"n": 0, "positives": 0, "tagged": 0, "tp": 0, "fp": 0, "fn": 0}
    for topic in topics:
        gold = ctx.gold_topics[topic]
        has = gold >= 0
        y = (gold == 1) & has
        yhat = ctx.tagged[topic] & has
        tp, fp, fn = y & yhat, ~y & yhat & has, y & ~yhat
        precision = weighted_share(y[yhat], w[yhat])
        recall = weighted_share(yhat[y], w[y])
        tp_l.append(replicate_weights @ tp)
        fp_l.append(replicate_weights @ fp)
        fn_l.append(replicate_weights @ fn)
        f1_point = float(f1(w @ tp, w @ fp, w @ fn))
        f1_low, f1_high = percentile_interval(f1(tp_l[-1], fp_l[-1], fn_l[-1]))
        n = {"n": int(has.sum()), "positives": int(y.sum()), "tagged": int(yhat.sum()), "tp": int(tp.sum()),
             "fp": int(fp.sum()), "fn": int(fn.sum())}
        for key in totals:
            totals[key] += n[key]
        rows.append({"topic": topic, **n, **_interval("precision", precision), **_interval("recall", recall),
                     "f1": f1_point, "f1_low": f1_low, "f1_high": f1_high,
                     "small": n["positives"] < min_group or n["tagged"] < min_group})
    tp_b, fp_b, fn_b = (np.vstack(x) if x else np.zeros((0, counts.shape[0])) for x in (tp_l, fp_l, fn_l))
    # micro: pooled over topics, point estimate from the weighted counts
    tp_w = sum(ctx.weights @ ((ctx.gold_topics[t] == 1) & ctx.tagged[t]) for t in topics)
    fp_w = sum(ctx.weights @ ((ctx.gold_topics[t] == 0) & ctx.tagged[t]) for t in topics)
    fn_w = sum(ctx.weights @ ((ctx.gold_topics[t] == 1) & ~ctx.tagged[t]) for t in topics)
    micro_p = ratio(tp_b.sum(0), tp_b.sum(0) + fp_b.sum(0))
    micro_r = ratio(tp_b.sum(0), tp_b.sum(0) + fn_b.sum(0))
    rows.append({"topic": "micro", **totals,
                 "precision": float(ratio(tp_w, tp_w + fp_w)), **_bounds("precision", micro_p),
                 "recall": float(ratio(tp_w, tp_w + fn_w)), **_bounds("recall", micro_r),
                 "f1": float(f1(tp_w, fp_w, fn_w)), **_bounds("f1", f1(tp_b.sum(0), fp_b.sum(0), fn_b.sum(0))),
                 "small": totals["positives"] < min_group or totals["tagged"] < min_group})
    # macro: mean over the topics that have positives or tags (F1 defined)
    per_topic = [r for r in rows[:-1]]
    macro = {}
    for measure, b in (("precision", ratio(tp_b, tp_b + fp_b)), ("recall", ratio(tp_b, tp_b + fn_b)),
                       ("f1", f1(tp_b, fp_b, fn_b))):
        values = [r[measure] for r in per_topic if r[measure] is not None and not math.isnan(r[measure])]
        macro[measure] = float(np.mean(values)) if values else math.nan
        finite = np.isfinite(b)
        mean_b = np.where(finite.sum(0) > 0, np.where(finite, b, 0).sum(0) / np.maximum(finite.sum(0), 1), np.nan)
        macro.update(_bounds(measure, mean_b))
    rows.append({"topic": "macro", "n": totals["n"], "positives": None, "tagged": None, "tp": None, "fp": None,
                 "fn": None, **macro, "small": any(r["small"] for r in per_topic)})
    return _nan_to_null(schema.frame(schema.VALIDATION_TOPICS, rows))


def _interval(name: str, estimate: tuple[float, float, float]) -> dict:
    return {name: estimate[0], f"{name}_low": estimate[1], f"{name}_high": estimate[2]}


def _bounds(name: str, replicates: np.ndarray) -> dict:
    low, high = percentile_interval(np.asarray(replicates, dtype=float))
    return {f"{name}_low": low, f"{name}_high": high}


def _nan_to_null(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(pl.col(c).fill_nan(None) for c, t in df.schema.items() if t == pl.Float64)


def _sentiment_metrics(ctx: _Context, counts: np.ndarray) -> tuple[pl.DataFrame, pl.DataFrame]:
    gold_all = np.array([g if g is not None else "" for g in ctx.gold_sentiment], dtype=object)
    has_gold = gold_all != ""
    w = ctx.weights
    weighted_counts: Counter[str] = Counter()
    for g, wi in zip(gold_all[has_gold], w[has_gold]):
        weighted_counts[g] += wi
    majority = min(SENTIMENTS, key=lambda c: (-weighted_counts[c], SENTIMENTS.index(c))) if weighted_counts else None
    predictions = dict(ctx.scores)
    predictions["majority_class"] = [majority] * len(ctx.ids)
    rows, matrix = [], []
    for method in METHODS:
        pred = np.array([p if p is not None else "" for p in predictions[method]], dtype=object)
        use = has_gold & (pred != "")
        g, p, wm = gold_all[use], pred[use], w[use]
        accuracy = weighted_share(g == p, wm) if use.any() else (math.nan,) * 3
        point = float(macro_f1(g, p, wm, SENTIMENTS)[0]) if use.any() else math.nan
        low, high = percentile_interval(macro_f1(g, p, counts[:, use] * wm, SENTIMENTS)) if use.any() else (
            math.nan, math.nan)
        rows.append({"method": method, "n": int(use.sum()), **_interval("accuracy", accuracy),
                     "macro_f1": point, "macro_f1_low": low, "macro_f1_high": high})
        for gold_class in SENTIMENTS:
            in_class = g == gold_class
            total = float(wm[in_class].sum())
            for predicted in SENTIMENTS:
                hit = in_class & (p == predicted)
                matrix.append({"method": method, "gold": gold_class, "predicted": predicted, "n": int(hit.sum()),
                               "share": float(wm[hit].sum()) / total if total > 0 else None})
    return (_nan_to_null(schema.frame(schema.VALIDATION_SENTIMENT, rows)),
            schema.frame(schema.VALIDATION_CONFUSION, matrix))


def _agreement(labels: Labels, topics: Sequence[str]) -> pl.DataFrame:
    annotators = labels.annotators
    rows: list[dict[str, Any]] = []
    if len(annotators) < 2:
        return schema.frame(schema.VALIDATION_AGREEMENT, rows)
    measures: list[tuple[str, dict[tuple[str, str], object]]] = []
    sentiment = {(c, a): s for c, a, s in labels.rows.select("comment_id", "annotator", "sentiment").iter_rows()
                 if s is not None}
    measures.append(("sentiment", sentiment))
    for topic in topics:
        part = labels.topics.filter(pl.col("topic") == topic)
        measures.append((topic, {(c, a): v for c, a, v in part.select("comment_id", "annotator", "label").iter_rows()}))
    for measure, values in measures:
        units = sorted({c for c, _ in values})
        shared = [c for c in units if sum((c, a) in values for a in annotators) >= 2]
        categories = sorted({v for v in values.values()}, key=str)
        code = {v: float(i) for i, v in enumerate(categories)}
        data = np.array([[code[values[(c, a)]] if (c, a) in values else np.nan for c in shared]
                         for a in annotators], dtype=float)
        alpha = krippendorff_alpha(data) if shared else math.nan
        rows.append({"measure": measure, "statistic": "krippendorff_alpha", "annotators": "all", "n": len(shared),
                     "value": alpha})
        for a, b in itertools.combinations(annotators, 2):
            both = [c for c in units if (c, a) in values and (c, b) in values]
            kappa = cohen_kappa([str(values[(c, a)]) for c in both], [str(values[(c, b)]) for c in both])
            rows.append({"measure": measure, "statistic": "cohen_kappa", "annotators": f"{a}|{b}", "n": len(both),
                         "value": kappa})
    return _nan_to_null(schema.frame(schema.VALIDATION_AGREEMENT, rows))


def _entries(ctx: _Context, analysis) -> pl.DataFrame:
    position = {c: i for i, c in enumerate(ctx.ids)}
    hits = (_collect(analysis.tags)
            .filter((pl.col("kind") == "comment") & ~pl.col("negated")
                    & pl.col("unit_id").is_in(pl.Series(ctx.ids, dtype=pl.String).implode()))
            .select("topic", "entry", "unit_id").unique(maintain_order=True))
    order = {t.name: k for k, t in enumerate(analysis.lexicon.topics)}
    fired: dict[tuple[str, str], list[int]] = {}
    for topic, entry, unit in hits.iter_rows():
        if topic in ctx.gold_topics and ctx.gold_topics[topic][position[unit]] >= 0:
            fired.setdefault((topic, entry), []).append(position[unit])
    rows = []
    for (topic, entry), where in sorted(fired.items(), key=lambda kv: (order.get(kv[0][0], 0), kv[0][1])):
        idx = np.array(where)
        correct_ = ctx.gold_topics[topic][idx] == 1
        share = weighted_share(correct_, ctx.weights[idx])
        rows.append({"topic": topic, "entry": entry, "n": len(where), "correct": int(correct_.sum()),
                     **_interval("precision", share)})
    return _nan_to_null(schema.frame(schema.VALIDATION_ENTRIES, rows))


def _errors(ctx: _Context, analysis, topics: Sequence[str]) -> pl.DataFrame:
    comments = ctx.comments
    info = {r["comment_id"]: r for r in comments.select("comment_id", "article_id", "parent_id", "text").iter_rows(named=True)}
    texts = dict(comments.select("comment_id", "text").iter_rows())
    titles = dict(analysis.articles.select("article_id", "title").iter_rows())
    hits = (_collect(analysis.tags)
            .filter((pl.col("kind") == "comment") & ~pl.col("negated")
                    & pl.col("unit_id").is_in(pl.Series(ctx.ids, dtype=pl.String).implode()))
            .select("unit_id", "topic", "entry"))
    entries: dict[tuple[str, str], list[str]] = {}
    for unit, topic, entry in hits.iter_rows():
        found = entries.setdefault((unit, topic), [])
        if entry not in found:
            found.append(entry)
    rows = []
    for topic in topics:
        gold, tagged = ctx.gold_topics[topic], ctx.tagged[topic]
        for i, cid in enumerate(ctx.ids):
            error = "missed" if gold[i] == 1 and not tagged[i] else "wrong" if gold[i] == 0 and tagged[i] else None
            if error is None:
                continue
            c = info[cid]
            rows.append({"topic": topic, "error": error, "comment_id": cid, "article_title": titles.get(c["article_id"]),
                         "parent_text": texts.get(c["parent_id"]) if c["parent_id"] else None, "text": c["text"],
                         "entries": "; ".join(entries.get((cid, topic), [])) if error == "wrong" else None})
    return schema.frame(schema.VALIDATION_ERRORS, rows)


def _corrected_topics(ctx: _Context, topics: Sequence[str], counts: np.ndarray,
                      rng: np.random.Generator) -> pl.DataFrame:
    frame = ctx.comments.filter(~pl.col("text_missing")).select("article_id", "topic_tags")
    articles = list(dict.fromkeys(frame.get_column("article_id").to_list()))
    rows = []
    for topic in topics:
        gold = ctx.gold_topics[topic]
        has = gold >= 0
        if not has.any():
            continue
        fit = correct.TopicCorrection.fit(gold[has] == 1, ctx.tagged[topic][has], ctx.weights[has], counts[:, has])
        per_article = (frame.group_by("article_id", maintain_order=True)
                       .agg(n=pl.len(), tagged=pl.col("topic_tags").list.contains(topic).sum()))
        tallies = {a: (n, t) for a, n, t in per_article.iter_rows()}
        n_all = np.array([tallies[a][0] for a in articles])
        tagged_all = np.array([tallies[a][1] for a in articles])
        corrected, low, high = fit.shares(tagged_all, n_all, rng)
        for j, article in enumerate(articles):
            n, tagged = int(n_all[j]), int(tagged_all[j])
            rows.append({"article_id": article, "topic": topic, "n": n, "observed": tagged / n if n else None,
                         "corrected": corrected[j], "low": low[j], "high": high[j], "sensitivity": fit.sensitivity,
                         "specificity": fit.specificity, "n_labelled": int(has.sum())})
    return _nan_to_null(schema.frame(schema.CORRECTED_TOPICS, rows))


def _corrected_sentiment(ctx: _Context, counts: np.ndarray, rng: np.random.Generator) -> pl.DataFrame:
    gold = correct.codes(ctx.gold_sentiment, SENTIMENTS)
    predicted = correct.codes(ctx.scores["sentence_mean"], SENTIMENTS)
    use = (gold >= 0) & (predicted >= 0)
    rows: list[dict[str, Any]] = []
    if not use.any():
        return schema.frame(schema.CORRECTED_SENTIMENT, rows)
    fit = correct.LabelCorrection.fit(gold[use], predicted[use], ctx.weights[use], counts[:, use], len(SENTIMENTS))
    frame = ctx.comments.filter(pl.col("sent_label").is_not_null()).select("article_id", "sent_label")
    for (article,), part in frame.group_by("article_id", maintain_order=True):
        tally = Counter(part.get_column("sent_label").to_list())
        observed = np.array([tally[s] for s in SENTIMENTS], dtype=float)
        point, low, high = fit.shares(observed, rng)
        n = int(observed.sum())
        for j, label in enumerate(SENTIMENTS):
            rows.append({"article_id": article, "label": label, "n": n, "observed": observed[j] / n,
                         "corrected": point[j], "low": low[j], "high": high[j], "n_labelled": int(use.sum())})
    return _nan_to_null(schema.frame(schema.CORRECTED_SENTIMENT, rows))
