"""Exercise sheets with answer keys computed by the library (``python -m scratch_genmod exam``)."""

from scratch_genmod.exam.exercise import Exercise, fmt_number
from scratch_genmod.exam.sheet import generate_exam, make_exercises, write_exam

__all__ = ["Exercise", "generate_exam", "make_exercises", "write_exam", "fmt_number"]
