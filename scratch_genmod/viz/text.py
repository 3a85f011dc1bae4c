"""Pictures made of characters, for printed summaries: sparklines and bar charts.

>>> sparkline([1, 2, 3, 4, 5, 6, 7, 8])
'▁▂▃▄▅▆▇█'
>>> print(bar_chart(["ali", "est"], [0.5, 0.25], width=8))
ali  ████████  0.5
est  ████      0.25
"""

import numpy as np

from scratch_genmod.core import check_array, check_scalar

__all__ = ["sparkline", "bar_chart"]

_LEVELS = "▁▂▃▄▅▆▇█"
_EIGHTHS = " ▏▎▍▌▋▊▉█"  # 0/8 .. 8/8 of a character cell


def sparkline(values):
    """A one-line chart: each value becomes one of eight block heights.

    Parameters
    ----------
    values : array-like of shape (n,)
        Finite numbers; the minimum maps to the lowest block, the maximum
        to the full block (a constant series is drawn at mid height).

    Returns
    -------
    line : str of length n
    """
    v = check_array(values, "values", ndim=1)
    lo, hi = v.min(), v.max()
    if hi > lo:
        index = np.rint((v - lo) / (hi - lo) * (len(_LEVELS) - 1)).astype(int)
    else:
        index = np.full(v.size, len(_LEVELS) // 2 - 1)
    return "".join(_LEVELS[i] for i in index)


def bar_chart(labels, values, width=40, fmt="{:.4g}"):
    """Horizontal bars, one line per label, scaled so the largest is ``width`` long.

    Bars are drawn to 1/8 of a character with the Unicode eighth blocks.

    Parameters
    ----------
    labels : sequence of str, length n
    values : array-like of shape (n,)
        Non-negative finite numbers.
    width : int, default=40
        Length in characters of the longest bar.
    fmt : str, default="{:.4g}"
        Format of the value printed after each bar.

    Returns
    -------
    chart : str
        n lines joined by newlines.
    """
    v = check_array(values, "values", ndim=1)
    labels = [str(label) for label in labels]
    if len(labels) != v.size:
        raise ValueError(f"labels and values must have the same length, got {len(labels)} "
                         f"and {v.size}")
    if (v < 0).any():
        raise ValueError(f"values must be non-negative, got a minimum of {v.min():.4g}")
    width = check_scalar(width, "width", int, min_val=1)
    top = v.max()
    eighths = np.rint(v / top * width * 8).astype(int) if top > 0 else np.zeros(v.size, int)
    name_width = max(len(label) for label in labels)
    lines = []
    for label, value, n in zip(labels, v, eighths):  # one line per bar
        bar = "█" * (n // 8) + (_EIGHTHS[n % 8] if n % 8 else "")
        lines.append(f"{label.ljust(name_width)}  {bar.ljust(width)}  {fmt.format(value)}")
    return "\n".join(line.rstrip() for line in lines)
