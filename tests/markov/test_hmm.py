"""CategoricalHMM and GaussianHMM: the estimators on the textbook, fast = textbook, API, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.core import NotFittedError, clone, load, save
from scratch_genmod.core.threads import use_threads
from scratch_genmod.markov import CategoricalHMM, GaussianHMM
from scratch_genmod.markov.textbook import (
    backward,
    categorical_log_emissions,
    forward,
    gaussian_log_emissions,
    state_posteriors,
    viterbi,
)
from tests.core.test_model_files import members, write

CASINO = dict(startprob_init=[0.5, 0.5], transmat_init=[[0.95, 0.05], [0.1, 0.9]],
              emissionprob_init=[[1 / 6] * 6, [0.1] * 5 + [0.5]])


def casino(n=300, seed=0):
    model = CategoricalHMM(n_components=2, **CASINO, max_iter=1, tol=0.0)
    _fit_known(model, np.arange(6)[:, None])
    return model.sample(n, random_state=seed)


def _fit_known(model, X):
    """Set the fitted attributes to the starting values (one EM step, then overwrite)."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X)
    model.startprob_ = np.array(model.startprob_init, dtype=float)
    model.transmat_ = np.array(model.transmat_init, dtype=float)
    if isinstance(model, CategoricalHMM):
        model.emissionprob_ = np.array(model.emissionprob_init, dtype=float)
    else:
        model.means_ = np.array(model.means_init, dtype=float)
        model.covariances_ = np.array(model.covariances_init, dtype=float)
    return model


def test_scores_and_decoding_are_the_textbook_per_sequence():
    X, _ = casino(60)
    lengths = [20, 1, 39]
    model = _fit_known(CategoricalHMM(n_components=2, **CASINO, max_iter=1), X)
    parts = np.split(X[:, 0], np.cumsum(lengths)[:-1])
    B = model.emissionprob_
    expected = [forward(model.startprob_, model.transmat_, categorical_log_emissions(x, B))[1]
                for x in parts]
    np.testing.assert_allclose(model.score_samples(X, lengths), expected, rtol=1e-12)
    assert model.score(X, lengths) == pytest.approx(sum(expected) / 60, rel=1e-12)
    paths = [viterbi(model.startprob_, model.transmat_, categorical_log_emissions(x, B))[0]
             for x in parts]
    assert model.predict(X, lengths).tolist() == np.concatenate(paths).tolist()
    log_Phi = categorical_log_emissions(parts[0], B)
    gamma = state_posteriors(forward(model.startprob_, model.transmat_, log_Phi)[0],
                             backward(model.transmat_, log_Phi))
    np.testing.assert_allclose(model.predict_proba(X, lengths)[:20], gamma, atol=1e-12)


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 10**5), S=st.integers(1, 3),
       lengths=st.lists(st.integers(2, 15), min_size=1, max_size=4))
def test_categorical_fast_fit_equals_textbook_fit(seed, S, lengths):
    X = np.random.default_rng(seed).integers(4, size=(sum(lengths), 1))
    X[0] = 3  # every symbol 0..3 is known
    fits = [CategoricalHMM(n_components=S, n_symbols=4, max_iter=6, tol=0.0, random_state=seed,
                           algorithm=a) for a in ("fast", "textbook")]
    with pytest.warns(UserWarning, match="did not converge"):
        for m in fits:
            m.fit(X, lengths)
    fast, book = fits
    np.testing.assert_allclose(fast.log_likelihood_history_, book.log_likelihood_history_,
                               rtol=1e-10, atol=1e-12)
    for name in ("startprob_", "transmat_", "emissionprob_"):
        np.testing.assert_allclose(getattr(fast, name), getattr(book, name), atol=1e-10)
    assert np.all(np.diff(fast.log_likelihood_history_) >= -1e-12)


@pytest.mark.parametrize("kind", ["diag", "full"])
@pytest.mark.parametrize("scale", [1e-3, 1.0, 1e4])
def test_gaussian_fast_fit_equals_textbook_fit(kind, scale):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(70, 2)) * scale + np.repeat([[0, 0], [3, 3]], 35, axis=0) * scale
    lengths = [30, 2, 38]
    fits = [GaussianHMM(n_components=3, covariance_type=kind, max_iter=8, tol=0.0,
                        random_state=2, algorithm=a) for a in ("fast", "textbook")]
    with pytest.warns(UserWarning, match="did not converge"):
        for m in fits:
            m.fit(X, lengths)
    fast, book = fits
    np.testing.assert_allclose(fast.log_likelihood_history_, book.log_likelihood_history_,
                               rtol=1e-9)
    np.testing.assert_allclose(fast.transmat_, book.transmat_, atol=1e-9)
    np.testing.assert_allclose(fast.means_, book.means_, rtol=1e-9, atol=1e-9 * scale)
    np.testing.assert_allclose(fast.covariances_, book.covariances_, rtol=1e-8,
                               atol=1e-9 * scale ** 2)
    assert np.all(np.diff(fast.log_likelihood_history_) >= -1e-10)
    assert fast.score(X, lengths) == pytest.approx(book.score(X, lengths), rel=1e-10)
    assert fast.predict(X, lengths).tolist() == book.predict(X, lengths).tolist()


