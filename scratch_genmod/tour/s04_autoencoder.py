"""Section 4: an autoencoder H = D o E trained by hand-written backpropagation.

The course's network (784-1024-256-128, ReLU, mirrored decoder) learns to
compress digit images to 128 numbers and back. Then: reconstructions of
digits it never saw, a walk in code space between two digits
(``D(alpha z1 + (1 - alpha) z2)``), new digits decoded from a Gaussian mixture
fitted on the codes (the course: "P(z) is unknown - one could estimate it"),
and the course's remark that a *linear* autoencoder does what PCA does.
"""

import time

import numpy as np

from scratch_genmod.datasets import make_digits
from scratch_genmod.embed import PCA
from scratch_genmod.exam.quizzes import QUIZZES, ask, explain
from scratch_genmod.nn import Autoencoder, compare_linear_autoencoder_pca
from scratch_genmod.viz import image_grid, line_plot, sparkline, write_png

TITLE = "Autoencoder: reconstruction, interpolation, generation"


def run(ctx):
    X, y, source = _digits(ctx)
    # the last digits are held out: s04_latent maps the last 300 (quick) or 1000
    n_test = 300 if ctx.quick else 1000
    X_train, X_test, y_test = X[:-n_test], X[-n_test:], y[-n_test:]
    epochs = 8 if ctx.quick else 6  # quick: fewer digits, more passes (2 learnt only the mean)
    ctx.say(f"Training the course's autoencoder 784-1024-256-128-256-1024-784 on "
            f"{len(X_train)} {source} for {epochs} epochs (Adam, MSE, sigmoid output).")
    start = time.perf_counter()
    ae = Autoencoder.course_mnist(output_activation="sigmoid", epochs=epochs, batch_size=128,
                                  lr=1e-3, validation_split=0.1, progress=True,
                                  random_state=ctx.seed).fit(X_train)
    seconds = time.perf_counter() - start
    history = ae.history_
    ctx.say(f"{seconds:.1f} s ({len(X_train) * epochs / seconds:,.0f} images/s); training loss "
            f"per epoch {sparkline(history['loss'])} {history['loss'][0]:.4f} -> "
            f"{history['loss'][-1]:.4f}, validation {history['val_loss'][-1]:.4f}.")
    test_mse = float(ae.reconstruction_error(X_test).mean() / X.shape[1])
    ctx.say(f"Mean squared error per pixel on {n_test} unseen digits: {test_mse:.4f} "
            f"(predicting the mean image: {float(X_test.var(axis=0).mean()):.4f}).")

    originals = X_test[:20]
    rows = np.concatenate([originals[:10], ae.reconstruct(originals[:10]),
                           originals[10:], ae.reconstruct(originals[10:])])
    write_png(ctx.figure("04_ae_reconstructions.png",
                         "Rows 1 and 3: unseen digits; rows 2 and 4: their reconstructions "
                         "D(E(x)) through a 128-number code."),
              image_grid(rows, ncols=10, scale=2))

    strips = [ae.interpolate(X_test[i], X_test[j], n_steps=10)
              for i, j in _pairs_of_different_classes(y_test, 3)]
    write_png(ctx.figure("04_ae_interpolation.png",
                         "Each row decodes alpha z1 + (1 - alpha) z2 for alpha from 1 to 0: "
                         "a straight walk in code space between two digits of different "
                         "classes."),
              image_grid(np.concatenate(strips), ncols=10, scale=2))

    n_codes = 1500 if ctx.quick else 5000
    ae.fit_latent_density(X_train[:n_codes])
    generated, _ = ae.sample(40, random_state=ctx.seed)
    write_png(ctx.figure("04_ae_generated.png",
                         f"New digits: codes drawn from a 10-component Gaussian mixture fitted "
                         f"on {n_codes} training codes, then decoded."),
              image_grid(generated, ncols=10, scale=2))

    epochs_axis = np.arange(1, len(history["loss"]) + 1)
    line_plot({"training loss": (epochs_axis, history["loss"]),
               "validation loss": (epochs_axis, history["val_loss"])},
              title="Autoencoder training (MSE per pixel)", xlabel="epoch",
              ylabel="loss").save(ctx.figure(
                  "04_ae_loss.svg", "Loss per epoch (the training loss is averaged while "
                  "the weights improve, the validation loss measured at the epoch's end): "
                  f"last epoch {history['loss'][-1]:.4f} training, "
                  f"{history['val_loss'][-1]:.4f} validation."))

    _linear_vs_pca(ctx, X_train)
    _capacity_quiz(ctx, ae, seconds, test_mse, X_train, X_test)
    ctx.shared["autoencoder"] = ae
    ctx.shared["digits"] = (X, y)


