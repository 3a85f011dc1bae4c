"""The variational autoencoder as the course would write it: one formula per function.

The autoencoder's limit is that the law ``P(z)`` of the codes is unknown. The
variational autoencoder fixes it in advance: a prior ``p(z) = N(0, I)``, a
decoder ``p(x | z)`` and an encoder that outputs a Gaussian
``q(z | x) = N(mu(x), diag sigma^2(x))`` rather than one code. Training
maximises the evidence lower bound (ELBO) of each ``x``,

    log p(x) >= ELBO(x) = E_q[log p(x | z)] - KL(q(z | x) || p(z)),

so the loss is the negative ELBO: a reconstruction term plus a KL term (weighted
by ``beta``; ``beta = 1`` is the ELBO itself). The expectation is estimated
with one draw written as a function of the encoder's outputs (the
reparameterisation), so backpropagation goes through it:

    z = mu + sigma * eps,   eps ~ N(0, I),   sigma = exp(log sigma^2 / 2).

The encoder outputs ``log sigma^2`` (any real number) rather than ``sigma``.
Every function here is plain NumPy on a batch whose rows are samples;
:class:`~scratch_genmod.nn.VariationalAutoencoder` gives the same numbers, and runs on
these very functions with ``algorithm="textbook"``.

>>> reparameterise(np.array([[1.0]]), np.array([[np.log(4.0)]]), np.array([[0.5]]))
array([[2.]])
>>> kl_divergence(np.array([[1.0, 0.0]]), np.array([[0.0, 0.0]]))   # 1/2 (1 + 1 - 0 - 1)
array([0.5])
"""

import numpy as np

from scratch_genmod.core import check_array, check_choice, check_random_state, check_scalar, logsumexp
from scratch_genmod.nn.checks import check_same_shape

__all__ = ["DECODERS", "reparameterise", "reparameterise_backward", "kl_divergence", "kl_gradient",
           "reconstruction_log_likelihood", "reconstruction_gradient", "negative_elbo",
           "importance_log_likelihood"]

DECODERS = ("bernoulli", "gaussian")


def reparameterise(mu, log_var, eps):
    """``z = mu + sigma * eps`` with ``sigma = exp(log sigma^2 / 2)``.

    Parameters
    ----------
    mu, log_var, eps : ndarrays of shape (n_samples, d)
        The encoder's mean and ``log sigma^2``, and a draw ``eps ~ N(0, I)``.

    Returns
    -------
    z : ndarray of shape (n_samples, d)

    >>> reparameterise(np.array([[0.0, 3.0]]), np.array([[0.0, 0.0]]), np.array([[-1.0, 2.0]]))
    array([[-1.,  5.]])
    """
    mu, log_var, eps = check_same_shape(mu=mu, log_var=log_var, eps=eps)
    return mu + np.exp(log_var / 2) * eps


def reparameterise_backward(grad_z, log_var, eps):
    """The sampling step's chain rule: ``(dl/dmu, dl/dlog sigma^2)`` from ``G = dl/dz``.

    ``dz/dmu = 1`` and ``dz/dlog sigma^2 = sigma eps / 2``, entry by entry, so

        dl/dmu = G,    dl/dlog sigma^2 = G * sigma * eps / 2.

    All arrays have shape (n_samples, d).

    >>> g_mu, g_lv = reparameterise_backward(np.array([[2.0]]), np.array([[np.log(9.0)]]),
    ...                                      np.array([[1.0]]))
    >>> g_mu, np.round(g_lv, 12)             # 2 * 3 * 1 / 2
    (array([[2.]]), array([[3.]]))
    """
    grad_z, log_var, eps = check_same_shape(grad_z=grad_z, log_var=log_var, eps=eps)
    return grad_z.copy(), grad_z * np.exp(log_var / 2) * eps / 2


