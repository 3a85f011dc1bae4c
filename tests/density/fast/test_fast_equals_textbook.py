"""The fast paths give the textbook's numbers, on awkward data, within their rounding.

Each tolerance is the rounding the fast algorithm can make, derived from the
sizes of the quantities it subtracts (see each test), never a loose constant:
far offsets (1e7, 1e8 spreads from the origin), scales 1e-150 to 1e150,
empty components and clusters, repeated points.
"""

import math
import warnings

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scratch_genmod.density import GaussianMixture, KernelDensity
from scratch_genmod.density.fast import gmm_em, lloyd, precisions
from scratch_genmod.density import textbook as tb
from scratch_genmod.density.textbook import KERNELS

EPS = np.finfo(float).eps
TYPES = ["full", "tied", "diag", "spherical"]
scales = st.sampled_from([1e-150, 1e-20, 1.0, 1e20, 1e150])
offsets = st.sampled_from([0.0, 1e7, 1e8])


def awkward_data(rng, n, d, offset, duplicates):
    """Clusters of unit spread, ``offset`` spreads from the origin, the first rows repeated."""
    X = rng.normal(size=(n, d)) + rng.integers(0, 3, size=(n, 1)) * 4.0 + offset
    if duplicates:
        X[1:n // 3] = X[0]
    return X


def start(rng, kind, k, d, X, empty):
    """Random weights, means at data points (one far away when ``empty``), covariances."""
    alpha = rng.dirichlet(np.full(k, 2.0))
    means = X[rng.choice(len(X), size=k, replace=False)] + rng.normal(scale=0.3, size=(k, d))
    if empty:  # 1000 spreads from every point: its gamma is exp(-5e5) = exactly 0
        means[-1] = X.max(axis=0) + 1e3
    A = rng.normal(size=(k, d, d))
    full = A @ A.transpose(0, 2, 1) + 0.5 * np.eye(d)
    cov = {"full": full, "tied": full[0], "diag": rng.uniform(0.5, 2, (k, d)),
           "spherical": rng.uniform(0.5, 2, k)}[kind]
    return alpha, means, cov


def as_full(cov, kind, k, d):
    return {"full": lambda: cov, "tied": lambda: np.repeat(cov[None], k, axis=0),
            "diag": lambda: np.stack([np.diag(c) for c in cov]),
            "spherical": lambda: cov[:, None, None] * np.eye(d)}[kind]()


def log_rounding(X, alpha, means, cov, kind, gamma):
    """Bound on the fast E-step's error in log gamma_{t,i} and log f(x_t).

    It forms log Phi_i from whitened coordinates x U_i and mu_i U_i (full,
    tied) or from the expanded squares u^2 x^2 - 2 u^2 mu x + u^2 mu^2 (diag,
    spherical): each is rounded by ~d eps (|x U| + |mu U|)^2. Only the
    components that carry some of a point's mass (gamma > 0) count for it.
    """
    k, d = means.shape
    sigmas = as_full(cov, kind, k, d)
    size = np.empty((len(X), k))
    for i in range(k):
        W = np.linalg.cholesky(np.linalg.inv(sigmas[i]))  # a whitening U_i
        size[:, i] = np.sum((np.abs(X @ W) + np.abs(means[i] @ W)) ** 2, axis=1)
    per_point = np.where(gamma > 0, size, 0.0).max(axis=1)
    return 16 * (d + 1) * EPS * (per_point + abs(math.log(alpha.min())) + 50.0)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), kind=st.sampled_from(TYPES), k=st.integers(1, 4),
       d=st.integers(1, 3), scale=scales, empty=st.booleans(), duplicates=st.booleans())
