"""KMeans vs scikit-learn: milliseconds per Lloyd iteration from the same start, final inertia.

Run from the repository root, one benchmark at a time, threads fixed:

    OMP_NUM_THREADS=2 flock /tmp/bench.lock python benchmarks/bench_kmeans.py [--quick]

Data: n = 200,000 points in d = 8 from ``make_blobs`` (generated). Both
libraries start from the same k rows of the data and run Lloyd's algorithm
(scikit-learn's ``algorithm="lloyd"``) for at most 30 iterations with tol=0;
the figure is the fit's seconds divided by its iterations. No issue sets a
target: k-means is how the Gaussian mixture starts, and this says what that
start costs.
"""

import argparse

import numpy as np
from _bench import best_time, ratio, report

from scratch_genmod.datasets import make_blobs
from scratch_genmod.density import KMeans


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 points")
    args = parser.parse_args()
    n, d = (20_000 if args.quick else 200_000), 8
    try:
        from sklearn.cluster import KMeans as Peer
    except ImportError:
        Peer = None
        print("scikit-learn: peer not installed, reporting our figures only")
    rows = []
    for k in (6, 32):
        X, _ = make_blobs(n, n_features=d, centers=k, random_state=0)
        start = X[np.random.default_rng(1).choice(n, size=k, replace=False)]
        seconds, ours = best_time(lambda: KMeans(k, init=start, max_iter=30, tol=0.0).fit(X))
        ms_ours = 1e3 * seconds / ours.n_iter_
        ms_peer = inertia_peer = None
        if Peer is not None:
            seconds, peer = best_time(lambda: Peer(k, init=start, n_init=1, max_iter=30, tol=0.0,
                                                   algorithm="lloyd").fit(X))
            ms_peer, inertia_peer = 1e3 * seconds / peer.n_iter_, peer.inertia_
        rows.append([f"k={k}: ms per Lloyd iteration", ms_ours, ms_peer, ratio(ms_ours, ms_peer)])
        rows.append([f"k={k}: final inertia", ours.inertia_, inertia_peer,
                     ratio(ours.inertia_, inertia_peer)])
    report(f"KMeans, n={n}, d={d}, same start, tol=0, at most 30 iterations", rows,
           floatfmt="{:.6g}")


if __name__ == "__main__":
    main()
