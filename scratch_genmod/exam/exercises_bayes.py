"""Exercises of section 1: generative vs discriminative models, Bayes' rule."""

from fractions import Fraction

import numpy as np

from scratch_genmod.bayes.textbook import (
    count_pairs, gaussian_log_density, gaussian_posterior, generative_decision, joint, y_given_x,
)
from scratch_genmod.exam.quizzes import probability_quiz
from scratch_genmod.exam.exercise import Answer, Exercise, colon, fmt_decimal, fmt_number, graded, md_table, tr

__all__ = ["probability_tables", "gaussian_bayes", "generative_or_discriminative", "MAKERS"]


def probability_tables(rng, lang):
    """P(Y|X) and P(X, Y) from eight labelled observations, as the course's first example."""
    x = rng.integers(1, 4, size=8)
    x[:3] = [1, 2, 3]  # every value of x occurs, so every row of P(Y|X) exists
    x = rng.permutation(x)
    y = rng.integers(0, 2, size=8)
    y[int(rng.integers(1, 8))] = 1 - y[0]  # both labels occur, so both columns exist
    # The course's tables, by the textbook: counts N(x, y), P(x, y) = N / n, P(y | x) = P(x, y) / P(x).
    xs, ys = sorted(set(x.tolist())), sorted(set(y.tolist()))
    P = joint(count_pairs(x, y))
    given = y_given_x(P)
    data_table = md_table(["$x$"] + [int(v) for v in x], [["$y$"] + [int(v) for v in y]])
    statement = tr(lang, "From these labelled observations, give the tables $P(Y \\mid X)$ and $P(X, Y)$.",
                   "À partir de ces observations étiquetées, donner les tables $P(Y \\mid X)$ et $P(X, Y)$.")
    statement += "\n\n" + data_table

    def render(table, name):
        header = [name] + [f"$y={c}$" for c in ys]
        return md_table(header, [[f"$x={r}$"] + [fmt_number(v, lang) for v in row] for r, row in zip(xs, table)])

    answer = render(given, "$P(Y \\mid X)$") + "\n\n" + render(P, "$P(X, Y)$") + "\n\n" + tr(
        lang, "$P(Y=y \\mid X=x) = \\#\\{x, y\\} / \\#\\{x\\}$ (each row sums to 1); "
              "$P(X=x, Y=y) = \\#\\{x, y\\} / n$ (all sum to 1).",
        "$P(Y=y \\mid X=x) = \\#\\{x, y\\} / \\#\\{x\\}$ (chaque ligne somme à 1) ; "
        "$P(X=x, Y=y) = \\#\\{x, y\\} / n$ (le tout somme à 1).")
    items = [graded(f"P(Y={c}|X={r})", given[i, j]) for i, r in enumerate(xs) for j, c in enumerate(ys)]
    items += [graded(f"P(X={r},Y={c})", P[i, j]) for i, r in enumerate(xs) for j, c in enumerate(ys)]
    return Exercise("probability_tables", tr(lang, "Probability tables", "Tables de probabilités"),
                    statement, answer, data={"x": x.tolist(), "y": y.tolist()},
                    solution={"conditional": given, "joint": P}, items=items)


