"""The variational autoencoder: an autoencoder whose code has a known law.

The autoencoder's limits, in the course's words: ``P(z)`` is unknown, so one
cannot sample directly, and a code in a hole of the latent space need not
decode to anything. The VAE answers both by fixing the law of the code. The
encoder maps ``x`` to a Gaussian ``q(z | x) = N(mu(x), diag sigma^2(x))``
(two heads on the last hidden layer, ``mu`` and ``log sigma^2``), the decoder
gives ``p(x | z)`` (Bernoulli pixels from logits, or a Gaussian), and the
prior is ``p(z) = N(0, I)``. Training minimises the negative ELBO

    l(x) = -E_q[log p(x | z)] + beta KL(q(z | x) || p(z)),

the expectation estimated with one draw ``z = mu + sigma * eps``, so that
backpropagation runs through the sampling step (see
:mod:`~scratch_genmod.nn.vae_network`). The KL term pulls every ``q(z | x)``
towards ``N(0, I)``: the codes fill the prior without holes, and
:meth:`VariationalAutoencoder.sample` decodes draws from the prior itself.
The formulas are in :mod:`~scratch_genmod.nn.textbook.vae`.
"""

import numpy as np

from scratch_genmod.core import (BaseEstimator, check_array, check_bool, check_choice,
                                 check_is_fitted, check_scalar)
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.core.state_checks import check_state_int, fitted_attributes
from scratch_genmod.nn.activations import Sigmoid, make_activation
from scratch_genmod.core.sizes import check_n_samples
from scratch_genmod.nn.checks import (check_algorithm, check_dtype, check_layer_sizes,
                                      check_network_size, check_probabilities, check_rows)
from scratch_genmod.nn.layers import Dense, Sequential, set_algorithm
from scratch_genmod.nn.optimizers import make_optimizer
from scratch_genmod.nn.textbook.vae import DECODERS
from scratch_genmod.nn.divergence import divergence_remedy
from scratch_genmod.nn.encoder_decoder import EncoderDecoderMixin
from scratch_genmod.nn.training import check_trained_state
from scratch_genmod.nn.vae_network import (NegativeELBO, VAENetwork, check_vae_parts,
                                           overflow_remedy)
from scratch_genmod.nn.vae_scores import VAEScoresMixin

__all__ = ["VariationalAutoencoder"]


