"""The top-level package: explicit exports that are the families' own objects."""

import importlib
import inspect
import subprocess
import sys

import pytest

import scratch_genmod
from scratch_genmod.core import BaseEstimator

FAMILIES = ("core", "bayes", "density", "markov", "nn", "embed", "datasets")


def test_every_top_level_name_is_the_object_of_its_family():
    for name in scratch_genmod.__all__:
        owners = [f for f in FAMILIES
                  if name in importlib.import_module(f"scratch_genmod.{f}").__all__]
        assert owners, f"{name} is exported at the top level but by no family"
        family = importlib.import_module(f"scratch_genmod.{owners[0]}")
        assert getattr(scratch_genmod, name) is getattr(family, name)


def test_every_public_model_is_importable_from_the_top_level():
    for family in FAMILIES[1:]:
        module = importlib.import_module(f"scratch_genmod.{family}")
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and issubclass(obj, BaseEstimator) and hasattr(obj, "fit"):
                assert name in scratch_genmod.__all__, f"{family}.{name} is not exported"
    # an ordinary import line, the one the README promised
    subprocess.run([sys.executable, "-c", "from scratch_genmod import VariationalAutoencoder"],
                   check=True)


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'GaussianMixtures'"):
        scratch_genmod.GaussianMixtures  # noqa: B018


def test_import_does_not_load_the_network_or_the_pictures():
    code = ("import sys, scratch_genmod; "
            "loaded = [m for m in ('urllib.request', 'http.client', 'scratch_genmod.viz', "
            "'scratch_genmod.exam') if m in sys.modules]; "
            "assert not loaded, loaded")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_public_class_has_a_doctest():
    import ast
    import pathlib
    missing = []
    for path in sorted(pathlib.Path(scratch_genmod.__file__).parent.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (isinstance(node, ast.ClassDef) and not node.name.startswith("_")
                    and ">>>" not in (ast.get_docstring(node) or "")):
                missing.append(f"{path.name}:{node.name}")
    assert not missing, f"public classes without a doctest: {missing}"
