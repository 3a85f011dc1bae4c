r"""Hidden Markov models as the course would write them: forward, backward, Viterbi, Baum-Welch.

A hidden Markov model joins the two ideas of the chapter. The hidden state
Y_t follows a Markov chain (section 3): Y_1 ~ pi_0, then

    P(Y_{t+1} = j | Y_t = i) = p_{i,j};

and, as in a mixture (section 2), the state chooses how the observation is
drawn: x_t ~ Phi_i when Y_t = i. Everything below takes the log-densities
``log_Phi[t, i] = log Phi_i(x_t)`` of one sequence x_1..x_T (T rows, S
states), so it is the same for symbols and for Gaussians
(:mod:`.hmm_emissions` computes them). All in natural logs, as loops over time:

* forward:  log alpha_t(j) = log Phi_j(x_t) + log sum_i alpha_{t-1}(i) p_{i,j},
  alpha_1(j) = pi_0(j) Phi_j(x_1), and log L = log sum_j alpha_T(j);
* backward: log beta_t(i) = log sum_j p_{i,j} Phi_j(x_{t+1}) beta_{t+1}(j), beta_T = 1;
* posteriors: gamma_t(i) = alpha_t(i) beta_t(i) / L and
  xi_t(i, j) = alpha_t(i) p_{i,j} Phi_j(x_{t+1}) beta_{t+1}(j) / L;
* Viterbi:  delta_t(j) = log Phi_j(x_t) + max_i [delta_{t-1}(i) + log p_{i,j}], then
  the arg-maxes read backwards give the most probable hidden path.

A casino's dice: a fair die (state 0) and a loaded one (state 1, six half of the time).

>>> pi0, P = [0.5, 0.5], [[0.9, 0.1], [0.1, 0.9]]
>>> B = np.array([[1 / 6] * 6, [0.1] * 5 + [0.5]])
>>> log_Phi = np.log(B[:, [5, 5, 0]].T)        # rolls six, six, one
>>> path, log_p = viterbi(pi0, P, log_Phi)
>>> path.tolist()                              # loaded, loaded, loaded: 0.5*.5*.9*.5*.9*.1
[1, 1, 1]
>>> bool(np.isclose(log_p, np.log(0.5 * 0.5 * 0.9 * 0.5 * 0.9 * 0.1)))
True
"""

import numpy as np

from scratch_genmod.core import check_random_state, logsumexp
from scratch_genmod.markov.checks import (
    check_distribution,
    check_log_emissions,
    check_transition_matrix,
)
from scratch_genmod.markov.textbook.chain import draw_state, sample_path

__all__ = ["forward", "backward", "state_posteriors", "transition_posteriors", "viterbi",
           "baum_welch_step", "sample_states"]


def _log(p):
    """log p with log 0 = -inf and no warning: an impossible transition is a real -inf."""
    with np.errstate(divide="ignore"):
        return np.log(p)


def forward(pi0, P, log_Phi):
    """The forward variables log alpha_t(j) = log P(x_1..x_t, Y_t = j) and log L.

    Parameters
    ----------
    pi0 : array-like of shape (S,)
        The law pi_0 of the first state.
    P : array-like of shape (S, S)
        Transitions p_{i,j}, rows summing to 1.
    log_Phi : array-like of shape (T, S)
        log Phi_j(x_t) for each time t and state j.

    Returns
    -------
    log_alpha : ndarray of shape (T, S)
    log_likelihood : float
        log L = log P(x_1..x_T) = log sum_j alpha_T(j).

    Examples
    --------
    One state that emits x with density 1/2: L = (1/2)^3.

    >>> _, log_L = forward([1.0], [[1.0]], np.log([[0.5], [0.5], [0.5]]))
    >>> bool(np.isclose(log_L, 3 * np.log(0.5)))
    True
    """
    log_pi0, log_P, log_Phi = _check_model(pi0, P, log_Phi)
    T, S = log_Phi.shape
    log_alpha = np.empty((T, S))
    log_alpha[0] = log_pi0 + log_Phi[0]
    for t in range(1, T):
        for j in range(S):
            log_alpha[t, j] = log_Phi[t, j] + logsumexp(log_alpha[t - 1] + log_P[:, j])
    return log_alpha, float(logsumexp(log_alpha[T - 1]))


