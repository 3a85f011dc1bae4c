"""How well a VAE explains data: the ELBO of each row, and ``log p(x)`` by importance sampling.

Training minimises the negative ELBO with ``beta`` weighting the KL term;
these scores are the bound itself (``beta = 1``) and the log-likelihood
it bounds, in nats, on data checked as ``fit`` checks it:

    ELBO(x) = E_q[log p(x | z)] - KL(q(z | x) || p(z)) <= log p(x),

the expectation estimated with one draw ``z = mu + sigma * eps``, the KL in
closed form, and ``log p(x)`` estimated with ``k`` draws of ``q(z | x)``
(``textbook.vae.importance_log_likelihood``). ``score`` is its mean, as for
every density of the library.
"""

import numpy as np

from scratch_genmod.core import check_is_fitted
from scratch_genmod.nn.textbook.vae import importance_log_likelihood, reparameterise

__all__ = ["VAEScoresMixin"]


class VAEScoresMixin:
    """``elbo``, ``log_likelihood`` and ``score`` for :class:`~scratch_genmod.nn.VariationalAutoencoder`.

    The model provides ``network_`` (with ``encode``), ``decoder_``,
    ``loss_`` (with ``terms``), ``decoder``, ``decoder_variance``,
    ``algorithm``, ``encode_distribution``, ``_check_input`` and
    ``_random_generator``; the conditional VAE overrides the three with a
    label ``y``.

    >>> from scratch_genmod.nn import VariationalAutoencoder
    >>> X = (np.random.default_rng(0).random((40, 6)) < 0.5).astype(np.float32)
    >>> vae = VariationalAutoencoder((6, 2), epochs=2, progress=False, random_state=0).fit(X)
    >>> bound, log_p = vae.elbo(X, random_state=0), vae.log_likelihood(X, k=50, random_state=0)
    >>> bound.shape, bool(np.mean(log_p) >= np.mean(bound) - 0.1)   # never below, on average
    ((40,), True)
    """

    def elbo(self, X, random_state=None):
        """The ELBO of each row, ``log p(x | z) - KL(q || p)``: shape (n_samples,), float64.

        One draw ``z = mu + sigma * eps`` for the reconstruction term, the KL
        in closed form (``beta`` is not used: this is the bound on
        ``log p(x)`` itself, in nats). ``X`` is checked as ``fit`` checks it
        (in [0, 1] for the Bernoulli decoder).
        """
        check_is_fitted(self, "elbo", ["network_"])
        X = self._check_input(X, as_fit=True)
        rng = self._random_generator(random_state)
        bound = np.empty(X.shape[0])
        for start in range(0, X.shape[0], 1024):
            x = X[start:start + 1024]
            mu, log_var = self.network_.encode(x)
            eps = rng.standard_normal(mu.shape, dtype=mu.dtype)
            if self.algorithm == "textbook":
                z = reparameterise(mu, log_var, eps)       # z = mu + sigma * eps
            else:
                z = mu + np.exp(log_var / 2) * eps
            rec, kl = self.loss_.terms(
                np.concatenate([self.decoder_.forward(z), mu, log_var], axis=1), x)
            bound[start:start + x.shape[0]] = -(rec + kl)
        return bound

    def log_likelihood(self, X, k=100, random_state=None):
        """``log p(x)`` of each row by importance sampling with ``k`` draws of ``q(z | x)``.

        See ``textbook.vae.importance_log_likelihood``: never below the ELBO
        on average, and rising to ``log p(x)`` with ``k``.
        Returns an ndarray of shape (n_samples,), float64. ``X`` is checked as
        ``fit`` checks it (in [0, 1] for the Bernoulli decoder).
        """
        check_is_fitted(self, "log_likelihood", ["network_"])
        X = self._check_input(X, as_fit=True)
        mu, log_var = self.encode_distribution(X)
        dtype = X.dtype
        return importance_log_likelihood(
            X, mu.astype(np.float64), log_var.astype(np.float64),
            lambda z: self.decoder_.predict(z.astype(dtype)), k=k, decoder=self.decoder,
            variance=self.decoder_variance, random_state=self._random_generator(random_state))

    def score(self, X, y=None, k=100, random_state=0):
        """Mean of :meth:`log_likelihood` over the rows of ``X`` (a float); ``y`` is ignored.

        Seeded (``random_state=0``) by default, so that the same data always
        get the same score, as model selection needs; None uses the model's
        own generator.
        """
        check_is_fitted(self, "score", ["network_"])
        return float(np.mean(self.log_likelihood(X, k, random_state)))
