import importlib
import os
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

from scratch_genmod import __version__, tour
from scratch_genmod.cli import main


def test_help_lists_subcommands(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "tour" in capsys.readouterr().out


def test_version(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert __version__ in capsys.readouterr().out


@pytest.mark.parametrize("argv", [[], ["tour", "--seed", "-3"], ["tour", "--seed", "x"], ["nope"], ["tour", "--bogus"]])
def test_bad_arguments_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "usage:" in capsys.readouterr().err


def _sections():
    ok = types.SimpleNamespace(__name__="ok", run=lambda ctx: (
        ctx.table([["a", 0.5]], header=["x", "p"], title="tab"),
        ctx.figure("f.svg", "caption").write_text("<svg/>"),
        ctx.shared.__setitem__("seen", ctx.seed)))

    def bad(ctx):
        raise RuntimeError("boom " + str(ctx.shared["seen"]))

    return [("01", "first", [ok]), ("02", "second", [types.SimpleNamespace(__name__="bad", run=bad)])]


def test_tour_runs_sections_in_order_and_reports(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(tour, "SECTIONS", _sections())
    code = main(["tour", "--quick", "--seed", "5", "--out", str(tmp_path / "out")])
    out = capsys.readouterr()
    assert code == 1  # a failing section makes the command fail
    assert "RuntimeError: boom 5" in out.out and "1 section(s) failed" in out.err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["f.svg", "index.html"]
    results = tour.run_tour(tmp_path / "out2", quick=True, sections=_sections())
    assert [(r.number, r.status) for r in results] == [("01", "ok"), ("02", "failed")]
    ok = results[0]
    assert ("figure", "f.svg", "caption") in ok.items and ok.items[0][0] == "table"


def test_the_tour_sections_are_modules_of_the_package_each_with_a_thin_demo_script():
    demos = Path(__file__).resolve().parent.parent / "demos"
    names = [name for _, _, modules in tour.SECTIONS for name in modules]
    for name in names:
        module = importlib.import_module(f"scratch_genmod.tour.{name}")
        assert callable(module.run) and module.TITLE
    scripts = sorted(demos.glob("*.py"))
    assert len(scripts) == len(names)
    called = set()
    for script in scripts:
        source = script.read_text(encoding="utf-8")
        assert "importlib" not in source and len(source.splitlines()) < 20, script.name
        called |= set(re.findall(r"from scratch_genmod\.tour\.(s\d\d_\w+) import run", source))
    assert called == set(names)


def test_a_demo_run_alone_writes_into_a_temporary_folder_not_where_it_was_started(tmp_path):
    script = Path(__file__).resolve().parent.parent / "demos" / "00_data_and_pictures.py"
    done = subprocess.run([sys.executable, str(script), "--quick"], cwd=tmp_path,
                          capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(script.parent.parent)})
    assert list(tmp_path.iterdir()) == []
    out = Path(done.stdout.strip().splitlines()[-1].removeprefix("outputs written to "))
    assert out.is_dir() and (out / "00_generated_digits.png").is_file()
    shutil.rmtree(out)


def test_tour_out_a_file_is_one_line_naming_it_exit_2_and_no_work(tmp_path, capsys):
    target = tmp_path / "file"
    target.write_text("x")
    assert main(["tour", "--quick", "--out", str(target)]) == 2
    out = capsys.readouterr()
    assert out.err == f"error: --out {target}: is a file, not a folder\n"
    assert "===" not in out.out and sorted(p.name for p in tmp_path.iterdir()) == ["file"]


@pytest.mark.parametrize("option", ["--mnist", "--text"])
def test_tour_bad_data_is_one_line_before_any_section_and_writes_nothing(tmp_path, capsys, option):
    missing = tmp_path / "nonexistent"
    assert main(["tour", "--quick", option, str(missing), "--out", str(tmp_path / "out")]) == 2
    out = capsys.readouterr()
    assert out.out == ""  # no section started
    [line] = out.err.splitlines()
    assert line.startswith(f"error: {option} {missing}: ") and "nonexistent" in line[len(option) + 8:]
    assert list(tmp_path.iterdir()) == []


def test_tour_failing_to_write_leaves_the_previous_outputs(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "f.svg").write_text("previous run")
    (out / "index.html").mkdir()  # the report cannot replace a folder: nothing may move
    monkeypatch.setattr(tour, "SECTIONS", _sections()[:1])
    assert main(["tour", "--out", str(out)]) == 2
    assert capsys.readouterr().err == f"error: cannot write {out / 'index.html'}: a folder of that name is in the way\n"
    assert (out / "f.svg").read_text() == "previous run"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_module_entry_point():
    done = subprocess.run([sys.executable, "-m", "scratch_genmod", "--version"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"scratch_genmod {__version__}"


def test_exam_help_and_readme_say_the_same_default_language(capsys):
    from pathlib import Path

    with pytest.raises(SystemExit):
        main(["exam", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    sentence = "Sheets are in French unless --lang en is given."
    assert sentence in help_text and "(default: fr)" in help_text
    readme = Path(__file__).resolve().parent.parent / "README.md"
    assert sentence in " ".join(readme.read_text(encoding="utf-8").replace("`", "").split())
