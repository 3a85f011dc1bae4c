"""An exercise sheet and its answer key, with every answer computed by the library.

Each exercise type is a function ``make(rng, lang) -> Exercise`` drawing small,
hand-friendly data (small integers, simple fractions) from ``rng``. The sheet
takes them in a fixed order, so the same seed always gives the same sheet and
a different seed gives different numbers.

>>> exam, answers = generate_exam(seed=1, lang="en")
>>> exam.splitlines()[0]
'# Generative models: exercises (seed 1)'
>>> generate_exam(seed=1, lang="en") == (exam, answers)
True
"""

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from scratch_genmod.core.validation import check_choice, check_scalar

__all__ = ["Exercise", "generate_exam", "make_exercises", "write_exam", "fmt_number", "md_table", "tr", "colon", "LANGS"]

LANGS = ("fr", "en")

_HEAD = {
    "en": ("Generative models: exercises", "Generative models: answer key",
           "Answers computed by scratch_genmod"),
    "fr": ("Modèles génératifs : exercices", "Modèles génératifs : corrigé",
           "Réponses calculées par scratch_genmod"),
}


@dataclass
class Exercise:
    """One exercise: its statement and answer in Markdown, and the raw numbers.

    Attributes
    ----------
    kind : str
        The exercise type (e.g. ``"bigram_row"``).
    title : str
    statement : str
        Markdown shown on the sheet.
    answer : str
        Markdown shown in the answer key.
    data : dict
        The inputs drawn, so a test can recompute the answer independently.
    solution : dict
        The answer's values as the library computed them.
    """

    kind: str
    title: str
    statement: str
    answer: str
    data: dict = field(default_factory=dict)
    solution: dict = field(default_factory=dict)


def exercise_types():
    """The exercise makers in sheet order (imported here to keep the package light)."""
    from scratch_genmod.exam import exercises_density, exercises_latent, exercises_markov
    from scratch_genmod.exam import exercises_bayes

    return (exercises_bayes.MAKERS + exercises_density.MAKERS
            + exercises_markov.MAKERS + exercises_latent.MAKERS)


def make_exercises(seed=0, lang="en"):
    """All exercises of the sheet for ``seed``, as :class:`Exercise` objects."""
    check_choice(lang, "lang", LANGS)
    seed = check_scalar(seed, "seed", int, min_val=0)
    makers = exercise_types()
    # One child stream per exercise type: adding a type never changes the others' numbers.
    streams = np.random.SeedSequence(seed).spawn(len(makers))
    return [make(np.random.default_rng(s), lang) for make, s in zip(makers, streams)]


def generate_exam(seed=0, lang="en"):
    """The sheet and its answer key as two Markdown strings ``(exam, answers)``.

    Parameters
    ----------
    seed : int, default=0
        Same seed, same sheet.
    lang : {"fr", "en"}, default="en"
    """
    exercises = make_exercises(seed, lang)
    title, key_title, computed = _HEAD[lang]
    exam = [f"# {title} (seed {seed})", ""]
    answers = [f"# {key_title} (seed {seed})", "", f"*{computed} {_version()}.*", ""]
    for number, ex in enumerate(exercises, start=1):
        exam += [f"## {number}. {ex.title}", "", ex.statement.strip(), ""]
        answers += [f"## {number}. {ex.title}", "", ex.answer.strip(), ""]
    return "\n".join(exam), "\n".join(answers)


def write_exam(out_dir, seed=0, lang="en"):
    """Write ``exam.md`` and ``answers.md`` into ``out_dir``; returns both paths."""
    exam, answers = generate_exam(seed, lang)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "exam.md").write_text(exam + "\n", encoding="utf-8")
    (out / "answers.md").write_text(answers + "\n", encoding="utf-8")
    return out / "exam.md", out / "answers.md"


def fmt_number(value, max_denominator=1000, digits=4):
    """A number as an exact fraction when it is one (``3/8``), else rounded.

    >>> fmt_number(0.375), fmt_number(Fraction(2, 3)), fmt_number(np.pi), fmt_number(2.0)
    ('3/8', '2/3', '3.1416', '2')
    """
    if isinstance(value, Fraction):
        frac = value
    else:
        value = float(value)
        frac = Fraction(value).limit_denominator(max_denominator)
        if abs(float(frac) - value) > 1e-12 * max(1.0, abs(value)):
            return f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return str(frac.numerator) if frac.denominator == 1 else f"{frac.numerator}/{frac.denominator}"


def md_table(header, rows):
    """A small Markdown table (the sheet is Markdown)."""
    def cells(row):
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |"

    return "\n".join([cells(header), "|" + "---|" * len(header)] + [cells(r) for r in rows])


def tr(lang, en, fr):
    """Pick the text of the sheet's language."""
    return fr if lang == "fr" else en


def colon(lang):
    """A colon as each language writes it (French puts a space before it)."""
    return " :" if lang == "fr" else ":"


def _version():
    from scratch_genmod import __version__

    return __version__
