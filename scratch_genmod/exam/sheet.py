"""An exercise sheet and its answer key, with every answer computed by the library.

Each exercise type is a function ``make(rng, lang) -> Exercise`` drawing small,
hand-friendly data (small integers, simple fractions) from ``rng``. The sheet
takes them in a fixed order, so the same seed always gives the same sheet and
a different seed gives different numbers.

A class gets one variant per student: the numbers of student ``s`` are drawn
from ``SeedSequence([seed, h(s)])`` with ``h`` a hash of the student's id, so
a student's sheet depends on the sheet seed and their own id only (adding a
student to the roster changes nobody else's sheet).

>>> exam, answers = generate_exam(seed=1, lang="en")
>>> exam.splitlines()[0]
'# Generative models: exercises (seed 1)'
>>> generate_exam(seed=1, lang="en") == (exam, answers)
True
>>> student_seed(1, "ada").entropy == student_seed(1, "ada").entropy != student_seed(1, "bob").entropy
True
"""

import hashlib
import re

import numpy as np

from scratch_genmod.core.validation import check_choice, check_scalar
from scratch_genmod.exam import (exercises_bayes, exercises_density, exercises_hmm, exercises_latent,
                                 exercises_markov, exercises_nn)
from scratch_genmod.escaping import markdown_text
from scratch_genmod.exam.exercise import LANGS

__all__ = ["generate_exam", "make_exercises", "student_seed", "exercise_types", "sheet_header"]

_HEAD = {
    "en": ("Generative models: exercises", "Generative models: answer key", "seed",
           "Answers computed by scratch_genmod", "Student", "Numbers: exact fractions a/b, "
           "else decimals rounded to 4 places with a decimal point."),
    "fr": ("Modèles génératifs : exercices", "Modèles génératifs : corrigé", "sujet",
           "Réponses calculées par scratch_genmod", "Étudiant·e", "Nombres : fractions exactes a/b, "
           "sinon décimaux arrondis à 4 chiffres après la virgule (virgule décimale)."),
}

def exercise_types():
    """The exercise makers in sheet order."""
    return (exercises_bayes.MAKERS + exercises_density.MAKERS + exercises_markov.MAKERS
            + exercises_latent.MAKERS + exercises_nn.MAKERS + exercises_hmm.MAKERS)

def student_seed(seed, student):
    """The seed sequence of one student's variant: the sheet seed and a hash of the id.

    Parameters
    ----------
    seed : int
    student : str
        The student's id (any text; only its UTF-8 bytes count).

    Returns
    -------
    numpy.random.SeedSequence
    """
    digest = hashlib.sha256(str(student).encode("utf-8")).digest()
    return np.random.SeedSequence([seed, int.from_bytes(digest[:16], "big")])

def _stream(root, name):
    """The child of ``root`` for the exercise type ``name``."""
    key = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")
    return np.random.SeedSequence(root.entropy, spawn_key=root.spawn_key + (key,))


def make_exercises(seed=0, lang="en", student=None):
    """All exercises of the sheet for ``seed`` (and ``student``'s variant), as :class:`Exercise` objects."""
    check_choice(lang, "lang", LANGS)
    seed = check_scalar(seed, "seed", int, min_val=0)
    makers = exercise_types()
    root = np.random.SeedSequence(seed) if student is None else student_seed(seed, student)
    # One child stream per exercise type, keyed by its name (not its place on the
    # sheet): adding or moving a type never changes the others' numbers.
    exercises = [make(np.random.default_rng(_stream(root, make.__name__)), lang) for make in makers]
    if lang == "fr":  # the decimal comma inside maths is written {,} so that TeX adds no space after it
        for ex in exercises:
            ex.statement, ex.answer = _math_commas(ex.statement), _math_commas(ex.answer)
    return exercises

def sheet_header(seed, lang, student=None, name=None, key=False):
    """The title line and the lines under it, as Markdown lines."""
    title, key_title, seed_word, computed, who, numbers = _HEAD[lang]
    lines = [f"# {key_title if key else title} ({seed_word} {seed})", ""]
    if student is not None:  # the roster's text, shown as text (a name may hold $, *, #...)
        name, student = (markdown_text(name) if name else name), markdown_text(student)
        lines += [f"{who}{' :' if lang == 'fr' else ':'} " + (f"{name} ({student})" if name else student), ""]
    if key:
        from scratch_genmod import __version__

        lines += [f"*{computed} {__version__}.*", ""]
    return lines + [f"*{numbers}*", ""]

def generate_exam(seed=0, lang="en", student=None, name=None, exercises=None):
    """The sheet and its answer key as two Markdown strings ``(exam, answers)``.

    Parameters
    ----------
    seed : int, default=0
        Same seed, same sheet.
    lang : {"fr", "en"}, default="en"
    student : str or None, default=None
        A student's id: their own variant (None: the sheet of ``seed`` itself).
    name : str or None, default=None
        The student's name, printed under the title.
    exercises : list of Exercise or None, default=None
        Already made exercises (else made here).
    """
    if exercises is None:
        exercises = make_exercises(seed, lang, student)
    exam = sheet_header(seed, lang, student, name)
    answers = sheet_header(seed, lang, student, name, key=True)
    for number, ex in enumerate(exercises, start=1):
        exam += [f"## {number}. {ex.title}", "", ex.statement.strip(), ""]
        answers += [f"## {number}. {ex.title}", "", ex.answer.strip(), ""]
    return "\n".join(exam), "\n".join(answers)

def _math_commas(text):
    """``0,25`` -> ``0{,}25`` inside ``$...$`` only (odd pieces of a split on ``$``)."""
    pieces = text.split("$")
    pieces[1::2] = [re.sub(r"(\d),(\d)", r"\1{,}\2", p) for p in pieces[1::2]]
    return "$".join(pieces)