def gaussian_bayes(rng, lang):
    """Classify a point with given 1-D class-conditional Gaussians and priors.

    Solution: for each class y, log P(x|y) + log P(y) (the course's equation
    (1)), the class with the largest value, and P(Y=A | x) by Bayes' rule.
    """
    for _ in range(100):  # redraw (bounded) until the two classes are far from a tie
        # Means 1 to 3 apart and x between them: the posterior is neither 0 nor 1 to 4 places.
        mu_a = int(rng.integers(-2, 3))
        mu = np.array([mu_a, mu_a + int(rng.choice([-3, -2, -1, 1, 2, 3]))])
        var = rng.choice([1, 4], size=2)
        p_a = Fraction(*[(1, 2), (1, 3), (1, 4), (2, 5), (3, 5), (3, 4)][rng.integers(6)])
        priors = [p_a, 1 - p_a]
        x = int(rng.integers(min(mu), max(mu) + 1))
        log_lik = np.array([gaussian_log_density([[x]], [m], [[v]])[0] for m, v in zip(mu, var)])
        log_prior = np.log([float(p) for p in priors])
        score = log_lik + log_prior
        if abs(score[0] - score[1]) > 0.1:
            break
    names = ["A", "B"]
    posterior = gaussian_posterior([[x]], [float(p) for p in priors], mu[:, None], var[:, None, None])[0]
    winner = names[int(generative_decision(log_lik[None, :], log_prior)[0])]
    statement = tr(
        lang,
        f"Two classes have the densities $P(X \\mid Y=A) = \\mathcal{{N}}({mu[0]}, {var[0]})$ and "
        f"$P(X \\mid Y=B) = \\mathcal{{N}}({mu[1]}, {var[1]})$ (mean, variance), with priors "
        f"$P(Y=A) = {p_a}$ and $P(Y=B) = {1 - p_a}$.\n\n"
        f"1. For $x = {x}$, compute $\\log P(x \\mid Y=y) + \\log P(Y=y)$ for each class (natural logs).\n"
        f"2. Which class does Bayes' rule choose?\n3. Compute $P(Y=A \\mid X={x})$.",
        f"Deux classes ont pour densités $P(X \\mid Y=A) = \\mathcal{{N}}({mu[0]}, {var[0]})$ et "
        f"$P(X \\mid Y=B) = \\mathcal{{N}}({mu[1]}, {var[1]})$ (moyenne, variance), et pour probabilités "
        f"a priori $P(Y=A) = {p_a}$ et $P(Y=B) = {1 - p_a}$.\n\n"
        f"1. Pour $x = {x}$, calculer $\\log P(x \\mid Y=y) + \\log P(Y=y)$ pour chaque classe "
        f"(logarithme népérien).\n2. Quelle classe la règle de Bayes choisit-elle ?\n"
        f"3. Calculer $P(Y=A \\mid X={x})$.",
    )
    rows = [[n, fmt_decimal(ll, lang), fmt_decimal(lp, lang), fmt_decimal(j, lang)]
            for n, ll, lp, j in zip(names, log_lik, log_prior, score)]
    answer = (md_table(["$y$", "$\\log P(x \\mid y)$", "$\\log P(y)$", tr(lang, "sum", "somme")], rows)
              + "\n\n" + tr(lang, f"Bayes' rule chooses **{winner}**; ",
                            f"La règle de Bayes choisit **{winner}** ; ")
              + f"$P(Y=A \\mid X={x})$ = {fmt_decimal(posterior[0], lang)}.\n\n"
              + tr(lang, "$\\log \\mathcal{N}(x; \\mu, s^2) = -\\frac12 \\log(2 \\pi s^2) - (x - \\mu)^2 / (2 s^2)$; "
                         "$P(A \\mid x) = e^a / (e^a + e^b)$ with $a$, $b$ the two sums.",
                   "$\\log \\mathcal{N}(x ; \\mu, s^2) = -\\frac12 \\log(2 \\pi s^2) - (x - \\mu)^2 / (2 s^2)$ ; "
                   "$P(A \\mid x) = e^a / (e^a + e^b)$ où $a$, $b$ sont les deux sommes."))
    items = [graded(f"log P(x|{n}) + log P({n})", j) for n, j in zip(names, score)]
    items += [Answer("argmax_y", winner, 0.0, tuple(names)),
              graded(f"P(Y=A|X={x})", posterior[0])]
    return Exercise(
        "gaussian_bayes", tr(lang, "Bayes' rule with Gaussian classes", "Règle de Bayes, classes gaussiennes"),
        statement, answer,
        data={"x": x, "means": [int(m) for m in mu], "variances": [int(v) for v in var],
              "priors": priors},
        solution={"joint": score, "winner": winner, "posterior_A": float(posterior[0])}, items=items,
    )


