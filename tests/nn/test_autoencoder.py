"""The autoencoder H = D o E: architecture, training, codes, generation, persistence."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.core import BaseEstimator, NotFittedError, load, save
from scratch_genmod.nn import Autoencoder, Dense, DivergenceError


class OneGaussian(BaseEstimator):
    """A stand-in density for the codes: one Gaussian, fitted by mean and covariance."""

    def __init__(self, random_state=None):
        self.random_state = random_state

    def fit(self, Z):
        self.mean_ = Z.mean(axis=0)
        self.covariance_ = np.cov(Z, rowvar=False) + 1e-6 * np.eye(Z.shape[1])
        return self

    def sample(self, n, random_state=None):
        rng = self._random_generator(random_state)
        Z = rng.multivariate_normal(self.mean_, self.covariance_, size=n)
        return Z, np.zeros(n, dtype=int)


def blobs(n=240, n_features=12, seed=0):
    """Points in [0, 1] near 3 prototypes: easy to compress to 2 numbers."""
    rng = np.random.default_rng(seed)
    prototypes = rng.random((3, n_features))
    labels = rng.integers(3, size=n)
    X = np.clip(prototypes[labels] + 0.05 * rng.normal(size=(n, n_features)), 0, 1)
    return X.astype(np.float32), labels


def small_ae(**params):
    defaults = dict(layer_sizes=(12, 16, 2), epochs=20, batch_size=32, lr=1e-2,
                    progress=False, random_state=0)
    defaults.update(params)
    return Autoencoder(**defaults)


def test_training_lowers_error_and_shapes():
    X, _ = blobs()
    ae = small_ae().fit(X)
    assert ae.history_["loss"][-1] < 0.5 * ae.history_["loss"][0]
    assert ae.encode(X).shape == (240, 2) and ae.encode(X).dtype == np.float32
    assert ae.decode(np.zeros((5, 2))).shape == (5, 12)
    R = ae.reconstruct(X)
    assert R.shape == X.shape and (R > 0).all() and (R < 1).all()  # sigmoid output
    expected = ((X.astype(np.float64) - R) ** 2).sum(axis=1)
    np.testing.assert_allclose(ae.reconstruction_error(X), expected, rtol=1e-5)


def test_same_seed_identical_weights():
    X, _ = blobs()
    a, b = small_ae(epochs=3).fit(X), small_ae(epochs=3).fit(X)
    for p, q in zip(a.encoder_.params() + a.decoder_.params(),
                    b.encoder_.params() + b.decoder_.params()):
        np.testing.assert_array_equal(p, q)


def test_shuffle_changes_the_batches_not_the_start():
    X, _ = blobs()
    fixed = [small_ae(epochs=2, shuffle=False).fit(X) for _ in range(2)]
    shuffled = small_ae(epochs=2).fit(X)
    np.testing.assert_array_equal(fixed[0].encoder_.params()[0], fixed[1].encoder_.params()[0])
    assert not np.array_equal(fixed[0].encoder_.params()[0], shuffled.encoder_.params()[0])
    # one batch holding every row: the order inside it changes no gradient, so the same start
    # gives the same weights (up to the summation order) with or without shuffling
    whole = [small_ae(epochs=1, batch_size=len(X), shuffle=s).fit(X) for s in (False, True)]
    np.testing.assert_allclose(whole[0].encoder_.params()[0], whole[1].encoder_.params()[0],
                               rtol=1e-5, atol=1e-6)
    with pytest.raises(TypeError, match="shuffle"):
        small_ae(shuffle="yes").fit(X)


def test_interpolation_endpoints_and_linearity_in_code_space():
    X, _ = blobs()
    ae = small_ae(output_activation="identity").fit(X)
    path = ae.interpolate(X[0], X[1], n_steps=5)
    assert path.shape == (5, 12)
    np.testing.assert_allclose(path[0], ae.reconstruct(X[:1])[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(path[-1], ae.reconstruct(X[1:2])[0], rtol=1e-5, atol=1e-6)
    z1, z2 = ae.encode(X[:2]).astype(np.float64)
    np.testing.assert_allclose(path[2], ae.decode((0.5 * z1 + 0.5 * z2)[None])[0], rtol=1e-5)


def test_save_load_identical_reconstructions(tmp_path):
    X, _ = blobs()
    ae = small_ae(epochs=3).fit(X).fit_latent_density(X, OneGaussian(random_state=0))
    again = load(save(ae, tmp_path / "ae"), extra_classes=[OneGaussian])
    np.testing.assert_array_equal(again.reconstruct(X), ae.reconstruct(X))
    assert again.history_ == ae.history_ and again.get_params() == ae.get_params()
    np.testing.assert_array_equal(again.sample(3, random_state=2)[0],
                                  ae.sample(3, random_state=2)[0])
    assert again.optimizer_.t_ == ae.optimizer_.t_


def test_bce_loss_trains_on_logits_and_decodes_probabilities():
    X, _ = blobs()
    ae = small_ae(loss="bce").fit(X)
    assert type(ae.decoder_.layers[-1]).__name__ == "Identity"
    R = ae.reconstruct(X)
    assert (R > 0).all() and (R < 1).all()
    assert ae.history_["loss"][-1] < ae.history_["loss"][0]


@pytest.mark.parametrize("noise", ["gaussian", "masking"])
def test_denoising_learns_to_remove_noise(noise):
    X, _ = blobs()
    rng = np.random.default_rng(9)
    ae = small_ae(noise=noise, noise_level=0.2, epochs=40).fit(X)
    if noise == "gaussian":
        noisy = X + 0.2 * rng.normal(size=X.shape).astype(np.float32)
    else:
        noisy = X * (rng.random(X.shape) >= 0.2)
    cleaned = ae.reconstruct(noisy)
    assert ((cleaned - X) ** 2).mean() < 0.5 * ((noisy - X) ** 2).mean()


def test_divergence_keeps_a_usable_model():
    X, _ = blobs()
    ae = small_ae(optimizer="sgd", lr=50.0, output_activation="identity", epochs=30)
    with pytest.raises(DivergenceError, match="smaller lr"):
        ae.fit(X * 1000)
    assert np.isfinite(ae.reconstruct(X)).all()
    assert len(ae.history_["loss"]) < 30


@pytest.mark.parametrize("params, message", [
    # float32, the default dtype, holds sizes in [1.18e-38, 3.4e+38]: 1e300 would be inf, 1e-300 0
    ({"lr": 1e300}, r"lr=1e\+300 cannot be held by float32"),
    ({"lr": 1e-300}, r"lr=1e-300 cannot be held by float32"),
    ({"weight_decay": 1e300}, r"weight_decay=1e\+300 cannot be held by float32"),
    ({"noise": "gaussian", "noise_level": 1e300}, r"noise_level=1e\+300 cannot be held by float32"),
])
def test_hyper_parameters_float32_cannot_hold_are_refused_before_training(params, message):
    # A new user's first try: small data, one epoch. lr=1e300 used to train to inf weights and
    # fail later in encode ("Z contains 24 infinite values"), naming neither lr nor a remedy.
    X, _ = blobs(n=24)
    with pytest.raises(ValueError, match=message + r", the dtype it is computed in: its size "
                                                   r"must lie in \[1\.18e-38, 3\.4e\+38\]"):
        small_ae(epochs=1, **params).fit(X)


@pytest.mark.parametrize("params, remedy", [
    ({"lr": 1e300}, r"try a smaller lr than 1e\+300$"),
    ({"lr": 1e300, "optimizer": "sgd"}, r"try a smaller lr than 1e\+300$"),
    ({"weight_decay": 1e300, "optimizer": "sgd"},
     r"try a smaller weight_decay than 1e\+300 \(usually <= 1\), or a smaller lr than 0\.01$"),
])
def test_finite_hyper_parameters_that_diverge_name_themselves(params, remedy):
    # float64 holds 1e300, so the values reach training; its first epoch ends with weights
    # beyond sqrt(1.8e308) = 1.34e154, and the error says which setting to lower.
    X, _ = blobs(n=24)
    ae = small_ae(epochs=1, dtype="float64", **params)
    with pytest.raises(DivergenceError, match=r"epoch 1: the largest weight became .*overflows "
                                              r"float64 .*" + remedy):
        ae.fit(X)
    assert np.isfinite(ae.reconstruct(X)).all() and ae.history_["loss"] == []


def test_not_fitted():
    with pytest.raises(NotFittedError, match="encode"):
        Autoencoder().encode(np.zeros((1, 784)))
    X, _ = blobs()
    with pytest.raises(NotFittedError, match=r"has no latent_density_ yet: call "
                                             r"fit_latent_density\(\.\.\.\) before sample"):
        small_ae(epochs=1).fit(X).sample(2)
    with pytest.raises(NotFittedError, match=r"not fitted yet: call fit\(\.\.\.\) before "
                                             r"fit_latent_density"):
        Autoencoder().fit_latent_density(X)


@pytest.mark.parametrize("params, name", [
    ({"layer_sizes": (12,)}, "layer_sizes"), ({"layer_sizes": 12}, "layer_sizes"),
    ({"layer_sizes": (12, 0)}, r"layer_sizes\[1\]"), ({"lr": 0.0}, "lr"), ({"lr": -1e-3}, "lr"),
    ({"batch_size": 0}, "batch_size"), ({"activation": "relux"}, "activation"),
    ({"output_activation": "tanh"}, "output_activation"), ({"loss": "l2"}, "loss"),
    ({"optimizer": "rmsprop"}, "optimizer"), ({"noise": "salt"}, "noise"),
    ({"noise": "masking", "noise_level": 1.0}, "noise_level"), ({"dtype": "int8"}, "dtype"),
])
def test_bad_parameters(params, name):
    X, _ = blobs()
    with pytest.raises(ValueError, match=name):
        small_ae(**params).fit(X)


def test_bad_input():
    X, _ = blobs()
    with pytest.raises(ValueError, match="X has 13 features"):
        small_ae().fit(np.zeros((10, 13)))
    bad = X.copy()
    bad[3, 4] = np.nan
    with pytest.raises(ValueError, match="X contains 1 NaN"):
        small_ae().fit(bad)
    ae = small_ae(epochs=1).fit(X)
    with pytest.raises(ValueError, match="X has 5 features"):
        ae.encode(np.zeros((2, 5)))
    with pytest.raises(ValueError, match="Z has 3 features"):
        ae.decode(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="X contains"):
        ae.reconstruct(bad)
    with pytest.raises(ValueError, match="n_steps"):
        ae.interpolate(X[0], X[1], n_steps=1)
    with pytest.raises(TypeError, match="estimator"):
        ae.fit_latent_density(X, estimator="gmm")
    assert np.isfinite(X).all()  # the caller's arrays are never modified


def test_bce_needs_values_in_the_unit_interval():
    # 8-bit pixels as they are: the cross-entropy of a target 255 has no minimum, and the
    # training loss went negative (-359 after 2 epochs) without a word.
    X, _ = blobs()
    with pytest.raises(ValueError, match=r"X must hold values in \[0, 1\] for loss='bce'.*"
                                         r"\[0, 255\].*X / 255"):
        small_ae(loss="bce").fit(np.round(255 * X))
    with pytest.raises(ValueError, match=r"validation_data must hold values in \[0, 1\]"):
        small_ae(loss="bce").fit(X, validation_data=255 * X)
    small_ae(loss="bce", epochs=1).fit(X)  # the same rows rescaled are fine


def test_a_sigmoid_output_warns_of_values_it_cannot_reach():
    X, _ = blobs()
    with pytest.warns(UserWarning, match=r"X holds values in \[0, 255\].*sigmoid.*\(0, 1\).*"
                                         r"X / 255.*output_activation='identity'"):
        small_ae(output_activation="sigmoid", epochs=1).fit(np.round(255 * X))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        small_ae(output_activation="sigmoid", epochs=1).fit(X)
        small_ae(output_activation="identity", epochs=1).fit(255 * X)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**16), n=st.integers(2, 20), sizes=st.lists(st.integers(1, 4),
       min_size=1, max_size=3), activation=st.sampled_from(["relu", "leaky_relu", "tanh",
       "sigmoid", "identity"]), loss=st.sampled_from(["mse", "mae", "bce"]),
       optimizer=st.sampled_from(["adam", "sgd"]), scale=st.sampled_from([1e-3, 1.0, 10.0]),
       zeros=st.sampled_from([0.0, 0.5]), noise=st.sampled_from([None, "gaussian"]))
def test_textbook_and_fast_give_the_same_numbers(seed, n, sizes, activation, loss, optimizer,
                                                 scale, zeros, noise):
    rng = np.random.default_rng(seed)
    X = rng.random((n, sizes[0])) * (1.0 if loss == "bce" else scale)
    X[rng.random(X.shape) < zeros] = 0.0                   # ReLU's kink, masked pixels
    models = {a: Autoencoder(tuple(sizes) + (2,), activation=activation, loss=loss,
                             optimizer=optimizer, lr=1e-2, epochs=3, batch_size=4,
                             output_activation="sigmoid" if loss == "bce" else "identity",
                             noise=noise, dtype="float64", progress=False, random_state=seed,
                             algorithm=a).fit(X)
              for a in ("fast", "textbook")}
    fast, textbook = models["fast"], models["textbook"]
    np.testing.assert_allclose(textbook.history_["loss"], fast.history_["loss"], rtol=1e-9)
    for p, q in zip(textbook.encoder_.params() + textbook.decoder_.params(),
                    fast.encoder_.params() + fast.decoder_.params()):
        np.testing.assert_allclose(p, q, rtol=1e-9, atol=1e-12)
    for method in ("encode", "reconstruct", "reconstruction_error"):
        expected = getattr(fast, method)(X)
        np.testing.assert_allclose(getattr(textbook, method)(X), expected, rtol=1e-9,
                                   atol=1e-12 * (1 + np.abs(expected).max()))


def test_algorithm_is_checked_and_read_by_every_method():
    X, _ = blobs(n=40)
    with pytest.raises(ValueError, match="algorithm must be one of 'fast', 'textbook'; got 'slow'"):
        Autoencoder((12, 2), algorithm="slow", progress=False).fit(X)
    ae = Autoencoder((12, 4, 2), epochs=1, progress=False, random_state=0).fit(X)
    ae.set_params(algorithm="textbook")
    ae.encode(X)
    dense = [layer for layer in ae.encoder_.layers + ae.decoder_.layers if isinstance(layer, Dense)]
    assert {layer.algorithm for layer in dense} == {"textbook"}
    assert ae.optimizer_.algorithm == "textbook"
    with pytest.raises(ValueError, match="algorithm must be one of"):
        ae.set_params(algorithm=None).encode(X)


def test_images_are_read_as_rows_of_pixels():
    rng = np.random.default_rng(0)
    images = rng.random((30, 3, 4))
    flat = images.reshape(30, 12)
    by_images = small_ae(epochs=2).fit(images)
    by_rows = small_ae(epochs=2).fit(flat)
    np.testing.assert_array_equal(by_images.encode(images), by_rows.encode(flat))
    np.testing.assert_array_equal(by_images.reconstruction_error(images),
                                  by_rows.reconstruction_error(flat))
    path = by_images.interpolate(images[0], images[1], n_steps=3)   # one image each
    np.testing.assert_array_equal(path, by_rows.interpolate(flat[0], flat[1], n_steps=3))


def test_interpolate_names_a_point_of_the_wrong_width():
    X, _ = blobs()
    ae = small_ae(epochs=1).fit(X)
    with pytest.raises(ValueError, match=r"^x2 must be a 1-D array of shape \(n_features,\) = "
                                         r"\(12,\), or an image of 12 pixels; got shape \(5,\)$"):
        ae.interpolate(X[0], X[1, :5])


def test_scores_refuse_what_fit_refuses():
    X, _ = blobs()
    ae = small_ae(loss="bce", epochs=1).fit(X)
    with pytest.raises(ValueError, match=r"X must hold values in \[0, 1\] for loss='bce'"):
        ae.reconstruction_error(255 * X)


def test_a_network_beyond_the_memory_budget_is_refused_before_allocating():
    X = np.zeros((4, 6))
    with pytest.raises(ValueError, match=r"^layer_sizes \[6, 1000000000, 6\] would need "
                                         r"5.2e\+10 numbers .* use smaller layers"):
        Autoencoder(layer_sizes=(6, 10**9), progress=False).fit(X)
    ae = Autoencoder(layer_sizes=(6, 2), epochs=1, progress=False).fit(X)
    with pytest.raises(ValueError, match=r"^n_samples=1000000000000 samples of 6 features would "
                                         r"need 6e\+12"):
        ae.fit_latent_density(np.random.default_rng(0).random((20, 6)),
                              OneGaussian()).sample(10**12)
