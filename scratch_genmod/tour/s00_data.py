"""Section 00 - the data every later demo uses, and the pictures it is shown with.

Generated digits (or real MNIST with --mnist), a Gaussian mixture with a
known truth drawn as a scatter with its ellipses, and that mixture's density
as a heat-map with iso-lines - all written with NumPy and the standard
library only.
"""

import time

import numpy as np

from scratch_genmod.core import gaussian_log_pdf, logsumexp
from scratch_genmod.datasets import course_corpus, make_digits, make_mixture
from scratch_genmod.datasets import stdlib_corpus
from scratch_genmod.viz import bar_chart, density_contours, image_grid, scatter, write_png

TITLE = "Data and pictures"

# a three-component mixture f(x) = sum_i alpha_i N(x | mu_i, Sigma_i) in 2-D
WEIGHTS = np.array([0.5, 0.3, 0.2])
MEANS = np.array([[0.0, 0.0], [4.0, 3.0], [-3.0, 4.0]])
COVARIANCES = np.array([[[1.5, 0.7], [0.7, 1.0]],
                        [[0.6, -0.3], [-0.3, 1.2]],
                        [[1.0, 0.0], [0.0, 0.3]]])


def run(ctx):
    digits(ctx)
    mixture(ctx)
    corpora(ctx)


def digits(ctx):
    n = 1000 if ctx.quick else 10000
    start = time.perf_counter()
    X, y = make_digits(n, random_state=ctx.seed)
    seconds = time.perf_counter() - start
    ctx.shared["digits"] = (X, y)
    ctx.say(f"make_digits drew {n} images of 28x28 in {seconds:.2f} s "
            f"({n / seconds:,.0f} images/s), labels in random order:")
    ctx.chart(bar_chart([str(d) for d in range(10)], np.bincount(y, minlength=10), width=30))
    path = ctx.figure("00_generated_digits.png",
                      "Generated digits: each row holds ten drawings of one digit, 0 to 9.")
    write_png(path, image_grid(_ten_of_each(X, y), ncols=10, pad=2, pad_value=0.5, scale=3))
    if ctx.mnist is not None:
        X_train, y_train, _, _ = ctx.mnist_data()
        path = ctx.figure("00_mnist_digits.png",
                          "Real MNIST digits, same layout: compare with the generated ones.")
        write_png(path, image_grid(_ten_of_each(X_train, y_train) / 255.0, ncols=10,
                                   pad=2, pad_value=0.5, scale=3))


def mixture(ctx):
    n = 600 if ctx.quick else 1500
    X, labels = make_mixture(n, WEIGHTS, MEANS, COVARIANCES, random_state=ctx.seed)
    ctx.table([[i, WEIGHTS[i], str(MEANS[i].tolist()), int((labels == i).sum())]
               for i in range(3)],
              header=["component", "alpha_i", "mu_i", "points drawn"],
              title=f"{n} points from a known 3-component Gaussian mixture")
    path = ctx.figure("00_mixture_scatter.svg",
                      "Points coloured by the component that drew them, with each "
                      "component's mean (+) and 2-sigma ellipse.")
    scatter(X, labels, label_names=[f"component {i}" for i in range(3)], means=MEANS,
            covariances=COVARIANCES, title="Samples of a Gaussian mixture", xlabel="x1",
            ylabel="x2", aspect="equal").save(path)

    xs, ys = np.linspace(-6.5, 7.5, 141), np.linspace(-4.0, 7.5, 116)
    grid = np.column_stack([g.ravel() for g in np.meshgrid(xs, ys)])
    log_terms = np.stack([np.log(WEIGHTS[i]) + gaussian_log_pdf(grid, MEANS[i], COVARIANCES[i])
                          for i in range(3)], axis=1)
    density = np.exp(logsumexp(log_terms, axis=1)).reshape(len(ys), len(xs))
    cell = (xs[1] - xs[0]) * (ys[1] - ys[0])
    ctx.say(f"The density on the grid sums to {density.sum() * cell:.4f} (should be close "
            "to 1: a density integrates to 1).")
    path = ctx.figure("00_mixture_density.svg",
                      "The mixture's density f(x) as a heat-map (bright = likely) with "
                      "white iso-density lines.")
    density_contours(xs, ys, density, levels=6, heatmap=True, zlabel="f(x)",
                     title="Density of the mixture", xlabel="x1", ylabel="x2",
                     aspect="equal").save(path)


def corpora(ctx):
    course = course_corpus()
    words = stdlib_corpus().split()
    ctx.table([["course_corpus()", len(course.splitlines()), len(course.split())],
               ["stdlib_corpus()", "-", len(words)]],
              header=["corpus", "sentences", "words"], title="Embedded text corpora")
    ctx.say("First course sentence: " + course.splitlines()[0])


def _ten_of_each(X, y):
    """Ten images of each digit, digit d on row d."""
    return np.concatenate([X[y == d][:10] for d in range(10)])