def test_gaussian_hmm_recovers_the_model_it_was_sampled_from():
    truth = GaussianHMM(n_components=2, covariance_type="full", startprob_init=[1.0, 0.0],
                        transmat_init=[[0.9, 0.1], [0.2, 0.8]],
                        means_init=[[0.0, 0.0], [5.0, 5.0]],
                        covariances_init=[np.eye(2), [[1.0, 0.5], [0.5, 1.0]]], max_iter=1)
    _fit_known(truth, np.random.default_rng(0).normal(size=(10, 2)))
    X, states = truth.sample(3000, random_state=1)
    model = GaussianHMM(n_components=2, covariance_type="full", random_state=0).fit(X)
    order = np.argsort(model.means_[:, 0])
    np.testing.assert_allclose(model.means_[order], truth.means_, atol=0.15)
    np.testing.assert_allclose(model.transmat_[np.ix_(order, order)], truth.transmat_, atol=0.04)
    np.testing.assert_allclose(model.covariances_[order[1]], truth.covariances_[1], atol=0.15)
    assert np.mean(order[model.predict(X)] == states) > 0.99


def test_sample_follows_the_model():
    X, states = casino(20000, seed=3)
    assert X.shape == (20000, 1) and states.dtype == np.int64
    assert np.mean(X[states == 1, 0] == 5) == pytest.approx(0.5, abs=0.02)
    assert np.mean(X[states == 0, 0] == 5) == pytest.approx(1 / 6, abs=0.02)
    stays = np.mean(states[1:][states[:-1] == 0] == 0)
    assert stays == pytest.approx(0.95, abs=0.01)


def test_restarts_keep_the_most_likely_start_and_bic_counts_parameters():
    X, _ = casino(200)
    one = CategoricalHMM(n_components=2, random_state=5, max_iter=200).fit(X)
    three = CategoricalHMM(n_components=2, random_state=5, n_init=3, max_iter=200).fit(X)
    assert three.lower_bound_ >= one.lower_bound_
    assert one.converged_ and one.n_iter_ < 200
    # p = (S - 1) + S (S - 1) + S (K - 1) = 1 + 2 + 10
    assert one.bic(X) == pytest.approx(-2 * one.score(X) * 200 + 13 * np.log(200), rel=1e-12)
    g = GaussianHMM(n_components=2, covariance_type="full", random_state=0).fit(
        np.random.default_rng(0).normal(size=(50, 3)))
    # 1 + 2 + 2 * (3 means + 6 covariance entries)
    assert g.bic(np.zeros((4, 3))) == pytest.approx(
        -2 * g.score(np.zeros((4, 3))) * 4 + 21 * np.log(4), rel=1e-12)


@pytest.mark.parametrize("algorithm", ["fast", "textbook"])
def test_save_load_clone_and_params(tmp_path, algorithm):
    X, _ = casino(100)
    model = CategoricalHMM(n_components=2, random_state=0, algorithm=algorithm).fit(X, [40, 60])
    again = load(save(model, tmp_path / "hmm"))
    assert again.get_params() == model.get_params()
    assert again.score(X) == model.score(X)
    assert again.predict(X).tolist() == model.predict(X).tolist()
    copy = clone(model)
    assert copy.get_params() == model.get_params() and not hasattr(copy, "transmat_")
    g = GaussianHMM(n_components=2, random_state=0, algorithm=algorithm).fit(
        np.random.default_rng(0).normal(size=(40, 2)))
    again = load(save(g, tmp_path / "g"))
    np.testing.assert_array_equal(again.sample(5, random_state=1)[0], g.sample(5, random_state=1)[0])


@pytest.mark.parametrize("param, value, message", [
    ("tol", -1.0, "tol must be >= 0.0"),
    ("max_iter", 0, "max_iter must be >= 1"),
    ("n_init", 0, "n_init must be >= 1"),
    ("algorithm", "quick", "algorithm must be one of"),
    ("reg_covar", -1.0, "reg_covar must be >= 0.0"),
])
def test_a_file_with_forged_hyper_parameters_does_not_load(tmp_path, param, value, message):
    # every HMM's shared hyper-parameters are checked by BaseHMM, the emissions' own by each class
    model = GaussianHMM(n_components=2, random_state=0).fit(
        np.random.default_rng(0).normal(size=(30, 2)))
    meta, arrays = members(save(model, tmp_path / "g"))
    meta["model"]["params"]["__dict__"][param] = value
    with pytest.raises(ValueError, match=message):
        load(write(tmp_path / "forged.npz", meta, arrays))


