"""PCA: exact reconstruction, orthonormal axes, eigenvalues of the sample covariance,
the three solvers agreeing, and probabilistic PCA's density."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from scratch_genmod.core import NotFittedError, gaussian_log_pdf, load, save
from scratch_genmod.embed import PCA, randomized_svd


def correlated_data(n=60, d=6, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)) @ rng.normal(size=(d, d)) + rng.normal(size=d) * 5


def max_principal_angle_sine(V1, V2):
    """Largest sine of the principal angles between the row spaces of V1 and V2 (orthonormal)."""
    residual = V2.T - V1.T @ (V1 @ V2.T)
    return np.linalg.norm(residual, 2)


@st.composite
def data_matrices(draw):
    n = draw(st.integers(2, 25))
    d = draw(st.integers(1, 8))
    elements = st.floats(-100, 100, allow_nan=False, allow_subnormal=False)
    return draw(arrays(np.float64, (n, d), elements=elements))


@settings(max_examples=60)
@given(data_matrices())
def test_all_components_reconstruct_exactly(X):
    pca = PCA(svd_solver="full").fit(X)
    scale = max(1.0, np.abs(X).max())
    np.testing.assert_allclose(pca.inverse_transform(pca.transform(X)), X, rtol=0, atol=1e-10 * scale)
    assert pca.n_components_ == min(X.shape)


@pytest.mark.parametrize("solver", ["full", "covariance_eigh", "randomized"])
def test_components_are_orthonormal_and_ratios_sum_to_one(solver):
    X = correlated_data()
    pca = PCA(svd_solver=solver, random_state=0).fit(X)
    C = pca.components_
    np.testing.assert_allclose(C @ C.T, np.eye(len(C)), atol=1e-12)
    np.testing.assert_allclose(pca.explained_variance_ratio_.sum(), 1.0, rtol=1e-12)


@pytest.mark.parametrize("solver", ["full", "covariance_eigh", "randomized"])
def test_explained_variance_is_the_eigenvalues_of_the_sample_covariance(solver):
    X = correlated_data()
    covariance = np.cov(X, rowvar=False)  # (1 / (n - 1)) sum (x - mean)(x - mean)^T
    eigenvalues = np.sort(np.linalg.eigvalsh(covariance))[::-1]
    pca = PCA(n_components=4, svd_solver=solver, random_state=0).fit(X)
    np.testing.assert_allclose(pca.explained_variance_, eigenvalues[:4], rtol=1e-10)
    np.testing.assert_allclose(pca.explained_variance_ratio_, eigenvalues[:4] / np.trace(covariance),
                               rtol=1e-10)
    np.testing.assert_allclose(pca.singular_values_ ** 2, eigenvalues[:4] * (len(X) - 1), rtol=1e-10)
    # each axis is an eigenvector: C v = lambda v
    for v, lam in zip(pca.components_, eigenvalues[:4]):
        np.testing.assert_allclose(covariance @ v, lam * v, atol=1e-9 * eigenvalues[0])


def test_solvers_agree_and_signs_are_deterministic():
    X = correlated_data(n=80, d=7, seed=3)
    axes = [PCA(n_components=5, svd_solver=s, random_state=1).fit(X).components_
            for s in ("full", "covariance_eigh", "randomized")]
    for A in axes[1:]:
        np.testing.assert_allclose(A, axes[0], atol=1e-8)
    largest = axes[0][np.arange(5), np.argmax(np.abs(axes[0]), axis=1)]
    assert np.all(largest > 0)
    same_seed = [PCA(3, svd_solver="randomized", random_state=7).fit(X).components_
                 for _ in range(2)]
    np.testing.assert_array_equal(same_seed[0], same_seed[1])


def test_transform_of_the_mean_is_zero_and_codes_are_projections():
    X = correlated_data()
    pca = PCA(n_components=3).fit(X)
    np.testing.assert_allclose(pca.transform(X.mean(axis=0, keepdims=True)), 0.0, atol=1e-10)
    np.testing.assert_allclose(pca.mean_, X.mean(axis=0))
    expected = np.array([[np.dot(x - X.mean(axis=0), v) for v in pca.components_] for x in X])
    np.testing.assert_allclose(pca.transform(X), expected, atol=1e-10)


def test_randomized_solver_agrees_with_full_on_a_low_rank_matrix():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(300, 5)) @ rng.normal(size=(5, 60)) + 3.0  # rank 5 after centring
    full = PCA(n_components=5, svd_solver="full").fit(X)
    rand = PCA(n_components=5, svd_solver="randomized", random_state=0).fit(X)
    np.testing.assert_allclose(rand.explained_variance_, full.explained_variance_, rtol=1e-10)
    np.testing.assert_allclose(rand.explained_variance_ratio_, full.explained_variance_ratio_,
                               rtol=1e-10)
    assert max_principal_angle_sine(full.components_, rand.components_) < 1e-8


def test_randomized_svd_reconstructs_a_low_rank_matrix_and_implicit_centring():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(40, 4)) @ rng.normal(size=(4, 30))
    mean = rng.normal(size=30)
    U, S, Vt = randomized_svd(X + mean, 4, mean=mean, n_power_iter=2, random_state=0)
    np.testing.assert_allclose((U * S) @ Vt, X, atol=1e-9)
    np.testing.assert_allclose(U.T @ U, np.eye(4), atol=1e-12)
    np.testing.assert_allclose(S, np.linalg.svd(X, compute_uv=False)[:4], rtol=1e-10)


def test_fractional_n_components_keeps_the_fewest_axes_above_the_fraction():
    X = correlated_data(n=100, d=8, seed=4)
    eigenvalues = np.sort(np.linalg.eigvalsh(np.cov(X, rowvar=False)))[::-1]
    cumulative = np.cumsum(eigenvalues) / eigenvalues.sum()
    for fraction in (0.5, 0.9, 0.99):
        expected = next(k + 1 for k in range(8) if cumulative[k] > fraction)
        assert PCA(n_components=fraction).fit(X).n_components_ == expected


def test_auto_solver_picks_the_covariance_route_when_samples_dominate():
    assert PCA(svd_solver="auto").fit(correlated_data(n=100, d=5)).solver_ == "covariance_eigh"
    assert PCA(svd_solver="auto").fit(correlated_data(n=20, d=5)).solver_ == "full"


def test_whitening_gives_unit_variance_and_inverts():
    X = correlated_data()
    pca = PCA(n_components=4, whiten=True).fit(X)
    Z = pca.transform(X)
    np.testing.assert_allclose(Z.var(axis=0, ddof=1), 1.0, rtol=1e-10)
    full = PCA(whiten=True).fit(X)
    np.testing.assert_allclose(full.inverse_transform(full.transform(X)), X, atol=1e-9)


def test_whitening_a_variance_free_axis_codes_zero_without_warnings():
    X = np.array([[0.0, 1.0], [1.0, 1.0], [2.0, 1.0], [3.0, 1.0]])  # second feature constant
    Z = PCA(whiten=True).fit(X).transform(X)
    assert np.all(np.isfinite(Z))
    np.testing.assert_array_equal(Z[:, 1], 0.0)


@pytest.mark.parametrize("k", [2, 5])
def test_score_samples_is_the_gaussian_density_of_probabilistic_pca(k):
    X = correlated_data(n=50, d=5, seed=7)
    pca = PCA(n_components=k).fit(X)
    eigenvalues = np.sort(np.linalg.eigvalsh(np.cov(X, rowvar=False)))[::-1]
    sigma2 = eigenvalues[k:].mean() if k < 5 else 0.0
    assert pca.noise_variance_ == pytest.approx(sigma2, rel=1e-10, abs=1e-12)
    # probabilistic PCA's covariance from the sample covariance's own eigen-decomposition
    values, vectors = np.linalg.eigh(np.cov(X, rowvar=False))
    top = np.argsort(values)[::-1][:k]
    W = vectors[:, top] * np.sqrt(values[top] - sigma2)
    covariance = W @ W.T + sigma2 * np.eye(5)
    expected = gaussian_log_pdf(X[:10], X.mean(axis=0), covariance)
    np.testing.assert_allclose(pca.score_samples(X[:10]), expected, rtol=1e-10)
    assert pca.score(X) == pytest.approx(np.mean(gaussian_log_pdf(X, X.mean(axis=0), covariance)))
    np.testing.assert_allclose(pca.get_covariance(), covariance, atol=1e-10)


def test_score_samples_refuses_a_degenerate_model():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2)) @ rng.normal(size=(2, 4))  # lies in a plane
    with pytest.raises(ValueError, match="n_components"):
        PCA(n_components=2).fit(X).score_samples(X)


def test_save_load_roundtrip(tmp_path):
    X = correlated_data()
    pca = PCA(n_components=3, whiten=True).fit(X)
    again = load(save(pca, tmp_path / "pca"))
    np.testing.assert_array_equal(again.transform(X), pca.transform(X))
    np.testing.assert_array_equal(again.score_samples(X), pca.score_samples(X))
    assert again.get_params() == pca.get_params()


@pytest.mark.parametrize("params, name", [
    ({"n_components": 7}, "n_components"),
    ({"n_components": 0}, "n_components"),
    ({"n_components": 1.5}, "n_components"),
    ({"n_components": 0.5, "svd_solver": "randomized"}, "n_components"),
    ({"n_components": "two"}, "n_components"),
    ({"svd_solver": "fulll"}, "svd_solver"),
    ({"whiten": "yes"}, "whiten"),
])
def test_bad_parameters_are_named(params, name):
    X = correlated_data(n=20, d=6)
    with pytest.raises((ValueError, TypeError), match=name):
        PCA(**params).fit(X)


def test_n_components_above_n_features_is_a_clear_error():
    with pytest.raises(ValueError, match=r"n_components=7 must be <= .* 6"):
        PCA(n_components=7).fit(correlated_data(n=20, d=6))


def test_bad_data_is_named():
    X = correlated_data(n=20, d=4)
    X_nan = X.copy()
    X_nan[3, 1] = np.nan
    with pytest.raises(ValueError, match="X contains 1 NaN"):
        PCA().fit(X_nan)
    with pytest.raises(ValueError, match="X"):
        PCA().fit(X[0])
    pca = PCA(2).fit(X)
    with pytest.raises(ValueError, match="X has 3 features"):
        pca.transform(X[:, :3])
    with pytest.raises(ValueError, match="Z has 3 features"):
        pca.inverse_transform(np.zeros((1, 3)))
    with pytest.raises(NotFittedError):
        PCA().transform(X)


def test_fit_does_not_modify_its_input():
    X = correlated_data()
    copy = X.copy()
    PCA(3, svd_solver="covariance_eigh").fit(X).transform(X)
    PCA(3, svd_solver="randomized", random_state=0).fit(X)
    np.testing.assert_array_equal(X, copy)


@pytest.mark.parametrize("kwargs, name", [
    ({"n_components": 0}, "n_components"),
    ({"n_components": 3, "n_oversamples": -1}, "n_oversamples"),
    ({"n_components": 3, "n_power_iter": -2}, "n_power_iter"),
    ({"n_components": 3, "mean": np.zeros(2)}, "mean"),
])
def test_randomized_svd_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        randomized_svd(np.ones((10, 5)), **kwargs)


def test_a_tiny_discarded_variance_keeps_its_digits():
    # sigma^2 = mean of the discarded eigenvalues; total minus kept would cancel to ~1e-12 noise
    X = np.random.default_rng(5).normal(size=(500, 3)) * [100.0, 1.0, 1e-6]
    smallest = np.linalg.eigvalsh(np.cov(X, rowvar=False))[0]  # ~1e-12, well resolved here
    pca = PCA(2, svd_solver="full").fit(X)
    assert pca.noise_variance_ == pytest.approx(smallest, rel=1e-6)
    assert np.isfinite(pca.score(X))


def test_a_variance_fraction_of_constant_data_keeps_one_component():
    pca = PCA(0.5).fit(np.ones((10, 3)))  # total variance 0: no division by it (RuntimeWarning)
    assert pca.n_components_ == 1 and np.all(pca.explained_variance_ratio_ == 0)


@pytest.mark.parametrize("solver", ["covariance_eigh", "full"])
@pytest.mark.parametrize("X", [
    np.random.default_rng(0).normal(size=(24, 2)) * 1e200,  # variances of 1e400
    np.random.default_rng(0).normal(size=(24, 2)) * 1e-300 + 1e300,  # the mean's rounding: 1e284
], ids=["spread_1e200", "at_1e300"])
def test_variances_beyond_float64_are_an_error_naming_x(X, solver):
    # issue 27: transform gave NaN (the Gram matrix overflowed, then eigh of inf)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="X is spread too widely: its variances overflow"):
            PCA(1, svd_solver=solver).fit(X)

