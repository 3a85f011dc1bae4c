"""A linear autoencoder does what PCA does (the course: sigma = Id), up to a basis change."""

import numpy as np
import pytest

from scratch_genmod.nn import Autoencoder, compare_linear_autoencoder_pca, principal_angles


def correlated_data(n=400, seed=0):
    rng = np.random.default_rng(seed)
    scales = np.array([3.0, 2.0, 1.0, 0.3, 0.2, 0.1])
    rotation, _ = np.linalg.qr(rng.normal(size=(6, 6)))
    return (rng.normal(size=(n, 6)) * scales) @ rotation.T + rng.normal(size=6)


def test_full_code_size_reconstructs_almost_exactly():
    X = correlated_data()
    ae = Autoencoder((6, 6), activation="identity", output_activation="identity", lr=5e-2,
                     epochs=1000, batch_size=len(X), dtype="float64", progress=False,
                     random_state=0).fit(X)
    total_variance = X.var(axis=0).sum()
    assert ae.reconstruction_error(X).mean() < 1e-3 * total_variance


@pytest.mark.parametrize("d", [1, 2, 3])
def test_reaches_the_pca_optimum_and_subspace(d):
    X = correlated_data()
    result = compare_linear_autoencoder_pca(X, d, random_state=0)
    # independent PCA: eigen-decomposition of the covariance (1/n normalisation)
    Xc = X - X.mean(axis=0)
    eigenvalues, eigenvectors = np.linalg.eigh(Xc.T @ Xc / len(X))
    order = np.argsort(eigenvalues)[::-1]
    optimum = eigenvalues[order][d:].sum()
    assert result["pca_error"] == pytest.approx(optimum, rel=1e-10)
    assert optimum <= result["ae_error"] <= 1.02 * optimum
    # the decoder's column space against the top-d eigenvectors, by cosines of angles
    W = result["autoencoder"].decoder_.params()[0].T
    Q, _ = np.linalg.qr(W)
    top = eigenvectors[:, order[:d]]
    cosines = np.linalg.svd(Q.T @ top, compute_uv=False)
    assert np.degrees(np.arccos(np.clip(cosines.min(), -1, 1))) < 2.0
    assert result["angles"].max() < 2.0


def test_decoder_basis_is_not_orthonormal():
    """Same subspace as PCA, but nothing forces orthonormal columns."""
    X = correlated_data()
    W = compare_linear_autoencoder_pca(X, 2, epochs=300, random_state=0)[
        "autoencoder"].decoder_.params()[0]
    assert not np.allclose(W @ W.T, np.eye(2), atol=1e-2)


def test_principal_angles_known_cases():
    e = np.eye(3)
    np.testing.assert_allclose(principal_angles(e[:, :2], e[:, :2]), [0.0, 0.0], atol=1e-6)
    np.testing.assert_allclose(principal_angles(e[:, :1], e[:, 1:2]), [90.0])
    # a basis change does not move the subspace
    np.testing.assert_allclose(principal_angles(e[:, :2] @ [[2.0, 1.0], [0.0, 3.0]], e[:, :2]),
                               [0.0, 0.0], atol=1e-6)
    with pytest.raises(ValueError, match="same number of rows"):
        principal_angles(np.ones((3, 1)), np.ones((2, 1)))


def test_bad_code_size():
    with pytest.raises(ValueError, match="n_components"):
        compare_linear_autoencoder_pca(correlated_data(), 7)
