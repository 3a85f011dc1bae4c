"""Each exercise type's key: both routes agree on many variants, and the exact routes on hand-worked cases."""

import dataclasses
import functools
import re
from fractions import Fraction

import numpy as np
import pytest

from scratch_genmod.exam import Exercise, KeyMismatchError, fmt_number, make_exercises, verify
from scratch_genmod.exam.exact import expected_answers
from scratch_genmod.exam.exercise import fmt_decimal


@functools.lru_cache(maxsize=None)
def sheet(seed, lang):
    return make_exercises(seed, lang)


def test_at_least_fourteen_exercise_types_in_both_languages():
    for lang in ("en", "fr"):
        kinds = [e.kind for e in make_exercises(0, lang)]
        assert len(set(kinds)) == len(kinds) >= 14
        assert {"kmeans_step", "bigram_perplexity", "backprop_step", "latent_interpolation"} <= set(kinds)


def _shown(value, lang):
    """How the key may print a value: its exact fraction, or its decimal (maths uses {,} in French)."""
    texts = {fmt_number(value, lang), fmt_decimal(value, lang)}
    if float(value).is_integer():  # counts group thousands: 12,345 / 12 345 (narrow no-break space)
        texts.add(f"{int(value):,}".replace(",", "\u202f" if lang == "fr" else ","))
    return texts | {t.replace(",", "{,}") for t in texts}


# 200 sheets: 100 students in each language; every graded value is checked by the exact route
# (verify) and found, as the key prints it, in the key's text.
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_200_sheets_every_key_checked_both_ways(lang):
    for i in range(100):
        for ex in make_exercises(11, lang, student=f"s{i:03d}"):
            verify(ex)
            assert ex.items, ex.kind
            for item in ex.items:
                if item.choices:
                    assert item.value in item.choices and f"**{item.value}**" in ex.answer or ex.quiz is None
                else:
                    assert any(t in ex.answer for t in _shown(item.value, lang)), (ex.kind, item)


def test_verify_catches_a_wrong_number_or_choice():
    for ex in make_exercises(5, "en"):
        item = ex.items[-1]
        if item.choices:
            other = next(c for c in item.choices if c != item.value)
            wrong = dataclasses.replace(item, value=other)
        else:
            wrong = dataclasses.replace(item, value=float(item.value) + 1 / 7)
        bad = dataclasses.replace(ex, items=ex.items[:-1] + [wrong])
        with pytest.raises(KeyMismatchError, match=ex.kind):
            verify(bad)


def _exercise(kind, **data):
    return Exercise(kind, "", "", "", data=data)


def test_exact_kmeans_step_by_hand():
    # (0,0), (1,0) are nearer c1 = (0,0); (4,4), (5,4), (4,5), (2,3) nearer c2 = (4,4) (13 > 5).
    X = [[0, 0], [1, 0], [4, 4], [5, 4], [4, 5], [2, 3]]
    got = dict(expected_answers(_exercise("kmeans_step", X=X, centers=[[0, 0], [4, 4]])))
    assert [got[f"x_{t} -> c"] for t in range(1, 7)] == [1, 1, 2, 2, 2, 2]
    assert (got["c_1[1]"], got["c_1[2]"]) == (Fraction(1, 2), 0)
    assert (got["c_2[1]"], got["c_2[2]"]) == (Fraction(15, 4), 4)


def test_exact_bigram_perplexity_by_hand():
    # c(<s>)=2, c(<s>,a)=2; c(a)=2, c(a,b)=1; c(b)=1, c(b,</s>)=1. V = {a, b, c} + </s> + <unk> = 5, k = 1.
    corpus = [["a", "b"], ["a", "c"]]
    got = expected_answers(_exercise("bigram_perplexity", corpus=corpus, sentence=["a", "b"], k=1, V=5))
    assert got[:3] == [("p(a|<s>)", Fraction(3, 7)), ("p(b|a)", Fraction(2, 7)), ("p(</s>|b)", Fraction(2, 6))]
    assert got[3][1] == pytest.approx((Fraction(3, 7) * Fraction(2, 7) * Fraction(1, 3)) ** (-1 / 3))
    with pytest.raises(KeyMismatchError, match="by counting"):
        expected_answers(_exercise("bigram_perplexity", corpus=corpus, sentence=["a"], k=1, V=6))


