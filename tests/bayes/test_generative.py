import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.bayes import GenerativeClassifier
from scratch_genmod.bayes.textbook import gaussian_log_density
from scratch_genmod.core import (
    BaseEstimator, NotFittedError, check_array, gaussian_log_pdf, load, save,
)


class Gaussian(BaseEstimator):
    """Stand-in density: one full-covariance Gaussian (a 1-component mixture)."""

    def __init__(self, reg=1e-6, shift=0.0, random_state=None):
        self.reg = reg
        self.shift = shift
        self.random_state = random_state

    def fit(self, X):
        X = check_array(X, "X", min_samples=2)
        self.mean_ = X.mean(axis=0)
        self.covariance_ = np.cov(X.T, bias=True).reshape(X.shape[1], -1)
        self.covariance_ += self.reg * np.eye(X.shape[1])
        return self

    def score_samples(self, X):
        # ``shift`` adds one constant to every log-likelihood (not a density then).
        return gaussian_log_pdf(X, self.mean_, self.covariance_) + self.shift

    def sample(self, n_samples=1, random_state=None):
        rng = self._random_generator(random_state)
        L = np.linalg.cholesky(self.covariance_)
        X = self.mean_ + rng.standard_normal((n_samples, len(self.mean_))) @ L.T
        return X, np.zeros(n_samples, dtype=int)


class GaussianXOnly(Gaussian):
    """Like a kernel density: ``sample`` returns X alone."""

    def sample(self, n_samples=1, random_state=None):
        return super().sample(n_samples, random_state)[0]


class Box(BaseEstimator):
    """Uniform density on the bounding box of the data: log-density -inf outside."""

    def __init__(self):
        pass

    def fit(self, X):
        self.low_, self.high_ = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
        return self

    def score_samples(self, X):
        inside = np.all((X >= self.low_) & (X <= self.high_), axis=1)
        return np.where(inside, -np.sum(np.log(self.high_ - self.low_)), -np.inf)


def three_blobs(n=(30, 50, 20), seed=0):
    rng = np.random.default_rng(seed)
    means = np.array([[0.0, 0.0], [3.0, 1.0], [0.0, 4.0]])
    X = np.vstack([rng.normal(m, [1.0, 0.6], size=(k, 2)) for m, k in zip(means, n)])
    y = np.repeat(["a", "b", "c"], n)
    return X, y


def direct_pdf(x, mean, cov):
    """N(x | mean, cov) by the textbook formula."""
    return float(np.exp(gaussian_log_density(x[None], mean, cov)[0]))


def test_qda_posterior_and_density_match_direct_formula():
    X, y = three_blobs()
    model = GenerativeClassifier(Gaussian()).fit(X, y)
    np.testing.assert_allclose(model.class_prior_, [0.3, 0.5, 0.2])
    queries = np.array([[0.5, 0.5], [2.0, 2.0], [-1.0, 3.0]])
    for x, proba, log_density in zip(queries, model.predict_proba(queries),
                                     model.score_samples(queries)):
        joint = []
        for label, prior in zip("abc", [0.3, 0.5, 0.2]):
            Xc = X[y == label]
            cov = np.cov(Xc.T, bias=True) + 1e-6 * np.eye(2)
            joint.append(prior * direct_pdf(x, Xc.mean(axis=0), cov))
        np.testing.assert_allclose(proba, np.array(joint) / sum(joint), rtol=1e-9)
        assert log_density == pytest.approx(np.log(sum(joint)), rel=1e-10)
    assert model.predict(queries).tolist() == [
        "abc"[int(np.argmax(p))] for p in model.predict_proba(queries)]


