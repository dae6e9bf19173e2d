"""Validation against the human-rated corpora of the VADER paper (Hutto & Gilbert 2014).

:func:`validate` scores every snippet and every rebuilt document (Amazon reviews, NYT editorials) with
the whole-text compound and with the mean of sentence compounds, and measures agreement with the mean
human rating: Pearson r and 3-class F1 weighted by class size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from discourse import schema
from discourse.errors import FormatError, InputError
from discourse.sentiment.prepare import Preparation
from discourse.sentiment.scoring import Label, label, score_texts

CORPORA: tuple[tuple[str, str], ...] = (
    ("tweets", "tweets_GroundTruth.txt"),
    ("movie", "movieReviewSnippets_GroundTruth.txt"),
    ("amazon", "amazonReviewSnippets_GroundTruth.txt"),
    ("nyt", "nytEditorialSnippets_GroundTruth.txt"),
)
DOCUMENT_CORPORA = ("amazon", "nyt")
"""Corpora whose snippet ids are ``DOCUMENT_SENTENCE``, so that documents can be rebuilt."""

CORPUS_SCHEMA = dict(schema.VADER_CORPUS.schema)
"""Columns of :func:`read_corpora` and :func:`documents` (documents add ``n_snippets``)."""

RESULT_SCHEMA = dict(schema.VADER_VALIDATION.schema)
"""Columns of :func:`validate`: ``level`` is ``snippet`` or ``document``, ``method`` ``whole`` or
``sentence_mean``, ``r`` the Pearson correlation with the mean human rating, ``f1`` the weighted F1."""

_HINT = ("pass the folder holding the four *_GroundTruth.txt files, or leave it out for the copies shipped with "
         "discourse")


def ground_truth_dir() -> Path:
    """The folder of the four human-rated corpora of the VADER paper, shipped with discourse as package
    data (``discourse/data/vader-ground-truth``), so ``discourse validate`` runs from any folder."""
    from importlib.resources import files

    return Path(str(files("discourse") / "data" / "vader-ground-truth"))


def read_corpora(data_dir: str | Path) -> pl.DataFrame:
    """All snippets, in file order: ``corpus``, ``id``, ``rating`` (mean human rating, -4..4), ``text``."""
    rows: list[tuple[str, str, float, str]] = []
    for corpus, name in CORPORA:
        path = Path(data_dir) / name
        try:
            content = path.read_bytes().decode("utf-8-sig")
        except FileNotFoundError:
            raise InputError("ground-truth corpus not found", path=path, hint=_HINT) from None
        except UnicodeDecodeError as err:
            raise InputError(f"not UTF-8 ({err.reason})", path=path, hint=_HINT) from None
        # Split on CRLF only: some texts may hold other line-break characters.
        for number, line in enumerate(content.replace("\r\n", "\n").split("\n"), start=1):
            if not line:
                continue
            parts = line.split("\t")
            try:
                rows.append((corpus, parts[0], float(parts[1]), parts[2]))
            except (IndexError, ValueError):
                raise FormatError("expected 'id TAB mean-rating TAB text'", path=path, line=number,
                                  hint="the corpus file is damaged; restore it from the repository") from None
    return pl.DataFrame(rows, schema=CORPUS_SCHEMA, orient="row")


def documents(snippets: pl.DataFrame) -> pl.DataFrame:
    """Rebuild Amazon reviews and NYT editorials from their snippets.

    A document is the snippet texts of one id prefix joined by a space in sentence order; its rating is the
    mean of the snippet ratings. Columns: those of :func:`read_corpora` plus ``n_snippets``; ordered by
    corpus, then document number.
    """
    parts = pl.col("id").str.split_exact("_", 1)
    return (
        snippets.filter(pl.col("corpus").is_in(DOCUMENT_CORPORA))
        .with_columns(doc=parts.struct.field("field_0").cast(pl.Int64),
                      sentence=parts.struct.field("field_1").cast(pl.Int64),
                      order=pl.col("corpus").replace_strict({c: i for i, (c, _) in enumerate(CORPORA)}))
        .sort("order", "doc", "sentence")
        .group_by("order", "corpus", "doc", maintain_order=True)
        .agg(rating=pl.col("rating").mean(), text=pl.col("text").str.join(" "), n_snippets=pl.len())
        .select("corpus", pl.col("doc").cast(pl.String).alias("id"), "rating", "text",
                pl.col("n_snippets").cast(pl.Int64))
    )


def validate(data_dir: str | Path, prep: Preparation = Preparation()) -> pl.DataFrame:
    """Agreement of VADER with the human ratings, per corpus, level and method (see :data:`RESULT_SCHEMA`).

    Gold classes are the sign of the mean rating (0 is neutral); predictions use :func:`label`'s thresholds.
    """
    snippets = read_corpora(data_dir)
    rows = []
    for level, frame in (("snippet", snippets), ("document", documents(snippets))):
        for corpus, _ in CORPORA:
            subset = frame.filter(pl.col("corpus") == corpus)
            if subset.is_empty():
                continue
            ratings = subset["rating"].to_list()
            gold = [_sign_label(rating) for rating in ratings]
            scores = score_texts(subset["text"].to_list(), prep)
            for method, predicted in (("whole", [s.compound for s in scores]),
                                      ("sentence_mean", [s.sentence_mean for s in scores])):
                rows.append((corpus, level, method, len(ratings), pearson(predicted, ratings),
                             weighted_f1(gold, [label(p) for p in predicted])))
    return pl.DataFrame(rows, schema=RESULT_SCHEMA, orient="row")


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    """Pearson's correlation coefficient; NaN when either side is constant."""
    n = len(x)
    mean_x, mean_y = math.fsum(x) / n, math.fsum(y) / n
    dx = [v - mean_x for v in x]
    dy = [v - mean_y for v in y]
    denominator = math.sqrt(math.fsum(a * a for a in dx) * math.fsum(b * b for b in dy))
    if denominator == 0:
        return math.nan
    return math.fsum(a * b for a, b in zip(dx, dy)) / denominator


def weighted_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """F1 per class, averaged with the gold class sizes as weights (scikit-learn's ``average="weighted"``)."""
    total = 0.0
    for cls in set(gold):
        tp = sum(1 for g, p in zip(gold, predicted) if g == cls and p == cls)
        n_predicted = sum(1 for p in predicted if p == cls)
        n_gold = sum(1 for g in gold if g == cls)
        f1 = 2 * tp / (n_predicted + n_gold)  # = 2PR / (P + R); n_gold > 0
        total += n_gold * f1
    return total / len(gold)


def _sign_label(rating: float) -> Label:
    return "positive" if rating > 0 else "negative" if rating < 0 else "neutral"
