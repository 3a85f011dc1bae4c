"""The conditional VAE: "draw me a 3".

A VAE models ``p(x)``: its samples are digits, but one cannot ask for a given
digit. The conditional VAE models ``p(x | y)`` by giving the label, one-hot
``c``, to both halves of the network:

    encoder  q(z | x, y) = N(mu([x | c]), diag sigma^2([x | c])),
    decoder  p(x | z, y) from D([z | c]),
    prior    p(z) = N(0, I),

and minimises the same negative ELBO, now for each pair ``(x, y)``:

    l(x, y) = -E_q[log p(x | z, y)] + beta KL(q(z | x, y) || p(z)).

Because the decoder is told the label, the code ``z`` need not carry it and
learns the rest (slant, thickness); :meth:`ConditionalVAE.sample` draws
``z ~ N(0, I)`` and decodes it with the label asked for.

The network is the VAE's (:class:`~scratch_genmod.nn.vae_network.VAENetwork`)
with two changes: its input row is ``[x | c]``, and its decoder is wrapped in
:class:`LabelConditioned`, which appends ``c`` to ``z``
(:mod:`~scratch_genmod.nn.conditional_network`). Everything else (training,
the loss and its gradient, the optimiser) is the VAE's.
"""

import numpy as np

from scratch_genmod.core import check_array, check_bool, check_is_fitted
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.core.state_checks import check_state_array, check_state_int, fitted_attributes
from scratch_genmod.core.sizes import check_n_samples
from scratch_genmod.nn.activations import Sigmoid
from scratch_genmod.nn.checks import check_rows
from scratch_genmod.nn.latent import interpolate
from scratch_genmod.nn.conditional_network import (ConditionalNegativeELBO,
                                                    ConditionalVAENetwork, LabelConditioned)
from scratch_genmod.nn.layers import Dense
from scratch_genmod.nn.textbook.vae import importance_log_likelihood, reparameterise
from scratch_genmod.nn.training import check_trained_state
from scratch_genmod.nn.vae import VariationalAutoencoder
from scratch_genmod.nn.vae_network import check_vae_parts

__all__ = ["ConditionalVAE"]