def backward(P, log_Phi):
    """The backward variables log beta_t(i) = log P(x_{t+1}..x_T | Y_t = i).

    Parameters
    ----------
    P : array-like of shape (S, S)
    log_Phi : array-like of shape (T, S)

    Returns
    -------
    log_beta : ndarray of shape (T, S)
        log beta_T(i) = 0 (nothing left to explain).

    Examples
    --------
    >>> log_beta = backward([[1.0]], np.log([[0.5], [0.5], [0.5]]))
    >>> bool(np.allclose(np.exp(log_beta[:, 0]), [0.25, 0.5, 1.0]))
    True
    """
    S = np.shape(P)[0] if np.ndim(P) == 2 else 0
    _, log_P, log_Phi = _check_model(np.full(S, 1.0 / max(S, 1)), P, log_Phi)
    T = log_Phi.shape[0]
    log_beta = np.zeros((T, S))
    for t in range(T - 2, -1, -1):
        for i in range(S):
            log_beta[t, i] = logsumexp(log_P[i] + log_Phi[t + 1] + log_beta[t + 1])
    return log_beta


def state_posteriors(log_alpha, log_beta):
    """gamma_t(i) = P(Y_t = i | x_1..x_T) = alpha_t(i) beta_t(i) / L, shape (T, S).

    Each row sums to 1 (L = sum_i alpha_t(i) beta_t(i) at every t). A
    sequence of probability L = 0 has no posterior: ValueError.

    >>> state_posteriors(np.log([[0.2, 0.6]]), np.zeros((1, 2))).tolist()
    [[0.25, 0.75]]
    """
    log_gamma = np.asarray(log_alpha) + np.asarray(log_beta)
    gamma = np.empty_like(log_gamma)
    for t in range(log_gamma.shape[0]):
        log_L = _log_likelihood_or_raise(log_gamma[t])
        gamma[t] = np.exp(log_gamma[t] - log_L)
    return gamma


def transition_posteriors(log_alpha, log_beta, P, log_Phi):
    """xi_t(i, j) = P(Y_t = i, Y_{t+1} = j | x_1..x_T), shape (T - 1, S, S).

    xi_t(i, j) = alpha_t(i) p_{i,j} Phi_j(x_{t+1}) beta_{t+1}(j) / L; each
    slice sums to 1 and sum_j xi_t(i, j) = gamma_t(i).
    """
    log_alpha, log_beta = np.asarray(log_alpha), np.asarray(log_beta)
    log_P = _log(np.asarray(P, dtype=np.float64))
    log_Phi = np.asarray(log_Phi)
    T, S = log_alpha.shape
    xi = np.empty((max(T - 1, 0), S, S))
    for t in range(T - 1):
        log_xi = (log_alpha[t][:, None] + log_P
                  + (log_Phi[t + 1] + log_beta[t + 1])[None, :])
        xi[t] = np.exp(log_xi - _log_likelihood_or_raise(log_xi))
    return xi


def viterbi(pi0, P, log_Phi):
    """The most probable hidden path argmax_y P(y, x) and its log-probability.

    delta_t(j) = log Phi_j(x_t) + max_i [delta_{t-1}(i) + log p_{i,j}], with
    psi_t(j) the arg-max i; the path ends in argmax_j delta_T(j) and is read
    backwards, y_{t-1} = psi_t(y_t). Ties go to the lowest state index.

    Parameters
    ----------
    pi0 : array-like of shape (S,)
    P : array-like of shape (S, S)
    log_Phi : array-like of shape (T, S)

    Returns
    -------
    path : ndarray of shape (T,), int64
    log_prob : float
        log P(Y = path, x_1..x_T).
    """
    log_pi0, log_P, log_Phi = _check_model(pi0, P, log_Phi)
    T, S = log_Phi.shape
    delta = np.empty((T, S))
    psi = np.zeros((T, S), dtype=np.int64)
    delta[0] = log_pi0 + log_Phi[0]
    for t in range(1, T):
        for j in range(S):
            scores = delta[t - 1] + log_P[:, j]
            psi[t, j] = int(np.argmax(scores))
            delta[t, j] = log_Phi[t, j] + scores[psi[t, j]]
    path = np.zeros(T, dtype=np.int64)
    path[T - 1] = int(np.argmax(delta[T - 1]))
    for t in range(T - 1, 0, -1):
        path[t - 1] = psi[t, path[t]]
    return path, float(delta[T - 1, path[T - 1]])


