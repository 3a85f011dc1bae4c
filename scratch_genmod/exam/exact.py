"""The answer keys checked a second time, by an independent exact computation.

The exercise makers compute each answer with the library: the textbook
functions of each family (``bayes``, ``density``, ``markov``, ``nn`` and
``embed`` ``textbook``), and the estimators where a textbook has no such
function (what an n-gram model can generate, its perplexity, the size of the
layers an autoencoder builds); the Bernoulli mixture's EM step, which the
library does not have, is the course's formula written in its exercise.
Here every answer is computed again from the exercise's drawn data alone,
without the library: with :class:`fractions.Fraction` where the answer
is rational (probability tables, k-means centres, add-k probabilities,
stationary laws, gradients of a ReLU network with integer weights), and with
the formulas written out with :mod:`math` where it is not (Gaussian
densities, square roots, roots of a product). :func:`verify` compares the two
and raises :class:`KeyMismatchError` on any difference, so no key is written
that the two routes do not agree on.

>>> from scratch_genmod.exam import make_exercises
>>> all(verify(ex) is None for ex in make_exercises(seed=2, lang="fr"))
True
"""

import itertools
import math
import re
from collections import Counter
from fractions import Fraction

__all__ = ["expected_answers", "verify", "KeyMismatchError"]


class KeyMismatchError(ValueError):
    """The library's answer and the independent computation disagree.

    >>> issubclass(KeyMismatchError, ValueError)   # a wrong key stops the writing of sheets
    True
    """


def expected_answers(ex):
    """``[(label, value), ...]`` of exercise ``ex`` computed from ``ex.data`` alone.

    Values are Fractions when exact, floats otherwise, and for a choice the
    index of the right option in the item's ``choices``.
    """
    return _ROUTES[ex.kind](ex.data)


def verify(ex, rel=1e-9):
    """Raise :class:`KeyMismatchError` unless every graded answer of ``ex`` matches the exact route."""
    expected = expected_answers(ex)
    labels = [item.label for item in ex.items]
    if labels != [label for label, _ in expected]:
        raise KeyMismatchError(f"{ex.kind}: answers {labels} are not the expected {[lb for lb, _ in expected]}")
    for item, (label, value) in zip(ex.items, expected):
        if item.choices:
            ok = item.choices.index(item.value) == value
        elif isinstance(value, Fraction) and value.denominator <= 1000:
            ok = Fraction(float(item.value)).limit_denominator(1000) == value
        else:
            ok = abs(float(item.value) - float(value)) <= rel * max(1.0, abs(float(value)))
        if not ok:
            raise KeyMismatchError(f"{ex.kind}: {label} is {item.value!r} in the key, {value!r} exactly")


def _probability_tables(d):
    pairs, xs, ys, n = Counter(zip(d["x"], d["y"])), sorted(set(d["x"])), sorted(set(d["y"])), len(d["x"])
    count_x = Counter(d["x"])
    given = [(f"P(Y={y}|X={x})", Fraction(pairs[x, y], count_x[x])) for x in xs for y in ys]
    return given + [(f"P(X={x},Y={y})", Fraction(pairs[x, y], n)) for x in xs for y in ys]


def _gaussian_bayes(d):
    x = d["x"]
    joint = [-0.5 * math.log(2 * math.pi * v) - (x - m) ** 2 / (2 * v) + math.log(p)
             for m, v, p in zip(d["means"], d["variances"], d["priors"])]
    return [("log P(x|A) + log P(A)", joint[0]), ("log P(x|B) + log P(B)", joint[1]),
            ("argmax_y", 0 if joint[0] > joint[1] else 1),
            (f"P(Y=A|X={x})", 1.0 / (1.0 + math.exp(joint[1] - joint[0])))]


# The course's rule: a model of P(X|Y) and P(Y), or of P(X), is generative; one of P(Y|X) alone is not.
_GENERATIVE_WORDS = ("mixture", "naive bayes", "language model", "kernel density", "autoencoder")


def _generative_or_discriminative(d):
    return [(c, 0 if any(w in m.lower() for w in _GENERATIVE_WORDS) else 1) for c, m in zip("abcde", d["models"])]


