"""Data and pictures: how fast the embedded data is made and real data is read.

Run from the repository root, one benchmark at a time, threads fixed:

    OMP_NUM_THREADS=2 flock /tmp/bench.lock python benchmarks/bench_datasets.py [--quick]

Rows (best of ``--repeat`` runs each):

- ``make_digits(60000)``: issue 3's target is under 30 s on 2 cores. No
  installed library generates digit images, so there is no peer.
- ``load_mnist`` on ``../shared/data/mnist`` (skipped when absent) against
  the shortest possible NumPy reader (``gzip`` + ``numpy.frombuffer``, no
  checks): the price of our header and size checks.
- ``make_blobs`` of 1,000,000 points in 10-D against scikit-learn's.
- ``marching_squares`` on a 400 x 400 grid against scikit-image's
  ``find_contours`` when installed.
"""

import argparse
import gzip
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scratch_genmod.datasets import load_mnist, make_blobs, make_digits  # noqa: E402
from scratch_genmod.viz import format_table, marching_squares  # noqa: E402

MNIST_DIR = ROOT / ".." / "shared" / "data" / "mnist"


def best_time(function, repeat):
    """Smallest wall-clock time of ``repeat`` calls, and the last result."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def plain_mnist_reader(directory):
    """The reference: read the four gzipped files with no validation at all."""
    def read(name, offset, shape):
        with gzip.open(directory / name) as f:
            return np.frombuffer(f.read(), np.uint8, offset=offset).reshape(shape)
    return (read("train-images-idx3-ubyte.gz", 16, (-1, 28, 28)),
            read("train-labels-idx1-ubyte.gz", 8, (-1,)),
            read("t10k-images-idx3-ubyte.gz", 16, (-1, 28, 28)),
            read("t10k-labels-idx1-ubyte.gz", 8, (-1,)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, one run each")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    repeat = 1 if args.quick else args.repeat
    rows, notes = [], []

    n_digits = 6000 if args.quick else 60000
    seconds, (X, _) = best_time(lambda: make_digits(n_digits, random_state=0), repeat)
    rows.append([f"make_digits({n_digits})", seconds, "-", "-",
                 f"{n_digits / seconds:,.0f} images/s; target < 30 s: "
                 f"{'met' if seconds * 60000 / n_digits < 30 else 'MISSED'}"])

    if MNIST_DIR.is_dir():
        ours, data = best_time(lambda: load_mnist(MNIST_DIR), repeat)
        theirs, reference = best_time(lambda: plain_mnist_reader(MNIST_DIR), repeat)
        same = all(np.array_equal(a, b) for a, b in zip(data, reference))
        rows.append(["load_mnist (70,000 images)", ours, theirs, ours / theirs,
                     f"peer: gzip + frombuffer; identical arrays: {same}"])
    else:
        notes.append(f"load_mnist skipped: {MNIST_DIR} not found")

    n_blobs = 100_000 if args.quick else 1_000_000
    centers = np.random.default_rng(0).uniform(-10, 10, size=(5, 10))
    ours, _ = best_time(lambda: make_blobs(n_blobs, centers=centers, random_state=0), repeat)
    try:
        from sklearn.datasets import make_blobs as sk_make_blobs
        theirs, _ = best_time(lambda: sk_make_blobs(n_blobs, centers=centers, random_state=0),
                              repeat)
        rows.append([f"make_blobs({n_blobs:,}, 10-D)", ours, theirs, ours / theirs,
                     "peer: sklearn.datasets.make_blobs"])
    except ImportError:
        rows.append([f"make_blobs({n_blobs:,}, 10-D)", ours, "-", "-", "scikit-learn not installed"])

    xs = ys = np.linspace(-3, 3, 400)
    gx, gy = np.meshgrid(xs, ys)
    Z = np.sin(3 * gx) * np.cos(2 * gy) + 0.3 * gx
    ours, lines = best_time(lambda: marching_squares(Z, 0.2, xs, ys), repeat)
    try:
        from skimage.measure import find_contours
        theirs, _ = best_time(lambda: find_contours(Z, 0.2), repeat)
        rows.append(["marching_squares 400x400", ours, theirs, ours / theirs,
                     f"{len(lines)} polylines; peer: skimage find_contours"])
    except ImportError:
        rows.append(["marching_squares 400x400", ours, "-", "-",
                     f"{len(lines)} polylines; scikit-image not installed, no peer"])

    print(format_table(rows, header=["task", "ours (s)", "peer (s)", "ratio", "note"],
                       floatfmt="{:.3g}"))
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
