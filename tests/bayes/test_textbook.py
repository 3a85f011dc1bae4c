"""The fast layer gives the textbook's numbers: tables, Bayes' rule, the Gaussian and
naive-Bayes classifiers and logistic regression's loss, on hypothesis data with far
offsets, extreme scales and duplicated points; and the textbook's own errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.bayes import (GaussianNB, GenerativeClassifier, bayes_posterior,
                                  conditional_table, joint_table, log_loss_and_gradient,
                                  log_posterior, marginal_table)
from scratch_genmod.bayes.textbook import (bayes_rule, count_pairs, fit_gaussians, fit_naive_bayes,
                                           gaussian_log_density, gaussian_posterior,
                                           generative_decision, joint, log_loss,
                                           log_loss_gradient, marginal_x, naive_bayes_log_likelihood,
                                           x_given_y, y_given_x)
from scratch_genmod.core import BaseEstimator, check_array


class MLGaussian(BaseEstimator):
    """The maximum-likelihood Gaussian as a class density, through the textbook."""

    def fit(self, X):
        X = check_array(X, "X")
        _, _, means, covariances = fit_gaussians(X, np.zeros(len(X)))
        self.mean_, self.covariance_ = means[0], covariances[0]
        return self

    def score_samples(self, X):
        return gaussian_log_density(X, self.mean_, self.covariance_)


pairs = st.lists(st.tuples(st.integers(0, 3), st.sampled_from("abc")), min_size=1, max_size=40)


@settings(max_examples=60)
@given(pairs)
def test_tables_are_the_textbook_tables(data):
    x, y = [a for a, _ in data], [b for _, b in data]
    P = joint(count_pairs(x, y))
    np.testing.assert_allclose(joint_table(x, y).values, P, rtol=1e-15)
    np.testing.assert_allclose(conditional_table(x, y).values, y_given_x(P), rtol=1e-15)
    np.testing.assert_allclose(conditional_table(x, y, given="y").values, x_given_y(P),
                               rtol=1e-15)
    np.testing.assert_allclose(marginal_table(x).values, marginal_x(P), rtol=1e-15)


@settings(max_examples=60)
@given(pairs, st.lists(st.floats(0.05, 1.0), min_size=3, max_size=3))
def test_bayes_posterior_is_the_textbook_bayes_rule(data, weights):
    x, y = [a for a, _ in data], [b for _, b in data]
    likelihood = conditional_table(x, y, given="y")
    n_y = len(likelihood.row_labels)
    prior = np.array(weights[:n_y]) / sum(weights[:n_y])
    np.testing.assert_allclose(bayes_posterior(likelihood, prior).values,
                               bayes_rule(likelihood.values, prior), rtol=1e-12)


@settings(max_examples=60)
@given(st.integers(0, 2 ** 32 - 1), st.integers(2, 5),
       st.sampled_from([1.0, 1e-250, 1e250]))
def test_log_posterior_is_the_textbook_bayes_rule_and_decision(seed, n_classes, scale):
    # densities as small or large as float64 holds: the textbook gets them rescaled
    rng = np.random.default_rng(seed)
    likelihood = rng.uniform(0.01, 1.0, size=(20, n_classes))
    prior = rng.dirichlet(np.ones(n_classes))
    post = np.exp(log_posterior(np.log(likelihood * scale), np.log(prior)))
    np.testing.assert_allclose(post, bayes_rule(likelihood.T, prior), rtol=1e-12)
    np.testing.assert_array_equal(post.argmax(axis=1),
                                  generative_decision(np.log(likelihood), np.log(prior)))


@st.composite
def labelled_clouds(draw):
    """Classes of points far from the origin, at extreme scales, with duplicated rows."""
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    n_classes, d = draw(st.integers(2, 4)), draw(st.integers(1, 3))
    n = draw(st.integers(4 * n_classes + d * n_classes, 60))
    y = np.arange(n) % n_classes
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 2.0, size=d) + 1.5 * y[:, None]
    X[:3] = X[n_classes:n_classes + 3]  # duplicated points (of the same classes)
    offset = draw(st.sampled_from([0.0, 1e6]))
    scale = draw(st.sampled_from([1.0, 1e-150, 1e150]))
    queries = rng.normal(size=(15, d)) * 2 + 1.0
    return (X + offset) * scale, y, (queries + offset) * scale, scale


@settings(max_examples=40, deadline=None)
@given(labelled_clouds())
def test_gaussian_naive_bayes_is_the_textbook_one(cloud):
    X, y, queries, scale = cloud
    model = GaussianNB(var_smoothing=0.0).fit(X, y)
    _, priors, theta, sigma2 = fit_naive_bayes(X, y)
    np.testing.assert_allclose(model.class_prior_, priors, rtol=1e-15)
    np.testing.assert_allclose(model.theta_, theta, rtol=1e-12)
    np.testing.assert_allclose(model.var_, sigma2, rtol=1e-6)  # offset 1e6: digits cancel
    log_likelihood = naive_bayes_log_likelihood(queries, model.theta_, model.var_)
    np.testing.assert_allclose(model.predict_proba(queries),
                               np.exp(log_posterior(log_likelihood, np.log(priors))),
                               rtol=1e-9, atol=1e-300)
    np.testing.assert_array_equal(model.predict(queries),
                                  generative_decision(log_likelihood, np.log(priors)))


@settings(max_examples=40, deadline=None)
@given(labelled_clouds())
def test_gaussian_generative_classifier_is_the_textbook_posterior(cloud):
    X, y, queries, scale = cloud
    model = GenerativeClassifier(MLGaussian()).fit(X, y)
    _, priors, means, covariances = fit_gaussians(X, y)
    np.testing.assert_allclose(model.class_prior_, priors, rtol=1e-15)
    np.testing.assert_allclose(model.predict_proba(queries),
                               gaussian_posterior(queries, priors, means, covariances),
                               rtol=1e-9, atol=1e-300)


def test_the_library_gaussian_density_is_the_textbook_formula():
    from scratch_genmod.core import gaussian_log_pdf
    rng = np.random.default_rng(0)
    A = rng.normal(size=(3, 3))
    mean, covariance = rng.normal(size=3) + 1e6, A @ A.T + 0.1 * np.eye(3)
    X = mean + rng.normal(size=(10, 3))
    np.testing.assert_allclose(gaussian_log_pdf(X, mean, covariance),
                               gaussian_log_density(X, mean, covariance), rtol=1e-12)


@settings(max_examples=40)
@given(st.integers(0, 2 ** 32 - 1), st.sampled_from([2, 3, 5]), st.floats(0.0, 1.0),
       st.sampled_from([1.0, 1e3]))
def test_log_loss_and_gradient_are_the_textbook_ones(seed, n_classes, alpha, spread):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(25, 3)) * spread
    Y = np.eye(n_classes)[rng.integers(0, n_classes, size=25)]
    n_free = 1 if n_classes == 2 else n_classes
    W, b = rng.normal(size=(3, n_free)) / spread, rng.normal(size=n_free)
    J, grad_W, grad_b = log_loss_and_gradient(W, b, X, Y, alpha)
    if n_classes == 2:  # the library's binary model fixes class 0's score at 0
        W, b = np.column_stack([np.zeros(3), W]), np.r_[0.0, b]
    expected_W, expected_b = log_loss_gradient(W, b, X, Y, alpha)
    assert J == pytest.approx(log_loss(W, b, X, Y, alpha), rel=1e-12)
    np.testing.assert_allclose(grad_W, expected_W[:, -n_free:], rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(grad_b, expected_b[-n_free:], rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("call, match", [
    (lambda: count_pairs([1, 2], [1]), "x and y must have the same number of samples"),
    (lambda: joint([[1.0, -1.0]]), "N must hold non-negative"),
    (lambda: bayes_rule([[0.5, 0.5]], [0.5, 0.5]), "prior must have one entry per row"),
    (lambda: generative_decision([[0.0, 0.0]], [0.0]), "log_prior must have one entry"),
    (lambda: fit_gaussians([[0.0], [np.nan]], [0, 1]), "X contains 1 NaN"),
    (lambda: gaussian_log_density([[0.0]], [0.0], [[-1.0]]), "covariance must be positive"),
    (lambda: gaussian_posterior([[0.0]], [1.0], [[0.0], [1.0]], [[[1.0]]]), "one entry per class"),
    (lambda: naive_bayes_log_likelihood([[0.0]], [[0.0]], [[0.0]]), "sigma2 must be positive"),
    (lambda: log_loss(np.zeros((2, 2)), np.zeros(2), [[1.0]], [[1.0, 0.0]]), "W, b and Y"),
    (lambda: log_loss_gradient(np.zeros((1, 2)), np.zeros(2), [[1.0]], [[1.0, 0.0]], -1.0),
     "alpha must be >= 0"),
])
def test_bad_input_is_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()