def _kernel(kernel, u):
    if kernel == "gaussian":
        return math.exp(-float(u) ** 2 / 2) / math.sqrt(2 * math.pi)
    if abs(u) >= 1:
        return Fraction(0)
    return {"tophat": Fraction(1, 2), "epanechnikov": Fraction(3, 4) * (1 - u * u), "linear": 1 - abs(u)}[kernel]


def _kde_value(d):
    x, h = Fraction(d["x"]), d["h"]
    total = sum(_kernel(d["kernel"], (x - xi) / h) for xi in d["data"])
    return [("f^(x)", total / (len(d["data"]) * h))]


def _kmeans_step(d):
    X = [[Fraction(int(v)) for v in row] for row in d["X"]]
    C = [[Fraction(int(v)) for v in row] for row in d["centers"]]
    labels = [min(range(2), key=lambda i: sum((p - c) ** 2 for p, c in zip(x, C[i]))) for x in X]
    out = [(f"x_{t + 1} -> c", Fraction(lab + 1)) for t, lab in enumerate(labels)]
    for i in range(2):
        members = [x for x, lab in zip(X, labels) if lab == i]
        out += [(f"c_{i + 1}[{j + 1}]", sum(x[j] for x in members) / len(members)) for j in range(2)]
    return out


def _em_iteration(d):
    x = d["x"]
    phi = [[a * math.exp(-(xt - m) ** 2 / (2 * v)) / math.sqrt(2 * math.pi * v)
            for a, m, v in zip(d["weights"], d["means"], d["variances"])] for xt in x]
    gamma = [[p / math.fsum(row) for p in row] for row in phi]
    out = [(f"gamma_{{{t + 1},1}}", g[0]) for t, g in enumerate(gamma)]
    for i in range(2):
        N = math.fsum(g[i] for g in gamma)
        mu = math.fsum(g[i] * xt for g, xt in zip(gamma, x)) / N
        var = math.fsum(g[i] * (xt - mu) ** 2 for g, xt in zip(gamma, x)) / N
        out += [(f"alpha_{i + 1}", N / len(x)), (f"mu_{i + 1}", mu), (f"s_{i + 1}^2", var)]
    return out


def _bigram_row(d):
    word = d["word"]
    follow = Counter(s[i + 1] for s in d["corpus"] for i in range(len(s) - 1) if s[i] == word)
    total = sum(follow.values())
    return [(f"p({w}|{word})", Fraction(c, total)) for w, c in sorted(follow.items())]


def _bigrams(sentence):
    padded = ["<s>"] + list(sentence) + ["</s>"]
    return list(zip(padded[:-1], padded[1:]))


def _can_generate(d):
    seen = {pair for s in d["corpus"] for pair in _bigrams(s)}
    return [(c, 0 if all(p in seen for p in _bigrams(s)) else 1) for c, s in zip("abc", d["candidates"])]


def _bigram_perplexity(d):
    pairs = Counter(p for s in d["corpus"] for p in _bigrams(s))
    contexts = Counter(v for s in d["corpus"] for v, _ in _bigrams(s))
    V = len({w for s in d["corpus"] for w in s}) + 2  # the words, </s> and <unk>
    if V != d["V"]:
        raise KeyMismatchError(f"bigram_perplexity: |V| is {d['V']} on the sheet, {V} by counting")
    k = Fraction(d["k"])
    probs = [(v, w, (pairs[v, w] + k) / (contexts[v] + k * V)) for v, w in _bigrams(d["sentence"])]
    product = math.prod(p for _, _, p in probs)
    return [(f"p({w}|{v})", p) for v, w, p in probs] + [("perplexity", float(product) ** (-1 / len(probs)))]


