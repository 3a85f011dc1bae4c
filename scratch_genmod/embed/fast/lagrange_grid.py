"""The pieces of the grid of :mod:`.grid_repulsion`: Lagrange weights, node charges, FFTs.

A map point ``y`` in a box sees the box's ``p^d`` nodes through the tensor
product of 1-D Lagrange polynomials ``L_k``; the kernel between nodes depends
only on their offset, so its sums are convolutions, done by FFT on a grid
zero-padded to ``2N`` per axis.
"""

import functools

import numpy as np

__all__ = ["lagrange_weights", "box_weights", "node_steps", "own_pair", "kernel_spectra",
           "padded_rfft", "padded_irfft"]


def lagrange_weights(t, n_nodes):
    """Lagrange polynomials of the nodes ``k + 1/2`` (``k = 0 .. p-1``) at ``t`` in ``[0, p]``.

    ``L_k(t) = prod_{l != k} (t - l - 1/2) / (k - l)``: 1 at node ``k``, 0 at
    the others, and ``sum_k L_k(t) f(k + 1/2)`` is the polynomial of degree
    ``p - 1`` through the ``p`` values.

    Parameters
    ----------
    t : ndarray of shape (n,)
    n_nodes : int

    Returns
    -------
    L : ndarray of shape (n, n_nodes)

    Examples
    --------
    At a node, 1 there and 0 elsewhere; they always sum to 1 (they reproduce
    the constant 1):

    >>> lagrange_weights(np.array([1.5, 0.0]), 3).round(12).tolist()
    [[0.0, 1.0, 0.0], [1.875, -1.25, 0.375]]
    """
    L = np.ones((len(t), n_nodes))
    for k in range(n_nodes):
        for m in range(n_nodes):
            if m != k:
                L[:, k] *= (t - m - 0.5) / (k - m)
    return L


def box_weights(Y, low, h, n_boxes, n_nodes):
    """For each point, where its box's ``p^d`` nodes are in the grid, and their tensor weights.

    Returns ``nodes``, integers of shape (n, p^d): the nodes' flat indices
    in the ``N^d`` grid (``np.ravel_multi_index`` order, axis 0 slowest),
    and ``weights`` of shape (n, p^d): the product over axes of the 1-D
    Lagrange weights, in the same order.
    """
    n, dim = Y.shape
    n_grid = n_boxes * n_nodes
    first, weights = np.zeros(n, np.intp), np.ones((n, 1))
    for a in range(dim):  # axis 0 slowest
        u = (Y[:, a] - low[a]) / h            # position in boxes
        box = np.minimum(u.astype(np.intp), n_boxes - 1)
        t = (u - box) * n_nodes              # position inside the box, in node spacings
        first = first * n_grid + box * n_nodes  # the box's first node
        weights = (weights[:, :, None] * lagrange_weights(t, n_nodes)[:, None, :]).reshape(n, -1)
    offsets = np.ravel_multi_index(node_steps(n_nodes, dim), (n_grid,) * dim)
    return first[:, None] + offsets, weights


def node_steps(n_nodes, dim):
    """The ``p^d`` nodes of a box as steps from its first node, shape (d, p^d), axis 0 slowest."""
    return np.indices((n_nodes,) * dim).reshape(dim, -1)


def own_pair(weights, n_nodes, dim, spacing):
    """``sum_{k,m} L_k(y_i) w(node_k - node_m) L_m(y_i)``: each point's ``w_ii`` as the grid sees it."""
    steps = node_steps(n_nodes, dim)
    sq = np.sum((steps[:, :, None] - steps[:, None, :]) ** 2, axis=0) * spacing ** 2
    box_kernel = 1.0 / (1.0 + sq)  # the same for every box: only node offsets matter
    return np.einsum("ik,ik->i", weights @ box_kernel, weights)


@functools.lru_cache(maxsize=1)
def kernel_spectra(n_grid, spacing, dim):
    """Spectra of ``w`` and ``w^2`` at the node offsets, wrapped on a ``2N`` grid (circulant).

    Offset ``m`` nodes along an axis is ``m s`` apart for ``m < N`` and
    ``(2N - m) s`` for ``m > N``; offset ``N`` never meets a pair of the
    ``N`` real nodes. The kernel is even, so its spectrum is real. Kept for
    the next call: once the boxes have their full width, the spacing and,
    mostly, the grid stay the same from one iteration to the next (and on a
    small map, mostly too: its box side is on a ladder, :func:`_boxes`).
    """
    m = np.arange(2 * n_grid)
    offset = np.minimum(m, 2 * n_grid - m) * spacing
    sq = np.zeros((2 * n_grid,) * dim)
    for a in range(dim):
        shape = [1] * dim
        shape[a] = -1
        sq = sq + (offset ** 2).reshape(shape)
    w = 1.0 / (1.0 + sq)
    return np.fft.rfftn(w).real, np.fft.rfftn(w * w).real


def padded_rfft(grid, size):
    """``rfftn`` over all but the first axis of ``grid`` zero-padded to ``size``, padding skipped.

    The real transform along the last axis runs on the ``N`` rows of charges
    only (the padded rows are zeros), then the complex ones along the others.
    """
    spectra = np.fft.rfft(grid, n=size, axis=-1)
    for axis in range(1, grid.ndim - 1):
        spectra = np.fft.fft(spectra, n=size, axis=axis)
    return spectra


def padded_irfft(spectra, size, n_grid):
    """The inverse of :func:`padded_rfft`, keeping the first ``n_grid`` entries on every axis."""
    for axis in range(1, spectra.ndim - 1):
        spectra = np.fft.ifft(spectra, axis=axis)
        spectra = spectra[(slice(None),) * axis + (slice(0, n_grid),)]
    return np.fft.irfft(spectra, n=size, axis=-1)[..., :n_grid]
