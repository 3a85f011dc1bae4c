"""KMeans vs scikit-learn: milliseconds per Lloyd iteration from the same start, final inertia.

Run from the repository root, one benchmark at a time, threads fixed:

    OMP_NUM_THREADS=2 flock /tmp/bench.lock python benchmarks/bench_kmeans.py [--quick]

Workloads: n = 200,000 points in d = 8 from ``make_blobs`` with k = 6
and k = 32 centres; the same n from data with no cluster structure at all, a
Gaussian cloud (d = 8 with k = 6 and k = 32, d = 32 with k = 16) and uniform
data in the unit cube (d = 2 with k = 10, d = 16 with k = 32), where few
points are provably settled and the bounds are rarely built
(density/fast/kmeans_iterations.py); and the 60,000 MNIST training images
(d = 784 pixels scaled to [0, 1], k = 10; read from ``../shared/data/mnist``,
skipped when absent). Both libraries start from the same k rows of the data and run
Lloyd's algorithm (scikit-learn's ``algorithm="lloyd"``) for at most 30
iterations with tol=0; the figure is the fit's seconds divided by its
iterations, the median of ``--repeat`` fits, ours and the peer's taking
turns so that both see the same load. Target (issues 18 and 29): ratio <=
1.0 on every workload, final inertias equal to 1e-10 relative. Run it three
times and take the medians: scikit-learn's own figure moves by 10-40 % from
run to run.

Each of our iterations is Lloyd's (the same labels and means as computing
every distance), but where it pays it skips the points that a distance bound
proves keep their centre (density/fast/hamerly.py), and it updates the sums
from the points that moved; scikit-learn's ``algorithm="lloyd"`` computes
every distance. The table's title gives the load average before and after.

``--scaling`` runs each library on one thread and on two (ours by
``n_threads``, scikit-learn's OpenMP loop by threadpoolctl), taking turns,
and prints both ratios and what the second thread gains each library.
"""

import argparse
import os
import time

import numpy as np
from _bench import SHARED_DATA, ratio, report

from scratch_genmod.datasets import load_mnist, make_blobs
from scratch_genmod.density import KMeans


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the points")
    parser.add_argument("--repeat", type=int, default=5, help="fits per library (median)")
    parser.add_argument("--only", default="", help="run the workloads whose name has this text")
    parser.add_argument("--scaling", action="store_true",
                        help="one thread and two for each library, and the gain from the second")
    args = parser.parse_args()
    try:
        from sklearn.cluster import KMeans as Peer
    except ImportError:
        Peer = None
        print("scikit-learn: peer not installed, reporting our figures only")
    rows = []
    load_before = os.getloadavg()[0]
    for name, X, k in workloads(args.quick):
        if args.only not in name:
            continue
        start = X[np.random.default_rng(1).choice(len(X), size=k, replace=False)]
        if args.scaling:
            rows += scaling_rows(name, X, k, start, Peer, args.repeat)
            continue
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
    report(f"KMeans (same start, tol=0, at most 30 iterations, median of {args.repeat}; "
           f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after)", rows,
           floatfmt="{:.6g}")


def workloads(quick):
    """(name, X, k) of each workload."""
    n, d = (20_000 if quick else 200_000), 8
    for k in (6, 32):
        X, _ = make_blobs(n, n_features=d, centers=k, random_state=0)
        yield f"blobs n={n} d={d} k={k}", X, k
    rng = np.random.default_rng(0)
    for d, k in ((8, 6), (8, 32), (32, 16)):
        yield f"Gaussian cloud n={n} d={d} k={k}", rng.normal(size=(n, d)), k
    for d, k in ((2, 10), (16, 32)):
        yield f"uniform n={n} d={d} k={k}", rng.uniform(size=(n, d)), k
    try:
        images = load_mnist(SHARED_DATA / "mnist")[0]
    except FileNotFoundError:
        print("MNIST not found under ../shared/data/mnist: that workload is skipped")
        return
    X = images.reshape(len(images), -1)[: 6000 if quick else None] / 255.0
    yield f"MNIST n={len(X)} d={X.shape[1]} k=10", X, 10


def scaling_rows(name, X, k, start, Peer, repeat):
    """Rows of ms per iteration on one thread and on two, and each library's gain from the second."""
    fits = {}
    if Peer is not None:
        from threadpoolctl import ThreadpoolController  # installed with scikit-learn
        controller = ThreadpoolController()  # made once: making one reads every library
    for threads in (1, 2):
        fits["ours", threads] = lambda t=threads: KMeans(k, init=start, max_iter=30, tol=0.0,
                                                          n_threads=t).fit(X)
        if Peer is not None:
            fits["peer", threads] = lambda t=threads: peer_fit(Peer, k, start, X, controller, t)
    ms = per_iteration(fits, repeat)[0]
    rows = []
    for threads in (1, 2):
        peer = ms.get(("peer", threads))
        rows.append([f"{name}: ms per iteration, {threads} thread(s)", ms["ours", threads], peer,
                     ratio(ms["ours", threads], peer)])
    gain = [ms[lib, 1] / ms[lib, 2] if (lib, 2) in ms else None for lib in ("ours", "peer")]
    rows.append([f"{name}: speed-up from the second thread", gain[0], gain[1], None])
    return rows


def peer_fit(Peer, k, start, X, controller, threads):
    """scikit-learn's Lloyd fit with its OpenMP loop (and BLAS) on ``threads`` threads."""
    with controller.limit(limits=threads):
        return Peer(k, init=start, n_init=1, max_iter=30, tol=0.0, algorithm="lloyd").fit(X)


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
