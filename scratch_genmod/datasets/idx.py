"""The IDX file format of MNIST and Fashion-MNIST, read into NumPy.

An IDX file is a 4-byte magic number ``0 0 t d`` - ``t`` the type code of
the values, ``d`` the number of dimensions - then ``d`` big-endian uint32
sizes, then the values in row-major order, big-endian. Files are often
gzipped (``.gz``); we recognise gzip by its first two bytes, not by the name.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "tiny.idx"
>>> _ = path.write_bytes(bytes([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3]) + bytes(range(6)))
>>> load_idx(path)
array([[0, 1, 2],
       [3, 4, 5]], dtype=uint8)
"""

import math
import os
import struct
import zlib
from pathlib import Path

import numpy as np

from scratch_genmod.core import sizes

__all__ = ["load_idx", "check_path"]

# type code of the magic number -> big-endian NumPy dtype
_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_GZIP_MAGIC = b"\x1f\x8b"
# NumPy 1 arrays have at most 32 dimensions (NumPy 2: 64); real IDX files have 1 to 4.
_MAX_DIMS = 32


def load_idx(path):
    """Read an IDX file (optionally gzipped) into an array.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    array : ndarray of the shape in the header
        In native byte order; MNIST images come out as uint8 of shape
        (n, 28, 28) and labels as uint8 of shape (n,).

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        Naming the file: a broken gzip stream, a wrong magic number or type
        code, a file shorter than its header, or a size that does not match
        the header.
    """
    path = check_path(path, "path")
    if not path.is_file():
        raise FileNotFoundError(f"IDX file {str(path)!r} does not exist")
    data = path.read_bytes()
    if data[:2] == _GZIP_MAGIC:
        data = _gunzip(data, path)
    if len(data) < 4:
        raise ValueError(f"{path} is too short for an IDX file ({len(data)} bytes, "
                         "the magic number alone takes 4)")
    zero, type_code, ndim = data[0:2], data[2], data[3]
    if zero != b"\x00\x00" or type_code not in _IDX_TYPES or ndim == 0:
        raise ValueError(f"{path} is not an IDX file: magic number {data[:4].hex()} "
                         "should be 0000 followed by a type code (08, 09, 0b, 0c, 0d or "
                         "0e) and the number of dimensions")
    if ndim > _MAX_DIMS:
        raise ValueError(f"{path} declares {ndim} dimensions, more than the {_MAX_DIMS} an "
                         "array may have (MNIST's files have 1 or 3): a corrupted header")
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise ValueError(f"{path} is truncated: its header needs {header_size} bytes "
                         f"for {ndim} dimensions, the file has {len(data)}")
    shape = struct.unpack(f">{ndim}I", data[4:header_size])
    dtype = np.dtype(_IDX_TYPES[type_code])
    expected = math.prod(shape) * dtype.itemsize  # exact: np.prod in int64 wraps around
    if len(data) - header_size != expected:
        raise ValueError(f"{path} holds {len(data) - header_size} bytes of values but its "
                         f"header announces shape {shape} of {dtype.name}, i.e. {expected} "
                         "bytes (truncated or corrupted file)")
    values = np.frombuffer(data, dtype=dtype, offset=header_size).reshape(shape)
    return values.astype(dtype.newbyteorder("="))


def _gunzip(data, path):
    """The gzip stream ``data`` decompressed, at most MEMORY_BUDGET bytes (a 1 MB file of
    zeros can expand to gigabytes); several members one after the other are joined."""
    limit = sizes.MEMORY_BUDGET
    out, rest = b"", data
    while rest:
        stream = zlib.decompressobj(16 + zlib.MAX_WBITS)  # 16 +: the gzip header and trailer
        try:
            out += stream.decompress(rest, limit + 1 - len(out))
        except zlib.error as exc:
            raise ValueError(f"{path} is a damaged gzip file ({exc})") from None
        if len(out) > limit:
            raise ValueError(f"{path} decompresses to more than {limit:,} bytes (the memory "
                             "budget; MNIST's largest file takes 47 MB): a damaged or hostile "
                             "file")
        if not stream.eof:
            raise ValueError(f"{path} is a damaged gzip file (the stream is cut short)")
        rest = stream.unused_data
    return out


def check_path(path, name):
    """``path`` as a pathlib.Path, or TypeError naming the argument (None, a number...)."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name} must be a str or path-like, got {type(path).__name__}")
    return Path(path)
