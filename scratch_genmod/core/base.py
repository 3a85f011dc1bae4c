"""The estimator base every model of the library stands on.

The contract is scikit-learn's, so what is learnt here carries over:

* ``__init__`` only stores its arguments, unchanged, under the same names;
* ``fit(...)`` learns and returns ``self``; what it learns ends in ``_``
  (``means_``, ``transition_matrix_``);
* ``get_params()`` / ``set_params(**params)`` read and write the
  hyper-parameters, found from the ``__init__`` signature;
* a method that needs a fitted model starts with
  ``check_is_fitted(self, "<method>")``, which raises :class:`NotFittedError`
  on an unfitted one before any attribute is read (one explicit line, as in
  scikit-learn, so a reader sees the check where it happens);
* scikit-learn's tools (``clone``, ``GridSearchCV``, ``Pipeline``,
  ``check_estimator``) read the estimator's kind from ``__sklearn_tags__``,
  set by the mixins of :mod:`scratch_genmod.core.mixins`.

>>> class Coin(BaseEstimator):
...     def __init__(self, prior=0.5, random_state=None):
...         self.prior = prior
...         self.random_state = random_state
>>> Coin(prior=0.3)
Coin(prior=0.3)
>>> Coin().set_params(prior=0.9).get_params()
{'prior': 0.9, 'random_state': None}
"""

import copy
import functools
import importlib
import inspect
import sys

import numpy as np

from scratch_genmod.core.validation import check_random_state

__all__ = ["BaseEstimator", "NotFittedError", "check_is_fitted", "clone"]

class NotFittedError(ValueError):
    """Raised when a method needing a fitted model is called before ``fit``.

    A subclass of ``ValueError``, as in scikit-learn, so ``except ValueError``
    catches it too. When scikit-learn is in use (already imported by the
    caller), the error raised is also an instance of scikit-learn's own
    ``NotFittedError``, which its tools and checks expect.

    >>> try:
    ...     check_is_fitted(BaseEstimator(), "predict")
    ... except ValueError as error:
    ...     print(type(error).__name__, "-", error)
    NotFittedError - This BaseEstimator is not fitted yet: call fit(...) before predict().
    """


class BaseEstimator:
    """Base class giving parameters, a readable repr and an own random generator.

    Subclasses list every hyper-parameter as an explicit keyword of
    ``__init__`` (no ``*args``/``**kwargs``) and store it unchanged.

    >>> class Die(BaseEstimator):
    ...     def __init__(self, faces=6, random_state=None):
    ...         self.faces = faces
    ...         self.random_state = random_state
    ...     def roll(self, random_state=None):
    ...         return int(self._random_generator(random_state).integers(1, self.faces + 1))
    >>> die = Die(random_state=0)
    >>> die
    Die(random_state=0)
    >>> die.roll() == Die(random_state=0).roll()   # one seed, one stream
    True
    """

    #: The kind as scikit-learn before 1.6 read it; the mixins set it ("classifier", ...).
    _estimator_type = None

    def __sklearn_is_fitted__(self):
        """Whether ``fit`` has run: some public attribute ending in ``_`` exists."""
        return any(k.endswith("_") and not k.startswith("_") for k in vars(self))

    def __sklearn_tags__(self):
        """scikit-learn's description of this estimator (called by scikit-learn only).

        scikit-learn is imported here, when scikit-learn itself asks: the
        library runs on NumPy alone. Mixins refine the tags through
        ``super().__sklearn_tags__()``, as scikit-learn's own mixins do.
        """
        tags = importlib.import_module("sklearn.utils")
        return tags.Tags(estimator_type=None,
                         target_tags=tags.TargetTags(required=False))

    @classmethod
    def _param_names(cls):
        """Names of the hyper-parameters, read from the ``__init__`` signature."""
        init = cls.__init__
        if init is object.__init__:
            return []
        names = []
        for p in inspect.signature(init).parameters.values():
            if p.name == "self":
                continue
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                raise TypeError(
                    f"{cls.__name__}.__init__ must list its parameters explicitly, "
                    f"not as *{p.name} or **{p.name}"
                )
            names.append(p.name)
        return sorted(names)

    def get_params(self, deep=True):
        """Hyper-parameters as a dict; with ``deep``, nested ones as ``outer__inner``."""
        params = {}
        for name in self._param_names():
            value = getattr(self, name)
            params[name] = value
            if deep and isinstance(value, BaseEstimator):
                for sub, sub_value in value.get_params(deep=True).items():
                    params[f"{name}__{sub}"] = sub_value
        return params

    def set_params(self, **params):
        """Set hyper-parameters (``outer__inner`` reaches a nested estimator); returns self."""
        valid = self._param_names()
        nested = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"invalid parameter {name!r} for {type(self).__name__}; "
                    f"valid parameters are {valid}"
                )
            if sub:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
                if name == "random_state":
                    self.__dict__.pop("_rng", None)
        for name, sub_params in nested.items():
            getattr(self, name).set_params(**sub_params)
        return self

    def __repr__(self):
        defaults = {
            p.name: p.default
            for p in inspect.signature(type(self).__init__).parameters.values()
        }
        shown = [
            f"{name}={_short_repr(value)}"
            for name, value in self.get_params(deep=False).items()
            if not _same(value, defaults.get(name, inspect.Parameter.empty))
        ]
        return f"{type(self).__name__}({', '.join(shown)})"

    def _random_generator(self, random_state=None):
        """The generator a drawing method uses.

        A ``random_state`` given to the method wins. Otherwise the estimator's
        own generator is used: made once from the constructor's
        ``random_state`` and then advancing, so repeated calls give new draws
        while a whole script stays reproducible from one seed.
        """
        if random_state is not None:
            return check_random_state(random_state)
        if "_rng" not in self.__dict__:
            self._rng = check_random_state(getattr(self, "random_state", None))
        return self._rng


