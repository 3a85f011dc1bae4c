"""The VAE's formulas against independent computations: Monte Carlo, finite differences."""

import numpy as np
import pytest

from scratch_genmod.nn.textbook.vae import (
    importance_log_likelihood, kl_divergence, kl_gradient, negative_elbo,
    reconstruction_gradient, reconstruction_log_likelihood, reparameterise,
    reparameterise_backward,
)


def numeric_gradient(f, a, h=1e-6):
    """Central differences of the scalar f at the array a."""
    g = np.empty_like(a)
    for i in np.ndindex(a.shape):
        up, down = a.copy(), a.copy()
        up[i] += h
        down[i] -= h
        g[i] = (f(up) - f(down)) / (2 * h)
    return g


def test_kl_matches_a_monte_carlo_estimate():
    # KL(q || p) = E_q[log q(z) - log p(z)], estimated from draws of q.
    rng = np.random.default_rng(0)
    mu, log_var = np.array([[0.7, -1.2, 0.0]]), np.array([[-0.5, 0.8, 0.0]])
    sigma = np.exp(log_var / 2)
    z = mu + sigma * rng.standard_normal((400_000, 3))
    log_q = -0.5 * (((z - mu) / sigma) ** 2 + log_var + np.log(2 * np.pi)).sum(axis=1)
    log_p = -0.5 * (z ** 2 + np.log(2 * np.pi)).sum(axis=1)
    mc = np.mean(log_q - log_p)
    se = np.std(log_q - log_p) / np.sqrt(len(z))
    assert abs(kl_divergence(mu, log_var)[0] - mc) < 4 * se


def test_kl_closed_form_by_hand():
    # mu = 2, sigma^2 = e: 1/2 (4 + e - 1 - 1); zero at the prior.
    assert np.isclose(kl_divergence([[2.0]], [[1.0]])[0], 0.5 * (2 + np.e))
    assert kl_divergence(np.zeros((3, 4)), np.zeros((3, 4))).tolist() == [0.0, 0.0, 0.0]


def test_kl_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    mu, log_var = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    g_mu, g_lv = kl_gradient(mu, log_var)
    assert np.allclose(g_mu, numeric_gradient(lambda m: kl_divergence(m, log_var).sum(), mu))
    assert np.allclose(g_lv, numeric_gradient(lambda v: kl_divergence(mu, v).sum(), log_var))


def test_reparameterise_backward_matches_finite_differences():
    rng = np.random.default_rng(2)
    mu, log_var, eps, G = (rng.normal(size=(3, 2)) for _ in range(4))
    g_mu, g_lv = reparameterise_backward(G, log_var, eps)

    def loss(m, v):
        return float(np.sum(G * reparameterise(m, v, eps)))   # dl/dz = G
    assert np.allclose(g_mu, numeric_gradient(lambda m: loss(m, log_var), mu))
    assert np.allclose(g_lv, numeric_gradient(lambda v: loss(mu, v), log_var))


@pytest.mark.parametrize("decoder", ["bernoulli", "gaussian"])
def test_reconstruction_gradient_matches_finite_differences(decoder):
    rng = np.random.default_rng(3)
    x, out = rng.random((2, 5)), 3 * rng.normal(size=(2, 5))
    numeric = numeric_gradient(
        lambda o: -reconstruction_log_likelihood(x, o, decoder, 0.3).sum(), out)
    assert np.allclose(reconstruction_gradient(x, out, decoder, 0.3), numeric, atol=1e-7)


def test_bernoulli_likelihood_is_the_log_of_the_product_of_probabilities():
    x, a = np.array([[1.0, 0.0, 1.0]]), np.array([[2.0, -1.0, -800.0]])
    p = 1 / (1 + np.exp(-a[0, :2]))
    # the third pixel: log sigmoid(-800) = -800 - log(1 + e^-800) = -800
    expected = np.log(p[0]) + np.log(1 - p[1]) - 800.0
    assert np.isclose(reconstruction_log_likelihood(x, a)[0], expected)


def test_importance_estimate_of_a_linear_gaussian_model():
    # z ~ N(0, 1), x | z ~ N(z, 1): p(x) = N(x; 0, 2). A q that is not the posterior
    # gives a noisy estimate below log p(x) on average that rises to it with k.
    x = np.array([[0.5], [-1.5], [2.0]])
    exact = -0.5 * np.log(4 * np.pi) - x[:, 0] ** 2 / 4
    mu, log_var = x / 3, np.full((3, 1), np.log(1.5))

    def mean_estimate(k, n_repeats=4000):
        rows = np.repeat(np.arange(3), n_repeats)   # each x many times: one vectorised call
        est = importance_log_likelihood(x[rows], mu[rows], log_var[rows], lambda z: z, k=k,
                                        decoder="gaussian", random_state=0)
        return est.reshape(3, n_repeats).mean(axis=1)
    one, many = mean_estimate(1), mean_estimate(50, 2000)
    # the ELBO in closed form: E_q[log N(x; z, 1)] - KL, with E_q (x - z)^2 = (x - mu)^2 + s^2
    s2 = np.exp(log_var[:, 0])
    elbo = (-0.5 * np.log(2 * np.pi) - 0.5 * ((x[:, 0] - mu[:, 0]) ** 2 + s2)
            - 0.5 * (mu[:, 0] ** 2 + s2 - log_var[:, 0] - 1))
    assert np.allclose(one, elbo, atol=0.06)
    assert np.all(elbo < many) and np.all(many <= exact + 0.01)
    assert np.allclose(many, exact, atol=0.02)


def test_negative_elbo_refuses_negative_beta():
    with pytest.raises(ValueError, match="beta"):
        negative_elbo([[1.0]], [[0.0]], [[0.0]], [[0.0]], beta=-1)
