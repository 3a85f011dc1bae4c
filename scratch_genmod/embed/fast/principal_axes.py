"""Three routes to the principal axes of centred data ``A = X - 1 mu^T``.

PCA needs the top right singular vectors ``v_k`` of ``A`` (the principal
axes) and its singular values ``s_k`` (``s_k^2 / (n - 1)`` is the variance
along ``v_k``). Each route here returns them as ``(S, Vt)``:

* :func:`full_svd` - the thin SVD ``A = U S V^T`` by LAPACK. The reference:
  accurate to machine precision relative to ``s_1``, costs ``O(n d min(n, d))``.
* :func:`covariance_eigh` - the eigendecomposition of the ``d x d`` sample
  covariance ``C = A^T A / (n - 1) = V diag(s^2 / (n - 1)) V^T``. When
  ``n >> d`` this is far cheaper (one pass over ``X`` to build ``C``, then an
  ``O(d^3)`` eigh), but forming ``A^T A`` squares the condition number: the
  eigenvalues carry an absolute error of about ``eps * s_1^2``, so a singular
  value below ``sqrt(eps) * s_1 ~ 1.5e-8 s_1`` is lost in round-off (the full
  SVD resolves down to ``eps * s_1``). For the leading components of real
  data that is invisible; for a nearly rank-deficient ``X`` use ``full_svd``.
* :func:`randomized_svd` - Halko, Martinsson & Tropp (2011): find a small
  subspace that captures the range of ``A`` by multiplying a random matrix by
  ``A^T A`` a few times (power iterations), then take the exact SVD of ``A``
  restricted to it. Costs ``O(n d k)`` for ``k`` components.

``A`` is never formed when it can be avoided: products with it are taken as
``X Q - 1 (mu^T Q)``, so a 60,000 x 784 float64 ``X`` is not copied.

Signs: a singular vector is only defined up to sign, so every route flips
each ``v_k`` to make its largest-magnitude entry positive (:func:`flip_signs`);
the same data then gives the same axes whatever the route.
"""

import numpy as np

from scratch_genmod.core import check_array, check_random_state, check_scalar
from scratch_genmod.core.blas import blas_threads
from scratch_genmod.core.products import matmul_in_parts, matmul_transposed_in_parts

__all__ = ["full_svd", "covariance_eigh", "randomized_svd", "randomized_svd_unchecked", "total_variance",
           "flip_signs"]

# Rows of X handled at once when a pass over the data is made in chunks
# (about 16 MB of float64 for 784 features): bounded extra memory.
CHUNK_ROWS = 2560


def full_svd(X, mean):
    """All singular values and right singular vectors of ``X - mean`` by LAPACK.

    Same numbers as :func:`scratch_genmod.embed.textbook.pca`: ``Vt`` its
    components, ``S^2 / (n - 1)`` its explained variances.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    mean : ndarray of shape (n_features,)

    Returns
    -------
    S : ndarray of shape (min(n_samples, n_features),)
        Singular values, decreasing.
    Vt : ndarray of shape (min(n_samples, n_features), n_features)
        Right singular vectors as rows, signs fixed by :func:`flip_signs`.

    Examples
    --------
    ``s_k^2 / (n - 1)`` are the eigenvalues of the sample covariance:

    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(100, 3)) @ np.array([[3.0, 0, 0], [1, 1, 0], [0, 0, 0.1]])
    >>> S, Vt = full_svd(X, X.mean(axis=0))
    >>> bool(np.allclose(S ** 2 / 99, np.linalg.eigvalsh(np.cov(X.T))[::-1]))
    True
    """
    with blas_threads(1):  # the same bits at any load, and no threads that wait: core.blas
        _, S, Vt = np.linalg.svd(X - mean, full_matrices=False)
    return S, flip_signs(Vt)


def covariance_eigh(X, mean):
    """Singular values and right singular vectors of ``X - mean`` from ``A^T A``.

    Same numbers as :func:`scratch_genmod.embed.textbook.pca` (as
    :func:`full_svd`), to the accuracy discussed in the module docstring.

    ``A^T A = sum over row chunks of A_c^T A_c`` is accumulated in float64 one
    chunk of rows at a time, then ``eigh`` gives ``A^T A = V diag(s^2) V^T``.
    Read the module docstring for the accuracy trade-off.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    mean : ndarray of shape (n_features,)

    Returns
    -------
    S : ndarray of shape (min(n_samples, n_features),)
    Vt : ndarray of shape (min(n_samples, n_features), n_features)

    Examples
    --------
    On well-conditioned data it gives the same axes as the full SVD:

    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(100, 3)) @ np.array([[3.0, 0, 0], [1, 1, 0], [0, 0, 0.1]])
    >>> S, Vt = covariance_eigh(X, X.mean(axis=0))
    >>> S_full, Vt_full = full_svd(X, X.mean(axis=0))
    >>> bool(np.allclose(S, S_full) and np.allclose(Vt, Vt_full))
    True
    """
    n, d = X.shape
    gram = np.zeros((d, d))
    for start in range(0, n, CHUNK_ROWS):
        A_chunk = X[start:start + CHUNK_ROWS] - mean
        gram += A_chunk.T @ A_chunk  # NumPy computes A^T A with a symmetric rank-k update
    with blas_threads(1):  # a d x d factorization: see core.blas
        eigenvalues, V = np.linalg.eigh(gram)
    keep = min(n, d)
    # eigh sorts increasingly; a PSD matrix may still show eigenvalues of
    # -1e-16 * s_1^2 from round-off: they are zeros.
    s_squared = np.maximum(eigenvalues[::-1][:keep], 0.0)
    return np.sqrt(s_squared), flip_signs(V[:, ::-1][:, :keep].T)


