"""Data and pictures: how fast the embedded data is made and real data is read.

Run from the repository root, one benchmark at a time, threads fixed:

    OMP_NUM_THREADS=2 flock /tmp/bench.lock python benchmarks/bench_datasets.py [--quick]

Rows (best of ``--repeat`` runs each; timing, ratio and the machine line
come from ``_bench``):

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

import numpy as np

from _bench import SHARED_DATA, best_time, peak_memory, ratio, report

from scratch_genmod.datasets import load_mnist, make_blobs, make_digits
from scratch_genmod.viz import marching_squares

MNIST_DIR = SHARED_DATA / "mnist"
HEADER = ("task", "ours (s)", "peer (s)", "ratio ours/peer", "note")


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
    rows = [bench_digits(6000 if args.quick else 60000, repeat),
            bench_mnist(repeat),
            bench_blobs(100_000 if args.quick else 1_000_000, repeat),
            bench_contours(repeat)]
    report("Data and pictures (issue 3)", rows, header=HEADER, floatfmt="{:.3g}")


def bench_digits(n, repeat):
    seconds, _ = best_time(lambda: make_digits(n, random_state=0), repeat)
    peak, _ = peak_memory(lambda: make_digits(n // 10, random_state=0))
    target = "met" if seconds * 60000 / n < 30 else "MISSED"
    return [f"make_digits({n})", seconds, None, None,
            f"{n / seconds:,.0f} images/s, target < 30 s for 60,000: {target}; "
            f"peak {peak / 2**20:.0f} MiB for {n // 10}; no peer generates digits"]


def bench_mnist(repeat):
    if not MNIST_DIR.is_dir():
        return ["load_mnist", None, None, None, f"skipped: {MNIST_DIR} not found"]
    ours, data = best_time(lambda: load_mnist(MNIST_DIR), repeat)
    theirs, reference = best_time(lambda: plain_mnist_reader(MNIST_DIR), repeat)
    same = all(np.array_equal(a, b) for a, b in zip(data, reference))
    n = len(data[0]) + len(data[2])
    return [f"load_mnist ({n:,} images)", ours, theirs, ratio(ours, theirs),
            f"peer: gzip + frombuffer, no checks; identical arrays: {same}"]


def bench_blobs(n, repeat):
    centers = np.random.default_rng(0).uniform(-10, 10, size=(5, 10))
    ours, _ = best_time(lambda: make_blobs(n, centers=centers, random_state=0), repeat)
    try:
        from sklearn.datasets import make_blobs as peer
    except ImportError:
        return [f"make_blobs({n:,}, 10-D)", ours, None, None, "peer not installed (scikit-learn)"]
    theirs, _ = best_time(lambda: peer(n, centers=centers, random_state=0), repeat)
    return [f"make_blobs({n:,}, 10-D)", ours, theirs, ratio(ours, theirs),
            "peer: sklearn.datasets.make_blobs"]


def bench_contours(repeat):
    xs = ys = np.linspace(-3, 3, 400)
    gx, gy = np.meshgrid(xs, ys)
    Z = np.sin(3 * gx) * np.cos(2 * gy) + 0.3 * gx
    ours, lines = best_time(lambda: marching_squares(Z, 0.2, xs, ys), repeat)
    try:
        from skimage.measure import find_contours
    except ImportError:
        return ["marching_squares 400x400", ours, None, None,
                f"{len(lines)} polylines; peer not installed (scikit-image)"]
    theirs, _ = best_time(lambda: find_contours(Z, 0.2), repeat)
    return ["marching_squares 400x400", ours, theirs, ratio(ours, theirs),
            f"{len(lines)} polylines; peer: skimage find_contours"]


if __name__ == "__main__":
    main()