def test_a_file_with_a_forged_emission_matrix_does_not_load(tmp_path):
    X, _ = casino(100)
    meta, arrays = members(save(CategoricalHMM(n_components=2, random_state=0).fit(X),
                                tmp_path / "c"))
    name = next(k for k in arrays if k.endswith("emissionprob_"))
    arrays[name] = arrays[name] * 0.5
    with pytest.raises(ValueError, match="emissionprob_ must be row-stochastic"):
        load(write(tmp_path / "forged.npz", meta, arrays))


@pytest.mark.parametrize("call, message", [
    (lambda: CategoricalHMM(2).fit([[0], [1], [1]], lengths=[1, 1]), "lengths must sum to the "
                                                                     "number of rows of X"),
    (lambda: CategoricalHMM(2).fit([[0], [1]], lengths=[2, 0]), "lengths must hold sequence "
                                                               "lengths >= 1; sequence 1"),
    (lambda: CategoricalHMM(2).fit([[0], [1]], lengths=[1, 1]), "lengths: every sequence has "
                                                               "length 1"),
    (lambda: CategoricalHMM(2).fit(np.zeros((0, 1))), "X needs at least 1 sample"),
    (lambda: CategoricalHMM(2).fit([[0.5], [1]]), "X must hold symbols as integers"),
    (lambda: CategoricalHMM(2, n_symbols=2).fit([[0], [2]]), "X holds symbol 2, but the model "
                                                             "knows only the symbols 0..1"),
    (lambda: CategoricalHMM(2, transmat_init=[[1, 0], [0, 0]]).fit([[0], [1]]),
     "transmat_init must be row-stochastic.*state 1 has no transitions"),
    (lambda: CategoricalHMM(2, emissionprob_init=[[1.0]]).fit([[0], [1]]),
     r"emissionprob_init must have shape \(2, 2\)"),
    (lambda: CategoricalHMM(2, algorithm="quick").fit([[0], [1]]),
     "algorithm must be one of 'fast', 'textbook'; got 'quick'"),
    (lambda: GaussianHMM(2, covariance_type="tied").fit(np.eye(3)),
     "covariance_type must be one of 'diag', 'full'"),
    (lambda: GaussianHMM(5).fit(np.eye(3)), "n_components=5 must be <= the number of "
                                            "observations 3"),
    (lambda: GaussianHMM(2, reg_covar=0.0).fit(np.ones((4, 1))), "X has no spread"),
])
def test_bad_input_is_refused_naming_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_unfitted_and_unseen_inputs():
    with pytest.raises(NotFittedError, match="not fitted yet: call fit.* before score_samples"):
        CategoricalHMM(2).score_samples([[0]])
    with pytest.raises(NotFittedError, match="before sample"):
        GaussianHMM(2).sample(3)
    model = CategoricalHMM(2, random_state=0).fit([[0], [1], [1], [0]])
    with pytest.raises(ValueError, match="X holds symbol 3, but the model knows only"):
        model.predict([[0], [3]])
    g = GaussianHMM(2, random_state=0).fit(np.random.default_rng(0).normal(size=(9, 2)))
    with pytest.raises(ValueError, match="X has 3 features, but GaussianHMM is expecting 2"):
        g.score(np.zeros((2, 3)))
    with pytest.raises(TypeError, match="lengths must hold ints"):
        g.score(np.zeros((2, 2)), lengths=[1.5, 0.5])


def test_a_symbol_no_state_can_emit_scores_minus_infinity_without_nan():
    model = CategoricalHMM(n_components=2, n_symbols=3, startprob_init=[1.0, 0.0],
                           transmat_init=[[0.5, 0.5], [0.5, 0.5]],
                           emissionprob_init=[[0.5, 0.5, 0.0], [0.5, 0.5, 0.0]], max_iter=1)
    _fit_known(model, [[0], [1], [0]])
    for algorithm in ("fast", "textbook"):
        model.algorithm = algorithm
        assert model.score_samples([[0], [2], [1]]).tolist() == [-np.inf]
        assert model.score_samples([[0], [1]]) == pytest.approx(2 * np.log(0.5))
        with pytest.raises(ValueError, match="sequence 1 of X has probability 0 under the model"):
            model.predict_proba([[0], [1], [2]], lengths=[1, 2])


@pytest.mark.parametrize("n_threads", [1, 3])
def test_gaussian_emissions_side_by_side_are_the_textbook_columns(n_threads):
    # the fast path's states run side by side on the library's threads: each column
    # is the textbook's, bit for bit, on one thread or three
    rng = np.random.default_rng(3)
    X = rng.normal(size=(200, 3))
    model = GaussianHMM(n_components=4, covariance_type="full", max_iter=2, random_state=0)
    with pytest.warns(UserWarning, match="did not converge"):
        model.fit(X)
    params = {"means_": model.means_, "covariances_": model.covariances_}
    with use_threads(n_threads):
        fast = model._log_emissions(X, params, use_textbook=False)
    book = gaussian_log_emissions(X, model.means_, model.covariances_, "full")
    assert fast.tobytes() == book.tobytes()
