import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.bayes import GaussianNB, GenerativeClassifier
from scratch_genmod.core import BaseEstimator, check_array, gaussian_log_pdf, load, save


class DiagonalGaussian(BaseEstimator):
    """Independent-features Gaussian: the class density naive Bayes assumes."""

    def __init__(self, add=0.0):
        self.add = add

    def fit(self, X):
        X = check_array(X, "X")
        self.mean_, self.var_ = X.mean(axis=0), X.var(axis=0) + self.add
        return self

    def score_samples(self, X):
        return gaussian_log_pdf(X, self.mean_, np.diag(self.var_))


def data(seed=0, n=60, d=3, n_classes=3):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_classes, size=n)
    y[:n_classes] = np.arange(n_classes)  # every class present
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 2.0, size=d) + 2.0 * y[:, None]
    return X, y


def test_parameters_and_posterior_match_closed_form_by_hand():
    X, y = data()
    model = GaussianNB().fit(X, y)
    eps = 1e-9 * max(float(np.var(X[:, j])) for j in range(X.shape[1]))
    assert model.epsilon_ == pytest.approx(eps)
    x = np.array([1.0, 2.5, 3.0])
    joint = []
    for i, c in enumerate([0, 1, 2]):
        rows = [X[k] for k in range(len(y)) if y[k] == c]
        prior = len(rows) / len(y)
        likelihood = 1.0
        for j in range(X.shape[1]):
            values = [r[j] for r in rows]
            mu = sum(values) / len(values)
            var = sum((v - mu) ** 2 for v in values) / len(values) + eps
            assert model.theta_[i, j] == pytest.approx(mu)
            assert model.var_[i, j] == pytest.approx(var)
            likelihood *= math.exp(-(x[j] - mu) ** 2 / (2 * var)) / math.sqrt(2 * math.pi * var)
        joint.append(prior * likelihood)
    np.testing.assert_allclose(model.predict_proba([x])[0], np.array(joint) / sum(joint),
                               rtol=1e-9)
    assert model.score_samples([x])[0] == pytest.approx(math.log(sum(joint)))


@settings(max_examples=20)
@given(st.integers(0, 10_000))
def test_same_as_generative_classifier_with_diagonal_gaussians(seed):
    X, y = data(seed)
    nb = GaussianNB(var_smoothing=0.0).fit(X, y)
    gc = GenerativeClassifier(DiagonalGaussian()).fit(X, y)
    queries = np.random.default_rng(seed).normal(0, 4, size=(30, 3))
    np.testing.assert_allclose(nb.predict_log_proba(queries), gc.predict_log_proba(queries),
                               rtol=1e-8, atol=1e-8)
    np.testing.assert_allclose(nb.score_samples(queries), gc.score_samples(queries), rtol=1e-10)


def test_single_sample_class_is_smoothed_and_sampling_follows_the_class():
    X = np.array([[0.0, 0.0], [1.0, 2.0], [2.0, 1.0], [10.0, 10.0]])
    model = GaussianNB(var_smoothing=1e-3, random_state=0).fit(X, ["a", "a", "a", "b"])
    np.testing.assert_allclose(model.var_[1], model.epsilon_)
    Xb, labels = model.sample(400, y="a")
    assert set(labels.tolist()) == {"a"}
    np.testing.assert_allclose(Xb.mean(axis=0), [1.0, 1.0], atol=0.15)
    np.testing.assert_allclose(Xb.var(axis=0), model.var_[0], rtol=0.2)


def test_far_input_gives_a_finite_posterior_and_says_where_it_is_the_prior():
    X, y = data()
    model = GaussianNB().fit(X, y)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        proba = model.predict_proba([[1e200, -1e200, 1e200], [1e3, 0.0, 0.0]])
    # no RuntimeWarning; one warning that the first point (every density underflows) gets the prior
    assert [(w.category, str(w.message)[:59]) for w in record] == [
        (UserWarning, "1 of 2 points have probability 0 under every class (outside")]
    np.testing.assert_allclose(proba[0], model.class_prior_)
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_save_load_roundtrip(tmp_path):
    X, y = data()
    model = GaussianNB(priors=[0.2, 0.3, 0.5]).fit(X, y)
    again = load(save(model, tmp_path / "nb"))
    np.testing.assert_array_equal(again.predict_proba(X), model.predict_proba(X))
    assert again.priors == [0.2, 0.3, 0.5]


