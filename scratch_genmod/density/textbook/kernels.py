"""Radial kernels, normalised in any dimension d, with exact samplers.

Every kernel of the course is *radial*: its value at u in R^d depends only on
the length r = ||u||, through a profile k(r). Normalising it means dividing by

    C_d = integral over R^d of k(||u||) du = S_{d-1} * integral_0^inf r^(d-1) k(r) dr,

where S_{d-1} = 2 pi^(d/2) / Gamma(d/2) is the area of the unit sphere in R^d
(polar coordinates: the shell at radius r has area S_{d-1} r^(d-1)), and
V_d = S_{d-1} / d = pi^(d/2) / Gamma(d/2 + 1) is the volume of the unit ball.
The normalised kernel is K(u) = k(||u||) / C_d; with a bandwidth matrix H,
K_H(u) = |H|^(-1/2) K(H^(-1/2) u).

==============  =================  ======================================
kernel          profile k(r)       C_d
==============  =================  ======================================
gaussian        exp(-r^2 / 2)      (2 pi)^(d/2)
tophat          1 (r < 1)          V_d
epanechnikov    1 - r^2 (r < 1)    V_d * 2 / (d + 2)
exponential     exp(-r)            S_{d-1} * Gamma(d) = d! V_d
linear          1 - r (r < 1)      V_d / (d + 1)
cosine          cos(pi r / 2)      S_{d-1} * sum_j (-1)^j (pi/2)^(2j) / ((2j)! (2j + d))
                (r < 1)
==============  =================  ======================================

(For d = 1: 1/sqrt(2 pi), 1/2, 3/4, 1/2, 1 and pi/4 are the familiar
constants 1/C_1.) The profiles are scikit-learn's, so a float bandwidth h
means what it means there.

To *sample* from K, draw a direction uniformly on the sphere and a radius R
with density proportional to r^(d-1) k(r); each radius law is exact:
R ~ chi_d (gaussian), R = Beta(d, 1) (tophat), R^2 ~ Beta(d/2, 2)
(epanechnikov: substitute s = r^2), R ~ Gamma(d, 1) (exponential),
R ~ Beta(d, 2) (linear), and for the cosine the inverse of its CDF, found on
a fine grid and polished by Newton steps to machine precision.

>>> round(float(np.exp(-KERNELS["epanechnikov"].log_normaliser(1))), 12)
0.75
>>> round(float(np.exp(-KERNELS["cosine"].log_normaliser(2)) * (4 - 8 / np.pi)), 12)
1.0
"""

import math

import numpy as np

__all__ = ["KERNELS", "Kernel", "log_sphere_area", "log_ball_volume"]

_HALF_PI = 0.5 * math.pi


class Kernel:
    """A radial kernel: its log-profile, log normalising constant and sampler.

    Attributes
    ----------
    name : str
    compact : bool
        True when k(r) = 0 for r >= 1 (the log-profile is -inf there).
    variance_1d : float
        Variance of the 1-D kernel, integral u^2 K(u) du, for the moments of
        a KDE: Var = Var(data) + h^2 * variance_1d.

    Examples
    --------
    The Epanechnikov kernel in R^2 is K(u) = k(||u||) / C_2 with
    k(r) = 1 - r^2 and C_2 = V_2 * 2 / 4 = pi / 2:

    >>> k = KERNELS["epanechnikov"]
    >>> r2 = np.array([0.0, 0.75, 1.0])  # squared radii, the last on the boundary
    >>> np.round(np.exp(k.log_profile(r2) - k.log_normaliser(2)) * np.pi / 2, 12)
    array([1.  , 0.25, 0.  ])
    >>> z = k.sample(np.random.default_rng(0), 1000, 2)  # exact draws, inside the unit disc
    >>> z.shape, bool(np.all(np.sum(z * z, axis=1) < 1.0))
    ((1000, 2), True)
    """

    name = ""
    compact = True
    variance_1d = float("nan")

    def log_profile(self, r2):
        """log k(r) from the squared radius ``r2`` (ndarray, >= 0), same shape."""
        raise NotImplementedError

    def log_normaliser(self, d):
        """log C_d, the log of the profile's integral over R^d."""
        raise NotImplementedError

    def sample_radius(self, rng, size, d):
        """``size`` radii with density r^(d-1) k(r) / (C_d / S_{d-1})."""
        raise NotImplementedError

    def sample(self, rng, size, d):
        """``size`` draws from K in R^d, an ndarray of shape (size, d)."""
        z = rng.standard_normal((size, d))
        norm = np.sqrt(np.einsum("ij,ij->i", z, z))
        # ||z|| = 0 has probability 0; guard it anyway rather than divide by it.
        direction = z / np.where(norm > 0, norm, 1.0)[:, None]
        return direction * self.sample_radius(rng, size, d)[:, None]


