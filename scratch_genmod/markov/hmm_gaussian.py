r"""A hidden Markov model whose states emit Gaussian vectors: Phi_i = N(mu_i, Sigma_i).

Each hidden state is a component of a Gaussian mixture (section 2) and the
components follow one another by a Markov chain (section 3). The shared
machinery (Baum-Welch, scores, Viterbi, sampling the hidden chain) is
:class:`~scratch_genmod.markov.hmm.BaseHMM`; this file says how a state emits.
"""

import numpy as np

from scratch_genmod.core import check_array, check_choice, check_scalar, gaussian_log_pdf
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.core.state_checks import (
    check_state_array,
    check_state_int,
    check_state_positive_definite,
)
from scratch_genmod.core.sizes import check_spread
from scratch_genmod.core.threads import check_n_threads, map_in_threads
from scratch_genmod.markov import textbook
from scratch_genmod.markov.hmm import BaseHMM

__all__ = ["GaussianHMM"]

COVARIANCE_TYPES = ("diag", "full")


@register_estimator
class GaussianHMM(BaseHMM):
    """HMM with Gaussian emissions N(mu_i, Sigma_i), fitted by Baum-Welch.

    Parameters
    ----------
    n_components : int, default=1
        Number of hidden states S.
    covariance_type : {"diag", "full"}, default="diag"
        Sigma_i diagonal (d variances per state) or full.
    reg_covar : float, default=1e-6
        Added to the diagonal of every Sigma_i at each M-step (keeps it invertible).
    startprob_init, transmat_init : array-like or None, default=None
        Starting pi_0 (S,) and P (S, S); None: uniform.
    means_init : array-like of shape (S, d) or None, default=None
        Starting mu_i; None: S observations spread out as k-means++ seeds.
    covariances_init : array-like or None, default=None
        Starting Sigma_i, shaped as ``covariances_``; None: the data's
        (co)variance for every state.
    tol : float, default=1e-4
        Stop when the mean log-likelihood per observation changes by less.
    max_iter : int, default=100
    n_init : int, default=1
    algorithm : {"fast", "textbook"}, default="fast"
    random_state : None, int or numpy.random.Generator, default=None

    Attributes
    ----------
    startprob_ : ndarray of shape (S,)
    transmat_ : ndarray of shape (S, S)
    means_ : ndarray of shape (S, d)
    covariances_ : ndarray of shape (S, d) for "diag", (S, d, d) for "full"
    n_features_in_ : int
    log_likelihood_history_ : list of float
        Mean log-likelihood per observation before each step (never decreasing).
    lower_bound_ : float
    converged_ : bool
    n_iter_ : int

    Examples
    --------
    Two regimes, around -3 and +3, each kept for about ten steps:

    >>> rng = np.random.default_rng(0)
    >>> states = np.repeat(np.arange(20) % 2, 10)
    >>> X = rng.normal(6.0 * states[:, None] - 3.0, 1.0)
    >>> hmm = GaussianHMM(n_components=2, random_state=0).fit(X)
    >>> sorted(np.round(hmm.means_[:, 0]).tolist())
    [-3.0, 3.0]
    >>> bool(np.all(np.diag(hmm.transmat_) > 0.8))
    True
    >>> X_new, path = hmm.sample(5, random_state=0)
    >>> X_new.shape, path.shape
    ((5, 1), (5,))
    """

    _emission_attributes = ("means_", "covariances_")

    def __init__(self, n_components=1, covariance_type="diag", reg_covar=1e-6,
                 startprob_init=None, transmat_init=None, means_init=None,
                 covariances_init=None, tol=1e-4, max_iter=100, n_init=1, algorithm="fast",
                 random_state=None):
        super().__init__(n_components=n_components, startprob_init=startprob_init,
                         transmat_init=transmat_init, tol=tol, max_iter=max_iter,
                         n_init=n_init, algorithm=algorithm, random_state=random_state)
        self.covariance_type = covariance_type
        self.reg_covar = reg_covar
        self.means_init = means_init
        self.covariances_init = covariances_init

    def _check_X(self, X, fitting=False):
        if fitting:
            X = check_spread(check_array(X, "X"))
            self.n_features_in_ = X.shape[1]
            return X
        return check_array(X, "X", n_features=self.n_features_in_, estimator="GaussianHMM")

    def _initial_emissions(self, X, S, rng):
        kind = check_choice(self.covariance_type, "covariance_type", COVARIANCE_TYPES)
        check_scalar(self.reg_covar, "reg_covar", min_val=0.0)
        d = X.shape[1]
        if self.means_init is None:
            means = _spread_seeds(X, S, rng)
        else:
            means = check_array(self.means_init, "means_init")
            if means.shape != (S, d):
                raise ValueError(f"means_init must have shape ({S}, {d}), got {means.shape}")
        if self.covariances_init is not None:
            return {"means_": means.copy(), "covariances_": self._checked_covariances(S, d)}
        if kind == "diag":
            covariances = np.tile(X.var(axis=0) + self.reg_covar, (S, 1))
        else:
            Sigma = np.atleast_2d(np.cov(X, rowvar=False, bias=True)) + self.reg_covar * np.eye(d)
            covariances = np.tile(Sigma, (S, 1, 1))
        if not np.all(np.linalg.eigvalsh(textbook.hmm_emissions.full_covariance(
                covariances[0], kind)) > 0):
            raise ValueError("X has no spread (a covariance with a zero variance); give "
                             "reg_covar > 0 or covariances_init")
        return {"means_": means, "covariances_": covariances}

    def _checked_covariances(self, S, d):
        kind = self.covariance_type
        shape = (S, d) if kind == "diag" else (S, d, d)
        C = check_array(self.covariances_init, "covariances_init", ndim=len(shape))
        if C.shape != shape:
            raise ValueError(f"covariances_init must have shape {shape} for covariance_type="
                             f"{kind!r}, got {C.shape}")
        for i in range(S):
            Sigma_i = textbook.hmm_emissions.full_covariance(C[i], kind)
            if not np.allclose(Sigma_i, Sigma_i.T) or not np.all(np.linalg.eigvalsh(Sigma_i) > 0):
                raise ValueError(f"covariances_init[{i}] must be symmetric positive definite")
        return C.copy()

    def _log_emissions(self, X, params, use_textbook):
        means, covariances = params["means_"], params["covariances_"]
        if use_textbook:
            return textbook.gaussian_log_emissions(X, means, covariances, self.covariance_type)
        # textbook.gaussian_log_emissions's columns, one Cholesky per state vectorised over
        # time, the states side by side on the library's threads (each state's products on
        # one BLAS thread, as the fit runs them): the same bits on any number of threads
        def column(i):
            return gaussian_log_pdf(X, means[i], textbook.hmm_emissions.full_covariance(
                covariances[i], self.covariance_type))

        return np.column_stack(map_in_threads(column, range(len(means)), check_n_threads(None)))

    def _emission_m_step(self, parts, gammas, params, use_textbook):
        means, covariances = textbook.gaussian_m_step(
            parts, gammas, params["means_"], params["covariances_"], self.covariance_type,
            self.reg_covar)
        return {"means_": means, "covariances_": covariances}

    def _sample_emissions(self, states, rng):
        return textbook.sample_gaussian(self.means_, self.covariances_, self.covariance_type,
                                        states, rng)

    def _check_emission_state(self, S):
        """For ``load``: finite means mu_i, positive variances or positive definite Sigma_i."""
        kind = check_choice(self.covariance_type, "covariance_type", COVARIANCE_TYPES)
        check_scalar(self.reg_covar, "reg_covar", min_val=0.0)
        d = check_state_int(self.n_features_in_, "n_features_in_", min_val=1)
        check_state_array(self.means_, "means_", shape=(S, d))
        if kind == "diag":
            check_state_array(self.covariances_, "covariances_", shape=(S, d),
                              min_val=np.finfo(float).tiny)
        else:
            check_state_positive_definite(
                check_state_array(self.covariances_, "covariances_", shape=(S, d, d)),
                "covariances_")

    def _n_emission_parameters(self):
        S, d = self.means_.shape
        per_state = d if self.covariance_type == "diag" else d * (d + 1) // 2
        return S * (d + per_state)


def _spread_seeds(X, S, rng):
    """S rows of X chosen as k-means++ seeds: each next one with probability prop. to D^2."""
    seeds = [X[rng.integers(len(X))]]
    for _ in range(1, S):
        D2 = np.min([np.sum((X - c) ** 2, axis=1) for c in seeds], axis=0)
        total = D2.sum()
        p = D2 / total if total > 0 else None  # all points equal: any will do
        seeds.append(X[rng.choice(len(X), p=p)])
    return np.array(seeds)
