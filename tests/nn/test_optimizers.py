"""Optimisers against the textbook's update rules (scratch_genmod.nn.textbook.optim)."""

import re

import numpy as np
import pytest

from scratch_genmod.core import load, save
from scratch_genmod.nn import SGD, Adam
from scratch_genmod.nn.optimizers import STATE_VERSION
from scratch_genmod.nn.textbook.optim import adam_step, sgd_step
from tests.core.old_files import as_version_1


def textbook_adam(theta, grads, lr, b1, b2, eps, decay):
    """``textbook.adam_step`` over the gradients, from zero moments."""
    m, v = np.zeros_like(theta), np.zeros_like(theta)
    for t, g in enumerate(grads, start=1):
        theta, m, v = adam_step(theta, g, m, v, t, lr, b1, b2, eps, decay)
    return theta


def textbook_sgd(theta, grads, lr, mu, decay):
    """``textbook.sgd_step`` over the gradients, from zero velocity."""
    velocity = np.zeros_like(theta)
    for g in grads:
        theta, velocity = sgd_step(theta, g, velocity, lr, mu, decay)
    return theta


@pytest.mark.parametrize("decay", [0.0, 0.1])
def test_adam_matches_textbook(decay):
    rng = np.random.default_rng(0)
    theta0 = rng.normal(size=(3, 4))
    grads = [rng.normal(size=(3, 4)) * 10 ** rng.uniform(-3, 1) for _ in range(7)]
    theta = theta0.copy()
    opt = Adam(lr=0.05, beta1=0.8, beta2=0.99, eps=1e-3, weight_decay=decay)
    for g in grads:
        opt.step([theta], [g.copy()])
    expected = textbook_adam(theta0, grads, 0.05, 0.8, 0.99, 1e-3, decay)
    np.testing.assert_allclose(theta, expected, rtol=1e-12, atol=1e-14)
    assert opt.t_ == 7


@pytest.mark.parametrize("mu, decay", [(0.0, 0.0), (0.9, 0.0), (0.5, 0.01)])
def test_sgd_matches_textbook(mu, decay):
    rng = np.random.default_rng(1)
    theta0 = rng.normal(size=5)
    grads = [rng.normal(size=5) for _ in range(6)]
    theta = theta0.copy()
    opt = SGD(lr=0.1, momentum=mu, weight_decay=decay)
    for g in grads:
        opt.step([theta], [g.copy()])
    np.testing.assert_allclose(theta, textbook_sgd(theta0, grads, 0.1, mu, decay), rtol=1e-12)


def test_float32_update_stays_float32_and_in_place():
    theta = np.ones(4, dtype=np.float32)
    same = theta
    Adam().step([theta], [np.ones(4, dtype=np.float32)])
    assert same is theta and theta.dtype == np.float32
    np.testing.assert_allclose(theta, 1 - 1e-3, rtol=1e-6)


def test_adam_state_roundtrips(tmp_path):
    rng = np.random.default_rng(2)
    grads = [rng.normal(size=3) for _ in range(4)]
    a, theta_a = Adam(lr=0.1), np.zeros(3)
    for g in grads[:2]:
        a.step([theta_a], [g.copy()])
    b = load(save(a, tmp_path / "adam"))
    theta_b = theta_a.copy()
    for g in grads[2:]:
        a.step([theta_a], [g.copy()])
        b.step([theta_b], [g.copy()])
    np.testing.assert_array_equal(theta_a, theta_b)


@pytest.mark.parametrize("version, edit", [
    (1, lambda meta: meta.replace(f', "state_version": {STATE_VERSION}', "")),
    (9, lambda meta: meta.replace(f'"state_version": {STATE_VERSION}', '"state_version": 9')),
])
def test_an_adam_state_of_another_version_is_a_clear_error(tmp_path, version, edit):
    a, theta = Adam(lr=0.1), np.zeros(3)
    a.step([theta], [np.ones(3)])
    path = save(a, tmp_path / "adam")
    with np.load(path) as data:
        arrays = dict(data)
    meta = as_version_1(str(arrays["__meta__"]))
    assert f'"state_version": {STATE_VERSION}' in meta
    arrays["__meta__"] = np.array(edit(meta))
    np.savez(tmp_path / "other.npz", **arrays)
    with pytest.raises(ValueError, match=f"Adam state of version {version}, and this library "
                                         f"reads version {STATE_VERSION} only"):
        load(tmp_path / "other.npz")
    unfitted = load(save(Adam(lr=0.1), tmp_path / "new"))   # no state: nothing to refuse
    assert unfitted.lr == 0.1


