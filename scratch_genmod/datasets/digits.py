"""Generated digit images, MNIST-like, drawn from the project's own pen strokes.

How one image is made:

1. Pick the label ``y`` (uniform on 0-9) and one of the ways of writing it
   (see :mod:`~scratch_genmod.datasets.digit_strokes`).
2. Each style is stored as a distance field ``D(q)``: the distance from
   point ``q`` of the digit's box to the nearest stroke, on a fine grid
   (computed once per process).
3. A random affine map ``p = A q + t`` (rotation, shear, scale, shift) places
   the box on the image. For each pixel centre ``p`` we look up
   ``D(q + e(q))`` at ``q = A^{-1}(p - t)`` by bilinear interpolation, where
   ``e`` is a small smooth random displacement (a few slow sine waves) so that
   no two hands draw the same 3. In pixels that distance is about
   ``d = D * ppu * sqrt(det A)`` (``ppu`` pixels per box unit).
4. Ink is ``clip(w / 2 + 1/2 - d, 0, 1)``: 1 inside a stroke of width ``w``,
   0 far away, and a one-pixel linear ramp at the edge - the anti-aliasing.
5. Gaussian noise is added and the result clipped back to [0, 1].

Every step is an array operation over a chunk of images; the only loops run
over chunks (and, once, over the 14 styles).

>>> X, y = make_digits(20, random_state=0)
>>> X.shape, y.shape, X.dtype
((20, 28, 28), (20,), dtype('float32'))
>>> bool(X.min() >= 0.0 and X.max() <= 1.0)
True
"""

from functools import lru_cache

import numpy as np

from scratch_genmod.core import check_random_state, check_scalar
from scratch_genmod.core.sizes import check_size_budget
from scratch_genmod.datasets.digit_strokes import digit_styles

__all__ = ["make_digits"]

_HALF_BOX = 1.6      # the distance field covers [-1.6, 1.6]^2 box units
_FIELD_SIZE = 96     # grid points per side of the distance field
_CHUNK = 2048        # images rendered at once (bounded working memory)


def make_digits(n_samples, size=28, noise=0.04, random_state=None, dtype=np.float32):
    """Draw ``n_samples`` grey images of handwritten-looking digits 0-9.

    Parameters
    ----------
    n_samples : int
        Number of images, >= 1.
    size : int, default=28
        Side in pixels (>= 8); the digit fills about 70 % of the height, as
        in MNIST (20 of 28 pixels).
    noise : float, default=0.04
        Standard deviation of the added pixel noise, >= 0.
    random_state : None, int or numpy.random.Generator, default=None
    dtype : numpy float dtype, default=numpy.float32

    Returns
    -------
    X : ndarray of shape (n_samples, size, size)
        Ink in [0, 1]: 0 is background (black), 1 full ink (white), as MNIST.
    y : ndarray of shape (n_samples,), dtype int64
        The digit drawn in each image, in random order.
    """
    n_samples = check_scalar(n_samples, "n_samples", int, min_val=1)
    size = check_scalar(size, "size", int, min_val=8)
    # the images are drawn in float64 before the cast to dtype
    check_size_budget(n_samples * size * size, 8, f"n_samples={n_samples} images of "
                      f"{size}x{size} pixels (size={size})", "make fewer or smaller images "
                      "(MNIST's are 28x28), or make them in batches")
    noise = check_scalar(noise, "noise", min_val=0.0, dtype=np.float32)   # the ink's dtype
    if np.dtype(dtype).kind != "f":
        raise TypeError(f"dtype must be a floating dtype, got {np.dtype(dtype)}")
    rng = check_random_state(random_state)
    fields, first, count = _distance_fields()

    y = rng.integers(0, 10, size=n_samples)
    template = first[y] + (rng.random(n_samples) * count[y]).astype(np.int64)
    angle = np.radians(np.clip(rng.normal(0.0, 9.0, n_samples), -22.0, 22.0))
    shear = np.clip(rng.normal(0.0, 0.15, n_samples), -0.4, 0.4)
    scale_x = rng.uniform(0.8, 1.1, n_samples)
    scale_y = rng.uniform(0.85, 1.05, n_samples)
    shift = rng.normal(0.0, 0.08, (n_samples, 2))
    half_width = rng.uniform(1.0, 1.9, n_samples) * size / 28  # in pixels
    # displacement e(q): amplitude, frequency and phase of four sine waves
    wobble = np.stack([rng.uniform(0.0, 0.07, (n_samples, 4)),
                       rng.uniform(1.0, 2.5, (n_samples, 4)),
                       rng.uniform(0.0, 2 * np.pi, (n_samples, 4))]).astype(np.float32)

    # A = R(angle) [[1, shear], [0, 1]] diag(scale_x, scale_y), written out
    cos, sin = np.cos(angle), np.sin(angle)
    a11, a12 = cos * scale_x, (cos * shear - sin) * scale_y
    a21, a22 = sin * scale_x, (sin * shear + cos) * scale_y
    det = a11 * a22 - a12 * a21
    inverse = np.stack([a22, -a12, -a21, a11], axis=1) / det[:, None]

    ppu = size / 2.8                                       # pixels per box unit
    centres = (np.arange(size) + 0.5 - size / 2.0) / ppu
    px = np.tile(centres, size).astype(np.float32)         # pixel x, row-major
    py = np.repeat(centres, size).astype(np.float32)       # pixel y (down)
    X = np.empty((n_samples, size * size), dtype=dtype)
    for start in range(0, n_samples, _CHUNK):  # loop over chunks of images
        part = slice(start, min(start + _CHUNK, n_samples))
        d = _lookup(fields, template[part], inverse[part].astype(np.float32),
                    shift[part].astype(np.float32), wobble[:, part], px, py)
        d *= (ppu * np.sqrt(det[part])).astype(np.float32)[:, None]
        ink = half_width[part].astype(np.float32)[:, None] + 0.5 - d
        if noise > 0:
            ink += noise * rng.standard_normal(ink.shape, dtype=np.float32)
        X[part] = np.clip(ink, 0.0, 1.0)
    return X.reshape(n_samples, size, size), y.astype(np.int64)


