"""What every exercise type shares: the :class:`Exercise` record and the sheet's formatting.

The exercise makers (``exercises_*.py``) import from here, and the sheet
(``sheet.py``) imports the makers, so imports run one way:
``exercise`` <- ``exercises_*`` <- ``sheet``.

Text conventions, the same in every output (Markdown, LaTeX, Moodle, grading):

* maths is written in LaTeX between ``$...$`` (Markdown viewers render it;
  the LaTeX export keeps it as is);
* a number is an exact fraction ``a/b`` when it is one with a small
  denominator, else a decimal rounded to 4 places;
* French uses the decimal comma (``0,25``; ``0{,}25`` inside maths) and a
  space before ``:``, ``;``, ``?``; English the decimal point. The grading CSV
  and Moodle's answers always hold machine numbers with a point.
"""

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

__all__ = ["Exercise", "Answer", "graded", "fmt_number", "fmt_decimal", "join_numbers", "md_table", "tr",
           "colon", "LANGS"]

LANGS = ("fr", "en")


@dataclass(frozen=True)
class Answer:
    """One graded answer of an exercise.

    Attributes
    ----------
    label : str
        What is asked, in the course's notation (``"gamma_{3,1}"``, ``"a"``).
    value : Fraction, float, int or str
        The expected answer: a number, or for a choice the right option.
    tolerance : float, default=0.0
        Absolute tolerance a grader accepts around a number.
    choices : tuple of str, default=()
        The options of a choice (empty for a number).

    >>> Answer("p", Fraction(1, 4), 0.001)
    Answer(label='p', value=Fraction(1, 4), tolerance=0.001, choices=())
    """

    label: str
    value: object
    tolerance: float = 0.0
    choices: tuple = ()


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
    items : list of Answer
        The graded answers (grading table, Moodle questions).
    quiz : list of (str, bool) or None
        For a quiz, each option and whether it is right (Moodle multichoice).
    option_feedback : list of str or None
        For a quiz, what the key says of each option (its verdict and why), in
        the order of ``quiz`` and without its letter: Moodle shuffles the
        options, so its feedback names each option by its text.

    >>> ex = Exercise("bigram_row", "A bigram row", "Give p(w | ali).", "$p = 1/2$",
    ...               items=[graded("p(est | ali)", Fraction(1, 2))])
    >>> ex.kind, [item.label for item in ex.items]
    ('bigram_row', ['p(est | ali)'])
    """

    kind: str
    title: str
    statement: str
    answer: str
    data: dict = field(default_factory=dict)
    solution: dict = field(default_factory=dict)
    items: list = field(default_factory=list)
    quiz: list = None
    option_feedback: list = None


def graded(label, value, integer=False):
    """An :class:`Answer` for a number, with the tolerance a grader accepts.

    A count is exact (tolerance 0); any other number is accepted within
    ``1e-3 max(1, |value|)``, so a student may round to 3 decimals.

    >>> graded("mu_1", Fraction(7, 2)).tolerance, graded("n", 12, integer=True).tolerance
    (0.004, 0.0)
    """
    if integer:
        return Answer(label, int(value), 0.0)
    value = value if isinstance(value, Fraction) else float(value)
    return Answer(label, value, float(f"{1e-3 * max(1.0, abs(float(value))):.1g}"))


def fmt_number(value, lang="en", max_denominator=1000, digits=4):
    """A number as an exact fraction when it is one (``3/8``), else rounded.

    >>> fmt_number(0.375), fmt_number(Fraction(2, 3)), fmt_number(np.pi), fmt_number(2.0)
    ('3/8', '2/3', '3.1416', '2')
    >>> fmt_number(np.pi, "fr"), fmt_number(-0.5, "fr")
    ('3,1416', '-1/2')
    """
    if isinstance(value, Fraction):
        frac = value
    else:
        value = float(value)
        frac = Fraction(value).limit_denominator(max_denominator)
        if abs(float(frac) - value) > 1e-12 * max(1.0, abs(value)):
            return fmt_decimal(value, lang, digits)
    return str(frac.numerator) if frac.denominator == 1 else f"{frac.numerator}/{frac.denominator}"


def fmt_decimal(value, lang="en", digits=4):
    """A decimal rounded to ``digits`` places, trailing zeros dropped, in the language's convention.

    >>> fmt_decimal(0.12345), fmt_decimal(0.12345, "fr"), fmt_decimal(-0.00001), fmt_decimal(2.50, "fr")
    ('0.1235', '0,1235', '0', '2,5')
    """
    text = f"{float(value):.{digits}f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",") if lang == "fr" else text


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


def join_numbers(values, lang):
    """Numbers separated as each language does: ``1, 2`` in English, ``1 ; 2`` in French.

    >>> join_numbers([0.5, 2], "en"), join_numbers([0.25, np.pi], "fr")
    ('1/2, 2', '1/4 ; 3,1416')
    """
    return (" ; " if lang == "fr" else ", ").join(fmt_number(v, lang) for v in values)
