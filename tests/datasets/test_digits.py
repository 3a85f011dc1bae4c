import numpy as np
import pytest

from scratch_genmod.datasets import make_digits
from scratch_genmod.datasets.digit_strokes import digit_styles


def test_shapes_ranges_and_labels():
    X, y = make_digits(300, random_state=0)
    assert X.shape == (300, 28, 28) and X.dtype == np.float32
    assert y.shape == (300,) and y.dtype == np.int64
    assert X.min() >= 0.0 and X.max() <= 1.0
    assert set(np.unique(y)) == set(range(10))
    # every image has ink, mostly near its centre, and a dark border like MNIST
    ink = X.reshape(300, -1).sum(axis=1)
    assert (ink > 20).all()
    assert X[:, :, :2].mean() < 0.03 and X[:, 10:18, 10:18].mean() > 0.15
    assert np.count_nonzero(np.diff(y)) > 200        # shuffled, not grouped by digit


def test_seed_gives_the_same_images_and_chunks_do_not_matter():
    X1, y1 = make_digits(50, random_state=7)
    X2, y2 = make_digits(50, random_state=7)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    X3, _ = make_digits(50, random_state=8)
    assert not np.array_equal(X1, X3)


def test_size_noise_and_dtype():
    X, _ = make_digits(10, size=16, random_state=0, dtype=np.float64)
    assert X.shape == (10, 16, 16) and X.dtype == np.float64
    X, _ = make_digits(40, noise=0.0, random_state=0)
    # without noise the background is exactly zero and strokes reach full ink
    assert (X[:, 0, :] == 0).all() and (X.reshape(40, -1).max(axis=1) == 1.0).all()


def test_nearest_class_mean_beats_80_percent():
    X, y = make_digits(3000, random_state=1)
    Xt, yt = make_digits(1000, random_state=2)
    X, Xt = X.reshape(len(X), -1).astype(float), Xt.reshape(len(Xt), -1).astype(float)
    means = np.stack([X[y == k].mean(axis=0) for k in range(10)])
    distances = ((Xt[:, None, :] - means[None]) ** 2).sum(axis=2)
    accuracy = (distances.argmin(axis=1) == yt).mean()
    assert accuracy > 0.8


def test_strokes_stay_in_the_digit_box():
    for styles in digit_styles():
        for strokes in styles:
            points = np.concatenate(strokes)
            assert np.abs(points[:, 0]).max() <= 0.65 and np.abs(points[:, 1]).max() <= 1.0


@pytest.mark.parametrize("kwargs, exc, pattern", [
    (dict(n_samples=0), ValueError, "n_samples must be >= 1"),
    (dict(n_samples=5, size=4), ValueError, "size must be >= 8"),
    (dict(n_samples=5, noise=-0.1), ValueError, "noise must be >= 0"),
    # the ink is float32: 1e300 was inf there ("overflow encountered in cast")
    (dict(n_samples=5, noise=1e300), ValueError, r"noise=1e\+300 cannot be held by float32"),
    (dict(n_samples=5, dtype=np.int32), TypeError, "dtype must be a floating dtype"),
    (dict(n_samples=5, random_state="x"), TypeError, "random_state must be"),
])
def test_bad_input(kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern):
        make_digits(**kwargs)
