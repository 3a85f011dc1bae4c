"""The estimator classes a model file may name: an explicit list, filled by the families.

:func:`scratch_genmod.core.load` rebuilds an object only when its class is in
this registry (or is given by the caller). Nothing is ever imported by a name
read from a file: each family registers its estimators when it is imported,
with the decorator below, and ``load`` imports the package's public names
first, so the registry is complete before a file is read.

A class is registered under its own name (``"GaussianMixture"``), which is
also the name written in a model file: a file keeps loading when a class
moves to another module. A subclass is not registered with its parent; it
must be registered in its own right (or passed to ``load``).

>>> from scratch_genmod.core.base import BaseEstimator
>>> @register_estimator
... class Tally(BaseEstimator):
...     pass
>>> registered_estimator("Tally") is Tally
True
>>> registered_estimator("os.system") is None
True
"""

from scratch_genmod.core.base import BaseEstimator

__all__ = ["register_estimator", "registered_estimator", "registered_estimators"]

_ESTIMATORS = {}


def register_estimator(cls):
    """Class decorator: allow model files to rebuild ``cls``; returns ``cls`` unchanged.

    Raises
    ------
    TypeError
        If ``cls`` is not a :class:`BaseEstimator` subclass.
    ValueError
        If another class is already registered under the same name.
    """
    if not (isinstance(cls, type) and issubclass(cls, BaseEstimator)):
        raise TypeError(f"only BaseEstimator subclasses can be registered, got {cls!r}")
    known = _ESTIMATORS.setdefault(cls.__name__, cls)
    if known is not cls and _class_path(known) != _class_path(cls):
        raise ValueError(f"two estimators are named {cls.__name__!r}: {_class_path(known)} "
                         f"and {_class_path(cls)}; model files could not tell them apart")
    _ESTIMATORS[cls.__name__] = cls  # a module reloaded: its new class wins
    return cls


def registered_estimator(name):
    """The class registered under ``name``, or None."""
    return _ESTIMATORS.get(name) if isinstance(name, str) else None


def registered_estimators():
    """A copy of the registry: ``{name: class}``."""
    return dict(_ESTIMATORS)


def _class_path(cls):
    return f"{cls.__module__}.{cls.__qualname__}"
