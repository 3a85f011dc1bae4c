"""The VAE as one layer and one loss, so that ``train`` and ``gradient_check`` apply as they are.

:class:`VAENetwork` chains the encoder ``x -> h``, its two heads ``mu = h W_mu
+ b_mu`` and ``log sigma^2 = h W_v + b_v``, the sampling step
``z = mu + sigma * eps`` and the decoder ``z -> out = D(z)``. Its output is
the row ``[out | mu | log sigma^2]``, which is all :class:`NegativeELBO` needs:

    l = 1/N sum_rows [-log p(x | z) + beta KL(q(z | x) || p(z))].

Backward is the chain rule through the sampling step (with ``eps`` held
fixed, as it was drawn), ``textbook.vae.reparameterise_backward``, plus the KL
term's own gradient, ``textbook.vae.kl_gradient``, which the loss writes into
the ``mu`` and ``log sigma^2`` columns of ``dl/d output``:

    dl/dmu         = dl/dz                  + beta mu / N,
    dl/dlog sigma^2 = dl/dz * sigma eps / 2  + beta (sigma^2 - 1) / (2 N),
    dl/dh          = dl/dmu W_mu^T + dl/dlog sigma^2 W_v^T.

>>> from scratch_genmod.nn.layers import Dense, Sequential
>>> net = VAENetwork(Sequential([]), Dense(3, 2, dtype="float64", random_state=0),
...                  Dense(3, 2, dtype="float64", random_state=1),
...                  Sequential([Dense(2, 3, dtype="float64", random_state=2)]),
...                  eps=np.zeros((4, 2)))
>>> net.forward(np.ones((4, 3))).shape           # [out (3) | mu (2) | log sigma^2 (2)]
(4, 7)
"""

import numpy as np

from scratch_genmod.core import check_choice, check_scalar
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.nn.fast.elementwise import logistic
from scratch_genmod.nn.layers import Layer, Sequential, check_dense_widths
from scratch_genmod.nn.losses import Loss
from scratch_genmod.nn.textbook.vae import (
    DECODERS, kl_divergence, kl_gradient, reconstruction_gradient, reconstruction_log_likelihood,
    reparameterise, reparameterise_backward,
)

__all__ = ["VAENetwork", "NegativeELBO", "check_vae_parts", "overflow_remedy"]


@register_estimator
class VAENetwork(Layer):
    """Encoder, two heads, sampling step and decoder, as one layer.

    Parameters
    ----------
    encoder : Sequential
        ``x -> h`` (the hidden layers; may be empty, then ``h = x``).
    mu_head, log_var_head : Dense
        ``h -> mu`` and ``h -> log sigma^2``, each of ``d`` outputs.
    decoder : Sequential
        ``z -> out``: logits (Bernoulli decoder) or means (Gaussian).
    eps : ndarray of shape (n_samples, d) or None, default=None
        A fixed draw of ``eps`` (for a gradient check); None draws a new
        ``eps ~ N(0, I)`` at each forward pass.
    random_state : None, int or numpy.random.Generator, default=None
        Where ``eps`` is drawn from.
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" goes through the sampling step with
        ``textbook.vae.reparameterise`` and ``reparameterise_backward``
        (the parts compute with their own ``algorithm``).

    Examples
    --------
    With ``eps = 0`` the code is the mean, ``z = mu``:

    >>> from scratch_genmod.nn.layers import Dense, Sequential
    >>> mu_head, log_var_head = Dense(3, 2, dtype="float64"), Dense(3, 2, dtype="float64")
    >>> net = VAENetwork(Sequential([]), mu_head.build(0), log_var_head.build(1),
    ...                  Sequential([Dense(2, 3, dtype="float64")]).build(2), eps=np.zeros((1, 2)))
    >>> y = net.forward(np.ones((1, 3)))
    >>> bool(np.allclose(y[:, 3:5], np.ones((1, 3)) @ mu_head.W_ + mu_head.b_))
    True
    """

    def __init__(self, encoder, mu_head, log_var_head, decoder, eps=None, random_state=None,
                 algorithm="fast"):
        self.encoder = encoder
        self.mu_head = mu_head
        self.log_var_head = log_var_head
        self.decoder = decoder
        self.eps = eps
        self.random_state = random_state
        self.algorithm = algorithm

    def parts(self):
        return [self.encoder, self.mu_head, self.log_var_head, self.decoder]

    def _check_fitted_state(self):
        """Called by ``load``: its parts are layers (each checks its own state)."""
        super()._check_fitted_state()
        for name, part in zip(["encoder", "mu_head", "log_var_head", "decoder"], self.parts()):
            if not isinstance(part, Layer):
                raise ValueError(f"{name} must be a Layer, got {type(part).__name__}")

    def params(self):
        return [p for part in self.parts() for p in part.params()]

    def grads(self):
        return [g for part in self.parts() for g in part.grads()]

    def zero_grad(self):
        for part in self.parts():
            part.zero_grad()

    def encode(self, x):
        """``(mu, log sigma^2)`` of ``q(z | x)``, each of shape (n_samples, d)."""
        h = self.encoder.forward(x)
        return self.mu_head.forward(h), self.log_var_head.forward(h)

    def forward(self, x):
        """``[D(z) | mu | log sigma^2]`` with ``z = mu + sigma * eps``: shape (n_samples, n + 2 d)."""
        mu, log_var = self.encode(x)
        eps = self.eps if self.eps is not None else (
            self._random_generator().standard_normal(mu.shape, dtype=mu.dtype))
        if eps.shape != mu.shape:
            raise ValueError(f"eps must have shape {mu.shape} (n_samples, d), got {eps.shape}")
        if self.algorithm == "textbook":
            self._log_var, self._eps = log_var, eps      # for reparameterise_backward
            z = reparameterise(mu, log_var, eps)         # z = mu + sigma * eps
        else:
            self._sigma_eps = np.exp(log_var / 2) * eps  # kept for backward: dz/dlog sigma^2
            z = mu + self._sigma_eps
        out = self.decoder.forward(z)
        return np.concatenate([out, mu, log_var], axis=1)

    def backward(self, grad_out, input_grad=True):
        d = self.mu_head.n_outputs
        n = grad_out.shape[1] - 2 * d
        grad_z = self.decoder.backward(np.ascontiguousarray(grad_out[:, :n]), input_grad=True)
        # the sampling step's chain rule, plus the KL term's own gradient from the loss
        if self.algorithm == "textbook":
            through_mu, through_log_var = reparameterise_backward(grad_z, self._log_var,
                                                                  self._eps)
        else:
            through_mu, through_log_var = grad_z, grad_z * self._sigma_eps / 2
        grad_mu = grad_out[:, n:n + d] + through_mu                  # dz/dmu = 1
        grad_log_var = grad_out[:, n + d:] + through_log_var         # dz/dlog sigma^2
        hidden = len(self.encoder.layers) > 0
        need_h = input_grad or hidden
        grad_h = self.mu_head.backward(grad_mu, input_grad=need_h)
        grad_v = self.log_var_head.backward(grad_log_var, input_grad=need_h)
        if not need_h:
            return None
        grad_h += grad_v
        return self.encoder.backward(grad_h, input_grad=input_grad) if hidden else grad_h

    def _get_state(self):
        return {}

    def _set_state(self, state):
        pass


