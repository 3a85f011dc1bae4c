"""Each exercise type's answer key, recomputed by an independent route for many seeds."""

import functools
import math
import re
from collections import Counter
from fractions import Fraction

import numpy as np
import pytest

from scratch_genmod.exam import fmt_number, make_exercises

SEEDS = range(20)


@functools.lru_cache(maxsize=None)
def sheet(seed, lang):
    return make_exercises(seed, lang)


def by_kind(seed, kind, lang="en"):
    return next(e for e in sheet(seed, lang) if e.kind == kind)


def test_at_least_eight_exercise_types_in_both_languages():
    for lang in ("en", "fr"):
        kinds = [e.kind for e in make_exercises(0, lang)]
        assert len(set(kinds)) == len(kinds) >= 8


@pytest.mark.parametrize("seed", SEEDS)
def test_probability_tables_by_counting(seed):
    ex = by_kind(seed, "probability_tables")
    x, y = ex.data["x"], ex.data["y"]
    pairs, xs, n = Counter(zip(x, y)), Counter(x), len(x)
    given, joint = ex.solution["conditional"], ex.solution["joint"]
    for xv in sorted(xs):
        for yv in (0, 1):
            if yv not in given.column_labels:
                continue
            exact_cond = Fraction(pairs[(xv, yv)], xs[xv])
            exact_joint = Fraction(pairs[(xv, yv)], n)
            assert given[xv, yv] == pytest.approx(float(exact_cond), abs=1e-15)
            assert joint[xv, yv] == pytest.approx(float(exact_joint), abs=1e-15)
            assert fmt_number(exact_cond) in ex.answer and fmt_number(exact_joint) in ex.answer


def _kernel_1d(kernel, u):
    """The textbook 1-D kernels, exact for the compact ones."""
    u = Fraction(u)
    if kernel == "gaussian":
        return math.exp(-float(u) ** 2 / 2) / math.sqrt(2 * math.pi)
    if abs(u) >= 1:
        return Fraction(0)
    return {"tophat": Fraction(1, 2), "epanechnikov": Fraction(3, 4) * (1 - u * u),
            "linear": 1 - abs(u)}[kernel]


@pytest.mark.parametrize("seed", SEEDS)
def test_kde_value_by_the_formula(seed):
    ex = by_kind(seed, "kde_value")
    d = ex.data
    x, h = Fraction(d["x"]), d["h"]
    total = sum(_kernel_1d(d["kernel"], (x - xi) / h) for xi in d["data"])
    expected = total / (len(d["data"]) * h)
    assert ex.solution["value"] == pytest.approx(float(expected), rel=1e-12, abs=1e-300)
    if d["kernel"] != "gaussian":  # exact answer shown as a fraction
        assert f"= {fmt_number(Fraction(expected))}." in ex.answer


@pytest.mark.parametrize("seed", SEEDS)
def test_em_iteration_by_hand(seed):
    ex = by_kind(seed, "em_iteration")
    d = ex.data
    x = d["x"]
    phi = [[a * math.exp(-(xt - m) ** 2 / (2 * v)) / math.sqrt(2 * math.pi * v)
            for a, m, v in zip(d["weights"], d["means"], d["variances"])] for xt in x]
    gamma = [[p / sum(row) for p in row] for row in phi]
    np.testing.assert_allclose(ex.solution["responsibilities"], gamma, rtol=1e-10, atol=1e-300)
    for i in range(2):
        N = sum(g[i] for g in gamma)
        mu = sum(g[i] * xt for g, xt in zip(gamma, x)) / N
        var = sum(g[i] * (xt - mu) ** 2 for g, xt in zip(gamma, x)) / N
        assert ex.solution["weights"][i] == pytest.approx(N / len(x), rel=1e-10)
        assert ex.solution["means"][i] == pytest.approx(mu, rel=1e-10)
        assert ex.solution["variances"][i] == pytest.approx(var, rel=1e-8)


@pytest.mark.parametrize("seed", SEEDS)
def test_bigram_row_by_counting(seed):
    ex = by_kind(seed, "bigram_row")
    word = ex.data["word"]
    follow = Counter(s[i + 1] for s in ex.data["corpus"] for i in range(len(s) - 1) if s[i] == word)
    total = sum(follow.values())
    expected = {w: Fraction(c, total) for w, c in follow.items()}
    row = ex.solution["row"]
    assert set(row) == set(expected)
    for w, p in expected.items():
        assert row[w] == pytest.approx(float(p), abs=1e-15)
        assert f"| {w} | {fmt_number(p)} |" in ex.answer


@pytest.mark.parametrize("seed", SEEDS)
def test_can_generate_by_bigram_sets(seed):
    ex = by_kind(seed, "can_generate")
    seen = {(a, b) for s in ex.data["corpus"] for a, b in zip(["<s>"] + s, s + ["</s>"])}
    expected = [all(p in seen for p in zip(["<s>"] + c, c + ["</s>"])) for c in ex.data["candidates"]]
    assert ex.solution["can_generate"] == expected
    assert re.findall(r"\*\*(yes|no)\*\*", ex.answer) == ["yes" if e else "no" for e in expected]


