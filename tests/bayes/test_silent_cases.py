"""The cases that used to pass silently: a one-sample class, and points no class explains."""

import warnings

import numpy as np
import pytest

from scratch_genmod.bayes import GenerativeClassifier
from scratch_genmod.density import GaussianMixture, KernelDensity


def test_a_class_with_one_sample_warns_and_names_the_class():
    X = np.array([[0.0, 0.0], [0.5, 0.2], [0.1, 0.4], [5.0, 5.0]])
    y = np.array(["a", "a", "a", "lonely"])
    with pytest.warns(UserWarning, match=r"class 'lonely' has 1 training sample.*GaussianMixture"
                                         r".*reg_covar"):
        model = GenerativeClassifier(GaussianMixture(1)).fit(X, y)
    # what the warning says: the lone class's covariance is reg_covar alone
    np.testing.assert_allclose(model.densities_[1].covariances_[0], 1e-6 * np.eye(2))


def test_classes_with_enough_samples_fit_quietly():
    X = np.array([[0.0], [0.5], [4.0], [4.5]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        GenerativeClassifier(GaussianMixture(1)).fit(X, [0, 0, 1, 1])


def test_points_outside_every_kernel_fall_back_to_the_priors_with_one_warning_per_call():
    X = np.array([[0.0], [0.2], [0.4], [3.0], [3.2]])
    y = np.array([0, 0, 0, 1, 1])
    model = GenerativeClassifier(KernelDensity(bandwidth=0.5, kernel="tophat")).fit(X, y)
    queries = np.array([[0.1], [10.0], [-7.0], [3.1]])  # two are beyond every kernel's reach
    with pytest.warns(UserWarning, match=r"2 of 4 points have probability 0 under every class"
                                         r".*prior") as record:
        proba = model.predict_proba(queries)
    assert len(record) == 1
    np.testing.assert_allclose(proba[1:3], [[0.6, 0.4], [0.6, 0.4]])  # the priors 3/5, 2/5
    np.testing.assert_allclose(proba[[0, 3]], [[1.0, 0.0], [0.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.predict_proba(queries[[0, 3]])  # every point explained: no warning
