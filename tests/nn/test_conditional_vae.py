"""The conditional VAE: p(x | y) by the VAE's ELBO with the label given to both halves."""

import numpy as np
import pytest

from scratch_genmod.core import NotFittedError
from scratch_genmod.nn import ConditionalVAE
from scratch_genmod.nn.conditional_network import (ConditionalNegativeELBO,
                                                    ConditionalVAENetwork, LabelConditioned)
from scratch_genmod.nn.gradcheck import gradient_check
from scratch_genmod.nn.layers import Dense, Sequential
from scratch_genmod.nn.textbook.vae import kl_divergence, reconstruction_log_likelihood


def bars(n, seed=0):
    """Three classes of 9-pixel images: one lit third each, plus a little noise."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    X = (np.arange(9)[None, :] // 3 == y[:, None]).astype(np.float64)
    X = np.clip(X + rng.normal(0, 0.05, X.shape), 0, 1)
    return X, y


def network(K=2, n=4, d=2, seed=0):
    rng = np.random.default_rng(seed)
    enc = Sequential([Dense(n + K, 5, dtype="float64")]).build(rng)
    mu = Dense(5, d, dtype="float64").build(rng)
    lv = Dense(5, d, dtype="float64").build(rng)
    dec = Sequential([Dense(d + K, n, dtype="float64")]).build(rng)
    eps = rng.standard_normal((6, d))
    return ConditionalVAENetwork(enc, mu, lv, LabelConditioned(dec, K), eps=eps), dec


def test_backprop_through_the_label_conditioned_network_matches_finite_differences():
    net, _ = network()
    rng = np.random.default_rng(1)
    x = rng.random((6, 4))
    c = np.eye(2)[rng.integers(0, 2, 6)]
    errors = gradient_check(net, ConditionalNegativeELBO(4), np.hstack([x, c]), np.hstack([x, c]))
    assert max(errors.values()) < 1e-6, errors


def test_the_loss_is_the_negative_elbo_of_the_pairs():
    # out = D([z | c]) with z = mu + sigma eps: the textbook's terms, computed here by hand
    net, dec = network()
    rng = np.random.default_rng(2)
    x, c = rng.random((6, 4)), np.eye(2)[[0, 1, 1, 0, 1, 0]]
    y_hat = net.forward(np.hstack([x, c]))
    out, mu, log_var = y_hat[:, :4], y_hat[:, 4:6], y_hat[:, 6:]
    z = mu + np.exp(log_var / 2) * net.eps
    np.testing.assert_allclose(out, dec.forward(np.hstack([z, c])), rtol=1e-12)
    expected = np.mean(-reconstruction_log_likelihood(x, out, "bernoulli")
                       + kl_divergence(mu, log_var))
    np.testing.assert_allclose(ConditionalNegativeELBO(4).value(y_hat, np.hstack([x, c])), expected,
                               rtol=1e-12)


def test_draw_me_a_class_gives_that_class():
    X, y = bars(600)
    cvae = ConditionalVAE((9, 24, 2), epochs=60, lr=5e-3, dtype="float64", progress=False,
                          random_state=0).fit(X, y)
    for label in range(3):
        images, labels = cvae.sample(50, y=label, random_state=label)
        assert np.all(labels == label)
        lit = images.reshape(50, 3, 3).mean(axis=2).argmax(axis=1)   # the brightest third
        assert np.mean(lit == label) >= 0.9, (label, np.bincount(lit, minlength=3))
    # with no label asked for, classes come uniformly and each image matches its own label
    images, labels = cvae.sample(90, random_state=5)
    assert set(labels.tolist()) == {0, 1, 2}
    assert np.mean(images.reshape(90, 3, 3).mean(axis=2).argmax(axis=1) == labels) >= 0.9


def test_the_label_changes_the_likelihood_the_way_the_data_says():
    X, y = bars(600)
    cvae = ConditionalVAE((9, 24, 2), epochs=60, lr=5e-3, dtype="float64", progress=False,
                          random_state=0).fit(X, y)
    right = cvae.elbo(X[:100], y[:100], random_state=0)
    wrong = cvae.elbo(X[:100], (y[:100] + 1) % 3, random_state=0)
    assert np.all(np.isfinite(right)) and np.mean(right > wrong) > 0.95
    assert cvae.score(X[:50], y[:50], k=20) > cvae.score(X[:50], (y[:50] + 1) % 3, k=20)
    assert cvae.reconstruct(X[:5], y[:5]).shape == (5, 9)
    assert cvae.interpolate(X[0], X[1], y=y[0], n_steps=4).shape == (4, 9)


def test_clear_errors():
    X, y = bars(60)
    with pytest.raises(NotFittedError, match="before sample"):
        ConditionalVAE((9, 4, 2)).sample(2, y=0)
    with pytest.raises(ValueError, match="y must be a 1-D array of one label per row"):
        ConditionalVAE((9, 4, 2), progress=False).fit(X, y[:10])
    with pytest.raises(ValueError, match="at least 2 classes"):
        ConditionalVAE((9, 4, 2), progress=False).fit(X, np.zeros(60))
    cvae = ConditionalVAE((9, 4, 2), epochs=1, progress=False, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match=r"labels not seen in fit: \[7\]"):
        cvae.sample(3, y=7)
    with pytest.raises(ValueError, match="y must be one label or 3 labels"):
        cvae.sample(3, y=[0, 1])
    # the same check as every sample: a size too large is said briefly, even 10**400
    with pytest.raises(ValueError, match=r"n_samples=1.00e\+400 samples of 9 features would "
                                         r"need .* draw them in batches"):
        cvae.sample(10**400)
    assert cvae.n_features_in_ == 9 and cvae.classes_.tolist() == [0, 1, 2]


def test_textbook_and_fast_train_the_same_network():
    X, y = bars(120)
    params = dict(layer_sizes=(9, 6, 2), epochs=3, batch_size=32, dtype="float64",
                  progress=False, random_state=0)
    fast = ConditionalVAE(**params).fit(X, y)
    textbook = ConditionalVAE(algorithm="textbook", **params).fit(X, y)
    np.testing.assert_allclose(textbook.history_["loss"], fast.history_["loss"], rtol=1e-10)
    np.testing.assert_allclose(textbook.encode(X, y), fast.encode(X, y), rtol=1e-9, atol=1e-12)