@register_estimator
class NegativeELBO(Loss):
    """``1/N sum_rows [-log p(x | z) + beta KL]`` from ``[out | mu | log sigma^2]``.

    Same numbers as the mean of ``textbook.vae.negative_elbo``; its gradient
    is ``textbook.vae.reconstruction_gradient`` in the ``out`` columns and
    ``beta textbook_vae.kl_gradient`` in the others, divided by ``N`` (the
    rows of the batch: the loss is a mean over samples of a sum over pixels).

    Parameters
    ----------
    n_features : int
        ``n``, the number of ``out`` columns.
    decoder : {"bernoulli", "gaussian"}, default="bernoulli"
    beta : float, default=1.0
    variance : float, default=1.0
        ``s^2`` of the Gaussian decoder.
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" computes with the functions of ``textbook.vae``.

    >>> loss = NegativeELBO(2, algorithm="textbook")
    >>> y_hat = np.array([[0.0, 0.0, 1.0, 0.0]])       # out = (0, 0), mu = 1, log sigma^2 = 0
    >>> bool(np.isclose(loss.value(y_hat, np.array([[1.0, 0.0]])), 2 * np.log(2) + 0.5))
    True
    """

    def __init__(self, n_features, decoder="bernoulli", beta=1.0, variance=1.0,
                 algorithm="fast"):
        self.n_features = n_features
        self.decoder = decoder
        self.beta = beta
        self.variance = variance
        self.algorithm = algorithm

    def terms(self, y_hat, y):
        """Per row: ``(-log p(x | z), KL)``, two ndarrays of shape (n_samples,), float64."""
        out, mu, log_var = self._split(y_hat)
        if self.algorithm == "textbook":
            rec = -reconstruction_log_likelihood(y, out, self.decoder, self.variance)
            return rec.astype(np.float64), kl_divergence(mu, log_var).astype(np.float64)
        if check_choice(self.decoder, "decoder", DECODERS) == "bernoulli":
            e = np.log1p(np.exp(-np.abs(out)))
            rec = (np.maximum(out, 0) - y * out + e).sum(axis=1, dtype=np.float64)
        else:
            s2 = check_scalar(self.variance, "variance", min_val=0.0, include_min=False)
            diff = out - y
            rec = (np.einsum("ij,ij->i", diff, diff, dtype=np.float64) / (2 * s2)
                   + 0.5 * out.shape[1] * np.log(2 * np.pi * s2))
        kl = 0.5 * (mu * mu + np.exp(log_var) - log_var - 1).sum(axis=1, dtype=np.float64)
        return rec, kl

    def value_and_grad(self, y_hat, y, grad=None):
        beta = check_scalar(self.beta, "beta", min_val=0.0)
        rec, kl = self.terms(y_hat, y)
        if grad is not None and self.algorithm == "textbook":
            out, mu, log_var = self._split(y_hat)
            n, d = self.n_features, mu.shape[1]
            grad_mu, grad_log_var = kl_gradient(mu, log_var)
            grad[:, :n] = reconstruction_gradient(y, out, self.decoder, self.variance)
            grad[:, n:n + d], grad[:, n + d:] = beta * grad_mu, beta * grad_log_var
            grad /= y_hat.shape[0]
        elif grad is not None:
            out, mu, log_var = self._split(y_hat)
            n_rows, n = y_hat.shape[0], self.n_features
            if self.decoder == "bernoulli":
                np.subtract(logistic(out), y, out=grad[:, :n])
            else:
                np.divide(out - y, self.variance, out=grad[:, :n])
            grad[:, n:n + mu.shape[1]] = beta * mu
            grad[:, n + mu.shape[1]:] = beta * (np.exp(log_var) - 1) / 2
            grad /= n_rows
        return float(np.mean(rec + beta * kl))

    def _split(self, y_hat):
        n = self.n_features
        d = (y_hat.shape[1] - n) // 2
        return y_hat[:, :n], y_hat[:, n:n + d], y_hat[:, n + d:]

    def _check_fitted_state(self):
        """Called by ``load``: the loss's hyper-parameters, through the checks it runs."""
        super()._check_fitted_state()
        check_scalar(self.n_features, "n_features", int, min_val=1)
        check_choice(self.decoder, "decoder", DECODERS)
        check_scalar(self.variance, "variance", min_val=0.0, include_min=False)
        check_scalar(self.beta, "beta", min_val=0.0)