def test_bad_input():
    X, y = data()
    with pytest.raises(ValueError, match="var_smoothing must be >= 0.0"):
        GaussianNB(var_smoothing=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="zero variance"):
        GaussianNB().fit(np.ones((4, 2)), [0, 0, 1, 1])
    with pytest.raises(ValueError, match="var_smoothing > 0"):
        GaussianNB(var_smoothing=0.0).fit([[0.0], [1.0], [2.0]], [0, 0, 1])
    with pytest.raises(ValueError, match="X and y must have the same number"):
        GaussianNB().fit(X, y[:-1])
    with pytest.raises(ValueError, match="y must hold at least 2 classes"):
        GaussianNB().fit(X, np.zeros(len(X)))


# -- algorithm="textbook": the same classifier through the textbook functions ---------

def awkward_data(seed, n_classes, d, scale, shift, duplicates):
    """Classes of 1 to many samples, repeated rows, features on any scale, far from 0."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(n_classes + 1, 25))
    y = rng.integers(0, n_classes, size=n)
    y[:n_classes] = np.arange(n_classes)
    X = (rng.normal(size=(n, d)) + y[:, None]) * scale + shift
    if duplicates:
        X[1::2] = X[0]  # half the rows one point, whatever their class
    return X, y


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 4), st.integers(1, 4),
       st.sampled_from([1e-5, 1.0, 1e5]), st.sampled_from([0.0, -1e6]), st.booleans())
def test_textbook_algorithm_gives_the_same_numbers(seed, n_classes, d, scale, shift, duplicates):
    X, y = awkward_data(seed, n_classes, d, scale, shift, duplicates)
    if not np.var(X, axis=0).max() > 0:
        return  # refused by both, tested elsewhere
    fast = GaussianNB(random_state=seed).fit(X, y)
    book = GaussianNB(random_state=seed, algorithm="textbook").fit(X, y)
    np.testing.assert_allclose(book.theta_, fast.theta_, rtol=1e-12, atol=1e-12 * abs(shift))
    np.testing.assert_allclose(book.var_, fast.var_, rtol=1e-9)
    X_test = X + np.random.default_rng(seed).normal(size=X.shape) * scale
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # points no class explains: the prior
        np.testing.assert_allclose(book.predict_proba(X_test), fast.predict_proba(X_test),
                                   rtol=1e-7, atol=1e-9)
        np.testing.assert_allclose(book.score_samples(X_test), fast.score_samples(X_test),
                                   rtol=1e-9, atol=1e-9)
        close = np.sort(fast.predict_proba(X_test), axis=1)
        clear = close[:, -1] - close[:, -2] > 1e-6  # a near tie may go either way by rounding
        assert (book.predict(X_test)[clear] == fast.predict(X_test)[clear]).all()
    book_X, book_y = book.sample(15)
    fast_X, fast_y = fast.sample(15)
    np.testing.assert_array_equal(book_y, fast_y)
    np.testing.assert_allclose(book_X, fast_X, rtol=1e-9, atol=1e-9 * abs(shift))


def test_algorithm_is_checked():
    X, y = data()
    with pytest.raises(ValueError, match="algorithm must be one of 'fast', 'textbook'; got 'book'"):
        GaussianNB(algorithm="book").fit(X, y)
    with pytest.raises(ValueError, match="algorithm must be one of 'fast', 'textbook'"):
        GenerativeClassifier(DiagonalGaussian(), algorithm=1).fit(X, y)


def test_huge_samples_and_parameters_are_refused_up_front():
    X, y = data()
    model = GaussianNB().fit(X, y)
    with pytest.raises(ValueError, match=r"n_samples=1000000000000 samples of 3 features would "
                                         r"need 3e\+12 numbers .* draw them in batches"):
        model.sample(10**12)
    with pytest.raises(ValueError, match="var_smoothing must be a finite number within "
                                         "float64's range"):
        GaussianNB(var_smoothing=10**400).fit(X, y)