def kl_divergence(mu, log_var):
    """``KL(N(mu, diag sigma^2) || N(0, I)) = 1/2 sum_j (mu_j^2 + sigma_j^2 - log sigma_j^2 - 1)``.

    Zero exactly when ``mu = 0`` and ``sigma = 1`` (``q`` is the prior).

    Parameters
    ----------
    mu, log_var : ndarrays of shape (n_samples, d)

    Returns
    -------
    kl : ndarray of shape (n_samples,)
        One divergence per row (in nats).

    >>> round(float(kl_divergence(np.array([[0.0]]), np.array([[np.log(2.0)]]))[0]), 6)
    0.153426
    >>> round(float(1 - np.log(2)) / 2, 6)   # 1/2 (0 + 2 - log 2 - 1)
    0.153426
    """
    mu, log_var = check_same_shape(mu=mu, log_var=log_var)
    return 0.5 * np.sum(mu ** 2 + np.exp(log_var) - log_var - 1, axis=1)


def kl_gradient(mu, log_var):
    """``dKL/dmu = mu`` and ``dKL/dlog sigma^2 = (sigma^2 - 1) / 2``, entry by entry.

    >>> kl_gradient(np.array([[3.0]]), np.array([[0.0]]))   # at sigma = 1 the second is 0
    (array([[3.]]), array([[0.]]))
    """
    mu, log_var = check_same_shape(mu=mu, log_var=log_var)
    return mu.copy(), (np.exp(log_var) - 1) / 2


def reconstruction_log_likelihood(x, out, decoder="bernoulli", variance=1.0):
    """``log p(x | z)`` of each row, from the decoder's output ``out = D(z)``.

    * ``"bernoulli"``: ``out`` is the logit ``a`` of each pixel,
      ``log p(x | z) = sum_j [x_j a_j - log(1 + exp(a_j))]`` (``x`` in [0, 1]);
    * ``"gaussian"``: ``out`` is the mean ``m``,
      ``log p(x | z) = -1/2 sum_j (x_j - m_j)^2 / s^2 - n/2 log(2 pi s^2)``.

    Parameters
    ----------
    x, out : ndarrays of shape (n_samples, n)
    decoder : {"bernoulli", "gaussian"}, default="bernoulli"
    variance : float, default=1.0
        ``s^2`` of the Gaussian decoder (> 0).

    Returns
    -------
    log_px_z : ndarray of shape (n_samples,)

    >>> float(reconstruction_log_likelihood(np.array([[1.0, 0.0]]), np.zeros((1, 2)))[0])
    -1.3862943611198906
    >>> ll = reconstruction_log_likelihood(np.array([[1.0]]), np.array([[1.0]]), "gaussian",
    ...                                    variance=1 / (2 * np.pi))
    >>> bool(np.isclose(ll[0], 0.0))         # x = m and 2 pi s^2 = 1: log 1 = 0
    True
    """
    x, out = check_same_shape(x=x, out=out)
    decoder = check_choice(decoder, "decoder", DECODERS)
    if decoder == "bernoulli":   # log(1 + e^a) = max(a, 0) + log(1 + e^-|a|): no overflow
        return np.sum(x * out - np.maximum(out, 0) - np.log1p(np.exp(-np.abs(out))), axis=1)
    s2 = check_scalar(variance, "variance", min_val=0.0, include_min=False)
    return -0.5 * np.sum((x - out) ** 2, axis=1) / s2 - 0.5 * x.shape[1] * np.log(2 * np.pi * s2)


def reconstruction_gradient(x, out, decoder="bernoulli", variance=1.0):
    """``d(-log p(x | z))/d out``: ``sigmoid(a) - x`` (Bernoulli) or ``(m - x) / s^2`` (Gaussian).

    Shapes as :func:`reconstruction_log_likelihood`; the result is (n_samples, n).

    >>> reconstruction_gradient(np.array([[1.0, 0.0]]), np.zeros((1, 2)))   # 1/2 - x
    array([[-0.5,  0.5]])
    """
    x, out = check_same_shape(x=x, out=out)
    if check_choice(decoder, "decoder", DECODERS) == "bernoulli":
        e = np.exp(-np.abs(out))
        return np.where(out >= 0, 1.0, e) / (1.0 + e) - x
    return (out - x) / check_scalar(variance, "variance", min_val=0.0, include_min=False)


