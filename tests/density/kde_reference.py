"""Test utilities for the KDE: the kernels typed in from the textbook table, quadrature, chi-square.

Nothing here imports the library: each normalised kernel K(u) in 1-D and
2-D is typed in with its constant (``textbook.kde`` is checked against
them), and integrals are Gauss-Legendre quadratures.
"""

import math

import numpy as np

KERNEL_NAMES = ["gaussian", "tophat", "epanechnikov", "exponential", "linear", "cosine"]
COMPACT = {"tophat", "epanechnikov", "linear", "cosine"}

# K(u) with r = |u| (1-D) or ||u|| (2-D); each constant makes the integral 1.
KERNEL_1D = {
    "gaussian": lambda r: math.exp(-0.5 * r * r) / math.sqrt(2 * math.pi),
    "tophat": lambda r: 0.5 if r < 1 else 0.0,
    "epanechnikov": lambda r: 0.75 * (1 - r * r) if r < 1 else 0.0,
    "exponential": lambda r: 0.5 * math.exp(-r),
    "linear": lambda r: 1 - r if r < 1 else 0.0,
    "cosine": lambda r: math.pi / 4 * math.cos(math.pi * r / 2) if r < 1 else 0.0,
}
KERNEL_2D = {
    "gaussian": lambda r: math.exp(-0.5 * r * r) / (2 * math.pi),
    "tophat": lambda r: 1 / math.pi if r < 1 else 0.0,
    "epanechnikov": lambda r: 2 / math.pi * (1 - r * r) if r < 1 else 0.0,
    "exponential": lambda r: math.exp(-r) / (2 * math.pi),
    "linear": lambda r: 3 / math.pi * (1 - r) if r < 1 else 0.0,
    "cosine": lambda r: math.cos(math.pi * r / 2) / (4 - 8 / math.pi) if r < 1 else 0.0,
}


def gauss_legendre(a, b, n_nodes=16):
    """Nodes and weights of an n-point Gauss-Legendre rule on each interval [a_k, b_k]."""
    t, w = np.polynomial.legendre.leggauss(n_nodes)
    a, b = np.atleast_1d(a)[:, None], np.atleast_1d(b)[:, None]
    half = 0.5 * (b - a)
    return (a + half * (t + 1)).ravel(), (half * w).ravel()


def piecewise_nodes(breaks, step):
    """Quadrature nodes on [min, max] of ``breaks``, cut at every break and every ``step``.

    Between consecutive cuts a KDE of these kernels is smooth, so the
    Gauss-Legendre rule there is exact to rounding for polynomial kernels
    and to ~1e-12 for the others.
    """
    lo, hi = float(np.min(breaks)), float(np.max(breaks))
    cuts = np.unique(np.concatenate([breaks, np.arange(lo, hi, step), [hi]]))
    return gauss_legendre(cuts[:-1], cuts[1:])


def kernel_variance_1d(kernel):
    """integral u^2 K(u) du, by quadrature of the hand-written 1-D kernel."""
    reach = 1.0 if kernel in COMPACT else 60.0
    u, w = piecewise_nodes(np.array([-reach, 0.0, reach]), 0.5)
    K = np.vectorize(KERNEL_1D[kernel])
    return float(np.sum(w * u * u * K(np.abs(u))))


def chi_square(counts, probabilities):
    """Pearson's statistic sum (O - E)^2 / E of observed counts against cell probabilities."""
    expected = counts.sum() * probabilities
    return float(np.sum((counts - expected) ** 2 / expected))
