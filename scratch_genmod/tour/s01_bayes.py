"""Section 1: generative vs discriminative models.

A discriminative model learns P(Y | X) and only knows the boundary between the
classes; a generative model learns P(X | Y) and P(Y), decides by Bayes' rule,
and can also draw new observations of a class. This demo prints the course's
probability tables, then fits three classifiers on two 2-D data sets:

* Gaussian naive Bayes (one diagonal Gaussian per class),
* a generative classifier with a Gaussian mixture per class,
* logistic regression (the discriminative baseline),

compares their test accuracies, draws their decision boundaries, and lets the
mixture classifier generate samples of each class.
"""

import numpy as np

from scratch_genmod.bayes import (
    GaussianNB, GenerativeClassifier, LogisticRegression, bayes_posterior, conditional_table,
    joint_table, marginal_table,
)
from scratch_genmod.datasets import make_blobs, make_moons
from scratch_genmod.density import GaussianMixture
from scratch_genmod.exam.quizzes import QUIZZES, ask, explain
from scratch_genmod.tour.measures import boundary_bend, describe_boundaries
from scratch_genmod.viz import Figure, density_contours
from scratch_genmod.viz.axes import class_colour

TITLE = "Generative vs discriminative: Bayes' rule on tables and on 2-D data"

# Boundary colours, away from the class colours (blue, orange, green) of the points.
BOUNDARY_COLOURS = {"Gaussian naive Bayes": "#9467bd", "Gaussian mixture per class": "#111111",
                    "logistic regression": "#d62728"}


def run(ctx):
    course_tables(ctx)
    probability_quiz(ctx)
    n_train = 150 if ctx.quick else 600
    accuracies = []
    for name, (X, y), n_components in data_sets(ctx.seed, n_train):
        X_train, y_train, X_test, y_test = split(X, y, ctx.seed)
        models = {
            "Gaussian naive Bayes": GaussianNB(),
            "Gaussian mixture per class": GenerativeClassifier(
                GaussianMixture(n_components=n_components, n_init=2, random_state=ctx.seed),
                random_state=ctx.seed),
            "logistic regression": LogisticRegression(alpha=1e-3),
        }
        for model in models.values():
            model.fit(X_train, y_train)
        accuracies.append([name] + [float(np.mean(m.predict(X_test) == y_test))
                                    for m in models.values()])
        plot_boundaries(ctx, name, models, X_train, y_train)
        plot_samples(ctx, name, models["Gaussian mixture per class"], X_train, n_components)
    ctx.table(accuracies, header=["data set"] + list(models), floatfmt="{:.3f}",
              title="Test accuracy (held-out third of each data set)")
    (blobs, *blob_scores), (moons, *moon_scores) = accuracies
    ctx.say(f"Test accuracy of logistic regression against the mixture classifier: "
            f"{blob_scores[2]:.3f} and {blob_scores[1]:.3f} on the {blobs}, {moon_scores[2]:.3f} "
            f"and {moon_scores[1]:.3f} on the {moons}. The mixture classifier, like naive "
            "Bayes, can also sample new points of a class; logistic regression has no "
            "P(X | Y) to sample from.")


def course_tables(ctx):
    """The course's two worked examples, and Bayes' rule giving the same table."""
    x = [[0.5, -1.0], [0.0, -1.2], [-0.5, 0.0]]
    y = [0, 0, 1]
    show(ctx, conditional_table(x, y), "Course example 1: (x1, x2, y) = (0.5, -1, 0), "
                                       "(0, -1.2, 0), (-0.5, 0, 1)")
    x, y = [1, 1, 2, 2], [0, 0, 0, 1]
    show(ctx, conditional_table(x, y), "Course example 2: x = 1, 1, 2, 2 and y = 0, 0, 0, 1")
    show(ctx, joint_table(x, y), "Course example 2")
    likelihood = conditional_table(x, y, given="y")
    show(ctx, likelihood, "Course example 2, the generative view: the likelihood")
    posterior = bayes_posterior(likelihood, marginal_table(y, x_name="y"))
    show(ctx, posterior, "Bayes' rule P(X | Y) P(Y) / P(X) gives back the table above")


def probability_quiz(ctx):
    """The course's quiz, answered with example 2: two models each return "a probability of x = 1"."""
    x, y = [1, 1, 2, 2], [0, 0, 0, 1]
    p_y_given_x = conditional_table(x, y).values[0, 0]   # row x = 1, column y = 0
    p_x = marginal_table(x).values[0]                    # x = 1
    ctx.table([["discriminative: the table P(Y | X)", "P(y = 0 | x = 1)", p_y_given_x],
               ["generative: the table P(X)", "P(x = 1)", p_x]],
              header=["model", "returns for x = 1", "p"],
              title="Course example 2: two models, each returning a probability for x = 1")
    quiz = QUIZZES["probability"]
    ctx.say("Quiz: " + ask(quiz, "en").replace("\n", " "))
    ctx.say("Answer: " + explain(quiz, "en"))


