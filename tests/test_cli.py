import subprocess
import sys

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


def _write_demos(folder, body):
    folder.mkdir()
    (folder / "01_ok.py").write_text(
        "TITLE = 'ok'\n"
        "def run(ctx):\n"
        "    ctx.table([['a', 0.5]], header=['x', 'p'], title='tab')\n"
        "    ctx.figure('f.svg', 'caption').write_text('<svg/>')\n"
        "    ctx.shared['seen'] = ctx.seed\n")
    (folder / "02_bad.py").write_text(body)


def test_tour_runs_sections_in_order_and_reports(tmp_path, monkeypatch, capsys):
    demos = tmp_path / "demos"
    _write_demos(demos, "def run(ctx):\n    raise RuntimeError('boom ' + str(ctx.shared['seen']))\n")
    monkeypatch.setattr(tour, "demos_dir", lambda: demos)
    code = main(["tour", "--quick", "--seed", "5", "--out", str(tmp_path / "out")])
    out = capsys.readouterr()
    assert code == 1  # a failing section makes the command fail
    assert "RuntimeError: boom 5" in out.out and "1 section(s) failed" in out.err
    assert (tmp_path / "out" / "f.svg").exists()
    results = tour.run_tour(tmp_path / "out2", quick=True)
    status = {r.number: r.status for r in results}
    assert status == {"00": "missing", "01": "ok", "02": "failed", "03": "missing", "04": "missing"}
    ok = results[1]
    assert ("figure", "f.svg", "caption") in ok.items and ok.items[0][0] == "table"


def test_tour_without_demos_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(tour, "demos_dir", lambda: None)
    assert main(["tour", "--out", str(tmp_path)]) == 0
    assert "not available yet (no demos/ folder" in capsys.readouterr().out


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
