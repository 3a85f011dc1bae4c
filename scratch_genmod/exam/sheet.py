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

from pathlib import Path

import numpy as np

from scratch_genmod.core.validation import check_choice, check_scalar
from scratch_genmod.exam import exercises_bayes, exercises_density, exercises_latent, exercises_markov
from scratch_genmod.exam.exercise import LANGS

__all__ = ["generate_exam", "make_exercises", "write_exam"]

_HEAD = {
    "en": ("Generative models: exercises", "Generative models: answer key",
           "Answers computed by scratch_genmod"),
    "fr": ("Modèles génératifs : exercices", "Modèles génératifs : corrigé",
           "Réponses calculées par scratch_genmod"),
}


def exercise_types():
    """The exercise makers in sheet order."""
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


def _version():
    from scratch_genmod import __version__

    return __version__
