"""Arrays as pictures: a grid of small images, and a colour map for heat-maps.

>>> grid = image_grid(np.zeros((3, 2, 2)), ncols=2, pad=1)
>>> grid.shape
(7, 7)
>>> colormap([0.0, 1.0]).tolist()
[[68, 1, 84], [253, 231, 37]]
"""

import numpy as np

from scratch_genmod.core import check_array, check_scalar

__all__ = ["image_grid", "colormap"]

# A viridis-like ramp: dark violet -> blue -> teal -> green -> yellow. Its
# lightness rises steadily, so the eye reads higher values as brighter, and it
# stays readable in grey and for colour-blind readers. Anchor colours (sRGB)
# at equal steps of 1/8, sampled from the published viridis map.
_RAMP = np.array([
    [68, 1, 84], [72, 36, 117], [59, 82, 139], [44, 114, 142], [33, 145, 140],
    [39, 173, 129], [94, 201, 98], [170, 220, 50], [253, 231, 37],
], dtype=np.float64)


def image_grid(images, ncols=10, pad=2, pad_value=1.0, scale=1):
    """Tile images into one picture, row by row, with ``pad`` pixels between them.

    Parameters
    ----------
    images : array-like of shape (n, height, width), (n, height, width, channels) or (n, height * width)
        The last form is for flattened square images (MNIST rows of 784).
    ncols : int, default=10
        Images per row; the last row is filled with ``pad_value``.
    pad : int, default=2
        Border width around and between images, >= 0.
    pad_value : float, default=1.0
        Value of the border (1.0 is white for images in [0, 1]).
    scale : int, default=1
        Each pixel of the grid becomes a ``scale x scale`` block (>= 1), so
        small digits are easy to look at.

    Returns
    -------
    grid : ndarray of shape (scale * (rows * (height + pad) + pad), scale * (ncols * (width + pad) + pad)[, channels])
        float64, with ``rows = ceil(n / ncols)``.
    """
    arr = check_array(images, "images", ndim=(2, 3, 4))
    if arr.ndim == 2:
        side = int(round(np.sqrt(arr.shape[1])))
        if side * side != arr.shape[1]:
            raise ValueError(f"images of shape {arr.shape} are flat but {arr.shape[1]} "
                             "is not a square number; pass shape (n, height, width)")
        arr = arr.reshape(-1, side, side)
    ncols = check_scalar(ncols, "ncols", int, min_val=1)
    pad = check_scalar(pad, "pad", int, min_val=0)
    pad_value = check_scalar(pad_value, "pad_value")
    scale = check_scalar(scale, "scale", int, min_val=1)
    n, height, width = arr.shape[:3]
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    # fill a (rows, cols) block array, then interleave the padding by reshaping
    blocks = np.full((nrows * ncols, height + pad, width + pad) + arr.shape[3:], pad_value)
    blocks[:n, pad:, pad:] = arr
    blocks = blocks.reshape((nrows, ncols, height + pad, width + pad) + arr.shape[3:])
    grid = blocks.swapaxes(1, 2).reshape(
        (nrows * (height + pad), ncols * (width + pad)) + arr.shape[3:])
    tail = np.full((pad, grid.shape[1]) + arr.shape[3:], pad_value)
    grid = np.concatenate([grid, tail], axis=0)
    side = np.full((grid.shape[0], pad) + arr.shape[3:], pad_value)
    grid = np.concatenate([grid, side], axis=1)
    return grid.repeat(scale, axis=0).repeat(scale, axis=1)


def colormap(values, vmin=None, vmax=None):
    """Map numbers to viridis-like RGB colours (low: dark violet, high: yellow).

    Parameters
    ----------
    values : array-like of any shape
        Finite numbers.
    vmin, vmax : float or None, default=None
        The values shown as the darkest and the brightest colour; None means
        the minimum / maximum of ``values``. Values beyond them get the end
        colours (the usual saturation of a heat-map scale).

    Returns
    -------
    rgb : ndarray of shape values.shape + (3,), dtype uint8
    """
    v = check_array(values, "values", ndim=range(0, 33), min_samples=0)
    lo = float(v.min()) if vmin is None and v.size else (0.0 if vmin is None else vmin)
    hi = float(v.max()) if vmax is None and v.size else (1.0 if vmax is None else vmax)
    lo = check_scalar(lo, "vmin")
    hi = check_scalar(hi, "vmax")
    if hi < lo:
        raise ValueError(f"vmax must be >= vmin, got vmin={lo} and vmax={hi}")
    # position on the ramp in [0, 1]; a constant image sits in the middle
    t = np.clip((v - lo) / (hi - lo), 0.0, 1.0) if hi > lo else np.full(v.shape, 0.5)
    position = t * (len(_RAMP) - 1)
    left = np.minimum(position.astype(np.int64), len(_RAMP) - 2)
    frac = (position - left)[..., None]
    rgb = _RAMP[left] * (1.0 - frac) + _RAMP[left + 1] * frac
    return np.rint(rgb).astype(np.uint8)
