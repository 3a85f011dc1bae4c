"""Lay out and write a :class:`~scratch_genmod.viz.svg.Figure` as SVG text.

Layout, in pixels: the title on top, the plot area in the middle with tick
labels and axis labels to its left and below, and to its right the colour
bar and the legend, outside the data so they never hide a point.
"""

from xml.sax.saxutils import escape

import numpy as np

from scratch_genmod.viz.axes import nice_ticks, tick_label
from scratch_genmod.viz.images import colormap

__all__ = ["render"]

_FONT = 'font-family="DejaVu Sans, Helvetica, Arial, sans-serif"'
_CHAR = 7.0  # average width of a 12 px character, to size the legend


def render(fig):
    """The SVG document of ``fig`` (str)."""
    legend_width = (34 + _CHAR * max(len(e[2]) for e in fig._legend)) if fig._legend else 0
    left, top = 72, (44 if fig.title else 16)
    right = fig.width - 16 - legend_width - (92 if fig._colorbar else 0)
    bottom = fig.height - 54
    xmin, xmax, ymin, ymax = fig.data_limits()
    if fig.aspect == "equal":
        xmin, xmax, ymin, ymax = _equal_aspect(xmin, xmax, ymin, ymax, right - left, bottom - top)
    box = Box(left, top, right, bottom, xmin, xmax, ymin, ymax)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{fig.width}" '
           f'height="{fig.height}" viewBox="0 0 {fig.width} {fig.height}" {_FONT} '
           'font-size="12">',
           f'<rect width="{fig.width}" height="{fig.height}" fill="white"/>',
           f'<defs><clipPath id="plot-area"><rect x="{left}" y="{top}" width="{right - left}" '
           f'height="{bottom - top}"/></clipPath></defs>']
    integer_x = fig._integer_x is True and all(kind == "line" for kind, _ in fig._layers)
    out += _grid_and_ticks(box, integer_x)
    out.append('<g clip-path="url(#plot-area)">')
    for kind, data in fig._layers:
        out += _DRAW[kind](box, *data)
    out.append("</g>")
    out.append(f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" '
               'fill="none" stroke="#333333"/>')
    middle = (left + right) / 2
    if fig.title:
        out.append(f'<text x="{middle:.1f}" y="28" text-anchor="middle" font-size="16" '
                   f'font-weight="bold">{escape(fig.title)}</text>')
    if fig.xlabel:
        out.append(f'<text x="{middle:.1f}" y="{fig.height - 12}" text-anchor="middle" '
                   f'font-size="13">{escape(fig.xlabel)}</text>')
    if fig.ylabel:
        y = (top + bottom) / 2
        out.append(f'<text x="16" y="{y:.1f}" text-anchor="middle" font-size="13" '
                   f'transform="rotate(-90 16 {y:.1f})">{escape(fig.ylabel)}</text>')
    x_right = right + 14
    if fig._colorbar:
        out += _colorbar(x_right, top, bottom, *fig._colorbar)
        x_right += 92
    out += _legend(x_right, top, fig._legend)
    out.append("</svg>")
    return "\n".join(out) + "\n"


class Box:
    """The plot rectangle in pixels and the data rectangle it shows.

    Pixels grow downwards, data upwards: the data's top-left corner lands on
    the rectangle's top-left pixel.

    >>> box = Box(10, 20, 110, 220, xmin=0.0, xmax=1.0, ymin=0.0, ymax=2.0)
    >>> float(box.px(0.0)), float(box.py(2.0)), float(box.px(0.5)), float(box.py(0.0))
    (10.0, 20.0, 60.0, 220.0)
    """

    def __init__(self, left, top, right, bottom, xmin, xmax, ymin, ymax):
        self.left, self.top, self.right, self.bottom = left, top, right, bottom
        self.xmin, self.xmax, self.ymin, self.ymax = xmin, xmax, ymin, ymax

    def px(self, x):
        return self.left + (np.asarray(x) - self.xmin) / (self.xmax - self.xmin) * (
            self.right - self.left)

    def py(self, y):
        return self.top + (self.ymax - np.asarray(y)) / (self.ymax - self.ymin) * (
            self.bottom - self.top)

    def points(self, P):
        """(k, 2) data points -> "x,y x,y ..." in pixels, clamped far outside the view."""
        pixels = np.clip(np.column_stack([self.px(P[:, 0]), self.py(P[:, 1])]), -1e5, 1e5)
        return " ".join(f"{a:.1f},{b:.1f}" for a, b in pixels)


def _equal_aspect(xmin, xmax, ymin, ymax, width, height):
    """Widen one range so that a data unit has the same length in x and y."""
    scale = max((xmax - xmin) / width, (ymax - ymin) / height)  # data units per pixel
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    return (cx - scale * width / 2, cx + scale * width / 2,
            cy - scale * height / 2, cy + scale * height / 2)


def _grid_and_ticks(box, integer_x=False):
    out = ['<g stroke="#e3e3e3">']
    labels = []
    for axis in "xy":
        lo, hi = (box.xmin, box.xmax) if axis == "x" else (box.ymin, box.ymax)
        ticks = nice_ticks(lo, hi, integer=integer_x and axis == "x")
        step = ticks[1] - ticks[0] if len(ticks) > 1 else abs(hi - lo)
        for t in ticks:
            text = tick_label(t, step)
            if axis == "x":
                p = float(box.px(t))
                out.append(f'<line x1="{p:.1f}" y1="{box.top}" x2="{p:.1f}" y2="{box.bottom}"/>')
                labels.append(f'<line x1="{p:.1f}" y1="{box.bottom}" x2="{p:.1f}" '
                              f'y2="{box.bottom + 5}" stroke="#333333"/>')
                labels.append(f'<text x="{p:.1f}" y="{box.bottom + 19}" '
                              f'text-anchor="middle">{text}</text>')
            else:
                p = float(box.py(t))
                out.append(f'<line x1="{box.left}" y1="{p:.1f}" x2="{box.right}" y2="{p:.1f}"/>')
                labels.append(f'<line x1="{box.left - 5}" y1="{p:.1f}" x2="{box.left}" '
                              f'y2="{p:.1f}" stroke="#333333"/>')
                labels.append(f'<text x="{box.left - 8}" y="{p + 4:.1f}" '
                              f'text-anchor="end">{text}</text>')
    return out + ["</g>"] + labels


