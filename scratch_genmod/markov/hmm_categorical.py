r"""A hidden Markov model whose states emit symbols: Phi_i(x = k) = b_{i,k}.

Each hidden state is a die with K faces (a categorical law b_{i,.}) and the
dice follow one another by a Markov chain p_{i,j}. The shared machinery
(Baum-Welch, scores, Viterbi, sampling the hidden chain) is
:class:`~scratch_genmod.markov.hmm.BaseHMM`; this file says how a state emits.
hmmlearn calls this model CategoricalHMM too (its MultinomialHMM before 0.3).
"""

import numpy as np

from scratch_genmod.core import check_scalar
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.core.state_checks import check_state_array, check_state_int
from scratch_genmod.core.sizes import check_size_budget
from scratch_genmod.markov import textbook
from scratch_genmod.markov.checks import check_emission_matrix, check_symbols
from scratch_genmod.markov.fast import hmm as fast
from scratch_genmod.markov.hmm import BaseHMM

__all__ = ["CategoricalHMM"]


@register_estimator
class CategoricalHMM(BaseHMM):
    """HMM whose states emit symbols 0..K-1: Phi_i(x = k) = b_{i,k}.

    Parameters
    ----------
    n_components : int, default=1
        Number of hidden states S.
    n_symbols : int or None, default=None
        K; None: one more than the largest symbol of the data ``fit`` sees.
    startprob_init, transmat_init : array-like or None, default=None
        Starting pi_0 (S,) and P (S, S); None: uniform.
    emissionprob_init : array-like of shape (S, K) or None, default=None
        Starting b_{i,k}; None: random rows (uniform on the simplex).
    tol : float, default=1e-4
        Stop when the mean log-likelihood per observation changes by less.
    max_iter : int, default=100
    n_init : int, default=1
        Starts; the most likely fit is kept.
    algorithm : {"fast", "textbook"}, default="fast"
    random_state : None, int or numpy.random.Generator, default=None

    Attributes
    ----------
    startprob_ : ndarray of shape (S,)
        pi_0.
    transmat_ : ndarray of shape (S, S)
        p_{i,j}.
    emissionprob_ : ndarray of shape (S, K)
        b_{i,k}.
    n_symbols_ : int
    log_likelihood_history_ : list of float
        Mean log-likelihood per observation before each step (never decreasing).
    lower_bound_ : float
        Its last value.
    converged_ : bool
    n_iter_ : int

    Examples
    --------
    >>> hmm = CategoricalHMM(n_components=2, random_state=0)
    >>> hmm.startprob_, hmm.transmat_ = np.array([1.0, 0.0]), np.array([[0.9, 0.1], [0.2, 0.8]])
    >>> hmm.emissionprob_, hmm.n_symbols_ = np.array([[0.9, 0.1], [0.1, 0.9]]), 2
    >>> X, states = hmm.sample(200, random_state=0)
    >>> float(np.mean(hmm.predict(X) == states)) > 0.8
    True
    >>> hmm2 = CategoricalHMM(n_components=2, random_state=0).fit(X)
    >>> bool(np.all(np.diff(hmm2.log_likelihood_history_) >= -1e-12))
    True
    """

    _emission_attributes = ("emissionprob_",)

    def __init__(self, n_components=1, n_symbols=None, startprob_init=None, transmat_init=None,
                 emissionprob_init=None, tol=1e-4, max_iter=100, n_init=1, algorithm="fast",
                 random_state=None):
        super().__init__(n_components=n_components, startprob_init=startprob_init,
                         transmat_init=transmat_init, tol=tol, max_iter=max_iter,
                         n_init=n_init, algorithm=algorithm, random_state=random_state)
        self.n_symbols = n_symbols
        self.emissionprob_init = emissionprob_init

    def _check_X(self, X, fitting=False):
        if fitting:
            x = check_symbols(X, None if self.n_symbols is None
                              else check_scalar(self.n_symbols, "n_symbols", int, min_val=1))
            self.n_symbols_ = int(self.n_symbols or x.max() + 1)
            check_size_budget(self.n_symbols_ * int(self.n_components), 8,
                              f"the emission matrix of n_components={self.n_components} "
                              f"by n_symbols={self.n_symbols_}",
                              "give fewer states or symbols (the symbols are 0..n_symbols - 1)")
            return x
        return check_symbols(X, self.n_symbols_)

    def _initial_emissions(self, x, S, rng):
        K = self.n_symbols_
        if self.emissionprob_init is not None:
            B = check_emission_matrix(self.emissionprob_init, "emissionprob_init", S, K)
            return {"emissionprob_": B.copy()}
        return {"emissionprob_": rng.dirichlet(np.ones(K), size=S)}

    def _log_emissions(self, x, params, use_textbook):
        if use_textbook:
            return textbook.categorical_log_emissions(x, params["emissionprob_"])
        return fast.categorical_log_emissions_indexed(x, params["emissionprob_"])

    def _emission_m_step(self, parts, gammas, params, use_textbook):
        if use_textbook:
            return {"emissionprob_": textbook.categorical_m_step(parts, gammas,
                                                                 params["emissionprob_"])}
        return {"emissionprob_": fast.categorical_counts(parts[0], gammas[0],
                                                         params["emissionprob_"])}

    def _sample_emissions(self, states, rng):
        return textbook.sample_categorical(self.emissionprob_, states, rng)[:, None]

    def _n_emission_parameters(self):
        return self.n_components * (self.n_symbols_ - 1)

    def _check_emission_state(self, S):
        """For ``load``: b_{i,k} >= 0, rows summing to 1, over n_symbols_ symbols."""
        K = check_state_int(self.n_symbols_, "n_symbols_", min_val=1)
        check_emission_matrix(check_state_array(self.emissionprob_, "emissionprob_"),
                              "emissionprob_", S, K)