@pytest.mark.parametrize("opt, name", [
    (Adam(lr=0.0), "lr"), (Adam(lr=-1.0), "lr"), (Adam(beta1=1.0), "beta1"),
    (Adam(eps=0.0), "eps"), (SGD(lr=0.0), "lr"), (SGD(momentum=1.0), "momentum"),
    (SGD(weight_decay=-0.1), "weight_decay"),
])
def test_bad_hyper_parameters(opt, name):
    with pytest.raises(ValueError, match=name):
        opt.step([np.zeros(2)], [np.ones(2)])


@pytest.mark.parametrize("opt, name, value", [
    (Adam(eps=1e-300), "eps", "1e-300"), (Adam(lr=1e300), "lr", "1e+300"),
    (SGD(lr=1e300), "lr", "1e+300"), (SGD(weight_decay=1e300), "weight_decay", "1e+300"),
    (SGD(lr=1e-300), "lr", "1e-300"),
])
def test_values_the_parameters_dtype_cannot_hold_are_refused(opt, name, value):
    # In float32 eps=1e-300 is 0, and a zero gradient stepped by 0 / 0 = NaN; lr=1e300 is inf
    # (NumPy warned "overflow encountered in cast" and the weights became inf or NaN).
    theta = np.ones(3, dtype=np.float32)
    with pytest.raises(ValueError, match=rf"{name}={re.escape(value)} cannot be held by float32"):
        opt.step([theta], [np.zeros(3, dtype=np.float32)])
    assert theta.tolist() == [1.0, 1.0, 1.0]
    opt.step([np.ones(3)], [np.zeros(3)])   # float64 holds them all


@pytest.mark.parametrize("opt, textbook", [
    (Adam(lr=1e-2), lambda theta, grads: textbook_adam(theta, grads, 1e-2, 0.9, 0.999, 1e-8, 0.0)),
    (SGD(lr=1e-2, momentum=0.9), lambda theta, grads: textbook_sgd(theta, grads, 1e-2, 0.9, 0.0)),
    # beta1 = 0: m is the gradient itself, but v still decays (as 0.5^t here)
    (Adam(lr=1e-2, beta1=0.0, beta2=0.5),
     lambda theta, grads: textbook_adam(theta, grads, 1e-2, 0.0, 0.5, 1e-8, 0.0)),
])
def test_decaying_state_never_becomes_subnormal(opt, textbook):
    # One gradient, then 1,000 zero gradients: the moving average decays as 0.9^t and would
    # cross float32's subnormal range (below ~1.2e-38), where x86 arithmetic is ~100x slower.
    # Two parameters, so that the flush visits more than one array.
    grads = [np.array([1.0, 0.5], dtype=np.float32)] + [np.zeros(2, dtype=np.float32)] * 1000
    thetas = [np.zeros(2, dtype=np.float32), np.zeros(2, dtype=np.float32)]
    tiny = np.finfo(np.float32).tiny
    for g in grads:
        opt.step(thetas, [g.copy(), 2 * g])
        state = opt.m_ + opt.v_ if isinstance(opt, Adam) else opt.velocity_
        assert len(state) >= 2
        assert not any(((a != 0) & (np.abs(a) < tiny)).any() for a in state)
    for theta, scale in zip(thetas, (1, 2)):
        expected = textbook(np.zeros(2), [scale * g.astype(np.float64) for g in grads])
        np.testing.assert_allclose(theta, expected, rtol=1e-5)


