"""Exercises of section 4: autoencoders, PCA and latent spaces."""

import functools

import numpy as np

from scratch_genmod.embed.textbook import pca
from scratch_genmod.exam.quizzes import capacity_quiz
from scratch_genmod.exam.exercise import Answer, Exercise, colon, fmt_decimal, fmt_number, graded, md_table, tr
from scratch_genmod.nn import Dense, Sequential

__all__ = ["autoencoder_parameters", "first_principal_component", "autoencoder_vs_pca", "MAKERS"]


def autoencoder_parameters(rng, lang):
    """Number of weights and biases of a dense autoencoder with a mirrored decoder."""
    n = int(rng.choice([64, 100, 784]))
    hidden = sorted(rng.choice([512, 256, 128, 64, 32], size=int(rng.integers(1, 3)), replace=False),
                    reverse=True)
    hidden = [int(h) for h in hidden if h < n]
    d = int(rng.choice([2, 8, 16]))
    sizes = [n] + hidden + [d]
    counts = list(_parameter_counts(tuple(sizes)))
    arch = "$" + " \\to ".join(str(s) for s in sizes) + "$"
    statement = tr(
        lang,
        f"An autoencoder $H = D \\circ E$ has a dense encoder $E$ with layer sizes {arch} and a decoder $D$ "
        "with the same sizes in reverse (every layer has weights and biases). "
        "How many parameters do $E$, $D$ and $H$ have? What is the dimension of the code $z = E(x)$?",
        f"Un autoencodeur $H = D \\circ E$ a un encodeur dense $E$ de tailles {arch} et un décodeur $D$ "
        "de mêmes tailles en sens inverse (chaque couche a des poids et des biais). "
        "Combien de paramètres ont $E$, $D$ et $H$ ? Quelle est la dimension du code $z = E(x)$ ?",
    )
    terms = " + ".join(f"({a} \\times {b} + {b})" for a, b in zip(sizes[:-1], sizes[1:]))
    big = [_integer(c, lang) for c in counts + [sum(counts)]]
    answer = tr(lang, f"$E$: ${terms}$ = {big[0]}; $D$: {big[1]}; $H$: {big[2]} parameters. "
                      f"The code has dimension $d = {d}$.",
                f"$E$ : ${terms}$ = {big[0]} ; $D$ : {big[1]} ; $H$ : {big[2]} paramètres. "
                f"Le code est de dimension $d = {d}$.")
    return Exercise("autoencoder_parameters", tr(lang, "Size of an autoencoder", "Taille d'un autoencodeur"),
                    statement, answer, data={"sizes": sizes},
                    solution={"encoder": counts[0], "decoder": counts[1], "code_dim": d},
                    items=[graded(name, n, integer=True) for name, n in
                           zip(["|E|", "|D|", "|H|", "d"], counts + [sum(counts), d])])


def _integer(n, lang):
    """A large integer with thousands grouped: 12,345 in English, 12 345 (narrow space) in French."""
    return f"{n:,}".replace(",", "\u202f") if lang == "fr" else f"{n:,}"


def first_principal_component(rng, lang):
    """First principal axis and its variance for four 2-D points (covariance with 1/(n-1))."""
    for _ in range(100):  # redraw (bounded) until the covariance is not a multiple of I
        centre = rng.integers(-3, 4, size=2)
        p = rng.integers(1, 4, size=2) * np.array([1, int(rng.choice([-1, 1]))])
        q = rng.integers(0, 3, size=2) * np.array([int(rng.choice([-1, 1])), 1])
        X = np.vstack([centre + p, centre - p, centre + q, centre - q]).astype(float)
        C = np.cov(X.T)
        # lambda_1 - lambda_2 = 2 sqrt(((c11 - c22) / 2)^2 + c12^2) >= 1: a clear first axis, whose
        # direction does not swing with the last digit of a rounding (C = k I would make every axis first).
        if ((C[0, 0] - C[1, 1]) / 2) ** 2 + C[0, 1] ** 2 >= 0.25:
            break
    components, variances, _ = pca(X, 1)
    v, lam = components[0], float(variances[0])
    sep = " ; " if lang == "fr" else ", "
    points = sep.join(f"({int(a)}{sep}{int(b)})" for a, b in X)
    statement = tr(
        lang,
        f"Find the first principal component (a unit vector) of the points {points}, and the "
        "variance along it (sample covariance with $1/(n - 1)$).",
        f"Trouver la première composante principale (un vecteur unitaire) des points {points}, et "
        "la variance le long de cet axe (covariance empirique en $1/(n - 1)$).",
    )
    mean = f"({fmt_number(X[:, 0].mean(), lang)}{sep}{fmt_number(X[:, 1].mean(), lang)})"
    answer = tr(lang, f"Mean {mean}; covariance", f"Moyenne {mean} ; covariance")
    answer += "\n\n" + md_table(["", "$x_1$", "$x_2$"], [["$x_1$"] + [fmt_number(c, lang) for c in C[0]],
                                                        ["$x_2$"] + [fmt_number(c, lang) for c in C[1]]])
    v = v if v[0] > 0 or (v[0] == 0 and v[1] > 0) else -v  # the sign the key shows: first non-zero entry > 0
    answer += "\n\n" + tr(lang, "First component", "Première composante") + colon(lang)
    answer += f" $v_1$ = ({fmt_decimal(v[0], lang)}{sep}{fmt_decimal(v[1], lang)}) "
    answer += tr(lang, "(up to sign), variance", "(au signe près), variance")
    answer += f" $\\lambda_1$ = {fmt_number(lam, lang)}" + tr(
        lang, ": the largest eigenvalue of the covariance.", " : la plus grande valeur propre de la covariance.")
    return Exercise("first_principal_component",
                    tr(lang, "First principal component", "Première composante principale"),
                    statement, answer, data={"X": X}, solution={"component": v, "variance": lam},
                    items=[graded("v_1[1]", v[0]), graded("v_1[2]", v[1]), graded("lambda_1", lam)])

