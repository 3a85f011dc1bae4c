"""Section 2: density estimation, non-parametric (kernels) then parametric (a mixture by EM).

Part 1, kernel density estimation: f^(x) = (1/n) sum_i Phi(x, x_i), a bump
on every observation. On 1-D data, a histogram against KDEs with a too
narrow, a cross-validated and a too wide bandwidth; the held-out
log-likelihood that chose the bandwidth; a 2-D KDE as a heat-map.

Part 2, a Gaussian mixture f(x) = sum_i alpha_i Phi_i(x | theta_i) fitted by
EM: the fitted components over the data, the log-likelihood climbing at every
iteration, BIC choosing the number of components, samples from the whole
mixture and from one component, and points classified by the course's
equation (1), argmax_i [log Phi_i(x | theta_i) + log alpha_i].
"""

import numpy as np

from scratch_genmod.datasets import make_mixture, make_moons
from scratch_genmod.density import (
    GaussianMixture, KernelDensity, select_bandwidth, select_n_components,
)
from scratch_genmod.tour.measures import describe_rise, local_maxima
from scratch_genmod.viz import Figure, density_contours, line_plot, sparkline

TITLE = "Density estimation: kernels, then a Gaussian mixture fitted by EM"

# 1-D truth: 0.6 N(-1, 0.5^2) + 0.4 N(2, 1)
TRUE_1D = ([0.6, 0.4], [-1.0, 2.0], [0.5, 1.0])
# 2-D truth for part 2: three components, one of them elongated
WEIGHTS = np.array([0.45, 0.35, 0.2])
MEANS = np.array([[0.0, 0.0], [4.5, 1.0], [1.0, 4.5]])
COVARIANCES = np.array([[[1.0, 0.6], [0.6, 0.8]],
                        [[0.5, -0.2], [-0.2, 0.9]],
                        [[1.4, 0.0], [0.0, 0.25]]])


def run(ctx):
    kde_1d(ctx)
    kde_2d(ctx)
    X, labels = make_mixture(500 if ctx.quick else 1500, WEIGHTS, MEANS, COVARIANCES,
                             random_state=ctx.seed)
    model = mixture_fit(ctx, X)
    bic_curve(ctx, X)
    mixture_samples(ctx, model, X)
    classify_by_equation_1(ctx, model)


# -- part 1: kernel density estimation ------------------------------------------------------
def kde_1d(ctx):
    n = 200 if ctx.quick else 500
    rng = np.random.default_rng(ctx.seed)
    weights, means, stds = TRUE_1D
    component = rng.choice(2, size=n, p=weights)
    x = rng.normal(np.take(means, component), np.take(stds, component))[:, None]
    candidates = np.geomspace(0.02, 2.0, 13 if ctx.quick else 21)
    best, scores = select_bandwidth(x, list(candidates), cv="loo")
    silverman = float(np.sqrt(KernelDensity(bandwidth="silverman").fit(x).bandwidth_matrix_[0, 0]))
    ctx.table([[f"{h:.3f}", s] for h, s in zip(candidates, scores)],
              header=["bandwidth h", "leave-one-out mean log-likelihood"],
              title=f"Choosing h for a Gaussian KDE of {n} points by cross-validation")
    ctx.say(f"held-out log-likelihood against h (log scale): {sparkline(scores)}  -> best "
            f"h = {best:.3f} (Silverman's rule of thumb says {silverman:.3f})")

    grid = np.linspace(-4.0, 6.0, 500)
    curves, modes = {}, {}
    for label, h in [("too narrow", candidates[1]), ("cross-validated", best),
                     ("too wide", 1.5)]:
        kde = KernelDensity(bandwidth=float(h)).fit(x)
        curves[f"KDE, h = {h:.2f} ({label})"] = (grid, kde.pdf(grid[:, None]))
        modes[label] = local_maxima(curves[f"KDE, h = {h:.2f} ({label})"][1])
    truth = sum(w * np.exp(-0.5 * ((grid - m) / s) ** 2) / (s * np.sqrt(2 * np.pi))
                for w, m, s in zip(weights, means, stds))
    fig = line_plot(curves, title="A histogram and three KDEs of the same 1-D sample",
                    xlabel="x", ylabel="density", width=760, height=480)
    counts, edges = np.histogram(x[:, 0], bins=30, range=(-4, 6), density=True)
    fig.line(np.repeat(edges, 2)[1:-1], np.repeat(counts, 2), label="histogram (30 bins)",
             color="#999999", width=1.2)
    fig.line(grid, truth, label="true density", color="#111111", width=1.2, dashed=True)
    fig.save(ctx.figure("02_kde_bandwidths.svg",
                        f"Local maxima (modes) of each curve on the plotted grid: the too narrow "
                        f"KDE {modes['too narrow']}, the cross-validated one "
                        f"{modes['cross-validated']}, the too wide one {modes['too wide']}; the "
                        f"dashed truth has {local_maxima(truth)}."))
    kernel_table(ctx, x, candidates)


