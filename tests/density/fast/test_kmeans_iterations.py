"""fast/kmeans_iterations.py: the switch between the plain assignment and the bounds.

Whichever way each step finds its labels, the fit is textbook.lloyd's; the
switch only decides how much work that takes.
"""

import numpy as np
import pytest

from scratch_genmod.datasets import make_blobs
from scratch_genmod.density import textbook as tb
from scratch_genmod.density.fast import hamerly
from scratch_genmod.density.fast import kmeans_iterations as ki
from scratch_genmod.density.fast.lloyd import with_ones


@pytest.fixture
def switches(monkeypatch):
    """Every BoundsSwitch a fit makes, to read its history afterwards."""
    made = []
    original = ki.BoundsSwitch.__init__

    def recording_init(self, bounds):
        original(self, bounds)
        made.append(self)

    monkeypatch.setattr(ki.BoundsSwitch, "__init__", recording_init)
    return made


def fit(X, C, max_iter=40):
    Xc = X - X.mean(axis=0)
    return ki.lloyd_iterations(with_ones(Xc), np.sum(Xc * Xc, axis=1), C - X.mean(axis=0),
                               max_iter, 0.0, n_threads=2)


def cloud(seed=0):
    """No cluster structure: many points stay near the border of two cells."""
    return np.random.default_rng(seed).normal(size=(6000, 3))


def separated():
    return make_blobs(3000, n_features=3, centers=5, cluster_std=0.3, random_state=1)[0]


@pytest.mark.parametrize("data", [cloud, separated])
def test_either_branch_gives_the_textbook_fit(switches, data):
    X = data()
    C = X[np.random.default_rng(2).choice(len(X), 8, replace=False)]
    centers, labels, inertia, n_iter = fit(X, C)
    ref = tb.lloyd(X, C, 40, 0.0)
    np.testing.assert_array_equal(labels, ref[1])
    np.testing.assert_allclose(centers + X.mean(axis=0), ref[0], rtol=0, atol=1e-12)
    assert abs(inertia - ref[2]) <= 1e-10 * ref[2] and n_iter == ref[3]
    history = switches[-1].history_
    assert not history[0]  # a fit starts with the plain assignment
    assert True in history  # and took up the bounds once few points moved


def test_the_bounds_are_dropped_where_they_prove_little_and_kept_where_they_pay(switches):
    # 32 cells in a 3-d cloud: when the bounds are first built, over 40 % of the
    # points are in doubt, so they give up and are dropped; they are taken up again
    # once the moved points have halved. 5 blobs: all settled, kept from then on.
    fit(cloud(), cloud()[:32])
    on_cloud = switches[-1].history_
    fit(separated(), separated()[:5])
    on_blobs = switches[-1].history_
    first_on = on_cloud.index(True)
    dropped = on_cloud.index(False, first_on)
    assert True in on_cloud[dropped:]
    assert on_blobs[-1] and on_blobs.count(True) > on_blobs.count(False)


@pytest.mark.parametrize("data", [cloud, separated])
def test_always_and_never_the_bounds_give_the_same_bits(monkeypatch, data):
    # The labels and the points that moved are the same either way, so the sums and
    # centres are made by the same additions in the same order.
    X = data()
    C = X[np.random.default_rng(3).choice(len(X), 8, replace=False)]
    monkeypatch.setattr(ki, "_BOUNDS_ON", 0.0)  # never taken up
    never = fit(X, C)
    monkeypatch.setattr(ki, "_BOUNDS_ON", 2.0)  # taken up at once...
    monkeypatch.setattr(hamerly, "_GIVE_UP", 2.0)  # ...and never dropped
    always = fit(X, C)
    np.testing.assert_array_equal(never[0], always[0])
    np.testing.assert_array_equal(never[1], always[1])
    assert never[2:] == always[2:]
