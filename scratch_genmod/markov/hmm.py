r"""Hidden Markov models fitted by Baum-Welch: what every HMM shares.

A hidden Markov model is a Markov chain (section 3) one cannot see, Y_1 ~ pi_0
and P(Y_{t+1} = j | Y_t = i) = p_{i,j}, whose state chooses how each
observation is drawn, x_t ~ Phi_i when Y_t = i, as a mixture's hidden
component does (section 2).
:class:`~scratch_genmod.markov.hmm_categorical.CategoricalHMM` emits symbols,
:class:`~scratch_genmod.markov.hmm_gaussian.GaussianHMM` vectors; this file
holds what they share.

Several sequences are stacked in one array X, one observation per row, and
``lengths`` gives their lengths, as in hmmlearn: X[:3] then X[3:8] for
``lengths=[3, 5]`` (None: one sequence).

Log-likelihoods are natural logs. ``score_samples`` gives log P(x^s) of each
sequence; ``score`` is the mean log-likelihood *per observation*,
(1/n) sum_s log P(x^s) with n = len(X), as every density of the library
(its samples are the rows of X); ``log_likelihood_history_`` and ``tol`` use
the same mean, so they do not grow with the amount of data.

With ``algorithm="textbook"`` every computation goes through
:mod:`scratch_genmod.markov.textbook.hmm` (loops over time, one sequence at
a time); the default "fast" uses :mod:`scratch_genmod.markov.fast.hmm`. Both
give the same numbers; the tests check it.
"""

import numpy as np

from scratch_genmod.core import BaseEstimator, check_choice, check_is_fitted, check_scalar
from scratch_genmod.core.blas import blas_threads
from scratch_genmod.core.state_checks import (
    check_state_array,
    check_state_probabilities,
    fitted_attributes,
)
from scratch_genmod.core.warning import warn_not_converged
from scratch_genmod.core.sizes import check_n_samples
from scratch_genmod.markov import textbook
from scratch_genmod.markov.checks import (
    ALGORITHMS,
    check_distribution,
    check_lengths,
    check_transition_matrix,
)
from scratch_genmod.markov.fast import hmm as fast

__all__ = ["BaseHMM"]


