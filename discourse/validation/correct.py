"""Shares corrected for misclassification, with intervals that carry the classification uncertainty.

Classify-and-count is biased whenever a measure's errors are not symmetric: a tag that misses half of its
comments halves the share. Given hand labels:

- a topic share q per article becomes the Rogan-Gladen estimate ``(q + spec - 1) / (sens + spec - 1)`` (clipped
  to [0, 1]), with the tag's sensitivity and specificity measured on the labels;
- the shares of the three sentiment labels q become the p >= 0, sum(p) = 1 that best solve ``q = C' p``
  (least squares), where ``C[g, k]`` is the measured chance that a comment of gold class g is labelled k.

Intervals come from a bootstrap over both the labelled sample (the rates are estimated again on each
replicate) and the article's comments (the observed share is drawn again, binomially or multinomially). Both
corrections assume the error rates measured on the labels hold in every article.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from discourse.validation.metrics import percentile_interval, ratio


def rogan_gladen(observed, sensitivity, specificity):
    """Prevalence corrected for a test's sensitivity and specificity, clipped to [0, 1]; NaN where
    ``sensitivity + specificity <= 1`` (the tag carries no information).

    >>> round(float(rogan_gladen(0.3, 0.8, 0.9)), 6)    # (0.3 + 0.9 - 1) / (0.8 + 0.9 - 1)
    0.285714
    """
    observed, sensitivity, specificity = (np.asarray(x, dtype=float) for x in (observed, sensitivity, specificity))
    youden = sensitivity + specificity - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        value = (observed + specificity - 1) / np.where(youden > 0, youden, np.nan)
    return np.clip(value, 0.0, 1.0)


def rates(gold: np.ndarray, predicted: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sensitivity and specificity of ``predicted`` against ``gold`` for each row of ``weights``."""
    weights = np.atleast_2d(weights)
    sensitivity = ratio(weights @ (gold & predicted), weights @ gold)
    specificity = ratio(weights @ (~gold & ~predicted), weights @ ~gold)
    return sensitivity, specificity