def test_given_priors_are_used():
    X, y = three_blobs()
    model = GenerativeClassifier(Gaussian(), priors=[0.1, 0.1, 0.8]).fit(X, y)
    np.testing.assert_allclose(model.class_prior_, [0.1, 0.1, 0.8])
    plain = GenerativeClassifier(Gaussian(), priors=[1 / 3] * 3).fit(X, y)
    ratio = model.predict_proba(X) / plain.predict_proba(X)
    # Posterior proportional to prior: per sample, the ratio of the two posteriors is
    # the ratio of the priors up to one normalising constant.
    np.testing.assert_allclose(ratio / ratio[:, [2]], np.broadcast_to([0.125, 0.125, 1.0], ratio.shape),
                               rtol=1e-9)


@settings(max_examples=25)
@given(st.integers(0, 10_000), st.floats(-1e4, 1e4))
def test_proba_normalised_and_predict_invariant_to_shift(seed, shift):
    X, y = three_blobs(seed=seed)
    queries = np.random.default_rng(seed).normal(0, 5, size=(40, 2))
    model = GenerativeClassifier(Gaussian()).fit(X, y)
    proba, log_proba = model.predict_proba(queries), model.predict_log_proba(queries)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    softmax = np.exp(log_proba - log_proba.max(axis=1, keepdims=True))
    np.testing.assert_allclose(proba, softmax / softmax.sum(axis=1, keepdims=True), rtol=1e-10,
                               atol=1e-300)  # subnormal tails differ in their last bits
    shifted = GenerativeClassifier(Gaussian(shift=shift)).fit(X, y)
    np.testing.assert_array_equal(shifted.predict(queries), model.predict(queries))
    np.testing.assert_allclose(shifted.predict_proba(queries), proba, rtol=1e-6, atol=1e-12)


@settings(max_examples=20)
@given(st.integers(2, 4), st.integers(0, 1000))
def test_equal_priors_and_equal_densities_give_uniform_posterior(n_classes, seed):
    X = np.random.default_rng(seed).normal(size=(12, 3))
    X_all, y = np.vstack([X] * n_classes), np.repeat(np.arange(n_classes), len(X))
    model = GenerativeClassifier(Gaussian()).fit(X_all, y)
    queries = np.random.default_rng(seed + 1).normal(0, 3, size=(10, 3))
    np.testing.assert_allclose(model.predict_proba(queries), 1.0 / n_classes, rtol=1e-12)


def test_unexplained_points_fall_back_to_prior():
    X, y = three_blobs()
    model = GenerativeClassifier(Box()).fit(X, y)
    far = np.array([[100.0, 100.0], [0.0, 0.0]])
    with pytest.warns(UserWarning, match="1 of 2 points have probability 0 under every class"):
        proba = model.predict_proba(far)
    np.testing.assert_allclose(proba[0], model.class_prior_)
    assert np.isfinite(proba).all() and np.isneginf(model.score_samples(far)[0])


@pytest.mark.parametrize("density", [Gaussian(), GaussianXOnly()])
def test_sample_joint_and_per_class(density):
    X, y = three_blobs(n=(40, 40, 40))
    model = GenerativeClassifier(density, priors=[0.2, 0.3, 0.5], random_state=0).fit(X, y)
    Xs, labels = model.sample(3000)
    assert Xs.shape == (3000, 2) and labels.shape == (3000,)
    counts = np.array([np.sum(labels == c) for c in "abc"]) / 3000
    np.testing.assert_allclose(counts, [0.2, 0.3, 0.5], atol=0.04)
    assert (labels[:-1] != labels[1:]).sum() > 1000  # shuffled, not grouped by class
    for c in "abc":  # each sample lies near its own class's mean
        np.testing.assert_allclose(Xs[labels == c].mean(axis=0), X[y == c].mean(axis=0), atol=0.15)
    Xb, lb = model.sample(500, y="b")
    assert set(lb.tolist()) == {"b"}
    np.testing.assert_allclose(Xb.mean(axis=0), X[y == "b"].mean(axis=0), atol=0.15)
    again = GenerativeClassifier(density, priors=[0.2, 0.3, 0.5]).fit(X, y)
    np.testing.assert_array_equal(again.sample(7, random_state=3)[0],
                                  model.sample(7, random_state=3)[0])


