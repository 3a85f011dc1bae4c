"""The HMM and Bernoulli-mixture exercises: exact routes on hand-worked cases, keys that vary."""

from fractions import Fraction as F

from scratch_genmod.exam import make_exercises, verify
from scratch_genmod.exam.exact import expected_answers
from scratch_genmod.exam.exercise import Exercise

SUN_RAIN = ["sun", "rain"]


def answers(kind, **data):
    return dict(expected_answers(Exercise(kind, "", "", "", data=data)))


def test_forward_by_hand():
    # pi_0 = (2/3, 1/3), stay 3/4 and 1/2, umbrella 1/4 (sun) and 4/5 (rain); seen: none, none, umbrella
    got = answers("hmm_forward", pi0=[F(2, 3), F(1, 3)], P=[[F(3, 4), F(1, 4)], [F(1, 2), F(1, 2)]],
                  B=[[F(3, 4), F(1, 4)], [F(1, 5), F(4, 5)]], x=[0, 0, 1], states=SUN_RAIN)
    assert got["alpha_1(sun)"] == F(1, 2) and got["alpha_1(rain)"] == F(1, 15)       # 2/3 * 3/4, 1/3 * 1/5
    assert got["alpha_2(sun)"] == F(3, 4) * (F(1, 2) * F(3, 4) + F(1, 15) * F(1, 2)) == F(49, 160)
    assert got["alpha_2(rain)"] == F(1, 5) * (F(1, 2) * F(1, 4) + F(1, 15) * F(1, 2)) == F(19, 600)
    assert got["P(x)"] == got["alpha_3(sun)"] + got["alpha_3(rain)"]


def test_viterbi_by_hand():
    # umbrella three times: rain, rain, rain has 1/4 * 3/4 * (2/3 * 3/4)^2 = 3/64 (sun first: 9/320)
    got = answers("hmm_viterbi", pi0=[F(3, 4), F(1, 4)], P=[[F(1, 2), F(1, 2)], [F(1, 3), F(2, 3)]],
                  B=[[F(4, 5), F(1, 5)], [F(1, 4), F(3, 4)]], x=[1, 1, 1], states=SUN_RAIN)
    assert [got["y_1"], got["y_2"], got["y_3"]] == [1, 1, 1] and got["P(y,x)"] == F(3, 64)


def test_bernoulli_em_step_by_hand():
    # two clear clusters: gamma = 27/28 for 110 (Phi_1 = 27/64, Phi_2 = 1/64), 1/28 for 001
    got = answers("bernoulli_em_step", X=[[1, 1, 0], [0, 0, 1], [1, 1, 0], [0, 0, 1]], alpha=[F(1, 2)] * 2,
                  mu=[[F(3, 4), F(3, 4), F(1, 4)], [F(1, 4), F(1, 4), F(3, 4)]])
    assert got["gamma_{1,1}"] == F(27, 28) and got["gamma_{2,1}"] == F(1, 28)
    assert got["alpha_1"] == F(1, 2) and got["mu_{1,1}"] == F(27, 28) and got["mu_{1,3}"] == F(1, 28)


def test_keys_vary_and_agree_with_the_library():
    paths, likelihoods = set(), set()
    for seed in range(40):
        for ex in make_exercises(seed, "en"):
            if ex.kind in ("hmm_forward", "hmm_viterbi", "bernoulli_em_step"):
                verify(ex)
            if ex.kind == "hmm_viterbi":
                paths.add(tuple(item.value for item in ex.items[:3]))
            if ex.kind == "hmm_forward":
                likelihoods.add(round(float(ex.items[-1].value), 9))
    assert len(paths) >= 4 and len(likelihoods) >= 20
