"""The tour: the course's sections run in order, each a module of this package.

A section module (``s02_density``) defines::

    TITLE = "Kernel density estimation"

    def run(ctx):          # ctx is a TourContext
        ctx.table(rows, header=[...], title="...")   # printed and reported
        path = ctx.figure("kde.svg", "What this run's figure shows.")
        ...write the picture to path...

:data:`SECTIONS` lists them in the course's order; ``demos/`` holds one thin
script per module, which runs it alone (:func:`demo_main`).
"""

import argparse
import importlib
import sys
import tempfile
import time
import traceback

from scratch_genmod.tour.context import SectionResult, TourContext, TourInputError

__all__ = ["SECTIONS", "TourContext", "SectionResult", "TourInputError", "run_tour",
           "demo_main", "add_tour_arguments", "parse_seed"]

# (number, heading, section modules of this package) in the course's order.
SECTIONS = [
    ("00", "Data and pictures", ["s00_data"]),
    ("01", "Generative vs discriminative models", ["s01_bayes"]),
    ("02", "Density estimation: kernels and Gaussian mixtures", ["s02_density"]),
    ("02b", "Hidden Markov models: a mixture whose component follows a Markov chain",
     ["s02_hmm"]),
    ("03", "Markov chains and text generation", ["s03_markov"]),
    ("04", "Autoencoders and latent spaces", ["s04_autoencoder", "s04_latent", "s04_vae", "s04_cvae"]),
]


def run_tour(out_dir, quick=False, seed=0, mnist=None, text=None, stream=None, sections=None,
             shared=None):
    """Run every section in order; returns a list of :class:`SectionResult`.

    ``--mnist`` and ``--text`` are read first: a bad one raises
    :class:`TourInputError` before any section runs. A section that fails is
    reported (with its traceback) and the tour goes on with the next one.

    Parameters
    ----------
    out_dir : str or path-like
        Folder the figures are written into.
    quick : bool, default=False
    seed : int, default=0
    mnist, text : str or path-like or None, default=None
    stream : file-like or None, default=None (sys.stdout)
    sections : list or None, default=None
        ``(number, heading, modules)`` triples, a module given by its name in
        this package or as an object with ``run(ctx)``; None is :data:`SECTIONS`.
    shared : dict or None, default=None
        Becomes ``ctx.shared``, where sections leave results for later ones
        (a trained autoencoder, the maps they drew): pass a dict to keep them.
    """
    stream = sys.stdout if stream is None else stream
    ctx = TourContext(out_dir, quick=quick, seed=seed, mnist=mnist, text=text, stream=stream)
    ctx.check_inputs()
    if shared is not None:
        ctx.shared = shared
    sections = SECTIONS if sections is None else sections
    results = []
    for index, (number, heading, modules) in enumerate(sections, start=1):
        print(f"\n=== [{index}/{len(sections)}] {heading} ===", file=stream, flush=True)
        ctx.items = []
        start = time.perf_counter()
        status, error = "ok", ""
        for module in modules:
            try:
                _section(module).run(ctx)
            except Exception:  # noqa: BLE001 - one failing section must not hide the others
                status, error = "failed", traceback.format_exc()
                print(f"    {_name(module)} failed:\n{error}", file=stream)
        seconds = time.perf_counter() - start
        print(f"    ({seconds:.1f} s)", file=stream, flush=True)
        results.append(SectionResult(number, heading, status, seconds, ctx.items, error))
    return results


def demo_main(run, argv=None):
    """Run one section alone from the command line (what each script of ``demos/`` calls).

    Its figures go to ``--out``, or to a new temporary folder: never into the
    folder the script was started from.
    """
    parser = argparse.ArgumentParser(description=getattr(run, "__module__", None) or "demo")
    add_tour_arguments(parser, default_out=None)
    args = parser.parse_args(argv)
    out = args.out if args.out is not None else tempfile.mkdtemp(prefix="scratch_genmod-demo-")
    ctx = TourContext(out, quick=args.quick, seed=args.seed, mnist=args.mnist, text=args.text)
    try:
        ctx.check_inputs()
    except TourInputError as error:
        parser.exit(2, f"error: {error}\n")
    run(ctx)
    print(f"outputs written to {ctx.out_dir}")


def add_tour_arguments(parser, default_out):
    """The options shared by the tour and a section run alone (``default_out`` None: a temporary folder)."""
    where = "a new temporary folder" if default_out is None else f"./{default_out}"
    parser.add_argument("--out", default=default_out, metavar="DIR",
                        help=f"folder for figures and the report (default: {where})")
    parser.add_argument("--quick", action="store_true", help="short runs for a smoke test")
    parser.add_argument("--seed", type=parse_seed, default=0, metavar="N",
                        help="seed for every random draw (default: 0)")
    parser.add_argument("--mnist", metavar="DIR", default=None,
                        help="folder with the four MNIST IDX files (default: generated digits)")
    parser.add_argument("--text", metavar="PATH", default=None,
                        help="a UTF-8 book for text generation (default: the stdlib's help text)")


def parse_seed(text):
    """argparse type of --seed: an int >= 0."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text!r}")
    return value


def _section(module):
    if isinstance(module, str):
        module = importlib.import_module(f"{__name__}.{module}")
    if not callable(getattr(module, "run", None)):
        raise TypeError(f"section {_name(module)} defines no run(ctx) function")
    return module


def _name(module):
    return module if isinstance(module, str) else getattr(module, "__name__", repr(module))
