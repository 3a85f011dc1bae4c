"""The textbook's training loop for one autoencoder."""

import numpy as np
import pytest

from scratch_genmod.nn.textbook.training import train_autoencoder


def test_train_autoencoder_lowers_the_loss():
    X = np.random.default_rng(0).random((64, 5))
    _, history = train_autoencoder(X, (5, 8, 3), epochs=20, batch_size=16, lr=1e-2,
                                   random_state=0)
    assert len(history) == 20 and history[-1] < 0.5 * history[0]


def test_nothing_to_learn_from_zeros_through_zero_biases():
    weights = [(np.ones((2, 1)), np.zeros(1)), (np.ones((1, 2)), np.zeros(2))]
    _, history = train_autoencoder(np.zeros((4, 2)), (2, 1), weights=weights, epochs=2)
    assert history == [0.0, 0.0]             # D(E(0)) = 0 = x


@pytest.mark.parametrize("call, name", [
    (lambda: train_autoencoder(np.ones((4, 3)), (2, 1)), "layer_sizes"),
    (lambda: train_autoencoder(np.ones((4, 2)), (2, 1), weights=[(np.ones((2, 1)),
                                                                   np.ones(1))]), "weights"),
    (lambda: train_autoencoder(np.ones((4, 2)), (2, 1), epochs=0), "epochs"),
    (lambda: train_autoencoder(np.ones((4, 2)), (2,)), "at least 2 ints"),
])
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()
