"""t-SNE's repulsion in ``O(n)`` per iteration: kernel sums by interpolation on a grid and the FFT.

The repulsive part of the gradient (:mod:`.kl_gradient`) needs, for every map
point ``y_i``, the sums over all ``n`` points

    phi_i = sum_j w_ij,   S_i = sum_j w_ij^2,   V_i = sum_j w_ij^2 y_j,
    w_ij = K(y_i - y_j) = (1 + ||y_i - y_j||^2)^-1,

from which ``Z = sum_i phi_i - n`` (the ``n`` self-pairs, ``w_ii = 1``, taken
out) and ``sum_j w_ij^2 (y_i - y_j) = S_i y_i - V_i`` (a self-pair adds
nothing). Summed pair by pair this is ``O(n^2)``. Linderman et al. (2019,
"FIt-SNE") make it ``O(n)`` plus one FFT of a fixed-size grid:

1. cover the map with ``B x B`` square boxes of side ``h`` and put ``p``
   equispaced *nodes* across each box, in each coordinate: together an
   equispaced grid of ``N = B p`` nodes per axis, spacing ``s = h / p``;
2. *spread*: replace each point's charge ``c_j`` (1, or a coordinate of
   ``y_j``) by charges on the ``p^2`` nodes of its box, weighted by the
   Lagrange polynomials ``L_k`` of those nodes at ``y_j`` (one factor per
   axis), so ``K(x - y_j) ~= sum_k L_k(y_j) K(x - node_k)``;
3. *convolve*: the potential of the node charges at every node,
   ``sum_m K(node_l - node_m) c_m``; on an equispaced grid ``K(node_l - node_m)``
   depends on ``l - m`` only (a Toeplitz matrix), so it is a discrete
   convolution, done by ``np.fft`` on a grid padded to ``2N`` per axis;
4. *interpolate back*: the potential at ``y_i`` from its box's nodes,
   again with weights ``L_k(y_i)``.

Accuracy (what the tests check). On one axis, interpolating ``f`` from the
``p`` nodes ``x_k = (k + 1/2) s`` of a box ``[0, h]`` errs by

    |f(x) - sum_k L_k(x) f(x_k)| <= |prod_k (x - x_k)| max |f^(p)| / p!
                                 <= c_p h^p max |f^(p)| / p!,

with ``c_p = prod_k (k + 1/2) / p = (2p - 1)!! / (2p)^p``, the node
polynomial at the box's edge (``c_3 = 15/216``). As
``1/(1 + x^2) = Im 1/(x - i)``, its ``p``-th derivative is at most
``p! / (1 + x^2)^((p+1)/2)``: each kernel value is off by at most about
``c_p h^p`` of itself (farther pairs less: smoother kernel), for ``w`` and,
with a small factor, for ``w^2``; the tensor product over the axes and the
two interpolations (at the source and at the target) add a constant factor.
So the error falls as ``h^p`` (more nodes per box, or smaller boxes).
:func:`error_bound` is ``4 c_p h^p``: the constant 4 is measured (the worst
relative error of ``Z`` and of the repulsion over hundreds of random maps,
two points to a few hundred, stays below it for ``p = 2 .. 5``). It is a
worst case, reached by a few close points; on a map of thousands of points
the errors average out and are one to two orders of magnitude smaller. The
tests hold :func:`interpolated_repulsion` to it against
:func:`scratch_genmod.embed.textbook.student_t_q` and
:func:`~scratch_genmod.embed.textbook.kl_gradient`.
"""

import functools

import numpy as np

__all__ = ["interpolated_repulsion", "error_bound", "grid_is_cheaper", "lagrange_weights"]

NODES_PER_BOX = 3      # p: Lagrange nodes per box and axis
BOX_WIDTH = 1.0        # h at most: the boxes are this wide or narrower
MIN_BOXES = 16        # boxes per axis at the least (a small map gets smaller boxes)
BOX_STEPS = 8         # a small map's box side is box_width / 2^(k / 8), k = 0, 1, ..
GRID_COST_PER_POINT = 300.0   # the cost model of grid_is_cheaper, in units of one pair
GRID_COST_PER_NODE = 30.0


