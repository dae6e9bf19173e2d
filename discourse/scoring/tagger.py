"""A trained tagger applied: the JSON model of ``discourse train`` read, checked and applied with numpy alone.

The model (fitted by :mod:`discourse.validation.train`) is one logistic regression per topic and one
multinomial regression for the comment sentiment label, on these features of a scored comment: word and
two-word phrase presence (lower-cased words of :data:`TOKEN`, over the model's vocabulary); the lexicon's
verdict per topic (``lexicon_weight`` when the lexicon tags the topic, else 0); and the VADER scores of
:data:`SCORES`. The file is JSON: vocabulary, coefficients, intercepts, feature settings, the topics, a
format version and a SHA-256 checksum of the rest. :func:`load_tagger` parses JSON only (no pickle: nothing
in the file is run) and refuses a file whose checksum does not match; :func:`apply_tagger` gives an analysis
the model's ``topic_tags`` and ``sent_label`` (the hook of ``export``, ``report`` and ``explain --tagger``).
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

SENTIMENTS = ("negative", "neutral", "positive")

FORMAT = "discourse-tagger"
VERSION = 1
TOKEN = r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,]\d+)*"
_TOKEN = re.compile(TOKEN)
#: VADER scores used as features, in this order
LEXICON_WEIGHT = 6.0
SCORES = ("sent_score", "sent_compound", "sent_pos", "sent_neu", "sent_neg")


class ModelError(DiscourseError):
    """A tagger model file that cannot be read or does not fit."""



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