def _exact_stationary(M):
    """Solve pi (M - I) = 0, sum pi = 1 exactly by Gauss-Jordan elimination on fractions."""
    S = len(M)
    A = [[Fraction(M[j][i]).limit_denominator(100) - (i == j) for j in range(S)] for i in range(S)]
    A[-1] = [Fraction(1)] * S
    b = [Fraction(0)] * (S - 1) + [Fraction(1)]
    for c in range(S):
        r = next(r for r in range(c, S) if A[r][c] != 0)
        A[c], A[r], b[c], b[r] = A[r], A[c], b[r], b[c]
        for r in range(S):
            if r != c and A[r][c] != 0:
                f = A[r][c] / A[c][c]
                A[r] = [a - f * ac for a, ac in zip(A[r], A[c])]
                b[r] -= f * b[c]
    return [b[i] / A[i][i] for i in range(S)]


@pytest.mark.parametrize("seed", SEEDS)
def test_stationary_exactly(seed):
    ex = by_kind(seed, "stationary")
    pi = _exact_stationary(ex.data["matrix"].tolist())
    np.testing.assert_allclose(ex.solution["pi"], [float(p) for p in pi], atol=1e-12)
    for state, p in zip(ex.data["states"], pi):
        assert f"{state} {fmt_number(p)}" in ex.answer


@pytest.mark.parametrize("seed", SEEDS)
def test_autoencoder_parameters_by_formula(seed):
    ex = by_kind(seed, "autoencoder_parameters")
    sizes = ex.data["sizes"]
    dense = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    mirrored = sum(a * b + b for a, b in zip(sizes[::-1][:-1], sizes[::-1][1:]))
    assert (ex.solution["encoder"], ex.solution["decoder"]) == (dense, mirrored)
    assert ex.solution["code_dim"] == sizes[-1]
    assert f"{dense + mirrored:,}" in ex.answer


@pytest.mark.parametrize("seed", SEEDS)
def test_first_principal_component_closed_form(seed):
    ex = by_kind(seed, "first_principal_component")
    X = ex.data["X"]
    n = len(X)
    mx, my = sum(X[:, 0]) / n, sum(X[:, 1]) / n
    a = sum((p - mx) ** 2 for p in X[:, 0]) / (n - 1)
    c = sum((p - my) ** 2 for p in X[:, 1]) / (n - 1)
    b = sum((p - mx) * (q - my) for p, q in X) / (n - 1)
    lam = (a + c) / 2 + math.sqrt(((a - c) / 2) ** 2 + b * b)  # largest root of the 2x2 char. polynomial
    v = np.array([b, lam - a]) if abs(b) > 1e-12 else np.array([1.0, 0.0] if a >= c else [0.0, 1.0])
    v /= np.linalg.norm(v)
    assert ex.solution["variance"] == pytest.approx(lam, rel=1e-12)
    assert abs(abs(float(np.dot(ex.solution["component"], v))) - 1.0) < 1e-12


def test_quiz_answers_are_consistent_in_french():
    for seed in SEEDS:
        ex = by_kind(seed, "autoencoder_vs_pca", "fr")
        marks = re.findall(r"\*\*(vrai|faux)\*\*", ex.answer)
        assert [m == "vrai" for m in marks] == ex.solution["true"]


@pytest.mark.parametrize("seed", SEEDS)
def test_gaussian_bayes_answer_recomputed_by_hand(seed):
    ex = by_kind(seed, "gaussian_bayes")
    d = ex.data
    x = d["x"]
    # log N(x; mu, s2) + log prior, written out with the math module
    joint = [-0.5 * math.log(2 * math.pi * v) - (x - m) ** 2 / (2 * v) + math.log(p)
             for m, v, p in zip(d["means"], d["variances"], d["priors"])]
    assert ex.solution["joint"] == pytest.approx(joint, rel=1e-12)
    assert ex.solution["winner"] == ("A" if joint[0] > joint[1] else "B")
    post = 1.0 / (1.0 + math.exp(joint[1] - joint[0]))
    assert ex.solution["posterior_A"] == pytest.approx(post, rel=1e-12)
    assert 1e-4 < post < 1 - 1e-4  # hand-friendly: not 0 or 1 to four places
    assert sum(d["priors"]) == 1 and all(isinstance(p, Fraction) for p in d["priors"])
    assert f"{post:.4g}" in ex.answer


@pytest.mark.parametrize("kind, truth", [
    ("generative_or_discriminative", {"logistic regression": False, "a bigram language model": True,
                                      "a support vector machine": False, "Gaussian naive Bayes": True}),
])
def test_quiz_marks_match_the_course(kind, truth):
    for seed in SEEDS:
        ex = by_kind(seed, kind)
        marks = re.findall(r"\*\*(generative|discriminative)\*\*", ex.answer)
        assert [m == "generative" for m in marks] == ex.solution["generative"]
        for name, generative in zip(ex.data["models"], ex.solution["generative"]):
            if name in truth:
                assert truth[name] == generative
