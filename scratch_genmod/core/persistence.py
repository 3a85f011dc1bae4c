"""Save and load fitted models without pickle: ``.npz`` arrays + JSON metadata.

A pickle file runs code when it is loaded; a model file here cannot. It holds
the model's arrays and one JSON document: the format version, the class to
rebuild, its hyper-parameters, its fitted state and a SHA-256 of all of it.
Nested estimators, lists, tuples, dicts with string keys, numbers, strings
and random generators are written as tagged JSON.

Loading trusts nothing in the file:

* it is read within limits (:mod:`scratch_genmod.core.npz_reader`): metadata
  size and depth, only the members the metadata names, a budget of bytes;
* the SHA-256 must match (it catches a damaged file, not a forger: a forger
  rewrites it, which is why the checks below exist);
* a class is rebuilt only if it is registered
  (:mod:`scratch_genmod.core.registry`) or named by the caller; nothing is
  imported by a name read from the file;
* every rebuilt estimator checks its hyper-parameters and fitted state
  (``_check_fitted_state()``: shapes, dtypes, finiteness, the model's invariants).

Files of format version 1 (no checksum) still load, and are checked the same way.

>>> import tempfile, pathlib
>>> class Shift(BaseEstimator):
...     def __init__(self, by=1.0):
...         self.by = by
>>> model = Shift(by=2.5)
>>> model.offset_ = np.array([1.0, 2.0])
>>> path = pathlib.Path(tempfile.mkdtemp()) / "shift.npz"
>>> _ = save(model, path)
>>> again = load(path, extra_classes=[Shift])
>>> again, again.offset_
(Shift(by=2.5), array([1., 2.]))
"""

import hashlib
import importlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np

from scratch_genmod.core.base import BaseEstimator
from scratch_genmod.core.npz_reader import DEFAULT_MAX_BYTES, META_KEY, read_model_file
from scratch_genmod.core.registry import registered_estimator

__all__ = ["save", "load", "FORMAT_VERSION"]

#: 2: class named by its registered name, SHA-256 of the content. 1: no checksum.
FORMAT_VERSION = 2
_READABLE_VERSIONS = (1, 2)


def save(model, path):
    """Write ``model`` to ``path`` (``.npz``; the suffix is added if missing).

    The state saved is every public attribute ending in ``_`` plus the
    model's own random generator, unless the class defines ``_get_state()``
    (a dict) and ``_set_state(state)`` to choose it. The file is written to a
    temporary name and renamed, so an interrupted save leaves no partial file.

    Returns
    -------
    path : pathlib.Path
        The file written.
    """
    if not isinstance(model, BaseEstimator):
        raise TypeError(f"model must be a scratch_genmod estimator, got {type(model).__name__}")
    path = _with_suffix(path)
    arrays = {}
    spec = _encode(model, "m", arrays)
    meta = {"format_version": FORMAT_VERSION, "model": spec,
            "sha256": content_digest(spec, arrays)}
    arrays[META_KEY] = np.array(json.dumps(meta))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez_compressed(f, **arrays)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return path