@pytest.mark.parametrize("make", [
    lambda a: Adam(lr=0.05, beta1=0.8, beta2=0.99, eps=1e-3, weight_decay=0.1, algorithm=a),
    lambda a: SGD(lr=0.1, momentum=0.5, weight_decay=0.01, algorithm=a),
    lambda a: SGD(lr=0.1, algorithm=a),
])
def test_textbook_algorithm_gives_the_fast_numbers(make):
    rng = np.random.default_rng(5)
    shapes = [(4, 3), (3,)]
    theta0 = [rng.normal(size=s) for s in shapes]
    grads = [[rng.normal(size=s) for s in shapes] for _ in range(4)]
    results = {}
    for algorithm in ("fast", "textbook"):
        opt, theta = make(algorithm), [t.copy() for t in theta0]
        for g in grads:
            opt.step(theta, g)
        results[algorithm] = theta
    for fast, textbook in zip(results["fast"], results["textbook"]):
        np.testing.assert_allclose(textbook, fast, rtol=1e-13, atol=1e-15)


def test_bad_algorithm_names_the_argument():
    with pytest.raises(ValueError, match="algorithm must be one of 'fast', 'textbook'"):
        Adam(algorithm="blas").step([np.ones(2)], [np.ones(2)])


@pytest.mark.parametrize("opt", [Adam(weight_decay=0.1), SGD(momentum=0.9, weight_decay=0.1)])
def test_gradients_are_left_untouched(opt):
    theta, g = np.ones((3, 2)), np.full((3, 2), 0.5)
    opt.step([theta], [g])
    np.testing.assert_array_equal(g, 0.5)
    assert (theta < 1).all()


def test_sgd_momentum_switched_on_after_plain_steps():
    g1, g2, g3 = np.array([1.0]), np.array([2.0]), np.array([4.0])
    theta, opt = np.zeros(1), SGD(lr=0.1)
    opt.step([theta], [g1])
    opt.set_params(momentum=0.5)
    opt.step([theta], [g2])  # v = g2
    opt.step([theta], [g3])  # v = 0.5 g2 + g3
    np.testing.assert_allclose(theta, -0.1 * (1.0 + 2.0 + (0.5 * 2.0 + 4.0)))


@pytest.mark.parametrize("opt", [Adam(), SGD(momentum=0.9)])
@pytest.mark.parametrize("params, grads, message", [
    ([np.zeros(2)], [], "same length"),
    ([np.zeros(2)], [np.zeros(3)], r"grads\[0\] has shape \(3,\)"),
    ([np.zeros((4, 4))[:, ::2]], [np.zeros((4, 2))], r"params\[0\].*C-contiguous"),
    ([np.zeros(2, dtype=int)], [np.zeros(2)], r"params\[0\].*float"),
])
def test_bad_params_and_grads(opt, params, grads, message):
    with pytest.raises(ValueError, match=message):
        opt.step(params, grads)


@pytest.mark.parametrize("opt, state", [(Adam(), "m_"), (SGD(momentum=0.9), "velocity_")])
def test_state_made_for_other_parameters(opt, state):
    opt.step([np.zeros(3)], [np.ones(3)])
    with pytest.raises(ValueError, match=f"{state} was made for parameters of shapes"):
        opt.step([np.zeros(4)], [np.ones(4)])


@pytest.mark.parametrize("opt", [Adam(n_threads=0), SGD(n_threads=1.5)])
def test_bad_n_threads(opt):
    with pytest.raises((ValueError, TypeError), match="n_threads"):
        opt.step([np.zeros(2)], [np.ones(2)])


@pytest.mark.parametrize("opt", [Adam(), SGD(momentum=0.9)])
def test_gradients_of_another_kind_are_a_clear_error(opt):
    with pytest.raises(TypeError, match=r"grads\[0\] must hold real numbers"):
        opt.step([np.zeros(2)], [np.array(["a", "b"])])


def test_a_non_contiguous_gradient_is_read_as_is():
    g = np.arange(8.0).reshape(2, 4)[:, ::2]  # a strided view: read through a copy
    theta = np.zeros((2, 2))
    SGD(lr=0.5).step([theta], [g])
    np.testing.assert_array_equal(theta, -0.5 * g)