class BaseHMM(BaseEstimator):
    """What every HMM shares: Baum-Welch, scores, decoding and sampling of the hidden chain.

    It stores the hyper-parameters every HMM takes (the subclasses' own
    ``__init__`` passes them on) and checks them when a file is loaded. A
    subclass says what an observation is and how its states emit: the
    methods ``_check_X``, ``_initial_emissions``, ``_log_emissions``,
    ``_emission_m_step``, ``_sample_emissions``, ``_n_emission_parameters``
    and ``_check_emission_state``.

    >>> from scratch_genmod.markov import CategoricalHMM, GaussianHMM
    >>> issubclass(CategoricalHMM, BaseHMM) and issubclass(GaussianHMM, BaseHMM)
    True
    """

    _emission_attributes = ()

    def __init__(self, n_components=1, startprob_init=None, transmat_init=None, tol=1e-4,
                 max_iter=100, n_init=1, algorithm="fast", random_state=None):
        # What every HMM is given; a subclass adds how its states emit and passes these on.
        self.n_components = n_components
        self.startprob_init = startprob_init
        self.transmat_init = transmat_init
        self.tol = tol
        self.max_iter = max_iter
        self.n_init = n_init
        self.algorithm = algorithm
        self.random_state = random_state

    def fit(self, X, lengths=None):
        """Baum-Welch from ``n_init`` starts, keeping the most likely; returns self.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The sequences one after the other.
        lengths : array-like of int or None, default=None
            Length of each sequence, summing to n_samples; None: one sequence.
        """
        S = check_scalar(self.n_components, "n_components", int, min_val=1)
        x = self._check_X(X, fitting=True)
        if S > len(x):
            raise ValueError(f"n_components={S} must be <= the number of observations "
                             f"{len(x)}")
        lengths = check_lengths(lengths, len(x))
        if (lengths == 1).all() and S > 1:
            raise ValueError("lengths: every sequence has length 1, so there is no transition "
                             "to learn p_{i,j} from; give sequences of length >= 2")
        tol = check_scalar(self.tol, "tol", min_val=0.0)
        max_iter = check_scalar(self.max_iter, "max_iter", int, min_val=1)
        n_init = check_scalar(self.n_init, "n_init", int, min_val=1)
        algorithm = check_choice(self.algorithm, "algorithm", ALGORITHMS)
        rng = self._random_generator()
        best = None
        # every product on one BLAS thread (the emissions' covariances and solves, the
        # M-step's weighted sums): the same bits at any load, and none waiting (core.blas)
        with blas_threads(1):
            for _ in range(n_init):
                params = self._initial_parameters(x, S, rng)
                run = self._baum_welch(x, lengths, params, tol, max_iter, algorithm)
                if best is None or run["lower_bound_"] > best["lower_bound_"]:
                    best = run
        if not best["converged_"]:
            warn_not_converged("Baum-Welch", max_iter, tol)
        for name, value in best.items():
            setattr(self, name, value)
        return self

    def score_samples(self, X, lengths=None):
        """log P(x^s) of each sequence, shape (n_sequences,)."""
        check_is_fitted(self, "score_samples", ["transmat_"])
        x = self._check_X(X)
        lengths = check_lengths(lengths, len(x))
        params = self._fitted_parameters()
        with blas_threads(1):  # as in fit
            if self.algorithm != "textbook":
                return self._posteriors(x, lengths, params)[0]
            return np.array([textbook.forward(self.startprob_, self.transmat_,
                                              self._log_emissions(part, params, True))[1]
                             for part in np.split(x, np.cumsum(lengths)[:-1])])

    def score(self, X, lengths=None):
        """Mean log-likelihood per observation, (1/n) sum_s log P(x^s), n = len(X)."""
        check_is_fitted(self, "score", ["transmat_"])
        return float(np.sum(self.score_samples(X, lengths)) / len(self._check_X(X)))

    def predict_proba(self, X, lengths=None):
        """gamma_t(i) = P(Y_t = i | its whole sequence), shape (n_samples, n_components)."""
        check_is_fitted(self, "predict_proba", ["transmat_"])
        x = self._check_X(X)
        with blas_threads(1):  # as in fit
            log_L, gamma, _ = self._posteriors(x, check_lengths(lengths, len(x)),
                                               self._fitted_parameters())
        _check_possible(log_L)
        return gamma

    def predict(self, X, lengths=None):
        """The most probable hidden path of each sequence (Viterbi), shape (n_samples,)."""
        return self.decode(X, lengths)[1]

    def decode(self, X, lengths=None):
        """Viterbi: log P(path, x) summed over sequences, and the paths, shape (n_samples,)."""
        check_is_fitted(self, "decode", ["transmat_"])
        x = self._check_X(X)
        lengths = check_lengths(lengths, len(x))
        params = self._fitted_parameters()
        total, paths = 0.0, []
        for part in np.split(x, np.cumsum(lengths)[:-1]):
            with blas_threads(1):  # as in fit
                log_Phi = self._log_emissions(part, params, self.algorithm == "textbook")
            if self.algorithm == "textbook":
                path, log_p = textbook.viterbi(self.startprob_, self.transmat_, log_Phi)
            else:
                with np.errstate(divide="ignore"):
                    path, log_p = fast.viterbi_vectorised(
                        np.log(self.startprob_), np.log(self.transmat_), log_Phi)
            total += log_p
            paths.append(path)
        return total, np.concatenate(paths)

    def sample(self, n_samples=1, random_state=None):
        """One sequence of the model: the hidden path, then an observation per state.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            In time order (a sequence, unlike a mixture's shuffled draws).
        states : ndarray of shape (n_samples,), int64
        """
        check_is_fitted(self, "sample", ["transmat_"])
        n_samples = check_n_samples(n_samples, getattr(self, "n_features_in_", 1))
        rng = self._random_generator(random_state)
        states = textbook.sample_states(self.startprob_, self.transmat_, n_samples, rng)
        return self._sample_emissions(states, rng), states

    def bic(self, X, lengths=None):
        """Bayesian information criterion -2 log L + p log n, n = len(X) (lower is better)."""
        check_is_fitted(self, "bic", ["transmat_"])
        n = len(self._check_X(X))
        S = self.n_components
        p = (S - 1) + S * (S - 1) + self._n_emission_parameters()
        return -2.0 * self.score(X, lengths) * n + p * np.log(n)

    # -- Baum-Welch ---------------------------------------------------------------------

    def _baum_welch(self, x, lengths, params, tol, max_iter, algorithm):
        history, converged = [], False
        for _ in range(max_iter):
            if algorithm == "textbook":
                params, log_L = self._textbook_step(x, lengths, params)
            else:
                params, log_L = self._fast_step(x, lengths, params)
            history.append(log_L / len(x))
            if len(history) > 1 and abs(history[-1] - history[-2]) < tol:
                converged = True
                break
        return {**params, "converged_": converged, "n_iter_": len(history),
                "lower_bound_": history[-1], "log_likelihood_history_": history}

    def _textbook_step(self, x, lengths, params):
        sequences = np.split(x, np.cumsum(lengths)[:-1])
        pi0, P, emission, log_L = textbook.baum_welch_step(
            sequences, params["startprob_"], params["transmat_"],
            lambda part: self._log_emissions(part, params, True),
            lambda parts, gammas: self._emission_m_step(parts, gammas, params, True))
        return {"startprob_": pi0, "transmat_": P, **emission}, log_L

    def _fast_step(self, x, lengths, params):
        log_L, gamma, xi_sum = self._posteriors(x, lengths, params, algorithm="fast")
        _check_possible(log_L)
        starts = np.cumsum(lengths) - lengths
        P = params["transmat_"].copy()
        visited = xi_sum.sum(axis=1) > 0  # an unvisited state keeps its row, as in the textbook
        P[visited] = xi_sum[visited] / xi_sum[visited].sum(axis=1, keepdims=True)
        emission = self._emission_m_step([x], [gamma], params, False)
        return ({"startprob_": gamma[starts].sum(axis=0) / len(lengths), "transmat_": P,
                 **emission}, float(np.sum(log_L)))

    def _posteriors(self, x, lengths, params, algorithm=None):
        """(log L per sequence, gamma, xi summed) by the chosen algorithm.

        A sequence of probability 0 has no posteriors: the textbook raises
        ValueError naming it, the fast path gives NaN (see _check_possible).
        """
        pi0, P = params["startprob_"], params["transmat_"]
        if (algorithm or self.algorithm) != "textbook":
            return fast.sequence_posteriors(pi0, P, self._log_emissions(x, params, False),
                                            lengths)
        log_L, gammas, xi_sum = [], [], np.zeros_like(P)
        for part in np.split(x, np.cumsum(lengths)[:-1]):
            log_Phi = self._log_emissions(part, params, True)
            log_alpha, ll = textbook.forward(pi0, P, log_Phi)
            _check_possible(log_L + [ll])
            log_beta = textbook.backward(P, log_Phi)
            gammas.append(textbook.state_posteriors(log_alpha, log_beta))
            xi_sum += textbook.transition_posteriors(log_alpha, log_beta, P, log_Phi).sum(axis=0)
            log_L.append(ll)
        return np.array(log_L), np.concatenate(gammas), xi_sum

    def _initial_parameters(self, x, S, rng):
        """pi_0 and P given or uniform (the emissions break the symmetry), then the emissions."""
        pi0 = (np.full(S, 1.0 / S) if self.startprob_init is None
               else check_distribution(self.startprob_init, "startprob_init", S))
        P = (np.full((S, S), 1.0 / S) if self.transmat_init is None
             else check_transition_matrix(self.transmat_init, "transmat_init", S))
        return {"startprob_": pi0.copy(), "transmat_": P.copy(),
                **self._initial_emissions(x, S, rng)}

    def _check_fitted_state(self):
        """Called by ``load``: the hyper-parameters, pi_0 and P, then the emissions."""
        S = check_scalar(self.n_components, "n_components", int, min_val=1)
        check_scalar(self.tol, "tol", min_val=0.0)
        check_scalar(self.max_iter, "max_iter", int, min_val=1)
        check_scalar(self.n_init, "n_init", int, min_val=1)
        check_choice(self.algorithm, "algorithm", ALGORITHMS)
        names = ["startprob_", "transmat_"] + list(self._emission_attributes)
        if not fitted_attributes(self, names):
            return
        check_state_probabilities(check_state_array(self.startprob_, "startprob_", shape=(S,)),
                                  "startprob_")
        check_state_probabilities(check_state_array(self.transmat_, "transmat_", shape=(S, S)),
                                  "transmat_")
        self._check_emission_state(S)

    def _fitted_parameters(self):
        names = ("startprob_", "transmat_") + self._emission_attributes
        return {name: getattr(self, name) for name in names}


def _check_possible(log_L):
    """ValueError naming the first sequence of probability 0 (no posterior exists for it)."""
    impossible = np.flatnonzero(np.isneginf(log_L))
    if impossible.size:
        raise ValueError(f"sequence {int(impossible[0])} of X has probability 0 under the model "
                         "(a symbol or a transition it cannot produce): it has no posterior")
