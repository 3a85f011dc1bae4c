"""Section 01 says which decision boundaries are straight, as measured on the run."""

import re

import numpy as np
import pytest

from scratch_genmod.bayes import GaussianNB, GenerativeClassifier, LogisticRegression
from scratch_genmod.density import GaussianMixture
from scratch_genmod.tour import s01_bayes
from tests.tour.conftest import caption


@pytest.fixture(scope="module")
def ctx(run_section):
    return run_section(s01_bayes)


def _crossings(xs, ys, labels):
    """Midpoints between neighbouring grid cells whose predicted class differs."""
    points = []
    for i in range(len(ys)):
        for j in range(len(xs)):
            if j + 1 < len(xs) and labels[i, j] != labels[i, j + 1]:
                points.append(((xs[j] + xs[j + 1]) / 2, ys[i]))
            if i + 1 < len(ys) and labels[i, j] != labels[i + 1, j]:
                points.append((xs[j], (ys[i] + ys[i + 1]) / 2))
    return np.array(points)


def test_the_moons_caption_measures_which_boundaries_are_straight(ctx):
    (_, (X, y), n_components) = s01_bayes.data_sets(0, 150)[1]  # the quick run's moons
    X_train, y_train, _, _ = s01_bayes.split(X, y, 0)
    xs, ys, points = s01_bayes.grid(X_train)
    models = {"Gaussian naive Bayes": GaussianNB(),
              "Gaussian mixture per class": GenerativeClassifier(
                  GaussianMixture(n_components=n_components, n_init=2, random_state=0),
                  random_state=0),
              "logistic regression": LogisticRegression(alpha=1e-3)}
    text = caption(ctx, "01_moons_boundaries.svg")
    assert "the straight lines are logistic regression's" not in text
    for name, model in models.items():
        labels = model.fit(X_train, y_train).predict(points).reshape(len(ys), len(xs))
        P = _crossings(xs, ys, labels)
        # distance from the principal axis of the crossings, by the eigenvectors of their covariance
        values = np.linalg.eigvalsh(np.cov(P.T, bias=True))
        bend = 100 * np.sqrt(values[0]) / (xs[-1] - xs[0])
        said = float(re.search(re.escape(name) + r": [a-z ]+ \(([\d.]+) %\)", text).group(1))
        assert said == pytest.approx(bend, abs=0.3), name  # crossings are on a grid of 160
    assert re.search(r"logistic regression: straight \(0\.0 %\)", text)
    assert re.search(r"Gaussian naive Bayes: (nearly )?straight", text)
    assert re.search(r"Gaussian mixture per class: curved", text)