def _lookup(fields, template, inverse, shift, wobble, px, py):
    """Bilinear look-up of ``D_k(q + e(q))``, ``q = A^{-1}(p - t)``: shape (m, n_pixels)."""
    dx = px[None, :] - shift[:, :1]
    dy = py[None, :] - shift[:, 1:]
    qx = inverse[:, :1] * dx + inverse[:, 1:2] * dy
    qy = inverse[:, 2:3] * dx + inverse[:, 3:] * dy
    a, f, phase = wobble[0].T[:, :, None], wobble[1].T[:, :, None], wobble[2].T[:, :, None]
    qx, qy = (qx + a[0] * np.sin(f[0] * qy + phase[0]) + a[1] * np.sin(f[1] * qx + phase[1]),
              qy + a[2] * np.sin(f[2] * qy + phase[2]) + a[3] * np.sin(f[3] * qx + phase[3]))
    # grid coordinates; points outside the field take its border value (far
    # from every stroke, so no ink)
    last = _FIELD_SIZE - 1
    gx = np.clip((qx + _HALF_BOX) * (last / (2 * _HALF_BOX)), 0.0, last - 1e-3)
    gy = np.clip((qy + _HALF_BOX) * (last / (2 * _HALF_BOX)), 0.0, last - 1e-3)
    ix, iy = gx.astype(np.int64), gy.astype(np.int64)
    fx, fy = gx - ix, gy - iy
    base = template[:, None] * _FIELD_SIZE ** 2 + iy * _FIELD_SIZE + ix
    flat = fields.reshape(-1)
    top = flat[base] * (1 - fx) + flat[base + 1] * fx
    bottom = flat[base + _FIELD_SIZE] * (1 - fx) + flat[base + _FIELD_SIZE + 1] * fx
    return top * (1 - fy) + bottom * fy


@lru_cache(maxsize=1)
def _distance_fields():
    """Distance fields of every style of every digit (the same in every call).

    Returns
    -------
    fields : ndarray of shape (n_templates, _FIELD_SIZE, _FIELD_SIZE), float32
    first : ndarray of shape (10,)
        Index of each digit's first template.
    count : ndarray of shape (10,)
        Number of styles of each digit.
    """
    axis = np.linspace(-_HALF_BOX, _HALF_BOX, _FIELD_SIZE)
    grid = np.stack(np.meshgrid(axis, axis), axis=-1).reshape(-1, 2)  # (x, y), row-major
    fields, count = [], []
    for styles in digit_styles():  # loop over the ten digits
        count.append(len(styles))
        for strokes in styles:
            segments = np.concatenate([_segments(s) for s in strokes])
            fields.append(_distance_to_segments(grid, segments))
    count = np.array(count)
    first = np.concatenate([[0], np.cumsum(count)[:-1]])
    fields = np.stack(fields).reshape(-1, _FIELD_SIZE, _FIELD_SIZE).astype(np.float32)
    for array in (fields, first, count):
        array.flags.writeable = False  # shared by every call through the cache
    return fields, first, count


def _segments(points):
    """A polyline's consecutive pairs of points: shape (k - 1, 2, 2)."""
    return np.stack([points[:-1], points[1:]], axis=1)


def _distance_to_segments(P, segments):
    """Distance from each point of ``P`` (m, 2) to the nearest segment; shape (m,).

    The nearest point of segment ``a -> b`` to ``p`` is ``a + s (b - a)`` with
    ``s = clip(<p - a, b - a> / |b - a|^2, 0, 1)``.
    """
    a, b = segments[:, 0], segments[:, 1]
    ab = b - a
    length2 = np.maximum((ab ** 2).sum(axis=1), 1e-12)
    ap = P[:, None, :] - a[None, :, :]
    s = np.clip((ap * ab).sum(axis=2) / length2, 0.0, 1.0)
    nearest = ap - s[:, :, None] * ab
    return np.sqrt((nearest ** 2).sum(axis=2)).min(axis=1)