def load(path, extra_classes=(), max_bytes=DEFAULT_MAX_BYTES):
    """Rebuild a model written by :func:`save`, checked before it is returned.

    Parameters
    ----------
    path : str or path-like
        The path given to :func:`save`: ``load("m")`` reads the ``m.npz`` that
        ``save(model, "m")`` wrote (a file named exactly ``path`` comes first).
    extra_classes : iterable of classes, default=()
        Estimator classes outside this package that the file may name (your
        own subclasses). Nothing else is ever imported or called.
    max_bytes : int, default=4 GiB
        Largest uncompressed size of the file's arrays; a larger file is
        refused before it is decompressed.

    Returns
    -------
    model : BaseEstimator
        Always an estimator: a file holding anything else is refused.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    ValueError
        Naming the file, if it is truncated, damaged (checksum), not a model
        file, too large, names a class that is not allowed, holds a state
        that fails its model's checks, or has a format version this library
        does not read.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or path-like, got {type(path).__name__}")
    path = Path(path)
    if not path.exists():
        path = _with_suffix(path)
    try:
        return _load(path, extra_classes, max_bytes)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        detail = exc.args[0] if type(exc) is ValueError and exc.args else repr(exc)
        raise ValueError(f"cannot load {path}: {detail}") from None


def content_digest(spec, arrays):
    """SHA-256 (hex) of the JSON ``spec`` and the arrays (keys, dtypes, shapes, bytes)."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8"))
    for key in sorted(arrays):
        a = np.ascontiguousarray(arrays[key])
        digest.update(f"\0{key}\0{a.dtype.str}\0{a.shape}\0".encode("utf-8"))
        digest.update(a.data if a.size else b"")
    return digest.hexdigest()


def _load(path, extra_classes, max_bytes):
    meta, arrays = read_model_file(path, _array_keys, max_bytes)
    version = meta.get("format_version") if isinstance(meta, dict) else None
    if version not in _READABLE_VERSIONS or type(version) is not int:
        newer = isinstance(version, int) and version > FORMAT_VERSION
        raise ValueError(
            f"it has format version {version!r}, " + (
                f"newer than this library reads ({FORMAT_VERSION}); upgrade scratch_genmod"
                if newer else f"not one this library reads ({_READABLE_VERSIONS})"))
    spec = meta.get("model")
    if not (isinstance(spec, dict) and "__estimator__" in spec):
        raise ValueError(f"it has no valid scratch_genmod metadata: it holds no model "
                         f"(found {type(spec).__name__})")
    if version >= 2 and meta.get("sha256") != content_digest(spec, arrays):
        raise ValueError("its content does not match its SHA-256 checksum: the file is "
                         "damaged or was changed after it was saved")
    _import_registered_estimators()
    allowed = {_class_path(c): c for c in extra_classes}
    try:
        return _decode(spec, arrays, allowed)
    except _UnknownParameters as exc:
        raise ValueError(f"it has format version {version}, saved by an older scratch_genmod: "
                         f"{exc}; fit the model again and save it") from None


class _UnknownParameters(ValueError):
    """A file names parameters the class no longer has: it was saved by an older version."""


def _array_keys(meta):
    """The array members the metadata refers to (``{"__array__": key}`` entries)."""
    keys, stack = [], [meta]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if isinstance(value.get("__array__"), str):
                keys.append(value["__array__"])
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return keys


def _import_registered_estimators():
    """Import the package's public names: each family registers its estimators on import."""
    package = importlib.import_module("scratch_genmod")
    for name in getattr(package, "__all__", ()):
        getattr(package, name)


def _encode(value, key, arrays):
    """Turn ``value`` into JSON, storing its arrays in ``arrays`` under keys from ``key``."""
    if isinstance(value, BaseEstimator):
        state = value._get_state() if hasattr(value, "_get_state") else _default_state(value)
        cls = type(value)
        name = cls.__name__ if registered_estimator(cls.__name__) is cls else _class_path(cls)
        return {"__estimator__": name,
                "params": _encode(value.get_params(deep=False), key + ".p", arrays),
                "state": _encode(state, key + ".s", arrays)}
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            raise TypeError(f"cannot save an object array ({key}); use numeric or string arrays")
        arrays[key] = value
        return {"__array__": key}
    if isinstance(value, np.random.Generator):
        return {"__generator__": value.bit_generator.state}
    if isinstance(value, np.generic):
        return _encode(value.item(), key, arrays)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        items = [_encode(v, f"{key}.{i}", arrays) for i, v in enumerate(value)]
        return {"__tuple__": items} if isinstance(value, tuple) else items
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"__dict__": {k: _encode(v, f"{key}.{k}", arrays) for k, v in value.items()}}
    raise TypeError(f"cannot save a value of type {type(value).__name__} ({key})")