def test_em_iteration_is_textbook_e_step_then_m_step(seed, kind, k, d, scale, empty, duplicates):
    rng = np.random.default_rng(seed)
    X = awkward_data(rng, 60, d, 0.0, duplicates)
    alpha, means, cov = start(rng, kind, k, d, X, empty and k > 1)
    # In units: the data and parameters times `scale`, the covariances times scale^2.
    data, shift = gmm_em.prepare_data(X * scale, kind)
    U, U_inv = precisions.precision_factors(cov * scale ** 2, kind, 0.0)
    reg = 1e-3 * scale ** 2
    ll, w, mu, c = gmm_em.em_iteration(data, alpha, means * scale - shift, U, U_inv, kind, reg)
    Xc = data[0]  # the textbook on the very data the fast step sees
    gamma, ll_ref = tb.e_step(Xc, alpha, means * scale - shift, cov * scale ** 2, kind)
    w_ref, mu_ref, c_ref = tb.m_step(Xc, gamma, kind, reg)

    delta = log_rounding(Xc / scale, alpha, (means * scale - shift) / scale, cov, kind, gamma)
    n = len(X)
    assert abs(ll - ll_ref) <= delta.max() + 4 * EPS * abs(ll_ref)
    # gamma is rounded relatively by delta, so are the N_i and the weights
    rel = 2 * delta.max() + 4 * n * EPS
    np.testing.assert_allclose(w, w_ref, rtol=rel, atol=0)
    # a weighted mean moves by at most rel times the largest |x|
    x_max = np.abs(Xc / scale).max()
    np.testing.assert_allclose(mu / scale, mu_ref / scale, rtol=0, atol=2 * rel * x_max)
    # the scatter, summed about the old means (whitened) and moved to the new ones,
    # is rounded relatively to the squared distances to the old means
    sigmas = as_full(cov, kind, k, d)
    reach = max(np.linalg.eigvalsh(sigmas).max(), 1.0) * max(
        np.max(np.sum((Xc / scale - m) ** 2 / sigmas[i].diagonal().min(), axis=1))
        for i, m in enumerate((means * scale - shift) / scale))
    np.testing.assert_allclose(c / scale ** 2, c_ref / scale ** 2, rtol=0,
                               atol=4 * rel * (reach + x_max ** 2))


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), kind=st.sampled_from(TYPES), offset=offsets)
def test_gaussian_mixture_far_from_the_origin_is_the_textbook_em(seed, kind, offset):
    rng = np.random.default_rng(seed)
    k, d, n_iter = 2, 2, 4
    X = awkward_data(rng, 50, d, offset, duplicates=False)
    alpha, means, cov = start(rng, kind, k, d, X, empty=False)
    precisions = np.linalg.inv(cov) if kind in ("full", "tied") else 1 / cov
    gm = GaussianMixture(k, covariance_type=kind, tol=0.0, max_iter=n_iter, reg_covar=1e-3,
                         weights_init=alpha, means_init=means, precisions_init=precisions)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # max_iter reached on purpose
        gm.fit(X)
    w, mu, c, history = tb.em(X, alpha, means, cov, kind, 1e-3, n_iter=n_iter, tol=0.0)
    # The raw data hold each value to eps (offset + 20) (20: the data's reach from
    # their centre); the centring (fast) and the differences x - mu (textbook) both
    # see that. But the textbook's M-step also sums n raw values of that size,
    # mu_i = sum_t gamma_{t,i} x_t / N_i with N_i = sum_t gamma_{t,i}: a sum of n
    # terms of one sign rounds by up to (n - 1) eps/2 of their total (Higham's bound
    # gamma_{n-1}, for any order of summation, BLAS's blocks included), and the
    # products and N_i add two roundings more, so a mean of values near the offset is
    # held to u = (n/2 + 1) eps (offset + 20), not eps (offset + 20): at offset 1e8 and
    # n = 50, means off by 21 eps (offset + 20) were found, beyond the 20 allowed when
    # u was one value's rounding. Each of the n_iter steps carries u into the
    # parameters, times the squared reach in spreads, (x - mu)^2 / sigma^2 <= 25, for
    # the covariances. On top, each fast E-step rounds as the one-step test above
    # bounds it (rel: relative, in the weights; times the data's reach in the means
    # and its square in the covariances), which the next steps carry on.
    u = (len(X) / 2 + 1) * EPS * (offset + 20.0)
    rel, reach = em_rounding(X, alpha, means, cov, kind, 1e-3, n_iter)
    np.testing.assert_allclose(gm.log_likelihood_history_, history, rtol=0,
                               atol=5 * n_iter * u + rel)
    np.testing.assert_allclose(gm.weights_, w, rtol=0, atol=5 * n_iter * u + rel)
    np.testing.assert_allclose(gm.means_, mu, rtol=0, atol=5 * n_iter * u + 2 * rel * reach)
    np.testing.assert_allclose(gm.covariances_, c, rtol=0,
                               atol=25 * n_iter * u + 4 * rel * reach ** 2)


