import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.bayes import LogisticRegression, log_loss_and_gradient
from scratch_genmod.core import NotFittedError, load, save


def data(seed=0, n=120, d=3, n_classes=3, noise=1.0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    scores = X @ rng.normal(size=(d, n_classes)) + noise * rng.gumbel(size=(n, n_classes))
    return X, np.argmax(scores, axis=1)


def numerical_gradient(f, A, h=1e-6):
    grad = np.zeros_like(A)
    for index in np.ndindex(A.shape):
        step = np.zeros_like(A)
        step[index] = h
        grad[index] = (f(A + step) - f(A - step)) / (2 * h)
    return grad


@settings(max_examples=20)
@given(st.integers(0, 10_000), st.sampled_from([2, 4]), st.floats(0.0, 1.0))
def test_gradient_matches_finite_differences(seed, n_classes, alpha):
    X, y = data(seed, n=30, n_classes=n_classes)
    Y = np.eye(n_classes)[y]
    rng = np.random.default_rng(seed + 1)
    n_free = 1 if n_classes == 2 else n_classes
    W, b = rng.normal(size=(3, n_free)), rng.normal(size=n_free)
    _, grad_W, grad_b = log_loss_and_gradient(W, b, X, Y, alpha)
    np.testing.assert_allclose(
        grad_W, numerical_gradient(lambda A: log_loss_and_gradient(A, b, X, Y, alpha)[0], W),
        rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(
        grad_b, numerical_gradient(lambda B: log_loss_and_gradient(W, B, X, Y, alpha)[0], b),
        rtol=1e-5, atol=1e-8)


def test_binary_loss_is_the_sigmoid_cross_entropy():
    X, y = data(n_classes=2)
    w, b, alpha = np.array([0.5, -1.0, 2.0]), 0.3, 0.1
    p1 = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    expected = -np.mean(y * np.log(p1) + (1 - y) * np.log(1 - p1)) + 0.5 * alpha * w @ w
    loss = log_loss_and_gradient(w[:, None], np.array([b]), X, np.eye(2)[y], alpha)[0]
    assert loss == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("solver", ["newton", "gradient"])
def test_solution_is_the_penalised_minimum(n_classes, solver):
    X, y = data(n_classes=n_classes)
    alpha = 0.05
    model = LogisticRegression(alpha=alpha, solver=solver, tol=1e-8, max_iter=5000).fit(X, y)
    assert model.converged_
    W, b, Y = model.coef_.T, model.intercept_, np.eye(n_classes)[y]
    # Finite differences of J at the solution vanish: a stationary point of a convex J.
    zero_W = numerical_gradient(lambda A: log_loss_and_gradient(A, b, X, Y, alpha)[0], W)
    zero_b = numerical_gradient(lambda B: log_loss_and_gradient(W, B, X, Y, alpha)[0], b)
    assert np.max(np.abs(zero_W)) < 1e-6 and np.max(np.abs(zero_b)) < 1e-6
    assert model.loss_ == pytest.approx(log_loss_and_gradient(W, b, X, Y, alpha)[0])


def test_newton_and_gradient_solvers_agree():
    X, y = data(seed=3)
    newton = LogisticRegression(alpha=0.01, solver="newton", tol=1e-8).fit(X, y)
    gradient = LogisticRegression(alpha=0.01, solver="gradient", tol=1e-8, max_iter=5000).fit(X, y)
    np.testing.assert_allclose(gradient.predict_proba(X), newton.predict_proba(X), atol=1e-6)
    assert newton.n_iter_ < 20


def test_binary_probabilities_are_the_sigmoid_and_labels_can_be_strings():
    X, y = data(n_classes=2)
    labels = np.where(y == 1, "yes", "no")
    model = LogisticRegression(alpha=0.1).fit(X, labels)
    assert model.classes_.tolist() == ["no", "yes"] and model.coef_.shape == (1, 3)
    p_yes = 1.0 / (1.0 + np.exp(-(X @ model.coef_[0] + model.intercept_[0])))
    np.testing.assert_allclose(model.predict_proba(X)[:, 1], p_yes, rtol=1e-12)
    np.testing.assert_array_equal(model.predict(X), np.where(p_yes > 0.5, "yes", "no"))
    assert model.log_likelihood(X, labels) == pytest.approx(
        np.mean(np.log(np.where(y == 1, p_yes, 1 - p_yes))))
    # score is the accuracy, as scikit-learn's tools expect of a classifier
    assert model.score(X, labels) == np.mean(np.where(p_yes > 0.5, "yes", "no") == labels)


def test_multinomial_probabilities_are_the_softmax():
    X, y = data()
    model = LogisticRegression().fit(X, y)
    assert model.coef_.shape == (3, 3) and model.intercept_.shape == (3,)
    scores = X @ model.coef_.T + model.intercept_
    expected = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(model.predict_proba(X), expected, rtol=1e-10)
    assert np.mean(model.predict(X) == y) > 0.7


def test_separable_data_without_penalty_warns_and_stays_finite():
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    with pytest.warns(UserWarning, match="did not converge in max_iter=5"):
        model = LogisticRegression(alpha=0.0, max_iter=5).fit(X, [0, 0, 1, 1])
    assert not model.converged_ and np.isfinite(model.coef_).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        proba = model.predict_proba([[1e300], [-1e300]])
    np.testing.assert_array_equal(proba, [[0.0, 1.0], [1.0, 0.0]])


def test_save_load_roundtrip(tmp_path):
    X, y = data()
    model = LogisticRegression(alpha=0.3).fit(X, y)
    again = load(save(model, tmp_path / "lr"))
    np.testing.assert_array_equal(again.predict_proba(X), model.predict_proba(X))
    assert again.alpha == 0.3 and again.n_iter_ == model.n_iter_


@pytest.mark.parametrize("params, match", [
    ({"alpha": -1.0}, "alpha must be >= 0.0"),
    ({"solver": "newtn"}, "solver must be one of .*did you mean 'newton'"),
    ({"max_iter": 0}, "max_iter must be >= 1"),
    ({"tol": 0.0}, "tol must be > 0.0"),
])
def test_bad_hyper_parameters(params, match):
    X, y = data()
    with pytest.raises(ValueError, match=match):
        LogisticRegression(**params).fit(X, y)


def test_fit_intercept_must_be_a_bool():
    X, y = data()
    with pytest.raises(TypeError, match="fit_intercept must be True or False"):
        LogisticRegression(fit_intercept="no").fit(X, y)  # a str is true: it would fit one


def test_bad_data():
    X, y = data()
    with pytest.raises(ValueError, match="X and y must have the same number of samples"):
        LogisticRegression().fit(X, y[:-1])
    with pytest.raises(ValueError, match="y must hold at least 2 classes"):
        LogisticRegression().fit(X, np.ones(len(X)))
    with pytest.raises(ValueError, match="X contains 1 NaN"):
        LogisticRegression().fit(np.where(np.arange(X.size).reshape(X.shape) == 4, np.nan, X), y)
    with pytest.raises(NotFittedError, match="before predict_proba"):
        LogisticRegression().predict_proba(X)
    model = LogisticRegression().fit(X, y)
    with pytest.raises(ValueError, match="X has 2 features, but LogisticRegression"):
        model.predict(X[:, :2])
    with pytest.raises(ValueError, match="y holds labels never seen in fit"):
        model.log_likelihood(X[:2], [0, 7])


@pytest.mark.parametrize("solver", ["newton", "gradient"])
def test_without_intercept_the_minimum_is_over_W_alone(solver):
    X, y = data(seed=5, n_classes=2)
    X = X + 1.5  # a shifted cloud: an intercept would matter
    alpha, Y = 0.05, np.eye(2)[y]
    model = LogisticRegression(alpha=alpha, fit_intercept=False, solver=solver, tol=1e-8,
                               max_iter=5000).fit(X, y)
    assert model.converged_
    np.testing.assert_array_equal(model.intercept_, [0.0])
    W, zero_b = model.coef_.T, np.zeros(1)
    grad = numerical_gradient(lambda A: log_loss_and_gradient(A, zero_b, X, Y, alpha)[0], W)
    assert np.max(np.abs(grad)) < 1e-6


def test_log_loss_and_gradient_checks_shapes():
    X, y = data(n=10, n_classes=3)
    Y, W, b = np.eye(3)[y], np.zeros((3, 3)), np.zeros(3)
    with pytest.raises(ValueError, match=r"W must have one row per feature of X \(3\), got 2"):
        log_loss_and_gradient(W[:2], b, X, Y, 0.1)
    with pytest.raises(ValueError, match=r"b must have shape \(3,\) and Y \(10, 3\)"):
        log_loss_and_gradient(W, b[:2], X, Y, 0.1)
    with pytest.raises(ValueError, match=r"b must have shape \(3,\) and Y \(10, 3\)"):
        log_loss_and_gradient(W, b, X, Y[:, :2], 0.1)
    with pytest.raises(ValueError, match="alpha must be >= 0.0"):
        log_loss_and_gradient(W, b, X, Y, -1.0)
    with pytest.raises(ValueError, match="X contains 1 NaN"):
        log_loss_and_gradient(W, b, np.where(X == X[0, 0], np.nan, X), Y, 0.1)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([2, 3]), st.integers(1, 3),
       st.sampled_from([1e-3, 1.0, 1e3]), st.sampled_from(["newton", "gradient"]),
       st.booleans())
def test_textbook_algorithm_gives_the_same_numbers(seed, n_classes, d, scale, solver,
                                                   fit_intercept):
    X, y = data(seed, n=30, d=d, n_classes=n_classes)
    X = X * scale  # tiny or huge features
    kwargs = dict(alpha=0.1, solver=solver, fit_intercept=fit_intercept, max_iter=3000, tol=1e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # not converged: both stop at max_iter
        fast = LogisticRegression(**kwargs).fit(X, y)
        book = LogisticRegression(algorithm="textbook", **kwargs).fit(X, y)
    if solver == "newton":  # Newton takes the same steps, up to rounding
        assert book.n_iter_ == fast.n_iter_
        assert book.converged_ and fast.converged_
    if not (book.converged_ and fast.converged_):
        return  # accelerated gradient on an ill-conditioned J: rounding steers its restarts
    # J is alpha-strongly convex: |w - w*| <= |grad J(w)| / alpha <= 1e-8 per entry for each.
    np.testing.assert_allclose(book.coef_, fast.coef_, rtol=0, atol=1e-7)
    # Adding one constant to every class's intercept leaves the softmax (and J) unchanged
    # (b is not penalised): the intercepts are equal up to that constant.
    def centred(b):  # two classes: one intercept, nothing to centre
        return b - b.mean() if len(b) > 1 else b
    np.testing.assert_allclose(centred(book.intercept_), centred(fast.intercept_), rtol=0,
                               atol=1e-7)
    np.testing.assert_allclose(book.loss_, fast.loss_, rtol=1e-10)
    np.testing.assert_allclose(book.predict_proba(X), fast.predict_proba(X), rtol=0, atol=1e-6)
    assert abs(book.log_likelihood(X, y) - fast.log_likelihood(X, y)) < 1e-6


def test_logistic_algorithm_is_checked():
    X, y = data()
    with pytest.raises(ValueError, match="algorithm must be one of 'fast', 'textbook'; got 'f'"):
        LogisticRegression(algorithm="f").fit(X, y)