def test_exact_backprop_step_by_hand():
    # a = (1*1 + 2*0 + 0, 1*(-1) + 2*1 + 0) = (1, 1); h = (1, 1); y^ = 2*1 - 1*1 + 0 = 1; y = 3:
    # dL/dy^ = 2 (1 - 3) = -4; dL/da = (-4*2, -4*(-1)) = (-8, 4); dL/dw_{i,j} = dL/da_j x_i.
    d = dict(x=[1, 2], W=[[1, -1], [0, 1]], b=[0, 0], v=[2, -1], c=0, y=3)
    got = dict(expected_answers(_exercise("backprop_step", **d)))
    assert (got["y^"], got["L"]) == (1, 4)
    assert [got[f"dL/dw_{{{i},{j}}}"] for i in (1, 2) for j in (1, 2)] == [-8, 4, -16, 8]
    assert (got["dL/db_1"], got["dL/db_2"], got["dL/dv_1"], got["dL/dv_2"], got["dL/dc"]) == (-8, 4, -4, -4, -4)


def test_exact_latent_interpolation_by_hand():
    got = dict(expected_answers(_exercise("latent_interpolation", z_a=[1, 0], z_b=[0, 2],
                                          W=[[2, 0], [0, 2], [1, 1]], b=[0, 1, -1])))
    assert (got["z_1"], got["z_2"]) == (Fraction(1, 2), 1)
    assert (got["x_1"], got["x_2"], got["x_3"]) == (1, 3, Fraction(1, 2))


def test_exact_stationary_and_kde_by_hand():
    # M = [[1/2, 1/2], [1/4, 3/4]]: pi_1 / 2 = pi_2 / 4 ... pi = (1/3, 2/3).
    got = expected_answers(_exercise("stationary", matrix=[[0.5, 0.5], [0.25, 0.75]], states=["s", "r"]))
    assert got == [("pi(s)", Fraction(1, 3)), ("pi(r)", Fraction(2, 3))]
    # Epanechnikov, h = 2 at x = 1.5 over 1, 2, 5: u = 1/4, -1/4, -7/4 -> 3/4 (15/16) * 2 / (3 * 2) = 15/64.
    got = expected_answers(_exercise("kde_value", data=[1, 2, 5], x=1.5, h=2, kernel="epanechnikov"))
    assert got == [("f^(x)", Fraction(15, 64))]


def test_answers_are_well_conditioned():
    for seed in range(40):
        by_kind = {e.kind: e for e in sheet(seed, "en")}
        post = by_kind["gaussian_bayes"].solution["posterior_A"]
        assert 1e-4 < post < 1 - 1e-4 and abs(post - 0.5) > 1e-3
        gamma = by_kind["em_iteration"].solution["responsibilities"]
        assert np.all((np.abs(gamma - 0.5) > 1e-3) | (np.abs(gamma - 0.5) < 1e-12))  # 1/2 only when exact
        d = by_kind["kmeans_step"].data
        d2 = ((d["X"][:, None, :] - d["centers"][None]) ** 2).sum(axis=2)
        assert np.all(np.abs(d2[:, 0] - d2[:, 1]) >= 1)  # no point as near one centre as the other
        assert by_kind["kde_value"].solution["value"] > 0
        lam = np.linalg.eigvalsh(np.cov(by_kind["first_principal_component"].data["X"].T))
        assert lam[1] - lam[0] >= 1 - 1e-12  # a clear first axis
        bp = by_kind["backprop_step"].data
        assert np.all(bp["x"] @ bp["W"] + bp["b"] != 0)  # no unit on ReLU's kink


def test_quiz_marks_match_the_course_in_both_languages():
    truth = {"logistic regression": False, "a bigram language model": True,
             "a support vector machine": False, "Gaussian naive Bayes": True}
    for seed in range(20):
        for lang, words in (("en", ("generative", "discriminative")), ("fr", ("génératif", "discriminant"))):
            ex = next(e for e in sheet(seed, lang) if e.kind == "generative_or_discriminative")
            marks = re.findall(r"\*\*(\w+)\*\*", ex.answer)
            assert [m == words[0] for m in marks] == ex.solution["generative"] == [ok for _, ok in ex.quiz]
            assert 0 < sum(ex.solution["generative"]) < 5  # a multichoice question needs both kinds
            for name, generative in zip(ex.data["models"], ex.solution["generative"]):
                assert truth.get(name, generative) == generative