def check_is_fitted(estimator, method="this method", attributes=None, *, fit_call="fit"):
    """Raise :class:`NotFittedError` unless ``estimator`` has been fitted.

    Parameters
    ----------
    estimator : BaseEstimator
    method : str, default="this method"
        Name of the method that was called, for the message.
    attributes : list of str or None, default=None
        Attributes ``fit`` sets. When None, any public attribute ending in
        ``_`` counts as evidence of a fit.
    fit_call : str, default="fit"
        The method that sets ``attributes``, named in the message: a model
        can be fitted and still lack a later step (an autoencoder's latent
        density is set by ``fit_latent_density``).

    >>> class Mean(BaseEstimator):
    ...     def __init__(self):
    ...         pass
    >>> check_is_fitted(Mean(), "predict")
    Traceback (most recent call last):
    ...
    scratch_genmod.core.base.NotFittedError: This Mean is not fitted yet: call fit(...) before predict().
    >>> check_is_fitted(Mean(), "sample", ["density_"], fit_call="fit_density")
    Traceback (most recent call last):
    ...
    scratch_genmod.core.base.NotFittedError: This Mean has no density_ yet: call fit_density(...) before sample().
    """
    if attributes is None:
        fitted = estimator.__sklearn_is_fitted__()
    else:
        fitted = all(hasattr(estimator, a) for a in attributes)
    if fitted:
        return
    name, method = type(estimator).__name__, method.rstrip("()")
    if fit_call == "fit":
        state = "is not fitted yet"
    else:
        missing = [a for a in attributes or () if not hasattr(estimator, a)]
        state = f"has no {', '.join(missing) or 'fitted state'} yet"
    raise _not_fitted_class()(f"This {name} {state}: call {fit_call}(...) before {method}().")


def clone(estimator, safe=True):
    """A new, unfitted estimator with the same hyper-parameters.

    Nested estimators are cloned too; arrays and lists are copied; a
    ``numpy.random.Generator`` is shared, not copied, so draws keep advancing
    one stream.

    Parameters
    ----------
    estimator : BaseEstimator
    safe : bool, default=True
        With False, an object that is not an estimator of this library is
        rebuilt from its ``get_params()`` if it has one (a scikit-learn
        estimator), else deep-copied (a student's own density class).

    >>> class Box(BaseEstimator):
    ...     def __init__(self, size=1.0):
    ...         self.size = size
    >>> b = Box(size=2.0)
    >>> b.fitted_ = True
    >>> c = clone(b)
    >>> c, hasattr(c, "fitted_")
    (Box(size=2.0), False)
    """
    if not isinstance(estimator, BaseEstimator):
        if safe:
            raise TypeError(f"estimator must be a scratch_genmod estimator, got "
                            f"{type(estimator).__name__}; use clone(estimator, safe=False) "
                            f"to deep-copy any other object")
        if callable(getattr(estimator, "get_params", None)):
            return type(estimator)(**{k: clone(v, safe=False) if hasattr(v, "get_params")
                                      else copy.deepcopy(v)
                                      for k, v in estimator.get_params(deep=False).items()})
        return copy.deepcopy(estimator)
    params = {}
    for name, value in estimator.get_params(deep=False).items():
        if isinstance(value, BaseEstimator):
            params[name] = clone(value)
        elif isinstance(value, np.random.Generator):
            params[name] = value
        else:
            params[name] = copy.deepcopy(value)
    return type(estimator)(**params)


def _not_fitted_class():
    """NotFittedError, also scikit-learn's when scikit-learn is loaded (never imported here)."""
    sklearn_exceptions = sys.modules.get("sklearn.exceptions")
    if sklearn_exceptions is None:
        return NotFittedError
    return _both_not_fitted(sklearn_exceptions.NotFittedError)


@functools.lru_cache(maxsize=None)
def _both_not_fitted(sklearn_class):
    both = type("NotFittedError", (NotFittedError, sklearn_class),
                {"__module__": __name__, "__doc__": NotFittedError.__doc__})
    both.__qualname__ = "NotFittedError"
    return both


def _same(value, default):
    """Whether a parameter still has its default (arrays never count as default)."""
    if value is default:
        return True
    if type(value) is not type(default) or isinstance(value, np.ndarray):
        return False
    try:
        return bool(value == default)
    except (TypeError, ValueError):
        return False


def _short_repr(value, limit=60):
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
