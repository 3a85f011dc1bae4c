"""Layers with hand-written backpropagation: the ``Layer`` contract, ``Dense``, ``Sequential``.

A network is a composition of functions ``f_L o ... o f_1``. Training needs
the gradient of a scalar loss ``l`` with respect to every parameter, which the
chain rule gives layer by layer, from the output back to the input:

    forward :  a_k = f_k(a_{k-1}; theta_k)
    backward:  dl/da_{k-1} = (dl/da_k) (da_k/da_{k-1}),
               dl/dtheta_k = (dl/da_k) (da_k/dtheta_k).

So each layer only needs two methods: ``forward(x)``, which remembers what
its backward pass will need, and ``backward(grad_out)``, which receives
``dl/da_k``, adds ``dl/dtheta_k`` to the layer's parameter gradients and
returns ``dl/da_{k-1}``.

The formulas are those of :mod:`~scratch_genmod.nn.textbook.layers`; a layer
adds the memory of its forward pass and the gradients it accumulates. With
``algorithm="textbook"`` it calls those functions; with "fast" (the default)
the same products go through :mod:`~scratch_genmod.nn.fast.dense`.

>>> rng = np.random.default_rng(0)
>>> layer = Dense(3, 2, dtype="float64", random_state=0)
>>> x = rng.normal(size=(4, 3))
>>> y = layer.forward(x)
>>> bool(np.allclose(y, x @ layer.W_ + layer.b_))
True
>>> layer.zero_grad()
>>> grad_x = layer.backward(np.ones((4, 2)))
>>> bool(np.allclose(layer.grad_W, x.T @ np.ones((4, 2))))
True
"""

import numpy as np

from scratch_genmod.core import BaseEstimator, check_choice, check_scalar
from scratch_genmod.nn.checks import DTYPES, check_algorithm
from scratch_genmod.nn.fast.dense import dense_backward_into, dense_forward_fused
from scratch_genmod.nn.textbook.layers import dense_backward, dense_forward
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.core.state_checks import check_state_array, fitted_attributes

__all__ = ["Layer", "Dense", "Sequential", "set_algorithm"]

INITS = ("uniform", "he", "xavier")


class Layer(BaseEstimator):
    """Base class of every layer: ``forward``, ``backward``, parameters and gradients.

    A layer without parameters (an activation) only overrides ``forward`` and
    ``backward``. A layer with parameters also overrides ``params``/``grads``
    (lists of arrays in the same order) and ``build``; a layer made of others
    lists them in ``parts``.

    >>> Layer().params(), Layer().parts()
    ([], [])
    """

    def parts(self):
        """The layers this one is made of (none for a single layer)."""
        return []

    def build(self, random_state=None):
        """Create the parameters (nothing to do for a layer without any); returns self."""
        return self

    def params(self):
        """The trainable arrays, updated in place by an optimiser."""
        return []

    def grads(self):
        """The gradients of the loss w.r.t. :meth:`params`, in the same order."""
        return []

    def zero_grad(self):
        """Forget the accumulated gradients: the next ``backward`` starts from 0."""
        self._fresh_grad = True

    def forward(self, x):
        """Output for a batch ``x`` of shape (n_samples, n_inputs)."""
        raise NotImplementedError

    def backward(self, grad_out, input_grad=True):
        """Given ``dl/d out``, accumulate parameter gradients; return ``dl/d x``.

        With ``input_grad=False`` (the first layer of a network, whose input
        is data) the input gradient is not computed and None is returned.
        """
        raise NotImplementedError

    def _check_fitted_state(self):
        """Called by ``load``: a layer without parameters has no state, only its ``algorithm``."""
        if "algorithm" in self.get_params(deep=False):
            check_algorithm(self.algorithm)