def _stationary(d):
    """Solve pi (M - I) = 0, sum pi = 1 by Gauss-Jordan elimination on fractions."""
    M = [[Fraction(float(p)).limit_denominator(100) for p in row] for row in d["matrix"]]
    S = len(M)
    A = [[M[j][i] - (i == j) for j in range(S)] for i in range(S - 1)] + [[Fraction(1)] * S]
    b = [Fraction(0)] * (S - 1) + [Fraction(1)]
    for c in range(S):
        r = next(r for r in range(c, S) if A[r][c] != 0)
        A[c], A[r], b[c], b[r] = A[r], A[c], b[r], b[c]
        for r in range(S):
            if r != c and A[r][c] != 0:
                f = A[r][c] / A[c][c]
                A[r] = [a - f * ac for a, ac in zip(A[r], A[c])]
                b[r] -= f * b[c]
    return [(f"pi({s})", b[i] / A[i][i]) for i, s in enumerate(d["states"])]


def _autoencoder_parameters(d):
    sizes = d["sizes"]
    encoder = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    decoder = sum(a * b + b for a, b in zip(sizes[::-1][:-1], sizes[::-1][1:]))
    return [("|E|", Fraction(encoder)), ("|D|", Fraction(decoder)), ("|H|", Fraction(encoder + decoder)),
            ("d", Fraction(sizes[-1]))]


def _first_principal_component(d):
    X = [[Fraction(int(v)) for v in row] for row in d["X"]]
    n = len(X)
    m = [sum(row[j] for row in X) / n for j in range(2)]
    a, c, b = (sum((row[i] - m[i]) * (row[j] - m[j]) for row in X) / (n - 1) for i, j in ((0, 0), (1, 1), (0, 1)))
    disc = ((a - c) / 2) ** 2 + b * b  # lambda_1 = (a + c) / 2 + sqrt(disc), the larger root of det(C - lambda I)
    root = Fraction(math.isqrt(disc.numerator), math.isqrt(disc.denominator))
    exact = (a + c) / 2 + root if root * root == disc else None
    lam = (a + c) / 2 + math.sqrt(float(disc))
    v = (float(b), lam - float(a)) if b != 0 else ((1.0, 0.0) if a >= c else (0.0, 1.0))
    norm = math.hypot(*v)
    v = [t / norm for t in v]
    if v[0] < 0 or (v[0] == 0 and v[1] < 0):
        v = [-t for t in v]
    return [("v_1[1]", v[0]), ("v_1[2]", v[1]), ("lambda_1", exact if exact is not None else float(lam))]


# The course's answer: the autoencoder's edge over PCA is non-linearity; with identity activations it is PCA.
_TRUE_CLAIM_WORDS = ("non-linear", "identity")


def _autoencoder_vs_pca(d):
    return [(c, 0 if any(w in claim for w in _TRUE_CLAIM_WORDS) else 1) for c, claim in zip("abcd", d["claims"])]


# The course's answers to its two quizzes, as the course gives them.
def _probability_quiz(d):
    return [("answer", d["options"].index("cannot_tell"))]


def _capacity_quiz(d):
    return [("answer", d["options"].index("capacity"))]


def _hmm_forward(d):
    """alpha_1(i) = pi_0(i) b_{i,x_1}; alpha_t(j) = b_{j,x_t} sum_i alpha_{t-1}(i) p_{i,j}; P(x) = sum_i alpha_T(i)."""
    pi0, P, B, x, S = d["pi0"], d["P"], d["B"], d["x"], range(len(d["pi0"]))
    alpha = [[pi0[i] * B[i][x[0]] for i in S]]
    for t in range(1, len(x)):
        alpha.append([B[j][x[t]] * sum(alpha[-1][i] * P[i][j] for i in S) for j in S])
    out = [(f"alpha_{t + 1}({s})", a[i]) for t, a in enumerate(alpha) for i, s in enumerate(d["states"])]
    return out + [("P(x)", sum(alpha[-1]))]


def _hmm_viterbi(d):
    """Every hidden path's P(y, x) by enumeration, exactly: the largest is the Viterbi path."""
    pi0, P, B, x = d["pi0"], d["P"], d["B"], d["x"]
    best = None
    for y in itertools.product(range(len(pi0)), repeat=len(x)):
        p = pi0[y[0]] * B[y[0]][x[0]] * math.prod(P[y[t - 1]][y[t]] * B[y[t]][x[t]] for t in range(1, len(x)))
        if best is None or p > best[0]:
            best = (p, y)
    return [(f"y_{t + 1}", state) for t, state in enumerate(best[1])] + [("P(y,x)", best[0])]