# (English, French, generative?, why in English, why in French)
_MODELS = [
    ("a Gaussian mixture per class, classifying by Bayes' rule",
     "un mélange de gaussiennes par classe, classant par la règle de Bayes", True,
     "it models P(X|Y) and P(Y), so it can also generate an x of a class",
     "il modélise P(X|Y) et P(Y), il peut donc aussi générer un x d'une classe"),
    ("logistic regression", "la régression logistique", False,
     "it models P(Y|X) directly: only the boundary between classes",
     "elle modélise directement P(Y|X) : seulement la frontière entre classes"),
    ("Gaussian naive Bayes", "Bayes naïf gaussien", True,
     "a diagonal Gaussian P(X|Y) per class and priors P(Y)",
     "une gaussienne diagonale P(X|Y) par classe et des probabilités a priori P(Y)"),
    ("a bigram language model", "un modèle de langue bigramme", True,
     "it models the probability of sequences and generates text",
     "il modélise la probabilité des séquences et génère du texte"),
    ("a neural network classifier trained with cross-entropy",
     "un réseau de neurones classifieur entraîné par entropie croisée", False,
     "its softmax output is a model of P(Y|X)",
     "sa sortie softmax est un modèle de P(Y|X)"),
    ("a kernel density estimate per class, with class priors",
     "une estimation à noyau par classe, avec les probabilités a priori", True,
     "each KDE is a model of P(X|Y); Bayes' rule gives P(Y|X)",
     "chaque estimateur à noyau modélise P(X|Y) ; la règle de Bayes donne P(Y|X)"),
    ("a support vector machine", "une machine à vecteurs de support", False,
     "it learns a separating boundary, not how the data are distributed",
     "elle apprend une frontière de séparation, pas la distribution des données"),
    ("an autoencoder with a density fitted on its codes",
     "un autoencodeur avec une densité estimée sur ses codes", True,
     "drawing z from the density and decoding it generates new x",
     "tirer z selon la densité et le décoder génère de nouveaux x"),
]


def generative_or_discriminative(rng, lang):
    """The course's quiz: which of these models are generative? (both kinds always among the five)"""
    generative = [i for i, m in enumerate(_MODELS) if m[2]]
    discriminative = [i for i, m in enumerate(_MODELS) if not m[2]]
    chosen = [int(rng.choice(generative)), int(rng.choice(discriminative))]
    rest = [i for i in range(len(_MODELS)) if i not in chosen]
    chosen += [int(i) for i in rng.choice(rest, size=3, replace=False)]
    picked = [_MODELS[i] for i in rng.permutation(chosen)]
    letters = "abcde"
    lines = [f"{c}. {tr(lang, m[0], m[1])}" for c, m in zip(letters, picked)]
    statement = tr(lang, "Which of these models are generative?", "Lesquels de ces modèles sont génératifs ?")
    kinds = (tr(lang, "generative", "génératif"), tr(lang, "discriminative", "discriminant"))
    feedback = [f"**{kinds[0] if m[2] else kinds[1]}**{colon(lang)} {tr(lang, m[3], m[4])}." for m in picked]
    answers = [f"{c}. {fb}" for c, fb in zip(letters, feedback)]
    return Exercise(
        "generative_or_discriminative",
        tr(lang, "Generative or discriminative?", "Génératif ou discriminant ?"),
        statement + "\n\n" + "\n".join(lines), "\n".join(answers),
        data={"models": [m[0] for m in picked]},
        solution={"generative": [m[2] for m in picked]},
        items=[Answer(c, kinds[0] if m[2] else kinds[1], 0.0, kinds) for c, m in zip(letters, picked)],
        quiz=[(tr(lang, m[0], m[1]), m[2]) for m in picked], option_feedback=feedback,
    )


MAKERS = [probability_tables, gaussian_bayes, generative_or_discriminative, probability_quiz]
