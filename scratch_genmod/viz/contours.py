"""Iso-lines of a function on a grid, by marching squares.

The grid values ``Z[i, j] = f(xs[j], ys[i])`` (as ``numpy.meshgrid(xs, ys)``
lays them out) are cut at one ``level``. Each grid cell has four corners,
each above the level or not: 16 cases, each crossing the cell with 0, 1 or 2
segments whose ends lie on the cell's edges, placed by linear interpolation
``t = (level - z0) / (z1 - z0)`` along the edge. Segments that share an edge
crossing are then chained into polylines.

>>> xs = ys = np.linspace(-2, 2, 41)
>>> X, Y = np.meshgrid(xs, ys)
>>> [line] = marching_squares(X ** 2 + Y ** 2, 1.0, xs, ys)
>>> bool(np.allclose(line[0], line[-1]))      # a closed loop
True
>>> bool(np.abs(np.hypot(line[:, 0], line[:, 1]) - 1.0).max() < 0.01)
True
"""

import numpy as np

from scratch_genmod.core import check_array, check_scalar

__all__ = ["marching_squares"]

# Cell corners a=(i, j), b=(i, j+1), c=(i+1, j+1), d=(i+1, j); bit set when
# the corner is above the level. Cell edges: 0 bottom (a-b), 1 right (b-c),
# 2 top (d-c), 3 left (a-d). Each case lists the pairs of edges its
# segments join; the saddles 5 and 10 are listed twice, decided by the
# cell's centre value (the mean of its four corners).
_BOTTOM, _RIGHT, _TOP, _LEFT = range(4)
_SEGMENTS = {
    1: [(_LEFT, _BOTTOM)], 2: [(_BOTTOM, _RIGHT)], 3: [(_LEFT, _RIGHT)],
    4: [(_RIGHT, _TOP)], 6: [(_BOTTOM, _TOP)], 7: [(_LEFT, _TOP)],
    8: [(_TOP, _LEFT)], 9: [(_BOTTOM, _TOP)], 11: [(_RIGHT, _TOP)],
    12: [(_LEFT, _RIGHT)], 13: [(_BOTTOM, _RIGHT)], 14: [(_LEFT, _BOTTOM)],
}
# saddle -> (segments when the centre is above, segments when below)
_SADDLES = {
    5: ([(_BOTTOM, _RIGHT), (_TOP, _LEFT)], [(_LEFT, _BOTTOM), (_RIGHT, _TOP)]),
    10: ([(_LEFT, _BOTTOM), (_RIGHT, _TOP)], [(_BOTTOM, _RIGHT), (_TOP, _LEFT)]),
}


def marching_squares(Z, level, xs, ys):
    """Polylines where ``Z`` crosses ``level``.

    Parameters
    ----------
    Z : array-like of shape (len(ys), len(xs))
        ``Z[i, j]`` is the function at ``(xs[j], ys[i])``; finite.
    level : float
    xs : array-like of shape (nx,), nx >= 2
        Strictly increasing grid abscissae.
    ys : array-like of shape (ny,), ny >= 2
        Strictly increasing grid ordinates.

    Returns
    -------
    polylines : list of ndarray of shape (k, 2)
        Points ``(x, y)`` in order; a closed contour repeats its first point
        at the end. Empty when the level is never crossed.
    """
    xs = check_array(xs, "xs", ndim=1, min_samples=2)
    ys = check_array(ys, "ys", ndim=1, min_samples=2)
    Z = check_array(Z, "Z", ndim=2)
    level = check_scalar(level, "level")
    if Z.shape != (ys.size, xs.size):
        raise ValueError(f"Z must have shape (len(ys), len(xs)) = ({ys.size}, {xs.size}), "
                         f"got {Z.shape}")
    for name, axis in (("xs", xs), ("ys", ys)):
        if not (np.diff(axis) > 0).all():
            raise ValueError(f"{name} must be strictly increasing")
    points = _edge_crossings(Z, level, xs, ys)
    segments = _cell_segments(Z, level)
    return _chain(segments, points)


