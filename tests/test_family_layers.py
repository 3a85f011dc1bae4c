"""The families read bottom-up: the imports of their modules, parsed, keep to the layout.

A textbook module imports nothing of the package but ``scratch_genmod.core``,
its family's ``checks`` and its own textbook modules; ``checks`` imports only
core; no module of a family imports the application side (viz, exam, tour,
report, cli); nothing but the estimators calls the fast layer (the textbook
never does).
"""

import ast
from pathlib import Path

import pytest

import scratch_genmod

PACKAGE = Path(scratch_genmod.__file__).parent
FAMILIES = ["bayes", "markov", "density", "nn", "embed"]
APPLICATION = ("viz", "exam", "tour", "report", "cli", "__main__")


def imported_modules(path):
    """Every ``scratch_genmod...`` module a file imports (module-level or not)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return [n for n in names if n == "scratch_genmod" or n.startswith("scratch_genmod.")]


def allowed_for_textbook(name, family):
    return (name.startswith("scratch_genmod.core") or name in (
        f"scratch_genmod.{family}.checks", f"scratch_genmod.{family}.textbook")
        or name.startswith(f"scratch_genmod.{family}.checks.")
        or name.startswith(f"scratch_genmod.{family}.textbook."))


@pytest.mark.parametrize("family", FAMILIES)
def test_textbook_and_checks_stand_on_core_only(family):
    folder = PACKAGE / family
    for path in sorted((folder / "textbook").glob("*.py")):
        bad = [n for n in imported_modules(path) if not allowed_for_textbook(n, family)]
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"
    bad = [n for n in imported_modules(folder / "checks.py")
           if not n.startswith("scratch_genmod.core")]
    assert not bad, f"{family}/checks.py imports {bad}"


@pytest.mark.parametrize("family", FAMILIES)
def test_family_never_imports_the_application_side(family):
    for path in sorted((PACKAGE / family).rglob("*.py")):
        bad = [n for n in imported_modules(path)
               if n.split(".")[1] in APPLICATION]
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


@pytest.mark.parametrize("family", FAMILIES)
def test_fast_layer_never_calls_the_estimators(family):
    estimators = {p.stem for p in (PACKAGE / family).glob("*.py")} - {"__init__", "checks"}
    for path in sorted((PACKAGE / family / "fast").glob("*.py")):
        bad = [n for n in imported_modules(path)
               if n.startswith(f"scratch_genmod.{family}.")
               and n.split(".")[2] in estimators | {"textbook"}]
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_the_parser_sees_a_planted_bad_import(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text("def f():\n    from scratch_genmod.viz.table import format_table\n")
    assert "scratch_genmod.viz.table" in imported_modules(planted)
    assert not allowed_for_textbook("scratch_genmod.markov.chain", "markov")


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_has_the_same_shape(family):
    folder = PACKAGE / family
    assert (folder / "textbook" / "__init__.py").is_file(), f"{family}/textbook/ is not a package"
    assert (folder / "checks.py").is_file(), f"{family}/checks.py is missing"
    assert (folder / "fast" / "__init__.py").is_file(), f"{family}/fast/ is not a package"
    assert not (folder / "textbook.py").exists(), f"{family} has a textbook.py beside textbook/"


@pytest.mark.parametrize("family", FAMILIES)
def test_a_family_uses_a_sibling_only_through_its_public_face(family):
    # the autoencoder fits a mixture on its codes through scratch_genmod.density, not gmm.py
    siblings = set(FAMILIES) - {family}
    for path in sorted((PACKAGE / family).rglob("*.py")):
        bad = [n for n in imported_modules(path)
               if len(n.split(".")) > 2 and n.split(".")[1] in siblings
               and is_module(n.split(".")[1], n.split(".")[2])]
        assert not bad, f"{path.relative_to(PACKAGE)} reaches into a sibling: {bad}"


def is_module(family, name):
    """Whether ``scratch_genmod.<family>.<name>`` is a module (not a name the family exports)."""
    return (PACKAGE / family / f"{name}.py").is_file() or (PACKAGE / family / name).is_dir()


def test_core_stands_below_every_family():
    for path in sorted((PACKAGE / "core").rglob("*.py")):
        bad = [n for n in imported_modules(path)
               if len(n.split(".")) > 1 and n.split(".")[1] in FAMILIES + ["datasets"]]
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_the_tour_imports_its_sections_as_modules():
    for path in sorted((PACKAGE / "tour").rglob("*.py")) + [PACKAGE / "cli.py"]:
        text = path.read_text(encoding="utf-8")
        assert "spec_from_file_location" not in text, f"{path.name} loads a file by path"