def negative_elbo(x, out, mu, log_var, decoder="bernoulli", beta=1.0, variance=1.0):
    """``-log p(x | z) + beta KL(q(z | x) || p(z))`` of each row: the VAE's loss.

    ``out = D(z)`` is the decoder's output at ``z = mu + sigma * eps``; with
    ``beta = 1`` this is minus a one-draw estimate of the ELBO.

    Parameters
    ----------
    x, out : ndarrays of shape (n_samples, n)
    mu, log_var : ndarrays of shape (n_samples, d)
    decoder : {"bernoulli", "gaussian"}, default="bernoulli"
    beta : float, default=1.0
        Weight of the KL term (>= 0).
    variance : float, default=1.0

    Returns
    -------
    loss : ndarray of shape (n_samples,)

    >>> loss = negative_elbo(np.array([[1.0, 0.0]]), np.zeros((1, 2)), np.array([[1.0]]),
    ...                      np.array([[0.0]]))
    >>> bool(np.isclose(loss[0], 2 * np.log(2) + 0.5))   # 2 log 2 + 1/2 (1 + 1 - 0 - 1)
    True
    """
    beta = check_scalar(beta, "beta", min_val=0.0)
    return (-reconstruction_log_likelihood(x, out, decoder, variance)
            + beta * kl_divergence(mu, log_var))


def importance_log_likelihood(x, mu, log_var, decode, k=100, decoder="bernoulli",
                              variance=1.0, random_state=None):
    """``log p(x)`` estimated with ``k`` draws of the encoder's ``q(z | x)``.

        log p(x) ~ log (1/k) sum_j w_j,   w_j = p(x | z_j) p(z_j) / q(z_j | x),
        z_j = mu + sigma * eps_j,

    in log space: a log-sum-exp of ``log w_j`` minus ``log k``. Its mean is at
    most ``log p(x)`` (Jensen), at least the ELBO, and it rises to ``log p(x)``
    as ``k`` grows; with ``k = 1`` it is a one-draw estimate of the ELBO.

    Parameters
    ----------
    x : ndarray of shape (n_samples, n)
    mu, log_var : ndarrays of shape (n_samples, d)
        The encoder's outputs for ``x``.
    decode : callable
        ``decode(z)`` -> the decoder's output ``out`` of shape (n_samples, n).
    k : int, default=100
    decoder, variance : as :func:`reconstruction_log_likelihood`
    random_state : None, int or numpy.random.Generator, default=None

    Returns
    -------
    log_px : ndarray of shape (n_samples,)

    With ``D(z) = z``, a Gaussian decoder of variance 1 and the exact
    posterior ``q(z | x) = N(x / 2, 1/2)``, every ``w_j`` is ``p(x) = N(x; 0, 2)``:

    >>> est = importance_log_likelihood(np.zeros((1, 1)), np.zeros((1, 1)),
    ...                                 np.log(np.full((1, 1), 0.5)), lambda z: z, k=5,
    ...                                 decoder="gaussian", random_state=0)
    >>> bool(np.isclose(est[0], -0.5 * np.log(4 * np.pi)))   # log N(0; 0, 2)
    True
    """
    x = check_array(x, "x", dtype=None)
    mu, log_var = check_same_shape(mu=mu, log_var=log_var)
    k = check_scalar(k, "k", int, min_val=1)
    rng = check_random_state(random_state)
    sigma = np.exp(log_var / 2)
    log_w = np.empty((x.shape[0], k))
    for j in range(k):                           # a loop over draws, not over samples
        eps = rng.standard_normal(mu.shape)
        z = mu + sigma * eps
        log_prior = -0.5 * np.sum(z ** 2 + np.log(2 * np.pi), axis=1)
        log_q = -0.5 * np.sum(eps ** 2 + log_var + np.log(2 * np.pi), axis=1)
        out = np.asarray(decode(z), dtype=np.float64)
        log_w[:, j] = reconstruction_log_likelihood(x, out, decoder, variance) + log_prior - log_q
    return logsumexp(log_w, axis=1) - np.log(k)
