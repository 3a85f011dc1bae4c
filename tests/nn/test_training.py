"""The training loop: it learns, it stops cleanly, it refuses bad settings."""

import numpy as np
import pytest

from scratch_genmod.nn import (Adam, Dense, DivergenceError, MSELoss, ReLU, SGD, Sequential,
                               Sigmoid, evaluate, train)


def regression_data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    Y = np.tanh(X @ rng.normal(size=(3, 2)))
    return X, Y


def small_net(seed=0):
    return Sequential([Dense(3, 16, dtype="float64"), ReLU(),
                       Dense(16, 2, dtype="float64")]).build(seed)


def test_training_lowers_the_loss():
    X, Y = regression_data()
    net = small_net()
    before = evaluate(net, MSELoss(), X, Y)
    history = train(net, X, Y, MSELoss(), Adam(lr=1e-2), epochs=30, batch_size=16,
                    random_state=0, progress=False)
    assert len(history["loss"]) == 30 and history["stopped"] == "completed"
    assert history["loss"][-1] < 0.2 * history["loss"][0]
    assert evaluate(net, MSELoss(), X, Y) < 0.2 * before


def test_epoch_loss_is_the_mean_of_batch_losses_without_shuffle():
    # With lr tiny the weights barely move: the epoch loss is the data's loss.
    X, Y = regression_data(n=50)
    net = small_net()
    expected = evaluate(net, MSELoss(), X, Y)
    history = train(net, X, Y, MSELoss(), SGD(lr=1e-12), epochs=1, batch_size=7,
                    shuffle=False, progress=False)
    assert history["loss"][0] == pytest.approx(expected, rel=1e-9)


def test_validation_split_and_data():
    X, Y = regression_data(n=100)
    history = train(small_net(), X, Y, MSELoss(), Adam(), epochs=2, validation_split=0.2,
                    random_state=0, progress=False)
    assert len(history["val_loss"]) == 2
    net = small_net()
    history = train(net, X[:80], Y[:80], MSELoss(), Adam(), epochs=2,
                    validation_data=(X[80:], Y[80:]), random_state=0, progress=False)
    assert history["val_loss"][-1] == pytest.approx(evaluate(net, MSELoss(), X[80:], Y[80:]))


def test_early_stopping_restores_the_best_weights():
    # 6 training points, a wide net and a large lr: it overfits, the validation loss rises.
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    Xv, Yv = rng.normal(size=(40, 3)), rng.normal(size=(40, 2))
    net = Sequential([Dense(3, 64, dtype="float64"), ReLU(), Dense(64, 2, dtype="float64")]).build(0)
    history = train(net, X, Y, MSELoss(), Adam(lr=3e-2), epochs=300, batch_size=6,
                    validation_data=(Xv, Yv), early_stopping=5, random_state=0, progress=False)
    assert history["stopped"] == "early_stopping"
    best = history["best_epoch"]
    assert len(history["val_loss"]) == best + 5
    assert min(history["val_loss"]) == history["val_loss"][best - 1]
    assert evaluate(net, MSELoss(), Xv, Yv) == pytest.approx(history["val_loss"][best - 1])


def test_same_seed_same_weights():
    X, Y = regression_data()
    nets = []
    for _ in range(2):
        net = small_net(seed=5)
        train(net, X, Y, MSELoss(), Adam(), epochs=3, batch_size=10, random_state=7,
              progress=False)
        nets.append(net)
    for a, b in zip(nets[0].params(), nets[1].params()):
        np.testing.assert_array_equal(a, b)


def test_divergence_stops_with_a_clear_error_and_finite_weights():
    X, Y = regression_data()
    net = small_net()
    with pytest.raises(DivergenceError, match=r"epoch \d+.*smaller lr") as info:
        train(net, X * 100, Y, MSELoss(), SGD(lr=10.0), epochs=50, progress=False)
    assert all(np.isfinite(p).all() for p in net.params())
    assert len(info.value.history["loss"]) < 50