def _decode(spec, arrays, allowed):
    if isinstance(spec, list):
        return [_decode(v, arrays, allowed) for v in spec]
    if not isinstance(spec, dict):
        return spec
    if len(spec) == 1 and "__array__" in spec:
        return arrays[spec["__array__"]]
    if len(spec) == 1 and "__tuple__" in spec:
        return tuple(_decode(v, arrays, allowed) for v in _as(list, spec["__tuple__"]))
    if len(spec) == 1 and "__dict__" in spec:
        return {k: _decode(v, arrays, allowed) for k, v in _as(dict, spec["__dict__"]).items()}
    if len(spec) == 1 and "__generator__" in spec:
        return _make_generator(spec["__generator__"])
    if set(spec) == {"__estimator__", "params", "state"}:
        return _rebuild(spec, arrays, allowed)
    raise ValueError(f"unknown entry in model file: {sorted(spec)[:5]}")


def _rebuild(spec, arrays, allowed):
    """An estimator from its entry: class, parameters, state; then its own checks."""
    cls = _resolve_class(spec["__estimator__"], allowed)
    params = _as(dict, _decode(spec["params"], arrays, allowed))
    unknown = sorted(set(params) - set(cls._param_names()))
    if unknown:
        raise _UnknownParameters(f"{cls.__name__} has no parameter "
                                 f"{', '.join(map(repr, unknown))} any more")
    model = cls(**params)
    state = _as(dict, _decode(spec["state"], arrays, allowed))
    if hasattr(model, "_set_state"):
        model._set_state(state)
    else:
        for name, value in state.items():
            if not (name == "_rng" or (name.isidentifier() and name.endswith("_")
                                       and not name.startswith("_"))):
                raise ValueError(f"{cls.__name__} state names {name!r}, not a fitted attribute")
            setattr(model, name, value)
    if hasattr(model, "_check_fitted_state"):
        try:
            model._check_fitted_state()
        except (ValueError, TypeError) as exc:
            raise ValueError(f"the {cls.__name__} it holds fails its checks: {exc}") from None
    return model


def _as(kind, value):
    if not isinstance(value, kind):
        raise ValueError(f"expected a JSON {kind.__name__} in the model file, got "
                         f"{type(value).__name__}")
    return value


def _with_suffix(path):
    """The file :func:`save` writes for ``path``: ``.npz`` appended when missing."""
    path = Path(path)
    return path if path.suffix == ".npz" else path.with_name(path.name + ".npz")


def _default_state(model):
    state = {k: v for k, v in vars(model).items() if k.endswith("_") and not k.startswith("_")}
    if "_rng" in vars(model):
        state["_rng"] = model._rng
    return state


def _class_path(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


def _resolve_class(name, allowed):
    """A registered class, or one the caller allowed; nothing is imported by name.

    Version-1 files name a class by its full path (``scratch_genmod.density.gmm.
    GaussianMixture``): a path in this package is read as its last part.
    """
    if isinstance(name, str) and name in allowed:
        return allowed[name]
    if isinstance(name, str) and name.startswith("scratch_genmod."):
        name = name.rpartition(".")[2]
    cls = registered_estimator(name)
    if cls is None:
        raise ValueError(f"it names class {name!r}, which is not a scratch_genmod estimator; "
                         f"refusing to load it (pass your own classes as extra_classes)")
    return cls


def _make_generator(state):
    name = state.get("bit_generator") if isinstance(state, dict) else None
    bit_cls = getattr(np.random, str(name), None)
    if not (isinstance(bit_cls, type) and issubclass(bit_cls, np.random.BitGenerator)):
        raise ValueError(f"unknown random bit generator {name!r} in model file")
    bit_gen = bit_cls()
    bit_gen.state = state
    return np.random.Generator(bit_gen)