@register_estimator
class VariationalAutoencoder(VAEScoresMixin, EncoderDecoderMixin, BaseEstimator):
    """A VAE with a Gaussian encoder, a Bernoulli or Gaussian decoder and prior N(0, I).

    Parameters
    ----------
    layer_sizes : tuple of int, default=(784, 1024, 256, 128)
        ``(n, h_1, ..., d)``: input size, hidden sizes, latent dimension
        ``d >= 1``; the encoder ends in two heads of ``d`` outputs (``mu`` and
        ``log sigma^2``), the decoder uses the sizes in reverse. The input size
        may be None: the number of features of the X given to fit.
    activation : str, default="relu"
        After every hidden layer: "relu", "leaky_relu", "tanh", "sigmoid".
    decoder : {"bernoulli", "gaussian"}, default="bernoulli"
        ``p(x | z)``: independent Bernoulli pixels with logits ``D(z)`` (data
        in [0, 1]), or ``N(D(z), s^2 I)``.
    decoder_variance : float, default=1.0
        ``s^2`` of the Gaussian decoder (> 0).
    beta : float, default=1.0
        Weight of the KL term (>= 0); 1 gives the ELBO.
    optimizer : {"adam", "sgd"}, default="adam"
    lr : float, default=1e-3
    epochs : int, default=10
    batch_size : int, default=128
    weight_decay : float, default=0.0
    validation_split : float, default=0.0
    shuffle : bool, default=True
    early_stopping : int or None, default=None
    dtype : {"float32", "float64"}, default="float32"
        Also as a NumPy type or dtype (``np.float64``).
    progress : bool or "always", default=True
    random_state : None, int or numpy.random.Generator, default=None
    warm_start : bool, default=False
        When the model is already fitted, ``fit`` trains ``epochs`` more
        epochs from the current weights and optimiser state (as does
        :meth:`partial_fit`, for one epoch).
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" trains, encodes, decodes, scores and samples with the
        functions of :mod:`scratch_genmod.nn.textbook` (layers, sampling
        step, negative ELBO, optimiser steps); "fast" gives the same numbers
        with :mod:`scratch_genmod.nn.fast`. Read by every method.

    Attributes
    ----------
    encoder_ : Sequential
        ``x -> h``.
    mu_head_, log_var_head_ : Dense
    decoder_ : Sequential
    network_ : VAENetwork
        All of them chained, with the sampling step; what is trained.
    loss_ : NegativeELBO
    optimizer_ : Adam or SGD
    history_ : dict
        ``"loss"`` (the negative ELBO per sample, in nats), ``"val_loss"``,
        ``"best_epoch"``, ``"stopped"``.
    n_features_in_ : int

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = (rng.random((200, 8)) < 0.3).astype(np.float32)
    >>> vae = VariationalAutoencoder((8, 16, 2), epochs=5, progress=False, random_state=0)
    >>> vae = vae.fit(X)
    >>> vae.encode(X).shape, vae.sample(3)[0].shape
    ((200, 2), (3, 8))
    >>> bool(vae.history_["loss"][-1] < vae.history_["loss"][0])
    True
    """

    COURSE_MNIST = dict(layer_sizes=(784, 1024, 256, 128), activation="relu",
                        decoder="bernoulli")   # 784-1024-256, then two heads of 128
    FITTED = "network_"

    def __init__(self, layer_sizes=(784, 1024, 256, 128), activation="relu", decoder="bernoulli",
                 decoder_variance=1.0, beta=1.0, optimizer="adam", lr=1e-3, epochs=10,
                 batch_size=128, weight_decay=0.0, validation_split=0.0, shuffle=True,
                 early_stopping=None, dtype="float32", progress=True, random_state=None,
                 warm_start=False, algorithm="fast"):
        self.layer_sizes = layer_sizes
        self.activation = activation
        self.decoder = decoder
        self.decoder_variance = decoder_variance
        self.beta = beta
        self.optimizer = optimizer
        self.lr = lr
        self.epochs = epochs
        self.batch_size = batch_size
        self.weight_decay = weight_decay
        self.validation_split = validation_split
        self.shuffle = shuffle
        self.early_stopping = early_stopping
        self.dtype = dtype
        self.progress = progress
        self.random_state = random_state
        self.warm_start = warm_start
        self.algorithm = algorithm

    def _train(self, X, validation_data, epochs, resume):
        """Build the network (unless ``resume``) and train it ``epochs`` epochs on X."""
        algorithm = check_algorithm(self.algorithm)
        if resume:
            dtype, n_features = self.mu_head_.params()[0].dtype, self.n_features_in_
        else:
            dtype = check_dtype(self.dtype)
            n_features = self._layer_sizes(check_rows(X, "X", dtype=dtype).shape[1])[0]
        X = self._check_data(X, "X", dtype, n_features, "VariationalAutoencoder" if resume else
                             "this VAE's first layer (layer_sizes[0])")
        decoder, variance, beta = self._check_params(dtype)
        rng = self._random_generator()
        previous = self.history_ if resume else None
        if not resume:
            sizes = self._layer_sizes(n_features)
            check_network_size(sizes + sizes[-2::-1], dtype)
            self._build(sizes, dtype, rng)
            self.optimizer_ = make_optimizer(self.optimizer, self.lr, self.weight_decay,
                                             algorithm)
            self.n_features_in_ = n_features
        self._use_algorithm()
        if validation_data is not None:
            V = self._check_data(validation_data, "validation_data", dtype, n_features,
                                 "VariationalAutoencoder")
            validation_data = (V, V)
        return self._fit_network(
            self.network_, X, self.loss_, validation_data, epochs, previous, rng,
            lambda: self._overflow(X) or divergence_remedy(self.lr, [
                ("beta", beta, 100.0, "smaller"),
                ("weight_decay", self.weight_decay, 1.0, "smaller"),
                ("decoder_variance", variance if decoder == "gaussian" else 1.0, 1e-3,
                 "larger")]), desc="vae")

    def encode(self, X):
        """The mean ``mu(x)`` of ``q(z | x)`` for each row: ndarray of shape (n_samples, d)."""
        check_is_fitted(self, "encode", ["network_"])
        return self.encode_distribution(X)[0]

    def encode_distribution(self, X):
        """``(mu, log sigma^2)`` of ``q(z | x)``: two ndarrays of shape (n_samples, d)."""
        check_is_fitted(self, "encode_distribution", ["network_"])
        return self._encode_rows(self._check_input(X))

    def _encode_rows(self, X):
        """``(mu, log sigma^2)`` of the network's input rows, 1,024 at a time (checked ``X``)."""
        parts = [self.network_.encode(X[start:start + 1024])
                 for start in range(0, X.shape[0], 1024)]
        return tuple(np.concatenate(column) for column in zip(*parts))   # new arrays

    def decode(self, Z):
        """The mean of ``p(x | z)`` for codes ``Z`` of shape (n_samples, d): (n_samples, n).

        Pixel probabilities ``sigmoid(D(z))`` for the Bernoulli decoder,
        ``D(z)`` for the Gaussian one.
        """
        check_is_fitted(self, "decode", ["decoder_"])
        Z = check_array(Z, "Z", dtype=self.decoder_.params()[0].dtype,
                        n_features=self.mu_head_.n_outputs, estimator="the latent space (d)")
        out = self._use_algorithm().decoder_.predict(Z)
        if self.decoder == "bernoulli":  # pixel probabilities from the logits
            return Sigmoid(algorithm=self.algorithm).forward(out).astype(out.dtype)
        return out

    def reconstruct(self, X):
        """``D(mu(x))`` for each row of ``X``: ndarray of shape (n_samples, n)."""
        check_is_fitted(self, "reconstruct", ["network_"])
        return self.decode(self.encode(X))

    def sample(self, n_samples=1, random_state=None):
        """Generate: decode ``n_samples`` codes drawn from the prior ``N(0, I)``.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            The mean of ``p(x | z)`` (see :meth:`decode`) at each draw.
        labels : ndarray of shape (n_samples,)
            All 0: the prior has one component.
        """
        check_is_fitted(self, "sample", ["decoder_"])
        n_samples = check_n_samples(n_samples, self.n_features_in_)
        rng = self._random_generator(random_state)
        Z = rng.standard_normal((n_samples, self.mu_head_.n_outputs))
        return self.decode(Z), np.zeros(n_samples, dtype=int)

    def _check_data(self, X, name, dtype, n_features, estimator):
        """``X`` checked, and in [0, 1] for the Bernoulli decoder (with the remedies)."""
        X = check_rows(X, name, dtype=dtype, n_features=n_features, estimator=estimator)
        if check_choice(self.decoder, "decoder", DECODERS) == "bernoulli":
            check_probabilities(X, name, "decoder='bernoulli'", "decoder='gaussian'")
        return X

    def _overflow(self, X):
        """What to try when ``exp(log sigma^2)`` overflows on ``X`` (else None)."""
        log_var = self._encode_rows(X)[1]
        return overflow_remedy(float(np.max(np.abs(log_var))), log_var.dtype, X)

    def _check_input(self, X, as_fit=False):
        """``X`` (rows, or images flattened) checked against the fitted network; with
        ``as_fit``, also as ``fit`` checks it (the scores are meaningless elsewhere)."""
        self._use_algorithm()
        dtype = self.mu_head_.params()[0].dtype
        if as_fit:
            return self._check_data(X, "X", dtype, self.n_features_in_, "VariationalAutoencoder")
        return check_rows(X, "X", dtype=dtype, n_features=self.n_features_in_,
                          estimator="VariationalAutoencoder")

    def _use_algorithm(self):
        """Make the network, loss and optimiser compute with ``self.algorithm``; returns self."""
        algorithm = check_algorithm(self.algorithm)
        set_algorithm(self.network_, algorithm)
        self.loss_.algorithm = self.optimizer_.algorithm = algorithm
        return self

    def _layer_sizes(self, n_features):
        return check_layer_sizes(self.layer_sizes, n_features, "latent dimension d",
                                 "layer_sizes[-1] (the latent dimension d)")

    def _check_params(self, dtype=None):
        """The hyper-parameters, checked (by fit, and by load): (decoder, variance, beta).

        Those the network computes with must be numbers its ``dtype`` can hold."""
        check_dtype(self.dtype)
        check_algorithm(self.algorithm)
        make_activation(self.activation)
        check_scalar(self.lr, "lr", min_val=0.0, include_min=False, dtype=dtype)
        check_scalar(self.weight_decay, "weight_decay", min_val=0.0, dtype=dtype)
        check_bool(self.shuffle, "shuffle")
        return (check_choice(self.decoder, "decoder", DECODERS),
                check_scalar(self.decoder_variance, "decoder_variance", min_val=0.0,
                             include_min=False, dtype=dtype),
                check_scalar(self.beta, "beta", min_val=0.0, dtype=dtype))

    def _check_fitted_state(self):
        """Called by ``load``: hyper-parameters, widths n -> ... -> h -> (mu, log sigma^2), d -> ... -> n."""
        self._check_params()
        names = ["encoder_", "mu_head_", "log_var_head_", "decoder_", "network_", "loss_",
                 "optimizer_", "history_", "n_features_in_"]
        if not fitted_attributes(self, names):
            return
        sizes = self._layer_sizes(check_state_int(self.n_features_in_, "n_features_in_",
                                                  min_val=1))
        check_vae_parts(self.encoder_, self.mu_head_, self.log_var_head_, self.decoder_,
                        self.network_, self.loss_, sizes)
        check_trained_state(self.optimizer_, self.history_)

    def _build(self, sizes, dtype, rng):
        """Encoder, heads, mirrored decoder and the loss; initial weights drawn from ``rng``."""
        decoder, variance, beta = self._check_params()
        init = "he" if self.activation in ("relu", "leaky_relu") else "xavier"

        def hidden(widths):
            layers = []
            for n_in, n_out in zip(widths[:-1], widths[1:]):
                layers += [Dense(n_in, n_out, init=init, dtype=dtype),
                           make_activation(self.activation)]
            return layers

        d = sizes[-1]
        self.encoder_ = Sequential(hidden(sizes[:-1])).build(rng)
        self.mu_head_ = Dense(sizes[-2], d, init="xavier", dtype=dtype).build(rng)
        self.log_var_head_ = Dense(sizes[-2], d, init="xavier", dtype=dtype).build(rng)
        back = sizes[::-1]
        self.decoder_ = Sequential(hidden(back[:-1]) + [Dense(back[-2], back[-1], init="xavier",
                                                              dtype=dtype)]).build(rng)
        self.network_ = VAENetwork(self.encoder_, self.mu_head_, self.log_var_head_,
                                   self.decoder_, random_state=rng)
        self.loss_ = NegativeELBO(sizes[0], decoder, beta, variance)