def show(ctx, table, title):
    header, rows = table.to_rows()
    ctx.table(rows, header=header, title=f"{title}: {table.title}")


def data_sets(seed, n):
    """(name, (X, y), mixture components per class) for each 2-D data set."""
    covariances = [[[1.0, 0.8], [0.8, 1.0]], [[1.0, -0.6], [-0.6, 1.0]], [[0.3, 0.0], [0.0, 2.0]]]
    blobs = make_blobs(n, centers=[[0.0, 0.0], [3.0, 0.5], [1.0, 4.0]],
                       covariances=covariances, random_state=seed)
    moons = make_moons(n, noise=0.15, random_state=seed)
    return [("blobs (3 classes)", blobs, 1), ("moons (2 classes)", moons, 4)]


def split(X, y, seed):
    """Two thirds to train, one third to test, after a shuffle."""
    order = np.random.default_rng(seed).permutation(len(X))
    cut = 2 * len(X) // 3
    return X[order[:cut]], y[order[:cut]], X[order[cut:]], y[order[cut:]]


def grid(X, steps=160):
    """A square grid around the data (the plots have equal axes, so it fills the frame)."""
    centre, half = (X.min(axis=0) + X.max(axis=0)) / 2, np.ptp(X, axis=0).max() / 2 + 0.5
    xs = np.linspace(centre[0] - half, centre[0] + half, steps)
    ys = np.linspace(centre[1] - half, centre[1] + half, steps)
    xx, yy = np.meshgrid(xs, ys)
    return xs, ys, np.column_stack([xx.ravel(), yy.ravel()])


def plot_boundaries(ctx, name, models, X, y):
    xs, ys, points = grid(X)
    fig = Figure(title=f"{name.split()[0].capitalize()}: decision boundaries", xlabel="x1", ylabel="x2",
                 width=720, height=560, aspect="equal", xlim=(xs[0], xs[-1]), ylim=(ys[0], ys[-1]))
    log_probas = {label: model.predict_log_proba(points) for label, model in models.items()}
    # The mixture classifier's decision regions (argmax of its posterior = predict),
    # tinted in the class colours: class index c, as the scatter colours it.
    mixture = log_probas["Gaussian mixture per class"]
    regions = mixture.argmax(axis=1).reshape(len(ys), len(xs))
    tints = np.array([_tint(class_colour(c)) for c in range(mixture.shape[1])])
    fig.image(tints[regions], extent=(xs[0], xs[-1], ys[0], ys[-1]), smooth=False)
    fig.scatter(X, labels=y, label_names={c: f"class {c}" for c in np.unique(y)}, size=2.5,
                alpha=0.55)
    for label, log_proba in log_probas.items():
        for c in range(log_proba.shape[1]):  # loop over classes
            # The boundary of class c: where its posterior ties with the best other class.
            others = np.delete(log_proba, c, axis=1).max(axis=1)
            margin = (log_proba[:, c] - others).reshape(len(ys), len(xs))
            fig.contours(xs, ys, margin, levels=[0.0], color=BOUNDARY_COLOURS[label],
                         label=label if c == 0 else None, width=2.0)
    slug = name.split()[0]
    path = ctx.figure(f"01_{slug}_boundaries.svg",
                      f"{name}: where each classifier changes its decision (tinted: the "
                      "mixture classifier's regions). " + describe_boundaries(
                          {label: boundary_bend(xs, ys, log_proba)
                           for label, log_proba in log_probas.items()}))
    fig.save(path)


def _tint(colour, strength=0.18):
    """A pale version of a "#rrggbb" colour: strength of it over white, as uint8 RGB."""
    rgb = np.array([int(colour[k:k + 2], 16) for k in (1, 3, 5)], dtype=float)
    return np.rint(255 - strength * (255 - rgb)).astype(np.uint8)


def plot_samples(ctx, name, model, X, n_components):
    xs, ys, points = grid(X)
    density = np.exp(model.score_samples(points)).reshape(len(ys), len(xs))
    samples, labels = [], []
    for c in model.classes_.tolist():  # "what does an observation of class c look like?"
        Xc, lc = model.sample(150, y=c)
        samples.append(Xc)
        labels.append(lc)
    slug = name.split()[0]
    fig = density_contours(
        xs, ys, density, X=np.vstack(samples), labels=np.concatenate(labels),
        label_names={c: f"drawn from class {c}" for c in model.classes_.tolist()}, levels=6,
        title=f"{name.split()[0].capitalize()}: samples drawn per class "
              f"({n_components} Gaussian{'s' if n_components > 1 else ''} each)",
        xlabel="x1", ylabel="x2", width=720, height=560, aspect="equal")
    path = ctx.figure(f"01_{slug}_samples.svg",
                      f"{name}: new points drawn class by class with sample(n, y=c), over the "
                      "iso-lines of the model's density P(x); compare with the training data "
                      "of the boundaries figure.")
    fig.save(path)
