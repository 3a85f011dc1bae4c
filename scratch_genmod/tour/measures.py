"""What a figure of the tour shows, measured on the run, so that its caption can say it.

Each function turns a run's numbers into the fact a caption states: where a
curve's rise starts and ends, which classes share a region of a 2-D map,
whether a decision boundary is a straight line, how far an image is from the
nearest real one.

>>> rise_span([0.0, 0.0, 0.1, 5.0, 9.9, 10.0])
(4, 5)
"""

import numpy as np

from scratch_genmod.core import squared_distances

__all__ = ["rise_span", "describe_rise", "neighbour_confusion", "shared_regions",
           "boundary_points", "line_residual", "nearest_distance"]


def rise_span(values, low=0.1, high=0.9):
    """The iterations (1-based) by which a curve has made ``low`` and ``high`` of its rise.

    Parameters
    ----------
    values : array-like of shape (n_iterations,)
        A non-decreasing curve, e.g. EM's mean log-likelihood per iteration.
    low, high : float, default=0.1, 0.9
        Fractions of the total rise ``values[-1] - values[0]``.

    Returns
    -------
    (start, end) : tuple of int
        The first iterations ``t`` with ``values[t] - values[0] >= low * rise``
        (and ``high * rise``); ``(1, 1)`` for a flat curve.
    """
    v = np.asarray(values, dtype=np.float64)
    gain = v - v[0]
    rise = gain[-1]
    if not rise > 0:
        return 1, 1
    start = int(np.argmax(gain >= low * rise)) + 1
    end = int(np.argmax(gain >= high * rise)) + 1
    return start, end


def describe_rise(values):
    """One sentence on a log-likelihood curve's shape: its flat start, steep part and plateau."""
    v = np.asarray(values, dtype=np.float64)
    n = len(v)
    start, end = rise_span(v)
    head = (f"it stays nearly flat for {start - 1} iterations (under 10 % of its total rise), "
            if start > 3 else "it climbs from the first iterations, ")
    return (f"The mean log-likelihood never decreases over EM's {n} iterations: {head}"
            f"makes 10 % to 90 % of its rise of {v[-1] - v[0]:.3f} between iterations {start} "
            f"and {end}, and gains the last 10 % over the {n - end} iterations after.")


def neighbour_confusion(Y, labels, n_neighbors=10):
    """Share of each class's map neighbours that belong to each class.

    Parameters
    ----------
    Y : ndarray of shape (n_samples, n_components)
        A map (a 2-D t-SNE layout, say).
    labels : array-like of shape (n_samples,)
    n_neighbors : int, default=10

    Returns
    -------
    classes : ndarray of shape (n_classes,)
    C : ndarray of shape (n_classes, n_classes)
        ``C[c, d]``: of the ``n_neighbors`` nearest points (in ``Y``) of the
        points of class ``c``, the share of class ``d``; each row sums to 1.
    """
    Y = np.asarray(Y, dtype=np.float64)
    classes, y = np.unique(np.asarray(labels), return_inverse=True)
    D = squared_distances(Y, Y)
    np.fill_diagonal(D, np.inf)  # a point is not its own neighbour
    nearest = np.argpartition(D, n_neighbors - 1, axis=1)[:, :n_neighbors]
    counts = np.zeros((len(classes), len(classes)))
    np.add.at(counts, (np.repeat(y, n_neighbors), y[nearest].ravel()), 1.0)
    return classes, counts / counts.sum(axis=1, keepdims=True)


def shared_regions(classes, C, threshold=0.1):
    """Groups of classes that share a region: linked when one's neighbours hold >= threshold of the other.

    Returns
    -------
    list of list
        Each group (two classes or more, sorted) is a connected set of the
        links ``C[c, d] >= threshold`` or ``C[d, c] >= threshold``.
    """
    k = len(classes)
    linked = (C >= threshold) | (C.T >= threshold)
    group = list(range(k))  # union-find over the links, small k

    def root(i):
        while group[i] != i:
            i = group[i]
        return i

    for a in range(k):
        for b in range(a + 1, k):
            if linked[a, b]:
                group[root(b)] = root(a)
    members = {}
    for i in range(k):
        members.setdefault(root(i), []).append(classes[i].item())
    return sorted((sorted(m) for m in members.values() if len(m) > 1), key=lambda m: m[0])


def boundary_points(xs, ys, margin):
    """Where a margin sampled on a grid crosses 0, by linear interpolation along grid edges.

    Parameters
    ----------
    xs : ndarray of shape (n_x,)
    ys : ndarray of shape (n_y,)
    margin : ndarray of shape (n_y, n_x)
        E.g. log P(a | x) - log P(b | x); NaN marks cells not on this boundary.

    Returns
    -------
    points : ndarray of shape (n_points, 2)
    """
    points = []
    for axis in (0, 1):
        m0 = np.take(margin, np.arange(margin.shape[axis] - 1), axis=axis)
        m1 = np.take(margin, np.arange(1, margin.shape[axis]), axis=axis)
        rows, cols = np.nonzero((m0 * m1 < 0) & np.isfinite(m0 * m1))
        t = m0[rows, cols] / (m0[rows, cols] - m1[rows, cols])
        if axis == 0:  # between rows: y moves
            points.append(np.column_stack([xs[cols], ys[rows] + t * (ys[rows + 1] - ys[rows])]))
        else:
            points.append(np.column_stack([xs[cols] + t * (xs[cols + 1] - xs[cols]), ys[rows]]))
    return np.concatenate(points)


def line_residual(points):
    """Root mean square distance of points from their best straight line (total least squares).

    >>> round(line_residual([[0, 0], [1, 1], [2, 2.0]]), 12), round(line_residual([[0, 1], [1, 0], [2, 1.0]]), 4)
    (0.0, 0.4714)
    """
    P = np.asarray(points, dtype=np.float64)
    centred = P - P.mean(axis=0)
    smallest = np.linalg.svd(centred, compute_uv=False)[-1]  # spread across the best line
    return float(smallest / np.sqrt(len(P)))


def nearest_distance(A, B):
    """Euclidean distance from each row of ``A`` to its nearest row of ``B``, shape (len(A),)."""
    D = squared_distances(np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64))
    return np.sqrt(np.maximum(D.min(axis=1), 0.0))
