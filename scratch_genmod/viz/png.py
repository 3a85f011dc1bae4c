"""PNG files from NumPy arrays, with nothing but ``zlib`` and ``struct``.

A PNG file is an 8-byte signature followed by chunks, each
``length | type | data | CRC-32(type + data)``. We write three: ``IHDR``
(width, height, bit depth 8, colour type), one ``IDAT`` (the zlib-compressed
scanlines, each preceded by its filter byte) and ``IEND``.

>>> image = np.array([[0, 128], [255, 64]], dtype=np.uint8)
>>> data = png_bytes(image)
>>> data[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
>>> bool((read_png(io.BytesIO(data)) == image).all())
True
"""

import io  # noqa: F401 - used by the module doctest
import struct
import zlib
from pathlib import Path

import numpy as np

__all__ = ["write_png", "read_png", "png_bytes"]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# colour type of the PNG header <-> number of channels
_COLOUR_TYPE = {1: 0, 2: 4, 3: 2, 4: 6}  # grey, grey+alpha, RGB, RGBA
_CHANNELS = {v: k for k, v in _COLOUR_TYPE.items()}


def write_png(path, image):
    """Write ``image`` to ``path`` as an 8-bit PNG file; returns the path.

    Parameters
    ----------
    path : str or os.PathLike
    image : array-like of shape (height, width), (height, width, 1), (height, width, 3) or (height, width, 4)
        Grey, RGB or RGBA. ``uint8`` values are written as they are;
        floating values must lie in [0, 1] and are scaled to 0-255 and rounded.

    Returns
    -------
    path : pathlib.Path
    """
    data = png_bytes(image)
    path = Path(path)
    path.write_bytes(data)
    return path


def png_bytes(image):
    """The bytes of a PNG file holding ``image`` (see :func:`write_png`)."""
    pixels = _to_uint8(image)
    height, width, channels = pixels.shape
    header = struct.pack(">IIBBBBB", width, height, 8, _COLOUR_TYPE[channels], 0, 0, 0)
    # filter type 0 ("None") in front of every scanline
    rows = np.concatenate([np.zeros((height, 1), np.uint8),
                           pixels.reshape(height, width * channels)], axis=1)
    return (_SIGNATURE + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 6)) + _chunk(b"IEND", b""))


def read_png(path):
    """Read an 8-bit, non-interlaced grey/RGB(A) PNG file into a uint8 array.

    Reads what :func:`write_png` writes, and PNGs from other programs that use
    the same subset with scanline filters None, Sub or Up.

    Parameters
    ----------
    path : str, os.PathLike or binary file object

    Returns
    -------
    image : ndarray of shape (height, width) for grey, else (height, width, channels), dtype uint8

    Raises
    ------
    ValueError
        If the file is not a PNG, is truncated, fails a CRC check, or uses a
        feature outside this subset (palette, 16-bit, interlace, filters 3-4).
    """
    name = getattr(path, "name", None) or str(path)
    data = path.read() if hasattr(path, "read") else Path(path).read_bytes()
    if data[:8] != _SIGNATURE:
        raise ValueError(f"{name} is not a PNG file (bad signature)")
    header, compressed, position = None, [], 8
    while True:
        if position + 8 > len(data):
            raise ValueError(f"{name} is truncated: no IEND chunk")
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        crc = data[position + 8 + length:position + 12 + length]
        if len(body) != length or len(crc) != 4:
            raise ValueError(f"{name} is truncated inside chunk {kind!r}")
        if struct.unpack(">I", crc)[0] != zlib.crc32(kind + body):
            raise ValueError(f"{name} is corrupted: CRC mismatch in chunk {kind!r}")
        position += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            compressed.append(body)
        elif kind == b"IEND":
            break
    if header is None:
        raise ValueError(f"{name} has no IHDR chunk")
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in _CHANNELS or interlace:
        raise ValueError(f"{name} uses bit depth {depth}, colour type {colour}, interlace "
                         f"{interlace}; only 8-bit non-interlaced grey/RGB(A) is supported")
    channels = _CHANNELS[colour]
    raw = np.frombuffer(zlib.decompress(b"".join(compressed)), np.uint8)
    if raw.size != height * (1 + width * channels):
        raise ValueError(f"{name} has {raw.size} bytes of pixel data, expected "
                         f"{height * (1 + width * channels)}")
    rows = raw.reshape(height, 1 + width * channels)
    pixels = _unfilter(rows[:, 0], rows[:, 1:].copy(), channels, name)
    image = pixels.reshape(height, width, channels)
    return image[:, :, 0] if channels == 1 else image


def _to_uint8(image):
    """Check ``image`` and return it as (height, width, channels) uint8."""
    arr = np.asarray(image)
    if arr.ndim == 2:
        arr = arr[:, :, None]
    if arr.ndim != 3 or arr.shape[2] not in _COLOUR_TYPE or 0 in arr.shape:
        raise ValueError("image must have shape (height, width) or (height, width, 1/3/4) "
                         f"with height, width >= 1, got {np.shape(image)}")
    if arr.dtype == np.uint8:
        return arr
    if arr.dtype.kind == "b" or arr.dtype.kind not in "uif":
        raise TypeError(f"image must be uint8 or floats in [0, 1], got dtype {arr.dtype}")
    if arr.dtype.kind in "ui":
        raise TypeError(f"image of integers must be uint8 (0-255), got dtype {arr.dtype}; "
                        "convert it, or divide by the maximum to get floats in [0, 1]")
    if not np.isfinite(arr).all():
        raise ValueError(f"image of floats must hold finite values in [0, 1], got "
                         f"{int((~np.isfinite(arr)).sum())} NaN or infinite values")
    if arr.min() < 0.0 or arr.max() > 1.0:
        raise ValueError("image of floats must hold finite values in [0, 1], got range "
                         f"[{arr.min():.4g}, {arr.max():.4g}]")
    return np.rint(arr * 255.0).astype(np.uint8)


def _chunk(kind, body):
    return (struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body)))


def _unfilter(filters, rows, bpp, name):
    """Undo the per-scanline filters None (0), Sub (1) and Up (2), in place."""
    bad = ~np.isin(filters, (0, 1, 2))
    if bad.any():
        raise ValueError(f"{name} uses scanline filter {int(filters[bad][0])}; only "
                         "None, Sub and Up are supported by this reader")
    for r in range(rows.shape[0]):  # rows depend on the previous one (filter Up)
        if filters[r] == 1:
            # Sub: byte x adds the byte bpp earlier, i.e. a running sum per channel
            line = rows[r].reshape(-1, bpp).astype(np.uint64)
            rows[r] = (np.cumsum(line, axis=0) % 256).astype(np.uint8).ravel()
        elif filters[r] == 2 and r > 0:
            rows[r] = rows[r] + rows[r - 1]  # uint8 arithmetic wraps modulo 256
    return rows

