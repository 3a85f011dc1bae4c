"""Exercises of section 2: kernel density estimation, k-means and EM for mixtures."""

import numpy as np

from scratch_genmod.density.textbook import e_step, kde, lloyd_step, m_step
from scratch_genmod.exam.exercise import Exercise, fmt_decimal, fmt_number, graded, join_numbers, md_table, tr

__all__ = ["kde_value", "kmeans_step", "em_iteration", "MAKERS"]

# 1-D kernels K(u): (formula in LaTeX, English name, French name, where it is non-zero)
_KERNELS = {
    "gaussian": ("K(u) = \\frac{1}{\\sqrt{2\\pi}} e^{-u^2/2}", "Gaussian", "gaussien", False),
    "tophat": ("K(u) = \\frac{1}{2}", "top-hat", "uniforme", True),
    "epanechnikov": ("K(u) = \\frac{3}{4} (1 - u^2)", "Epanechnikov", "d'Epanechnikov", True),
    "linear": ("K(u) = 1 - |u|", "triangular", "triangulaire", True),
}


def kde_value(rng, lang):
    """Value of a 1-D kernel estimate f^(x) = 1/(n h) sum_i K((x - x_i) / h) at one point."""
    kernel = str(rng.choice(list(_KERNELS)))
    formula, name_en, name_fr, compact = _KERNELS[kernel]
    h = int(rng.choice([1, 2]))
    for _ in range(100):  # redraw (bounded) until some x_i is within h of x (an answer of 0 is no exercise)
        data = np.sort(rng.choice(np.arange(0, 8), size=int(rng.integers(4, 6)), replace=False))
        # x half-way between integers: |x - x_i| / h is never exactly 1 (no boundary case).
        x = float(rng.integers(int(data.min()), int(data.max()))) + 0.5
        if np.min(np.abs(x - data)) < h:
            break
    value = float(kde([[x]], data[:, None].astype(float), bandwidth=h, kernel=kernel)[0])
    support = tr(lang, " if $|u| < 1$, else $0$", " si $|u| < 1$, sinon $0$") if compact else ""
    xs = fmt_decimal(x, lang)
    statement = tr(
        lang,
        f"Observations: {join_numbers(data, lang)}. With the {name_en} kernel ${formula}${support}, and the "
        f"bandwidth $h = {h}$, compute the kernel density estimate "
        f"$\\hat f(x) = \\frac{{1}}{{n h}} \\sum_i K\\left(\\frac{{x - x_i}}{{h}}\\right)$ at $x = {xs}$.",
        f"Observations : {join_numbers(data, lang)}. Avec le noyau {name_fr} ${formula}${support}, et la "
        f"fenêtre $h = {h}$, calculer l'estimateur à noyau "
        f"$\\hat f(x) = \\frac{{1}}{{n h}} \\sum_i K\\left(\\frac{{x - x_i}}{{h}}\\right)$ en $x = {xs}$.",
    )
    u = (x - data) / h
    rows = [[int(xi), fmt_number(ui, lang)] for xi, ui in zip(data, u)]
    answer = md_table(["$x_i$", "$u_i = (x - x_i) / h$"], rows)
    # exact (a fraction) with a compact kernel; rounded, so "approximately", with the Gaussian one
    relation, shown = ("\\approx", fmt_decimal(value, lang)) if kernel == "gaussian" else ("=", fmt_number(value, lang))
    answer += f"\n\n$\\hat f({xs}) {relation} {shown}$."
    return Exercise("kde_value", tr(lang, "A kernel density estimate", "Un estimateur à noyau"), statement, answer,
                    data={"data": data.tolist(), "x": x, "h": h, "kernel": kernel}, solution={"value": value},
                    items=[graded("f^(x)", value)])


def kmeans_step(rng, lang):
    """One Lloyd step of k-means (k = 2) on six integer points: assignments, then new centres."""
    for _ in range(200):  # redraw (bounded) until no point is as near one centre as the other
        X = rng.integers(0, 7, size=(6, 2)).astype(float)
        C0 = rng.integers(0, 7, size=(2, 2)).astype(float)
        d2 = ((X[:, None, :] - C0[None, :, :]) ** 2).sum(axis=2)
        labels = d2.argmin(axis=1)
        if len(np.unique(X, axis=0)) == 6 and np.all(d2[:, 0] != d2[:, 1]) and len(set(labels)) == 2:
            break
    C1, labels = lloyd_step(X, C0)
    points = ", ".join(f"({int(a)}, {int(b)})" for a, b in X) if lang == "en" else \
        " ; ".join(f"({int(a)} ; {int(b)})" for a, b in X)
    c = [f"({int(a)}, {int(b)})" if lang == "en" else f"({int(a)} ; {int(b)})" for a, b in C0]
    statement = tr(
        lang,
        f"Run one step of Lloyd's algorithm (k-means, $k = 2$) on the points {points}, starting from the "
        f"centres $c_1 = {c[0]}$ and $c_2 = {c[1]}$: assign each point to its nearest centre "
        "(squared Euclidean distance), then move each centre to the mean of its points.",
        f"Faire une étape de l'algorithme de Lloyd (k-moyennes, $k = 2$) sur les points {points}, en partant "
        f"des centres $c_1 = {c[0]}$ et $c_2 = {c[1]}$ : affecter chaque point à son centre le plus proche "
        "(distance euclidienne au carré), puis placer chaque centre à la moyenne de ses points.",
    )
    sep = ", " if lang == "en" else " ; "
    rows = [[f"({int(a)}{sep}{int(b)})", int(d[0]), int(d[1]), f"$c_{lab + 1}$"]
            for (a, b), d, lab in zip(X, d2, labels)]
    header = ["$x_t$", "$\\lVert x_t - c_1 \\rVert^2$", "$\\lVert x_t - c_2 \\rVert^2$", "centre"]
    answer = md_table(header, rows)
    answer += "\n\n" + tr(lang, "New centres", "Nouveaux centres") + (" : " if lang == "fr" else ": ") + sep.join(
        f"$c_{i + 1}$ = ({fmt_number(p, lang)}{sep}{fmt_number(q, lang)})" for i, (p, q) in enumerate(C1)) + "."
    items = [graded(f"x_{t + 1} -> c", lab + 1, integer=True) for t, lab in enumerate(labels)]
    items += [graded(f"c_{i + 1}[{j + 1}]", C1[i, j]) for i in range(2) for j in range(2)]
    return Exercise("kmeans_step", tr(lang, "One step of k-means", "Une étape des k-moyennes"), statement, answer,
                    data={"X": X, "centers": C0}, solution={"labels": labels, "centers": C1}, items=items)


