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
:func:`error_bound` is ``5 c_p h^p``: the constant is measured (the worst
relative error of ``Z`` and of the repulsion over hundreds of random maps,
two points to a few hundred, stayed below 4 for ``p = 2 .. 5``, until a
search found a map of three points, two of them 0.004 apart, at 4.01 for
``p = 2``, ``h = 0.5``, and 3,000 random maps up to 4.54). It is a worst case seen,
reached by a few close points, not a proof; on a map of thousands of points
the errors average out and are one to two orders of magnitude smaller. A
proven bound, pair by pair, carries the Lebesgue constant
``lam = max sum_k |L_k|`` of the nodes for the tensor product and the second
interpolation: ``|w_ij - w~_ij| <= c_p h^p T [M(r - h sqrt d) + lam^d M(r - 2 h sqrt d)]``,
``T = 1 + .. + lam^(d-1)``, ``M(rho) = (1 + max(rho, 0)^2)^(-(p+1)/2)`` (and
``(p + 2)/2`` times that for ``w^2``); the tests hold
:func:`interpolated_repulsion` to it against
:func:`scratch_genmod.embed.textbook.student_t_q` and
:func:`~scratch_genmod.embed.textbook.kl_gradient`.
"""

import numpy as np

from scratch_genmod.embed.fast.lagrange_grid import (box_weights, kernel_spectra, own_pair,
                                                     padded_irfft, padded_rfft)

__all__ = ["interpolated_repulsion", "error_bound", "grid_is_cheaper"]

NODES_PER_BOX = 3      # p: Lagrange nodes per box and axis
BOX_WIDTH = 1.0        # h at most: the boxes are this wide or narrower
MIN_BOXES = 16        # boxes per axis at the least (a small map gets smaller boxes)
BOX_STEPS = 8         # a small map's box side is box_width / 2^(k / 8), k = 0, 1, ..
GRID_COST_PER_POINT = 300.0   # the cost model of grid_is_cheaper, in units of one pair
GRID_COST_PER_NODE = 30.0
MAX_GRID_WIDTH = 2 ** 14     # nodes per axis at the most (2^28 nodes in 2-D: 2 GB of spectra)


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
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf: a map not finite
        span = float(np.max(Y.max(axis=0) - Y.min(axis=0)))
    if not span * n_nodes / box_width <= MAX_GRID_WIDTH:
        raise ValueError(f"Y is {span:.3g} wide: its grid would need more than "
                         f"{MAX_GRID_WIDTH} nodes per axis; sum the pairs instead "
                         "(pair_repulsion)")
    Y = Y - Y.mean(axis=0)  # moving every point changes no w; smaller charges y_j
    low = Y.min(axis=0)
    h, n_boxes = _boxes(span, box_width, min_boxes)
    spacing, n_grid, size = h / n_nodes, n_boxes * n_nodes, 2 * n_boxes * n_nodes
    nodes, weights = box_weights(Y, low, h, n_boxes, n_nodes)

    # 2. spread the charges 1, y^(1), .., y^(d) onto the nodes
    flat = nodes.ravel()
    grid = np.stack([np.bincount(flat, weights=(weights * charge[:, None]).ravel(),
                                 minlength=n_grid ** dim)
                     for charge in np.vstack([np.ones(n), Y.T])]).reshape((dim + 1,) + (n_grid,) * dim)
    # 3. convolve with w^2 (the padding to 2N keeps the circular convolution linear)
    kernel_w, kernel_w2 = kernel_spectra(n_grid, spacing, dim)
    spectra = padded_rfft(grid, size)
    # Z = sum_nodes c (w * c) for the charge 1: by Parseval, from the spectrum
    # already at hand (rfft's half spectrum: the columns strictly inside count twice)
    twice = np.full(n_grid + 1, 2.0)
    twice[[0, -1]] = 1.0
    Z_nodes = float(np.sum(twice * kernel_w * np.abs(spectra[0]) ** 2)) / size ** dim
    potential = padded_irfft(spectra * kernel_w2, size, n_grid).reshape(dim + 1, -1)
    # 4. interpolate back: each point reads the potentials of its own box's nodes
    # (np.take gathers whole columns several times faster than potential[:, flat])
    S, *V = np.einsum("ik,cik->ci", weights,
                      np.take(potential, flat, axis=1).reshape(dim + 1, n, -1))
    # a point's own pair went through the grid too: take out its interpolated
    # w_ii (not the exact 1, which would leave the interpolation error of n
    # self-pairs in Z); in S_i y_i - V_i its w_ii^2 terms cancel exactly
    own = own_pair(weights, n_nodes, dim, spacing)
    return S[:, None] * Y - np.array(V).T, Z_nodes - float(own.sum())


def error_bound(n_nodes=NODES_PER_BOX, box_width=BOX_WIDTH):
    """``5 c_p h^p``, ``c_p = (2p - 1)!! / (2p)^p``: the relative error of the grid's sums seen.

    See the module docstring (the 5 is measured, ``c_p h^p`` derived; the
    proven bound depends on the map's pairs).

    >>> round(error_bound(3, 1.0) * 216 / 5, 12)   # c_3 = 1/6 * 1/2 * 5/6 = 15/216
    15.0
    """
    c_p = np.prod([(k + 0.5) / n_nodes for k in range(n_nodes)])
    return float(5.0 * c_p * box_width ** n_nodes)


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
    # a wide (or not finite) map: its FFTs alone cost more than the pairs,
    # known before the search for an FFT-friendly size
    if not (span < 1e100 and GRID_COST_PER_NODE * (2 * n_nodes * span / box_width) ** dim
            < n * (n - 1) / 2):
        return False
    padded = (2 * n_nodes * _boxes(span, box_width, min_boxes)[1]) ** dim
    return GRID_COST_PER_POINT * n + GRID_COST_PER_NODE * padded < n * (n - 1) / 2


def _boxes(span, box_width, min_boxes):
    """The box side ``h`` and the boxes per axis for a map ``span`` wide.

    Boxes are ``box_width`` wide while that makes at least ``min_boxes`` of
    them (so ``h``, hence the kernel's spectrum, stays the same as the map
    grows); a smaller map is cut into ``min_boxes`` narrower ones, their
    side rounded up to ``box_width * 2^(-k / BOX_STEPS)``: a map whose width
    changes little from one iteration to the next then keeps its boxes and
    the kernel's spectrum (:func:`kernel_spectra`), with a grid at most
    ``2^(1 / BOX_STEPS)`` times wider than the map.
    """
    if span > min_boxes * box_width:
        return box_width, _fft_friendly(int(np.ceil(span / box_width)))
    smallest = max(span, 1e-300) / min_boxes * (1.0 + 1e-12)  # the last point inside
    k = max(0.0, np.floor(-BOX_STEPS * np.log2(smallest / box_width)))
    return box_width * 2.0 ** (-k / BOX_STEPS), min_boxes


def _fft_friendly(n_boxes):
    """The smallest count ``>= n_boxes`` with no prime factor above 5 (fast FFT sizes).

    For each ``3^b 5^c <= n_boxes`` the smallest ``2^a 3^b 5^c >= n_boxes``:
    ``O(log^2 n)`` candidates (counting up one by one took minutes at 1e12).

    >>> _fft_friendly(17), _fft_friendly(1), _fft_friendly(1001)   # 1024 = 2^10
    (18, 1, 1024)
    """
    best = None
    five = 1
    while True:
        three = five
        while True:
            two = three
            while two < n_boxes:
                two *= 2
            best = two if best is None else min(best, two)
            if three >= n_boxes:
                break
            three *= 3
        if five >= n_boxes:
            break
        five *= 5
    return best
