"""Exercises of section 2: kernel density estimation and EM for mixtures."""

import warnings

import numpy as np

from scratch_genmod.core.logmath import gaussian_log_pdf, log_softmax
from scratch_genmod.density import GaussianMixture, KernelDensity
from scratch_genmod.exam.exercise import Exercise, fmt_number, md_table, tr

__all__ = ["kde_value", "em_iteration", "MAKERS"]

# 1-D kernels K(u) with their formula as the sheet writes it.
_KERNELS = {
    "gaussian": "K(u) = exp(-u^2 / 2) / sqrt(2 pi)",
    "tophat": "K(u) = 1/2 for |u| < 1, else 0",
    "epanechnikov": "K(u) = 3/4 (1 - u^2) for |u| < 1, else 0",
    "linear": "K(u) = 1 - |u| for |u| < 1, else 0",
}


def kde_value(rng, lang):
    """Value of a 1-D kernel estimate f^(x) = 1/(n h) sum_i K((x - x_i) / h) at one point."""
    kernel = str(rng.choice(list(_KERNELS)))
    h = int(rng.choice([1, 2]))
    data = np.sort(rng.choice(np.arange(0, 8), size=int(rng.integers(4, 6)), replace=False))
    # x half-way between integers: |x - x_i| / h is never exactly 1 (no boundary case).
    x = float(rng.integers(int(data.min()), int(data.max()))) + 0.5
    value = float(KernelDensity(bandwidth=h, kernel=kernel).fit(data[:, None].astype(float)).pdf([[x]])[0])
    data_text = ", ".join(str(int(v)) for v in data)
    statement = tr(
        lang,
        f"Observations: {data_text}. With the kernel {_KERNELS[kernel]} ({kernel}) and the "
        f"bandwidth h = {h}, compute the kernel density estimate "
        f"f^(x) = 1/(n h) sum_i K((x - x_i) / h) at x = {x}.",
        f"Observations : {data_text}. Avec le noyau {_KERNELS[kernel]} ({kernel}) et la "
        f"fenêtre h = {h}, calculer l'estimateur à noyau "
        f"f^(x) = 1/(n h) sum_i K((x - x_i) / h) en x = {x}.",
    )
    u = (x - data) / h
    rows = [[int(xi), fmt_number(ui)] for xi, ui in zip(data, u)]
    answer = md_table(["x_i", "u_i = (x - x_i) / h"], rows)
    answer += f"\n\nf^({x}) = {fmt_number(value)}" + (" (≈ {:.4f})".format(value) if kernel == "gaussian" else "") + "."
    return Exercise("kde_value", tr(lang, "A kernel density estimate", "Un estimateur à noyau"), statement, answer,
                    data={"data": data.tolist(), "x": x, "h": h, "kernel": kernel}, solution={"value": value})


def em_iteration(rng, lang):
    """One EM iteration for two 1-D Gaussian components from given starting values."""
    left = rng.choice(np.arange(0, 4), size=3, replace=False)
    right = rng.choice(np.arange(5, 10), size=3, replace=False)
    x = np.sort(np.concatenate([left, right])).astype(float)
    mu0 = np.array([float(rng.integers(0, 4)), float(rng.integers(5, 9))])
    var0, alpha0 = np.array([1.0, 1.0]), np.array([0.5, 0.5])
    # E-step from the starting values: gamma_{t,i} = alpha_i Phi_i(x_t) / sum_j alpha_j Phi_j(x_t).
    log_joint = np.column_stack([gaussian_log_pdf(x[:, None], [m], [[v]]) for m, v in zip(mu0, var0)])
    resp = np.exp(log_softmax(log_joint + np.log(alpha0), axis=1))
    gm = GaussianMixture(2, covariance_type="full", max_iter=1, tol=0.0, reg_covar=0.0,
                         weights_init=alpha0, means_init=mu0[:, None],
                         precisions_init=(1.0 / var0)[:, None, None])
    with warnings.catch_warnings():  # one iteration on purpose: no convergence expected
        warnings.simplefilter("ignore")
        gm.fit(x[:, None])
    alpha, mu, var = gm.weights_, gm.means_[:, 0], gm.covariances_[:, 0, 0]
    points = ", ".join(str(int(v)) for v in x)
    statement = tr(
        lang,
        f"Fit the mixture f(x) = alpha_1 N(x | mu_1, s_1^2) + alpha_2 N(x | mu_2, s_2^2) to the points "
        f"{points}, starting from alpha_1 = alpha_2 = 1/2, mu_1 = {int(mu0[0])}, mu_2 = {int(mu0[1])}, "
        "s_1^2 = s_2^2 = 1. Do one EM iteration: the responsibilities gamma_{t,i} (E-step), then the "
        "new alpha_i, mu_i and s_i^2 (M-step).",
        f"Ajuster le mélange f(x) = alpha_1 N(x | mu_1, s_1^2) + alpha_2 N(x | mu_2, s_2^2) aux points "
        f"{points}, en partant de alpha_1 = alpha_2 = 1/2, mu_1 = {int(mu0[0])}, mu_2 = {int(mu0[1])}, "
        "s_1^2 = s_2^2 = 1. Faire une itération de EM : les responsabilités gamma_{t,i} (étape E), puis "
        "les nouveaux alpha_i, mu_i et s_i^2 (étape M).",
    )
    answer = md_table(["x_t", "gamma_{t,1}", "gamma_{t,2}"],
                      [[int(xt), f"{g1:.4f}", f"{g2:.4f}"] for xt, (g1, g2) in zip(x, resp)])
    answer += "\n\n" + md_table(["i", "alpha_i", "mu_i", "s_i^2"],
                                [[i + 1, f"{a:.4f}", f"{m:.4f}", f"{v:.4f}"]
                                 for i, (a, m, v) in enumerate(zip(alpha, mu, var))])
    answer += "\n\n" + tr(lang, "M-step: N_i = sum_t gamma_{t,i}, alpha_i = N_i / n, "
                                "mu_i = sum_t gamma_{t,i} x_t / N_i, s_i^2 = sum_t gamma_{t,i} (x_t - mu_i)^2 / N_i.",
                          "Étape M : N_i = sum_t gamma_{t,i}, alpha_i = N_i / n, "
                          "mu_i = sum_t gamma_{t,i} x_t / N_i, s_i^2 = sum_t gamma_{t,i} (x_t - mu_i)^2 / N_i.")
    return Exercise("em_iteration", tr(lang, "One iteration of EM", "Une itération de EM"), statement, answer,
                    data={"x": x.tolist(), "means": mu0.tolist(), "variances": var0.tolist(),
                          "weights": alpha0.tolist()},
                    solution={"responsibilities": resp, "weights": alpha, "means": mu, "variances": var})


MAKERS = [kde_value, em_iteration]