def _draw_scatter(box, points, colour, size, alpha):
    pixels = np.column_stack([box.px(points[:, 0]), box.py(points[:, 1])]).ravel()
    # one formatting call for all points instead of a Python loop over them
    circles = (f'<circle cx="%.1f" cy="%.1f" r="{size:g}"/>' * len(points)) % tuple(pixels)
    return [f'<g class="scatter" fill="{colour}" fill-opacity="{alpha:g}" '
            f'stroke="white" stroke-width="0.4">{circles}</g>']


def _draw_ellipse(box, outline, mean, colour, width):
    x, y = float(box.px(mean[0])), float(box.py(mean[1]))
    return [f'<path class="ellipse" d="M {box.points(outline)} Z" fill="none" '
            f'stroke="{colour}" stroke-width="{width:g}"/>',
            f'<path class="mean" d="M {x - 6:.1f},{y:.1f} H {x + 6:.1f} M {x:.1f},{y - 6:.1f} '
            f'V {y + 6:.1f}" stroke="black" stroke-width="{width + 1.5:g}"/>',
            f'<path d="M {x - 5:.1f},{y:.1f} H {x + 5:.1f} M {x:.1f},{y - 5:.1f} '
            f'V {y + 5:.1f}" stroke="{colour}" stroke-width="{width:g}"/>']


def _draw_line(box, P, colour, width, dashed):
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    return [f'<polyline class="series" points="{box.points(P)}" fill="none" '
            f'stroke="{colour}" stroke-width="{width:g}" stroke-linejoin="round"{dash}/>']


def _draw_contour(box, lines, colour, width):
    if not lines:
        return []
    d = " ".join(f"M {box.points(line)}" for line in lines)
    return [f'<path class="contour" d="{d}" fill="none" stroke="{colour}" '
            f'stroke-width="{width:g}"/>']


def _draw_image(box, encoded, extent, smooth):
    xmin, xmax, ymin, ymax = extent
    x, y = float(box.px(xmin)), float(box.py(ymax))
    w, h = float(box.px(xmax)) - x, float(box.py(ymin)) - y
    style = "" if smooth else ' style="image-rendering:pixelated"'
    return [f'<image x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'preserveAspectRatio="none"{style} href="data:image/png;base64,{encoded}"/>']


_DRAW = {"scatter": _draw_scatter, "ellipse": _draw_ellipse, "line": _draw_line,
         "contour": _draw_contour, "image": _draw_image}


def _colorbar(x, top, bottom, lo, hi, label):
    """A vertical colour scale, 16 px wide, with its end values and label."""
    n = 64
    out = []
    height = (bottom - top) / n
    for k, rgb in enumerate(colormap(np.linspace(hi, lo, n), lo, hi)):  # loop over bands
        out.append(f'<rect x="{x}" y="{top + k * height:.2f}" width="16" '
                   f'height="{height + 0.6:.2f}" fill="rgb({rgb[0]},{rgb[1]},{rgb[2]})"/>')
    out.append(f'<rect x="{x}" y="{top}" width="16" height="{bottom - top}" fill="none" '
               'stroke="#333333"/>')
    ticks = nice_ticks(lo, hi, target=5)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    for t in ticks:  # loop over tick marks
        y = bottom - (t - lo) / (hi - lo) * (bottom - top) if hi > lo else (top + bottom) / 2
        out.append(f'<line x1="{x + 16}" y1="{y:.1f}" x2="{x + 20}" y2="{y:.1f}" '
                   'stroke="#333333"/>')
        out.append(f'<text x="{x + 22}" y="{y + 4:.1f}">{tick_label(t, step)}</text>')
    if label:
        mid = (top + bottom) / 2
        out.append(f'<text x="{x + 66}" y="{mid:.1f}" text-anchor="middle" '
                   f'transform="rotate(-90 {x + 66} {mid:.1f})">{escape(label)}</text>')
    return out


def _legend(x, top, entries):
    """One row per entry: a swatch (dot, line or ring) and the name."""
    if not entries:
        return []
    out = ['<g class="legend">']
    for row, (kind, colour, name) in enumerate(entries):
        y = top + 10 + 20 * row
        if kind == "marker":
            out.append(f'<rect x="{x + 3}" y="{y - 5}" width="10" height="10" rx="5" '
                       f'fill="{colour}"/>')
        elif kind in ("line", "dashed"):  # dashed as the line it names, so the two match
            dash = ' stroke-dasharray="6 4"' if kind == "dashed" else ""
            out.append(f'<line x1="{x}" y1="{y}" x2="{x + 16}" y2="{y}" stroke="{colour}" '
                       f'stroke-width="2.5"{dash}/>')
        else:
            out.append(f'<ellipse cx="{x + 8}" cy="{y}" rx="8" ry="5" fill="none" '
                       f'stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{x + 22}" y="{y + 4}">{escape(name)}</text>')
    return out + ["</g>"]