def randomized_svd(X, n_components, *, mean=None, n_oversamples=10, n_power_iter=None,
                   random_state=None):
    """Approximate top singular triplets of ``A = X - 1 mean^T`` (Halko et al., 2011).

    Same numbers as :func:`scratch_genmod.embed.textbook.pca` (as
    :func:`full_svd`) once the subspace has converged; the implicit centring
    keeps fewer digits when the data sit far from the origin.

    With ``l = n_components + n_oversamples`` random directions ``Omega``
    (``d x l``), the right singular subspace is found by subspace iteration

        Z_0 = orth(Omega),    Z_{t+1} = orth(A^T A Z_t),   t = 0 .. q - 1,

    where ``orth`` is a QR factorisation of the small ``d x l`` matrix (it
    keeps the columns from all collapsing onto ``v_1``). Each iteration
    multiplies the gap between wanted and unwanted directions by
    ``(s_{k+1} / s_k)^2``. Finally ``B = A Z`` (``n x l``) has the thin SVD
    ``B = U S W^T`` and ``A ~= A Z Z^T = U S (Z W)^T``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_components : int
        Number of singular triplets wanted, ``1 <= k <= min(n_samples, n_features)``.
    mean : ndarray of shape (n_features,) or None, default=None
        Subtracted from every row implicitly (``A`` is never formed); None
        means no centring.
    n_oversamples : int, default=10
        Extra random directions; they make the top ``k`` converge faster.
    n_power_iter : int or None, default=None
        Number ``q`` of ``A^T A`` applications. None means 7 when
        ``k < 0.1 min(n, d)`` (slowly decaying spectra need more) and 4
        otherwise.
    random_state : None, int or numpy.random.Generator, default=None

    Returns
    -------
    U : ndarray of shape (n_samples, n_components)
    S : ndarray of shape (n_components,)
    Vt : ndarray of shape (n_components, n_features)
        Signs fixed by :func:`flip_signs` (``U`` follows them).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(50, 3)) @ rng.normal(size=(3, 20))   # rank 3
    >>> U, S, Vt = randomized_svd(X, 3, random_state=0)
    >>> bool(np.allclose(U * S @ Vt, X))
    True
    """
    X = check_array(X, "X")
    n, d = X.shape
    check_scalar(n_components, "n_components", int, min_val=1, max_val=min(n, d))
    if mean is None:
        mean = np.zeros(d)
    mean = check_array(mean, "mean", ndim=1)
    if mean.shape != (d,):
        raise ValueError(f"mean must have shape ({d},) to match X, got {mean.shape}")
    check_scalar(n_oversamples, "n_oversamples", int, min_val=0)
    if n_power_iter is not None:
        check_scalar(n_power_iter, "n_power_iter", int, min_val=0)
    return randomized_svd_unchecked(X, n_components, mean, n_oversamples, n_power_iter,
                           check_random_state(random_state))


def randomized_svd_unchecked(X, n_components, mean, n_oversamples, n_power_iter, rng):
    """:func:`randomized_svd` on checked input (PCA checks its own)."""
    n, d = X.shape
    if n_power_iter is None:
        n_power_iter = 7 if n_components < 0.1 * min(n, d) else 4
    n_random = min(n_components + n_oversamples, min(n, d))
    omega = rng.standard_normal((d, n_random))

    with blas_threads(1):  # thin factorizations, and products in parts: see core.blas
        Z = np.linalg.qr(omega)[0]
        for _ in range(n_power_iter):
            Z = np.linalg.qr(_At_times(X, mean, _A_times(X, mean, Z)))[0]
        U, S, Wt = np.linalg.svd(_A_times(X, mean, Z), full_matrices=False)
    Vt = Wt @ Z.T
    signs = _largest_entry_signs(Vt[:n_components])
    return U[:, :n_components] * signs, S[:n_components], Vt[:n_components] * signs[:, None]


def total_variance(X, mean):
    """``trace(C) = sum of squared centred entries / (n - 1)``, one chunk of rows at a time.

    The randomized route sees only the top of the spectrum, so the total
    variance (for the explained variance ratios) comes from this extra pass.
    """
    total = 0.0
    for start in range(0, X.shape[0], CHUNK_ROWS):
        chunk = X[start:start + CHUNK_ROWS] - mean
        total += float(np.einsum("ij,ij->", chunk, chunk))
    return total / (X.shape[0] - 1)


def flip_signs(Vt):
    """Flip each row of ``Vt`` so that its largest-magnitude entry is positive.

    >>> flip_signs(np.array([[0.6, -0.8], [0.8, 0.6]]))
    array([[-0.6,  0.8],
           [ 0.8,  0.6]])
    """
    return Vt * _largest_entry_signs(Vt)[:, None]


def _largest_entry_signs(Vt):
    """+1 or -1 per row: the sign of the row's largest-magnitude entry (ties: the first)."""
    if Vt.shape[0] == 0:
        return np.ones(0)
    largest = Vt[np.arange(Vt.shape[0]), np.argmax(np.abs(Vt), axis=1)]
    return np.where(largest < 0, -1.0, 1.0)


def _A_times(X, mean, M):
    """``(X - 1 mean^T) M`` without forming the centred matrix."""
    return matmul_in_parts(X, M) - mean @ M  # in parts: the same bits at any load


def _At_times(X, mean, M):
    """``(X - 1 mean^T)^T M = X^T M - mean (1^T M)`` without forming the centred matrix."""
    return matmul_transposed_in_parts(X, M) - np.outer(mean, M.sum(axis=0))