def _edge_crossings(Z, level, xs, ys):
    """Crossing point on every grid edge (NaN where the edge is not crossed).

    Horizontal edges (i, j)-(i, j+1) come first, numbered ``i * (nx-1) + j``;
    then vertical edges (i, j)-(i+1, j), numbered ``H + i * nx + j``.
    """
    above = Z > level

    def interpolate(z0, z1, crossed):
        # only divide where the edge is crossed, so z1 != z0 there
        return np.divide(level - z0, z1 - z0, out=np.full(z0.shape, np.nan), where=crossed)

    t_h = interpolate(Z[:, :-1], Z[:, 1:], above[:, :-1] != above[:, 1:])
    x_h = xs[:-1] + t_h * np.diff(xs)
    y_h = np.broadcast_to(ys[:, None], x_h.shape)
    t_v = interpolate(Z[:-1], Z[1:], above[:-1] != above[1:])
    y_v = ys[:-1, None] + t_v * np.diff(ys)[:, None]
    x_v = np.broadcast_to(xs, y_v.shape)
    return np.concatenate([np.column_stack([x_h.ravel(), y_h.ravel()]),
                           np.column_stack([x_v.ravel(), y_v.ravel()])])


def _cell_segments(Z, level):
    """All segments as an (m, 2) array of global edge numbers."""
    ny, nx = Z.shape
    above = (Z > level).astype(np.int64)
    case = above[:-1, :-1] + 2 * above[:-1, 1:] + 4 * above[1:, 1:] + 8 * above[1:, :-1]
    centre_above = (Z[:-1, :-1] + Z[:-1, 1:] + Z[1:, 1:] + Z[1:, :-1]) / 4.0 > level
    i, j = np.mgrid[0:ny - 1, 0:nx - 1]
    n_horizontal = ny * (nx - 1)
    # global number of each cell edge, shape (4, ny-1, nx-1)
    edge_id = np.stack([i * (nx - 1) + j, n_horizontal + i * nx + j + 1,
                        (i + 1) * (nx - 1) + j, n_horizontal + i * nx + j])
    pieces = []
    for value in range(1, 15):  # a loop over the 16 cases, vectorised over cells
        if value in _SADDLES:
            for pairs, mask in zip(_SADDLES[value], (centre_above, ~centre_above)):
                cells = (case == value) & mask
                pieces += [np.column_stack([edge_id[e0][cells], edge_id[e1][cells]])
                           for e0, e1 in pairs]
        elif value in _SEGMENTS:
            cells = case == value
            pieces += [np.column_stack([edge_id[e0][cells], edge_id[e1][cells]])
                       for e0, e1 in _SEGMENTS[value]]
    return np.concatenate(pieces) if pieces else np.empty((0, 2), np.int64)


def _chain(segments, points):
    """Join segments sharing an edge crossing into polylines (open ones first)."""
    if len(segments) == 0:
        return []
    # each edge crossing is touched by one segment (grid border) or two
    touching = {}
    for s, (e0, e1) in enumerate(segments.tolist()):  # loop over contour segments
        touching.setdefault(e0, []).append(s)
        touching.setdefault(e1, []).append(s)
    used = np.zeros(len(segments), dtype=bool)
    ends = [e for e, segs in touching.items() if len(segs) == 1]
    starts = ends + [int(e) for e in segments[:, 0]]
    lines = []
    for start in starts:
        free = [s for s in touching[start] if not used[s]]
        if not free:
            continue
        path, edge, s = [start], start, free[0]
        while True:  # walk along the contour until it ends or closes
            used[s] = True
            e0, e1 = segments[s]
            edge = int(e1 if e0 == edge else e0)
            path.append(edge)
            following = [t for t in touching[edge] if not used[t]]
            if not following:
                break
            s = following[0]
        lines.append(points[path])
    return lines