def overflow_remedy(largest, dtype, X):
    """What to try when the encoder's ``|log sigma^2|`` reaches ``largest`` on ``X`` (or None).

    ``sigma^2 = exp(log sigma^2)`` overflows above ``log(max float)`` (88.7
    in float32), the square of its gradient (Adam's ``v``) above half of
    that. Data far from a unit scale (8-bit pixels, say) drive the
    encoder's ``log sigma^2`` there from the first batch: no learning
    rate helps, a unit scale does. Data already on a unit scale (every
    ``|x| <= 10``: pixels in [0, 1], standardised features) do not: then a
    step too large got it there, and None leaves the advice to the caller.

    >>> overflow_remedy(3.0, np.float32, np.zeros((1, 1))) is None
    True
    >>> overflow_remedy(500.0, np.float32, np.ones((1, 1))) is None   # X is on a unit scale
    True
    """
    limit = float(np.log(np.finfo(dtype).max))
    if not largest > limit / 2 or np.abs(X).max() <= 10:  # NaN too: the cause is not this one
        return None
    return (f"the encoder's log sigma^2 reaches {largest:.0f} in size on X, and "
            f"exp(log sigma^2) overflows {np.dtype(dtype).name} above {limit:.1f} (the square "
            f"of its gradient, in the optimiser, above {limit / 2:.1f}): X's values span "
            f"[{float(X.min()):.4g}, {float(X.max()):.4g}]; put them on a unit scale (e.g. "
            "X / 255 for 8-bit images, or standardised features), or use dtype='float64'")


def check_vae_parts(encoder, mu_head, log_var_head, decoder, network, loss, sizes,
                    n_classes=0):
    """The parts of a VAE read from a file map ``n -> ... -> h -> (mu, log sigma^2)``, ``d -> ... -> n``.

    ``sizes`` are ``(n, h_1, ..., d)``; the layers must share one dtype, and
    the network and loss be a :class:`VAENetwork` and a :class:`NegativeELBO`
    over ``n`` features. A conditional VAE (``n_classes`` K > 0) reads
    ``[x | c]`` and decodes ``[z | c]``: its encoder and decoder take K more inputs.
    """
    K, d = n_classes, sizes[-1]
    encoder_widths = (sizes[0] + K,) + tuple(sizes[1:-1])
    dtypes = {check_dense_widths(encoder, encoder_widths, "encoder_"),
              check_dense_widths(decoder, (d + K,) + tuple(sizes[-2::-1]), "decoder_")}
    for name, head in (("mu_head_", mu_head), ("log_var_head_", log_var_head)):
        dtypes.add(check_dense_widths(Sequential([head]), (encoder_widths[-1], d), name))
    if len(dtypes - {None}) != 1:
        raise ValueError(f"the layers must share one dtype, got {sorted(dtypes - {None})}")
    if not isinstance(network, VAENetwork) or not isinstance(loss, NegativeELBO) \
            or loss.n_features != sizes[0]:
        raise ValueError(f"network_ must be a VAENetwork and loss_ a NegativeELBO over "
                         f"{sizes[0]} features")
