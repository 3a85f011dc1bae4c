"""A linear autoencoder learns the PCA subspace (without its orthogonal basis).

With ``sigma = Id`` the autoencoder is ``H(x) = W_D (W_E x + b_E) + b_D``, a
map of rank at most ``d``. The best such map in squared error is the
projection on the top-``d`` principal subspace (Eckart-Young), and its error
per sample is the sum of the discarded eigenvalues of the covariance:

    min E ||x - H(x)||^2 = sum_{k > d} lambda_k.

So training reaches the PCA optimum, and the decoder's columns span the same
subspace as the first ``d`` principal directions, but they need not be
orthonormal nor be the directions themselves: any invertible ``A`` gives the
same ``H`` with ``W_D A`` and ``A^{-1} W_E``. Principal angles between the two
subspaces measure how close they are: 0 degrees means the same subspace.
"""

import numpy as np

from scratch_genmod.core import check_array, check_scalar
from scratch_genmod.core.blas import blas_threads
from scratch_genmod.embed import PCA
from scratch_genmod.nn.autoencoder import Autoencoder

__all__ = ["compare_linear_autoencoder_pca", "principal_angles"]


def compare_linear_autoencoder_pca(X, n_components, epochs=1000, lr=5e-2, batch_size=None,
                                   random_state=None):
    """Train a linear autoencoder with code size ``d`` and compare it with PCA.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_components : int
        Code size ``d``, in [1, n_features].
    epochs : int, default=1000
    lr : float, default=5e-2
        Adam's learning rate.
    batch_size : int or None, default=None
        None trains on the whole of ``X`` at each step: without the noise of
        mini-batches, Adam settles on the optimum itself rather than near it.
    random_state : None, int or numpy.random.Generator, default=None

    Returns
    -------
    result : dict
        ``"autoencoder"`` (the fitted float64 :class:`Autoencoder`), ``"pca"``
        (the fitted :class:`~scratch_genmod.embed.PCA`), ``"ae_error"`` and
        ``"pca_error"`` (mean ``||x - H(x)||^2`` per sample, for ``H`` the
        autoencoder and the PCA projection; the latter is the optimum
        ``(n - 1)/n sum_{k > d} lambda_k`` over all linear autoencoders of
        latent size d) and ``"angles"``
        (principal angles in degrees between the decoder's column space and
        the top-``d`` principal subspace, ndarray of shape (d,), ascending).

    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 2)) @ [[3.0, 1.0, 0.0], [0.0, 1.0, 2.0]]
    >>> X += 0.3 * rng.normal(size=(300, 3))
    >>> r = compare_linear_autoencoder_pca(X, 2, epochs=300, random_state=0)
    >>> bool(r["angles"].max() < 2.0), bool(r["ae_error"] < 1.02 * r["pca_error"])
    (True, True)
    """
    X = check_array(X, "X", min_samples=2)
    d = check_scalar(n_components, "n_components", int, min_val=1, max_val=X.shape[1])
    ae = Autoencoder((X.shape[1], d), activation="identity", output_activation="identity",
                     lr=lr, epochs=epochs, batch_size=X.shape[0] if batch_size is None else batch_size,
                     dtype="float64",
                     progress=False, random_state=random_state).fit(X)
    pca = PCA(n_components=d).fit(X)  # the sibling family's public estimator
    pca_residual = X - pca.inverse_transform(pca.transform(X))
    decoder_W = ae.decoder_.params()[0]  # shape (d, n_features): its rows span the output
    return {
        "autoencoder": ae,
        "pca": pca,
        "ae_error": float(ae.reconstruction_error(X).mean()),
        "pca_error": float(np.einsum("ij,ij->i", pca_residual, pca_residual).mean()),
        "angles": principal_angles(decoder_W.T, pca.components_.T),
    }


def principal_angles(A, B):
    """Principal angles, in degrees, between the column spaces of ``A`` and ``B``.

    With orthonormal bases ``Q_A``, ``Q_B`` (QR), the cosines of the angles
    are the singular values of ``Q_A^T Q_B`` (Bjorck & Golub, 1973).

    Parameters
    ----------
    A : ndarray of shape (n, p)
    B : ndarray of shape (n, q)

    Returns
    -------
    angles : ndarray of shape (min(p, q),), ascending

    >>> np.round(principal_angles([[1.0], [0.0]], [[1.0], [1.0]]), 6)
    array([45.])
    """
    A = check_array(A, "A")
    B = check_array(B, "B", n_features=None)
    if A.shape[0] != B.shape[0]:
        raise ValueError(f"A and B must have the same number of rows, got {A.shape[0]} "
                         f"and {B.shape[0]}")
    with blas_threads(1):  # thin factorizations: see core.blas
        Qa, _ = np.linalg.qr(A)
        Qb, _ = np.linalg.qr(B)
        cosines = np.clip(np.linalg.svd(Qa.T @ Qb, compute_uv=False), -1.0, 1.0)
    return np.sort(np.degrees(np.arccos(cosines)))
