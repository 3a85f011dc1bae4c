"""Measuring a generator: Parzen log-likelihood, nearest-training-neighbour distance, classifier score."""

import numpy as np
import pytest

from scratch_genmod.core.threads import use_threads
from scratch_genmod.density.evaluation import (
    classifier_score, nearest_training_distance, parzen_log_likelihood,
)


def gaussian_mean_log_pdf(X, variance):
    """Mean of log N(x; 0, variance I) over the rows of X, from the closed form."""
    d = X.shape[1]
    return float(np.mean(-0.5 * d * np.log(2 * np.pi * variance)
                         - 0.5 * np.sum(X ** 2, axis=1) / variance))


def test_parzen_of_gaussian_samples_at_a_fixed_bandwidth_is_the_smoothed_density():
    # A Gaussian KDE of N(0, I) samples tends to N(0, I) * N(0, h^2 I) = N(0, (1 + h^2) I).
    rng = np.random.default_rng(0)
    samples, X_test = rng.normal(size=(40_000, 3)), rng.normal(size=(2000, 3))
    r = parzen_log_likelihood(samples, X_test, X_test[:10], bandwidths=[0.5])
    assert r["bandwidth"] == 0.5
    assert abs(r["mean"] - gaussian_mean_log_pdf(X_test, 1.25)) < 0.01
    assert np.isclose(r["std_error"], np.std(r["log_density"], ddof=1) / np.sqrt(2000))


def test_parzen_with_a_chosen_bandwidth_approaches_the_exact_log_likelihood():
    rng = np.random.default_rng(1)
    samples = rng.normal(size=(10_000, 2))
    X_val, X_test = rng.normal(size=(1000, 2)), rng.normal(size=(2000, 2))
    grid = [0.01, 0.1, 0.2, 0.3, 0.5, 3.0]
    r = parzen_log_likelihood(samples, X_test, X_val, bandwidths=grid)
    assert r["bandwidth"] not in (0.01, 3.0)            # an interior optimum
    assert r["validation_scores"].shape == (6,)
    exact = gaussian_mean_log_pdf(X_test, 1.0)
    assert exact - 0.05 < r["mean"] < exact + 0.01      # smoothing only lowers it, a little


def test_parzen_ranks_a_wrong_generator_lower():
    rng = np.random.default_rng(2)
    X_val, X_test = rng.normal(size=(500, 4)), rng.normal(size=(500, 4))
    good = parzen_log_likelihood(rng.normal(size=(3000, 4)), X_test, X_val)
    shifted = parzen_log_likelihood(rng.normal(size=(3000, 4)) + 1.5, X_test, X_val)
    assert good["mean"] > shifted["mean"] + 1


def test_parzen_checks_its_inputs():
    with pytest.raises(ValueError, match="X_test"):
        parzen_log_likelihood(np.zeros((3, 2)), np.zeros((3, 5)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"bandwidths\[1\]"):
        parzen_log_likelihood(np.zeros((3, 2)), np.zeros((3, 2)), np.zeros((3, 2)), [1.0, -1.0])


def test_nearest_training_distance_against_all_pairs():
    rng = np.random.default_rng(3)
    S, X = rng.normal(size=(37, 5)) + 1e6, rng.normal(size=(50, 5)) + 1e6   # far from 0
    d, i = nearest_training_distance(S, X, block_rows=8)
    all_pairs = np.sqrt(((S[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    assert np.array_equal(i, all_pairs.argmin(axis=1))
    assert np.allclose(d, all_pairs.min(axis=1), rtol=1e-9)
    d0, _ = nearest_training_distance(X[:5], X)          # a copy is at distance 0
    assert d0.tolist() == [0.0] * 5
    # the 5 blocks on 1 or 3 threads: the same bits
    with use_threads(1):
        one = nearest_training_distance(S, X, block_rows=8)
    with use_threads(3):
        three = nearest_training_distance(S, X, block_rows=8)
    assert one[0].tobytes() == three[0].tobytes() and np.array_equal(one[1], three[1])


class FixedProbabilities:
    """A stand-in classifier: p(y | s) is given row by row."""

    classes_ = np.array([3, 7, 9])

    def __init__(self, P):
        self.P = np.asarray(P, dtype=float)

    def predict_proba(self, X):
        return self.P[: len(X)]


def test_classifier_score_by_hand():
    # histogram: argmax classes 0, 0, 2 -> (2/3, 0, 1/3); confidence (0.5 + 0.8 + 1) / 3
    P = [[0.5, 0.25, 0.25], [0.8, 0.2, 0.0], [0.0, 0.0, 1.0]]
    r = classifier_score(FixedProbabilities(P), np.zeros((3, 2)))
    assert np.allclose(r["histogram"], [2 / 3, 0, 1 / 3]) and r["classes"].tolist() == [3, 7, 9]
    assert np.isclose(r["mean_confidence"], 2.3 / 3)
    m = np.mean(P, axis=0)
    kl = [sum(p * np.log(p / q) for p, q in zip(row, m) if p > 0) for row in P]
    assert np.isclose(r["score"], np.exp(np.mean(kl)))
    collapsed = classifier_score(FixedProbabilities([[1.0, 0, 0]] * 3), np.zeros((3, 2)))
    assert collapsed["score"] == 1.0                     # one class only: no diversity


def test_classifier_score_needs_predict_proba():
    with pytest.raises(TypeError, match="predict_proba"):
        classifier_score(object(), np.zeros((2, 2)))


def test_recognition_counts_hits_per_requested_class():
    from scratch_genmod.density.evaluation import recognition
    rng = np.random.default_rng(3)
    classes = np.array([2, 4, 7, 9])
    requested = classes[rng.integers(0, 3, 200)]          # 9 never requested
    predicted = np.where(rng.random(200) < 0.7, requested, classes[rng.integers(0, 4, 200)])
    r = recognition(predicted, requested, classes)
    hits = sum(int(p == q) for p, q in zip(predicted, requested))
    assert r["recognised"] == hits / 200
    for c, share in zip(classes, r["recognised_per_class"]):
        asked = [p == c for p, q in zip(predicted, requested) if q == c]
        assert (np.isnan(share) and not asked) or share == sum(asked) / len(asked)
    with pytest.raises(ValueError, match=r"requested holds labels the classifier does not "
                                         r"know: \[5\]"):
        recognition(predicted, np.full(200, 5), classes)
    with pytest.raises(ValueError, match="requested must hold one label per sample"):
        recognition(predicted, requested[:3], classes)
