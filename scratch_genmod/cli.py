"""Command line: ``python -m scratch_genmod {tour,exam} ...``.

    python -m scratch_genmod --help
    python -m scratch_genmod tour --out genmod-tour --quick --seed 0
    python -m scratch_genmod exam --seed 3 --lang en --out genmod-exam

``tour`` walks through the course's sections on embedded data (see
:mod:`scratch_genmod.tour`) and says where its outputs went; ``exam`` writes an
exercise sheet and its answer key (see :mod:`scratch_genmod.exam`).
"""

import argparse
import sys

from scratch_genmod import __version__
from scratch_genmod.report import write_report
from scratch_genmod.exam.exercise import LANGS
from scratch_genmod.exam.sheet import write_exam
from scratch_genmod.tour import add_tour_arguments, parse_seed, run_tour
from scratch_genmod.viz.table import format_table

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
    tour.set_defaults(func=_tour)
    exam = commands.add_parser(
        "exam", help="write an exercise sheet and its answer key (Markdown)",
        description="Write exam.md and answers.md: same seed, same sheet.",
    )
    exam.add_argument("--seed", type=parse_seed, default=0, metavar="N", help="sheet number (default: 0)")
    exam.add_argument("--out", default="genmod-exam", metavar="DIR",
                      help="folder for exam.md and answers.md (default: ./genmod-exam)")
    exam.add_argument("--lang", choices=LANGS, default="fr", help="language of the sheet (default: fr)")
    exam.set_defaults(func=_exam)
    return parser


def main(argv=None):
    """Entry point; returns the process exit code (argparse exits 2 on bad arguments)."""
    args = build_parser().parse_args(argv)
    return args.func(args)


def _exam(args):
    exam, answers = write_exam(args.out, seed=args.seed, lang=args.lang)
    print(f"wrote {exam} and {answers}")
    return 0


def _tour(args):
    results = run_tour(args.out, quick=args.quick, seed=args.seed,
                       mnist=args.mnist, text=args.text)
    report = write_report(args.out, results, seed=args.seed, quick=args.quick)
    rows = [[r.number, r.title, r.status, f"{r.seconds:.1f} s"] for r in results]
    print("\n" + format_table(rows, header=["", "section", "status", "time"]))
    print(f"\noutputs written to {args.out}; open {report} in a browser")
    failed = [r for r in results if r.status == "failed"]
    if failed:
        print(f"{len(failed)} section(s) failed: " + ", ".join(r.title for r in failed),
              file=sys.stderr)
        return 1
    return 0
