"""CategoricalNB and BernoulliNB: hand-worked tables, fast = textbook, scikit-learn's numbers."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.core import clone, load, save
from scratch_genmod.bayes import BernoulliNB, CategoricalNB
from scratch_genmod.bayes.fast import discrete_nb as fast
from scratch_genmod.bayes.textbook import (
    bernoulli_nb_log_likelihood,
    categorical_nb_log_likelihood,
    fit_bernoulli_nb,
    fit_categorical_nb,
)


def test_categorical_posterior_by_hand():
    # Sky (0 clear, 1 cloudy), wind (0 calm, 1 windy); classes rain (0), sun (1); alpha = 1.
    X = [[0, 0], [0, 1], [1, 1], [1, 1], [1, 0]]
    model = CategoricalNB().fit(X, ["sun", "sun", "rain", "rain", "rain"])
    # rain: sky (1/5, 4/5), wind (2/5, 3/5), prior 3/5; sun: sky (3/4, 1/4), wind (1/2, 1/2), 2/5
    rain, sun = 0.8 * 0.6 * 0.6, 0.25 * 0.5 * 0.4
    assert model.predict_proba([[1, 1]])[0] == pytest.approx([rain / (rain + sun),
                                                              sun / (rain + sun)], rel=1e-12)
    assert model.score_samples([[1, 1]])[0] == pytest.approx(np.log(rain + sun), rel=1e-12)


def test_bernoulli_posterior_by_hand():
    X = [[1, 0], [1, 1], [0, 0], [0, 1], [0, 0]]
    model = BernoulliNB(alpha=0.5).fit(X, [1, 1, 0, 0, 0])
    # class 1: p = ((2 + .5)/3, (1 + .5)/3); class 0: p = (.5/4, 1.5/4); priors 2/5, 3/5
    p1, p0 = np.array([2.5 / 3, 1.5 / 3]), np.array([0.5 / 4, 1.5 / 4])
    np.testing.assert_allclose(model.feature_prob_, [p0, p1], rtol=1e-12)
    j1, j0 = 0.4 * p1[0] * (1 - p1[1]), 0.6 * p0[0] * (1 - p0[1])
    assert model.predict_proba([[1, 0]])[0, 1] == pytest.approx(j1 / (j0 + j1), rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(3, 30), d=st.integers(1, 4),
       alpha=st.sampled_from([0.0, 0.3, 1.0, 2.5]))
def test_fast_equals_textbook(seed, n, d, alpha):
    rng = np.random.default_rng(seed)
    K = rng.integers(1, 5, size=d)
    X = (rng.random((n, d)) * K).astype(np.int64)
    y = np.concatenate([[0, 1, 2], rng.integers(3, size=n - 3)])  # every class has a sample
    theta = fit_categorical_nb(X, y, 3, K.tolist(), alpha)
    got = fast.categorical_tables(X, y, 3, K.tolist(), alpha)
    for a, b in zip(got, theta):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    # alpha = 0: values never seen in a class have probability 0, log -inf in both
    np.testing.assert_allclose(fast.categorical_log_likelihood_gathered(X, theta),
                               categorical_nb_log_likelihood(X, theta), rtol=1e-12)
    B = (rng.random((n, d)) < 0.5).astype(float)
    p = fit_bernoulli_nb(B, y, 3, alpha)
    np.testing.assert_allclose(fast.bernoulli_rates(B, y, 3, alpha), p, rtol=1e-12)
    np.testing.assert_allclose(fast.bernoulli_log_likelihood_matmul(B, p),
                               bernoulli_nb_log_likelihood(B, p), rtol=1e-12)


@pytest.mark.parametrize("cls", [CategoricalNB, BernoulliNB])
def test_estimators_on_the_textbook_give_the_same_numbers_and_samples(cls):
    rng = np.random.default_rng(0)
    X = rng.integers(3, size=(60, 5))
    y = rng.integers(2, size=60)
    if cls is BernoulliNB:
        X = (X > 1).astype(float)
    fast_model, book = (cls(algorithm=a, random_state=1).fit(X, y) for a in ("fast", "textbook"))
    np.testing.assert_allclose(fast_model.predict_log_proba(X), book.predict_log_proba(X),
                               rtol=1e-12)
    np.testing.assert_array_equal(fast_model.sample(20, y=1)[0], book.sample(20, y=1)[0])


def test_samples_of_a_class_follow_its_tables():
    rng = np.random.default_rng(1)
    X = np.column_stack([rng.integers(3, size=400), rng.integers(2, size=400)])
    y = rng.integers(2, size=400)
    model = CategoricalNB(random_state=0).fit(X, y)
    X_new, labels = model.sample(20000, y=1)
    assert set(labels.tolist()) == {1}
    for j in range(2):
        freq = np.bincount(X_new[:, j].astype(int), minlength=model.n_categories_[j]) / 20000
        np.testing.assert_allclose(freq, model.theta_[j][1], atol=0.015)
    digits = BernoulliNB(random_state=0).fit(X, y)
    X_b, _ = digits.sample(20000, y=0)
    np.testing.assert_allclose(X_b.mean(axis=0), digits.feature_prob_[0], atol=0.015)


def test_same_log_probabilities_as_scikit_learn():
    sk = pytest.importorskip("sklearn.naive_bayes")
    rng = np.random.default_rng(2)
    X = rng.integers(4, size=(80, 6))
    y = rng.integers(3, size=80)
    for alpha in (0.5, 1.0, 3.0):
        ours = CategoricalNB(alpha=alpha).fit(X, y)
        theirs = sk.CategoricalNB(alpha=alpha).fit(X, y)
        np.testing.assert_allclose(ours.predict_log_proba(X), theirs.predict_log_proba(X),
                                   rtol=1e-10)
        for a, b in zip(ours.theta_, theirs.feature_log_prob_):
            np.testing.assert_allclose(np.log(a), b, rtol=1e-12)
        ours = BernoulliNB(alpha=alpha, binarize=1.5).fit(X, y)
        theirs = sk.BernoulliNB(alpha=alpha, binarize=1.5).fit(X, y)
        np.testing.assert_allclose(ours.predict_log_proba(X), theirs.predict_log_proba(X),
                                   rtol=1e-10)
        np.testing.assert_allclose(np.log(ours.feature_prob_), theirs.feature_log_prob_,
                                   rtol=1e-12)
        np.testing.assert_allclose(ours.score_samples(X),
                                   np.logaddexp.reduce(theirs.predict_joint_log_proba(X), axis=1),
                                   rtol=1e-12)


def test_save_load_and_clone(tmp_path):
    X, y = np.array([[0, 1], [1, 2], [1, 0], [0, 0]]), [0, 1, 1, 0]
    model = CategoricalNB(alpha=0.5, random_state=3).fit(X, y)
    again = load(save(model, tmp_path / "nb"))
    np.testing.assert_array_equal(again.predict_proba(X), model.predict_proba(X))
    assert clone(model).get_params() == model.get_params()


@pytest.mark.parametrize("call, message", [
    (lambda: CategoricalNB().fit([[0.5], [1]], [0, 1]), "X must hold category codes"),
    (lambda: CategoricalNB().fit([[-1], [1]], [0, 1]), "X must hold category codes"),
    (lambda: CategoricalNB().fit([[0], [1]], [0, 1]).predict([[2]]),
     "X has the value 2 in feature 0 .*unseen in fit: feature 0 takes the values 0..1"),
    (lambda: CategoricalNB(alpha=-1).fit([[0], [1]], [0, 1]), "alpha must be >= 0.0"),
    (lambda: CategoricalNB(min_categories=0).fit([[0], [1]], [0, 1]), "min_categories must be"),
    (lambda: BernoulliNB(binarize=None).fit([[0], [2]], [0, 1]), "X must hold 0 and 1 only"),
    (lambda: BernoulliNB(algorithm="slow").fit([[0], [1]], [0, 1]), "algorithm must be one of"),
    (lambda: CategoricalNB().fit([[0], [1]], [0, 1]).sample(2, y=5), "y=5 is not one of the "
                                                                     "classes"),
])
def test_bad_input_is_refused_naming_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_min_categories_keeps_room_for_values_unseen_in_training():
    model = CategoricalNB(min_categories=4).fit([[0], [1]], [0, 1])
    assert model.n_categories_.tolist() == [4]
    assert model.predict_proba([[3]])[0] == pytest.approx([0.5, 0.5])
