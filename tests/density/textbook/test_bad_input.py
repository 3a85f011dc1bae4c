"""Every textbook function of density names the argument it refuses."""

import numpy as np
import pytest

from scratch_genmod.density.textbook import e_step, em, kde, lloyd_step, log_kde, m_step


@pytest.mark.parametrize("call, message", [
    (lambda: e_step([1.0, 2.0], [1.0], [[0.0]], [1.0], "spherical"), "X must be a 2-D"),
    (lambda: e_step([[1.0]], [0.5, 0.6], [[0.0], [1.0]], [1.0, 1.0], "spherical"), "alpha"),
    (lambda: e_step([[1.0]], [1.0], [[0.0, 1.0]], [1.0], "spherical"), "means"),
    (lambda: e_step([[1.0]], [1.0], [[0.0]], [1.0, 2.0], "spherical"), "covariances"),
    (lambda: e_step([[1.0]], [1.0], [[0.0]], [[[-1.0]]]), r"covariances\[0\]"),
    (lambda: e_step([[1.0]], [1.0], [[0.0]], [1.0], "ful"), "covariance_type"),
    (lambda: m_step([[1.0]], [[-1.0]]), "gamma"),
    (lambda: m_step([[1.0]], [[1.0]], reg_covar=-1.0), "reg_covar"),
    (lambda: m_step([[np.nan]], [[1.0]]), "X contains 1 NaN"),
    (lambda: em([[1.0]], [1.0], [[0.0]], [[[1.0]]], n_iter=0), "n_iter"),
    (lambda: kde([[0.0]], [[0.0]], bandwidth=-1.0), "bandwidth"),
    (lambda: kde([[0.0]], [[0.0]], kernel="gauss"), "kernel"),
    (lambda: kde([[0.0, 1.0]], [[0.0]]), "Y has 2 features"),
    (lambda: log_kde([[0.0]], [[0.0]], sample_weight=[-1.0]), "sample_weight"),
    (lambda: lloyd_step([[0.0]], [[0.0, 1.0]]), "centers has 2 features"),
])
def test_bad_input_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()
