"""A VAE's scores (nn/vae_scores.py): the ELBO, log p(x) by importance sampling, their mean."""

import numpy as np
import pytest

from tests.nn.test_vae import binary_blobs, small_vae


def test_log_likelihood_is_above_the_elbo_and_rises_with_k():
    X = binary_blobs()
    vae = small_vae().fit(X)
    x = X[:100]
    elbo = np.mean([vae.elbo(x, random_state=s).mean() for s in range(20)])
    ll = {k: vae.log_likelihood(x, k=k, random_state=1).mean() for k in (1, 10, 200)}
    assert abs(ll[1] - elbo) < 0.15            # one draw: an estimate of the ELBO itself
    assert elbo < ll[10] < ll[200]
    assert ll[200] - ll[10] < ll[10] - elbo    # and the gains shrink: it converges
    # log p(x) <= 0 for binary x (a probability), and every bound is finite
    assert ll[200] <= 0 and np.all(np.isfinite(vae.log_likelihood(x, k=5)))


def test_scores_refuse_what_fit_refuses():
    X = binary_blobs(n=40)
    vae = small_vae(epochs=1).fit(X)
    message = r"X must hold values in \[0, 1\] for decoder='bernoulli'.*\[0, 255\]"
    for score in (vae.elbo, vae.log_likelihood, vae.score):
        with pytest.raises(ValueError, match=message):
            score(255 * X)
    assert np.isfinite(vae.score(X, k=3))
