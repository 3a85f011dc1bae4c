"""The embed family reads bottom-up: the textbook imports only core, embed.checks and itself;
no module of the family imports the application side; fast code never imports an estimator."""

import ast
import pathlib

import pytest

import scratch_genmod.embed as embed

ROOT = pathlib.Path(embed.__file__).parent


def imported_modules(path):
    """Every module an ``import`` or ``from ... import`` of the file names (absolute)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: relative import"
            names.append(node.module)
    return names


def package_imports(path):
    return [name for name in imported_modules(path) if name.startswith("scratch_genmod")]


@pytest.mark.parametrize("path", sorted((ROOT / "textbook").glob("*.py")), ids=lambda p: p.name)
def test_the_textbook_stands_on_core_and_checks_only(path):
    allowed = ("scratch_genmod.core", "scratch_genmod.embed.checks", "scratch_genmod.embed.textbook")
    for name in package_imports(path):
        assert name.startswith(allowed), f"textbook/{path.name} imports {name}"


@pytest.mark.parametrize("path", sorted(ROOT.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_of_the_family_imports_the_application_side(path):
    for name in package_imports(path):
        for side in ("viz", "exam", "tour", "report", "cli"):
            if name == f"scratch_genmod.{side}" or name.startswith(f"scratch_genmod.{side}."):
                pytest.fail(f"embed/{path.relative_to(ROOT)} imports {name}")


@pytest.mark.parametrize("path", sorted((ROOT / "fast").glob("*.py")), ids=lambda p: p.name)
def test_fast_code_never_calls_an_estimator(path):
    for name in package_imports(path):
        if name.startswith("scratch_genmod.embed"):
            assert name.startswith("scratch_genmod.embed.fast"), f"fast/{path.name} imports {name}"
