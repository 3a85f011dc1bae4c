"""What every exercise type shares: the :class:`Exercise` record and the sheet's formatting.

The exercise makers (``exercises_*.py``) import from here, and the sheet
(``sheet.py``) imports the makers, so imports run one way:
``exercise`` <- ``exercises_*`` <- ``sheet``.
"""

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

__all__ = ["Exercise", "fmt_number", "md_table", "tr", "colon", "LANGS"]

LANGS = ("fr", "en")


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