class Gaussian(Kernel):
    """k(r) = exp(-r^2 / 2), C_d = (2 pi)^(d/2): the standard normal density N(0, I).

    >>> round(float(np.exp(-KERNELS["gaussian"].log_normaliser(1))), 6)  # 1 / sqrt(2 pi)
    0.398942
    """

    name, compact, variance_1d = "gaussian", False, 1.0

    def log_profile(self, r2):
        return -0.5 * r2

    def log_normaliser(self, d):
        return 0.5 * d * math.log(2.0 * math.pi)

    def sample(self, rng, size, d):
        return rng.standard_normal((size, d))


class Tophat(Kernel):
    """k(r) = 1 inside the unit ball, C_d = V_d: the uniform density on the ball.

    >>> round(float(np.exp(-KERNELS["tophat"].log_normaliser(1))), 6)  # 1 / V_1 = 1 / 2
    0.5
    """

    name, variance_1d = "tophat", 1.0 / 3.0

    def log_profile(self, r2):
        return np.where(r2 < 1.0, 0.0, -np.inf)

    def log_normaliser(self, d):
        return log_ball_volume(d)

    def sample_radius(self, rng, size, d):
        return rng.beta(d, 1.0, size)


class Epanechnikov(Kernel):
    """k(r) = 1 - r^2 inside the unit ball, C_d = V_d 2 / (d + 2).

    >>> round(float(np.exp(-KERNELS["epanechnikov"].log_normaliser(1))), 6)  # 3 / 4
    0.75
    """

    name, variance_1d = "epanechnikov", 1.0 / 5.0

    def log_profile(self, r2):
        return _log_positive_part(1.0 - r2)

    def log_normaliser(self, d):
        # S_{d-1} (1/d - 1/(d+2)) = V_d * 2 / (d + 2)
        return log_ball_volume(d) + math.log(2.0 / (d + 2))

    def sample_radius(self, rng, size, d):
        return np.sqrt(rng.beta(0.5 * d, 2.0, size))


class Exponential(Kernel):
    """k(r) = exp(-r), C_d = S_{d-1} Gamma(d) (the Laplace density in d = 1).

    >>> round(float(np.exp(-KERNELS["exponential"].log_normaliser(1))), 6)  # 1 / (S_0 Gamma(1)) = 1 / 2
    0.5
    """

    name, compact, variance_1d = "exponential", False, 2.0

    def log_profile(self, r2):
        return -np.sqrt(r2)

    def log_normaliser(self, d):
        # S_{d-1} * integral r^(d-1) e^(-r) dr = S_{d-1} Gamma(d)
        return log_sphere_area(d) + math.lgamma(d)

    def sample_radius(self, rng, size, d):
        return rng.gamma(d, 1.0, size)


class Linear(Kernel):
    """k(r) = 1 - r inside the unit ball, C_d = V_d / (d + 1): a triangle in d = 1.

    >>> round(float(np.exp(-KERNELS["linear"].log_normaliser(1))), 6)  # (d + 1) / V_1 = 2 / 2
    1.0
    """

    name, variance_1d = "linear", 1.0 / 6.0

    def log_profile(self, r2):
        return _log_positive_part(1.0 - np.sqrt(r2))

    def log_normaliser(self, d):
        # S_{d-1} (1/d - 1/(d+1)) = V_d / (d + 1)
        return log_ball_volume(d) - math.log(d + 1)

    def sample_radius(self, rng, size, d):
        return rng.beta(d, 2.0, size)