@register_estimator
class ConditionalVAE(VariationalAutoencoder):
    """A VAE of ``p(x | y)``: the label goes to the encoder and to the decoder.

    Parameters are those of :class:`VariationalAutoencoder`; ``layer_sizes``
    ``(n, h_1, ..., d)`` counts the pixels only: the encoder's first layer
    reads ``n + K`` inputs and the decoder's first ``d + K``, for ``K``
    classes.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels seen in ``fit``, sorted; ``c`` is the one-hot row of a label
        in this order.
    n_features_in_ : int
        ``n``, the pixels of an image (without the label).
    The others are :class:`VariationalAutoencoder`'s.

    Examples
    --------
    Two classes of 6-pixel images, the left or the right half lit:

    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 300)
    >>> X = np.where(np.arange(6) < 3, 1 - y[:, None], y[:, None]).astype(np.float32)
    >>> cvae = ConditionalVAE((6, 16, 2), epochs=40, lr=1e-2, progress=False, random_state=0)
    >>> cvae = cvae.fit(X, y)
    >>> threes, labels = cvae.sample(4, y=1)        # "draw me a 1": the right half
    >>> labels.tolist(), bool(np.all(threes[:, 3:].mean(axis=1) > threes[:, :3].mean(axis=1)))
    ([1, 1, 1, 1], True)
    """

    def fit(self, X, y, validation_data=None):
        """Train on images ``X`` of shape (n_samples, n) with labels ``y`` of shape (n_samples,).

        ``validation_data`` is None or a pair ``(X_val, y_val)``. Returns self.
        """
        X = check_rows(X, "X", dtype=None)
        y = np.asarray(y)
        if y.ndim != 1 or y.shape[0] != X.shape[0]:
            raise ValueError(f"y must be a 1-D array of one label per row of X, shape "
                             f"({X.shape[0]},), got shape {y.shape}")
        resume = check_bool(self.warm_start, "warm_start") and "network_" in vars(self)
        if not resume:
            self.classes_ = np.unique(y)
            if len(self.classes_) < 2:
                raise ValueError(f"y must hold at least 2 classes, got {self.classes_.tolist()}")
        if validation_data is not None:
            if not (isinstance(validation_data, tuple) and len(validation_data) == 2):
                raise ValueError("validation_data must be a pair (X_val, y_val) for a "
                                 "ConditionalVAE")
            validation_data = self._with_labels(*validation_data)
        return self._train_on(self._with_labels(X, y), validation_data, self.epochs, resume)

    def partial_fit(self, X, y):
        """Train one more epoch on ``(X, y)``; the first call learns ``classes_`` from ``y``."""
        if "network_" not in vars(self):
            self.classes_ = np.unique(np.asarray(y))
        return self._train_on(self._with_labels(X, y), None, 1, "network_" in vars(self))

    def encode(self, X, y):
        """The mean ``mu([x | c])`` of ``q(z | x, y)`` for each row: shape (n_samples, d)."""
        check_is_fitted(self, "encode")
        return self.encode_distribution(X, y)[0]

    def encode_distribution(self, X, y):
        """``(mu, log sigma^2)`` of ``q(z | x, y)``: two ndarrays of shape (n_samples, d)."""
        check_is_fitted(self, "encode_distribution", ["network_"])
        self._use_algorithm()
        return self._encode_rows(self._with_labels(X, y))

    def decode(self, Z, y):
        """The mean of ``p(x | z, y)`` for codes ``Z`` of shape (n_samples, d): (n_samples, n)."""
        check_is_fitted(self, "decode", ["decoder_"])
        Z = check_array(Z, "Z", dtype=self.decoder_.params()[0].dtype,
                        n_features=self.mu_head_.n_outputs, estimator="the latent space (d)")
        out = self._use_algorithm().decoder_.predict(
            np.concatenate([Z, self._one_hot(y, len(Z), Z.dtype)], axis=1))
        if self.decoder == "bernoulli":  # pixel probabilities from the logits
            return Sigmoid(algorithm=self.algorithm).forward(out).astype(out.dtype)
        return out

    def reconstruct(self, X, y):
        """``D([mu(x, y) | c])`` for each row: shape (n_samples, n)."""
        check_is_fitted(self, "reconstruct")
        return self.decode(self.encode(X, y), y)

    def sample(self, n_samples=1, y=None, random_state=None):
        """Generate ``n_samples`` images of class ``y``: ``z ~ N(0, I)`` decoded with ``c``.

        ``y`` is one label of ``classes_``, an array of ``n_samples`` labels,
        or None: each sample's class drawn uniformly from ``classes_``.
        Returns ``(X, labels)``: ndarrays of shape (n_samples, n) and (n_samples,).
        """
        check_is_fitted(self, "sample", ["decoder_"])
        n_samples = check_n_samples(n_samples, self.n_features_in_)
        rng = self._random_generator(random_state)
        if y is None:
            y = self.classes_[rng.integers(0, len(self.classes_), n_samples)]
        labels = np.broadcast_to(np.asarray(y), (n_samples,)).copy() if np.ndim(y) == 0 \
            else np.asarray(y)
        Z = rng.standard_normal((n_samples, self.mu_head_.n_outputs))
        return self.decode(Z, labels), labels

    def elbo(self, X, y, random_state=None):
        """The ELBO of each pair, ``log p(x | z, y) - KL(q(z | x, y) || p(z))``: shape (n_samples,).

        One draw ``z = mu + sigma * eps`` for the reconstruction term, the KL
        in closed form, in nats, float64.
        """
        check_is_fitted(self, "elbo", ["network_"])
        mu, log_var = self.encode_distribution(X, y)
        X = self._check_images(X, as_fit=True)
        rng = self._random_generator(random_state)
        z = reparameterise(mu, log_var, rng.standard_normal(mu.shape, dtype=mu.dtype))
        out = self.decoder_.forward(np.concatenate([z, self._one_hot(y, len(X), z.dtype)], 1))
        rec, kl = self.loss_.terms(np.concatenate([out, mu, log_var], axis=1), X)
        return -(rec + kl)

    def log_likelihood(self, X, y, k=100, random_state=None):
        """``log p(x | y)`` of each row by importance sampling with ``k`` draws of ``q(z | x, y)``."""
        check_is_fitted(self, "log_likelihood", ["network_"])
        mu, log_var = self.encode_distribution(X, y)
        X = self._check_images(X, as_fit=True)
        c = self._one_hot(y, len(X), X.dtype)
        return importance_log_likelihood(
            X, mu.astype(np.float64), log_var.astype(np.float64),
            lambda z: self.decoder_.predict(np.concatenate([z.astype(X.dtype), c], axis=1)),
            k=k, decoder=self.decoder, variance=self.decoder_variance,
            random_state=self._random_generator(random_state))

    def score(self, X, y, k=100, random_state=0):
        """Mean of :meth:`log_likelihood`, ``(1/N) sum log p(x | y)`` (a float), seeded by default."""
        check_is_fitted(self, "score")
        return float(np.mean(self.log_likelihood(X, y, k, random_state)))

    def interpolate(self, x1, x2, y, n_steps=10):
        """``D([alpha mu1 + (1 - alpha) mu2 | c])`` for ``alpha`` from 1 down to 0, in class ``y``.

        ``x1``, ``x2`` : ndarrays of shape (n_features,) (or images); ``y`` one
        label, given to the encoder and the decoder alike. Returns an ndarray
        of shape (n_steps, n_features).
        """
        check_is_fitted(self, "interpolate", ["network_"])
        if np.ndim(y) != 0:
            raise ValueError(f"y must be one label, got an array of shape {np.shape(y)}")
        return interpolate(_OneClass(self, y), x1, x2, n_steps)

    # -- the pieces the VAE's training calls, adapted to [x | c] ------------------

    def _train_on(self, XC, validation_data, epochs, resume):
        """The VAE's training on rows ``[x | c]``; ``n_features_in_`` is ``n`` outside it."""
        K = len(self.classes_)
        if resume:
            self.n_features_in_ += K        # the width the VAE's training checks
        try:
            self._train(XC, validation_data, epochs, resume)
        finally:
            if "n_features_in_" in vars(self):
                self.n_features_in_ = XC.shape[1] - K
        return self

    def _check_images(self, X, as_fit=False):
        """Images ``x`` checked as the VAE checks its rows (``n`` pixels each)."""
        return super()._check_input(X, as_fit)

    def _with_labels(self, X, y):
        """The rows ``[x | c]`` the network reads (``x`` checked; ``c`` one-hot by construction)."""
        X = self._check_images(X) if "network_" in vars(self) else check_rows(X, "X", dtype=None)
        return np.concatenate([X, self._one_hot(y, len(X), X.dtype)], axis=1)

    def _one_hot(self, y, n_rows, dtype):
        """``c``: the one-hot rows of the labels ``y``, in the order of ``classes_``."""
        labels = np.asarray(y)
        labels = np.broadcast_to(labels, (n_rows,)) if labels.ndim == 0 else labels
        if labels.shape != (n_rows,):
            raise ValueError(f"y must be one label or {n_rows} labels (one per row), got "
                             f"shape {labels.shape}")
        index = np.searchsorted(self.classes_, labels)
        index = np.minimum(index, len(self.classes_) - 1)
        unknown = self.classes_[index] != labels
        if np.any(unknown):
            raise ValueError(f"y holds labels not seen in fit: "
                             f"{np.unique(labels[unknown]).tolist()[:5]}; this model knows "
                             f"{self.classes_.tolist()}")
        c = np.zeros((n_rows, len(self.classes_)), dtype=dtype)
        c[np.arange(n_rows), index] = 1
        return c

    def _layer_sizes(self, n_features):
        """``(n + K, h_1, ..., d)`` from rows ``[x | c]`` of width ``n + K``."""
        K = len(self.classes_)
        sizes = super()._layer_sizes(n_features - K)
        return (sizes[0] + K,) + tuple(sizes[1:])

    def _check_fitted_state(self):
        """Called by ``load``: hyper-parameters, K >= 2 classes, then widths n + K -> ... -> d, d + K -> ... -> n."""
        self._check_params()
        names = ["encoder_", "mu_head_", "log_var_head_", "decoder_", "network_", "loss_",
                 "optimizer_", "history_", "n_features_in_", "classes_"]
        if not fitted_attributes(self, names):
            return
        classes = check_state_array(self.classes_, "classes_", kind="fiUb", ndim=1)
        if len(np.unique(classes)) != len(classes) or len(classes) < 2:
            raise ValueError(f"classes_ must hold at least 2 distinct labels, got "
                             f"{classes.tolist()}")
        n = check_state_int(self.n_features_in_, "n_features_in_", min_val=1)
        sizes = VariationalAutoencoder._layer_sizes(self, n)  # (n, h_1, ..., d), without K
        check_vae_parts(self.encoder_, self.mu_head_, self.log_var_head_, self.decoder_,
                        self.network_, self.loss_, sizes, n_classes=len(classes))
        check_trained_state(self.optimizer_, self.history_)

    def _build(self, sizes, dtype, rng):
        """The VAE's network, its decoder reading ``[z | c]`` through :class:`LabelConditioned`."""
        K = len(self.classes_)
        n, hidden, d = sizes[0] - K, tuple(sizes[1:-1]), sizes[-1]
        super()._build((n,) + hidden + (d,), dtype, rng)      # validates the parameters
        init = "he" if self.activation in ("relu", "leaky_relu") else "xavier"
        # the first layers of the encoder and of the decoder take K more inputs
        first_out = hidden[0] if hidden else d
        if hidden:
            self.encoder_.layers[0] = Dense(n + K, first_out, init=init, dtype=dtype).build(rng)
        else:
            self.mu_head_ = Dense(n + K, d, init="xavier", dtype=dtype).build(rng)
            self.log_var_head_ = Dense(n + K, d, init="xavier", dtype=dtype).build(rng)
        widths = (d,) + hidden[::-1] + (n,)
        first = self.decoder_.layers[0]
        self.decoder_.layers[0] = Dense(d + K, widths[1], init=first.init,
                                        dtype=dtype).build(rng)
        self.network_ = ConditionalVAENetwork(self.encoder_, self.mu_head_, self.log_var_head_,
                                              LabelConditioned(self.decoder_, K), random_state=rng)
        self.loss_ = ConditionalNegativeELBO(n, self.loss_.decoder, self.loss_.beta,
                                             self.loss_.variance)


class _OneClass:
    """The model seen from one class ``y``, as :func:`~scratch_genmod.nn.latent.interpolate` reads it."""

    def __init__(self, model, y):
        self.model, self.y, self.n_features_in_ = model, y, model.n_features_in_

    def encode(self, X):
        return self.model.encode(X, self.y)

    def decode(self, Z):
        return self.model.decode(Z, self.y)
