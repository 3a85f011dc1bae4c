"""The discrete mixtures' fast layer equals the textbook (awkward data: zeros, ones, empty parts)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.density.fast import discrete_mixture as fast
from scratch_genmod.density.textbook import (
    bernoulli_log_phi,
    bernoulli_m_step,
    categorical_log_phi,
    categorical_m_step,
)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(1, 25), d=st.integers(1, 5),
       m=st.integers(1, 4), exact=st.booleans())
def test_fast_equals_textbook(seed, n, d, m, exact):
    rng = np.random.default_rng(seed)
    X = (rng.random((n, d)) < 0.4).astype(float)
    gamma = rng.dirichlet(np.ones(m), size=n)
    if exact:  # hard responsibilities: mu of 0 and 1, log 0 in the densities
        gamma = np.eye(m)[rng.integers(m, size=n)]
    alpha, mu = bernoulli_m_step(X, gamma)
    alpha_f, mu_f = fast.bernoulli_m_step_matmul(X, gamma)
    np.testing.assert_allclose(alpha_f, alpha, rtol=1e-12)
    np.testing.assert_allclose(mu_f, mu, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(fast.bernoulli_log_phi_matmul(X, mu), bernoulli_log_phi(X, mu),
                               rtol=1e-12)
    K = rng.integers(1, 4, size=d)
    C = (rng.random((n, d)) * K).astype(np.int64)
    alpha, theta = categorical_m_step(C, gamma, K.tolist())
    alpha_f, theta_f = fast.categorical_m_step_onehot(C, gamma, K.tolist())
    np.testing.assert_allclose(alpha_f, alpha, rtol=1e-12)
    for a, b in zip(theta_f, theta):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(fast.categorical_log_phi_gathered(C, theta),
                               categorical_log_phi(C, theta), rtol=1e-12)
