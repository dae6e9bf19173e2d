"""The statistics of validation: Wilson intervals, a bootstrap over comments, F1, Cohen's kappa and
Krippendorff's alpha (through the ``krippendorff`` package).

Weights are inverse inclusion probabilities (1 for an unweighted sample). A weighted proportion gets its
Wilson interval on Kish's effective sample size ``(sum w)^2 / sum w^2``, which is the plain count when every
weight is equal.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

Z95 = 1.959963984540054


def wilson(successes: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a proportion ``successes / n`` (NaN, NaN when n is 0).

    >>> [round(x, 4) for x in wilson(8, 10)]
    [0.4902, 0.9433]
    """
    if n <= 0:
        return math.nan, math.nan
    if not 0 <= successes <= n:
        raise ValueError(f"a Wilson interval needs 0 <= successes <= n, not {successes} of {n}")
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def weighted_share(hit: np.ndarray, weights: np.ndarray) -> tuple[float, float, float]:
    """The weighted share of ``hit`` among the rows given, with its Wilson interval on the effective size."""
    total = float(weights.sum())
    if total <= 0:
        return math.nan, math.nan, math.nan
    p = float(weights[hit].sum()) / total
    n_eff = total * total / float((weights * weights).sum())
    low, high = wilson(p * n_eff, n_eff)
    return p, low, high


def resample_counts(n: int, replicates: int, rng: np.random.Generator) -> np.ndarray:
    """``replicates`` x ``n`` matrix: how often each of n units is drawn in each bootstrap replicate."""
    if n == 0:
        return np.zeros((replicates, 0))
    drawn = rng.integers(0, n, size=(replicates, n)) + (np.arange(replicates) * n)[:, None]
    return np.bincount(drawn.ravel(), minlength=replicates * n).reshape(replicates, n).astype(float)


def percentile_interval(values: np.ndarray) -> tuple[float, float]:
    """The 2.5th and 97.5th percentiles of the finite values (NaN, NaN when none)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return math.nan, math.nan
    low, high = np.percentile(finite, [2.5, 97.5])
    return float(low), float(high)


def f1(tp, fp, fn):
    """2 tp / (2 tp + fp + fn), elementwise; NaN where all three are 0 (nothing to score)."""
    tp, fp, fn = (np.asarray(x, dtype=float) for x in (tp, fp, fn))
    denominator = 2 * tp + fp + fn
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, 2 * tp / np.where(denominator > 0, denominator, 1), np.nan)


def ratio(numerator, denominator):
    """numerator / denominator, elementwise; NaN where the denominator is 0."""
    numerator, denominator = np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), np.nan)


def macro_f1(gold: np.ndarray, predicted: np.ndarray, weights: np.ndarray, classes: Sequence[str]) -> np.ndarray:
    """Macro-averaged F1 over ``classes`` for each row of ``weights`` (a replicate x unit matrix, or one row).

    A class that is neither in the gold labels nor predicted is left out of the mean.
    """
    weights = np.atleast_2d(weights)
    scores = []
    for cls in classes:
        g, p = gold == cls, predicted == cls
        scores.append(f1(weights @ (g & p), weights @ (~g & p), weights @ (g & ~p)))
    stacked = np.vstack(scores)  # classes x replicates
    finite = np.isfinite(stacked)
    count = finite.sum(axis=0)
    total = np.where(finite, stacked, 0.0).sum(axis=0)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float:
    """Cohen's kappa of two annotators' labels of the same items (NaN when chance agreement is 1).

    >>> round(cohen_kappa(["x", "x", "y", "y"], ["x", "y", "y", "y"]), 4)
    0.5
    """
    if len(a) != len(b):
        raise ValueError("two label sequences of the same length")
    n = len(a)
    if n == 0:
        return math.nan
    observed = sum(1 for x, y in zip(a, b) if x == y) / n
    categories = set(a) | set(b)
    expected = sum((sum(1 for x in a if x == c) / n) * (sum(1 for y in b if y == c) / n) for c in categories)
    if expected >= 1:
        return math.nan
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(data: np.ndarray) -> float:
    """Krippendorff's alpha for nominal data: ``data`` is annotators x units, category codes, NaN = missing.

    NaN when the data hold fewer than two categories (alpha is undefined).
    """
    import krippendorff

    values = data[np.isfinite(data)]
    if np.unique(values).size < 2:
        return math.nan
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
