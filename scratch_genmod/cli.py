"""Command line: ``python -m scratch_genmod {tour} ...``.

    python -m scratch_genmod --help
    python -m scratch_genmod tour --out genmod-tour --quick --seed 0

``tour`` walks through the course's sections on embedded data (see
:mod:`scratch_genmod.tour`) and says where its outputs went.
"""

import argparse
import sys

from scratch_genmod import __version__
from scratch_genmod.report import write_report
from scratch_genmod.tour import add_tour_arguments, run_tour
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
    return parser


def main(argv=None):
    """Entry point; returns the process exit code (argparse exits 2 on bad arguments)."""
    args = build_parser().parse_args(argv)
    return args.func(args)


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
