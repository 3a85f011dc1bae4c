"""The top-level package: lazy exports that are the families' own objects."""

import importlib
import subprocess
import sys

import pytest

import scratch_genmod


def test_every_top_level_name_is_the_object_of_its_family():
    for name, family in scratch_genmod._EXPORTS.items():
        module = importlib.import_module(f"scratch_genmod.{family}")
        assert name in module.__all__, (name, family)
        assert getattr(scratch_genmod, name) is getattr(module, name)
    assert set(scratch_genmod.__all__) <= set(dir(scratch_genmod))


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'GaussianMixtures'"):
        scratch_genmod.GaussianMixtures  # noqa: B018


def test_import_is_cheap_and_families_load_on_first_use():
    code = ("import sys, scratch_genmod as sg; "
            "assert 'scratch_genmod.nn' not in sys.modules; "
            "sg.Autoencoder; assert 'scratch_genmod.nn' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
