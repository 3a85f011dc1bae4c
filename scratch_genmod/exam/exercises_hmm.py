"""Exercises beyond the chapter: a hidden Markov model by hand, and one EM step on binary data.

A two-state HMM of the weather, seen only through a colleague's umbrella: the
hidden state Y_t follows a chain (pi_0, p_{i,j}) and each state emits a
symbol with probability b_{i,k}. The keys come from the library's textbook
HMM (:func:`~scratch_genmod.markov.textbook.forward`, ``viterbi``). The
Bernoulli mixture f(x) = sum_i alpha_i prod_d mu_{i,d}^{x_d} (1 - mu_{i,d})^{1 - x_d}
has no textbook function in the library: its key is the course's E- and
M-step written here in NumPy; :mod:`.exact` checks every key again with fractions.
"""

from fractions import Fraction

import numpy as np

from scratch_genmod.exam.exercise import Answer, Exercise, colon, fmt_number, graded, md_table, tr
from scratch_genmod.markov.textbook import categorical_log_emissions, forward, viterbi

__all__ = ["hmm_forward", "hmm_viterbi", "bernoulli_em_step", "MAKERS"]

_PI0 = [(1, 2), (2, 3), (1, 3), (3, 4), (1, 4)]          # P(Y_1 = sun), as a fraction
_STAY = [(3, 4), (2, 3), (4, 5), (1, 2)]                   # p_{i,i}: the weather tends to stay
_UMBRELLA = {0: [(1, 10), (1, 5), (1, 4)], 1: [(3, 5), (3, 4), (4, 5)]}  # b_{i, umbrella}


def _draw_hmm(rng):
    """pi_0, P, B (as Fractions) of a two-state weather HMM with two symbols."""
    def pick(options):
        return Fraction(*options[int(rng.integers(len(options)))])

    p_sun = pick(_PI0)
    stay = [pick(_STAY), pick(_STAY)]
    umbrella = [pick(_UMBRELLA[0]), pick(_UMBRELLA[1])]
    pi0 = [p_sun, 1 - p_sun]
    P = [[stay[0], 1 - stay[0]], [1 - stay[1], stay[1]]]
    B = [[1 - umbrella[0], umbrella[0]], [1 - umbrella[1], umbrella[1]]]  # symbols: 0 none, 1 umbrella
    return pi0, P, B


def _names(lang):
    states = tr(lang, ["sun", "rain"], ["soleil", "pluie"])
    symbols = tr(lang, ["no umbrella", "umbrella"], ["sans parapluie", "parapluie"])
    return states, symbols


def _describe(pi0, P, B, x, lang):
    """The model's tables and the observed sequence, in Markdown."""
    states, symbols = _names(lang)
    show = [[s, fmt_number(p, lang)] for s, p in zip(states, pi0)]
    text = tr(lang, "The weather $Y_t$ follows a hidden Markov chain; we only see whether a colleague "
                    "carries an umbrella ($x_t$).",
              "La météo $Y_t$ suit une chaîne de Markov cachée ; on voit seulement si un collègue "
              "porte un parapluie ($x_t$).")
    text += "\n\n" + md_table(["$i$", "$\\pi_0(i)$"], show)
    text += "\n\n" + md_table([""] + [f"$p_{{i,\\text{{{s}}}}}$" for s in states],
                              [[s] + [fmt_number(p, lang) for p in row] for s, row in zip(states, P)])
    text += "\n\n" + md_table([""] + [f"$b_{{i,\\text{{{k}}}}}$" for k in symbols],
                              [[s] + [fmt_number(b, lang) for b in row] for s, row in zip(states, B)])
    seq = ", ".join(symbols[k] for k in x) if lang == "en" else " ; ".join(symbols[k] for k in x)
    return text + "\n\n" + tr(lang, f"Observed: {seq}.", f"Observé : {seq}.")


def _log_Phi(B, x):
    return categorical_log_emissions(x, np.array(B, dtype=float))


