"""What the autoencoder and the VAE share: how they are trained, and the line between two codes.

Both are an encoder and a decoder trained together on ``X`` to give ``X``
back (``H = D o E``; the VAE through its sampling step), so both

* train from :meth:`~EncoderDecoderMixin.fit` (new weights, or ``epochs``
  more with ``warm_start``) and :meth:`~EncoderDecoderMixin.partial_fit` (one
  more epoch), keeping the history of every epoch, and on divergence the
  weights of the epoch's start with the advice the model gives;
* start from the course's MNIST network, :meth:`~EncoderDecoderMixin.course_mnist`;
* decode the straight line between two codes,
  :meth:`~EncoderDecoderMixin.interpolate`.

Each model says how it builds and checks its network in ``_train`` and names,
in ``COURSE_MNIST`` and ``FITTED``, its course parameters and the attribute
its fit sets.
"""

from scratch_genmod.core import check_bool, check_is_fitted
from scratch_genmod.nn.divergence import DivergenceError
from scratch_genmod.nn.latent import interpolate
from scratch_genmod.nn.training import resumed_history, train

__all__ = ["EncoderDecoderMixin"]


class EncoderDecoderMixin:
    """``fit``, ``partial_fit``, ``course_mnist`` and ``interpolate`` of an encoder-decoder.

    The model provides ``_train(X, validation_data, epochs, resume)``, the
    hyper-parameters of :func:`~scratch_genmod.nn.train` (``epochs``,
    ``batch_size``, ``validation_split``, ``shuffle``, ``progress``,
    ``early_stopping``, ``warm_start``) and ``encode``/``decode``.

    >>> from scratch_genmod.nn import Autoencoder, VariationalAutoencoder
    >>> ae = Autoencoder.course_mnist(epochs=1)
    >>> ae.layer_sizes, ae.activation, ae.output_activation
    ((784, 1024, 256, 128), 'relu', 'identity')
    >>> VariationalAutoencoder.course_mnist().decoder
    'bernoulli'
    """

    #: The course's MNIST network: the parameters course_mnist sets.
    COURSE_MNIST = {}
    #: The attribute a fit sets: the model is fitted when it has it.
    FITTED = "encoder_"

    @classmethod
    def course_mnist(cls, **params):
        """The course's MNIST network (``COURSE_MNIST``: 784-1024-256-128, ReLU, mirrored).

        Keywords override any parameter (e.g. ``output_activation="sigmoid"``).
        """
        return cls(**{**cls.COURSE_MNIST, **params})

    def fit(self, X, y=None, validation_data=None):
        """Train on ``X`` of shape (n_samples, n_features) to give it back; returns self.

        Images of shape (n_samples, h, w) (``make_digits``'s) are read as rows
        of ``h w`` pixels, ``X.reshape(len(X), -1)``, here and in every method
        that takes ``X``. ``y`` is ignored (scikit-learn's convention).
        ``validation_data`` is an array of rows to compute a validation loss
        on, or None. Training starts from new weights, unless ``warm_start``
        and the model is fitted. A loss or a weight that diverges raises
        :class:`~scratch_genmod.nn.DivergenceError` naming the epoch and what
        to try, with the weights of that epoch's start put back.
        """
        resume = check_bool(self.warm_start, "warm_start") and self.FITTED in vars(self)
        return self._train(X, validation_data, self.epochs, resume)

    def partial_fit(self, X, y=None):
        """Train one more epoch on ``X`` from the current weights; returns self.

        The first call (on an unfitted model) starts from new weights.

        >>> import numpy as np
        >>> from scratch_genmod.nn import Autoencoder
        >>> X = np.random.default_rng(0).random((64, 4))
        >>> ae = Autoencoder((None, 2), epochs=2, progress=False, random_state=0).fit(X)
        >>> len(ae.partial_fit(X).partial_fit(X).history_["loss"])  # 2 epochs, then 1 and 1
        4
        """
        return self._train(X, None, 1, self.FITTED in vars(self))

    def interpolate(self, x1, x2, n_steps=10):
        """``D(alpha z1 + (1 - alpha) z2)`` for ``alpha`` from 1 down to 0.

        ``z`` is the code ``E(x)`` (for a VAE, the mean ``mu(x)`` of ``q(z | x)``).

        Parameters
        ----------
        x1, x2 : ndarray of shape (n_features,)
            Or images of ``n_features`` pixels, e.g. (28, 28).
        n_steps : int, default=10
            Number of images (>= 2); the first is ``reconstruct(x1)`` and the
            last ``reconstruct(x2)``.

        Returns
        -------
        images : ndarray of shape (n_steps, n_features)
        """
        check_is_fitted(self, "interpolate", [self.FITTED])
        return interpolate(self, x1, x2, n_steps)

    def _fit_network(self, network, X, loss, validation_data, epochs, previous, rng, remedy,
                     **options):
        """Train ``network`` to give ``X`` back; ``self.history_`` follows the ``previous`` one.

        On divergence the history of the epochs done is kept, with the weights
        of the last one, and the error gets ``remedy()``'s advice.
        ``options`` go to :func:`~scratch_genmod.nn.train` (``corrupt``, ``desc``).
        """
        try:
            history = train(
                network, X, X, loss, self.optimizer_, epochs=epochs,
                batch_size=self.batch_size, validation_data=validation_data,
                validation_split=self.validation_split, shuffle=self.shuffle, random_state=rng,
                progress=self.progress, early_stopping=self.early_stopping, **options)
        except DivergenceError as error:
            self.history_ = error.history = resumed_history(previous, error.history)
            raise error.suggest(remedy())
        self.history_ = resumed_history(previous, history)
        return self
