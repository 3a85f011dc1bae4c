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
FAMILIES = ["bayes", "markov", "density", "nn"]
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