def test_add_class_leaves_other_densities_untouched():
    X, y = three_blobs()
    model = GenerativeClassifier(Gaussian()).fit(X[y != "c"], y[y != "c"])
    before = [(d, d.mean_.copy(), d.covariance_.copy()) for d in model.densities_]
    model.add_class(X[y == "c"], "c")
    for (d, mean, cov), now in zip(before, model.densities_):
        assert now is d
        np.testing.assert_array_equal(now.mean_, mean)
        np.testing.assert_array_equal(now.covariance_, cov)
    full = GenerativeClassifier(Gaussian()).fit(X, y)
    assert model.classes_.tolist() == ["a", "b", "c"]
    np.testing.assert_allclose(model.class_prior_, full.class_prior_)
    np.testing.assert_allclose(model.predict_proba(X), full.predict_proba(X), rtol=1e-12)
    fixed = GenerativeClassifier(Gaussian(), priors=[0.5, 0.5]).fit(X[y != "c"], y[y != "c"])
    with pytest.raises(ValueError, match="prior must be given"):
        fixed.add_class(X[y == "c"], "c")
    fixed.add_class(X[y == "c"], "c", prior=0.2)
    np.testing.assert_allclose(fixed.class_prior_, [0.4, 0.4, 0.2])


def test_add_class_bad_input():
    X, y = three_blobs()
    model = GenerativeClassifier(Gaussian()).fit(X, y)
    with pytest.raises(ValueError, match="label 'a' is already a class"):
        model.add_class(X[:5], "a")
    with pytest.raises(TypeError, match="label 3 must be of the same kind"):
        model.add_class(X[:5], 3)
    with pytest.raises(ValueError, match="X_new has 3 features"):
        model.add_class(np.ones((5, 3)), "d")
    with pytest.raises(ValueError, match="prior must be < 1"):
        model.add_class(X[:5], "d", prior=1.0)


def test_save_load_roundtrip_with_nested_densities(tmp_path):
    X, y = three_blobs()
    model = GenerativeClassifier(Gaussian(), random_state=5).fit(X, y)
    model.sample(3)  # the loaded model's generator continues from here
    again = load(save(model, tmp_path / "gc"), extra_classes=[Gaussian])
    assert isinstance(again.densities_[1], Gaussian) and again.classes_.tolist() == ["a", "b", "c"]
    np.testing.assert_array_equal(again.predict_proba(X), model.predict_proba(X))
    np.testing.assert_array_equal(again.sample(10)[0], model.sample(10)[0])


@pytest.mark.parametrize("X, y, match", [
    (np.ones((4, 2)), [0, 1, 0], "X and y must have the same number of samples"),
    (np.ones((4, 2)), [1, 1, 1, 1], "y must hold at least 2 classes"),
    ([[0.0, np.nan], [1.0, 1.0], [2.0, 2.0], [3.0, 3.0]], [0, 0, 1, 1], "X contains 1 NaN"),
    (np.ones((4, 2)), [0.0, np.nan, 1.0, 1.0], "y contains 1 NaN"),
])
def test_bad_fit_input(X, y, match):
    with pytest.raises(ValueError, match=match):
        GenerativeClassifier(Gaussian()).fit(X, y)