def kernel_table(ctx, x, candidates):
    """Every kernel, its cross-validated bandwidth and held-out log-likelihood."""
    rows = []
    for kernel in ["gaussian", "epanechnikov", "tophat", "linear", "cosine", "exponential"]:
        h, scores = select_bandwidth(x, list(candidates), cv=5, kernel=kernel,
                                     random_state=ctx.seed)
        rows.append([kernel, h, float(np.max(scores))])
    ctx.table(rows, header=["kernel", "best h (5-fold)", "held-out mean log-likelihood"],
              title="Each kernel with its own cross-validated bandwidth")
    ctx.say("A compact kernel gives density 0 (log 0 = -inf) to a held-out point farther "
            "than h from every other one, so cross-validation pushes its h wider; once each "
            "kernel has its bandwidth, their held-out scores differ far less than the "
            "bandwidths' do.")


def kde_2d(ctx):
    X, _ = make_moons(300 if ctx.quick else 800, noise=0.12, random_state=ctx.seed)
    best, scores = select_bandwidth(X, [0.04, 0.06, 0.09, 0.13, 0.2, 0.3, "scott"],
                                    cv=5, random_state=ctx.seed)
    kde = KernelDensity(bandwidth=best).fit(X)
    steps = 90 if ctx.quick else 160
    xs, ys = np.linspace(-1.6, 2.6, steps), np.linspace(-1.0, 1.5, steps)
    xx, yy = np.meshgrid(xs, ys)
    density = kde.pdf(np.column_stack([xx.ravel(), yy.ravel()])).reshape(xx.shape)
    ctx.say(f"2-D moons, {len(X)} points: 5-fold cross-validation picks h = {best} "
            f"(scores {sparkline(scores)}; the last is Scott's rule, which oversmooths "
            "the thin moons)")
    fig = density_contours(xs, ys, density, X=X, levels=6, heatmap=True,
                           title=f"Gaussian KDE of the moons, h = {best}", xlabel="x1",
                           ylabel="x2", width=760, height=500, aspect="equal")
    fig.save(ctx.figure("02_kde_moons.svg",
                        "A KDE follows the moons' curved shape, which no single Gaussian "
                        "could: bright where points are dense, contours hugging each moon."))


# -- part 2: a Gaussian mixture fitted by EM ----------------------------------------------------
def mixture_fit(ctx, X):
    # A random start makes EM's climb visible; k-means (the default) starts near the top.
    model = GaussianMixture(3, init_params="random", tol=1e-6, max_iter=500,
                            random_state=ctx.seed).fit(X)
    # One numbering in the whole section, the fitted model's (legend, sample labels and
    # equation (1) use it): each fitted component j is shown beside the truth nearest to it.
    truth = [int(np.argmin(np.sum((MEANS - m) ** 2, axis=1))) for m in model.means_]
    ctx.table([[j, WEIGHTS[i], model.weights_[j], str(MEANS[i].tolist()),
                str(np.round(model.means_[j], 2).tolist())] for j, i in enumerate(truth)],
              header=["component", "true alpha", "fitted alpha_i", "true mu",
                      "fitted mu_i"],
              title=f"EM on {len(X)} points from a known 3-component mixture, each fitted "
                    "component i beside the true one nearest to it")
    history = np.array(model.log_likelihood_history_)
    ctx.say(f"EM from a random start: {model.n_iter_} iterations, mean log-likelihood "
            f"{history[0]:.4f} -> {history[-1]:.4f}, never decreasing: {sparkline(history)}")
    fig = line_plot({"mean log-likelihood": (np.arange(1, len(history) + 1), history)},
                    title="EM never lowers the likelihood", xlabel="EM iteration",
                    ylabel="mean log-likelihood per point", width=640, height=400)
    fig.save(ctx.figure("02_em_log_likelihood.svg", describe_rise(history)))
    xs, ys = np.linspace(-3.5, 7.0, 140), np.linspace(-3.0, 7.0, 140)
    xx, yy = np.meshgrid(xs, ys)
    density = np.exp(model.score_samples(np.column_stack([xx.ravel(), yy.ravel()])))
    fig = Figure(title="Fitted mixture: components (2-sigma ellipses) and density", xlabel="x1",
                 ylabel="x2", width=720, height=620, aspect="equal")
    fig.scatter(X, labels=model.predict(X), size=2.2, alpha=0.45,
                label_names={i: f"component {i}" for i in range(3)})
    fig.contours(xs, ys, density.reshape(xx.shape), levels=7, color="#444444",
                 label="density f(x)")
    fig.ellipses(model.means_, model.covariances_, n_std=2.0, label="2-sigma ellipses")
    gap = max(np.linalg.norm(model.means_[j] - MEANS[i]) for j, i in enumerate(truth))
    fig.save(ctx.figure("02_mixture_fit.svg",
                        "Each point coloured by its most probable component, with each "
                        f"component's 2-sigma ellipse; the {len(truth)} fitted means lie nearest "
                        f"{len(set(truth))} different true means, at most {gap:.2f} away."))
    return model


