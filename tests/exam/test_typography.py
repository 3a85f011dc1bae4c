"""French and English typography on every exercise type: elision, spaces before ; : ! ?, no "= ≈"."""

import re

import pytest

from scratch_genmod.exam import make_exercises
from scratch_genmod.exam.markup import to_latex
from scratch_genmod.exam.sheet import exercise_types, generate_exam

SEEDS = range(12)
KINDS = sorted({make.__name__ for make in exercise_types()})

# French drops the vowel of these words before a vowel sound: "d'EM", "l'ACP", "qu'il", "c'est".
# (Words starting with h are left out: "le hasard" keeps its vowel.)
_ELIDED = re.compile(r"(?<![\w'’])(de|le|la|que|ne|je|se|me|te|ce|jusque|lorsque|puisque)\s+"
                     r"(?=[aeiouyàâäéèêëîïôöùûüæœ])", re.IGNORECASE)
_SI_IL = re.compile(r"(?<![\w'’])si\s+ils?\b", re.IGNORECASE)


def texts(ex):
    """Every text of an exercise a student or teacher reads, maths replaced by a word (M)."""
    pieces = [ex.title, ex.statement, ex.answer] + [text for text, _ in (ex.quiz or [])]
    pieces += list(getattr(ex, "option_feedback", None) or [])
    return [re.sub(r"\$[^$]*\$", "M", piece) for piece in pieces]


def by_kind(lang):
    """{maker name: [(seed, exercise), ...]}: the makers are in sheet order, one exercise each."""
    out = {}
    for seed in SEEDS:
        for make, ex in zip(exercise_types(), make_exercises(seed, lang)):
            out.setdefault(make.__name__, []).append((seed, ex))
    return out


FR, EN = by_kind("fr"), by_kind("en")


def test_every_exercise_type_is_checked():
    assert sorted(FR) == sorted(EN) == KINDS


@pytest.mark.parametrize("kind", KINDS)
def test_french_elides_and_spaces_its_punctuation(kind):
    for seed, ex in FR[kind]:
        for text in texts(ex):
            bad = [m.group(0) for m in _ELIDED.finditer(text)] + [m.group(0) for m in _SI_IL.finditer(text)]
            assert not bad, f"seed {seed}: no elision in {bad} of {text!r}"
            glued = [text[max(0, m.start() - 15):m.end()] for m in re.finditer(r"[^\s\u00a0\u202f][;:!?]", text)]
            assert not glued, f"seed {seed}: French puts a space before ; : ! ? in {glued}"


@pytest.mark.parametrize("kind", KINDS)
def test_english_has_no_space_before_its_punctuation(kind):
    for seed, ex in EN[kind]:
        for text in texts(ex):
            spaced = [text[max(0, m.start() - 15):m.end()] for m in re.finditer(r"\s[;:!?]", text)]
            assert not spaced, f"seed {seed}: English puts no space before ; : ! ? in {spaced}"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_equals_then_approximately_in_any_key(lang):
    for seed in SEEDS:
        for text in generate_exam(seed, lang):
            for shown in (text, to_latex(text)):
                flat = shown.replace("$", "").replace("\\approx", "≈")
                assert not re.search(r"=\s*≈|≈\s*=", flat), f"seed {seed}: '= ≈' in {lang} key"


def test_an_approximate_value_is_written_inside_the_maths():
    keys = [ex.answer for seed in SEEDS for ex in make_exercises(seed, "fr") if ex.kind == "kde_value"]
    approx = [k for k in keys if "\\approx" in k]
    assert approx, "no Gaussian-kernel KDE among the seeds: widen SEEDS"
    assert all(re.search(r"\$\\hat f\([^)]*\) \\approx \d+\{,\}\d+\$", k) for k in approx)
    assert "itération d'EM" in generate_exam(0, "fr")[0]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_auto_graded_question_asks_to_justify(lang):
    words = re.compile(r"justif|say why|explain|expliquer|why\b|pourquoi", re.IGNORECASE)
    for seed in SEEDS:
        for ex in make_exercises(seed, lang):
            assert ex.items, f"{ex.kind} has no graded answer"
            assert not words.search(ex.statement), f"{ex.kind} asks to justify: {ex.statement!r}"
