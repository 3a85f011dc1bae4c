"""The textbook's own input errors: each names the argument, what was expected and what came."""

import numpy as np
import pytest

from scratch_genmod.embed.textbook import (conditional_p, gaussian_row, joint_p, kl_divergence,
                                           kl_gradient, pca, pca_decode, pca_encode, student_t_q,
                                           trustworthiness)


@pytest.mark.parametrize("call, match", [
    (lambda: pca(np.ones((5, 3)), 4), r"n_components=4 must be <= min\(n_samples, n_features\) = 3"),
    (lambda: pca(np.ones(5), 1), "X must be a 2-D array"),
    (lambda: gaussian_row([1.0, 2.0, 3.0], 3.0), r"perplexity must be < 3 \(it is an effective number of neighbours among 3"),
    (lambda: gaussian_row([1.0, np.nan], 1.5), "d contains 1 NaN"),
    (lambda: conditional_p(np.eye(5), 4.0), "perplexity must be < 4"),
    (lambda: joint_p(np.eye(5), 1.0), "perplexity must be > 1.0"),
    (lambda: kl_divergence(np.eye(3), np.eye(2)), "Q must have the shape of P"),
    (lambda: kl_gradient(np.ones((3, 2)), np.eye(2)), "P must have shape \\(3, 3\\)"),
    (lambda: kl_gradient(np.ones((3, 2)), np.eye(3), -1.0), "exaggeration must be >= 0"),
    (lambda: student_t_q(np.ones((1, 2))), "Y needs at least 2 samples"),
    (lambda: pca_encode(np.ones((2, 3)), np.zeros(2), np.eye(2)),
     r"X has 3 features and mu shape \(2,\): both must match V of shape \(2, 2\)"),
    (lambda: pca_decode(np.ones((2, 3)), np.zeros(2), np.eye(2)),
     r"Z has 3 codes per row and mu \(2,\): they must match V of shape \(2, 2\)"),
    (lambda: trustworthiness(np.ones((6, 2)), np.ones((6, 1)), 3),
     r"n_neighbors must be < n_samples / 2 = 3, got 3"),
    (lambda: trustworthiness(np.ones((6, 2)), np.ones((5, 1)), 1),
     "X and Y must have the same number of samples, got 6 and 5"),
])
def test_bad_input_is_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()
