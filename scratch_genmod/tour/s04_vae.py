"""Section 4, beyond the autoencoder: a variational autoencoder, and how good a generator is.

The course ends on two limits of the autoencoder: ``P(z)`` is unknown (the
library estimates it with a density fitted on the codes), and a code in a
hole of the latent space need not decode to a digit. A VAE fixes the law of
its code to ``N(0, I)`` and samples from it directly. Four generators are
compared by what they generate - Parzen log-likelihood of held-out digits,
distance of each sample to its nearest training image, and what a logistic
regression trained on real digits makes of them:

    AE + Gaussian mixture on the codes, AE + KDE on the codes, the VAE, and a
    Gaussian mixture on the pixels themselves.

Runs after :mod:`s04_autoencoder` and reuses its autoencoder and digits; run
alone with ``--mnist DIR`` (not ``--quick``) it trains on the 60,000 MNIST
training images and holds out the 10,000 test images.
"""

import time
import warnings

import numpy as np

from scratch_genmod.bayes import LogisticRegression
from scratch_genmod.datasets import make_digits
from scratch_genmod.density import (GaussianMixture, KernelDensity, evaluate_generator,
                                    nearest_training_distance, select_bandwidth)
from scratch_genmod.nn import Autoencoder, VariationalAutoencoder
from scratch_genmod.viz import image_grid, sparkline, write_png

TITLE = "Variational autoencoder, and measuring generators"


def run(ctx):
    X_train, y_train, X_held, source, ae = _data_and_autoencoder(ctx)
    # the held-out digits in three parts: bandwidth choice, test, and real samples for reference
    X_val, X_test, X_real = np.array_split(X_held, 3)
    epochs = _epochs(ctx, len(X_train))
    sizes = (784, 256, 32) if ctx.quick else (784, 1024, 256, 128)   # quick: a smoke test
    ctx.say(f"Training the VAE {'-'.join(map(str, sizes[:-1]))}-(2 x {sizes[-1]}) on "
            f"{min(len(X_train), 1000) if ctx.quick else len(X_train)} {source} for {epochs} epochs (Bernoulli decoder, Adam, lr 1e-3).")
    start = time.perf_counter()
    vae = VariationalAutoencoder.course_mnist(layer_sizes=sizes, epochs=epochs, lr=1e-3,
                                              progress=True, random_state=ctx.seed)
    vae.fit(X_train[:1000] if ctx.quick else X_train)
    seconds = time.perf_counter() - start
    loss = vae.history_["loss"]
    k = 10 if ctx.quick else 100
    ctx.say(f"{seconds:.1f} s; negative ELBO per image {sparkline(loss)} {loss[0]:.1f} -> "
            f"{loss[-1]:.1f} nats. On held-out digits: ELBO {vae.elbo(X_test).mean():.1f}, "
            f"importance-sampled log p(x) with k = {k}: {vae.score(X_test, k=k):.1f} nats "
            "(a tighter bound, as it must be).")

    m = len(X_real)                   # as many samples as real reference digits: Parzen
    samples = _samples(ctx, ae, vae, X_train, m)   # scores are comparable at equal m only
    samples["real held-out digits (reference)"] = X_real
    classifier = digit_classifier(ctx, X_train, y_train)
    spread = float(np.sqrt(np.mean(np.var(X_real, axis=0))))
    grid = spread * (np.array([0.3, 0.6]) if ctx.quick else np.geomspace(0.15, 1.2, 7))
    rows = []
    for name, S in samples.items():
        r = evaluate_generator(np.asarray(S, np.float64), X_train, X_val, X_test, classifier,
                               bandwidths=grid)
        c = r["classifier"]
        rows.append([name, r["parzen"]["mean"], r["parzen"]["std_error"],
                     r["parzen"]["bandwidth"], float(np.median(r["nn_distance"])),
                     int(np.count_nonzero(c["histogram"] >= 0.02)), c["mean_confidence"],
                     c["score"]])
    ctx.table(rows, header=["generator", "Parzen log-lik", "+- se", "h", "median NN dist",
                            "classes >= 2 %", "mean confidence", "classifier score"],
              title=f"Generators on {source}: {m} samples each vs "
                    f"{len(X_test)} test digits (Parzen bandwidth h chosen on {len(X_val)} others)")
    ctx.say("Parzen: mean log-density of test digits under a Gaussian KDE of the samples "
            "(higher is better; it rewards covering the data over sharpness). NN dist: "
            "Euclidean distance of a sample to its nearest training image (near 0 = copying). "
            "Classifier: a logistic regression trained on real digits labels the samples; the "
            "score exp(mean KL(p(y|s) || p(y))) is high when samples are both recognisable "
            "and of every class (at most 10).")

    names = [n for n in samples if "reference" not in n]
    write_png(ctx.figure("04_vae_samples.png",
                         "Samples, two rows per generator, top to bottom: "
                         + "; ".join(names) + ". Pixel values clipped to [0, 1] for display."),
              image_grid(np.clip(np.concatenate([np.asarray(samples[n][:20]) for n in names]),
                                 0, 1), ncols=10, scale=2))
    strips = []
    for i, j in _pairs_of_different_classes(y_train, 3):
        strips += [ae.interpolate(X_train[i], X_train[j], 10),
                   vae.interpolate(X_train[i], X_train[j], 10)]
    # how far each row strays from real digits: its farthest frame's distance to the
    # nearest training digit, beside the same distance for real held-out digits
    gaps = nearest_training_distance(np.concatenate(strips), X_train)[0]  # one pass over X_train
    farthest = [float(row.max()) for row in gaps.reshape(len(strips), -1)]
    real = next(row[4] for row in rows if "reference" in row[0])
    write_png(ctx.figure("04_vae_interpolation.png",
                         "A straight line between the codes of two digits, decoded: odd rows "
                         "the autoencoder, even rows the VAE (its code means mu). Distance from "
                         "each row's farthest frame to its nearest training digit: autoencoder "
                         f"{', '.join(f'{d:.1f}' for d in farthest[0::2])}; VAE "
                         f"{', '.join(f'{d:.1f}' for d in farthest[1::2])} (a real held-out "
                         f"digit's, median: {real:.1f})."),
              image_grid(np.concatenate(strips), ncols=10, scale=2))
    ctx.shared["interpolation_distances"] = {"autoencoder": farthest[0::2], "VAE": farthest[1::2],
                                             "real median": real}
    ctx.shared["vae"] = vae


