"""What a figure of the tour shows, measured on the run, so that its caption can say it.

Each function turns a run's numbers into the fact a caption states: where a
curve's rise starts and ends, which classes share a region of a 2-D map,
whether a decision boundary is a straight line.

>>> rise_span([0.0, 0.0, 0.1, 5.0, 9.9, 10.0])
(4, 5)
"""

import numpy as np

from scratch_genmod.core import squared_distances

__all__ = ["rise_span", "describe_rise", "local_maxima", "neighbour_confusion", "shared_regions", "describe_map",
           "boundary_points", "line_residual", "boundary_bend", "describe_boundaries"]


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


def local_maxima(curve):
    """How many strict local maxima (modes) a sampled curve has; a plateau counts once.

    >>> local_maxima([0, 1, 0, 2, 2, 1, 3])
    3
    """
    c = np.asarray(curve, dtype=np.float64)
    c = c[np.concatenate([[True], np.diff(c) != 0])]  # a plateau becomes one point
    inner = (c[1:-1] > c[:-2]) & (c[1:-1] > c[2:])
    return int(inner.sum() + (len(c) > 1 and c[0] > c[1]) + (len(c) > 1 and c[-1] > c[-2]))


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


def describe_map(classes, C, n_neighbors=10, shared=0.2, own=0.5, noun="digit"):
    """What a labelled map shows, from :func:`neighbour_confusion`'s ``C``, in a few sentences.

    Which classes keep to a region of their own (at least ``own`` of their
    points' neighbours share their class, and no other class mixes in at
    ``shared``), which share one (:func:`shared_regions` at ``shared``), and
    which are spread among the others.
    """
    together = shared_regions(classes, C, shared)
    grouped = {c for group in together for c in group}
    same = np.diag(C)
    alone = [c.item() for c, s in zip(classes, same) if s >= own and c.item() not in grouped]
    spread = [c.item() for c, s in zip(classes, same) if s < own and c.item() not in grouped]
    parts = [f"Of each point's {n_neighbors} nearest neighbours in the map, {100 * same.mean():.0f} % "
             f"on average are the same {noun}."]
    if alone:
        parts.append(f"A region of their own (at least {100 * own:.0f} % alike): "
                     f"{', '.join(map(str, alone))}.")
    if together:
        parts.append(f"Sharing a region (one has {100 * shared:.0f} % or more of its neighbours "
                     f"in the other): {', '.join('/'.join(map(str, g)) for g in together)}.")
    if spread:
        parts.append(f"Spread among the others: {', '.join(map(str, spread))}.")
    return " ".join(parts)


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


def boundary_bend(xs, ys, log_proba, min_points=10):
    """How far a classifier's decision boundaries are from straight lines, as a share of the grid's width.

    The boundary between classes ``a`` and ``b`` is where ``log P(a | x) =
    log P(b | x)`` while they are the two likeliest classes; each such boundary
    with at least ``min_points`` crossings of the grid is fitted by a line.

    Parameters
    ----------
    xs : ndarray of shape (n_x,)
    ys : ndarray of shape (n_y,)
    log_proba : ndarray of shape (n_y * n_x, n_classes)
        The classifier's log-posteriors on the grid, rows in meshgrid order.

    Returns
    -------
    float
        The largest :func:`line_residual` of a boundary divided by the
        grid's width (0 for straight boundaries).
    """
    ranked = np.argsort(-log_proba, axis=1)[:, :2]
    worst = 0.0
    for a in range(log_proba.shape[1]):
        for b in range(a + 1, log_proba.shape[1]):
            top_two = (ranked.min(axis=1) == a) & (ranked.max(axis=1) == b)
            margin = np.where(top_two, log_proba[:, a] - log_proba[:, b], np.nan)
            points = boundary_points(xs, ys, margin.reshape(len(ys), len(xs)))
            if len(points) >= min_points:
                worst = max(worst, line_residual(points) / (xs[-1] - xs[0]))
    return worst


def describe_boundaries(bends, straight=0.001, nearly=0.02):
    """One sentence: each classifier's boundary straight, nearly straight or curved, with its measure.

    ``bends`` maps a classifier's name to :func:`boundary_bend`.
    """
    def shape(bend):
        return "straight" if bend < straight else "nearly straight" if bend < nearly else "curved"

    said = "; ".join(f"{name}: {shape(bend)} ({100 * bend:.1f} %)" for name, bend in bends.items())
    return ("Distance of each boundary from its best straight line (RMS, in % of the plot's "
            f"width): {said}.")
