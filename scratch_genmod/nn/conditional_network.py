"""The conditional VAE's network: the VAE's, reading ``[x | c]`` and decoding ``[z | c]``.

:class:`ConditionalVAENetwork` is :class:`~scratch_genmod.nn.vae_network.VAENetwork`
whose input row is ``[x | c]`` (the encoder reads all of it) and whose decoder
is wrapped in :class:`LabelConditioned`, told ``c`` before each pass.
:class:`ConditionalNegativeELBO` is the VAE's loss when the target row is
``[x | c]``: it reconstructs ``x`` only. The gradient through ``c`` reaches
the input by both paths (encoder and decoder), so a gradient check of the
whole network holds for every input column.
"""

import numpy as np

from scratch_genmod.core import check_scalar
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.nn.layers import Layer
from scratch_genmod.nn.vae_network import NegativeELBO, VAENetwork

__all__ = ["ConditionalVAENetwork", "ConditionalNegativeELBO", "LabelConditioned"]


@register_estimator
class ConditionalVAENetwork(VAENetwork):
    """The VAE's network on rows ``[x | c]``: the decoder is told ``c`` before each pass.

    Parameters are those of :class:`VAENetwork`; ``decoder`` is a
    :class:`LabelConditioned`, which is given the labels ``c``.

    >>> from scratch_genmod.nn.layers import Dense, Sequential
    >>> net = ConditionalVAENetwork(
    ...     Sequential([]), Dense(4, 2, dtype="float64", random_state=0),
    ...     Dense(4, 2, dtype="float64", random_state=1),
    ...     LabelConditioned(Sequential([Dense(3, 3, dtype="float64", random_state=2)]), 1),
    ...     eps=np.zeros((5, 2)))
    >>> net.forward(np.ones((5, 4))).shape    # [out (3) | mu (2) | log sigma^2 (2)]
    (5, 7)
    """

    def forward(self, x):
        self.decoder.labels = x[:, x.shape[1] - self.decoder.n_classes:]
        return super().forward(x)

    def backward(self, grad_out, input_grad=True):
        """The VAE's backward; ``c`` reaches the output through the decoder too, so
        ``dl/dc`` adds the decoder's share to the encoder's."""
        grad_in = super().backward(grad_out, input_grad=input_grad)
        if grad_in is not None:
            grad_in[:, grad_in.shape[1] - self.decoder.n_classes:] += self.decoder.grad_labels
        return grad_in


@register_estimator
class ConditionalNegativeELBO(NegativeELBO):
    """The VAE's negative ELBO when the target row is ``[x | c]``: it reconstructs ``x`` only.

    Parameters are those of :class:`NegativeELBO`; ``n_features`` is ``n``,
    the pixels of ``x`` (without the label's ``K`` columns).

    >>> loss = ConditionalNegativeELBO(2)
    >>> y_hat = np.array([[0.0, 0.0, 1.0, 0.0]])        # out = (0, 0), mu = 1, log sigma^2 = 0
    >>> bool(np.isclose(loss.value(y_hat, np.array([[1.0, 0.0, 1.0]])), 2 * np.log(2) + 0.5))
    True
    """

    def terms(self, y_hat, y):
        return super().terms(y_hat, y[:, :self.n_features])

    def value_and_grad(self, y_hat, y, grad=None):
        return super().value_and_grad(y_hat, y[:, :self.n_features], grad)


@register_estimator
class LabelConditioned(Layer):
    """A decoder that reads ``[z | c]``: ``forward(z) = D([z | c])`` for the labels set on it.

    Backward returns ``dl/dz``, the first ``d`` columns of ``D``'s input
    gradient, and keeps the last ``K``, ``dl/dc``, in ``grad_labels``.

    Parameters
    ----------
    decoder : Layer or None, default=None
        ``D``, which reads ``d + K`` inputs.
    n_classes : int, default=2
        ``K``, the columns of the one-hot labels ``c``.

    >>> from scratch_genmod.nn.layers import Dense, Sequential
    >>> dec = Sequential([Dense(3, 2, dtype="float64", random_state=0)])
    >>> wrapped = LabelConditioned(dec, n_classes=1)
    >>> wrapped.labels = np.ones((4, 1))
    >>> z = np.zeros((4, 2))
    >>> bool(np.allclose(wrapped.forward(z), dec.forward(np.hstack([z, np.ones((4, 1))]))))
    True
    >>> wrapped.backward(np.ones((4, 2))).shape
    (4, 2)
    """

    def __init__(self, decoder=None, n_classes=2):
        self.decoder = decoder
        self.n_classes = n_classes

    def parts(self):
        return [self.decoder]

    def _check_fitted_state(self):
        """Called by ``load``: K >= 1 classes and a decoder that is a layer."""
        super()._check_fitted_state()
        check_scalar(self.n_classes, "n_classes", int, min_val=1)
        if not isinstance(self.decoder, Layer):
            raise ValueError(f"decoder must be a Layer, got {type(self.decoder).__name__}")

    def params(self):
        return self.decoder.params()

    def grads(self):
        return self.decoder.grads()

    def zero_grad(self):
        self.decoder.zero_grad()

    def forward(self, z):
        c = np.asarray(self.labels, dtype=z.dtype)
        return self.decoder.forward(np.concatenate([z, c], axis=1))

    def backward(self, grad_out, input_grad=True):
        grad_in = self.decoder.backward(grad_out, input_grad=True)
        d = grad_in.shape[1] - self.n_classes
        self.grad_labels = grad_in[:, d:]                # dl/dc, for a caller that wants it
        return np.ascontiguousarray(grad_in[:, :d])
