"""GaussianMixture: API, classification by equation (1), criteria, persistence, errors."""

import numpy as np
import pytest

from scratch_genmod.core import load, save
from scratch_genmod.density import ConvergenceWarning, GaussianMixture, select_n_components


def three_blobs(n_per=60, seed=0):
    rng = np.random.default_rng(seed)
    centers = np.array([[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]])
    return np.vstack([c + rng.normal(size=(n_per, 2)) for c in centers])


@pytest.fixture(scope="module")
def fitted():
    return GaussianMixture(3, random_state=0).fit(three_blobs())


def test_predict_is_argmax_of_log_phi_plus_log_alpha(fitted):
    X = three_blobs(5, seed=1)
    joint = np.empty((len(X), 3))
    for i in range(3):  # log N(x | mu_i, Sigma_i) + log alpha_i, written out
        diff = X - fitted.means_[i]
        cov = fitted.covariances_[i]
        maha = np.einsum("ij,jk,ik->i", diff, np.linalg.inv(cov), diff)
        joint[:, i] = (np.log(fitted.weights_[i]) - 0.5 * maha
                       - 0.5 * np.log(np.linalg.det(2 * np.pi * cov)))
    np.testing.assert_allclose(fitted.predict_joint_log_proba(X), joint, rtol=1e-10)
    assert np.array_equal(fitted.predict(X), joint.argmax(axis=1))
    log_f = np.log(np.exp(joint).sum(axis=1))
    np.testing.assert_allclose(fitted.score_samples(X), log_f, rtol=1e-10)
    assert fitted.score(X) == pytest.approx(log_f.mean(), rel=1e-10)
    np.testing.assert_allclose(fitted.predict_proba(X), np.exp(joint - log_f[:, None]),
                               atol=1e-12)


def test_bic_and_aic_by_hand(fitted):
    X = three_blobs()
    n, k, d = len(X), 3, 2
    p = k * d * (d + 1) // 2 + k * d + (k - 1)
    log_l = fitted.score_samples(X).sum()
    assert fitted.bic(X) == pytest.approx(-2 * log_l + p * np.log(n), rel=1e-12)
    assert fitted.aic(X) == pytest.approx(-2 * log_l + 2 * p, rel=1e-12)


def test_select_n_components_finds_three_blobs():
    X = three_blobs()
    best, table = select_n_components(X, [1, 2, 3, 4, 5], random_state=0)
    assert best.n_components == 3
    assert [row["n_components"] for row in table] == [1, 2, 3, 4, 5]
    assert min(table, key=lambda r: r["bic"])["n_components"] == 3
    assert table[2]["bic"] == pytest.approx(best.bic(X))
    with pytest.raises(ValueError, match="criterion"):
        select_n_components(X, [1, 2], criterion="bick")


def test_best_of_n_init_by_likelihood():
    X = three_blobs(30, seed=2)
    one = GaussianMixture(3, init_params="random", n_init=1, random_state=3).fit(X)
    many = GaussianMixture(3, init_params="random", n_init=5, random_state=3).fit(X)
    assert many.lower_bound_ >= one.lower_bound_  # the first start is the same one


@pytest.mark.parametrize("init", ["kmeans", "k-means++", "random"])
def test_every_init_converges_and_flags_it(init):
    gm = GaussianMixture(3, init_params=init, random_state=0, max_iter=500).fit(three_blobs())
    assert gm.converged_ and gm.n_iter_ == len(gm.log_likelihood_history_)
    assert gm.lower_bound_ == gm.log_likelihood_history_[-1]


def test_max_iter_reached_warns():
    with pytest.warns(ConvergenceWarning, match="max_iter=2"):
        gm = GaussianMixture(3, max_iter=2, tol=0.0, random_state=0).fit(three_blobs())
    assert not gm.converged_ and gm.n_iter_ == 2


def test_progress_bar_is_drawn_only_when_asked(capsys):
    GaussianMixture(2, random_state=0, progress="always").fit(three_blobs(10))
    assert "EM" in capsys.readouterr().err
    GaussianMixture(2, random_state=0).fit(three_blobs(10))
    assert capsys.readouterr().err == ""
    with pytest.raises(ValueError, match="progress must be True, False or 'always', got 'yes'"):
        GaussianMixture(2, random_state=0, progress="yes").fit(three_blobs(10))


def test_reproducible_and_does_not_mutate_input():
    X = three_blobs()
    before = X.copy()
    a = GaussianMixture(3, random_state=4).fit(X)
    b = GaussianMixture(3, random_state=4).fit(X)
    assert np.array_equal(a.means_, b.means_) and np.array_equal(X, before)
    s1, _ = a.sample(5)
    s2, _ = a.sample(5)
    assert not np.array_equal(s1, s2)  # the model's generator advances


def test_save_load_round_trip(tmp_path, fitted):
    again = load(save(fitted, tmp_path / "gm.npz"))
    X = three_blobs(5, seed=9)
    assert np.array_equal(again.score_samples(X), fitted.score_samples(X))
    assert again.log_likelihood_history_ == fitted.log_likelihood_history_
    assert again.get_params() == fitted.get_params()


def test_collapsed_component_suggests_reg_covar():
    X = np.array([[0.0, 0.0]] * 5 + [[10.0, 10.0]] * 5)
    with pytest.raises(ValueError, match="reg_covar"):
        GaussianMixture(2, reg_covar=0.0, random_state=0).fit(X)
    gm = GaussianMixture(2, random_state=0).fit(X)  # the default 1e-6 rescues it
    assert np.all(np.isfinite(gm.covariances_))


@pytest.mark.parametrize("kwargs, message", [
    ({"n_components": 500}, "n_components=500 must be <= n_samples"),
    ({"covariance_type": "ful"}, "covariance_type"),
    ({"init_params": "kmean"}, "init_params"),
    ({"tol": -1.0}, "tol"),
    ({"reg_covar": -1e-6}, "reg_covar"),
    ({"max_iter": 0}, "max_iter"),
    ({"weights_init": [0.5, 0.6, 0.1]}, "weights_init"),
    ({"weights_init": [0.5, 0.5]}, "weights_init"),
    ({"means_init": np.zeros((3, 3))}, "means_init"),
    ({"precisions_init": np.eye(2)}, "precisions_init"),
    ({"precisions_init": np.stack([np.eye(2), np.eye(2), -np.eye(2)])}, r"precisions_init\[2\]"),
    ({"precisions_init": np.stack([np.eye(2), [[1, 2], [0, 1]], np.eye(2)])},
     r"precisions_init\[1\] must be symmetric"),
    ({"covariance_type": "diag", "precisions_init": -np.ones((3, 2))}, "precisions_init"),
])
def test_bad_parameters_are_named(kwargs, message):
    params = {"n_components": 3, **kwargs}
    with pytest.raises(ValueError, match=message):
        GaussianMixture(**params).fit(three_blobs(20))


def test_bad_data_is_named(fitted):
    X = three_blobs(10)
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match="X contains 1 NaN"):
        GaussianMixture(2).fit(X)
    with pytest.raises(ValueError, match="X has 3 features, but GaussianMixture"):
        fitted.predict(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="component"):
        fitted.sample(3, component=3)
    with pytest.raises(ValueError, match="n_samples"):
        fitted.sample(0)
    with pytest.raises(ValueError, match="not fitted"):
        GaussianMixture().score(X)