def em_rounding(X, alpha, means, cov, kind, reg, n_iter):
    """The fast E-steps' rounding along the textbook's EM path, summed over its steps.

    Returns ``(rel, reach)``: the sum over the steps of ``2 max delta + 4 n eps``
    (the relative rounding of each step's gamma, from :func:`log_rounding`, on
    the centred data the fast path sees), and the largest ``|x - mu|`` met.
    """
    shift = X.mean(axis=0)
    Xc, means = X - shift, means - shift
    rel, reach = 0.0, 0.0
    for _ in range(n_iter):
        gamma, _ = tb.e_step(Xc, alpha, means, cov, kind)
        rel += 2 * log_rounding(Xc, alpha, means, cov, kind, gamma).max() + 4 * len(X) * EPS
        reach = max(reach, float(np.abs(Xc[:, None] - means[None]).max()))
        alpha, means, cov = tb.m_step(Xc, gamma, kind, reg)
    return rel, reach


def log_profile_slope(kernel, r2):
    """|d log k / d r^2|: how a rounding of r^2 moves a log-term."""
    r = np.sqrt(r2)
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = {"gaussian": np.full_like(r2, 0.5), "tophat": np.zeros_like(r2),
                 "epanechnikov": 1 / (1 - r2), "exponential": 1 / (2 * r),
                 "linear": 1 / (2 * r * (1 - r)),
                 "cosine": np.pi / 4 * np.tan(np.pi * r / 2) / r}[kernel]
    return np.where(np.isfinite(slope), slope, 0.0)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), kernel=st.sampled_from(list(KERNELS)),
       d=st.integers(1, 3), scale=scales, offset=offsets, duplicates=st.booleans(),
       weighted=st.booleans(), matrix=st.booleans())
