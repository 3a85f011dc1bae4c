"""The tour: the course's sections run in order, each by its scripts in ``demos/``.

A demo script is a plain module of ``demos/`` whose name starts with its
section's number (``02_density_estimation.py``). It defines::

    TITLE = "Kernel density estimation"

    def run(ctx):          # ctx is a TourContext
        ctx.table(rows, header=[...], title="...")   # printed and reported
        path = ctx.figure("kde.svg", "What to look at in this figure.")
        ...write the picture to path...

    if __name__ == "__main__":
        demo_main(run)     # the same demo alone: --out, --quick, --seed, ...

The tour finds the scripts next to the installed package (a source checkout
installed with ``pip install -e .``), runs each section's scripts in order,
and says which sections are not available.
"""

import argparse
import importlib.util
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from scratch_genmod.core.table import format_table

__all__ = ["SECTIONS", "TourContext", "SectionResult", "run_tour", "demo_main", "demos_dir"]

# (number prefix of the demo files, heading) in the course's order.
SECTIONS = [
    ("00", "Data and pictures"),
    ("01", "Generative vs discriminative models"),
    ("02", "Density estimation: kernels and Gaussian mixtures"),
    ("03", "Markov chains and text generation"),
    ("04", "Autoencoders and latent spaces"),
]


class TourContext:
    """What a demo receives: options, an output folder, and a record for the report.

    Attributes
    ----------
    out_dir : pathlib.Path
        Folder where figures are written (created if needed).
    quick : bool
        Short runs (smaller data, fewer epochs) for a smoke test.
    seed : int
        The one seed the whole tour is reproducible from.
    mnist, text : pathlib.Path or None
        Real data given on the command line, or None for embedded data.
    shared : dict
        Results a demo leaves for later ones (e.g. a trained autoencoder).
    items : list of tuple
        ``("text", str)``, ``("table", title, str)`` and
        ``("figure", file name, caption)`` in the order they were made.
    """

    def __init__(self, out_dir, quick=False, seed=0, mnist=None, text=None, stream=None):
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.quick, self.seed = bool(quick), int(seed)
        self.mnist = Path(mnist) if mnist else None
        self.text = Path(text) if text else None
        self.stream = sys.stdout if stream is None else stream
        self.shared, self.items = {}, []

    def say(self, text):
        """Print a line of commentary and keep it for the report."""
        print(text, file=self.stream)
        self.items.append(("text", str(text)))

    def table(self, rows, header=None, title=None, floatfmt="{:.4g}"):
        """Print an aligned table (see :func:`format_table`) and keep it; returns its text."""
        text = format_table(rows, header=header, floatfmt=floatfmt)
        print(("\n" + title if title else "") + "\n" + text + "\n", file=self.stream)
        self.items.append(("table", title or "", text))
        return text

    def figure(self, name, caption):
        """Reserve ``out_dir/name`` for a figure with a one-sentence caption; returns the path."""
        path = self.out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        self.items.append(("figure", name, caption))
        return path


@dataclass
class SectionResult:
    """How one section of the tour went."""

    number: str
    title: str
    status: str  # "ok", "missing" or "failed"
    seconds: float = 0.0
    items: list = field(default_factory=list)
    error: str = ""


def demos_dir():
    """The ``demos/`` folder beside the package, or None when it is not there."""
    path = Path(__file__).resolve().parent.parent / "demos"
    return path if path.is_dir() else None


def run_tour(out_dir, quick=False, seed=0, mnist=None, text=None, stream=None):
    """Run every section's demos in order; returns a list of :class:`SectionResult`.

    A demo that fails is reported (with its traceback) and the tour goes on
    with the next section.
    """
    stream = sys.stdout if stream is None else stream
    ctx = TourContext(out_dir, quick=quick, seed=seed, mnist=mnist, text=text, stream=stream)
    folder = demos_dir()
    results = []
    for index, (number, heading) in enumerate(SECTIONS, start=1):
        scripts = sorted(folder.glob(f"{number}*.py")) if folder else []
        print(f"\n=== [{index}/{len(SECTIONS)}] {heading} ===", file=stream, flush=True)
        if not scripts:
            why = "no demos/ folder beside the package" if folder is None else "no demo yet"
            print(f"    not available yet ({why})", file=stream)
            results.append(SectionResult(number, heading, "missing"))
            continue
        ctx.items = []
        start = time.perf_counter()
        status, error = "ok", ""
        for script in scripts:
            try:
                _load_demo(script).run(ctx)
            except Exception:  # noqa: BLE001 - one failing demo must not hide the others
                status, error = "failed", traceback.format_exc()
                print(f"    {script.name} failed:\n{error}", file=stream)
        seconds = time.perf_counter() - start
        print(f"    ({seconds:.1f} s)", file=stream, flush=True)
        results.append(SectionResult(number, heading, status, seconds, ctx.items, error))
    return results


def demo_main(run, argv=None):
    """Run one demo alone from the command line (what ``if __name__ == "__main__"`` calls)."""
    parser = argparse.ArgumentParser(description=(run.__module__ or "demo"))
    add_tour_arguments(parser, default_out="demo-out")
    args = parser.parse_args(argv)
    ctx = TourContext(args.out, quick=args.quick, seed=args.seed, mnist=args.mnist, text=args.text)
    run(ctx)
    print(f"outputs written to {ctx.out_dir}")


def add_tour_arguments(parser, default_out):
    """The options shared by the tour and a demo run alone."""
    parser.add_argument("--out", default=default_out, metavar="DIR",
                        help=f"folder for figures and the report (default: ./{default_out})")
    parser.add_argument("--quick", action="store_true", help="short runs for a smoke test")
    parser.add_argument("--seed", type=parse_seed, default=0, metavar="N",
                        help="seed for every random draw (default: 0)")
    parser.add_argument("--mnist", metavar="DIR", default=None,
                        help="folder with the four MNIST IDX files (default: generated digits)")
    parser.add_argument("--text", metavar="PATH", default=None,
                        help="a UTF-8 book for text generation (default: the stdlib's help text)")


def parse_seed(text):
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text!r}")
    return value


def _load_demo(path):
    spec = importlib.util.spec_from_file_location(f"scratch_genmod_demo_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not callable(getattr(module, "run", None)):
        raise TypeError(f"{path.name} defines no run(ctx) function")
    return module