def em_iteration(rng, lang):
    """One EM iteration for two 1-D Gaussian components from given starting values."""
    left = rng.choice(np.arange(0, 4), size=3, replace=False)
    right = rng.choice(np.arange(5, 10), size=3, replace=False)
    x = np.sort(np.concatenate([left, right])).astype(float)
    mu0 = np.array([float(rng.integers(0, 4)), float(rng.integers(5, 9))])
    var0, alpha0 = np.array([1.0, 1.0]), np.array([0.5, 0.5])
    # E-step from the starting values, then M-step from its responsibilities (no variance floor: the course's).
    resp, _ = e_step(x[:, None], alpha0, mu0[:, None], var0, "spherical")
    alpha, mu, var = m_step(x[:, None], resp, "spherical", reg_covar=0.0)
    mu = mu[:, 0]
    start = (f"$\\alpha_1 = \\alpha_2 = \\frac12$, $\\mu_1 = {int(mu0[0])}$, $\\mu_2 = {int(mu0[1])}$, "
             "$s_1^2 = s_2^2 = 1$")
    mixture = "$f(x) = \\alpha_1 \\Phi_1(x \\mid \\mu_1, s_1^2) + \\alpha_2 \\Phi_2(x \\mid \\mu_2, s_2^2)$"
    statement = tr(
        lang,
        f"Fit the Gaussian mixture {mixture} to the points {join_numbers(x, lang)}, starting from {start}. "
        "Do one EM iteration: the responsibilities $\\gamma_{t,i}$ (E-step), then the new $\\alpha_i$, "
        "$\\mu_i$ and $s_i^2$ (M-step).",
        f"Ajuster le mélange de gaussiennes {mixture} aux points {join_numbers(x, lang)}, en partant de {start}. "
        "Faire une itération d'EM : les responsabilités $\\gamma_{t,i}$ (étape E), puis les nouveaux "
        "$\\alpha_i$, $\\mu_i$ et $s_i^2$ (étape M).",
    )
    answer = md_table(["$x_t$", "$\\gamma_{t,1}$", "$\\gamma_{t,2}$"],
                      [[int(xt), fmt_decimal(g1, lang), fmt_decimal(g2, lang)] for xt, (g1, g2) in zip(x, resp)])
    answer += "\n\n" + md_table(["$i$", "$\\alpha_i$", "$\\mu_i$", "$s_i^2$"],
                                [[i + 1, fmt_decimal(a, lang), fmt_decimal(m, lang), fmt_decimal(v, lang)]
                                 for i, (a, m, v) in enumerate(zip(alpha, mu, var))])
    answer += "\n\n" + tr(lang, "M-step: ", "Étape M : ") + (
        "$N_i = \\sum_t \\gamma_{t,i}$, $\\alpha_i = N_i / n$, $\\mu_i = \\sum_t \\gamma_{t,i} x_t / N_i$, "
        "$s_i^2 = \\sum_t \\gamma_{t,i} (x_t - \\mu_i)^2 / N_i$.")
    items = [graded(f"gamma_{{{t + 1},1}}", g[0]) for t, g in enumerate(resp)]
    for i in range(2):
        items += [graded(f"alpha_{i + 1}", alpha[i]), graded(f"mu_{i + 1}", mu[i]),
                  graded(f"s_{i + 1}^2", var[i])]
    return Exercise("em_iteration", tr(lang, "One iteration of EM", "Une itération d'EM"), statement, answer,
                    data={"x": x.tolist(), "means": mu0.tolist(), "variances": var0.tolist(),
                          "weights": alpha0.tolist()},
                    solution={"responsibilities": resp, "weights": alpha, "means": mu, "variances": var},
                    items=items)


MAKERS = [kde_value, kmeans_step, em_iteration]
