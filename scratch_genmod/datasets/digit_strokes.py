"""The project's own pen strokes for the ten digits, used by ``make_digits``.

Each digit is a list of *styles* (the ways people write it: a 1 with or
without its flag, a 7 with or without a bar, a closed or open 4), and each
style a list of strokes, each a polyline of points ``(x, y)``. The frame is
the digit's box: ``x`` from about -0.6 (left) to 0.6 (right) and ``y`` from
-1 (top) to 1 (bottom) - y points down, as rows of an image do. Curves are
written as elliptic arcs ``arc(cx, cy, rx, ry, start, stop)`` with angles in
degrees, 0 pointing right and 90 pointing down.

>>> [len(styles) for styles in digit_styles()]
[1, 2, 1, 1, 2, 1, 1, 2, 1, 2]
"""

import numpy as np

__all__ = ["digit_styles", "arc"]


def arc(cx, cy, rx, ry, start, stop, step=15.0):
    """Points of an elliptic arc from angle ``start`` to ``stop`` (degrees), every ~``step``."""
    n = max(2, int(abs(stop - start) / step) + 1)
    t = np.radians(np.linspace(start, stop, n))
    return np.column_stack([cx + rx * np.cos(t), cy + ry * np.sin(t)])


def _line(*points):
    return np.array(points, dtype=np.float64)


def _join(*pieces):
    """One stroke through several pieces (lines and arcs) drawn without lifting the pen."""
    return np.concatenate([np.atleast_2d(p) for p in pieces])


def digit_styles():
    """Strokes of every digit: a list of 10 lists of styles, each a list of (k, 2) arrays."""
    zero = [[arc(0.0, 0.0, 0.52, 0.95, -90, 270)]]
    one = [
        [_line((0.05, -0.95), (0.05, 0.95))],
        [_line((-0.32, -0.6), (0.05, -0.95), (0.05, 0.95))],
    ]
    # over the top from the left, then the diagonal down and the base line
    two = [[_join(arc(0.0, -0.45, 0.5, 0.5, 165, 395), _line((-0.55, 0.95), (0.6, 0.95)))]]
    three = [[_join(arc(0.0, -0.5, 0.44, 0.45, 200, 450),
                    arc(0.0, 0.45, 0.5, 0.5, 270, 520))]]
    four = [
        [_line((0.25, -0.95), (-0.55, 0.35), (0.6, 0.35)), _line((0.25, -0.95), (0.25, 0.95))],
        [_line((-0.42, -0.95), (-0.5, 0.3), (0.58, 0.3)), _line((0.3, -0.55), (0.3, 0.95))],
    ]
    five = [[_join(_line((0.5, -0.95), (-0.38, -0.95), (-0.42, -0.08)),
                   arc(0.0, 0.38, 0.52, 0.56, 220, 510))]]
    six = [[_join(arc(0.55, 0.38, 1.05, 1.3, 242, 180), arc(0.0, 0.45, 0.5, 0.5, 180, 540))]]
    seven = [
        [_line((-0.55, -0.95), (0.55, -0.95), (-0.1, 0.95))],
        [_line((-0.55, -0.95), (0.55, -0.95), (-0.1, 0.95)), _line((-0.22, 0.0), (0.38, 0.0))],
    ]
    eight = [[arc(0.0, -0.5, 0.4, 0.45, 90, 450), arc(0.0, 0.45, 0.5, 0.5, -90, 270)]]
    nine = [
        [_join(arc(0.0, -0.45, 0.48, 0.48, 0, 360), _line((0.48, -0.45), (0.3, 0.95)))],
        [_join(arc(0.0, -0.45, 0.48, 0.48, 0, 360), arc(-0.9, -0.45, 1.38, 2.0, 0, 42))],
    ]
    return [zero, one, two, three, four, five, six, seven, eight, nine]
