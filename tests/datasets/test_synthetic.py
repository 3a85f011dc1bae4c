import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.datasets import make_blobs, make_mixture, make_moons, make_rings

MEANS = np.array([[0.0, 0.0], [6.0, -3.0]])
COVS = np.array([[[1.0, 0.6], [0.6, 2.0]], [[0.5, -0.2], [-0.2, 0.3]]])


def test_mixture_moments_match_the_parameters():
    X, labels = make_mixture(40000, [0.25, 0.75], MEANS, COVS, random_state=0)
    assert X.shape == (40000, 2) and labels.dtype == np.int64
    assert abs((labels == 1).mean() - 0.75) < 0.01
    for i in range(2):
        Xi = X[labels == i]
        # standard error of a mean is sigma / sqrt(n) ~ 0.015 here
        np.testing.assert_allclose(Xi.mean(axis=0), MEANS[i], atol=0.06)
        np.testing.assert_allclose(np.cov(Xi.T), COVS[i], atol=0.08)


def test_mixture_is_shuffled_and_reproducible():
    X1, l1 = make_mixture(200, [0.5, 0.5], MEANS, COVS, random_state=3)
    X2, l2 = make_mixture(200, [0.5, 0.5], MEANS, COVS, random_state=3)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(l1, l2)
    # grouped output would change label only once
    assert np.count_nonzero(np.diff(l1)) > 50
    X3, _ = make_mixture(200, [0.5, 0.5], MEANS, COVS, random_state=4)
    assert not np.array_equal(X1, X3)


def test_generator_advances():
    rng = np.random.default_rng(0)
    a, _ = make_blobs(10, random_state=rng)
    b, _ = make_blobs(10, random_state=rng)
    assert not np.array_equal(a, b)


@pytest.mark.parametrize("kwargs, exc, pattern", [
    (dict(weights=[0.5, 0.6]), ValueError, "weights must be non-negative and sum to 1"),
    (dict(weights=[1.2, -0.2]), ValueError, "weights must be non-negative"),
    (dict(weights=[1.0]), ValueError, "weights has 1 entries but means has 2"),
    (dict(covariances=COVS[:1]), ValueError, r"covariances must have shape \(2, 2, 2\)"),
    (dict(covariances=np.array([np.eye(2), -np.eye(2)])), ValueError,
     r"covariances\[1\] is not positive definite"),
    (dict(n_samples=0), ValueError, "n_samples must be >= 1"),
    (dict(n_samples=2.5), TypeError, "n_samples must be an int"),
    (dict(means=[0.0, 1.0]), ValueError, "means must be a 2-D array"),
])
def test_mixture_bad_input(kwargs, exc, pattern):
    args = dict(n_samples=10, weights=[0.5, 0.5], means=MEANS, covariances=COVS)
    args.update(kwargs)
    with pytest.raises(exc, match=pattern):
        make_mixture(**args)


def test_blobs_defaults_and_std():
    X, y = make_blobs(3000, centers=[[0, 0, 0], [20, 0, 0]], cluster_std=2.0, random_state=0)
    assert X.shape == (3000, 3) and set(np.unique(y)) == {0, 1}
    np.testing.assert_allclose(X[y == 0].std(axis=0), 2.0, rtol=0.08)
    X, y = make_blobs(50, centers=4, n_features=5, random_state=0)
    assert X.shape == (50, 5) and y.max() <= 3
    with pytest.raises(ValueError, match="cluster_std must be > 0"):
        make_blobs(10, cluster_std=0.0)
    # cluster_std^2 beyond float64: 1e300 raised Python's OverflowError from std ** 2, and
    # 1e-300 gave a variance of 0, refused as "covariances[0] is not positive definite"
    for std, shown, variance in [(1e300, r"1e\+300", "inf"), (1e-300, "1e-300", "0")]:
        with pytest.raises(ValueError, match=rf"cluster_std={shown} cannot be squared in "
                                             rf"float64 \(the variance cluster_std\^2 would be "
                                             rf"{variance}\)"):
            make_blobs(10, cluster_std=std)
    assert np.isfinite(make_blobs(10, cluster_std=1e150, random_state=0)[0]).all()
    with pytest.raises(ValueError, match=r"center_box must be \(low, high\) with low < high"):
        make_blobs(10, center_box=(1.0, -1.0))
    X, _ = make_blobs(200, centers=3, center_box=(100.0, 101.0), cluster_std=0.01, random_state=0)
    assert (X > 99.9).all() and (X < 101.1).all()


def test_blobs_with_covariances_and_weights_is_that_mixture():
    kwargs = dict(centers=MEANS, covariances=COVS, weights=[0.25, 0.75])
    X, y = make_blobs(20000, random_state=5, **kwargs)
    assert abs((y == 1).mean() - 0.75) < 0.015
    np.testing.assert_allclose(np.cov(X[y == 0].T), COVS[0], atol=0.1)
    np.testing.assert_allclose(np.cov(X[y == 1].T), COVS[1], atol=0.05)
    # the same draw as make_mixture with those parameters
    X2, y2 = make_mixture(20000, [0.25, 0.75], MEANS, COVS, random_state=5)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)


def test_moons_lie_on_their_half_circles():
    X, y = make_moons(500, noise=0.0, random_state=0)
    r0 = np.hypot(X[y == 0, 0], X[y == 0, 1])
    r1 = np.hypot(X[y == 1, 0] - 1.0, X[y == 1, 1] - 0.5)
    np.testing.assert_allclose(r0, 1.0)
    np.testing.assert_allclose(r1, 1.0)
    assert (X[y == 0, 1] >= 0).all() and (X[y == 1, 1] <= 0.5).all()
    with pytest.raises(ValueError, match="noise must be >= 0"):
        make_moons(10, noise=-1.0)


@settings(max_examples=20)
@given(st.lists(st.floats(0.1, 10.0), min_size=1, max_size=4), st.integers(0, 2**31))
def test_rings_without_noise_have_exact_radii(radii, seed):
    X, y = make_rings(60, radii=radii, noise=0.0, random_state=seed)
    np.testing.assert_allclose(np.hypot(X[:, 0], X[:, 1]), np.asarray(radii)[y])


def test_rings_bad_radii():
    with pytest.raises(ValueError, match="radii must be positive"):
        make_rings(10, radii=[1.0, 0.0])