def _data_and_autoencoder(ctx):
    """Training digits, labels, held-out digits, their name, and a trained autoencoder."""
    if "autoencoder" in ctx.shared:                 # the tour: reuse s04_autoencoder's
        X, y = ctx.shared["digits"]
        n_test = 300 if ctx.quick else 1000
        source = "MNIST digits" if ctx.mnist is not None else "generated digits"
        return X[:-n_test], y[:-n_test], X[-n_test:], source, ctx.shared["autoencoder"]
    if ctx.mnist is not None and not ctx.quick:
        X_train, y_train, X_test, _ = ctx.mnist_data()
        X_train = X_train.reshape(len(X_train), -1).astype(np.float32) / np.float32(255.0)
        X_held = X_test.reshape(len(X_test), -1).astype(np.float32) / np.float32(255.0)
        y_train, source = np.asarray(y_train, dtype=np.int64), "MNIST digits"
    else:
        n = 2000 if ctx.quick else 10000
        X, y = make_digits(n, random_state=ctx.seed)
        X = X.reshape(n, -1)
        n_test = 300 if ctx.quick else 1000
        X_train, y_train, X_held, source = X[:-n_test], y[:-n_test], X[-n_test:], "generated digits"
    epochs = _epochs(ctx, len(X_train))
    ctx.say(f"Training the course's autoencoder on {len(X_train)} {source} for {epochs} epochs.")
    ae = Autoencoder.course_mnist(output_activation="sigmoid", epochs=epochs, lr=1e-3,
                                  random_state=ctx.seed).fit(X_train)
    return X_train, y_train, X_held, source, ae


def _epochs(ctx, n_train):
    """2 in quick mode; 10 on up to 20,000 images, else 3 (all of MNIST: minutes per epoch)."""
    return 2 if ctx.quick else (10 if n_train <= 20000 else 3)


def _samples(ctx, ae, vae, X_train, m):
    """``m`` samples of each generator, by name (the shared autoencoder is left as it was)."""
    n_codes = 1500 if ctx.quick else 5000
    Z = ae.encode(X_train[:n_codes]).astype(np.float64)
    if not isinstance(getattr(ae, "latent_density_", None), GaussianMixture):
        ae.fit_latent_density(X_train[:n_codes])    # s04_autoencoder's 10-component mixture
    scale = float(np.sqrt(np.mean(np.var(Z, axis=0))))
    grid = scale * np.array([0.1, 0.2, 0.4] if ctx.quick else [0.05, 0.1, 0.2, 0.4, 0.8])
    h, _ = select_bandwidth(Z[:500] if ctx.quick else Z, list(grid), cv="loo")
    kde = KernelDensity(bandwidth=h, random_state=ctx.seed).fit(Z)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")                          # few EM steps in quick mode
        n_pixels = 500 if ctx.quick else len(X_train)
        gmm = GaussianMixture(10, covariance_type="diag", max_iter=5 if ctx.quick else 100,
                              init_params="random" if ctx.quick else "kmeans",
                              random_state=ctx.seed).fit(X_train[:n_pixels].astype(np.float64))
    seed = ctx.seed
    return {"AE + Gaussian mixture on codes":
            ae.decode(ae.latent_density_.sample(m, random_state=seed)[0]),
            f"AE + KDE on codes (h = {h:.2g})": ae.decode(kde.sample(m, random_state=seed)),
            "VAE, z ~ N(0, I)": vae.sample(m, random_state=seed)[0],
            "Gaussian mixture on pixels (10, diag)": gmm.sample(m, random_state=seed)[0]}


def digit_classifier(ctx, X, y):
    """A logistic regression on real digits, the judge of the samples (weak in quick mode)."""
    n = 1000 if ctx.quick else 10000
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")                          # not converged: still a judge
        return LogisticRegression(alpha=1e-2, max_iter=20 if ctx.quick else 100, tol=1e-3) \
            .fit(X[:n].astype(np.float64), y[:n])


def _pairs_of_different_classes(y, n_pairs):
    """Indices (i, j) of the first digits of classes (0, 1), (2, 3), ... where present."""
    firsts = {int(c): int(np.flatnonzero(y == c)[0]) for c in np.unique(y)}
    classes = sorted(firsts)
    return [(firsts[a], firsts[b]) for a, b in zip(classes[0::2], classes[1::2])][:n_pairs]