def hmm_forward(rng, lang):
    """The forward variables alpha_t(i) = P(x_1..x_t, Y_t = i) of a 2-state HMM, by hand, and P(x)."""
    pi0, P, B = _draw_hmm(rng)
    x = [int(k) for k in rng.integers(2, size=3)]
    log_alpha, log_L = forward(np.array(pi0, dtype=float), np.array(P, dtype=float), _log_Phi(B, x))
    alpha, likelihood = np.exp(log_alpha), float(np.exp(log_L))
    states, _ = _names(lang)
    recursion = ("($\\alpha_1(i) = \\pi_0(i)\\, b_{i,x_1}$, "
                 "$\\alpha_t(j) = b_{j,x_t} \\sum_i \\alpha_{t-1}(i)\\, p_{i,j}$)")
    statement = _describe(pi0, P, B, x, lang) + "\n\n" + tr(
        lang, "Compute the forward variables $\\alpha_t(i) = P(x_1 \\ldots x_t, Y_t = i)$ for $t = 1, 2, 3$ "
              f"{recursion}, then $P(x_1 x_2 x_3)$.",
        "Calculer les variables avant $\\alpha_t(i) = P(x_1 \\ldots x_t, Y_t = i)$ pour $t = 1, 2, 3$ "
        f"{recursion}, puis $P(x_1 x_2 x_3)$.")
    answer = md_table(["$t$"] + [f"$\\alpha_t(\\text{{{s}}})$" for s in states],
                      [[t + 1] + [fmt_number(a, lang) for a in row] for t, row in enumerate(alpha)])
    answer += "\n\n" + f"$P(x_1 x_2 x_3) = \\sum_i \\alpha_3(i) = {fmt_number(likelihood, lang)}$."
    items = [graded(f"alpha_{t + 1}({s})", alpha[t, i]) for t in range(3) for i, s in enumerate(states)]
    items.append(graded("P(x)", likelihood))
    return Exercise("hmm_forward", tr(lang, "Forward probabilities of a hidden Markov model",
                                      "Probabilités avant d'un modèle de Markov caché"),
                    statement, answer, data={"pi0": pi0, "P": P, "B": B, "x": x, "states": states},
                    solution={"alpha": alpha, "likelihood": likelihood}, items=items)


def hmm_viterbi(rng, lang):
    """The most probable hidden path of a 2-state HMM (Viterbi) and its probability P(y, x)."""
    for _ in range(100):  # redraw (bounded) until one path is strictly the most probable
        pi0, P, B = _draw_hmm(rng)
        x = [int(k) for k in rng.integers(2, size=3)]
        scores = sorted((_path_probability(pi0, P, B, x, y), y) for y in np.ndindex(2, 2, 2))
        if scores[-1][0] != scores[-2][0]:
            break
    path, log_p = viterbi(np.array(pi0, dtype=float), np.array(P, dtype=float), _log_Phi(B, x))
    states, _ = _names(lang)
    shown = [states[int(i)] for i in path]
    statement = _describe(pi0, P, B, x, lang) + "\n\n" + tr(
        lang, "Find the most probable weather $y_1 y_2 y_3$ given these observations (Viterbi: "
              "$\\delta_t(j) = b_{j,x_t} \\max_i \\delta_{t-1}(i)\\, p_{i,j}$), and its probability $P(y, x)$.",
        "Trouver la météo la plus probable $y_1 y_2 y_3$ sachant ces observations (Viterbi : "
        "$\\delta_t(j) = b_{j,x_t} \\max_i \\delta_{t-1}(i)\\, p_{i,j}$), et sa probabilité $P(y, x)$.")
    answer = (tr(lang, "Most probable path", "Chemin le plus probable") + f"{colon(lang)} "
              + ", ".join(f"**{s}**" for s in shown) + tr(lang, "; ", " ; ")
              + f"$P(y, x) = {fmt_number(float(np.exp(log_p)), lang)}$.")
    items = [Answer(f"y_{t + 1}", s, 0.0, tuple(states)) for t, s in enumerate(shown)]
    items.append(graded("P(y,x)", float(np.exp(log_p))))
    return Exercise("hmm_viterbi", tr(lang, "The Viterbi path", "Le chemin de Viterbi"), statement, answer,
                    data={"pi0": pi0, "P": P, "B": B, "x": x, "states": states},
                    solution={"path": path, "log_prob": log_p}, items=items)


def _path_probability(pi0, P, B, x, y):
    """P(Y = y, x) = pi_0(y_1) b_{y_1,x_1} prod_t p_{y_{t-1},y_t} b_{y_t,x_t}, exactly (to pick a unique path)."""
    p = pi0[y[0]] * B[y[0]][x[0]]
    for t in range(1, len(x)):
        p *= P[y[t - 1]][y[t]] * B[y[t]][x[t]]
    return p


