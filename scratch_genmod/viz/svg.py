"""An SVG figure: axes with ticks, title, labels and a legend, in plain text.

Drawing calls only record what to draw and widen the data limits; the
picture is laid out when it is written, so the axes always fit everything.
Data coordinates map to pixels by ``px = left + (x - xmin) / (xmax - xmin) * w``
and, since SVG's y axis points down, ``py = top + (ymax - y) / (ymax - ymin) * h``.

>>> svg = Figure("Sine").line(np.linspace(0, 6, 50), np.sin(np.linspace(0, 6, 50))).to_string()
>>> svg.startswith("<svg"), svg.count("<polyline")
(True, 1)
"""

import base64
from pathlib import Path

import numpy as np

from scratch_genmod.core import check_array, check_choice, check_interval, check_scalar, cholesky
from scratch_genmod.viz.axes import class_colour, padded_limits
from scratch_genmod.viz.contours import marching_squares
from scratch_genmod.viz.images import colormap
from scratch_genmod.viz.png import png_bytes
from scratch_genmod.viz.svg_render import render

__all__ = ["Figure"]


class Figure:
    """A 2-D plot written as SVG: scatter, ellipses, lines, contours, images.

    Parameters
    ----------
    title, xlabel, ylabel : str, default=""
    width, height : int, default=640, 480
        Size in pixels.
    aspect : {None, "equal"}, default=None
        "equal" makes one data unit as long on both axes (circles stay round).
    xlim, ylim : (float, float) or None, default=None
        Fixed axis ranges; None fits the data.

    Examples
    --------
    >>> fig = Figure(title="Two points", xlabel="x", ylabel="y")
    >>> fig.scatter([[0, 0], [1, 1]], labels=[0, 1], label_names=["zero", "one"])
    Figure('Two points')
    >>> svg = fig.to_string()
    >>> svg.count("<circle"), "zero" in svg
    (2, True)
    """

    def __init__(self, title="", xlabel="", ylabel="", width=640, height=480,
                 aspect=None, xlim=None, ylim=None):
        self.title, self.xlabel, self.ylabel = str(title), str(xlabel), str(ylabel)
        self.width = check_scalar(width, "width", int, min_val=200)
        self.height = check_scalar(height, "height", int, min_val=150)
        if aspect is not None:
            check_choice(aspect, "aspect", ["equal"])
        self.aspect = aspect
        self.xlim = None if xlim is None else check_interval(xlim, "xlim")
        self.ylim = None if ylim is None else check_interval(ylim, "ylim")
        self._layers = []        # (kind, data) in drawing order
        self._legend = []        # (swatch kind, colour, name); a swatch drawn as its layer is
        self._bounds = []        # (xmin, xmax, ymin, ymax, padded?)
        self._colorbar = None
        self._n_lines = 0
        self._integer_x = None   # True when every line has whole-number x

    def __repr__(self):
        return f"Figure({self.title!r})"

    # -- what can be drawn ----------------------------------------------------
    def scatter(self, X, labels=None, label_names=None, size=3, color=None, alpha=0.75):
        """Points, coloured by class: one ``<circle>`` per row of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, 2)
        labels : array-like of shape (n_samples,) or None, default=None
            Class of each point; integer class ``k`` gets palette colour ``k``.
        label_names : dict or sequence or None, default=None
            Legend names, looked up by class value (``label_names[k]``).
        size : float, default=3
            Radius in pixels.
        color : str or None, default=None
            One colour for all points (when ``labels`` is None).
        alpha : float, default=0.75
        """
        X = check_array(X, "X", min_features=2)
        if X.shape[1] != 2:
            raise ValueError(f"X must have 2 columns (x, y), got {X.shape[1]}")
        size = check_scalar(size, "size", min_val=0.0, include_min=False)
        alpha = check_scalar(alpha, "alpha", min_val=0.0, max_val=1.0)
        if labels is None:
            groups = [(X, color or class_colour(0), None)]
        else:
            labels = np.asarray(labels)
            if labels.shape != (X.shape[0],):
                raise ValueError(f"labels must have shape ({X.shape[0]},) to match X, "
                                 f"got {labels.shape}")
            groups = []
            for position, value in enumerate(np.unique(labels)):  # loop over classes
                index = int(value) if labels.dtype.kind in "iub" else position
                name = _lookup(label_names, value, index)
                groups.append((X[labels == value], class_colour(index), name))
        for points, colour, name in groups:
            self._layers.append(("scatter", (points, colour, size, alpha)))
            if name is not None:
                self._legend.append(("marker", colour, name))
        self._extend(X[:, 0], X[:, 1])
        return self

    def ellipses(self, means, covariances, n_std=2.0, label=None, width=2.0):
        """Mixture components: mean ``+`` and the ellipse ``(x-mu)^T Sigma^{-1} (x-mu) = n_std^2``.

        Component ``i`` gets palette colour ``i``, like class ``i`` in :meth:`scatter`.

        Parameters
        ----------
        means : array-like of shape (n_components, 2)
        covariances : array-like of shape (n_components, 2, 2)
        n_std : float, default=2.0
        label : str or None, default=None
            One legend entry for all ellipses, e.g. "2-sigma ellipses".
        width : float, default=2.0
            Stroke width in pixels.
        """
        means = check_array(means, "means")
        covariances = check_array(covariances, "covariances", ndim=3)
        if means.shape[1] != 2 or covariances.shape != (means.shape[0], 2, 2):
            raise ValueError(f"means must have shape (k, 2) and covariances (k, 2, 2), got "
                             f"{means.shape} and {covariances.shape}")
        n_std = check_scalar(n_std, "n_std", min_val=0.0, include_min=False)
        angle = np.linspace(0.0, 2.0 * np.pi, 73)
        circle = np.stack([np.cos(angle), np.sin(angle)])
        for i in range(means.shape[0]):  # loop over components
            L = cholesky(covariances[i], f"covariances[{i}]")
            # x = mu + n_std L u maps the unit circle onto the ellipse
            outline = means[i] + n_std * (L @ circle).T
            self._layers.append(("ellipse", (outline, means[i], class_colour(i), width)))
            self._extend(outline[:, 0], outline[:, 1])
        if label is not None:
            self._legend.append(("ellipse", "#333333", str(label)))
        return self

    def line(self, x, y=None, label=None, color=None, width=2.0, dashed=False):
        """A curve through ``(x[t], y[t])``; ``line(y)`` uses ``x = 0, 1, 2, ...``.

        Parameters
        ----------
        x : array-like of shape (n_points,)
        y : array-like of shape (n_points,) or None, default=None
        label : str or None, default=None
            Legend name.
        color : str or None, default=None
            None takes the next palette colour.
        width : float, default=2.0
        dashed : bool, default=False
        """
        if y is None:
            x, y = np.arange(len(np.atleast_1d(x))), x
        x = check_array(x, "x", ndim=1)
        y = check_array(y, "y", ndim=1)
        if x.shape != y.shape:
            raise ValueError(f"x and y must have the same length, got {x.size} and {y.size}")
        # whole-number x everywhere (epochs, counts): whole-number ticks
        self._integer_x = self._integer_x is not False and bool((x == np.round(x)).all())
        colour = color or class_colour(self._n_lines)
        self._n_lines += 1
        self._layers.append(("line", (np.column_stack([x, y]), colour, width, dashed)))
        if label is not None:
            self._legend.append(("dashed" if dashed else "line", colour, str(label)))
        self._extend(x, y)
        return self

    def contours(self, xs, ys, Z, levels=8, color=None, label=None, width=1.3):
        """Iso-lines of ``Z[i, j] = f(xs[j], ys[i])`` (see :func:`marching_squares`).

        Parameters
        ----------
        xs : array-like of shape (nx,)
        ys : array-like of shape (ny,)
        Z : array-like of shape (ny, nx)
        levels : int or array-like of float, default=8
            How many levels, evenly spaced strictly between min and max of
            ``Z``, or the levels themselves.
        color : str or None, default=None
            None colours each level by its height (dark low, yellow high).
        label : str or None, default=None
        width : float, default=1.3
        """
        Z = check_array(Z, "Z")
        if np.ndim(levels) == 0:
            count = check_scalar(levels, "levels", int, min_val=1)
            levels = np.linspace(Z.min(), Z.max(), count + 2)[1:-1]
        levels = check_array(levels, "levels", ndim=1)
        # stop the ramp at 80 %: its yellow end would vanish on a white page
        top = Z.min() + (Z.max() - Z.min()) / 0.8
        colours = colormap(levels, vmin=Z.min(), vmax=top)
        for level, rgb in zip(levels, colours):  # loop over levels
            lines = marching_squares(Z, float(level), xs, ys)
            colour = color or "#%02x%02x%02x" % tuple(int(c) for c in rgb)
            self._layers.append(("contour", (lines, colour, width)))
        if label is not None:
            self._legend.append(("line", color or "#21918c", str(label)))
        xs, ys = np.asarray(xs, float), np.asarray(ys, float)
        self._bounds.append((xs.min(), xs.max(), ys.min(), ys.max(), False))
        return self

    def image(self, array, extent=None, origin="lower", vmin=None, vmax=None,
              colorbar=False, colorbar_label="", smooth=True):
        """A picture stretched over ``extent``: a heat-map of a 2-D array or an RGB image.

        Parameters
        ----------
        array : array-like of shape (ny, nx) or (ny, nx, 3)
            A 2-D array is coloured by :func:`colormap`.
        extent : (xmin, xmax, ymin, ymax) or None, default=None
            Data rectangle covered; None is ``(0, nx, 0, ny)``.
        origin : {"lower", "upper"}, default="lower"
            "lower": ``array[i, j]`` is at ``y = ys[i]`` increasing upwards
            (as :meth:`contours`); "upper": row 0 at the top, as photographs.
        vmin, vmax : float or None, default=None
        colorbar : bool, default=False
            Draw the colour scale with its end values at the right.
        colorbar_label : str, default=""
        smooth : bool, default=True
            False shows every array cell as a sharp square.
        """
        check_choice(origin, "origin", ["lower", "upper"])
        arr = np.asarray(array)
        if arr.ndim != 3:  # RGB images keep their dtype: png_bytes checks them
            arr = check_array(array, "array", ndim=(2, 3), dtype=None)
        if arr.ndim == 2:
            lo = float(arr.min()) if vmin is None else vmin
            hi = float(arr.max()) if vmax is None else vmax
            rgb = colormap(arr, lo, hi)
            if colorbar:
                self._colorbar = (lo, hi, str(colorbar_label))
        else:
            rgb = arr
        if origin == "lower":
            rgb = rgb[::-1]
        extent = (0.0, arr.shape[1], 0.0, arr.shape[0]) if extent is None else extent
        if np.ndim(extent) != 1 or len(extent) != 4:
            raise ValueError(f"extent must be (xmin, xmax, ymin, ymax), got {extent!r}")
        (xmin, xmax), (ymin, ymax) = (check_interval(extent[0:2], "extent"),
                                      check_interval(extent[2:4], "extent"))
        encoded = base64.b64encode(png_bytes(rgb)).decode("ascii")
        self._layers.append(("image", (encoded, (xmin, xmax, ymin, ymax), smooth)))
        self._bounds.append((xmin, xmax, ymin, ymax, False))
        return self

    # -- output --------------------------------------------------------------
    def to_string(self):
        """The whole figure as an SVG document (str)."""
        return render(self)

    def save(self, path):
        """Write the SVG to ``path`` (UTF-8); returns it as a ``pathlib.Path``."""
        path = Path(path)
        path.write_text(self.to_string(), encoding="utf-8")
        return path

    def _repr_svg_(self):  # shown inline by Jupyter
        return self.to_string()

    def _extend(self, x, y):
        self._bounds.append((float(np.min(x)), float(np.max(x)),
                             float(np.min(y)), float(np.max(y)), True))

    def data_limits(self):
        """``(xmin, xmax, ymin, ymax)`` that fit every layer (padded around points)."""
        limits = []
        for axis, fixed in ((0, self.xlim), (2, self.ylim)):
            if fixed is not None:
                limits.append(fixed)  # already (low, high) floats: see __init__
                continue
            padded = [b for b in self._bounds if b[4]]
            exact = [b for b in self._bounds if not b[4]]
            lo, hi = np.inf, -np.inf
            if padded:
                lo, hi = padded_limits(min(b[axis] for b in padded),
                                       max(b[axis + 1] for b in padded))
            if exact:
                lo = min(lo, min(b[axis] for b in exact))
                hi = max(hi, max(b[axis + 1] for b in exact))
            limits.append((lo, hi) if hi > lo else padded_limits(lo, hi))
        return limits[0] + limits[1]


def _lookup(label_names, value, index):
    """Legend name of a class: from a dict by value, a sequence by index, else str(value)."""
    if label_names is None:
        return str(value)
    if isinstance(label_names, dict):
        return str(label_names.get(value.item() if hasattr(value, "item") else value, value))
    return str(label_names[index]) if 0 <= index < len(label_names) else str(value)