def interpolated_repulsion(Y, n_nodes=NODES_PER_BOX, box_width=BOX_WIDTH, min_boxes=MIN_BOXES):
    """``sum_j w_ij^2 (y_i - y_j)`` for every ``i`` and ``Z = sum_{i != j} w_ij``, by interpolation.

    Same numbers as the repulsion in
    :func:`scratch_genmod.embed.textbook.kl_gradient` and the ``Z`` of
    :func:`~scratch_genmod.embed.textbook.student_t_q`, to within the
    interpolation error of the module docstring: relative errors below
    :func:`error_bound` (of ``Z``, and of each point's repulsion against
    ``sum_j w_ij^2 (|y_i| + |y_j|)`` for the map centred).

    Parameters
    ----------
    Y : ndarray of shape (n_samples, n_components)
        The map; ``n_components`` 1 or 2 (the grid has ``N^d`` nodes).
    n_nodes : int, default=3
        ``p``, Lagrange nodes per box and axis.
    box_width : float, default=1.0
        Largest box side ``h`` (in map units).
    min_boxes : int, default=16
        Boxes per axis at the least.

    Returns
    -------
    repulsion : ndarray of shape (n_samples, n_components)
    Z : float

    Examples
    --------
    Two points at distance 1: ``w = 1/2``, ``Z = 2 w = 1``, and each is pushed
    away from the other by ``w^2 (y_i - y_j) = -/+ 1/4``:

    >>> repulsion, Z = interpolated_repulsion(np.array([[0.0, 0.0], [1.0, 0.0]]))
    >>> repulsion.round(3).tolist(), round(Z, 3)
    ([[-0.25, 0.0], [0.25, 0.0]], 1.0)
    """
    n, dim = Y.shape
    Y = Y - Y.mean(axis=0)  # moving every point changes no w; smaller charges y_j
    low = Y.min(axis=0)
    span = float(np.max(Y.max(axis=0) - low))
    h, n_boxes = _boxes(span, box_width, min_boxes)
    spacing, n_grid, size = h / n_nodes, n_boxes * n_nodes, 2 * n_boxes * n_nodes
    nodes, weights = _box_weights(Y, low, h, n_boxes, n_nodes)

    # 2. spread the charges 1, y^(1), .., y^(d) onto the nodes
    flat = nodes.ravel()
    grid = np.stack([np.bincount(flat, weights=(weights * charge[:, None]).ravel(),
                                 minlength=n_grid ** dim)
                     for charge in np.vstack([np.ones(n), Y.T])]).reshape((dim + 1,) + (n_grid,) * dim)
    # 3. convolve with w^2 (the padding to 2N keeps the circular convolution linear)
    kernel_w, kernel_w2 = _kernel_spectra(n_grid, spacing, dim)
    spectra = _forward(grid, size)
    # Z = sum_nodes c (w * c) for the charge 1: by Parseval, from the spectrum
    # already at hand (rfft's half spectrum: the columns strictly inside count twice)
    twice = np.full(n_grid + 1, 2.0)
    twice[[0, -1]] = 1.0
    Z_nodes = float(np.sum(twice * kernel_w * np.abs(spectra[0]) ** 2)) / size ** dim
    potential = _inverse(spectra * kernel_w2, size, n_grid).reshape(dim + 1, -1)
    # 4. interpolate back: each point reads the potentials of its own box's nodes
    # (np.take gathers whole columns several times faster than potential[:, flat])
    S, *V = np.einsum("ik,cik->ci", weights,
                      np.take(potential, flat, axis=1).reshape(dim + 1, n, -1))
    # a point's own pair went through the grid too: take out its interpolated
    # w_ii (not the exact 1, which would leave the interpolation error of n
    # self-pairs in Z); in S_i y_i - V_i its w_ii^2 terms cancel exactly
    own = _own_pair(weights, n_nodes, dim, spacing)
    return S[:, None] * Y - np.array(V).T, Z_nodes - float(own.sum())


def error_bound(n_nodes=NODES_PER_BOX, box_width=BOX_WIDTH):
    """``4 c_p h^p``, ``c_p = (2p - 1)!! / (2p)^p``: the relative error of the grid's sums.

    See the module docstring (the 4 is measured, ``c_p h^p`` derived).

    >>> round(error_bound(3, 1.0) * 216 / 4, 12)   # c_3 = 1/6 * 1/2 * 5/6 = 15/216
    15.0
    """
    c_p = np.prod([(k + 0.5) / n_nodes for k in range(n_nodes)])
    return float(4.0 * c_p * box_width ** n_nodes)