def baum_welch_step(sequences, pi0, P, log_emissions, emission_m_step):
    """One EM step of Baum-Welch over several sequences; the likelihood never goes down.

    E-step: forward and backward on each sequence give gamma and xi. M-step:

        pi_0(i) = (1/n_seq) sum_s gamma^s_1(i),
        p_{i,j} = sum_s sum_{t<T_s} xi^s_t(i, j) / sum_s sum_{t<T_s} gamma^s_t(i),

    and the emission parameters from the gammas, as a mixture's M-step would
    (``emission_m_step``). A state with no expected visit before the end of a
    sequence keeps its row of P (any row gives the same likelihood).

    Parameters
    ----------
    sequences : list of ndarray
        The observed sequences x^s, as ``log_emissions`` reads them.
    pi0 : array-like of shape (S,)
    P : array-like of shape (S, S)
    log_emissions : callable
        ``log_emissions(x)`` -> log Phi of shape (T, S) under the current emissions.
    emission_m_step : callable
        ``emission_m_step(sequences, gammas)`` -> the new emission parameters.

    Returns
    -------
    pi0 : ndarray of shape (S,)
    P : ndarray of shape (S, S)
    emission : whatever ``emission_m_step`` returns
    log_likelihood : float
        sum_s log P(x^s) under the parameters *given* (before the step).
    """
    P = np.asarray(P, dtype=np.float64)
    S = P.shape[0]
    first, xi_sum = np.zeros(S), np.zeros((S, S))
    gammas, total = [], 0.0
    for x in sequences:
        log_Phi = log_emissions(x)
        log_alpha, log_L = forward(pi0, P, log_Phi)
        log_beta = backward(P, log_Phi)
        gamma = state_posteriors(log_alpha, log_beta)
        xi = transition_posteriors(log_alpha, log_beta, P, log_Phi)
        first += gamma[0]
        xi_sum += xi.sum(axis=0)
        gammas.append(gamma)
        total += log_L
    new_P = P.copy()
    for i in range(S):
        if xi_sum[i].sum() > 0:
            new_P[i] = xi_sum[i] / xi_sum[i].sum()
    return first / len(sequences), new_P, emission_m_step(sequences, gammas), total


def sample_states(pi0, P, n_steps, random_state=None):
    """A path of the hidden chain: Y_1 ~ pi_0, then Y_{t+1} ~ p_{Y_t, .}.

    One uniform draw per step, inverted by :func:`.chain.draw_state`; the
    chain's own :func:`.chain.sample_path` takes it from Y_1.

    Returns
    -------
    path : ndarray of shape (n_steps,), int64
    """
    P = check_transition_matrix(P, "P")
    pi0 = check_distribution(pi0, "pi0", P.shape[0])
    rng = check_random_state(random_state)
    first = draw_state(pi0, rng.random())
    return np.array(sample_path(P, first, n_steps - 1, rng), dtype=np.int64)


def _log_likelihood_or_raise(log_terms):
    """log L = log sum of the terms; L = 0 leaves the posteriors 0 / 0: say so."""
    log_L = logsumexp(log_terms)
    if np.isneginf(log_L):
        raise ValueError("the sequence has probability 0 under the model (log_alpha + log_beta "
                         "is -inf for every state): its posteriors are undefined")
    return log_L


def _check_model(pi0, P, log_Phi):
    """log pi_0, log P and log Phi after checking that their shapes and laws agree."""
    P = check_transition_matrix(P, "P")
    pi0 = check_distribution(pi0, "pi0", P.shape[0])
    log_Phi = check_log_emissions(log_Phi, pi0.shape[0])
    return _log(pi0), _log(P), log_Phi
