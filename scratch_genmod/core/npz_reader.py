"""Read an ``.npz`` model file within stated limits, before trusting any of it.

``numpy.load`` decompresses any member it is asked for, whatever its size,
and a JSON document nested deeply enough exhausts Python's recursion limit.
A model file may come from anyone, so here every limit is checked from what
the zip directory and the ``.npy`` headers declare, before the bytes are read:

* the metadata member is at most :data:`MAX_METADATA_BYTES` and nested at
  most :data:`MAX_DEPTH` deep;
* only the members the metadata names are read; any other member is refused;
* the members together are at most ``max_bytes`` once uncompressed, and each
  holds exactly the bytes its header's shape and dtype call for;
* no object arrays (which only pickle could read).

Every failure is a ``ValueError``; the caller adds the file's name.
"""

import io
import json
import re
import zipfile
import zlib

import numpy as np

__all__ = ["read_model_file", "MAX_METADATA_BYTES", "MAX_DEPTH", "DEFAULT_MAX_BYTES"]

META_KEY = "__meta__"
#: Largest metadata member read (``.npy`` of the JSON text, 4 bytes per character).
MAX_METADATA_BYTES = 64 * 2**20
#: Deepest nesting of lists and objects in the metadata (the deepest model, a
#: variational autoencoder, nests about 20 levels).
MAX_DEPTH = 100
#: Default limit on all the members together, uncompressed.
DEFAULT_MAX_BYTES = 4 * 2**30

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def read_model_file(path, array_keys, max_bytes=DEFAULT_MAX_BYTES):
    """The metadata of the model file ``path`` and the arrays it names.

    Parameters
    ----------
    path : pathlib.Path
    array_keys : callable
        ``array_keys(meta)`` lists the array members the metadata refers to.
    max_bytes : int, default=DEFAULT_MAX_BYTES
        Limit on the uncompressed size of all the arrays together.

    Returns
    -------
    meta : object
        The parsed JSON metadata.
    arrays : dict of str to ndarray

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        For anything else wrong with the file.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            members = {info.filename: info for info in zf.infolist()}
            meta_info = members.pop(META_KEY + ".npy", None)
            if meta_info is None:
                raise ValueError("it has no valid scratch_genmod metadata (no __meta__ member)")
            if meta_info.file_size > MAX_METADATA_BYTES:
                raise ValueError(f"its metadata takes {meta_info.file_size:,} bytes, more than "
                                 f"the {MAX_METADATA_BYTES:,} a model file may hold")
            meta = parse_metadata(_read_npy(zf, meta_info, META_KEY))
            wanted = {key + ".npy": key for key in array_keys(meta)}
            unexpected = sorted(set(members) - set(wanted))
            if unexpected:
                raise ValueError(f"it holds members its metadata does not name "
                                 f"({', '.join(unexpected[:3])}); refusing to read them")
            missing = sorted(set(wanted) - set(members))
            if missing:
                raise ValueError(f"it lacks the arrays {', '.join(missing[:3])}")
            total = sum(members[name].file_size for name in wanted)
            if total > max_bytes:
                raise ValueError(f"its arrays take {total:,} bytes uncompressed, more than "
                                 f"max_bytes={max_bytes:,}; if you trust the file, pass a "
                                 f"larger max_bytes to load")
            arrays = {key: _read_npy(zf, members[name], key) for name, key in wanted.items()}
    except FileNotFoundError:
        raise
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError) as exc:
        raise ValueError(f"it is not a readable scratch_genmod model file ({exc})") from None
    return meta, arrays


def parse_metadata(array):
    """The JSON document held by the 0-d string array ``array``, depth checked first."""
    if not (isinstance(array, np.ndarray) and array.ndim == 0 and array.dtype.kind == "U"):
        raise ValueError("it has no valid scratch_genmod metadata (not a JSON string)")
    text = str(array)
    depth = json_depth(text)
    if depth > MAX_DEPTH:
        raise ValueError(f"its metadata is nested {depth} levels deep, more than the "
                         f"{MAX_DEPTH} a model file may use")
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ValueError(f"it has no valid scratch_genmod metadata ({exc})") from None


def json_depth(text):
    """Deepest nesting of ``[`` and ``{`` in the JSON ``text``, without parsing it.

    >>> json_depth('{"a": [1, {"b": "[[["}]}')
    3
    """
    codes = np.frombuffer(_STRING.sub('""', text).encode("utf-8", "replace"), np.uint8)
    steps = np.isin(codes, (ord("["), ord("{"))).astype(np.int64)
    steps -= np.isin(codes, (ord("]"), ord("}")))
    return int(np.cumsum(steps).max(initial=0))


def _read_npy(zf, info, key):
    """One ``.npy`` member as an array, its header checked against its size first."""
    with zf.open(info) as f:
        # The header is read alone: the shape it declares is checked against the
        # member's declared size before the data is read.
        header = io.BytesIO(f.read(min(info.file_size, 65536 + 16)))
        try:
            version = np.lib.format.read_magic(header)
            reader = {(1, 0): np.lib.format.read_array_header_1_0,
                      (2, 0): np.lib.format.read_array_header_2_0}[version]
            shape, fortran_order, dtype = reader(header)
        except (ValueError, KeyError, SyntaxError, TypeError) as exc:
            raise ValueError(f"its array {key!r} has no valid .npy header ({exc})") from None
        if dtype.hasobject:
            raise ValueError(f"its array {key!r} holds Python objects, which are never "
                             f"loaded (reading them would run pickle)")
        count = int(np.prod(shape, dtype=object))
        size = info.file_size - header.tell()
        if count * dtype.itemsize != size:
            raise ValueError(f"its array {key!r} declares shape {shape} ({count * dtype.itemsize:,}"
                             f" bytes) but holds {size:,} bytes")
        data = header.read() + f.read()
    array = np.frombuffer(data, dtype=dtype, count=count)
    return array.reshape(shape, order="F" if fortran_order else "C").copy()
