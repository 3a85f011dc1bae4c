"""Write a class's sheets, keys, grading table or Moodle questions, all or nothing.

The output folder and the roster are checked first; then everything is
computed and every key verified (:func:`~scratch_genmod.exam.exact.verify`)
before a file is written, and the files go into the folder all together or
not at all (:func:`scratch_genmod.outputs.write_files`), so an error leaves
the output folder as it was. The same arguments give byte-identical files.

Files, for one sheet (no roster, no count):
``exam.md`` and ``answers.md`` (or ``.tex``), or ``moodle.xml``; for a class:
``exam-<id>.md`` and ``answers-<id>.md`` per student (or ``.tex``) plus
``grading.csv``, or one ``moodle.xml`` with every variant.
"""

import csv
import io

from scratch_genmod.core.validation import check_choice, check_scalar
from scratch_genmod.exam.exact import verify
from scratch_genmod.exam.exercise import LANGS, fmt_number
from scratch_genmod.exam.markup import latex_document
from scratch_genmod.exam.moodle import machine_number, moodle_xml
from scratch_genmod.exam.roster import MAX_STUDENTS, count_roster, read_roster
from scratch_genmod.exam.sheet import generate_exam, make_exercises
from scratch_genmod.outputs import check_output_folder, write_files

__all__ = ["write_exam", "grading_csv", "FORMATS"]

FORMATS = ("markdown", "latex", "moodle")
GRADING_COLUMNS = ["student", "exercise", "type", "question", "expected", "tolerance", "shown"]


def write_exam(out_dir, seed=0, lang="fr", students=None, count=None, fmt="markdown"):
    """Write the sheet (or one per student) and its key into ``out_dir``; returns the paths written.

    Parameters
    ----------
    out_dir : str or Path
        Created if missing; files already there with other names are kept. An
        operating-system error is raised as :class:`~scratch_genmod.outputs.OutputError`
        (a ValueError) naming the path, and changes nothing.
    seed : int, default=0
    lang : {"fr", "en"}, default="fr"
    students : str, Path or None, default=None
        A roster CSV (see :func:`~scratch_genmod.exam.roster.read_roster`): one variant per student.
    count : int or None, default=None
        Instead of a roster, ``count`` variants for students ``1`` .. ``count`` (at most 2000,
        as a roster).
    fmt : {"markdown", "latex", "moodle"}, default="markdown"

    Returns
    -------
    list of Path
    """
    check_choice(lang, "lang", LANGS)
    check_choice(fmt, "fmt", FORMATS)
    seed = check_scalar(seed, "seed", int, min_val=0)
    out_dir = check_output_folder(out_dir, "out_dir")
    if students is not None and count is not None:
        raise ValueError("give students (a roster) or count, not both")
    if students is not None:
        roster = read_roster(students)
    elif count is not None:
        roster = count_roster(check_scalar(count, "count", int, min_val=1, max_val=MAX_STUDENTS))
    else:
        roster = None
    files = _files(seed, lang, roster, fmt)
    return write_files(out_dir, files, "out_dir")


def grading_csv(variants, lang):
    """The grading table as CSV text: one row per graded value of every student's sheet.

    Columns: student, exercise (its number on the sheet), type, question (the
    value asked, in the course's notation), expected (a number with a decimal
    point, or the right option), tolerance (absolute), shown (the answer as the
    key prints it, in the sheet's language).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(GRADING_COLUMNS)
    for student, exercises in variants:
        for number, ex in enumerate(exercises, start=1):
            for item in ex.items:
                if item.choices:
                    row = [item.value, "", item.value]
                else:
                    row = [machine_number(item.value), machine_number(item.tolerance), fmt_number(item.value, lang)]
                writer.writerow([student, number, ex.kind, item.label] + row)
    return buffer.getvalue()


def _files(seed, lang, roster, fmt):
    """``{file name: text}`` of everything to write, keys verified."""
    people = roster if roster is not None else [(None, None)]
    variants = []
    for student, _ in people:
        exercises = make_exercises(seed, lang, student)
        for ex in exercises:
            verify(ex)
        variants.append((student, exercises))
    if fmt == "moodle":
        return {"moodle.xml": moodle_xml([(s if s is not None else f"seed{seed}", e) for s, e in variants],
                                         lang, seed)}
    files = {}
    ext = "tex" if fmt == "latex" else "md"
    for (student, name), (_, exercises) in zip(people, variants):
        exam, answers = generate_exam(seed, lang, student, name, exercises)
        suffix = "" if student is None else f"-{student}"
        for stem, text in (("exam", exam), ("answers", answers)):
            files[f"{stem}{suffix}.{ext}"] = latex_document(text, lang) if fmt == "latex" else text + "\n"
    if roster is not None:
        files["grading.csv"] = grading_csv(variants, lang)
    return files
