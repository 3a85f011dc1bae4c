"""Every registered estimator documents each parameter of its constructor once, under Parameters.

A class whose parameters are its parent's says so ("Parameters are those of
:class:`Parent`") and is checked against the parent's section.
"""

import importlib
import inspect
import pkgutil
import re

import pytest

import scratch_genmod
from scratch_genmod.core.registry import registered_estimators


def _all_estimators():
    """Every class registered once all of the package's modules are imported."""
    for module in pkgutil.walk_packages(scratch_genmod.__path__, "scratch_genmod."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    return sorted(registered_estimators().items())


def documented_parameters(docstring):
    """The names in a numpydoc ``Parameters`` section (of a dedented docstring): ``a : type``, ``a, b : type``."""
    section = re.search(r"^Parameters\n-+\n(.*?)(?=^\S[^\n]*\n-+\n|\Z)", docstring, re.S | re.M)
    if section is None:
        return []
    names = []
    for line in section.group(1).splitlines():
        entry = re.match(r"^(\*{0,2}[A-Za-z_][\w, *]*?) :", line)
        if entry:
            names += [name.strip().lstrip("*") for name in entry.group(1).split(",")]
    return names


def test_documented_parameters_reads_numpydoc():
    doc = """Summary.

    Parameters
    ----------
    lr : float
        Step.
    beta1, beta2 : float
        Rates.

    Attributes
    ----------
    t_ : int
    """
    assert documented_parameters(inspect.cleandoc(doc)) == ["lr", "beta1", "beta2"]


@pytest.mark.parametrize("name, cls", _all_estimators())
def test_each_constructor_parameter_is_documented_once(name, cls):
    expected = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
    doc = inspect.getdoc(cls) or ""
    parent = re.search(r"Parameters are those of :class:`~?([\w.]+)`", doc)
    if parent and not documented_parameters(doc):
        (base,) = [c for c in cls.__mro__[1:] if c.__name__ == parent.group(1).split(".")[-1]]
        doc = inspect.getdoc(base)
    documented = documented_parameters(doc)
    assert sorted(documented) == sorted(expected), (name, documented, expected)
