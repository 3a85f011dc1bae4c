"""Exercise sheets with answer keys computed by the library (``python -m scratch_genmod exam``)."""

from scratch_genmod.exam.exact import KeyMismatchError, verify
from scratch_genmod.exam.exercise import Answer, Exercise, fmt_number
from scratch_genmod.exam.sheet import generate_exam, make_exercises, student_seed
from scratch_genmod.exam.writer import write_exam

__all__ = ["Exercise", "Answer", "generate_exam", "make_exercises", "student_seed", "fmt_number",
           "verify", "KeyMismatchError", "write_exam"]