class Cosine(Kernel):
    """k(r) = cos(pi r / 2) inside the unit ball; C_d by its power series.

    >>> round(float(np.exp(-KERNELS["cosine"].log_normaliser(1))), 6)  # pi / 4
    0.785398
    """

    name, variance_1d = "cosine", 1.0 - 8.0 / math.pi**2

    def log_profile(self, r2):
        r = np.sqrt(r2)
        return _log_positive_part(np.where(r < 1.0, np.cos(_HALF_PI * np.minimum(r, 1.0)), 0.0))

    def log_normaliser(self, d):
        return log_sphere_area(d) + math.log(float(_cosine_radial_integral(1.0, d)))

    def sample_radius(self, rng, size, d):
        return _cosine_inverse_cdf(rng.random(size), d)


KERNELS = {k.name: k for k in (Gaussian(), Tophat(), Epanechnikov(),
                               Exponential(), Linear(), Cosine())}


def log_sphere_area(d):
    """log S_{d-1} = log(2 pi^(d/2) / Gamma(d/2)): the unit sphere's area in R^d."""
    return math.log(2.0) + 0.5 * d * math.log(math.pi) - math.lgamma(0.5 * d)


def log_ball_volume(d):
    """log V_d = log(pi^(d/2) / Gamma(d/2 + 1)): the unit ball's volume in R^d."""
    return 0.5 * d * math.log(math.pi) - math.lgamma(0.5 * d + 1.0)


def _log_positive_part(t):
    """log(max(t, 0)): -inf where the kernel is exactly 0.

    The log is taken only where t > 0: log 0 warns, and takes a slow path in
    NumPy, which blocks mostly outside the support would hit at every entry.
    """
    return np.log(t, out=np.full_like(t, -np.inf), where=t > 0)


def _cosine_radial_integral(r, d, n_terms=30):
    """integral_0^r t^(d-1) cos(pi t / 2) dt for 0 <= r <= 1, by its power series.

    Expanding the cosine, the integral is
    r^d * sum_j (-1)^j (pi/2)^(2j) r^(2j) / ((2j)! (2j + d)); with
    (pi/2)^2 r^2 <= 2.5 the terms fall below 1e-30 after 30 of them. The
    sum is evaluated by Horner's rule in s = r^2, last term first.
    """
    r = np.asarray(r, dtype=np.float64)
    s = r * r
    total = np.zeros_like(r)
    for j in range(n_terms - 1, -1, -1):
        c_j = (-1.0) ** j * _HALF_PI ** (2 * j) / (math.factorial(2 * j) * (2 * j + d))
        total = total * s + c_j
    return total * r**d


def _cosine_inverse_cdf(u, d, grid_size=2049, newton_steps=3):
    """Radii R with P(R <= r) = I(r) / I(1), I the integral above, for u in [0, 1).

    A table of the CDF on a fine grid gives each radius to about 1e-7 and the
    grid cell that brackets it; three Newton steps r <- r - (F(r) - u) / F'(r),
    kept inside the bracket, take it to machine precision. The work is a
    fixed number of vectorised passes: no loop that could run for ever.
    """
    total = float(_cosine_radial_integral(1.0, d))
    grid = np.linspace(0.0, 1.0, grid_size)
    cdf = _cosine_radial_integral(grid, d) / total
    cell = np.clip(np.searchsorted(cdf, u, side="right") - 1, 0, grid_size - 2)
    lo, hi = grid[cell], grid[cell + 1]
    r = np.interp(u, cdf, grid)
    for _ in range(newton_steps):
        density = r ** (d - 1) * np.cos(_HALF_PI * r) / total
        excess = _cosine_radial_integral(r, d) / total - u
        step = np.divide(excess, density, out=np.zeros_like(r), where=density > 0)
        r = np.clip(r - step, lo, hi)
    return r
