"""The autoencoder ``H = D o E``: compress to a code, decode back, and generate.

The encoder ``E: R^n -> R^d`` and the decoder ``D: R^d -> R^n`` are trained
together, by backpropagation, to make ``H(x) = D(E(x))`` close to ``x``:

    min over theta of  1/N sum_x loss(D(E(x)), x).

With ``d < n`` the code ``z = E(x)`` must keep what matters in ``x``. The
decoder mirrors the encoder: for ``layer_sizes = (784, 1024, 256, 128)``

    E: FC(784,1024)+sigma, FC(1024,256)+sigma, FC(256,128)
    D: FC(128,256)+sigma,  FC(256,1024)+sigma, FC(1024,784)+output activation

(the course's MNIST network). To *generate*, the course notes that the law
``P(z)`` of the codes is unknown ("on pourrait l'estimer"):
:meth:`Autoencoder.fit_latent_density` estimates it with a Gaussian mixture
fitted on the codes, and :meth:`Autoencoder.sample` decodes draws from it.
"""

import numpy as np

from scratch_genmod.core import (BaseEstimator, check_array, check_bool, check_choice, check_is_fitted,
                                 check_scalar)
from scratch_genmod.core.warning import warn_user
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.core.state_checks import check_state_int, fitted_attributes
from scratch_genmod.nn.activations import Sigmoid, make_activation
from scratch_genmod.nn.checks import (check_algorithm, check_dtype, check_layer_sizes,
                                      check_network_size, check_probabilities,
                                      check_rows, outside_unit_interval)
from scratch_genmod.nn.latent import LatentDensityMixin
from scratch_genmod.nn.layers import Dense, Sequential, check_dense_widths, set_algorithm
from scratch_genmod.nn.losses import make_loss
from scratch_genmod.nn.optimizers import make_optimizer
from scratch_genmod.nn.textbook.losses import squared_error
from scratch_genmod.nn.divergence import divergence_remedy
from scratch_genmod.nn.encoder_decoder import EncoderDecoderMixin
from scratch_genmod.nn.training import Corruption, check_trained_state

__all__ = ["Autoencoder"]


