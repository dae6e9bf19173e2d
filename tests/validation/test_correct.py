"""The correction of shares for misclassification: exact pieces, and a simulation with a known truth.

The simulation draws, in each repetition, a labelled sample and an article's comments from a known truth,
misclassifies both with known error rates, corrects, and records the estimate and whether the 95% interval
holds the truth. Tolerances, for R = 300 repetitions: the mean bias is below 0.005 for the topic share (where
classify-and-count is off by 0.02; the standard error of the mean estimate is about 0.002) and below 0.01 for
each sentiment-label share (classify-and-count: up to 0.055; standard errors 0.002-0.004: inverting an estimated
confusion matrix leaves a small bias of order 1/n_labelled); the coverage is within 0.95 +- 0.04 (the standard
error of a coverage estimated from 300 repetitions is sqrt(0.95 x 0.05 / 300) = 0.0126, so +-0.04 is about
three). About 7 s alone on one core.
"""

from __future__ import annotations

import numpy as np
import pytest

from discourse.validation.correct import (
    LabelCorrection,
    TopicCorrection,
    confusion_rates,
    rogan_gladen,
    simplex_least_squares,
)
from discourse.validation.metrics import resample_counts

REPETITIONS = 300
REPLICATES = 400


def test_rogan_gladen_inverts_misclassification():
    # a tag with sensitivity 0.7 and specificity 0.9 turns a true share 0.3 into 0.3 x 0.7 + 0.7 x 0.1 = 0.28
    assert float(rogan_gladen(0.28, 0.7, 0.9)) == pytest.approx(0.3)
    assert float(rogan_gladen(0.01, 0.7, 0.9)) == 0.0            # clipped
    assert np.isnan(rogan_gladen(0.3, 0.4, 0.5))                  # sens + spec <= 1: no information


def test_simplex_least_squares():
    m = np.array([[0.7, 0.2, 0.1], [0.2, 0.6, 0.2], [0.1, 0.2, 0.7]])
    p = np.array([0.5, 0.3, 0.2])
    assert simplex_least_squares(m, m.T @ p) == pytest.approx(p)
    # an observation no p on the simplex explains: the answer stays on the simplex
    q = simplex_least_squares(m, np.array([0.95, 0.05, 0.0]))
    assert q.min() >= 0 and q.sum() == pytest.approx(1) and q[0] == pytest.approx(1)
    # stacked problems are solved one by one
    both = simplex_least_squares(np.stack([m, np.eye(3)]), np.stack([m.T @ p, p]))
    assert both == pytest.approx(np.stack([p, p]))


def test_confusion_rates():
    gold = np.array([0, 0, 1, 1, 2])
    predicted = np.array([0, 1, 1, 1, 2])
    c = confusion_rates(gold, predicted, np.ones(5), 3)[0]
    assert c.tolist() == [[0.5, 0.5, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]


def _misclassify(truth, matrix, rng):
    """Each true class drawn to a predicted class by its row of ``matrix``."""
    cumulative = matrix.cumsum(axis=1)[truth]
    return (rng.random(truth.size)[:, None] > cumulative).sum(axis=1)


def test_topic_share_simulation():
    rng = np.random.default_rng(20261207)
    truth, sens, spec = 0.3, 0.7, 0.9           # observed share: 0.3 x 0.7 + 0.7 x 0.1 = 0.28
    n_labelled, n_article = 400, 1500
    estimates, covered = [], 0
    for _ in range(REPETITIONS):
        gold = rng.random(n_labelled) < 0.35
        predicted = np.where(gold, rng.random(n_labelled) < sens, rng.random(n_labelled) > spec)
        article = rng.random(n_article) < truth
        tagged = int(np.where(article, rng.random(n_article) < sens, rng.random(n_article) > spec).sum())
        counts = resample_counts(n_labelled, REPLICATES, rng)
        fit = TopicCorrection.fit(gold, predicted, np.ones(n_labelled), counts)
        point, low, high = fit.share(tagged, n_article, rng)
        estimates.append(point)
        covered += low <= truth <= high
    naive_bias = 0.28 - truth
    bias = float(np.mean(estimates)) - truth
    se = float(np.std(estimates, ddof=1)) / np.sqrt(REPETITIONS)
    print(f"topic share: bias {bias:+.4f} (classify-and-count {naive_bias:+.2f}), standard error {se:.4f}, "
          f"coverage {covered / REPETITIONS:.3f}")
    assert abs(bias) < 0.005
    assert abs(covered / REPETITIONS - 0.95) <= 0.04


def test_label_shares_simulation():
    rng = np.random.default_rng(7)
    truth = np.array([0.5, 0.3, 0.2])
    matrix = np.array([[0.7, 0.2, 0.1], [0.25, 0.6, 0.15], [0.1, 0.2, 0.7]])   # rows: gold; columns: predicted
    n_labelled, n_article = 400, 1500
    estimates, covered = [], np.zeros(3)
    for _ in range(REPETITIONS):
        gold = rng.choice(3, n_labelled, p=[0.4, 0.35, 0.25])
        predicted = _misclassify(gold, matrix, rng)
        observed = np.bincount(_misclassify(rng.choice(3, n_article, p=truth), matrix, rng), minlength=3)
        counts = resample_counts(n_labelled, REPLICATES, rng)
        fit = LabelCorrection.fit(gold, predicted, np.ones(n_labelled), counts, 3)
        point, low, high = fit.shares(observed.astype(float), rng)
        estimates.append(point)
        covered += (low <= truth) & (truth <= high)
    bias = np.mean(estimates, axis=0) - truth
    se = np.std(estimates, axis=0, ddof=1) / np.sqrt(REPETITIONS)
    coverage = covered / REPETITIONS
    print(f"label shares: bias {np.round(bias, 4)} (classify-and-count {np.round(matrix.T @ truth - truth, 3)}), "
          f"standard error {np.round(se, 4)}, coverage {np.round(coverage, 3)}")
    assert np.abs(bias).max() < 0.01
    assert np.abs(coverage - 0.95).max() <= 0.04