def confusion_rates(gold: np.ndarray, predicted: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """``C[..., g, j]``: weighted share of gold class g predicted as j, for each row of ``weights``
    (classes are codes 0..k-1); NaN rows for a class with no labelled comment."""
    weights = np.atleast_2d(weights)
    out = np.empty((weights.shape[0], k, k))
    for g in range(k):
        in_class = gold == g
        total = weights @ in_class
        for j in range(k):
            out[:, g, j] = ratio(weights @ (in_class & (predicted == j)), total)
    return out


def simplex_least_squares(matrix: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """The p on the simplex (p >= 0, sum 1) minimising ``|| matrix' p - observed ||``.

    ``matrix`` is ``k x k`` or a stack ``r x k x k``; ``observed`` ``k`` or ``r x k``. Exact: the optimum is the
    best feasible equality-constrained solution over the supports (2^k - 1 of them, fine for a few classes).

    >>> simplex_least_squares(np.eye(3), np.array([0.2, 0.3, 0.5])).round(6).tolist()
    [0.2, 0.3, 0.5]
    """
    single = matrix.ndim == 2
    m = np.atleast_3d(matrix) if not single else matrix[None]
    q = np.atleast_2d(observed)
    r, k, _ = m.shape
    a = np.transpose(m, (0, 2, 1))  # observed = a @ p
    best = np.full((r, k), np.nan)
    best_residual = np.full(r, np.inf)
    ok = np.isfinite(m).all(axis=(1, 2)) & np.isfinite(q).all(axis=1)
    for size in range(1, k + 1):
        for support in itertools.combinations(range(k), size):
            s = list(support)
            a_s = a[:, :, s]                                   # r x k x s
            kkt = np.zeros((r, size + 1, size + 1))
            kkt[:, :size, :size] = 2 * np.einsum("rki,rkj->rij", a_s, a_s)
            kkt[:, :size, size] = 1
            kkt[:, size, :size] = 1
            rhs = np.zeros((r, size + 1))
            rhs[:, :size] = 2 * np.einsum("rki,rk->ri", a_s, np.where(np.isfinite(q), q, 0))
            rhs[:, size] = 1
            kkt = np.where(np.isfinite(kkt), kkt, 0)
            try:
                solution = np.linalg.solve(kkt, rhs[..., None])[..., 0][:, :size]
            except np.linalg.LinAlgError:  # a singular system somewhere in the stack: the pseudo-inverse
                solution = np.einsum("rij,rj->ri", np.linalg.pinv(kkt), rhs)[:, :size]
            p = np.zeros((r, k))
            p[:, s] = solution
            feasible = (solution >= -1e-10).all(axis=1) & (np.abs(solution.sum(axis=1) - 1) < 1e-8)
            residual = ((np.einsum("rkj,rj->rk", np.where(np.isfinite(a), a, 0), p) - q) ** 2).sum(axis=1)
            better = ok & feasible & (residual < best_residual - 1e-15)
            best[better] = np.clip(p[better], 0, 1)
            best_residual[better] = residual[better]
    return best[0] if single else best


@dataclass(frozen=True)
class TopicCorrection:
    """A tag's sensitivity and specificity on the labels, and their bootstrap replicates: :meth:`share`
    corrects an article's observed share with them.

    ``gold``/``predicted``/``weights`` describe the labelled comments; ``replicate_counts`` (replicates x
    labelled) resamples them.
    """

    sensitivity: float
    specificity: float
    sensitivity_b: np.ndarray
    specificity_b: np.ndarray

    @classmethod
    def fit(cls, gold: np.ndarray, predicted: np.ndarray, weights: np.ndarray,
            replicate_counts: np.ndarray) -> TopicCorrection:
        sens, spec = rates(gold, predicted, weights)
        sens_b, spec_b = rates(gold, predicted, replicate_counts * weights)
        return cls(float(sens[0]), float(spec[0]), sens_b, spec_b)

    def share(self, tagged: int, n: int, rng: np.random.Generator) -> tuple[float, float, float]:
        """The corrected share of ``tagged`` comments among ``n``, and its 95% interval."""
        point, low, high = self.shares(np.array([tagged]), np.array([n]), rng)
        return float(point[0]), float(low[0]), float(high[0])

    def shares(self, tagged: np.ndarray, n: np.ndarray, rng: np.random.Generator
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Corrected shares of several articles (``tagged`` of ``n`` comments each), with 95% intervals;
        NaN for an article without comments."""
        n = np.asarray(n, dtype=int)
        has = n > 0
        observed = np.where(has, tagged / np.maximum(n, 1), np.nan)
        point = np.where(has, rogan_gladen(observed, self.sensitivity, self.specificity), np.nan)
        replicates = self.sensitivity_b.shape[0]
        observed_b = rng.binomial(n, np.nan_to_num(observed), size=(replicates, n.size)) / np.maximum(n, 1)
        corrected_b = rogan_gladen(observed_b, self.sensitivity_b[:, None], self.specificity_b[:, None])
        bounds = [percentile_interval(corrected_b[:, j]) if has[j] else (math.nan, math.nan) for j in range(n.size)]
        return point, np.array([b[0] for b in bounds]), np.array([b[1] for b in bounds])


@dataclass(frozen=True)
class LabelCorrection:
    """The confusion matrix of k classes on the labels, and its bootstrap replicates: :meth:`shares` corrects
    an article's counts of predicted labels with them (class codes 0..k-1 in ``gold``/``predicted``)."""

    matrix: np.ndarray
    matrices_b: np.ndarray

    @classmethod
    def fit(cls, gold: np.ndarray, predicted: np.ndarray, weights: np.ndarray, replicate_counts: np.ndarray,
            k: int) -> LabelCorrection:
        return cls(confusion_rates(gold, predicted, weights, k)[0],
                   confusion_rates(gold, predicted, replicate_counts * weights, k))

    def shares(self, counts: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Corrected shares of the classes given the ``counts`` of predicted labels, with 95% intervals."""
        k = counts.size
        n = int(counts.sum())
        if n == 0:
            return np.full(k, np.nan), np.full(k, np.nan), np.full(k, np.nan)
        observed = counts / n
        point = simplex_least_squares(self.matrix, observed)
        observed_b = rng.multinomial(n, observed, size=self.matrices_b.shape[0]) / n
        replicates = simplex_least_squares(self.matrices_b, observed_b)
        bounds = [percentile_interval(replicates[:, j]) for j in range(k)]
        return point, np.array([b[0] for b in bounds]), np.array([b[1] for b in bounds])


def codes(values: Sequence[str | None], classes: Sequence[str]) -> np.ndarray:
    """Class names as codes 0..k-1 (-1 for None or an unknown name)."""
    index = {c: i for i, c in enumerate(classes)}
    return np.array([index.get(v, -1) if v is not None else -1 for v in values], dtype=int)