def _digits(ctx):
    """Flattened images in [0, 1] (float32) and labels: MNIST when given, else generated."""
    n = 2000 if ctx.quick else 10000
    if ctx.mnist is not None:
        X, y, _, _ = ctx.mnist_data()
        X = X[:n].reshape(n, -1).astype(np.float32) / np.float32(255.0)
        return X, np.asarray(y[:n], dtype=np.int64), "MNIST digits"
    X, y = make_digits(n, random_state=ctx.seed)
    return X.reshape(n, -1), y, "generated digits"


def _pairs_of_different_classes(y, n_pairs):
    """Indices (i, j) of the first digits of classes (0, 1), (2, 3), ... where present."""
    firsts = {int(c): int(np.flatnonzero(y == c)[0]) for c in np.unique(y)}
    classes = sorted(firsts)
    pairs = [(firsts[a], firsts[b]) for a, b in zip(classes[0::2], classes[1::2])]
    return pairs[:n_pairs]


def _linear_vs_pca(ctx, X):
    """The course: with sigma = Id an autoencoder does what PCA does, without orthogonality."""
    n = 500 if ctx.quick else 1000
    images = X[:n].reshape(-1, 28, 28)
    # 14 x 14 averages of 2 x 2 pixels: 196 features keep the comparison to seconds
    small = images.reshape(-1, 14, 2, 14, 2).mean(axis=(2, 4)).reshape(-1, 196)
    small = small.astype(np.float64)  # once, for PCA and for every linear autoencoder
    sizes = (2, 8) if ctx.quick else (2, 8, 16)
    variances = PCA(n_components=max(sizes) + 1).fit(small).explained_variance_
    rows = []
    for d in sizes:
        result = compare_linear_autoencoder_pca(small, d, epochs=300 if ctx.quick else 600,
                                                random_state=ctx.seed)
        W = result["autoencoder"].decoder_.params()[0]
        angles = result["angles"]
        rows.append([d, result["pca_error"], result["ae_error"],
                     result["ae_error"] / result["pca_error"] - 1.0,
                     float(np.median(angles)), float(angles.max()),
                     float(variances[d - 1] / variances[d]),
                     float(np.abs(W @ W.T - np.eye(d)).max())])
    ctx.table(rows, header=["d", "PCA error", "linear AE error", "AE excess",
                            "median angle (deg)", "largest angle (deg)",
                            "lambda_d / lambda_d+1", "max |W W^T - I|"],
              title=f"Linear autoencoder vs PCA on {n} digits at 14x14 (mean ||x - H(x)||^2)")
    ctx.say("The linear autoencoder reaches PCA's error within a fraction of a percent and "
            "spans nearly the same subspace, but its decoder's rows are not orthonormal "
            "(W W^T is not I).")
    if max(row[5] for row in rows) > 10:
        ctx.say("A large largest angle comes with lambda_d close to lambda_d+1: the last "
                "direction is then barely pinned down (mixing it with the next one hardly "
                "changes the error), so gradient descent is slow to turn it into place.")


def _capacity_quiz(ctx, ae, ae_seconds, ae_mse, X_train, X_test):
    """The course's quiz, with this run's numbers: PCA with as many components as the code."""
    d = ae.encode(X_test[:1]).shape[1]
    start = time.perf_counter()
    pca = PCA(n_components=d).fit(X_train)
    pca_seconds = time.perf_counter() - start
    pca_mse = float(np.mean((pca.inverse_transform(pca.transform(X_test)) - X_test) ** 2))
    n_features = X_train.shape[1]
    ae_parameters = sum(p.size for part in (ae.encoder_, ae.decoder_) for p in part.params())
    pca_parameters = n_features * d + n_features  # the d axes and the mean
    ctx.table([["autoencoder", ae_parameters, ae_seconds, ae_mse],
               [f"PCA, {d} components", pca_parameters, pca_seconds, pca_mse]],
              header=["model", "parameters", "fit seconds", "test MSE per pixel"],
              title=f"An autoencoder and PCA with the same code size d = {d}")
    quiz = QUIZZES["capacity"]
    ctx.say("Quiz: " + ask(quiz, "en").replace("\n", " "))
    ctx.say("Answer: " + explain(quiz, "en") + f" Here the autoencoder has "
            f"{ae_parameters / pca_parameters:.0f} times PCA's parameters, took "
            f"{ae_seconds / max(pca_seconds, 1e-9):.1f} times as long to fit, and its test error "
            f"is {'below' if ae_mse < pca_mse else 'above'} PCA's.")