def bic_curve(ctx, X):
    candidates = list(range(1, 7))
    best, table = select_n_components(X, candidates, random_state=ctx.seed)
    bic = [row["bic"] for row in table]
    ctx.table([[row["n_components"], row["bic"], row["log_likelihood"]] for row in table],
              header=["components m", "BIC (lower is better)", "mean log-likelihood"],
              floatfmt="{:.5g}", title="Choosing the number of components by BIC")
    rising = all(b["log_likelihood"] >= a["log_likelihood"] for a, b in zip(table, table[1:]))
    ctx.say(f"BIC against m: {sparkline(bic)} -> m = {best.n_components}: the likelihood "
            f"{'rises' if rising else 'does not always rise'} with m; BIC's penalty p log n "
            f"stops at m = {best.n_components} (the truth: {len(WEIGHTS)}).")
    fig = line_plot({"BIC": (np.array(candidates), np.array(bic))},
                    title="BIC against the number of components", xlabel="components m",
                    ylabel="BIC", width=560, height=380)
    fig.save(ctx.figure("02_bic.svg", f"BIC against m: lowest at m = {best.n_components}, "
                                      f"the data being drawn from {len(WEIGHTS)} components."))


def mixture_samples(ctx, model, X):
    n = 400 if ctx.quick else 1000
    whole, labels = model.sample(n, random_state=ctx.seed)
    chosen = int(np.argmax(model.means_[:, 1]))  # the upper component
    one, _ = model.sample(n // 4, component=chosen, random_state=ctx.seed + 1)
    fig = Figure(title=f"New points: from the whole mixture, and from component {chosen} only",
                 xlabel="x1", ylabel="x2", width=720, height=620, aspect="equal")
    fig.scatter(whole, labels=labels, size=2.2, alpha=0.5,
                label_names={i: f"mixture draw, Y = {i}" for i in range(3)})
    fig.scatter(one, labels=np.full(len(one), 3), size=2.6, alpha=0.9,  # palette colour 3
                label_names={3: f"sample(component={chosen})"})
    fig.ellipses(model.means_, model.covariances_, n_std=2.0)
    fig.save(ctx.figure("02_mixture_samples.svg",
                        f"Blue, orange, green: Y ~ alpha, then X ~ Phi_Y; red: sample(component="
                        f"{chosen}), all around that one component's mean."))
    ctx.say(f"sample({n}) drew {np.bincount(labels, minlength=3).tolist()} points per "
            f"component (alpha = {np.round(model.weights_, 3).tolist()}); sample({n // 4}, "
            f"component={chosen}) has mean {np.round(one.mean(axis=0), 2).tolist()} "
            f"(mu_{chosen} = {np.round(model.means_[chosen], 2).tolist()})")


def classify_by_equation_1(ctx, model):
    points = np.array([[0.0, 0.0], [4.0, 1.0], [1.0, 4.0], [2.2, 2.2], [2.5, 0.5]])
    joint = model.predict_joint_log_proba(points)  # log Phi_i(x) + log alpha_i
    posterior = model.predict_proba(points)
    rows = [[str(p.tolist())] + [f"{v:.2f}" for v in joint[t]]
            + [int(np.argmax(joint[t])), f"{posterior[t].max():.3f}"]
            for t, p in enumerate(points)]
    ctx.table(rows, header=["x"] + [f"log Phi_{i} + log alpha_{i}" for i in range(3)]
              + ["argmax i", "P(Y = i | x)"],
              title="Classification by equation (1): argmax_i [log Phi_i(x) + log alpha_i]")