_MU = [(1, 4), (1, 2), (3, 4), (1, 5), (4, 5)]


def bernoulli_em_step(rng, lang):
    """One EM iteration of a mixture of two Bernoulli products on four binary vectors."""
    X = rng.integers(2, size=(4, 3))
    mu0 = np.array([[Fraction(*_MU[int(k)]) for k in rng.integers(len(_MU), size=3)] for _ in range(2)])
    alpha0 = np.array([Fraction(1, 2), Fraction(1, 2)])
    # E-step: gamma_{t,i} = alpha_i Phi_i(x_t) / sum_j alpha_j Phi_j(x_t), Phi_i(x) = prod_d mu^x (1 - mu)^(1 - x)
    m = mu0.astype(float)
    phi = np.prod(np.where(X[:, None, :] == 1, m[None], 1.0 - m[None]), axis=2) * alpha0.astype(float)
    gamma = phi / phi.sum(axis=1, keepdims=True)
    # M-step: N_i = sum_t gamma_{t,i}, alpha_i = N_i / n, mu_{i,d} = sum_t gamma_{t,i} x_{t,d} / N_i
    N = gamma.sum(axis=0)
    alpha, mu = N / len(X), (gamma.T @ X) / N[:, None]
    rows = [[t + 1, "".join(str(v) for v in row)] for t, row in enumerate(X)]
    start = md_table(["$i$", "$\\alpha_i$"] + [f"$\\mu_{{i,{d + 1}}}$" for d in range(3)],
                     [[i + 1, "1/2"] + [fmt_number(v, lang) for v in mu0[i]] for i in range(2)])
    statement = tr(
        lang, "A mixture of two Bernoulli products models binary vectors: "
              "$f(x) = \\sum_i \\alpha_i \\prod_d \\mu_{i,d}^{x_d} (1 - \\mu_{i,d})^{1 - x_d}$. The data:",
        "Un mélange de deux produits de Bernoulli modélise des vecteurs binaires : "
        "$f(x) = \\sum_i \\alpha_i \\prod_d \\mu_{i,d}^{x_d} (1 - \\mu_{i,d})^{1 - x_d}$. Les données :")
    statement += "\n\n" + md_table(["$t$", "$x_t$"], rows) + "\n\n" + tr(lang, "The start:", "Le départ :")
    statement += "\n\n" + start + "\n\n" + tr(
        lang, "Do one EM iteration: the responsibilities $\\gamma_{t,1}$ (E-step), then the new $\\alpha_i$ "
              "and $\\mu_{i,d}$ (M-step).",
        "Faire une itération d'EM : les responsabilités $\\gamma_{t,1}$ (étape E), puis les nouveaux "
        "$\\alpha_i$ et $\\mu_{i,d}$ (étape M).")
    answer = md_table(["$t$", "$\\gamma_{t,1}$", "$\\gamma_{t,2}$"],
                      [[t + 1, fmt_number(g[0], lang), fmt_number(g[1], lang)] for t, g in enumerate(gamma)])
    answer += "\n\n" + md_table(["$i$", "$\\alpha_i$"] + [f"$\\mu_{{i,{d + 1}}}$" for d in range(3)],
                                [[i + 1, fmt_number(alpha[i], lang)] + [fmt_number(v, lang) for v in mu[i]]
                                 for i in range(2)])
    items = [graded(f"gamma_{{{t + 1},1}}", g[0]) for t, g in enumerate(gamma)]
    for i in range(2):
        items.append(graded(f"alpha_{i + 1}", alpha[i]))
        items += [graded(f"mu_{{{i + 1},{d + 1}}}", mu[i, d]) for d in range(3)]
    title = tr(lang, "One EM iteration on binary data", "Une itération d'EM sur des données binaires")
    return Exercise("bernoulli_em_step", title, statement, answer, data={"X": X.tolist(), "mu": mu0.tolist(), "alpha": alpha0.tolist()},
                    solution={"responsibilities": gamma, "weights": alpha, "means": mu}, items=items)


MAKERS = [hmm_forward, hmm_viterbi, bernoulli_em_step]