@register_estimator
class Dense(Layer):
    """Fully connected layer ``FC(n_inputs, n_outputs)``: ``a = x W + b``.

    Parameters
    ----------
    n_inputs, n_outputs : int
        Sizes of the input and output vectors.
    init : {"uniform", "he", "xavier"}, default="uniform"
        How the parameters start (see Notes): "uniform" draws ``W`` and
        ``b`` from ``U(-1/sqrt(n_inputs), 1/sqrt(n_inputs))`` (PyTorch's
        default); "he" and "xavier" draw ``W ~ N(0, s^2)`` with
        ``s^2 = 2 / n_inputs`` (He) or ``s^2 = 2 / (n_inputs + n_outputs)``
        (Xavier) and start the biases at 0.
    dtype : {"float32", "float64"}, default="float32"
    random_state : None, int or numpy.random.Generator, default=None
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" computes with ``textbook.layers.dense_forward`` and
        ``dense_backward``; "fast" with :mod:`~scratch_genmod.nn.fast.dense`.

    Attributes
    ----------
    W_ : ndarray of shape (n_inputs, n_outputs)
    b_ : ndarray of shape (n_outputs,)
    grad_W, grad_b : ndarrays of the same shapes, ``dl/dW`` and ``dl/db``.

    Notes
    -----
    For a batch ``X`` (rows are samples) and ``G = dl/dA``:
    ``dl/dW = X^T G``, ``dl/db = sum of the rows of G``, ``dl/dX = G W^T``.
    Same numbers as ``textbook.dense_forward`` and ``textbook.dense_backward``;
    the parameter gradients add up over ``backward`` calls until ``zero_grad``.

    Initialisation. An output ``a_j = sum_i x_i W_ij + b_j`` of independent
    zero-mean weights has ``Var(a_j) = n_in Var(W) E[x^2] + Var(b)``. He's
    ``Var(W) = 2 / n_in`` keeps ``E[a^2]`` constant through ReLU layers
    (a ReLU halves ``E[x^2]``); Xavier's ``2 / (n_in + n_out)`` averages
    the forward (``1 / n_in``) and backward (``1 / n_out``) conditions of an
    activation with slope 1 at 0 (tanh). ``U(-c, c)`` has variance
    ``c^2 / 3``: with ``c = 1/sqrt(n_in)``, ``Var(W) = Var(b) = 1 / (3 n_in)``,
    six times less than He's, so ``E[a^2]`` shrinks by about 6 per ReLU
    layer and a deep network starts close to a function of its biases.
    Adam's steps have a size of about ``eta`` whatever the scale of the
    gradient, so small initial weights are soon outweighed by what is
    learnt: on the course's MNIST autoencoder trained 5 epochs by Adam,
    "uniform" ends at a lower and less seed-dependent test error than "he"
    although it starts slower (``benchmarks/bench_autoencoder.py``).

    Examples
    --------
    >>> layer = Dense(2, 1, dtype="float64").build()
    >>> layer.W_[:], layer.b_[:] = [[1.0], [-1.0]], [0.5]
    >>> layer.forward(np.array([[1.0, 2.0]]))             # 1 - 2 + 0.5
    array([[-0.5]])
    >>> layer.zero_grad()
    >>> layer.backward(np.array([[10.0]])), layer.grad_W.ravel()   # G W^T, x^T G
    (array([[ 10., -10.]]), array([10., 20.]))
    """

    def __init__(self, n_inputs, n_outputs, init="uniform", dtype="float32", random_state=None,
                 algorithm="fast"):
        self.n_inputs = n_inputs
        self.n_outputs = n_outputs
        self.init = init
        self.dtype = dtype
        self.random_state = random_state
        self.algorithm = algorithm

    def build(self, random_state=None):
        n_in, n_out, init, dtype, _ = self._check_params()
        rng = self._random_generator(random_state)
        if init == "uniform":
            bound = 1.0 / np.sqrt(n_in)
            self.W_ = rng.uniform(-bound, bound, (n_in, n_out)).astype(dtype)
            self.b_ = rng.uniform(-bound, bound, n_out).astype(dtype)
            return self
        variance = 2.0 / n_in if init == "he" else 2.0 / (n_in + n_out)
        self.W_ = (rng.standard_normal((n_in, n_out)) * np.sqrt(variance)).astype(dtype)
        self.b_ = np.zeros(n_out, dtype=dtype)
        return self

    def params(self):
        self._ensure_built()
        return [self.W_, self.b_]

    def grads(self):
        self._ensure_built()
        return [self.grad_W, self.grad_b]

    def forward(self, x):
        self._ensure_built()
        self._x = x  # dl/dW needs the input
        if self.algorithm == "textbook":
            return dense_forward(x, self.W_, self.b_)       # a = x W + b
        return dense_forward_fused(x, self.W_, self.b_)     # the same, one temporary fewer

    def backward(self, grad_out, input_grad=True):
        # the first backward since zero_grad writes the gradients, later ones add to them
        accumulate = not self.__dict__.get("_fresh_grad", True)
        self._fresh_grad = False
        if self.algorithm == "textbook":                 # G W^T, x^T G, sum of the rows of G
            grad_x, grad_W, grad_b = dense_backward(self._x, self.W_, grad_out)
            for mine, new in ((self.grad_W, grad_W), (self.grad_b, grad_b)):
                mine[...] = mine + new if accumulate else new
            return grad_x if input_grad else None
        return dense_backward_into(self._x, self.W_, grad_out, self.grad_W, self.grad_b,
                                   accumulate, input_grad)

    def _ensure_built(self):
        if "W_" not in self.__dict__:
            self.build()
        if self.__dict__.get("grad_W") is None or self.grad_W.shape != self.W_.shape \
                or self.grad_W.dtype != self.W_.dtype:
            self.grad_W = np.zeros_like(self.W_)
            self.grad_b = np.zeros_like(self.b_)

    def _check_params(self):
        """The hyper-parameters, checked (by build, and by load for a model read from a file)."""
        return (check_scalar(self.n_inputs, "n_inputs", int, min_val=1),
                check_scalar(self.n_outputs, "n_outputs", int, min_val=1),
                check_choice(self.init, "init", INITS), check_choice(self.dtype, "dtype", DTYPES),
                check_algorithm(self.algorithm))

    def _check_fitted_state(self):
        """Called by ``load``: finite W of shape (n_inputs, n_outputs) and b, of ``dtype``."""
        n_in, n_out, _, dtype, _ = self._check_params()
        if fitted_attributes(self, ["W_", "b_"]):
            for name, shape in (("W_", (n_in, n_out)), ("b_", (n_out,))):
                if check_state_array(getattr(self, name), name, shape=shape).dtype != dtype:
                    raise ValueError(f"{name} must have dtype {dtype}, got {getattr(self, name).dtype}")

    def _get_state(self):
        return {k: getattr(self, k) for k in ("W_", "b_") if k in self.__dict__}

    def _set_state(self, state):
        for name, value in state.items():
            setattr(self, name, np.ascontiguousarray(value))


