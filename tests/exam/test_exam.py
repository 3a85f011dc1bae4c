"""Sheets for a class: variants, roster errors, byte-identical files, grading CSV, Moodle XML, LaTeX."""

import csv
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from fractions import Fraction

import pytest

from scratch_genmod.cli import main
from scratch_genmod.exam import fmt_number, generate_exam, make_exercises
from scratch_genmod.exam.exercise import Exercise
from scratch_genmod.exam.exercises_bayes import gaussian_bayes
from scratch_genmod.exam.roster import RosterError
from scratch_genmod.exam.writer import write_exam

ROSTER = "id,name,group\n12,Ada Lovelace,A\n7,Alan Turing,B\n31,Grace Hopper,A\n"
# Moodle's list of grades an answer may carry (question/format/xml/format.php reads any, the
# question editor offers only these): the fractions a multichoice answer may have.
MOODLE_FRACTIONS = {"100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333",
                    "30", "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5", "0"}


def roster(tmp_path, text=ROSTER, name="class.csv"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_same_seed_same_sheet_different_seed_different_numbers():
    assert generate_exam(4, "en") == generate_exam(4, "en")
    assert len({generate_exam(s, "en")[0] for s in range(6)}) == 6
    fr, en = generate_exam(4, "fr")[0], generate_exam(4, "en")[0]
    assert fr != en and "Modèles génératifs" in fr


def test_fmt_number():
    assert fmt_number(Fraction(6, 8)) == "3/4"
    assert fmt_number(1 / 3) == "1/3"
    assert fmt_number(0.1234567) == "0.1235" and fmt_number(0.1234567, "fr") == "0,1235"
    assert fmt_number(-2) == "-2"


def test_bad_arguments_name_themselves(tmp_path):
    with pytest.raises(ValueError, match="lang must be one of 'fr', 'en'; got 'de'"):
        generate_exam(0, "de")
    with pytest.raises(ValueError, match="seed must be >= 0"):
        generate_exam(-1, "en")
    with pytest.raises(TypeError, match="seed must be an int"):
        generate_exam(1.5, "en")
    with pytest.raises(ValueError, match="fmt must be one of"):
        write_exam(tmp_path, fmt="pdf")
    with pytest.raises(ValueError, match="not both"):
        write_exam(tmp_path, students=roster(tmp_path), count=2)
    for argv in (["exam", "--lang", "de"], ["exam", "--count", "0"], ["exam", "--count", "2", "--students", "x.csv"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2


def test_a_students_sheet_depends_on_the_seed_and_their_id_only():
    ada = generate_exam(3, "en", student="12")
    assert generate_exam(3, "en", student="12") == ada
    assert generate_exam(3, "en", student="7") != ada and generate_exam(4, "en", student="12") != ada
    assert generate_exam(3, "en", student="12", name="Ada")[0].count("Student: Ada (12)") == 1


def test_adding_a_student_changes_nobody_elses_sheet(tmp_path):
    write_exam(tmp_path / "a", seed=5, lang="fr", students=roster(tmp_path))
    write_exam(tmp_path / "b", seed=5, lang="fr", students=roster(tmp_path, ROSTER + "40,Emmy Noether,B\n", "more.csv"))
    for sid in ("12", "7", "31"):
        for stem in ("exam", "answers"):
            name = f"{stem}-{sid}.md"
            assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "b" / "exam-40.md").exists() and not (tmp_path / "a" / "exam-40.md").exists()


@pytest.mark.parametrize("fmt", ["markdown", "latex", "moodle"])
def test_same_inputs_byte_identical_files(tmp_path, fmt):
    first = write_exam(tmp_path / "1", seed=2, lang="fr", count=3, fmt=fmt)
    second = write_exam(tmp_path / "2", seed=2, lang="fr", count=3, fmt=fmt)
    assert [p.name for p in first] == [p.name for p in second]
    assert all(p.read_bytes() == q.read_bytes() for p, q in zip(first, second))


@pytest.mark.parametrize("text, message", [
    ("", r"class\.csv: the roster is empty"),
    ("id,name\n", r"class\.csv: the roster has a header but no student"),
    ("id,nom\n1,Ada\n", r"class\.csv, line 1: missing column 'name'"),
    ("name,id\nAda,1\nAlan,2\nGrace,1\n", r"class\.csv, line 4: duplicate id '1' \(already on line 2\)"),
    ("id,name\n1,Ada\n2,Al\xe9\n".encode("latin-1"), r"class\.csv, line 3: not UTF-8"),
    ("id,name\n1,Ada\n../x,Alan\n", r"class\.csv, line 3: id '\.\./x' must be"),
    ("id,name\n1,Ada,extra\n", r"class\.csv, line 2: 3 fields, the header has 2"),
    ("id,name\n" + "7" * 300 + ",Ada\n", r"class\.csv, line 2: id '7{300}' is 300 characters long; at most 64"),
    ("id,name\n1,Ada\n2," + "b" * 140_000 + "\n", r"class\.csv, line 3: a field longer than 131072 characters"),
    ("id,name\n1,\"Ada\n2,Alan\n3,Grace\n", r"class\.csv, line 2: the quote \" opened on this line is never closed"),
    ('id,name\n1,"Ada" L\n', r"class\.csv, line 2: ',' expected after '\"'"),
    ('id,name\n1,"Ada\nLovelace"\n', r"class\.csv, line 2: the name holds the control character U\+000A"),
    ("id,name\n1,Ada\x00\n", r"class\.csv, line 2: the name holds the control character U\+0000"),
    ("id,name\n1," + "n" * 300 + "\n", r"class\.csv, line 2: the name is 300 characters long; at most 200"),
], ids=lambda value: repr(value[:40]))
def test_bad_roster_names_file_and_line_and_writes_nothing(tmp_path, text, message):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("teacher's file", encoding="utf-8")
    path = roster(tmp_path, text)
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(RosterError, match=message):
        write_exam(out, seed=1, students=path)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temporary folder left
    assert main(["exam", "--students", str(tmp_path / "class.csv"), "--out", str(out)]) == 2


def test_cli_out_errors_are_one_line_exit_2_and_nothing_written(tmp_path, capsys):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    assert main(["exam", "--out", str(a_file)]) == 2
    err = capsys.readouterr().err
    assert err == f"error: --out {a_file}: is a file, not a folder\n"
    assert main(["exam", "--out", str(tmp_path / ("o" * 300))]) == 2
    assert "is 300 bytes long; at most 255" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_cli_os_error_while_writing_is_one_line(tmp_path, capsys, monkeypatch):
    from scratch_genmod import outputs

    def full(source, dest):
        raise OSError(28, "No space left on device", str(source))

    monkeypatch.setattr(outputs.os, "rename", full)
    assert main(["exam", "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == f"error: cannot write {tmp_path / 'out'}: No space left on device\n"
    assert list(tmp_path.iterdir()) == []


def test_a_folder_in_the_way_leaves_the_class_as_it_was(tmp_path):
    """The issue's case: answers-2.md is a folder; no sheet of the class may change."""
    out = tmp_path / "out"
    write_exam(out, seed=1, count=2)
    (out / "answers-2.md").unlink()
    (out / "answers-2.md").mkdir()
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    with pytest.raises(ValueError, match=r"answers-2\.md: a folder of that name is in the way"):
        write_exam(out, seed=2, count=2)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_out_is_checked_before_any_work(tmp_path, monkeypatch):
    from scratch_genmod.exam import writer

    def no_work(*args, **kwargs):
        raise AssertionError("exercises made before --out was checked")

    monkeypatch.setattr(writer, "make_exercises", no_work)
    (tmp_path / "f").write_text("x")
    with pytest.raises(ValueError, match="out_dir .*f: is a file, not a folder"):
        write_exam(tmp_path / "f", count=2)


def test_a_byte_order_mark_and_blank_lines_are_accepted(tmp_path):
    path = roster(tmp_path, "\ufeffID,Name\n\n12,Ada\n".encode("utf-8"))
    paths = write_exam(tmp_path / "out", students=path, lang="en")
    assert [p.name for p in paths] == ["exam-12.md", "answers-12.md", "grading.csv"]


def test_grading_csv_holds_every_graded_value(tmp_path):
    write_exam(tmp_path, seed=9, lang="fr", students=roster(tmp_path))
    with open(tmp_path / "grading.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["student", "exercise", "type", "question", "expected", "tolerance", "shown"]
    for sid in ("12", "7", "31"):
        exercises = make_exercises(9, "fr", student=sid)
        mine = [r for r in rows if r["student"] == sid]
        assert len(mine) == sum(len(e.items) for e in exercises)
        for r, item in zip(mine, [i for e in exercises for i in e.items]):
            assert r["question"] == item.label
            if item.choices:
                assert r["expected"] == item.value and r["tolerance"] == ""
            else:
                assert abs(float(r["expected"]) - float(item.value)) <= 1e-9 * max(1, abs(float(item.value)))
                assert float(r["tolerance"]) == item.tolerance and "," not in r["expected"]


def _cloze_answers(text):
    return re.findall(r"\{1:(NUMERICAL|MULTICHOICE):([^}]*)\}", text)


def test_moodle_xml_parses_back_with_every_answer(tmp_path):
    (path,) = write_exam(tmp_path, seed=4, lang="fr", count=3, fmt="moodle")
    root = ET.parse(path).getroot()
    assert root.tag == "quiz"
    questions = root.findall("question")
    categories = [q for q in questions if q.get("type") == "category"]
    kinds = [e.kind for e in make_exercises(4, "fr", student="1")]
    assert len(categories) == len(kinds) >= 14 and len(questions) == len(kinds) * 4
    assert "sujet 4/01 " in categories[0].findtext("category/text")
    variants = {sid: make_exercises(4, "fr", student=sid) for sid in ("1", "2", "3")}
    for q in (q for q in questions if q.get("type") != "category"):
        number, kind, sid = q.findtext("name/text").split()
        ex = variants[sid][int(number) - 1]
        assert ex.kind == kind and q.findtext("questiontext/text") and q.findtext("generalfeedback/text")
        if q.get("type") == "numerical":
            (answer,) = q.findall("answer")
            (item,) = ex.items
            assert answer.get("fraction") == "100" and float(answer.findtext("tolerance")) == item.tolerance
            assert float(answer.findtext("text")) == pytest.approx(float(item.value), rel=1e-9)
        elif q.get("type") == "multichoice":
            answers = q.findall("answer")
            fractions = [a.get("fraction") for a in answers]
            right = [f for f in fractions if float(f) > 0]
            assert all(f.lstrip("-") in MOODLE_FRACTIONS for f in fractions)
            assert sum(float(f) for f in right) == pytest.approx(100, abs=1e-3)
            assert [float(f) > 0 for f in fractions] == [ok for _, ok in ex.quiz]
            # one right option: radio buttons, a wrong choice scores 0; several: a wrong tick costs
            single = len(right) == 1
            assert q.findtext("single") == ("true" if single else "false")
            assert all(float(f) == 0 if single else float(f) < 0 for f in fractions if float(f) <= 0)
        else:
            assert q.get("type") == "cloze"
            blanks = _cloze_answers(q.findtext("questiontext/text"))
            assert len(blanks) == len(ex.items)
            for (kind_, body), item in zip(blanks, ex.items):
                if item.choices:
                    assert kind_ == "MULTICHOICE" and f"={item.value}" in body
                else:
                    value, tol = body.lstrip("=").split(":")
                    assert kind_ == "NUMERICAL" and float(tol) == item.tolerance
                    assert float(value) == pytest.approx(float(item.value), rel=1e-9)


def test_latex_has_the_maths_in_latex(tmp_path):
    paths = write_exam(tmp_path, seed=1, lang="fr", fmt="latex")
    assert [p.name for p in paths] == ["exam.tex", "answers.tex"]
    sheet, key = (p.read_text(encoding="utf-8") for p in paths)
    for tex in (sheet, key):
        assert tex.startswith("\\documentclass") and tex.rstrip().endswith("\\end{document}")
    tex = sheet + key
    assert "\\alpha_1" in tex and "\\Phi_1" in tex and "p_{i,j}" in tex and "\\gamma_{t,1}" in tex
    assert tex.count("\\begin{tabular}") == tex.count("\\end{tabular}") > 3
    assert re.search(r"\d,\d", "".join(tex.split("$")[1::2])) is None  # decimal comma in maths is {,}
    assert tex.count("$") % 2 == 0


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_latex_compiles(tmp_path, lang):
    for path in write_exam(tmp_path, seed=1, lang=lang, count=1, fmt="latex")[:2]:
        run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", path.name],
                             cwd=tmp_path, capture_output=True, timeout=120)
        assert run.returncode == 0, run.stdout.decode(errors="replace")[-2000:]
        assert path.with_suffix(".pdf").exists()


# English words that never belong in a French sentence (outside maths, where \sum, \log are names).
ENGLISH = re.compile(r"\b(the|and|for|with|else|if|of|is|are|which|seed|student|answer|key|mean|"
                     r"variance along|true|false|yes|no|sum|every|compute|give|find)\b", re.IGNORECASE)


def test_french_sheets_have_no_english(tmp_path):
    for seed in range(6):
        for text in generate_exam(seed, "fr", student="9", name="Léa"):
            prose = "".join(text.split("$")[0::2]).replace("scratch_genmod", "")
            assert not ENGLISH.findall(prose), (seed, sorted(set(ENGLISH.findall(prose))))
            assert "K(u) = 3/4" not in text and " for |u|" not in text
            assert re.search(r"\d\.\d", prose.replace(_version(), "")) is None  # decimal comma everywhere


def _version():
    from scratch_genmod import __version__

    return __version__


def test_english_sheets_use_the_decimal_point():
    for seed in range(4):
        for text in generate_exam(seed, "en"):
            assert "{,}" not in text and re.search(r"\d\.\d", text)  # 4-place decimals with a point
            assert "«" not in text and " :" not in text.replace(" :=", "")


def test_cli_writes_both_files(tmp_path, capsys):
    assert main(["exam", "--seed", "7", "--lang", "en", "--out", str(tmp_path)]) == 0
    exam = (tmp_path / "exam.md").read_text(encoding="utf-8")
    answers = (tmp_path / "answers.md").read_text(encoding="utf-8")
    assert exam.startswith("# Generative models: exercises (seed 7)")
    assert answers.count("\n## ") == exam.count("\n## ") >= 14
    assert "wrote" in capsys.readouterr().out


def test_cli_class_in_every_format(tmp_path):
    path = roster(tmp_path)
    assert main(["exam", "--students", str(path), "--format", "latex", "--out", str(tmp_path / "t")]) == 0
    assert sorted(p.name for p in (tmp_path / "t").iterdir()) == sorted(
        [f"{s}-{i}.tex" for s in ("exam", "answers") for i in ("12", "7", "31")] + ["grading.csv"])
    assert main(["exam", "--count", "2", "--format", "moodle", "--out", str(tmp_path / "m")]) == 0
    assert [p.name for p in (tmp_path / "m").iterdir()] == ["moodle.xml"]


def test_exam_help_documents_every_option(capsys):
    with pytest.raises(SystemExit):
        main(["exam", "--help"])
    text = capsys.readouterr().out
    for option in ("--seed", "--out", "--lang", "--students", "--count", "--format", "markdown", "latex",
                   "moodle", "grading.csv", "decimal comma"):
        assert option in text


def test_exercise_direct_call_is_deterministic():
    import numpy as np

    a = gaussian_bayes(np.random.default_rng(5), "en")
    b = gaussian_bayes(np.random.default_rng(5), "en")
    assert isinstance(a, Exercise) and a.statement == b.statement and a.answer == b.answer


def test_a_roster_name_is_text_in_every_format(tmp_path):
    """The issue's reproducer: a name between $ signs went into the LaTeX sheet as LaTeX."""
    path = roster(tmp_path, 'id,name\n1,"$\\input{/etc/passwd}$ **bold** # <b>x</b> & 100 % _a_"\n')
    (tex, _, _) = write_exam(tmp_path / "tex", seed=1, students=path, fmt="latex")
    (md, _, _) = write_exam(tmp_path / "md", seed=1, students=path)
    latex = tex.read_text(encoding="utf-8")
    assert "\\input" not in latex and "\\textbf{bold}" not in latex
    assert ("\\$\\textbackslash{}input\\{/etc/passwd\\}\\$ **bold** \\# <b>x</b> \\& 100 \\% \\_a\\_ (1)"
            in latex.replace("\\,", ""))
    line = next(ln for ln in md.read_text(encoding="utf-8").splitlines() if "(1)" in ln)
    assert line.endswith("\\$\\\\input{/etc/passwd}\\$ \\*\\*bold\\*\\* # \\<b\\>x\\</b\\> \\& 100 % \\_a\\_ (1)")


def test_a_class_is_at_most_2000_students_checked_before_any_work(tmp_path, capsys):
    with pytest.raises(ValueError, match=r"count must be <= 2000, got 2001"):
        write_exam(tmp_path / "out", count=2001)
    many = "id,name\n" + "".join(f"{i},S{i}\n" for i in range(2001))
    with pytest.raises(RosterError, match=r"class\.csv: 2001 students; at most 2000 \(one sheet each\)"):
        write_exam(tmp_path / "out", students=roster(tmp_path, many))
    with pytest.raises(SystemExit) as exc:
        main(["exam", "--count", "2001", "--out", str(tmp_path / "out")])
    assert exc.value.code == 2 and "must be <= 2000, got 2001" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["class.csv"]
