"""Axis arithmetic for the SVG plots: data limits, "nice" ticks, class colours.

Ticks are "nice" numbers ``m * 10**k`` with ``m`` in {1, 2, 5}, as a person
would choose them on graph paper.

>>> nice_ticks(0.0, 1.0)
[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
>>> nice_ticks(0.9, 3.1, integer=True)
[1.0, 2.0, 3.0]
>>> [tick_label(t, 0.25) for t in (-0.5, 0.0, 1.25)]
['-0.50', '0', '1.25']
"""

import math

import numpy as np

__all__ = ["PALETTE", "class_colour", "nice_ticks", "tick_label", "padded_limits"]

# Ten colours a reader tells apart (class 0 blue, 1 orange, 2 green, 3 red, ...).
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
           "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


def class_colour(index):
    """Colour of class (or component, or series) number ``index``; cycles after ten."""
    return PALETTE[int(index) % len(PALETTE)]


def nice_ticks(lo, hi, target=6, integer=False):
    """About ``target`` evenly spaced round numbers covering [lo, hi] (inside it).

    With ``integer=True`` (epochs, counts) the step is a whole number, unless
    [lo, hi] holds no whole number at all (then the usual ticks).
    """
    if not hi > lo:
        return [float(lo)]
    if integer and math.floor(hi + 1e-9) < math.ceil(lo - 1e-9):  # no whole number inside
        integer = False
    power = 10.0 ** math.floor(math.log10((hi - lo) / target))
    # of the steps 1, 2, 5 x 10^k near the span / target, keep the one whose
    # tick count is closest to the target (the larger step on a tie)
    steps = [m * power * scale for scale in (1.0, 10.0) for m in (1.0, 2.0, 5.0)]
    if integer:
        steps = [step for step in steps if step >= 1.0] or [1.0]
    counts = [math.floor(hi / s + 1e-9) - math.ceil(lo / s - 1e-9) + 1 for s in steps]
    best = min(range(len(steps)), key=lambda i: (abs(counts[i] - target), -steps[i]))
    step = steps[best]
    first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
    # round away floating noise such as 0.30000000000000004
    return [round(k * step, 12) for k in range(first, last + 1)]


def tick_label(value, step):
    """A tick value printed with just the decimals its spacing ``step`` needs."""
    if value == 0:
        return "0"
    if abs(value) >= 1e5 or abs(value) < 1e-4:
        return f"{value:.3g}"
    # as many decimals as the step itself needs: 0.25 -> 2, 0.2 -> 1, 5 -> 0
    decimals = next((d for d in range(10) if abs(round(step, d) - step) <= 1e-9 * step), 3)
    return f"{value:.{decimals}f}"


def padded_limits(lo, hi, fraction=0.04):
    """``[lo, hi]`` widened by ``fraction`` of its span; a single value gets +-0.5."""
    if not np.isfinite(lo) or not np.isfinite(hi):
        return 0.0, 1.0
    if hi <= lo:
        half = 0.5 if lo == 0 else 0.1 * abs(lo)
        return lo - half, hi + half
    margin = fraction * (hi - lo)
    return lo - margin, hi + margin
