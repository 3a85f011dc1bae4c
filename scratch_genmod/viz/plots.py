"""One-call plots for the demos: scatter, curves, density contours.

Each returns a :class:`Figure` (save it with ``.save(path)``); keyword
arguments not listed go to the Figure (``title``, ``xlabel``, ``ylabel``,
``width``, ``height``, ``aspect``, ``xlim``, ``ylim``).

>>> fig = line_plot({"train": [3.0, 2.0, 1.5], "test": [3.2, 2.4, 2.1]},
...                 title="Loss", xlabel="epoch", ylabel="loss")
>>> fig.to_string().count("<polyline")
2
"""

import numpy as np

from scratch_genmod.viz.svg import Figure

__all__ = ["scatter", "line_plot", "density_contours"]


def scatter(X, labels=None, label_names=None, means=None, covariances=None, n_std=2.0,
            size=3, **kw):
    """Points coloured by class, with optional mixture means and ellipses.

    Parameters
    ----------
    X : array-like of shape (n_samples, 2)
    labels : array-like of shape (n_samples,) or None, default=None
    label_names : dict or sequence or None, default=None
    means : array-like of shape (n_components, 2) or None, default=None
    covariances : array-like of shape (n_components, 2, 2) or None, default=None
        With ``means``: draw each component's ``n_std`` ellipse.
    n_std : float, default=2.0
    size : float, default=3

    Returns
    -------
    fig : Figure
    """
    fig = Figure(**kw)
    fig.scatter(X, labels=labels, label_names=label_names, size=size)
    if means is not None:
        if covariances is None:
            raise ValueError("covariances must be given with means (to draw the ellipses)")
        fig.ellipses(means, covariances, n_std=n_std, label=f"{n_std:g}-sigma ellipses")
    return fig


def line_plot(series, **kw):
    """Several curves on one set of axes, e.g. training and test loss per epoch.

    Parameters
    ----------
    series : dict of name -> y or (x, y), or a single array-like y
        ``y`` alone is drawn against ``0, 1, 2, ...``.

    Returns
    -------
    fig : Figure
    """
    fig = Figure(**kw)
    if not isinstance(series, dict):
        series = {None: series}
    if not series:
        raise ValueError("series must hold at least one curve, got an empty dict")
    for name, values in series.items():  # loop over curves
        if isinstance(values, tuple) and len(values) == 2:
            fig.line(values[0], values[1], label=name)
        else:
            fig.line(values, label=name)
    return fig


def density_contours(xs, ys, Z, X=None, labels=None, levels=8, heatmap=False,
                     label_names=None, zlabel="density", **kw):
    """Iso-lines of a 2-D function (a density) on a grid, over the data.

    Parameters
    ----------
    xs : array-like of shape (nx,)
    ys : array-like of shape (ny,)
    Z : array-like of shape (ny, nx)
        ``Z[i, j] = f(xs[j], ys[i])``, as ``numpy.meshgrid(xs, ys)`` gives.
    X : array-like of shape (n_samples, 2) or None, default=None
        Points drawn under the contours.
    labels : array-like of shape (n_samples,) or None, default=None
    levels : int or array-like, default=8
    heatmap : bool, default=False
        Also paint ``Z`` as a colour image (with a colour bar) under everything.
    label_names : dict or sequence or None, default=None
    zlabel : str, default="density"
        Name of the colour bar (with ``heatmap=True``).

    Returns
    -------
    fig : Figure
    """
    fig = Figure(**kw)
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    if heatmap:
        fig.image(Z, extent=(xs.min(), xs.max(), ys.min(), ys.max()), colorbar=True,
                  colorbar_label=zlabel)
    if X is not None:
        fig.scatter(X, labels=labels, label_names=label_names, size=2.5,
                    color="#555555" if labels is None else None, alpha=0.6)
    # white iso-lines stay visible on a heat-map, dark ones over coloured points
    colour = "white" if heatmap else ("#222222" if labels is not None else None)
    fig.contours(xs, ys, Z, levels=levels, color=colour)
    return fig
