import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from scratch_genmod.core import logmath
from scratch_genmod.core import (
    cholesky,
    gaussian_log_density,
    gaussian_log_pdf,
    log_softmax,
    logsumexp,
    precision_cholesky,
)

moderate = hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=5),
                      elements=st.floats(-50, 50))


@given(moderate)
def test_logsumexp_matches_direct_formula(a):
    assert np.isclose(logsumexp(a), np.log(np.sum(np.exp(a))), rtol=1e-12, atol=1e-12)
    for axis in range(a.ndim):
        direct = np.log(np.sum(np.exp(a), axis=axis, keepdims=True))
        np.testing.assert_allclose(logsumexp(a, axis=axis, keepdims=True), direct, rtol=1e-12, atol=1e-12)
        assert logsumexp(a, axis=axis).shape == np.sum(a, axis=axis).shape


@given(moderate)
def test_log_softmax_is_normalised(a):
    out = log_softmax(a, axis=-1)
    np.testing.assert_allclose(np.exp(out).sum(axis=-1), 1.0, rtol=1e-12)
    direct = np.exp(a) / np.exp(a).sum(axis=-1, keepdims=True)
    np.testing.assert_allclose(np.exp(out), direct, rtol=1e-10, atol=1e-300)


@pytest.mark.parametrize("scale", [1e300, 1e-300, -1e300])
def test_logsumexp_extreme_scales(scale):
    a = np.array([scale, scale, scale])
    # log(3 e^s) = s + log 3; at 1e300 the log 3 is below float resolution
    assert logsumexp(a) == pytest.approx(scale + math.log(3), rel=1e-15)
    assert np.isfinite(logsumexp(a))


def test_logsumexp_minus_inf_rows_without_warnings():
    a = np.array([[-np.inf, -np.inf], [0.0, -np.inf]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = logsumexp(a, axis=1)
        soft = log_softmax(a, axis=1)
    assert out[0] == -np.inf and out[1] == 0.0
    assert np.all(soft[0] == -np.inf) and soft[1, 0] == 0.0 and soft[1, 1] == -np.inf
    assert logsumexp(np.zeros((2, 0)), axis=1).tolist() == [-np.inf, -np.inf]


def _spd(draw_matrix):
    A = np.asarray(draw_matrix)
    return A @ A.T + A.shape[0] * np.eye(A.shape[0])


spd = st.integers(1, 4).flatmap(
    lambda d: hnp.arrays(np.float64, (d, d), elements=st.floats(-3, 3)).map(_spd))


@given(spd, st.data())
def test_gaussian_log_pdf_matches_direct_formula(cov, data):
    d = cov.shape[0]
    X = data.draw(hnp.arrays(np.float64, (5, d), elements=st.floats(-10, 10)))
    mean = data.draw(hnp.arrays(np.float64, (d,), elements=st.floats(-5, 5)))
    diff = X - mean
    maha = np.einsum("ij,jk,ik->i", diff, np.linalg.inv(cov), diff)
    direct = -0.5 * (d * np.log(2 * np.pi) + np.log(np.linalg.det(cov)) + maha)
    np.testing.assert_allclose(gaussian_log_pdf(X, mean, cov), direct, rtol=1e-9, atol=1e-9)


@given(spd)
def test_precision_cholesky_factorises_the_precision(cov):
    U = precision_cholesky(cov)
    np.testing.assert_allclose(U @ U.T, np.linalg.inv(cov), rtol=1e-9, atol=1e-12)
    assert np.allclose(np.tril(U, -1), 0.0)


@pytest.mark.parametrize("n", [1, 5, 8, 13])
def test_lower_inverse_by_halves_is_the_inverse(monkeypatch, n):
    # Halves down to 2 x 2 blocks (every level of the recursion runs), a stack of
    # two matrices and one alone; checked against np.linalg.inv and L L^-1 = I.
    monkeypatch.setattr(logmath, "_TRIANGULAR_BLOCK", 2)
    rng = np.random.default_rng(n)
    L = np.tril(rng.normal(size=(2, n, n))) + 3 * np.eye(n)
    got = logmath.lower_inverse(L)
    np.testing.assert_allclose(got, np.linalg.inv(L), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(L[0] @ logmath.lower_inverse(L[0]), np.eye(n), atol=1e-13)
    assert np.all(np.triu(got, 1) == 0.0)
    above = L + np.triu(np.ones((n, n)), 1)  # entries above the diagonal are not read
    np.testing.assert_array_equal(logmath.lower_inverse(above), got)


@pytest.mark.parametrize("L, message", [
    (np.ones(3), "square"), (np.ones((2, 3)), "square"),
    (np.array([[1.0, 0.0], [2.0, 0.0]]), "zero on its diagonal"),
    (np.array([[1.0, 0.0], [np.nan, 1.0]]), "finite"),
])
def test_lower_inverse_refuses_what_has_no_inverse(L, message):
    with pytest.raises(ValueError, match=message):
        logmath.lower_inverse(L)


@pytest.mark.parametrize("c", [1e150, 1e-150])
def test_gaussian_log_pdf_extreme_scales(c):
    # N(c x; c mu, c^2 Sigma) = N(x; mu, Sigma) / c^d : the log shifts by -d log c exactly
    cov = np.array([[2.0, 0.5], [0.5, 1.0]])
    X = np.array([[0.3, -1.0], [2.0, 0.1]])
    mean = np.array([0.1, 0.2])
    base = gaussian_log_pdf(X, mean, cov)
    scaled = gaussian_log_pdf(c * X, c * mean, c * c * cov)
    np.testing.assert_allclose(scaled, base - 2 * np.log(c), rtol=1e-12)


def test_far_point_has_finite_log_density():
    out = gaussian_log_density(np.array([[1e100]]), np.zeros(1), np.ones((1, 1)))
    assert np.isfinite(out[0]) and out[0] == pytest.approx(-0.5 * 1e200)


def test_cholesky_errors():
    with pytest.raises(ValueError, match="covariance is not positive definite"):
        cholesky([[1.0, 2.0], [2.0, 1.0]], "covariance")
    with pytest.raises(ValueError, match="H must be symmetric"):
        cholesky([[1.0, 0.5], [0.0, 1.0]], "H")
    with pytest.raises(ValueError, match=r"H must be square, got shape \(1, 2\)"):
        cholesky([[1.0, 0.5]], "H")
    with pytest.raises(ValueError, match="H contains 1 NaN"):
        cholesky([[np.nan]], "H")


def test_gaussian_log_pdf_shape_errors():
    with pytest.raises(ValueError, match=r"mean must have shape \(2,\)"):
        gaussian_log_pdf(np.zeros((1, 2)), [0.0], np.eye(2))
    with pytest.raises(ValueError, match=r"covariance must have shape \(2, 2\)"):
        gaussian_log_pdf(np.zeros((1, 2)), [0.0, 0.0], np.eye(3))
