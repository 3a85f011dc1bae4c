"""What the autoencoder and the VAE share (nn/encoder_decoder.py): the course's network,
training resumed by warm_start and partial_fit, the history kept through a divergence."""

import numpy as np
import pytest

from scratch_genmod.nn import Autoencoder, Dense, DivergenceError, VariationalAutoencoder
from tests.nn.test_autoencoder import blobs, small_ae
from tests.nn.test_vae import binary_blobs, small_vae


def test_course_architecture_is_mirrored():
    ae = Autoencoder.course_mnist(epochs=1, progress=False, random_state=0)
    ae.fit(np.zeros((2, 784), dtype=np.float32))
    shapes = [layer.W_.shape for part in (ae.encoder_, ae.decoder_)
              for layer in part.layers if isinstance(layer, Dense)]
    assert shapes == [(784, 1024), (1024, 256), (256, 128), (128, 256), (256, 1024), (1024, 784)]
    kinds = [type(layer).__name__ for layer in ae.encoder_.layers + ae.decoder_.layers]
    assert kinds == ["Dense", "ReLU", "Dense", "ReLU", "Dense", "Identity",
                     "Dense", "ReLU", "Dense", "ReLU", "Dense", "Identity"]


def test_course_sizes():
    vae = VariationalAutoencoder.course_mnist(epochs=1, progress=False, random_state=0)
    vae.fit(np.zeros((2, 784), dtype=np.float32))
    shapes = [layer.W_.shape for layer in vae.encoder_.layers + vae.decoder_.layers
              if isinstance(layer, Dense)]
    assert shapes == [(784, 1024), (1024, 256), (128, 256), (256, 1024), (1024, 784)]
    assert vae.mu_head_.W_.shape == vae.log_var_head_.W_.shape == (256, 128)


def test_warm_start_and_partial_fit_continue_from_the_weights():
    X = binary_blobs()
    vae = small_vae(epochs=3, warm_start=True).fit(X)
    weights = [p.copy() for p in vae.network_.params()]
    vae.fit(X)                                       # 3 more epochs from there
    assert len(vae.history_["loss"]) == 6
    assert not np.allclose(weights[0], vae.network_.params()[0])
    vae.partial_fit(X)
    assert len(vae.history_["loss"]) == 7
    cold = small_vae(epochs=3).fit(X)
    first = [p.copy() for p in cold.network_.params()]
    cold.fit(X)                                      # without warm_start: new weights
    assert len(cold.history_["loss"]) == 3
    assert not np.allclose(first[0], cold.network_.params()[0])


def test_the_autoencoder_resumes_as_the_vae_does():
    X, _ = blobs()
    ae = small_ae(epochs=2, warm_start=True).fit(X)
    weights = [p.copy() for p in ae.encoder_.params()]
    ae.fit(X).partial_fit(X)                         # 2 more epochs from there, then 1
    assert len(ae.history_["loss"]) == 5
    assert not np.allclose(weights[0], ae.encoder_.params()[0])


def test_a_resumed_training_that_diverges_keeps_every_epoch_done_and_the_last_weights():
    X, _ = blobs()
    ae = small_ae(optimizer="sgd", lr=0.1, output_activation="identity", epochs=2,
                  warm_start=True).fit(X)
    before = [p.copy() for p in ae.encoder_.params() + ae.decoder_.params()]
    ae.set_params(epochs=30)
    with pytest.raises(DivergenceError, match=r"epoch \d+: .*smaller lr than 0.1$") as info:
        ae.fit(X * 1000)                             # 1000 times the scale: the steps blow up
    done = info.value.epoch - 1                      # epochs of the resumed fit completed
    assert ae.history_ is info.value.history and len(ae.history_["loss"]) == 2 + done
    if done == 0:                                    # the weights of the first fit's end
        for a, b in zip(before, ae.encoder_.params() + ae.decoder_.params()):
            np.testing.assert_array_equal(a, b)
    assert np.isfinite(ae.reconstruct(X)).all()
