"""Supervised taggers fitted on hand labels: ``discourse train`` and ``--tagger MODEL``.

One regularised logistic regression per topic (tagged / not tagged) and one multinomial regression for the
comment sentiment label (negative / neutral / positive), on these features of a scored comment:

- word and two-word phrase presence (lower-cased words of :data:`TOKEN`; vocabulary: the n-grams seen in at
  least ``min_df`` labelled comments);
- the lexicon's verdict per topic (``lexicon_weight`` when the lexicon tags the topic, 0 otherwise: a larger
  value lets the regularised model lean on the lexicon more than on any one word; default
  :data:`LEXICON_WEIGHT`, chosen by cross-validation on the development set);
- the VADER scores ``sent_score``, ``sent_compound``, ``sent_pos``, ``sent_neu``, ``sent_neg``.

Fitting needs scikit-learn (the optional extra ``train``). The model is written as JSON: vocabulary,
coefficients, intercepts, feature settings, the topics, a format version and a SHA-256 checksum of the
rest; :func:`load_tagger` reads it without running anything from the file (no pickle) and
:func:`apply_tagger` applies it with numpy alone.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from discourse.errors import ConfigError, DiscourseError
from discourse.validation.labels import SENTIMENTS, Labels

FORMAT = "discourse-tagger"
VERSION = 1
TOKEN = r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,]\d+)*"
_TOKEN = re.compile(TOKEN)
#: VADER scores used as features, in this order
LEXICON_WEIGHT = 6.0
SCORES = ("sent_score", "sent_compound", "sent_pos", "sent_neu", "sent_neg")


class ModelError(DiscourseError):
    """A tagger model file that cannot be read or does not fit."""


def _sklearn():
    try:
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold
    except ImportError:
        raise ConfigError("discourse train needs scikit-learn",
                          hint="pip install 'discourse[train]' (applying a model with --tagger does not need it)"
                          ) from None
    return LogisticRegression, StratifiedKFold


def ngrams(text: str | None, n: int = 2) -> set[str]:
    """The distinct words and phrases of up to ``n`` words of ``text``, lower-cased.

    >>> sorted(ngrams("No war, no peace"))
    ['no', 'no peace', 'no war', 'peace', 'war', 'war no']
    """
    words = _TOKEN.findall((text or "").lower())
    grams = set(words)
    for k in range(2, n + 1):
        grams.update(" ".join(words[i:i + k]) for i in range(len(words) - k + 1))
    return grams


@dataclass(frozen=True)
class Tagger:
    """A fitted model: what :func:`apply_tagger` needs, and what the JSON file holds."""

    vocabulary: tuple[str, ...]
    topics: tuple[str, ...]
    topic_coef: np.ndarray          # (topics, features)
    topic_intercept: np.ndarray     # (topics,)
    sentiment_classes: tuple[str, ...]
    sentiment_coef: np.ndarray      # (classes, features)
    sentiment_intercept: np.ndarray  # (classes,)
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def features(self) -> list[str]:
        """Feature names, in the order of the coefficient columns."""
        return ([f"word:{g}" for g in self.vocabulary] + [f"lexicon:{t}" for t in self.topics]
                + [f"vader:{s}" for s in SCORES])

    def matrix(self, comments: pl.DataFrame) -> np.ndarray:
        """The feature matrix of scored comments (rows in the order of ``comments``)."""
        return features(comments, self.vocabulary, self.topics, self.settings["ngram"],
                        self.settings["lexicon_weight"])

    def predict(self, comments: pl.DataFrame) -> tuple[list[list[str]], list[str | None], np.ndarray, np.ndarray]:
        """Topic tags and sentiment labels of scored comments, with the topic and sentiment probabilities."""
        x = self.matrix(comments)
        p_topic = _sigmoid(x @ self.topic_coef.T + self.topic_intercept) if self.topics else np.zeros((len(x), 0))
        tags = [[t for t, p in zip(self.topics, row) if p >= 0.5] for row in p_topic]
        labels: list[str | None]
        p_sent: np.ndarray
        if self.sentiment_classes:
            z = x @ self.sentiment_coef.T + self.sentiment_intercept
            z -= z.max(axis=1, keepdims=True)
            p_sent = np.exp(z)
            p_sent /= p_sent.sum(axis=1, keepdims=True)
            labels = [self.sentiment_classes[int(k)] for k in p_sent.argmax(axis=1)]
        else:
            p_sent = np.zeros((len(x), 0))
            labels = [None] * len(x)
        return tags, labels, p_topic, p_sent

    def to_json(self) -> str:
        body = {
            "format": FORMAT, "version": VERSION, "settings": self.settings, "topics": list(self.topics),
            "vocabulary": list(self.vocabulary), "scores": list(SCORES),
            "topic_models": {t: {"coef": _floats(self.topic_coef[k]), "intercept": float(self.topic_intercept[k])}
                             for k, t in enumerate(self.topics)},
            "sentiment_model": {"classes": list(self.sentiment_classes),
                                "coef": [_floats(r) for r in self.sentiment_coef],
                                "intercept": _floats(self.sentiment_intercept)},
        }
        body["checksum"] = _checksum(body)
        return json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(self.to_json(), encoding="utf-8")
        return path


def _floats(values: Iterable[float]) -> list[float]:
    return [float(v) for v in values]


def _checksum(body: dict) -> str:
    rest = {k: v for k, v in body.items() if k != "checksum"}
    canonical = json.dumps(rest, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def features(comments: pl.DataFrame, vocabulary: Sequence[str], topics: Sequence[str], n: int = 2,
             lexicon_weight: float = LEXICON_WEIGHT) -> np.ndarray:
    """Word/phrase presence, lexicon topic verdicts and VADER scores of ``comments`` as a dense matrix."""
    index = {g: k for k, g in enumerate(vocabulary)}
    width = len(vocabulary) + len(topics) + len(SCORES)
    x = np.zeros((comments.height, width), dtype=np.float64)
    texts = comments.get_column("text").to_list()
    tags = comments.get_column("topic_tags").to_list()
    scores = [comments.get_column(s).to_list() for s in SCORES]
    base = len(vocabulary)
    for i, text in enumerate(texts):
        for g in ngrams(text, n):
            k = index.get(g)
            if k is not None:
                x[i, k] = 1.0
        for k, t in enumerate(topics):
            if t in (tags[i] or ()):
                x[i, base + k] = lexicon_weight
        for k, col in enumerate(scores):
            v = col[i]
            x[i, base + len(topics) + k] = 0.0 if v is None or (isinstance(v, float) and math.isnan(v)) else v
    return x


def load_tagger(path: str | Path) -> Tagger:
    """Read a model file written by :meth:`Tagger.save`; checks its format, version and checksum. Only JSON is
    parsed: nothing in the file is run."""
    path = Path(path)
    hint = "write the model with discourse train --out MODEL.json"
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError("model file not found", path=path, hint="check the path given to --tagger") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        line = getattr(err, "lineno", None)
        raise ModelError(f"not a JSON model file ({err})", path=path, line=line, hint=hint) from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise ModelError("not a discourse tagger model", path=path, hint=hint)
    if body.get("version") != VERSION:
        raise ModelError(f"model format version {body.get('version')!r}; this discourse reads version {VERSION}",
                         path=path, hint="retrain the model with this version of discourse")
    if body.get("checksum") != _checksum(body):
        raise ModelError("the model's checksum does not match its contents (the file was changed or cut off)",
                         path=path, hint="retrain the model, or restore the file as discourse train wrote it")
    try:
        topics = tuple(body["topics"])
        vocabulary = tuple(body["vocabulary"])
        float(body["settings"]["lexicon_weight"]), int(body["settings"]["ngram"])
        if tuple(body["scores"]) != SCORES:
            raise ValueError("unknown VADER score features")
        width = len(vocabulary) + len(topics) + len(SCORES)
        tm = body["topic_models"]
        topic_coef = np.array([tm[t]["coef"] for t in topics], dtype=np.float64).reshape(len(topics), width)
        topic_intercept = np.array([tm[t]["intercept"] for t in topics], dtype=np.float64)
        sm = body["sentiment_model"]
        classes = tuple(sm["classes"])
        if not set(classes) <= set(SENTIMENTS):
            raise ValueError(f"unknown sentiment classes {classes}")
        sentiment_coef = np.array(sm["coef"], dtype=np.float64).reshape(len(classes), width)
        sentiment_intercept = np.array(sm["intercept"], dtype=np.float64).reshape(len(classes))
    except (KeyError, TypeError, ValueError) as err:
        raise ModelError(f"the model file is incomplete ({err})", path=path, hint=hint) from None
    return Tagger(vocabulary, topics, topic_coef, topic_intercept, classes, sentiment_coef, sentiment_intercept,
                  dict(body.get("settings") or {}) | {"path": str(path), "checksum": body["checksum"]})


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


# --- applying ------------------------------------------------------------------------------------------------

def apply_tagger(analysis, tagger: Tagger | str | Path):
    """``analysis`` with each comment's ``topic_tags`` and ``sent_label`` from the model instead of the
    lexicon and VADER (the lexicon hits in ``tags`` and the VADER scores stay as they were); the model's path,
    checksum and settings recorded in ``settings["tagger"]``."""
    from dataclasses import replace

    if not isinstance(tagger, Tagger):
        tagger = load_tagger(tagger)
    topics = [t.name for t in analysis.lexicon.topics]
    if list(tagger.topics) != topics:
        raise ModelError("the model's topics differ from the lexicon's "
                         f"(model: {', '.join(tagger.topics)}; lexicon: {', '.join(topics)})",
                         path=tagger.settings.get("path"),
                         hint="use the lexicon the model was trained with (--lexicon), or retrain")
    tags, sent, _, _ = tagger.predict(analysis.comments)
    comments = analysis.comments.with_columns(
        pl.Series("topic_tags", tags, dtype=pl.List(pl.String)),
        pl.Series("sent_label", sent, dtype=pl.String))
    settings = dict(analysis.settings)
    settings["tagger"] = {k: tagger.settings.get(k) for k in ("path", "checksum", "ngram", "min_df", "C",
                                                               "lexicon_weight", "trained_on")}
    return replace(analysis, comments=comments, settings=settings)


def explain_comment(tagger: Tagger, comments: pl.DataFrame, top: int = 6) -> list[str]:
    """Lines naming, for one scored comment, the features that weighed most in each of the model's
    decisions (weight = coefficient x feature value)."""
    x = tagger.matrix(comments.head(1))[0]
    names = tagger.features
    tags, sent, p_topic, p_sent = tagger.predict(comments.head(1))
    lines = [f"model {tagger.settings.get('path', '')}: topics {', '.join(tags[0]) or '(none)'}; "
             f"sentiment {sent[0]}"]

    def strongest(w: np.ndarray) -> str:
        contrib = w * x
        order = [k for k in np.argsort(-np.abs(contrib), kind="stable") if contrib[k] != 0][:top]
        return ", ".join(f"{names[k]} {contrib[k]:+.2f}" for k in order) or "(no feature present)"

    for k, t in enumerate(tagger.topics):
        p = p_topic[0, k]
        if p >= 0.5 or p >= 0.25:
            lines.append(f"  {t} p={p:.2f}: {strongest(tagger.topic_coef[k])}")
    if tagger.sentiment_classes:
        k = tagger.sentiment_classes.index(sent[0])
        lines.append(f"  sentiment {sent[0]} p={p_sent[0, k]:.2f}: {strongest(tagger.sentiment_coef[k])}")
    return lines


def provenance(tagger: Tagger, out: Path) -> Path:
    """Write ``out/tagger.json``: the model that made the exported ``topic_tags`` and ``sent_label``."""
    path = out / "tagger.json"
    record = {"topic_tags": "model", "sent_label": "model", "model": tagger.settings.get("path"),
              "checksum": tagger.settings.get("checksum"),
              "settings": {k: tagger.settings.get(k) for k in ("ngram", "min_df", "C", "class_weight", "lexicon_weight",
                                                                  "trained_on")},
              "topics": list(tagger.topics)}
    path.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


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


def explain_unit(corpus, unit: str, tagger: str | Path, lexicon=None) -> list[str]:
    """:func:`explain_comment` for the comment ``unit`` of ``corpus`` (what ``discourse explain --tagger``
    prints); the corpus is scored to get the comment's lexicon tags and VADER scores."""
    from discourse.scoring.pipeline import analyze

    model = load_tagger(tagger)
    comments = analyze(corpus, lexicon).comments.filter(pl.col("comment_id") == unit)
    if comments.height == 0:
        raise ConfigError(f"--tagger explains comments; {unit!r} is not a comment id of the corpus",
                          hint="give a comment id such as 002/7.1")
    return explain_comment(model, comments)