def grid_is_cheaper(Y, n_nodes=NODES_PER_BOX, box_width=BOX_WIDTH, min_boxes=MIN_BOXES):
    """Whether :func:`interpolated_repulsion` costs less than summing all ``n (n - 1) / 2`` pairs.

    A cost model: the grid costs ``GRID_COST_PER_POINT`` pairs for each
    point (spreading and reading back) and ``GRID_COST_PER_NODE`` pairs for
    each node of the padded ``(2N)^d`` grid (its FFTs); the ratios were
    measured on this library's two routes.

    >>> grid_is_cheaper(np.zeros((100_000, 2))), grid_is_cheaper(np.zeros((10, 2)))
    (True, False)
    """
    n, dim = Y.shape
    if dim > 2:
        return False
    span = float(np.max(Y.max(axis=0) - Y.min(axis=0)))
    padded = (2 * n_nodes * _boxes(span, box_width, min_boxes)[1]) ** dim
    return GRID_COST_PER_POINT * n + GRID_COST_PER_NODE * padded < n * (n - 1) / 2


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


def _box_weights(Y, low, h, n_boxes, n_nodes):
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
    offsets = np.ravel_multi_index(_node_steps(n_nodes, dim), (n_grid,) * dim)
    return first[:, None] + offsets, weights


def _node_steps(n_nodes, dim):
    """The ``p^d`` nodes of a box as steps from its first node, shape (d, p^d), axis 0 slowest."""
    return np.indices((n_nodes,) * dim).reshape(dim, -1)


def _own_pair(weights, n_nodes, dim, spacing):
    """``sum_{k,m} L_k(y_i) w(node_k - node_m) L_m(y_i)``: each point's ``w_ii`` as the grid sees it."""
    steps = _node_steps(n_nodes, dim)
    sq = np.sum((steps[:, :, None] - steps[:, None, :]) ** 2, axis=0) * spacing ** 2
    box_kernel = 1.0 / (1.0 + sq)  # the same for every box: only node offsets matter
    return np.einsum("ik,ik->i", weights @ box_kernel, weights)


@functools.lru_cache(maxsize=1)
def _kernel_spectra(n_grid, spacing, dim):
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


def _forward(grid, size):
    """``rfftn`` over all but the first axis of ``grid`` zero-padded to ``size``, padding skipped.

    The real transform along the last axis runs on the ``N`` rows of charges
    only (the padded rows are zeros), then the complex ones along the others.
    """
    spectra = np.fft.rfft(grid, n=size, axis=-1)
    for axis in range(1, grid.ndim - 1):
        spectra = np.fft.fft(spectra, n=size, axis=axis)
    return spectra


def _inverse(spectra, size, n_grid):
    """The inverse of :func:`_forward`, keeping the first ``n_grid`` entries on every axis."""
    for axis in range(1, spectra.ndim - 1):
        spectra = np.fft.ifft(spectra, axis=axis)
        spectra = spectra[(slice(None),) * axis + (slice(0, n_grid),)]
    return np.fft.irfft(spectra, n=size, axis=-1)[..., :n_grid]


def _boxes(span, box_width, min_boxes):
    """The box side ``h`` and the boxes per axis for a map ``span`` wide.

    Boxes are ``box_width`` wide while that makes at least ``min_boxes`` of
    them (so ``h``, hence the kernel's spectrum, stays the same as the map
    grows); a smaller map is cut into ``min_boxes`` narrower ones, their
    side rounded up to ``box_width * 2^(-k / BOX_STEPS)``: a map whose width
    changes little from one iteration to the next then keeps its boxes and
    the kernel's spectrum (:func:`_kernel_spectra`), with a grid at most
    ``2^(1 / BOX_STEPS)`` times wider than the map.
    """
    if span > min_boxes * box_width:
        return box_width, _fft_friendly(int(np.ceil(span / box_width)))
    smallest = max(span, 1e-300) / min_boxes * (1.0 + 1e-12)  # the last point inside
    k = max(0.0, np.floor(-BOX_STEPS * np.log2(smallest / box_width)))
    return box_width * 2.0 ** (-k / BOX_STEPS), min_boxes


def _fft_friendly(n_boxes):
    """The smallest count ``>= n_boxes`` with no prime factor above 5 (fast FFT sizes)."""
    while True:
        rest = n_boxes
        for prime in (2, 3, 5):
            while rest % prime == 0:
                rest //= prime
        if rest == 1:
            return n_boxes
        n_boxes += 1