def test_other_errors_are_clear():
    X, y = three_blobs()
    with pytest.raises(TypeError, match="density must be"):
        GenerativeClassifier("gaussian").fit(X, y)
    with pytest.raises(ValueError, match="priors must have one entry per class"):
        GenerativeClassifier(Gaussian(), priors=[0.5, 0.5]).fit(X, y)
    with pytest.raises(ValueError, match="priors must be positive and sum to 1"):
        GenerativeClassifier(Gaussian(), priors=[0.5, 0.5, 0.5]).fit(X, y)
    with pytest.raises(NotFittedError, match="before predict_proba"):
        GenerativeClassifier(Gaussian()).predict_proba(X)
    with pytest.raises(ValueError, match="class 'c' \\(1 samples\\) failed: X needs at least 2"), \
            pytest.warns(UserWarning, match="class 'c' has 1 training sample"):
        GenerativeClassifier(Gaussian()).fit(X[:3], ["a", "a", "c"])
    model = GenerativeClassifier(Gaussian()).fit(X, y)
    with pytest.raises(ValueError, match="y='z' is not one of the classes"):
        model.sample(3, y="z")
    with pytest.raises(ValueError, match="n_samples must be >= 1"):
        model.sample(0)
    with pytest.raises(ValueError, match="X has 3 features, but GenerativeClassifier"):
        model.predict(np.ones((2, 3)))


def test_log_likelihood_is_the_mean_log_density_and_label_must_be_one_value():
    X, y = three_blobs()
    model = GenerativeClassifier(Gaussian()).fit(X, y)
    queries = np.array([[0.0, 0.0], [3.0, 1.0]])
    # log P(x) = log sum_i P(x | y_i) P(y_i), summed directly (no log-sum-exp)
    p_x = [sum(prior * direct_pdf(q, X[y == c].mean(axis=0), np.cov(X[y == c].T, bias=True)
                                  + 1e-6 * np.eye(2))
               for c, prior in zip("abc", [0.3, 0.5, 0.2])) for q in queries]
    assert model.log_likelihood(queries) == pytest.approx(np.mean(np.log(p_x)), rel=1e-10)
    with pytest.raises(ValueError, match="label must be a single value"):
        model.add_class(X[:5], ["d", "e"])


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 4), st.integers(1, 3),
       st.sampled_from([1e-3, 1.0, 1e3]), st.sampled_from([0.0, -500.0]))
def test_textbook_bayes_rule_gives_the_same_numbers(seed, n_classes, d, scale, shift):
    rng = np.random.default_rng(seed)
    y = np.r_[np.arange(n_classes), rng.integers(0, n_classes, size=3 * n_classes)]
    y = np.r_[y, np.arange(n_classes)]  # every class at least twice
    X = (rng.normal(size=(len(y), d)) + y[:, None]) * scale
    priors = rng.dirichlet(np.ones(n_classes)) * 0.9 + 0.1 / n_classes
    # shift: every log-density moved far below 0, where exp underflows without Bayes' rule
    # being told to cancel a common factor first.
    models = [GenerativeClassifier(Gaussian(reg=1e-3 * scale ** 2, shift=shift), priors=priors,
                                   random_state=seed, algorithm=a).fit(X, y)
              for a in ("fast", "textbook")]
    fast, book = models
    X_test = X + rng.normal(size=X.shape) * scale
    np.testing.assert_allclose(book.predict_proba(X_test), fast.predict_proba(X_test),
                               rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(book.score_samples(X_test), fast.score_samples(X_test), rtol=1e-12)
    posterior = np.sort(fast.predict_proba(X_test), axis=1)
    clear = posterior[:, -1] - posterior[:, -2] > 1e-9
    np.testing.assert_array_equal(book.predict(X_test)[clear], fast.predict(X_test)[clear])
    for (a, labels_a), (b, labels_b) in [(book.sample(10), fast.sample(10))]:
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(labels_a, labels_b)


def test_textbook_posterior_is_the_prior_where_no_class_explains_x():
    X, y = np.array([[0.0], [0.1], [1.0], [1.1]]), np.array([0, 0, 1, 1])
    book = GenerativeClassifier(Gaussian(), priors=[0.25, 0.75], algorithm="textbook").fit(X, y)
    with pytest.warns(UserWarning, match="1 of 2 points have probability 0 under every class"):
        proba = book.predict_proba([[0.05], [1e200]])
    np.testing.assert_allclose(proba[1], [0.25, 0.75])
