"""Section 4: looking at a latent space - PCA projection vs autoencoder codes + t-SNE.

The course draws MNIST twice: projected on its first two principal
components (a linear map: the digits overlap in a few smeared clouds), and
as autoencoder codes laid out by t-SNE (the classes come apart). Each map is
scored by its trustworthiness T(k): 1 when every point's k nearest
neighbours in the picture are among its k nearest in the data.

Runs after :mod:`s04_autoencoder` and reuses the autoencoder and digits it
leaves in ``ctx.shared``; run alone, it trains a small autoencoder itself.
"""

import time

import numpy as np

from scratch_genmod.datasets import make_digits
from scratch_genmod.embed import PCA, TSNE, trustworthiness
from scratch_genmod.nn import Autoencoder
from scratch_genmod.tour.measures import describe_map, neighbour_confusion
from scratch_genmod.viz import scatter

TITLE = "Latent spaces: PCA projection vs autoencoder codes + t-SNE"

N_NEIGHBORS = 10


def run(ctx):
    X, y, autoencoder, source = _digits_and_autoencoder(ctx)
    n = 300 if ctx.quick else 1000
    # the last digits: held out from the autoencoder's training by s04_autoencoder
    X, y = X[-n:].astype(np.float64), np.asarray(y[-n:])
    ctx.say(f"{n} {source}; each map is scored by its trustworthiness T({N_NEIGHBORS}) "
            "against the 784 pixels.")

    start = time.perf_counter()
    # two axes only: the randomized solver needs a few products with X, where a
    # full SVD of a 1000 x 784 matrix makes hundreds of small LAPACK calls
    pca = PCA(n_components=2, svd_solver="randomized", random_state=ctx.seed).fit(X)
    Y_pca = pca.transform(X)
    t_pca = time.perf_counter() - start

    start = time.perf_counter()
    codes = np.asarray(autoencoder.encode(X.astype(np.float32)), dtype=np.float64)
    Y_tsne = TSNE(perplexity=30.0, max_iter=500 if ctx.quick else 1000,
                  random_state=ctx.seed, progress=True).fit_transform(codes)
    t_tsne = time.perf_counter() - start

    rows = [
        ["PCA, 2 components", _trust(X, Y_pca), t_pca],
        [f"autoencoder codes ({codes.shape[1]}), then t-SNE", _trust(X, Y_tsne), t_tsne],
        [f"autoencoder codes themselves ({codes.shape[1]}-D)", _trust(X, codes), None],
    ]
    ctx.table([[name, tw, "-" if t is None else t] for name, tw, t in rows],
              header=["map", f"trustworthiness T({N_NEIGHBORS})", "seconds"],
              floatfmt="{:.3f}", title="How well each map keeps the digits' neighbourhoods")
    trust_pca, trust_tsne = rows[0][1], rows[1][1]
    ctx.shared["maps"] = {"labels": y, "PCA": Y_pca, "t-SNE": Y_tsne}
    ctx.say(f"The first two principal components hold "
            f"{100 * pca.explained_variance_ratio_.sum():.0f}% of the pixel variance. t-SNE on "
            f"the codes keeps {'more' if trust_tsne > trust_pca else 'less'} of who is next to "
            f"whom than PCA (T = {trust_tsne:.3f} against {trust_pca:.3f}); the distances "
            "between its clusters mean little.")

    names = [str(d) for d in range(10)]
    scatter(Y_pca, labels=y, label_names=names, size=2.5, title="PCA: first two components",
            xlabel="PC 1", ylabel="PC 2").save(ctx.figure(
                "04_latent_pca.svg", "The digits projected on their first two principal "
                "components. " + describe_map(*neighbour_confusion(Y_pca, y, N_NEIGHBORS),
                                              n_neighbors=N_NEIGHBORS)))
    scatter(Y_tsne, labels=y, label_names=names, size=2.5,
            title="Autoencoder codes, then t-SNE", xlabel="t-SNE 1", ylabel="t-SNE 2").save(
        ctx.figure("04_latent_tsne.svg", "The same digits, coded by the autoencoder and laid "
                   "out by t-SNE. " + describe_map(*neighbour_confusion(Y_tsne, y, N_NEIGHBORS),
                                                   n_neighbors=N_NEIGHBORS)))


def _trust(X, Y):
    return trustworthiness(X, Y, n_neighbors=N_NEIGHBORS)


def _digits_and_autoencoder(ctx):
    """(X, y, autoencoder, description): from s04_autoencoder, or made here."""
    shared = ctx.shared
    if "autoencoder" in shared and "digits" in shared:
        X, y = shared["digits"]
        return np.asarray(X), np.asarray(y), shared["autoencoder"], "digits held out from training"
    n_train, n_show = (1000, 300) if ctx.quick else (2000, 1000)
    n = n_train + n_show
    if ctx.mnist is not None:
        X, y, _, _ = ctx.mnist_data()
        X, y, source = X[:n] / np.float32(255.0), y[:n], "MNIST digits"
    else:
        (X, y), source = make_digits(n, random_state=ctx.seed), "generated digits"
    X = X.reshape(n, -1).astype(np.float32)
    ctx.say(f"(Run alone: training a small autoencoder 784-256-32 on {n_train} {source}.)")
    autoencoder = Autoencoder((784, 256, 32), epochs=3 if ctx.quick else 6, batch_size=64,
                              progress=True, random_state=ctx.seed).fit(X[:n_train])
    return X, y, autoencoder, f"{source} held out from training"
