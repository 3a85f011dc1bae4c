"""GaussianHMM and CategoricalHMM vs hmmlearn: seconds per Baum-Welch iteration, log-likelihood.

Run from the repository root, one benchmark at a time, threads fixed:

    OMP_NUM_THREADS=2 flock /tmp/bench.lock python benchmarks/bench_hmm.py [--quick]

Data: sampled from a known 4-state model (Gaussian in d = 3, diag and full
covariances; categorical over 8 symbols), cut into sequences of 300 to 1,500
observations (n = 100,000 in all; 20,000 with --quick). Both libraries start
from the same given pi_0, P and emissions and run Baum-Welch with no
stopping rule; hmmlearn without priors (covars_prior=0), ours without
reg_covar, so both compute the same maximum-likelihood steps. Seconds per
iteration are ``(time(k + 1 iterations) - time(1 iteration)) / k``, so
set-up cancels out, each the best of 3 runs taken in turns with the peer. Issue 30's targets: ratio <= 1, final log-likelihood
equal within 1e-8 relative. Record ``uptime``'s load next to the figures.
"""

import argparse
import os
import warnings

import numpy as np
from _bench import best_time, ratio, report

from scratch_genmod.markov import CategoricalHMM, GaussianHMM

S, D, K = 4, 3, 8


def make_data(n, seed=0):
    """Sequences from a sticky 4-state chain; Gaussian and categorical observations of it."""
    rng = np.random.default_rng(seed)
    P = 0.8 * np.eye(S) + 0.2 * rng.dirichlet(np.ones(S), S)
    lengths = []
    while sum(lengths) < n:
        lengths.append(int(rng.integers(300, 1501)))
    lengths[-1] -= sum(lengths) - n
    if lengths[-1] < 2:
        lengths[-2] += lengths.pop()
    states = np.concatenate([_chain(P, T, rng) for T in lengths])
    means = rng.normal(scale=2.0, size=(S, D))
    X = means[states] + rng.normal(size=(n, D)) * rng.uniform(0.5, 1.5, size=(S, D))[states]
    B = rng.dirichlet(np.ones(K), S)
    symbols = np.array([rng.choice(K, p=B[i]) for i in states])[:, None]
    return X, symbols, np.array(lengths)


def _chain(P, T, rng):
    path = [int(rng.integers(S))]
    for _ in range(T - 1):
        path.append(int(rng.choice(S, p=P[path[-1]])))
    return np.array(path)


def starting_point(X, kind, seed=1):
    """Equal pi_0, a random P, means at random observations, the data's (co)variance."""
    rng = np.random.default_rng(seed)
    start = {"startprob": np.full(S, 1.0 / S), "transmat": rng.dirichlet(np.ones(S) * 5, S)}
    if kind == "categorical":
        start["emissionprob"] = rng.dirichlet(np.ones(K), S)
    else:
        start["means"] = X[rng.choice(len(X), S, replace=False)]
        cov = np.cov(X, rowvar=False)
        start["covars"] = np.tile(np.diag(cov), (S, 1)) if kind == "diag" else np.tile(cov, (S, 1, 1))
    return start


def ours(kind, start, n_iter):
    common = dict(n_components=S, startprob_init=start["startprob"], tol=0.0, max_iter=n_iter,
                  transmat_init=start["transmat"])
    if kind == "categorical":
        return CategoricalHMM(n_symbols=K, emissionprob_init=start["emissionprob"], **common)
    return GaussianHMM(covariance_type=kind, reg_covar=0.0, means_init=start["means"],
                       covariances_init=start["covars"], **common)


def peer(kind, start, n_iter):
    from hmmlearn import hmm
    if kind == "categorical":
        model = hmm.CategoricalHMM(S, n_features=K, n_iter=n_iter, tol=-np.inf, init_params="")
        model.emissionprob_ = start["emissionprob"]
    else:
        model = hmm.GaussianHMM(S, covariance_type=kind, n_iter=n_iter, tol=-np.inf,
                                init_params="", covars_prior=0.0)
        model.means_, model.covars_ = start["means"], start["covars"]
    model.startprob_, model.transmat_ = start["startprob"], start["transmat"]
    return model


def fitted(make, kind, start, X, lengths, n_iter):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # max_iter reached on purpose
        return make(kind, start, n_iter).fit(X, lengths)


def seconds_per_iteration(makers, kind, start, X, lengths, n_iter, repeats):
    """(time(k + 1 iterations) - time(1 iteration)) / k for each maker, best of ``repeats``.

    The makers take turns within each repeat, so load on the machine hits them alike.
    """
    best = [[np.inf, np.inf] for _ in makers]
    models = [None] * len(makers)
    for _ in range(repeats):
        for m, make in enumerate(makers):
            t1, _ = best_time(lambda: fitted(make, kind, start, X, lengths, 1), repeat=1)
            tn, models[m] = best_time(lambda: fitted(make, kind, start, X, lengths, n_iter + 1),
                                      repeat=1)
            best[m] = [min(best[m][0], t1), min(best[m][1], tn)]
    return [(tn - t1) / n_iter for t1, tn in best], models


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="n = 20,000, 5 iterations")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    n, n_iter, repeats = (20_000, 5, 3) if args.quick else (100_000, 10, 3)
    try:
        import hmmlearn  # noqa: F401
        have_peer = True
    except ImportError:
        have_peer = False
        print("peer not installed: hmmlearn (only our figures are shown)")
    X, symbols, lengths = make_data(n)
    rows = []
    for kind in ("diag", "full", "categorical"):
        data = symbols if kind == "categorical" else X
        start = starting_point(X, kind)
        makers = [ours, peer] if have_peer else [ours]
        seconds, models = seconds_per_iteration(makers, kind, start, data, lengths, n_iter,
                                                repeats)
        ours_s, model = seconds[0], models[0]
        ll = model.score(data, lengths) * n
        peer_s = ll_peer = rel = None
        if have_peer:
            peer_s, ll_peer = seconds[1], models[1].score(data, lengths)
            rel = abs(ll - ll_peer) / abs(ll_peer)
        rows.append([f"{kind}: ms per Baum-Welch iteration", ours_s * 1e3,
                     None if peer_s is None else peer_s * 1e3, ratio(ours_s, peer_s)])
        rows.append([f"{kind}: log-likelihood after {n_iter + 1} iterations", f"{ll:.12g}",
                     None if ll_peer is None else f"{ll_peer:.12g}",
                     None if rel is None else f"rel. diff {rel:.1e}"])
    report(f"HMMs vs hmmlearn, n={n:,} in {len(lengths)} sequences, S={S}, d={D}, K={K}; "
           f"load before: {load_before:.2f}", rows)
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
