import numpy as np
import pytest

from scratch_genmod.core import (
    check_array,
    check_bool,
    check_choice,
    check_interval,
    check_random_state,
    check_same_length,
    check_sample_weight,
    check_scalar,
)


def test_check_array_converts_and_does_not_touch_input():
    X = [[1, 2], [3, 4]]
    out = check_array(X)
    assert out.dtype == np.float64 and out.shape == (2, 2)
    f32 = np.ones((2, 2), dtype=np.float32)
    assert check_array(f32, dtype=None).dtype == np.float32
    assert check_array(np.ones((2, 2), dtype=int), dtype=None).dtype == np.float64


@pytest.mark.parametrize(
    "X, kwargs, exc, pattern",
    [
        (np.ones(3), {}, ValueError, r"Z must be a 2-D array.*got a 1-D array of shape \(3,\).*Z.reshape"),
        (np.ones((2, 2, 2)), {"ndim": (1, 2)}, ValueError, r"Z must be a 1-D or 2-D array, got a 3-D"),
        (np.array([[1.0, np.nan], [np.inf, 0.0]]), {}, ValueError, r"Z contains 1 NaN and 1 infinite values \(first at index \(0, 1\)\)"),
        (np.ones((0, 2)), {}, ValueError, r"Z needs at least 1 sample, got n_samples=0"),
        (np.ones((1, 2)), {"min_samples": 2}, ValueError, r"Z needs at least 2 samples, got n_samples=1"),
        (np.ones((3, 2)), {"n_features": 3, "estimator": "GaussianMixture"}, ValueError,
         r"Z has 2 features, but GaussianMixture is expecting 3 features as input"),
        (np.ones((3, 0)), {}, ValueError, r"Z has 0 feature\(s\) \(shape=\(3, 0\)\) while a minimum of 1 is required\."),
        ("abc", {}, TypeError, r"Z must be an array of numbers, got str"),
        (None, {}, TypeError, r"Z must be an array of numbers, got NoneType"),
        (np.array([["a"]]), {}, TypeError, r"Z must hold real numbers"),
        (np.array([[1j]]), {}, ValueError, r"Z holds complex numbers \(Complex data not supported\); pass its real part"),
        ([[1.0], [2.0, 3.0]], {}, ValueError, r"Z could not be read as an array"),
        # finite in float64, infinite once cast: said as such, not as "contains infinite values"
        ([[1.0, 1e39]], {"dtype": np.float32}, ValueError,
         r"Z has values beyond the range of float32, e.g. 1e\+39 at index \(0, 1\)"),
    ],
)
def test_check_array_errors_name_the_argument(X, kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern):
        check_array(X, "Z", **kwargs)


def test_check_array_allow_nonfinite():
    assert np.isnan(check_array([[np.nan]], allow_nonfinite=True)).all()


def test_check_random_state():
    assert isinstance(check_random_state(None), np.random.Generator)
    g = np.random.default_rng(1)
    assert check_random_state(g) is g
    assert check_random_state(np.int64(5)).random() == np.random.default_rng(5).random()
    with pytest.raises(ValueError, match="seed must be a non-negative int, got -1"):
        check_random_state(-1, name="seed")
    for bad in (1.5, "0", True, np.random.RandomState(0)):
        with pytest.raises(TypeError, match="random_state must be None, a non-negative int"):
            check_random_state(bad)


def test_check_scalar():
    assert check_scalar(3, "tol") == 3.0 and isinstance(check_scalar(3, "tol"), float)
    assert check_scalar(np.int32(4), "n", int) == 4
    with pytest.raises(TypeError, match="n must be an int, got float 2.0"):
        check_scalar(2.0, "n", int)
    with pytest.raises(TypeError, match="tol must be a number, got bool"):
        check_scalar(True, "tol")
    with pytest.raises(ValueError, match="tol must be a number, got NaN"):
        check_scalar(float("nan"), "tol")
    with pytest.raises(ValueError, match="h must be > 0"):
        check_scalar(0, "h", min_val=0, include_min=False)
    with pytest.raises(ValueError, match="p must be <= 1"):
        check_scalar(1.5, "p", max_val=1)
    with pytest.raises(ValueError, match="p must be < 1"):
        check_scalar(1, "p", max_val=1, include_max=False)
    assert check_scalar(0, "k", int, min_val=0) == 0


