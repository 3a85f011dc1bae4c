"""Pictures and text output with NumPy and the standard library only.

PNG files (``write_png``, ``read_png``, ``png_bytes``), image grids and a
colour map; SVG plots (``Figure`` and the shortcuts ``scatter``,
``line_plot``, ``density_contours``) with iso-lines by ``marching_squares``;
terminal charts (``sparkline``, ``bar_chart``). The progress bar and the
aligned text tables that models print live in :mod:`scratch_genmod.core`.
"""

from scratch_genmod.viz.contours import marching_squares
from scratch_genmod.viz.images import colormap, image_grid
from scratch_genmod.viz.plots import density_contours, line_plot, scatter
from scratch_genmod.viz.png import png_bytes, read_png, write_png
from scratch_genmod.viz.svg import Figure
from scratch_genmod.viz.text import bar_chart, sparkline

__all__ = [
    "write_png", "read_png", "png_bytes", "image_grid", "colormap",
    "Figure", "scatter", "line_plot", "density_contours", "marching_squares",
    "sparkline", "bar_chart",
]