@functools.lru_cache(maxsize=None)
def _parameter_counts(sizes):
    """Parameters of the encoder and the mirrored decoder, counted on the very layers the library builds."""
    encoder = Sequential([Dense(a, b) for a, b in zip(sizes[:-1], sizes[1:])]).build(0)
    decoder = Sequential([Dense(a, b) for a, b in zip(sizes[::-1][:-1], sizes[::-1][1:])]).build(0)
    return tuple(sum(p.size for p in net.params()) for net in (encoder, decoder))


# (English, French, correct?, why in English, why in French)
_CLAIMS = [
    ("its encoder and decoder can be non-linear, so it can follow a curved manifold of the data",
     "son encodeur et son décodeur peuvent être non linéaires : il suit une variété courbe des données",
     True, "PCA can only project onto a flat (linear) subspace",
     "l'ACP ne projette que sur un sous-espace plat (linéaire)"),
    ("its latent axes are always orthogonal and ordered by variance",
     "ses axes latents sont toujours orthogonaux et ordonnés par variance",
     False, "that is PCA's property; even a linear autoencoder finds the same subspace without orthogonality",
     "c'est une propriété de l'ACP ; même un autoencodeur linéaire trouve le même sous-espace sans orthogonalité"),
    ("it has an exact closed-form solution",
     "il a une solution exacte en forme close",
     False, "PCA does (an SVD); the autoencoder is trained by gradient descent on a non-convex loss",
     "c'est l'ACP (une SVD) ; l'autoencodeur s'entraîne par descente de gradient sur une perte non convexe"),
    ("with identity activations it does what PCA does",
     "avec des activations identité il fait ce que fait l'ACP",
     True, "a linear autoencoder minimising the squared error spans the top principal subspace",
     "un autoencodeur linéaire qui minimise l'erreur quadratique engendre le sous-espace principal"),
    ("it needs no training data",
     "il n'a pas besoin de données d'entraînement",
     False, "both are learnt from data", "les deux s'apprennent sur des données"),
]


def autoencoder_vs_pca(rng, lang):
    """The course's question: what does an autoencoder offer over PCA? (true/false claims)."""
    order = rng.permutation(len(_CLAIMS))
    picked = [_CLAIMS[i] for i in order[:4]]  # 2 of the 5 claims are true: 4 of them hold both kinds
    marks = tr(lang, ("true", "false"), ("vrai", "faux"))
    letters = "abcd"
    statement = tr(lang, "True or false? Compared with PCA, an autoencoder $H = D \\circ E$ ...",
                   "Vrai ou faux ? Par rapport à l'ACP, un autoencodeur $H = D \\circ E$ ...")
    statement += "\n\n" + "\n".join(f"{c}. {tr(lang, m[0], m[1])}" for c, m in zip(letters, picked))
    feedback = [f"**{marks[0] if m[2] else marks[1]}**{colon(lang)} {tr(lang, m[3], m[4])}." for m in picked]
    answer = "\n".join(f"{c}. {fb}" for c, fb in zip(letters, feedback))
    return Exercise("autoencoder_vs_pca", tr(lang, "Autoencoder or PCA?", "Autoencodeur ou ACP ?"),
                    statement, answer, data={"claims": [m[0] for m in picked]},
                    solution={"true": [m[2] for m in picked]},
                    items=[Answer(c, marks[0] if m[2] else marks[1], 0.0, marks) for c, m in zip(letters, picked)],
                    quiz=[(tr(lang, m[0], m[1]), m[2]) for m in picked], option_feedback=feedback)


MAKERS = [autoencoder_parameters, first_principal_component, autoencoder_vs_pca, capacity_quiz]