def _bernoulli_em_step(d):
    X, mu, alpha0 = d["X"], d["mu"], d["alpha"]
    phi = [[a * math.prod(m if v else 1 - m for m, v in zip(mu_i, x)) for a, mu_i in zip(alpha0, mu)] for x in X]
    gamma = [[p / sum(row) for p in row] for row in phi]
    out = [(f"gamma_{{{t + 1},1}}", g[0]) for t, g in enumerate(gamma)]
    for i in range(len(mu)):
        N = sum(g[i] for g in gamma)
        out.append((f"alpha_{i + 1}", N / len(X)))
        out += [(f"mu_{{{i + 1},{j + 1}}}", sum(g[i] * x[j] for g, x in zip(gamma, X)) / N) for j in range(len(X[0]))]
    return out


def _generation_quiz(d):
    """The course's Markov quiz: a sentence is generated when each of its bigrams, from the start, was seen."""
    def words(sentence):
        return re.findall(r"[^\W\d_]+'|[^\W\d_]+|[.!?,]", sentence.lower())

    seen = {pair for s in d["corpus"] for pair in zip(["<s>"] + words(s), words(s))}
    can = [set(zip(["<s>"] + words(s), words(s))) <= seen
           for s in ("j'aime l'intelligence artificielle", "machine learning")]
    right = {(True, True): "both", (True, False): "first", (False, True): "second", (False, False): "neither"}
    return [("answer", d["options"].index(right[tuple(can)]))]


def _backprop_step(d):
    x, b, v = ([Fraction(int(t)) for t in d[name]] for name in ("x", "b", "v"))
    W = [[Fraction(int(t)) for t in row] for row in d["W"]]
    a = [sum(x[i] * W[i][j] for i in range(2)) + b[j] for j in range(2)]
    h = [max(t, Fraction(0)) for t in a]
    y_hat = sum(v[j] * h[j] for j in range(2)) + d["c"]
    dy = 2 * (y_hat - d["y"])
    da = [dy * v[j] * (1 if a[j] > 0 else 0) for j in range(2)]
    out = [("y^", y_hat), ("L", (y_hat - d["y"]) ** 2)]
    out += [(f"dL/dw_{{{i + 1},{j + 1}}}", da[j] * x[i]) for i in range(2) for j in range(2)]
    out += [(f"dL/db_{j + 1}", da[j]) for j in range(2)]
    return out + [(f"dL/dv_{j + 1}", dy * h[j]) for j in range(2)] + [("dL/dc", dy)]


def _latent_interpolation(d):
    z = [Fraction(int(p) + int(q), 2) for p, q in zip(d["z_a"], d["z_b"])]
    x = [sum(int(w) * t for w, t in zip(row, z)) + int(c) for row, c in zip(d["W"], d["b"])]
    return [(f"z_{i + 1}", t) for i, t in enumerate(z)] + [(f"x_{i + 1}", t) for i, t in enumerate(x)]


_ROUTES = {
    "probability_tables": _probability_tables, "gaussian_bayes": _gaussian_bayes,
    "generative_or_discriminative": _generative_or_discriminative, "kde_value": _kde_value,
    "kmeans_step": _kmeans_step, "em_iteration": _em_iteration, "bigram_row": _bigram_row,
    "can_generate": _can_generate, "bigram_perplexity": _bigram_perplexity, "stationary": _stationary,
    "autoencoder_parameters": _autoencoder_parameters, "first_principal_component": _first_principal_component,
    "autoencoder_vs_pca": _autoencoder_vs_pca, "backprop_step": _backprop_step,
    "latent_interpolation": _latent_interpolation,
    "probability_quiz": _probability_quiz, "capacity_quiz": _capacity_quiz, "generation_quiz": _generation_quiz,
    "hmm_forward": _hmm_forward, "hmm_viterbi": _hmm_viterbi, "bernoulli_em_step": _bernoulli_em_step,
}
