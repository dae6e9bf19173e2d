"""Supervised taggers fitted on hand labels: ``discourse train`` and ``--tagger MODEL``.

One regularised logistic regression per topic (tagged / not tagged) and one multinomial regression for the
comment sentiment label (negative / neutral / positive), on these features of a scored comment:

- word and two-word phrase presence (lower-cased words of :data:`TOKEN`; vocabulary: the n-grams seen in at
  least ``min_df`` labelled comments);
- the lexicon's verdict per topic (``lexicon_weight`` when the lexicon tags the topic, 0 otherwise: a larger
  value lets the regularised model lean on the lexicon more than on any one word; default
  :data:`LEXICON_WEIGHT`, chosen by cross-validation on the development set);
- the VADER scores ``sent_score``, ``sent_compound``, ``sent_pos``, ``sent_neu``, ``sent_neg``.

Fitting needs scikit-learn (the optional extra ``train``). The model is written as JSON (vocabulary,
coefficients, intercepts, feature settings, the topics, a format version and a SHA-256 checksum of the
rest); reading and applying it is :mod:`discourse.scoring.tagger` (numpy alone, no pickle), re-exported
here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import polars as pl

from discourse.errors import ConfigError
from discourse.scoring.tagger import (  # noqa: F401  (the applying half, re-exported)
    LEXICON_WEIGHT,
    SCORES,
    ModelError,
    Tagger,
    apply_tagger,
    explain_comment,
    explain_unit,
    features,
    load_tagger,
    ngrams,
    provenance,
)
from discourse.validation.labels import SENTIMENTS, Labels


def _sklearn():
    try:
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold
    except ImportError:
        raise ConfigError("discourse train needs scikit-learn",
                          hint="pip install 'discourse[train]' (applying a model with --tagger does not need it)"
                          ) from None
    return LogisticRegression, StratifiedKFold


# --- gold labels ---------------------------------------------------------------------------------------------

def gold(labels: Labels) -> tuple[dict[str, dict[str, bool]], dict[str, str]]:
    """Per comment the majority label of each topic and of sentiment (ties left out)."""
    from discourse.validation.validate import _majority

    topics: dict[str, dict[str, bool]] = {}
    votes: dict[tuple[str, str], list[bool]] = {}
    for cid, topic, label in labels.topics.select("comment_id", "topic", "label").iter_rows():
        votes.setdefault((cid, topic), []).append(bool(label))
    for (cid, topic), vs in votes.items():
        value, ok = _majority(vs)
        if ok:
            topics.setdefault(cid, {})[topic] = bool(value)
    sent_votes: dict[str, list[str]] = {}
    for cid, s in labels.rows.select("comment_id", "sentiment").iter_rows():
        if s is not None:
            sent_votes.setdefault(cid, []).append(s)
    sentiment: dict[str, str] = {}
    for cid, svs in sent_votes.items():
        label, agreed = _majority(svs)
        if agreed and label is not None:
            sentiment[cid] = label
    return topics, sentiment


# --- fitting -------------------------------------------------------------------------------------------------

def _vocabulary(texts: Sequence[str | None], min_df: int, n: int) -> tuple[str, ...]:
    df: dict[str, int] = {}
    for t in texts:
        for g in ngrams(t, n):
            df[g] = df.get(g, 0) + 1
    return tuple(sorted(g for g, c in df.items() if c >= min_df))


def _fit_binary(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    LogisticRegression, _ = _sklearn()
    if y.min() == y.max():   # one class only: a constant model
        return np.zeros(x.shape[1]), (8.0 if y[0] else -8.0)
    m = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, solver="liblinear")
    m.fit(x, y)
    return m.coef_[0].copy(), float(m.intercept_[0])


def _fit_multi(x: np.ndarray, y: Sequence[str], c: float) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    LogisticRegression, _ = _sklearn()
    classes = tuple(s for s in SENTIMENTS if s in set(y))
    if len(classes) < 2:
        return classes, np.zeros((len(classes), x.shape[1])), np.zeros(len(classes))
    m = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    m.fit(x, list(y))
    order = [list(m.classes_).index(s) for s in classes]
    coef, intercept = m.coef_, m.intercept_
    if len(classes) == 2:   # sklearn keeps one row for two classes: the second class against the first
        coef = np.vstack([np.zeros(x.shape[1]), coef[0]])
        intercept = np.array([0.0, intercept[0]])
        return tuple(m.classes_), coef, intercept
    return classes, coef[order], intercept[order]


def fit(analysis, labels: Labels, *, comment_ids: Iterable[str] | None = None, c: float = 1.0, min_df: int = 2,
        ngram: int = 2, lexicon_weight: float = LEXICON_WEIGHT) -> Tagger:
    """Fit a tagger on the labelled comments of ``analysis`` (those in ``comment_ids`` when given)."""
    topic_gold, sent_gold = gold(labels)
    keep = set(topic_gold) | set(sent_gold)
    if comment_ids is not None:
        keep &= set(comment_ids)
    comments = analysis.comments.filter(pl.col("comment_id").is_in(sorted(keep)))
    if comments.height == 0:
        raise ConfigError("no labelled comment to train on",
                          hint="the labels file's comment ids must name comments of the corpus")
    topics = tuple(labels.topic_keys)
    vocabulary = _vocabulary(comments.get_column("text").to_list(), min_df, ngram)
    x = features(comments, vocabulary, topics, ngram, lexicon_weight)
    ids = comments.get_column("comment_id").to_list()
    coefs, intercepts = [], []
    for t in topics:
        rows = [i for i, cid in enumerate(ids) if t in topic_gold.get(cid, {})]
        if not rows:
            coefs.append(np.zeros(x.shape[1]))
            intercepts.append(-8.0)
            continue
        y = np.array([topic_gold[ids[i]][t] for i in rows])
        w, b = _fit_binary(x[rows], y, c)
        coefs.append(w)
        intercepts.append(b)
    rows = [i for i, cid in enumerate(ids) if cid in sent_gold]
    if rows:
        classes, sc, si = _fit_multi(x[rows], [sent_gold[ids[i]] for i in rows], c)
    else:
        classes, sc, si = (), np.zeros((0, x.shape[1])), np.zeros(0)
    settings = {"ngram": ngram, "min_df": min_df, "C": c, "lexicon_weight": lexicon_weight,
                "class_weight": "balanced", "trained_on": len(ids),
                "lexicon": analysis.settings.get("lexicon")}
    return Tagger(vocabulary, topics, np.array(coefs).reshape(len(topics), x.shape[1]), np.array(intercepts),
                  classes, sc, si, settings)


# --- comparison ----------------------------------------------------------------------------------------------

def _prf(pairs: Sequence[tuple[bool, bool]]) -> tuple[int, float, float, float, int]:
    tp = sum(1 for p, g in pairs if p and g)
    fp = sum(1 for p, g in pairs if p and not g)
    fn = sum(1 for p, g in pairs if g and not p)
    prec = tp / (tp + fp) if tp + fp else float("nan")
    rec = tp / (tp + fn) if tp + fn else float("nan")
    f = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
    return len(pairs), prec, rec, f, tp + fn


def _sentiment_scores(pairs: Sequence[tuple[str | None, str]]) -> tuple[int, float, float]:
    n = len(pairs)
    acc = sum(1 for p, g in pairs if p == g) / n if n else float("nan")
    f1s = []
    for s in SENTIMENTS:
        tp = sum(1 for p, g in pairs if p == s and g == s)
        fp = sum(1 for p, g in pairs if p == s and g != s)
        fn = sum(1 for p, g in pairs if g == s and p != s)
        if tp + fp + fn:
            f1s.append(2 * tp / (2 * tp + fp + fn))
    return n, acc, (sum(f1s) / len(f1s)) if f1s else float("nan")


def compare(predicted: dict[str, tuple[list[str], str | None]], analysis, labels: Labels,
            comment_ids: Iterable[str]) -> pl.DataFrame:
    """The model's predictions (comment id -> (topic tags, sentiment label)) beside the lexicon's tags and
    VADER's ``sent_label`` on the same labelled comments: one row per topic, ``micro`` over all topics, and
    ``sentiment``. Columns: measure, n, positives, then precision/recall/F1 (topics) or accuracy/macro-F1
    (sentiment) for the model and for the lexicon/VADER."""
    topic_gold, sent_gold = gold(labels)
    ids = set(comment_ids)
    base = {cid: (tags or [], lab) for cid, tags, lab in
            analysis.comments.select("comment_id", "topic_tags", "sent_label").iter_rows() if cid in ids}
    rows = []
    all_m: list[tuple[bool, bool]] = []
    all_b: list[tuple[bool, bool]] = []
    for t in labels.topic_keys:
        cids = sorted(c for c in ids if t in topic_gold.get(c, {}) and c in predicted)
        m = [(t in predicted[c][0], topic_gold[c][t]) for c in cids]
        b = [(t in base[c][0], topic_gold[c][t]) for c in cids]
        all_m += m
        all_b += b
        n, mp, mr, mf, pos = _prf(m)
        _, bp, br, bf, _ = _prf(b)
        rows.append({"measure": t, "n": n, "positives": pos, "model_precision": mp, "model_recall": mr,
                     "model_f1": mf, "lexicon_precision": bp, "lexicon_recall": br, "lexicon_f1": bf})
    n, mp, mr, mf, pos = _prf(all_m)
    _, bp, br, bf, _ = _prf(all_b)
    rows.append({"measure": "micro", "n": n, "positives": pos, "model_precision": mp, "model_recall": mr,
                 "model_f1": mf, "lexicon_precision": bp, "lexicon_recall": br, "lexicon_f1": bf})
    cids = sorted(c for c in ids if c in sent_gold and c in predicted)
    n, ma, mmf = _sentiment_scores([(predicted[c][1], sent_gold[c]) for c in cids])
    _, ba, bmf = _sentiment_scores([(base[c][1], sent_gold[c]) for c in cids])
    rows.append({"measure": "sentiment", "n": n, "positives": None, "model_precision": ma, "model_recall": None,
                 "model_f1": mmf, "lexicon_precision": ba, "lexicon_recall": None, "lexicon_f1": bmf})
    return pl.DataFrame(rows, schema={
        "measure": pl.String, "n": pl.Int64, "positives": pl.Int64, "model_precision": pl.Float64,
        "model_recall": pl.Float64, "model_f1": pl.Float64, "lexicon_precision": pl.Float64,
        "lexicon_recall": pl.Float64, "lexicon_f1": pl.Float64})


def held_out(tagger: Tagger, analysis, labels: Labels, comment_ids: Iterable[str]) -> pl.DataFrame:
    """:func:`compare` of ``tagger`` on the comments ``comment_ids`` (comments it was not fitted on)."""
    ids = set(comment_ids)
    comments = analysis.comments.filter(pl.col("comment_id").is_in(sorted(ids)))
    tags, sent, _, _ = tagger.predict(comments)
    predicted = dict(zip(comments.get_column("comment_id").to_list(), zip(tags, sent)))
    return compare(predicted, analysis, labels, ids)


def cross_validate(analysis, labels: Labels, *, folds: int = 5, seed: int = 0, **fit_args) -> pl.DataFrame:
    """Cross-validated :func:`compare`: the labelled comments' articles are split into ``folds`` seeded
    groups (a page's comments stay together, so no page is both trained and tested on); each group is
    predicted by a model fitted on the others."""
    topic_gold, sent_gold = gold(labels)
    labelled = set(topic_gold) | set(sent_gold)
    comments = analysis.comments.filter(pl.col("comment_id").is_in(sorted(labelled)))
    articles = sorted(set(comments.get_column("article_id").to_list()))
    if len(articles) < folds:
        raise ConfigError(f"{len(articles)} labelled articles cannot be split into {folds} folds",
                          hint="use --folds with at most the number of labelled articles")
    rng = np.random.default_rng(seed)
    order = [articles[k] for k in rng.permutation(len(articles))]
    group = {a: k % folds for k, a in enumerate(order)}
    predicted: dict[str, tuple[list[str], str | None]] = {}
    for f in range(folds):
        test = comments.filter(pl.col("article_id").is_in(sorted(a for a, g in group.items() if g == f)))
        train_ids = [c for c, a in comments.select("comment_id", "article_id").iter_rows() if group[a] != f]
        tagger = fit(analysis, labels, comment_ids=train_ids, **fit_args)
        tags, sent, _, _ = tagger.predict(test)
        predicted.update(zip(test.get_column("comment_id").to_list(), zip(tags, sent)))
    return compare(predicted, analysis, labels, labelled)


def split_articles(analysis, labels: Labels, seed: int = 0) -> tuple[list[str], list[str]]:
    """The labelled comments split in two halves by article (seeded): a page's comments stay together."""
    topic_gold, sent_gold = gold(labels)
    labelled = set(topic_gold) | set(sent_gold)
    pairs = [(c, a) for c, a in analysis.comments.select("comment_id", "article_id").iter_rows() if c in labelled]
    articles = sorted({a for _, a in pairs})
    rng = np.random.default_rng(seed)
    first = {articles[k] for k in rng.permutation(len(articles))[: len(articles) // 2]}
    return [c for c, a in pairs if a in first], [c for c, a in pairs if a not in first]


def render(table: pl.DataFrame, title: str) -> str:
    """The comparison as text: per topic precision, recall, F1 of the model and the lexicon; sentiment
    accuracy and macro-F1 of the model and of VADER's label."""
    def f(v):
        return "   -" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.2f}"

    lines = [title, f"{'topic':<26}{'n':>4}{'pos':>5}   {'model P   R   F1':<18}  {'lexicon P   R   F1':<18}"]
    for r in table.iter_rows(named=True):
        if r["measure"] == "sentiment":
            lines.append("")
            lines.append(f"{'sentiment':<26}{r['n']:>4}       model accuracy {f(r['model_precision'])} "
                         f"macro-F1 {f(r['model_f1'])}   VADER (sent_label) accuracy {f(r['lexicon_precision'])} "
                         f"macro-F1 {f(r['lexicon_f1'])}")
            continue
        lines.append(f"{r['measure']:<26}{r['n']:>4}{r['positives']:>5}   "
                     f"{f(r['model_precision'])} {f(r['model_recall'])} {f(r['model_f1'])}    "
                     f"{f(r['lexicon_precision'])} {f(r['lexicon_recall'])} {f(r['lexicon_f1'])}")
    return "\n".join(lines)


def train_corpus(source, labels: Sequence[str | Path], out: str | Path, *, lexicon=None, folds: int = 5,
                 seed: int = 0, c: float = 1.0, min_df: int = 2,
                 workers: int | None = 1) -> tuple[Tagger, pl.DataFrame]:
    """What ``discourse train`` does: score ``source``, read the labels, cross-validate (``folds`` groups of
    articles, seeded) beside the lexicon and VADER, fit on every labelled comment and write the model to
    ``out``. Returns the model and the cross-validated comparison."""
    _sklearn()
    from discourse.validation.kit import scored
    from discourse.validation.labels import read_labels

    analysis = scored(source, lexicon, workers)
    labs = read_labels(labels, analysis.comments, [t.name for t in analysis.lexicon.topics])
    table = cross_validate(analysis, labs, folds=folds, seed=seed, c=c, min_df=min_df)
    tagger = fit(analysis, labs, c=c, min_df=min_df)
    tagger.save(out)
    return load_tagger(out), table
