"""bayes/fast/ gives the textbook's numbers (bayes.textbook as reference)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.bayes.fast.logistic_loss import loss_and_gradient
from scratch_genmod.bayes.fast.naive_bayes import diagonal_gaussian_log_likelihood
from scratch_genmod.bayes.textbook import log_loss, log_loss_gradient, naive_bayes_log_likelihood


@settings(max_examples=50)
@given(st.integers(0, 2**32 - 1), st.integers(1, 4), st.integers(1, 5),
       st.sampled_from([1e-6, 1.0, 1e4]), st.sampled_from([0.0, 1e5]))
def test_diagonal_gaussian_log_likelihood_is_the_textbook_one(seed, n_classes, d, scale, shift):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(7, d)) * scale + shift
    theta = rng.normal(size=(n_classes, d)) * scale + shift
    sigma2 = rng.uniform(0.1, 3.0, size=(n_classes, d)) * scale ** 2
    np.testing.assert_allclose(diagonal_gaussian_log_likelihood(X, theta, sigma2),
                               naive_bayes_log_likelihood(X, theta, sigma2), rtol=1e-12, atol=1e-9)


@settings(max_examples=50)
@given(st.integers(0, 2**32 - 1), st.sampled_from([2, 3, 5]), st.integers(1, 4),
       st.floats(0.0, 2.0), st.sampled_from([0.1, 1.0, 30.0]))
def test_loss_and_gradient_are_the_textbook_ones(seed, n_classes, d, alpha, scale):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(9, d)) * scale
    Y = np.eye(n_classes)[rng.integers(n_classes, size=9)]
    n_free = 1 if n_classes == 2 else n_classes
    W, b = rng.normal(size=(d, n_free)), rng.normal(size=n_free)
    # The textbook takes every class's column: for two classes class 0's is fixed at 0.
    W_full = np.column_stack([np.zeros(d), W]) if n_free == 1 else W
    b_full = np.r_[0.0, b] if n_free == 1 else b
    J, grad_W, grad_b = loss_and_gradient(W, b, X, Y, alpha)
    expected_W, expected_b = log_loss_gradient(W_full, b_full, X, Y, alpha)
    np.testing.assert_allclose(J, log_loss(W_full, b_full, X, Y, alpha), rtol=1e-12)
    np.testing.assert_allclose(grad_W, expected_W[:, -n_free:], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(grad_b, expected_b[-n_free:], rtol=1e-10, atol=1e-12)
    assert loss_and_gradient(W, b, X, Y, alpha, gradient=False)[1:] == (None, None)
