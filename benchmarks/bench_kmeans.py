"""KMeans vs scikit-learn: milliseconds per Lloyd iteration from the same start, final inertia.

Run from the repository root, one benchmark at a time, threads fixed:

    OMP_NUM_THREADS=2 flock /tmp/bench.lock python benchmarks/bench_kmeans.py [--quick]

Three workloads: n = 200,000 points in d = 8 from ``make_blobs`` with k = 6
and k = 32 centres, and the 60,000 MNIST training images (d = 784 pixels
scaled to [0, 1], k = 10; read from ``../shared/data/mnist``, skipped when
absent). Both libraries start from the same k rows of the data and run
Lloyd's algorithm (scikit-learn's ``algorithm="lloyd"``) for at most 30
iterations with tol=0; the figure is the fit's seconds divided by its
iterations, the median of ``--repeat`` fits, ours and the peer's taking
turns so that both see the same load. Target (issue 18): ratio <= 1.0 on
all three, final inertias equal to 1e-10 relative.

Each of our iterations is Lloyd's (the same labels and means as computing
every distance), but it skips the points that a distance bound proves keep
their centre (density/hamerly.py) and updates the sums from the points that
moved; scikit-learn's ``algorithm="lloyd"`` computes every distance.
"""

import argparse
import time

import numpy as np
from _bench import SHARED_DATA, ratio, report

from scratch_genmod.datasets import load_mnist, make_blobs
from scratch_genmod.density import KMeans


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the points")
    parser.add_argument("--repeat", type=int, default=5, help="fits per library (median)")
    args = parser.parse_args()
    try:
        from sklearn.cluster import KMeans as Peer
    except ImportError:
        Peer = None
        print("scikit-learn: peer not installed, reporting our figures only")
    rows = []
    for name, X, k in workloads(args.quick):
        start = X[np.random.default_rng(1).choice(len(X), size=k, replace=False)]
        fits = {"ours": lambda: KMeans(k, init=start, max_iter=30, tol=0.0).fit(X)}
        if Peer is not None:
            fits["peer"] = lambda: Peer(k, init=start, n_init=1, max_iter=30, tol=0.0,
                                        algorithm="lloyd").fit(X)
        ms, inertia = per_iteration(fits, args.repeat)
        ms_peer, inertia_peer = ms.get("peer"), inertia.get("peer")
        rows.append([f"{name}: ms per Lloyd iteration", ms["ours"], ms_peer,
                     ratio(ms["ours"], ms_peer)])
        rows.append([f"{name}: final inertia", inertia["ours"], inertia_peer,
                     ratio(inertia["ours"], inertia_peer)])
        if inertia_peer is not None:
            rows.append([f"{name}: |inertia / peer's - 1|",
                         abs(inertia["ours"] / inertia_peer - 1), None, None])
    report(f"KMeans (same start, tol=0, at most 30 iterations, median of {args.repeat})", rows,
           floatfmt="{:.6g}")


def workloads(quick):
    """(name, X, k) of each workload."""
    n, d = (20_000 if quick else 200_000), 8
    for k in (6, 32):
        X, _ = make_blobs(n, n_features=d, centers=k, random_state=0)
        yield f"blobs n={n} d={d} k={k}", X, k
    try:
        images = load_mnist(SHARED_DATA / "mnist")[0]
    except FileNotFoundError:
        print("MNIST not found under ../shared/data/mnist: that workload is skipped")
        return
    X = images.reshape(len(images), -1)[: 6000 if quick else None] / 255.0
    yield f"MNIST n={len(X)} d={X.shape[1]} k=10", X, 10


def per_iteration(fits, repeat):
    """Median milliseconds per iteration and the final inertia of each fit, taking turns."""
    times = {name: [] for name in fits}
    inertia = {}
    for _ in range(max(1, repeat)):
        for name, fit in fits.items():
            start = time.perf_counter()
            model = fit()
            times[name].append(1e3 * (time.perf_counter() - start) / model.n_iter_)
            inertia[name] = float(model.inertia_)
    return {name: float(np.median(t)) for name, t in times.items()}, inertia


if __name__ == "__main__":
    main()