def test_check_scalar_refuses_what_its_dtype_cannot_hold():
    # float32 holds sizes in [1.18e-38, 3.40e+38] (np.finfo(np.float32).tiny, .max): beyond,
    # 1e300 would be inf and 1e-300 would be 0 in the arithmetic it is used in.
    for value in (1e300, -1e300, 1e-300, 1e-39, 3.5e38):
        with pytest.raises(ValueError, match=r"lr=.*cannot be held by float32, the dtype it is "
                                             r"computed in: its size must lie in \[1\.18e-38, "
                                             r"3\.4e\+38\]"):
            check_scalar(value, "lr", dtype="float32")
    with pytest.raises(ValueError, match=r"eps=1e-310 cannot be held by float64"):
        check_scalar(1e-310, "eps", dtype=np.float64)   # subnormal: its digits are lost
    for value in (0.0, 1e-38 * 1.2, 3.4e38, -2.0):
        assert check_scalar(value, "lr", dtype="float32") == value
    assert check_scalar(1e300, "lr", dtype="float64") == 1e300
    with pytest.raises(ValueError, match="lr must be > 0"):   # the range is checked first
        check_scalar(-1e300, "lr", min_val=0.0, include_min=False, dtype="float32")


def test_check_choice():
    assert check_choice("diag", "covariance_type", ["full", "diag"]) == "diag"
    with pytest.raises(ValueError, match=r"kernel must be one of 'gaussian', 'tophat'; got 'gausian' \(did you mean 'gaussian'\?\)"):
        check_choice("gausian", "kernel", ["gaussian", "tophat"])
    with pytest.raises(ValueError, match=r"kernel must be one of .*; got 3$"):
        check_choice(3, "kernel", ["gaussian", "tophat"])


def test_check_same_length_and_sample_weight():
    check_same_length(X=[1, 2], y=[3, 4])
    with pytest.raises(ValueError, match="X and y must have the same number of samples, got 3 and 2"):
        check_same_length(X=[1, 2, 3], y=[0, 1])
    assert np.array_equal(check_sample_weight(None, 3), np.ones(3))
    with pytest.raises(ValueError, match="sample_weight has 2 entries, expected one per sample \\(3\\)"):
        check_sample_weight([1, 1], 3)
    with pytest.raises(ValueError, match="sample_weight must be non-negative"):
        check_sample_weight([1, -1, 1], 3)
    with pytest.raises(ValueError, match="sample_weight must have a positive sum"):
        check_sample_weight([0, 0, 0], 3)
    with pytest.raises(ValueError, match="sample_weight contains 1 NaN"):
        check_sample_weight([0, np.nan, 1], 3)
    with pytest.raises(ValueError, match="sample_weight sums beyond float64's range"):
        check_sample_weight([1e308, 1e308, 1.0], 3)  # each finite, the sum is not


def test_check_interval():
    assert check_interval((np.int64(-2), 3.5), "center_box") == (-2.0, 3.5)
    for bad in [(1.0, 1.0), (2.0, 1.0), (0.0, 1.0, 2.0), 5, [[0.0, 1.0]]]:
        with pytest.raises(ValueError, match=r"xlim must be \(low, high\) with low < high"):
            check_interval(bad, "xlim")
    with pytest.raises(ValueError, match="ylim must be a number, got NaN"):
        check_interval((float("nan"), 1.0), "ylim")
    with pytest.raises(ValueError, match="ylim must be finite, got inf"):
        check_interval((0.0, np.inf), "ylim")
    with pytest.raises(ValueError, match="center_box is too wide: high - low overflows"):
        check_interval((-1e308, 1e308), "center_box")


def test_check_scalar_rejects_infinities():
    for bad in (np.inf, -np.inf):
        with pytest.raises(ValueError, match="lr must be finite"):
            check_scalar(bad, "lr", min_val=0.0, include_min=False)


def test_check_bool():
    assert check_bool(np.False_, "whiten") is False and check_bool(True, "whiten") is True
    for bad in [1, 0.0, "yes", None]:
        with pytest.raises(TypeError, match="shuffle must be True or False"):
            check_bool(bad, "shuffle")
