"""BernoulliMixture and CategoricalMixture: one EM step by hand, EM never goes down, fast =
textbook, prototypes of binarised digits, API and errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.core import NotFittedError, clone, load, save
from scratch_genmod.datasets import make_digits
from scratch_genmod.density import BernoulliMixture, CategoricalMixture
from scratch_genmod.density.textbook import bernoulli_m_step, mixture_e_step


def test_one_em_step_by_hand():
    # Two pixels, components mu_1 = (0.8, 0.2), mu_2 = (0.3, 0.6), alpha = (0.5, 0.5).
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    mu = np.array([[0.8, 0.2], [0.3, 0.6]])
    phi = np.array([[0.8 * 0.8, 0.3 * 0.4], [0.2 * 0.2, 0.7 * 0.6], [0.8 * 0.2, 0.3 * 0.6]])
    gamma_hand = phi / phi.sum(axis=1, keepdims=True)
    gamma, mean_log_f = mixture_e_step(np.log(phi), [0.5, 0.5])
    np.testing.assert_allclose(gamma, gamma_hand, rtol=1e-12)
    assert mean_log_f == pytest.approx(np.mean(np.log(0.5 * phi.sum(axis=1))), rel=1e-12)
    alpha, mu_new = bernoulli_m_step(X, gamma)
    N = gamma_hand.sum(axis=0)
    np.testing.assert_allclose(alpha, N / 3, rtol=1e-12)
    np.testing.assert_allclose(mu_new, (gamma_hand.T @ X) / N[:, None], rtol=1e-12)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10**5), m=st.integers(1, 4), categorical=st.booleans())
def test_em_never_lowers_the_likelihood_and_fast_equals_textbook(seed, m, categorical):
    rng = np.random.default_rng(seed)
    X = (rng.random((30, 5)) < rng.random(5)).astype(float)
    if categorical:
        X = (rng.random((30, 3)) * [2, 3, 4]).astype(np.int64)
    cls = CategoricalMixture if categorical else BernoulliMixture
    models = [cls(n_components=m, max_iter=15, tol=0.0, random_state=seed, algorithm=a)
              for a in ("fast", "textbook")]
    with pytest.warns(UserWarning, match="did not converge"):
        for model in models:
            model.fit(X)
    fast, book = models
    history = np.array(fast.log_likelihood_history_)
    assert np.all(np.diff(history) >= -1e-12)
    np.testing.assert_allclose(fast.log_likelihood_history_, book.log_likelihood_history_,
                               rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fast.score_samples(X), book.score_samples(X), rtol=1e-10)
    np.testing.assert_array_equal(fast.sample(10, random_state=1)[0],
                                  book.sample(10, random_state=1)[0])


def test_bernoulli_mixture_on_binarised_digits_finds_prototypes():
    X, y = make_digits(n_samples=600, random_state=0)
    X = (X.reshape(len(X), -1) > 0.5).astype(float)
    model = BernoulliMixture(n_components=10, n_init=2, random_state=0, max_iter=60).fit(X)
    # Each prototype is the gamma-weighted mean of the images (EM's fixed point) ...
    gamma = model.predict_proba(X)
    np.testing.assert_allclose(model.means_, gamma.T @ X / gamma.sum(axis=0)[:, None], atol=2e-3)
    # ... and a component gathers mostly one digit: 4 times chance (0.1) on these 600 images.
    labels = model.predict(X)
    purity = np.mean([np.bincount(y[labels == i]).max() / np.sum(labels == i)
                      for i in np.unique(labels)])
    assert purity > 0.4
    X_new, comp = model.sample(5, component=3, random_state=0)
    assert X_new.shape == (5, X.shape[1]) and set(comp.tolist()) == {3}
    assert set(np.unique(X_new).tolist()) <= {0.0, 1.0}


def test_bic_counts_parameters_and_prefers_the_true_number_of_components():
    rng = np.random.default_rng(0)
    protos = np.array([[0.9, 0.9, 0.1, 0.1, 0.9], [0.1, 0.1, 0.9, 0.9, 0.1]])
    X = (rng.random((400, 5)) < protos[rng.integers(2, size=400)]).astype(float)
    fits = {m: BernoulliMixture(n_components=m, n_init=3, random_state=0).fit(X)
            for m in (1, 2, 3)}
    # p = (m - 1) + m d
    assert fits[2].bic(X) == pytest.approx(-2 * fits[2].score(X) * 400 + 11 * np.log(400))
    assert min(fits, key=lambda m: fits[m].bic(X)) == 2
    c = CategoricalMixture(n_components=2, random_state=0).fit([[0, 1], [2, 0], [1, 1], [0, 0]])
    # p = 1 + 2 * ((3 - 1) + (2 - 1))
    assert c.bic([[0, 1]]) == pytest.approx(-2 * c.score([[0, 1]]) + 7 * np.log(1))


def test_save_load_clone(tmp_path):
    X = np.array([[0, 1], [2, 0], [1, 1], [0, 0]] * 5)
    model = CategoricalMixture(n_components=2, random_state=0).fit(X)
    again = load(save(model, tmp_path / "cm"))
    np.testing.assert_array_equal(again.score_samples(X), model.score_samples(X))
    assert clone(model).get_params() == model.get_params()


@pytest.mark.parametrize("call, message", [
    (lambda: BernoulliMixture().fit([[0.5, 1.0]]), "X must hold 0 and 1 only"),
    (lambda: BernoulliMixture(n_components=3).fit([[0, 1], [1, 0]]), "n_components=3 must be"),
    (lambda: CategoricalMixture().fit([[-1, 0]]), "X must hold category codes"),
    (lambda: CategoricalMixture().fit([[0], [1]]).score([[2]]),
     "X has the value 2 in feature 0 .*unseen in fit"),
    (lambda: BernoulliMixture().fit([[0, 1]]).score([[0, 1, 1]]), "X has 3 features, but"),
    (lambda: BernoulliMixture(algorithm="slow").fit([[0, 1]]), "algorithm must be one of"),
])
def test_bad_input_is_refused_naming_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_unfitted():
    with pytest.raises(NotFittedError, match="before sample"):
        BernoulliMixture().sample(2)