@register_estimator
class Autoencoder(LatentDensityMixin, EncoderDecoderMixin, BaseEstimator):
    """A fully connected autoencoder trained by hand-written backpropagation.

    Parameters
    ----------
    layer_sizes : tuple of int, default=(784, 1024, 256, 128)
        ``(n, h_1, ..., d)``: input size, hidden sizes, code size ``d``; at
        least two entries. The decoder uses the same sizes in reverse. The
        input size may be None: the number of features of the X given to fit.
    activation : str, default="relu"
        ``sigma`` after every hidden layer: "relu", "leaky_relu", "tanh",
        "sigmoid" or "identity" (a linear autoencoder). The code layer
        has none.
    output_activation : {"sigmoid", "identity"}, default="sigmoid"
        Last layer of the decoder; "sigmoid" for data in [0, 1] (``fit``
        warns of values outside, which it cannot reach). With
        ``loss="bce"`` the network outputs logits during training and the
        sigmoid is applied by :meth:`decode`.
    loss : {"mse", "mae", "bce"}, default="mse"
        "bce", the binary cross-entropy, needs ``X`` in [0, 1].
    optimizer : {"adam", "sgd"}, default="adam"
    lr : float, default=1e-3
        Learning rate (> 0).
    epochs : int, default=10
    batch_size : int, default=128
    weight_decay : float, default=0.0
    validation_split : float, default=0.0
    shuffle : bool, default=True
        Visit the training rows in a new random order every epoch.
    early_stopping : int or None, default=None
        Patience in epochs (see :func:`scratch_genmod.nn.train`).
    noise : {None, "gaussian", "masking"}, default=None
        Denoising autoencoder: train ``D(E(x~)) ~ x`` from a corrupted input
        ``x~ = x + noise_level * N(0, I)`` or with each entry zeroed with
        probability ``noise_level``.
    noise_level : float, default=0.1
    dtype : {"float32", "float64"}, default="float32"
        Also as a NumPy type or dtype (``np.float64``, ``np.dtype("float32")``).
    progress : bool or "always", default=True
    random_state : None, int or numpy.random.Generator, default=None
    warm_start : bool, default=False
        When the model is already fitted, ``fit`` trains ``epochs`` more
        epochs from the current weights and optimiser state instead of new
        ones (as does :meth:`partial_fit`, for one epoch).
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" trains, encodes, decodes and scores with the functions of
        :mod:`scratch_genmod.nn.textbook` (every layer, loss and optimiser
        step), to step through in a debugger; "fast" gives the same numbers
        with :mod:`scratch_genmod.nn.fast`. Read by every method, so a model
        fitted fast may be stepped through afterwards.

    Attributes
    ----------
    encoder_, decoder_ : Sequential
    optimizer_ : Adam or SGD (with its moment estimates, to resume training)
    history_ : dict
        ``"loss"``, ``"val_loss"`` per epoch, ``"best_epoch"``, ``"stopped"``;
        the epochs of a resumed training are appended.
    n_features_in_ : int
    latent_density_ : estimator
        After :meth:`fit_latent_density`: the density of the codes.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((200, 8)).astype(np.float32)
    >>> ae = Autoencoder((8, 16, 3), epochs=3, progress=False, random_state=0).fit(X)
    >>> ae.encode(X).shape, ae.reconstruct(X).shape
    ((200, 3), (200, 8))
    >>> bool(ae.history_["loss"][-1] < ae.history_["loss"][0])
    True
    """

    COURSE_MNIST = dict(layer_sizes=(784, 1024, 256, 128), activation="relu",
                        output_activation="identity")
    FITTED = "encoder_"

    def __init__(self, layer_sizes=(784, 1024, 256, 128), activation="relu",
                 output_activation="sigmoid", loss="mse", optimizer="adam", lr=1e-3,
                 epochs=10, batch_size=128, weight_decay=0.0, validation_split=0.0,
                 shuffle=True, early_stopping=None, noise=None, noise_level=0.1, dtype="float32",
                 progress=True, random_state=None, warm_start=False, algorithm="fast"):
        self.layer_sizes = layer_sizes
        self.activation = activation
        self.output_activation = output_activation
        self.loss = loss
        self.optimizer = optimizer
        self.lr = lr
        self.epochs = epochs
        self.batch_size = batch_size
        self.weight_decay = weight_decay
        self.validation_split = validation_split
        self.shuffle = shuffle
        self.early_stopping = early_stopping
        self.noise = noise
        self.noise_level = noise_level
        self.dtype = dtype
        self.progress = progress
        self.random_state = random_state
        self.warm_start = warm_start
        self.algorithm = algorithm

    def _train(self, X, validation_data, epochs, resume):
        """Build the network (unless ``resume``) and train it ``epochs`` epochs on X."""
        dtype = check_dtype(self.dtype)
        algorithm = check_algorithm(self.algorithm)
        if resume:
            dtype = self.encoder_.params()[0].dtype
            X = check_rows(X, "X", dtype=dtype, n_features=self.n_features_in_,
                           estimator="Autoencoder")
        else:
            X = check_rows(X, "X", dtype=dtype)
        sizes = check_layer_sizes(self.layer_sizes, X.shape[1])
        X = check_array(X, "X", dtype=dtype, n_features=sizes[0], estimator="this autoencoder's "
                        "first layer (layer_sizes[0])")
        check_network_size(sizes + sizes[-2::-1], dtype)
        lr, loss, noise, level = self._check_params(algorithm, dtype)
        self._check_targets(X, "X")
        rng = self._random_generator()
        previous = self.history_ if resume else None
        if not resume:
            self.encoder_, self.decoder_ = self._build(sizes, dtype, rng)
            self.optimizer_ = make_optimizer(self.optimizer, lr, self.weight_decay, algorithm)
            self.n_features_in_ = sizes[0]
        self._use_algorithm()
        if validation_data is not None:
            V = check_rows(validation_data, "validation_data", dtype=dtype, n_features=sizes[0])
            validation_data = (self._check_targets(V, "validation_data"),) * 2
        return self._fit_network(
            Sequential([self.encoder_, self.decoder_]), X, loss, validation_data, epochs,
            previous, rng, lambda: divergence_remedy(lr, [
                ("weight_decay", self.weight_decay, 1.0, "smaller"),
                ("noise_level", level if noise == "gaussian" else 0.0, 10.0, "smaller")]),
            corrupt=None if noise is None else Corruption(noise, level), desc="autoencoder")

    def encode(self, X):
        """Codes ``z = E(x)``: ndarray of shape (n_samples, d)."""
        check_is_fitted(self, "encode", ["encoder_"])
        X = self._check_input(X)
        return self.encoder_.predict(X)

    def decode(self, Z):
        """Reconstructions ``D(z)`` of codes ``Z`` of shape (n_samples, d): (n_samples, n)."""
        check_is_fitted(self, "decode", ["decoder_"])
        Z = check_array(Z, "Z", dtype=self.decoder_.params()[0].dtype,
                        n_features=self.layer_sizes[-1], estimator="the code layer")
        out = self._use_algorithm().decoder_.predict(Z)
        if self.loss == "bce" and self.output_activation == "sigmoid":
            out = Sigmoid(algorithm=self.algorithm).forward(out).copy()  # trained on logits
        return out

    def reconstruct(self, X):
        """``H(x) = D(E(x))`` for each row of ``X``: ndarray of shape (n_samples, n)."""
        check_is_fitted(self, "reconstruct", ["encoder_"])
        return self.decode(self.encode(X))

    def reconstruction_error(self, X):
        """Squared error ``||x - D(E(x))||^2`` of each row: ndarray of shape (n_samples,).

        ``X`` is checked as ``fit`` checks it: in [0, 1] for ``loss="bce"``.
        """
        check_is_fitted(self, "reconstruction_error", ["encoder_"])
        X = self._check_targets(self._check_input(X), "X")
        if self.algorithm == "textbook":
            return squared_error(X.astype(np.float64), self.reconstruct(X).astype(np.float64))
        diff = self.reconstruct(X).astype(np.float64) - X
        return np.einsum("ij,ij->i", diff, diff)

    def _check_targets(self, X, name):
        """``X``, the rows to reconstruct: in [0, 1] for the cross-entropy (else an error); a
        warning when a sigmoid output cannot reach them."""
        if self.loss == "bce":
            return check_probabilities(X, name, "loss='bce'", "loss='mse'")
        outside = outside_unit_interval(X) if self.output_activation == "sigmoid" else None
        if outside:
            warn_user(f"{name} holds values in [{outside[0]:.4g}, {outside[1]:.4g}] but "
                      "output_activation='sigmoid' only outputs values in (0, 1): rescale it "
                      "(e.g. X / 255 for 8-bit images) or use output_activation='identity'",
                      UserWarning)
        return X

    def _check_input(self, X):
        """``X`` (rows, or images flattened) checked against the fitted network."""
        self._use_algorithm()
        return check_rows(X, "X", dtype=self.encoder_.params()[0].dtype,
                          n_features=self.n_features_in_, estimator="Autoencoder")

    def _check_params(self, algorithm, dtype=None):
        """Training's hyper-parameters, checked (by fit, and by load): (lr, loss, noise, level).

        Those the network computes with must be numbers its ``dtype`` can hold."""
        lr = check_scalar(self.lr, "lr", min_val=0.0, include_min=False, dtype=dtype)
        check_scalar(self.weight_decay, "weight_decay", min_val=0.0, dtype=dtype)
        loss = make_loss(self.loss, algorithm)
        check_choice(self.output_activation, "output_activation", ["sigmoid", "identity"])
        noise = None if self.noise is None else check_choice(self.noise, "noise",
                                                             ["gaussian", "masking"])
        level = check_scalar(self.noise_level, "noise_level", min_val=0.0, dtype=dtype)
        check_bool(self.shuffle, "shuffle")
        if noise == "masking" and level >= 1:
            raise ValueError(f"noise_level must be < 1 for masking noise, got {level}")
        return lr, loss, noise, level

    def _check_fitted_state(self):
        """Called by ``load``: hyper-parameters, then widths n -> ... -> d -> ... -> n."""
        check_dtype(self.dtype)
        make_activation(self.activation)
        self._check_params(check_algorithm(self.algorithm))
        if fitted_attributes(self, ["encoder_", "decoder_", "optimizer_", "history_",
                                    "n_features_in_"]):
            n = check_state_int(self.n_features_in_, "n_features_in_", min_val=1)
            sizes = check_layer_sizes(self.layer_sizes, n)
            if check_dense_widths(self.encoder_, sizes, "encoder_") != check_dense_widths(
                    self.decoder_, sizes[::-1], "decoder_"):
                raise ValueError("encoder_ and decoder_ must have the same dtype")
            check_trained_state(self.optimizer_, self.history_)

    def _use_algorithm(self):
        """Make the network and the optimiser compute with ``self.algorithm``; returns self."""
        algorithm = check_algorithm(self.algorithm)
        for part in (self.encoder_, self.decoder_):
            set_algorithm(part, algorithm)
        self.optimizer_.algorithm = algorithm
        return self

    def _build(self, sizes, dtype, rng):
        """Encoder and mirrored decoder, initial weights drawn from ``rng``."""
        make_activation(self.activation)  # validate the name once, early
        output = "identity" if self.loss == "bce" else self.output_activation
        algorithm = self.algorithm

        def stack(widths, last_activation):
            layers = []
            for k, (n_in, n_out) in enumerate(zip(widths[:-1], widths[1:])):
                last = k == len(widths) - 2
                layers.append(Dense(n_in, n_out, dtype=dtype, algorithm=algorithm))
                layers.append(make_activation(last_activation if last else self.activation,
                                              "output_activation" if last else "activation",
                                              algorithm))
            return Sequential(layers).build(rng)

        return stack(sizes, "identity"), stack(sizes[::-1], output)
