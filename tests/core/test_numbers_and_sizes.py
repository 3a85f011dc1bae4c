"""Numbers beyond float64 and sizes beyond memory: a clear error before any work (issue 27)."""

import warnings

import numpy as np
import pytest

import scratch_genmod as sg
from scratch_genmod.core.validation import check_array, check_scalar
from scratch_genmod.core.sizes import MEMORY_BUDGET, check_n_samples
from scratch_genmod.datasets import make_digits, make_mixture, make_moons

X = np.random.default_rng(0).normal(size=(30, 3))
y = (X[:, 0] > 0).astype(int)


@pytest.mark.parametrize("value", [10**400, -10**400, 10**5000], ids=["1e400", "-1e400", "1e5000"])
def test_python_ints_beyond_float_range_name_the_argument(value):
    with pytest.raises(ValueError, match=r"tol must be a finite number within float64's range"):
        check_scalar(value, "tol")
    assert check_scalar(value, "n", int) == value  # ints stay exact (n_step(10**20) is fine)
    with pytest.raises(ValueError, match="tol must be a finite number within float64's range"):
        sg.GaussianMixture(tol=value).fit(X)


def test_data_with_an_int_beyond_float_range():
    with pytest.raises(ValueError, match="X holds an integer beyond the range of float64"):
        check_array([[10**400, 1, 2]])
    with pytest.raises(ValueError, match="X holds an integer beyond the range of float64"):
        sg.GaussianMixture(1).fit([[10**400, 1, 2], [0, 1, 2]])
    assert check_array([[2**70, 1]])[0, 0] == 2.0**70  # beyond int64, within float64: read


def test_check_n_samples_budget_is_exact():
    # 8-byte numbers: the largest n within the budget passes, one more row is refused.
    n = MEMORY_BUDGET // (8 * 4)
    assert check_n_samples(n, 4) == n
    with pytest.raises(ValueError, match=rf"n_samples={n + 1} samples of 4 features would need "
                                         r"[\d.e+]+ numbers \([\d.e+]+ bytes\), more than the "
                                         r"budget of 4.29e\+09 bytes; draw them in batches"):
        check_n_samples(n + 1, 4)


@pytest.mark.parametrize("draw", [
    lambda: sg.GaussianMixture(2, random_state=0).fit(X).sample(10**12),
    lambda: sg.KernelDensity().fit(X).sample(10**12),
    lambda: sg.GaussianNB().fit(X, y).sample(10**12),
    lambda: make_mixture(10**12, [1.0], [[0.0, 0.0]], [np.eye(2)]),
    lambda: make_moons(10**12),
], ids=["gmm", "kde", "gaussian_nb", "make_mixture", "make_moons"])
def test_samples_beyond_the_budget_are_refused_before_allocating(draw):
    with pytest.raises(ValueError, match=r"n_samples=1000000000000 samples of \d features would "
                                         r"need [\d.e+]+ numbers"):
        draw()


def test_sample_of_10_to_400_names_n_samples():
    with pytest.raises(ValueError, match=r"n_samples=1.00e\+400 samples of 3 features would "
                                         r"need 3.00e\+400 numbers \(2.40e\+401 bytes\)"):
        sg.GaussianMixture(2, random_state=0).fit(X).sample(10**400)


def test_make_digits_refuses_huge_images():
    with pytest.raises(ValueError, match=r"n_samples=1 images of 100000x100000 pixels "
                                         r"\(size=100000\) would need 1e\+10 numbers \(8e\+10 "
                                         r"bytes\).*make fewer or smaller images"):
        make_digits(1, size=10**5)


def test_kde_pdf_beyond_float_range_says_so():
    # Data spread over 1e-150: the density is about 1e+448, its log (1033) finite.
    kde = sg.KernelDensity(bandwidth="scott").fit(X * 1e-150)
    log_f = kde.score_samples(X[:2] * 1e-150)
    assert np.all(np.isfinite(log_f)) and log_f.min() > 1000
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning on the way to the error
        with pytest.raises(ValueError, match=r"density at some rows of X is beyond float64's "
                                             r"range \(log f = 10\d\d > 709.8.*use score_samples"):
            kde.pdf(X[:2] * 1e-150)
    np.testing.assert_allclose(sg.KernelDensity().fit(X).pdf(X[:3]),
                               np.exp(sg.KernelDensity().fit(X).score_samples(X[:3])))


@pytest.mark.parametrize("fit", [
    lambda D: sg.GaussianMixture(2, random_state=0).fit(D),
    lambda D: sg.KMeans(2, random_state=0).fit(D),
    lambda D: sg.GaussianNB().fit(D, y),
    lambda D: sg.GaussianHMM(2, random_state=0).fit(D),
], ids=["gmm", "kmeans", "gaussian_nb", "gaussian_hmm"])
def test_data_spread_beyond_float_squares_is_refused(fit):
    # At 1e300 the squared distances overflow: NaN probabilities inside NumPy (the HMM's
    # seeding), a "collapsed component" (GMM), infinite variances (GaussianNB) before.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"X is spread too widely for float64: its squared "
                                             r"distances overflow.*rescale X"):
            fit(X * 1e300)
        fit(X * 1e100)  # squares of 1e200: within range, fitted without a warning