def test_kde_score_samples_is_the_textbook_log_sum(seed, kernel, d, scale, offset,
                                                   duplicates, weighted, matrix):
    rng = np.random.default_rng(seed)
    X = awkward_data(rng, 30, d, offset, duplicates)
    Y = np.vstack([X[:3], X[:10] + rng.normal(scale=2.0, size=(10, d)),
                   X[0] + rng.normal(scale=50.0, size=(3, d))])  # at, near and far from X
    A = rng.normal(size=(d, d))
    H = A @ A.T + 0.5 * np.eye(d) if matrix else np.eye(d) * rng.uniform(0.5, 3) ** 2
    bandwidth = H * scale ** 2 if matrix else math.sqrt(H[0, 0]) * scale
    w = rng.uniform(0.2, 2.0, size=len(X)) if weighted else None
    got = KernelDensity(bandwidth=bandwidth, kernel=kernel).fit(X * scale, sample_weight=w).score_samples(
        Y * scale)
    expected = tb.log_kde(Y * scale, X * scale, bandwidth, kernel, w)
    assert np.array_equal(np.isfinite(got), np.isfinite(expected))

    # r^2 in bandwidth units, from the points centred on the data's mean as the fast code does
    W = np.linalg.cholesky(np.linalg.inv(H))
    zx, zy = (X - X.mean(axis=0)) @ W, (Y - X.mean(axis=0)) @ W
    r2 = np.sum((zy[:, None] - zx) ** 2, axis=2)
    norms = np.sqrt(np.sum(zy ** 2, axis=1))[:, None] + np.sqrt(np.sum(zx ** 2, axis=1))
    # Rounding of r^2: the whitened points carry d eps (their norm + the offset they
    # lost in centring); a pair is then either recomputed from its differences or
    # taken from the GEMM expansion, which rounds by eps (|zy|^2 + |zx|^2) <= eps 1e4 r^2.
    lost = np.abs(X).max() * np.linalg.norm(W, 2)
    expansion = np.minimum(norms ** 2, 1e4 * r2)
    if kernel == "gaussian":  # its shortcut always takes the expansion
        expansion = norms ** 2
    dr2 = 8 * d * EPS * (2 * np.sqrt(r2) * (norms + lost) + expansion + 1.0)
    assume(not np.any(np.abs(r2 - 1) <= 4 * dr2))  # no term on a compact kernel's edge
    in_support = r2 < 1 if kernel in ("tophat", "epanechnikov", "linear", "cosine") else True
    dterm = np.where(in_support, log_profile_slope(kernel, r2) * dr2, 0.0).max(axis=1)
    ok = np.isfinite(expected)
    bound = dterm + 8 * EPS * (np.abs(expected) + len(X))
    assert np.all(np.abs(got[ok] - expected[ok]) <= bound[ok])


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(1, 5), d=st.integers(1, 3),
       scale=scales, offset=offsets, empty=st.booleans(), duplicates=st.booleans())
def test_lloyd_step_is_the_textbook_step(seed, k, d, scale, offset, empty, duplicates):
    rng = np.random.default_rng(seed)
    X = awkward_data(rng, 40, d, offset, duplicates) * scale
    C = X[rng.choice(len(X), size=k, replace=False)] + rng.normal(scale=0.1 * scale,
                                                                  size=(k, d))
    if empty:
        C[-1] = X.max(axis=0) + 1e3 * scale  # nearest to no point
    new_ref, labels_ref = tb.lloyd_step(X, C)
    # What KMeans does: the data centred, the centres moved with them.
    mean = X.mean(axis=0)
    new, labels, d2, _, n_empty, _ = lloyd.lloyd_step(lloyd.with_ones(X, mean), C - mean)
    # The expansion ||x||^2 - 2 x.c + ||c||^2 rounds a squared distance by about
    # eps (|x|^2 + |c|^2) and the centring by eps |X|max |x - c|; only assignments
    # decided by more than that are comparable.
    D = np.sum((X[:, None] - C) ** 2, axis=2) / scale ** 2
    size = (np.sum((X - mean) ** 2, axis=1)[:, None] + np.sum((C - mean) ** 2, axis=1)) / scale ** 2
    dd = 16 * d * EPS * (size + np.abs(X).max() / scale * np.sqrt(D) + 1.0)
    best = np.sort(D + dd, axis=1)
    assume(k == 1 or np.all(np.sort(D - dd, axis=1)[:, 1] > best[:, 0]))
    np.testing.assert_array_equal(labels, labels_ref)
    if n_empty:  # re-seeded at the farthest points: their order must be decided too,
        # unless two of them are the same point repeated
        order = np.argsort(D[np.arange(len(X)), labels])[::-1][:n_empty + 1]
        own = D[order, labels[order]]
        same = np.all(X[order[:-1]] == X[order[1:]], axis=1)
        assume(np.all(same | (own[:-1] - own[1:] > 2 * dd.max())))
    # a mean of n values is rounded by n eps times the largest, offset included
    tol = (len(X) + 4) * EPS * np.abs(X).max()
    np.testing.assert_allclose(new + mean, new_ref, rtol=0, atol=tol)
