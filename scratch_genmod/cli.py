"""Command line: ``python -m scratch_genmod {tour,exam} ...``.

    python -m scratch_genmod --help
    python -m scratch_genmod tour --out genmod-tour --quick --seed 0
    python -m scratch_genmod exam --seed 3 --lang en --out genmod-exam
    python -m scratch_genmod exam --seed 3 --students class.csv --format latex --out exam-2027

``tour`` walks through the course's sections on embedded data (see
:mod:`scratch_genmod.tour`) and says where its outputs went; ``exam`` writes an
exercise sheet and its answer key, or one variant per student with a grading
table, as Markdown, LaTeX or Moodle XML (see :mod:`scratch_genmod.exam`).
"""

import argparse
import sys
from pathlib import Path

from scratch_genmod import __version__
from scratch_genmod.report import write_report
from scratch_genmod.exam.exercise import LANGS
from scratch_genmod.exam.roster import MAX_STUDENTS, RosterError
from scratch_genmod.exam.writer import FORMATS, write_exam
from scratch_genmod.outputs import OutputError, StagedFolder, check_output_folder
from scratch_genmod.tour import TourInputError, add_tour_arguments, parse_seed, run_tour
from scratch_genmod.tour.gallery import write_gallery
from scratch_genmod.core.table import format_table

__all__ = ["main", "build_parser"]


def build_parser():
    """The argument parser with one sub-command per job."""
    parser = argparse.ArgumentParser(
        prog="python -m scratch_genmod",
        description="The classic generative models from scratch, in NumPy only.",
    )
    parser.add_argument("--version", action="version", version=f"scratch_genmod {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    tour = commands.add_parser(
        "tour", help="walk through the whole course on embedded data, writing pictures",
        description="Run every section of the course in order and write its figures.",
    )
    add_tour_arguments(tour, default_out="genmod-tour")
    tour.add_argument("--gallery", metavar="DIR", default=None,
                      help="also copy the README's pictures and their manifest into DIR "
                           "(the repository's: python -m scratch_genmod tour --gallery docs/gallery)")
    tour.set_defaults(func=_tour)
    exam = commands.add_parser(
        "exam", help="write exercise sheets and answer keys (Markdown, LaTeX or Moodle XML)",
        description="Write an exercise sheet and its answer key, or one variant per student "
                    "(--students or --count) with a grading table grading.csv. Sheets are in French "
                    "unless --lang en is given. Every answer is "
                    "computed by the library and checked again exactly before anything is written; "
                    "the same arguments give byte-identical files.",
        epilog="Files: exam.md + answers.md for one sheet; exam-<id>.md + answers-<id>.md per "
               "student and grading.csv (columns student, exercise, type, question, expected, "
               "tolerance, shown) for a class; .tex instead of .md with --format latex; one "
               "moodle.xml (a category per exercise type, a question per variant) with --format "
               "moodle. French sheets use the decimal comma, English the decimal point; "
               "grading.csv and Moodle's answers always use a point.",
    )
    exam.add_argument("--seed", type=parse_seed, default=0, metavar="N",
                      help="sheet number: the same seed gives the same sheets (default: 0)")
    exam.add_argument("--out", default="genmod-exam", metavar="DIR",
                      help="folder for the files, created if missing (default: ./genmod-exam)")
    exam.add_argument("--lang", choices=LANGS, default="fr", help="language of the sheets (default: fr)")
    who = exam.add_mutually_exclusive_group()
    who.add_argument("--students", metavar="CSV",
                     help="roster, UTF-8 CSV with a header holding the columns id and name: one "
                          "variant per student, its numbers drawn from the seed and the student's id")
    who.add_argument("--count", type=_positive, metavar="N",
                     help=f"N variants for students 1 .. N instead of a roster (at most {MAX_STUDENTS})")
    exam.add_argument("--format", choices=FORMATS, default="markdown", dest="fmt",
                      help="markdown (.md, maths as $...$), latex (.tex for pdflatex) or moodle "
                           "(moodle.xml to import into a question bank) (default: markdown)")
    exam.set_defaults(func=_exam)
    return parser


def main(argv=None):
    """Entry point; returns the process exit code (argparse exits 2 on bad arguments)."""
    args = build_parser().parse_args(argv)
    return args.func(args)


def _exam(args):
    try:
        check_output_folder(args.out, "--out")
        paths = write_exam(args.out, seed=args.seed, lang=args.lang, students=args.students,
                           count=args.count, fmt=args.fmt)
    except (RosterError, OutputError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    shown = ", ".join(str(p) for p in paths[:4]) + (f" and {len(paths) - 4} more" if len(paths) > 4 else "")
    print(f"wrote {shown}")
    return 0


def _positive(text):
    """argparse type of --count: an int from 1 to MAX_STUDENTS."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    if value > MAX_STUDENTS:
        raise argparse.ArgumentTypeError(f"must be <= {MAX_STUDENTS}, got {value} (one sheet per student)")
    return value


def _tour(args):
    try:
        if args.gallery is not None:
            check_output_folder(args.gallery, "--gallery")
            if args.mnist or args.text:
                raise OutputError("--gallery is drawn from the embedded data: drop --mnist and --text")
        with StagedFolder(args.out) as folder:  # every file, or none, lands in --out
            results = run_tour(folder, quick=args.quick, seed=args.seed,
                               mnist=args.mnist, text=args.text)
            write_report(folder, results, seed=args.seed, quick=args.quick)
        if args.gallery is not None:
            write_gallery(Path(args.out), args.gallery, results, args.seed, args.quick)
    except (OutputError, TourInputError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    rows = [[r.number, r.title, r.status, f"{r.seconds:.1f} s"] for r in results]
    print("\n" + format_table(rows, header=["", "section", "status", "time"]))
    print(f"\noutputs written to {args.out}; open {Path(args.out) / 'index.html'} in a browser")
    if args.gallery is not None:
        print(f"gallery written to {args.gallery}")
    failed = [r for r in results if r.status == "failed"]
    if failed:
        print(f"{len(failed)} section(s) failed: " + ", ".join(r.title for r in failed),
              file=sys.stderr)
        return 1
    return 0
