"""Save and load fitted models without pickle: ``.npz`` arrays + JSON metadata.

A pickle file runs code when it is loaded; a model file here cannot. It holds
the model's arrays, read back with ``allow_pickle=False``, and one JSON
document: the format version, the class to rebuild (only estimator classes of
this package, or classes the caller names explicitly), its hyper-parameters
and its fitted state. Nested estimators, lists, tuples, dicts with string
keys, numbers, strings and random generators are written as tagged JSON.

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

import importlib
import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from scratch_genmod.core.base import BaseEstimator

__all__ = ["save", "load", "FORMAT_VERSION"]

FORMAT_VERSION = 1
_META_KEY = "__meta__"


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
    meta = {"format_version": FORMAT_VERSION, "model": _encode(model, "m", arrays)}
    arrays[_META_KEY] = np.array(json.dumps(meta))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez_compressed(f, **arrays)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return path


def load(path, extra_classes=()):
    """Rebuild a model written by :func:`save`.

    Parameters
    ----------
    path : str or path-like
        The path given to :func:`save`: ``load("m")`` reads the ``m.npz`` that
        ``save(model, "m")`` wrote (a file named exactly ``path`` comes first).
    extra_classes : iterable of classes, default=()
        Estimator classes outside this package that the file may name (your
        own subclasses). Nothing else is ever imported or called.

    Raises
    ------
    ValueError
        If the file is truncated or not a model file, names a class that is
        not allowed, or has a newer format version than this library reads.
    """
    path = Path(path)
    if not path.exists():
        path = _with_suffix(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except FileNotFoundError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as exc:
        raise ValueError(f"{path} is not a readable scratch_genmod model file ({exc})") from None
    try:
        meta = json.loads(str(arrays.pop(_META_KEY)))
        version = meta["format_version"]
        spec = meta["model"]
    except (KeyError, ValueError, TypeError):
        raise ValueError(f"{path} has no valid scratch_genmod metadata") from None
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ValueError(
            f"{path} has format version {version!r}, newer than this library reads "
            f"({FORMAT_VERSION}); upgrade scratch_genmod"
        )
    allowed = {_class_path(c): c for c in extra_classes}
    try:
        return _decode(spec, arrays, allowed)
    except _UnknownParameters as exc:
        raise ValueError(f"{path} has format version {version}, saved by an older "
                         f"scratch_genmod: {exc}; fit the model again and save it") from None
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{path} is corrupted or tampered with ({exc!r})") from None


class _UnknownParameters(ValueError):
    """A file names parameters the class no longer has: it was saved by an older version."""


def _encode(value, key, arrays):
    """Turn ``value`` into JSON, storing its arrays in ``arrays`` under keys from ``key``."""
    if isinstance(value, BaseEstimator):
        state = value._get_state() if hasattr(value, "_get_state") else _default_state(value)
        return {"__estimator__": _class_path(type(value)),
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
    if "__array__" in spec:
        return arrays[spec["__array__"]]
    if "__tuple__" in spec:
        return tuple(_decode(v, arrays, allowed) for v in spec["__tuple__"])
    if "__dict__" in spec:
        return {k: _decode(v, arrays, allowed) for k, v in spec["__dict__"].items()}
    if "__generator__" in spec:
        return _make_generator(spec["__generator__"])
    if "__estimator__" in spec:
        cls = _resolve_class(spec["__estimator__"], allowed)
        params = _decode(spec["params"], arrays, allowed)
        unknown = sorted(set(params) - set(cls._param_names()))
        if unknown:
            raise _UnknownParameters(f"{cls.__name__} has no parameter "
                                     f"{', '.join(map(repr, unknown))} any more")
        model = cls(**params)
        state = _decode(spec["state"], arrays, allowed)
        if hasattr(model, "_set_state"):
            model._set_state(state)
        else:
            for name, value in state.items():
                setattr(model, name, value)
        return model
    raise ValueError(f"unknown entry in model file: {sorted(spec)}")


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


def _resolve_class(class_path, allowed):
    """Only classes of this package (or named by the caller) are ever rebuilt."""
    if class_path in allowed:
        return allowed[class_path]
    module_name, _, name = str(class_path).rpartition(".")
    refused = ValueError(
        f"model file names class {class_path!r}, which is not a scratch_genmod "
        "estimator; refusing to load it"
    )
    if not (module_name == "scratch_genmod" or module_name.startswith("scratch_genmod.")):
        raise refused
    try:
        cls = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError):
        raise refused from None
    if not (isinstance(cls, type) and issubclass(cls, BaseEstimator)):
        raise refused
    return cls


def _make_generator(state):
    name = state.get("bit_generator") if isinstance(state, dict) else None
    bit_cls = getattr(np.random, str(name), None)
    if not (isinstance(bit_cls, type) and issubclass(bit_cls, np.random.BitGenerator)):
        raise ValueError(f"unknown random bit generator {name!r} in model file")
    bit_gen = bit_cls()
    bit_gen.state = state
    return np.random.Generator(bit_gen)