def test_a_last_step_that_overflows_the_weights_is_divergence():
    # One epoch of one batch: the loss is computed before the only step, so it stays finite
    # while that step sends every weight to about 1e300; train used to return them, and
    # the model's next output was inf or NaN, far from the lr that caused it.
    X, Y = regression_data()
    net = small_net()
    start = [p.copy() for p in net.params()]
    with pytest.raises(DivergenceError, match=r"epoch 1: the largest weight became .*, beyond "
                                              r"1\.341e\+154 where its product with an input as "
                                              r"large overflows float64 .*put back\); try a "
                                              r"smaller lr than 1e\+300$") as info:
        train(net, X, Y, MSELoss(), SGD(lr=1e300), epochs=1, batch_size=64, progress=False)
    assert info.value.quantity == "the largest weight" and info.value.value > 1.341e154
    for before, after in zip(start, net.params()):
        np.testing.assert_array_equal(before, after)


def test_finite_weights_beyond_the_square_root_of_the_largest_float_are_divergence():
    # float32's largest number is 3.4e38, so a weight beyond sqrt(3.4e38) = 1.84e19 times an
    # input as large overflows. SGD with lr = 1e25 gets there in one step while the loss of a
    # sigmoid output stays finite; weight decay at 1e25 does too (from lr = 1), and is named.
    rng = np.random.default_rng(0)
    X = rng.random((32, 3)).astype(np.float32)
    for optimizer, remedy in [(SGD(lr=1e25), r"try a smaller lr than 1e\+25$"),
                              (SGD(lr=1.0, weight_decay=1e25),
                               r"try a smaller weight_decay than 1e\+25 \(usually <= 1\), or a "
                               r"smaller lr than 1$")]:
        net = Sequential([Dense(3, 4), ReLU(), Dense(4, 3), Sigmoid()]).build(0)
        with pytest.raises(DivergenceError, match=r"the largest weight became .*, beyond "
                                                  r"1\.845e\+19 where .* overflows float32.*"
                                                  + remedy):
            train(net, X, X, MSELoss(), optimizer, epochs=3, progress=False)
        assert all(np.abs(p).max() < 10 for p in net.params())   # the initial weights are back


def test_keyboard_interrupt_stops_cleanly():
    X, Y = regression_data()
    net = small_net()
    calls = []

    def corrupt(x, rng):
        calls.append(1)
        if len(calls) == 10:
            raise KeyboardInterrupt
        return x

    history = train(net, X, Y, MSELoss(), Adam(), epochs=100, batch_size=16, corrupt=corrupt,
                    progress=False)
    assert history["stopped"] == "interrupted" and len(history["loss"]) == 2
    assert np.isfinite(net.forward(X)).all()


def test_progress_bar_reports_loss(capsys):
    X, Y = regression_data(n=20)
    train(small_net(), X, Y, MSELoss(), Adam(), epochs=2, batch_size=10, progress="always")
    err = capsys.readouterr().err
    assert "loss=" in err and "4/4 batch" in err


@pytest.mark.parametrize("kwargs, name", [
    ({"epochs": 0}, "epochs"), ({"batch_size": 0}, "batch_size"),
    ({"validation_split": 1.0}, "validation_split"), ({"early_stopping": 0}, "early_stopping"),
    ({"validation_data": (np.ones((3, 2)), np.ones((3, 2)))}, r"validation_data\[0\]"),
])
def test_bad_arguments(kwargs, name):
    X, Y = regression_data()
    with pytest.raises(ValueError, match=name):
        train(small_net(), X, Y, MSELoss(), Adam(), progress=False, **kwargs)


def test_bad_flags():
    X, Y = regression_data()
    with pytest.raises(TypeError, match="shuffle must be True or False"):
        train(small_net(), X, Y, MSELoss(), Adam(), progress=False, shuffle="no")
    with pytest.raises(ValueError, match="progress must be True, False or 'always'"):
        train(small_net(), X, Y, MSELoss(), Adam(), progress="yes")


def test_mismatched_lengths():
    X, Y = regression_data()
    with pytest.raises(ValueError, match="X and Y"):
        train(small_net(), X, Y[:-1], MSELoss(), Adam(), progress=False)
