"""PCA as the course writes it: the eigenvectors of the sample covariance.

The principal axes ``v_1 .. v_k`` are the eigenvectors of the sample
covariance ``C = 1/(n - 1) sum_i (x_i - mu)(x_i - mu)^T`` with the largest
eigenvalues ``lambda_1 >= .. >= lambda_k``; a point's code is
``z = V_k^T (x - mu)`` and its reconstruction ``x_hat = mu + V_k z``.

Probabilistic PCA (Tipping & Bishop, 1999) reads it as a density:
``z ~ N(0, I_k)``, ``x = W z + mu + eps``, ``eps ~ N(0, sigma^2 I_d)``, so
``x ~ N(mu, W W^T + sigma^2 I_d)`` with ``W W^T = V_k diag(lambda - sigma^2) V_k^T``.

The fast layer (:mod:`scratch_genmod.embed.fast.principal_axes`) gives the
same numbers by other routes (SVD, chunked ``A^T A``, randomized).
"""

import numpy as np

from scratch_genmod.core import check_array, gaussian_log_pdf
from scratch_genmod.embed.checks import check_n_components

__all__ = ["pca", "pca_encode", "pca_decode", "ppca_log_density"]


def pca(X, n_components):
    """The top ``k`` eigenvectors and eigenvalues of the sample covariance, and the codes.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    n_components : int
        ``k``, with ``1 <= k <= min(n_samples, n_features)``.

    Returns
    -------
    components : ndarray of shape (n_components, n_features)
        ``v_1 .. v_k`` as rows, by decreasing eigenvalue; each flipped so its
        largest-magnitude entry is positive (an eigenvector has no sign).
    explained_variance : ndarray of shape (n_components,)
        ``lambda_1 >= .. >= lambda_k``.
    Z : ndarray of shape (n_samples, n_components)
        The codes ``z_i = V_k^T (x_i - mu)``.

    Examples
    --------
    Here ``C = diag(8, 2) / 3``: the first axis is ``e_1`` with variance 8/3,
    and the codes are the first coordinates.

    >>> X = np.array([[2.0, 0.0], [0.0, 1.0], [-2.0, 0.0], [0.0, -1.0]])
    >>> V, lam, Z = pca(X, 1)
    >>> V.tolist(), round(float(lam[0]) * 3, 12), Z.ravel().tolist()
    ([[1.0, 0.0]], 8.0, [2.0, 0.0, -2.0, 0.0])
    """
    X = check_array(X, "X", min_samples=2)
    n, d = X.shape
    k = check_n_components(n_components, n, d)
    mu = X.mean(axis=0)
    A = X - mu
    C = A.T @ A / (n - 1)
    eigenvalues, eigenvectors = np.linalg.eigh(C)  # C is symmetric: eigh, increasing order
    top = np.argsort(eigenvalues)[::-1][:k]
    V = eigenvectors[:, top].T
    largest = V[np.arange(k), np.argmax(np.abs(V), axis=1)]
    V = V * np.where(largest < 0, -1.0, 1.0)[:, None]
    return V, eigenvalues[top], A @ V.T


def pca_encode(X, mu, V):
    """The codes ``z_i = V_k^T (x_i - mu)``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    mu : array-like of shape (n_features,)
    V : array-like of shape (n_components, n_features)
        The axes ``v_1 .. v_k`` as rows.

    Returns
    -------
    Z : ndarray of shape (n_samples, n_components)

    Examples
    --------
    >>> pca_encode([[3.0, 4.0]], [1.0, 1.0], [[0.0, 1.0]]).tolist()
    [[3.0]]
    """
    X, mu, V = _checked(X, mu, V)
    return (X - mu) @ V.T


def pca_decode(Z, mu, V):
    """The reconstructions ``x_hat_i = mu + V_k z_i``.

    Parameters
    ----------
    Z : array-like of shape (n_samples, n_components)
    mu : array-like of shape (n_features,)
    V : array-like of shape (n_components, n_features)

    Returns
    -------
    X_hat : ndarray of shape (n_samples, n_features)

    Examples
    --------
    >>> pca_decode([[3.0]], [1.0, 1.0], [[0.0, 1.0]]).tolist()
    [[1.0, 4.0]]
    """
    Z = check_array(Z, "Z")
    V = check_array(V, "V")
    mu = check_array(mu, "mu", ndim=1)
    if Z.shape[1] != V.shape[0] or mu.shape != (V.shape[1],):
        raise ValueError(f"Z has {Z.shape[1]} codes per row and mu {mu.shape}: they must match "
                         f"V of shape {V.shape}")
    return mu + Z @ V


def ppca_log_density(X, mu, V, lam, sigma2):
    """``log N(x | mu, W W^T + sigma^2 I)`` of each row, the covariance formed whole.

    ``W W^T + sigma^2 I = V_k^T diag(lambda - sigma^2) V_k + sigma^2 I``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    mu : array-like of shape (n_features,)
    V : array-like of shape (n_components, n_features)
    lam : array-like of shape (n_components,)
        ``lambda_1 .. lambda_k``.
    sigma2 : float
        ``sigma^2``, the mean of the discarded eigenvalues.

    Returns
    -------
    log_density : ndarray of shape (n_samples,)

    Examples
    --------
    One axis kept with ``lambda = 4`` and ``sigma^2 = 1``: the covariance is
    ``diag(4, 1)``, so at the mean ``log p = -log(2 pi) - log(2)``:

    >>> lp = ppca_log_density([[0.0, 0.0]], [0.0, 0.0], [[1.0, 0.0]], [4.0], 1.0)
    >>> bool(np.isclose(lp[0], -np.log(2 * np.pi) - np.log(2.0)))
    True
    """
    X, mu, V = _checked(X, mu, V)
    lam = check_array(lam, "lam", ndim=1)
    C = (V.T * (lam - sigma2)) @ V + sigma2 * np.eye(V.shape[1])
    return gaussian_log_pdf(X, mu, C)


def _checked(X, mu, V):
    """``X``, ``mu`` and ``V`` as float arrays whose feature counts agree."""
    X = check_array(X, "X")
    V = check_array(V, "V")
    mu = check_array(mu, "mu", ndim=1)
    if X.shape[1] != V.shape[1] or mu.shape != (V.shape[1],):
        raise ValueError(f"X has {X.shape[1]} features and mu shape {mu.shape}: both must "
                         f"match V of shape {V.shape}")
    return X, mu, V
