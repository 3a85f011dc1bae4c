from fractions import Fraction

import pytest

from scratch_genmod.cli import main
from scratch_genmod.exam import fmt_number, generate_exam, write_exam
from scratch_genmod.exam.exercises_bayes import gaussian_bayes


def test_same_seed_same_sheet_different_seed_different_numbers():
    assert generate_exam(4, "en") == generate_exam(4, "en")
    sheets = {generate_exam(s, "en")[0] for s in range(6)}
    assert len(sheets) == 6
    fr, en = generate_exam(4, "fr")[0], generate_exam(4, "en")[0]
    assert fr != en and "Modèles génératifs" in fr


def test_fmt_number():
    assert fmt_number(Fraction(6, 8)) == "3/4"
    assert fmt_number(1 / 3) == "1/3"
    assert fmt_number(0.1234567) == "0.1235"
    assert fmt_number(-2) == "-2"


def test_bad_arguments_name_themselves(tmp_path):
    with pytest.raises(ValueError, match="lang must be one of 'fr', 'en'; got 'de'"):
        generate_exam(0, "de")
    with pytest.raises(ValueError, match="seed must be >= 0"):
        generate_exam(-1, "en")
    with pytest.raises(TypeError, match="seed must be an int"):
        generate_exam(1.5, "en")
    with pytest.raises(SystemExit) as exc:
        main(["exam", "--lang", "de"])
    assert exc.value.code == 2


def test_cli_writes_both_files(tmp_path, capsys):
    assert main(["exam", "--seed", "7", "--lang", "en", "--out", str(tmp_path)]) == 0
    exam = (tmp_path / "exam.md").read_text(encoding="utf-8")
    answers = (tmp_path / "answers.md").read_text(encoding="utf-8")
    assert exam.startswith("# Generative models: exercises (seed 7)")
    assert answers.count("\n## ") == exam.count("\n## ") >= 3
    assert write_exam(tmp_path / "again", 7, "en")[0].read_text(encoding="utf-8") == exam


def test_exercise_direct_call_is_deterministic():
    import numpy as np

    a = gaussian_bayes(np.random.default_rng(5), "en")
    b = gaussian_bayes(np.random.default_rng(5), "en")
    assert a.statement == b.statement and a.answer == b.answer
