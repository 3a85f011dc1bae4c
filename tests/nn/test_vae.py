"""The variational autoencoder: gradients, the ELBO's terms, log p(x), generation, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.core import NotFittedError
from scratch_genmod.nn import DivergenceError, VariationalAutoencoder, gradient_check
from scratch_genmod.nn.textbook.vae import kl_divergence, negative_elbo


def binary_blobs(n=300, n_features=10, seed=0):
    """Binary images near 3 prototypes: a VAE with d = 2 can learn them."""
    rng = np.random.default_rng(seed)
    prototypes = rng.random((3, n_features)) < 0.5
    flips = rng.random((n, n_features)) < 0.05
    X = prototypes[rng.integers(3, size=n)] ^ flips
    return X.astype(np.float32)


def small_vae(**params):
    defaults = dict(layer_sizes=(10, 16, 2), epochs=30, batch_size=32, lr=1e-2,
                    progress=False, random_state=0)
    defaults.update(params)
    return VariationalAutoencoder(**defaults)


@pytest.mark.parametrize("decoder", ["bernoulli", "gaussian"])
@pytest.mark.parametrize("sizes", [(6, 5, 4, 2), (6, 3)])
def test_whole_loss_gradient_matches_finite_differences(decoder, sizes):
    rng = np.random.default_rng(1)
    X = rng.random((7, 6))
    vae = small_vae(layer_sizes=sizes, decoder=decoder, decoder_variance=0.5, beta=0.7,
                    activation="tanh", epochs=1, dtype="float64").fit(X)
    vae.network_.eps = rng.standard_normal((7, sizes[-1]))   # eps fixed, as drawn
    errors = gradient_check(vae.network_, vae.loss_, X, X)
    assert len(errors) == len(vae.network_.params()) + 1
    assert max(errors.values()) < 1e-6, errors


def test_loss_is_the_textbook_negative_elbo():
    rng = np.random.default_rng(2)
    X = (rng.random((9, 6)) < 0.5).astype(float)
    vae = small_vae(layer_sizes=(6, 4, 3), beta=2.5, epochs=1, dtype="float64").fit(X)
    eps = rng.standard_normal((9, 3))
    vae.network_.eps = eps
    y_hat = vae.network_.forward(X)
    mu, log_var = vae.encode_distribution(X)
    z = mu + np.exp(log_var / 2) * eps
    out = vae.decoder_.forward(z)
    expected = negative_elbo(X, out, mu, log_var, "bernoulli", beta=2.5).mean()
    assert np.isclose(vae.loss_.value(y_hat, X), expected, rtol=1e-12)


def test_kl_term_against_closed_form_and_monte_carlo():
    X = binary_blobs()
    vae = small_vae(epochs=5).fit(X)
    mu, log_var = [a.astype(np.float64) for a in vae.encode_distribution(X[:4])]
    vae.network_.eps = np.zeros((4, 2), dtype=np.float32)
    _, kl = vae.loss_.terms(vae.network_.forward(X[:4]), X[:4])
    assert np.allclose(kl, kl_divergence(mu, log_var), rtol=1e-5)
    # Monte Carlo: KL = E_q[log q(z) - log p(z)], from draws of each row's q
    rng = np.random.default_rng(3)
    eps = rng.standard_normal((200_000, 1, 2))
    z = mu + np.exp(log_var / 2) * eps
    log_ratio = 0.5 * (-eps ** 2 - log_var + z ** 2).sum(axis=2)
    se = log_ratio.std(axis=0) / np.sqrt(len(eps))
    assert np.all(np.abs(log_ratio.mean(axis=0) - kl) < 4 * se + 1e-6)


def test_training_lowers_the_loss_and_generation_works():
    X = binary_blobs()
    vae = small_vae().fit(X)
    assert vae.history_["loss"][-1] < 0.7 * vae.history_["loss"][0]
    S, labels = vae.sample(50, random_state=0)
    assert S.shape == (50, 10) and S.dtype == np.float32 and labels.tolist() == [0] * 50
    assert S.min() >= 0 and S.max() <= 1
    path = vae.interpolate(X[0], X[1], n_steps=5)
    assert path.shape == (5, 10)
    assert np.allclose(path[[0, -1]], vae.reconstruct(X[:2]), atol=1e-6)
    assert not np.allclose(vae.sample(5)[0], vae.sample(5)[0])   # the generator advances


@pytest.mark.parametrize("params, match", [
    (dict(layer_sizes=(10, 4, 0)), r"layer_sizes\[-1\] \(the latent dimension d\)"),
    (dict(beta=-0.5), "beta"),
    (dict(decoder="poisson"), "decoder"),
    (dict(decoder="gaussian", decoder_variance=0.0), "decoder_variance"),
])
def test_bad_hyper_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        small_vae(**params).fit(binary_blobs())


def test_pixels_outside_unit_interval_name_the_remedy():
    X = 2 * binary_blobs() - 1
    with pytest.raises(ValueError, match=r"\[0, 1\].*\[-1, 1\].*X / 255.*decoder='gaussian'"):
        small_vae().fit(X)
    with pytest.raises(ValueError, match="validation_data must hold values in"):
        small_vae().fit(binary_blobs(), validation_data=X)
    small_vae(decoder="gaussian", epochs=1).fit(X)   # the other remedy works


def test_divergence_names_the_epoch_and_keeps_finite_weights():
    X = binary_blobs()
    vae = small_vae(lr=1e9, epochs=20, optimizer="sgd")
    with pytest.raises(DivergenceError, match="epoch 1"):
        vae.fit(X)
    assert all(np.all(np.isfinite(p)) for p in vae.network_.params())
    assert vae.history_["loss"] == []


@pytest.mark.parametrize("params, name", [
    ({"beta": 1e300}, r"beta=1e\+300"), ({"lr": 1e300}, r"lr=1e\+300"),
    ({"weight_decay": 1e300}, r"weight_decay=1e\+300"), ({"beta": 1e-300}, "beta=1e-300"),
    ({"decoder": "gaussian", "decoder_variance": 1e-300}, "decoder_variance=1e-300"),
])
def test_hyper_parameters_float32_cannot_hold_are_refused_before_training(params, name):
    # VariationalAutoencoder(beta=1e300) on a few rows used to end its one epoch with NaN
    # weights (the KL gradient times beta is inf in float32), and encode then failed with
    # "Z contains 24 NaN", naming neither beta nor a remedy.
    with pytest.raises(ValueError, match=name + r" cannot be held by float32, the dtype it is "
                                                r"computed in"):
        small_vae(epochs=1, **params).fit(binary_blobs(n=24))


@pytest.mark.parametrize("params, remedy", [
    ({"beta": 1e300}, r"try a smaller beta than 1e\+300 \(usually <= 100\), or a smaller lr"),
    ({"decoder": "gaussian", "decoder_variance": 1e-300},
     r"try a larger decoder_variance than 1e-300 \(usually >= 0\.001\), or a smaller lr"),
    ({"lr": 1e300}, r"try a smaller lr than 1e\+300$"),
])
def test_finite_hyper_parameters_that_diverge_name_themselves(params, remedy):
    # In float64 these values reach training: beta scales the KL gradient, 1 / s^2 the
    # reconstruction gradient, and one plain gradient step overflows the weights. Data on a
    # unit scale: the error must not send the user to rescale X (the advice for 8-bit pixels).
    X = binary_blobs(n=24)
    vae = small_vae(epochs=1, dtype="float64", optimizer="sgd", **params)
    with pytest.raises(DivergenceError, match=r"epoch 1: .*" + remedy) as info:
        vae.fit(X)
    assert "X / 255" not in str(info.value)
    assert np.isfinite(vae.reconstruct(X)).all() and vae.history_["loss"] == []


def test_unscaled_data_that_overflows_names_the_scale_not_the_learning_rate():
    # 8-bit pixels given as they are to the Gaussian decoder (the other remedy of the test
    # above, taken without the rescaling): the encoder's log sigma^2 starts in the hundreds,
    # its exp overflows float32, and the loss is NaN from the first batch. The error used
    # to advise a smaller lr, which cannot help.
    X = 255 * binary_blobs()
    vae = small_vae(decoder="gaussian", epochs=1)
    with pytest.raises(DivergenceError, match=r"epoch 1.*log sigma\^2 reaches \d+.*overflows "
                                              r"float32.*\[0, 255\].*X / 255.*float64"):
        vae.fit(X)
    assert vae.encode_distribution(X)[1].max() > np.log(np.finfo(np.float32).max) / 2
    small_vae(decoder="gaussian", epochs=1).fit(X / 255)   # the remedy works


def test_unfitted_and_wrong_width():
    vae = small_vae()
    X = np.zeros((2, 10))
    for method, args in [("encode", (X,)), ("decode", (np.zeros((1, 2)),)), ("sample", (2,)),
                         ("interpolate", (X[0], X[1])), ("log_likelihood", (X,)),
                         ("score", (X,)), ("reconstruct", (X,)), ("elbo", (X,))]:
        with pytest.raises(NotFittedError, match="This VariationalAutoencoder is not fitted"):
            getattr(vae, method)(*args)
    fitted = small_vae(epochs=1).fit(binary_blobs())
    with pytest.raises(ValueError, match="X has 9 features.*VariationalAutoencoder.*10"):
        fitted.encode(np.zeros((1, 9)))
    with pytest.raises(ValueError, match="k"):
        fitted.log_likelihood(binary_blobs()[:3], k=0)


def test_input_size_from_the_data_and_numpy_dtypes():
    vae = small_vae(layer_sizes=(None, 4, 2), dtype=np.float64, epochs=1).fit(binary_blobs())
    assert vae.n_features_in_ == 10 and vae.encode(binary_blobs()[:3]).dtype == np.float64
    with pytest.raises(ValueError, match="dtype must be float32 or float64"):
        small_vae(dtype=np.int32).fit(binary_blobs())


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**16), n=st.integers(2, 20), n_features=st.integers(1, 5),
       hidden=st.lists(st.integers(1, 4), max_size=2), d=st.integers(1, 3),
       activation=st.sampled_from(["relu", "tanh", "sigmoid"]),
       decoder=st.sampled_from(["bernoulli", "gaussian"]), beta=st.sampled_from([0.0, 1.0, 4.0]),
       optimizer=st.sampled_from(["adam", "sgd"]), zeros=st.sampled_from([0.0, 0.5]))
def test_textbook_and_fast_give_the_same_numbers(seed, n, n_features, hidden, d, activation,
                                                 decoder, beta, optimizer, zeros):
    rng = np.random.default_rng(seed)
    X = rng.random((n, n_features))
    X[rng.random(X.shape) < zeros] = 0.0
    models = {a: VariationalAutoencoder((n_features, *hidden, d), activation=activation,
                                        decoder=decoder, beta=beta, optimizer=optimizer,
                                        lr=1e-2, epochs=3, batch_size=4, dtype="float64",
                                        progress=False, random_state=seed, algorithm=a).fit(X)
              for a in ("fast", "textbook")}
    fast, textbook = models["fast"], models["textbook"]
    np.testing.assert_allclose(textbook.history_["loss"], fast.history_["loss"], rtol=1e-9)
    for p, q in zip(textbook.network_.params(), fast.network_.params()):
        np.testing.assert_allclose(p, q, rtol=1e-9, atol=1e-12)
    for name, call in [("codes", lambda m: m.encode_distribution(X)),
                       ("elbo", lambda m: m.elbo(X, random_state=1)),
                       ("log p(x)", lambda m: m.log_likelihood(X, k=5, random_state=2)),
                       ("samples", lambda m: m.sample(4, random_state=3)[0])]:
        np.testing.assert_allclose(call(textbook), call(fast), rtol=1e-9, atol=1e-12,
                                   err_msg=name)


def test_bad_algorithm_names_the_argument():
    with pytest.raises(ValueError, match="algorithm must be one of 'fast', 'textbook'"):
        small_vae(algorithm="numpy").fit(binary_blobs(n=20))


def test_images_are_read_as_rows_of_pixels():
    X = binary_blobs(n=40, n_features=12)
    images = X.reshape(40, 3, 4)
    by_images = small_vae(layer_sizes=(None, 8, 2), epochs=2).fit(images)
    by_rows = small_vae(layer_sizes=(None, 8, 2), epochs=2).fit(X)
    np.testing.assert_array_equal(by_images.encode(images), by_rows.encode(X))
    np.testing.assert_array_equal(by_images.elbo(images, random_state=0),
                                  by_rows.elbo(X, random_state=0))
    np.testing.assert_array_equal(by_images.interpolate(images[0], images[1], 3),
                                  by_rows.interpolate(X[0], X[1], 3))
    with pytest.raises(ValueError, match=r"x1 must be a 1-D array of shape \(n_features,\) = "
                                         r"\(12,\)"):
        by_rows.interpolate(X[0, :6], X[1])


def test_a_network_beyond_the_memory_budget_is_refused_before_allocating():
    with pytest.raises(ValueError, match=r"^layer_sizes \[10, 100000, 100000, 2.*use smaller"):
        small_vae(layer_sizes=(10, 10**5, 10**5, 2)).fit(binary_blobs(n=8))