@register_estimator
class Sequential(Layer):
    """The composition ``f_L o ... o f_1`` of a list of layers, itself a layer.

    Parameters
    ----------
    layers : list of Layer
        Applied in order by ``forward``, in reverse by ``backward``.

    >>> from scratch_genmod.nn.activations import ReLU
    >>> net = Sequential([Dense(4, 8, random_state=0), ReLU(), Dense(8, 2, random_state=1)])
    >>> net.forward(np.ones((5, 4), dtype=np.float32)).shape
    (5, 2)
    >>> [p.shape for p in net.params()]
    [(4, 8), (8,), (8, 2), (2,)]
    """

    def __init__(self, layers):
        self.layers = layers

    def parts(self):
        return self._checked_layers()

    def build(self, random_state=None):
        """Build every layer, drawing all initial weights from one generator."""
        rng = self._random_generator(random_state)
        for layer in self._checked_layers():
            layer.build(rng)
        return self

    def params(self):
        return [p for layer in self._checked_layers() for p in layer.params()]

    def grads(self):
        return [g for layer in self._checked_layers() for g in layer.grads()]

    def zero_grad(self):
        for layer in self._checked_layers():
            layer.zero_grad()

    def forward(self, x):
        for layer in self._checked_layers():
            x = layer.forward(x)
        return x

    def backward(self, grad_out, input_grad=True):
        layers = self._checked_layers()
        for k in range(len(layers) - 1, -1, -1):
            grad_out = layers[k].backward(grad_out, input_grad=input_grad or k > 0)
        return grad_out

    def predict(self, X, batch_size=1024):
        """``forward`` over ``X`` in chunks of ``batch_size`` rows, into a new array."""
        out = None
        for start in range(0, X.shape[0], batch_size):
            chunk = self.forward(X[start:start + batch_size])
            if out is None:
                out = np.empty((X.shape[0],) + chunk.shape[1:], dtype=chunk.dtype)
            out[start:start + chunk.shape[0]] = chunk
        return out

    def _checked_layers(self):
        layers = list(self.layers)
        for k, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"layers[{k}] must be a Layer, got {type(layer).__name__}")
        return layers

    def _check_fitted_state(self):
        """Called by ``load``: every entry of ``layers`` is a layer (each checks its own state)."""
        self._checked_layers()

    def _get_state(self):
        return {}

    def _set_state(self, state):
        pass


def check_dense_widths(network, widths, name):
    """Check that the Dense layers of ``network`` map ``widths[0] -> ... -> widths[-1]``.

    For a network read from a file (each layer has checked its own weights).
    Returns the dtype the layers share (None without any Dense layer).
    """
    layers = network._checked_layers() if isinstance(network, Sequential) else None
    dense = [layer for layer in layers or [] if isinstance(layer, Dense)]
    # no Dense layer (an empty encoder) maps widths[0] to itself
    found = [dense[0].n_inputs] + [layer.n_outputs for layer in dense] if dense else widths[:1]
    if found != list(widths) or any(a.n_outputs != b.n_inputs for a, b in zip(dense, dense[1:])):
        raise ValueError(f"{name} must be a Sequential of Dense layers of widths {list(widths)}, "
                         f"got {found or type(network).__name__}")
    dtypes = {layer.dtype for layer in dense}
    if len(dtypes) > 1:
        raise ValueError(f"{name} mixes dtypes {sorted(dtypes)}")
    return dtypes.pop() if dtypes else None


def set_algorithm(layer, algorithm):
    """Make ``layer`` and every layer it is made of compute with ``algorithm``; returns it.

    >>> net = Sequential([Dense(2, 2), Sequential([Dense(2, 1)])])
    >>> [d.algorithm for d in (net.layers[0], net.layers[1].layers[0])]
    ['fast', 'fast']
    >>> net = set_algorithm(net, "textbook")
    >>> [d.algorithm for d in (net.layers[0], net.layers[1].layers[0])]
    ['textbook', 'textbook']
    """
    algorithm = check_algorithm(algorithm)
    if "algorithm" in layer.get_params(deep=False):
        layer.algorithm = algorithm
    for part in layer.parts():
        set_algorithm(part, algorithm)
    return layer
