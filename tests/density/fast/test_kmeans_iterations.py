"""fast/kmeans_iterations.py: the switch between the plain assignment and the bounds.

Whichever way each step finds its labels, the fit is textbook.lloyd's; the
switch only decides how much work that takes.
"""

import threading

import numpy as np
import pytest

from scratch_genmod.datasets import make_blobs
from scratch_genmod.density import textbook as tb
from scratch_genmod.density.fast import hamerly, lloyd
from scratch_genmod.density.fast import kmeans_iterations as ki
from scratch_genmod.density.fast.lloyd import with_ones


@pytest.fixture
def switches(monkeypatch):
    """Every BoundsSwitch a fit makes, to read its history afterwards; bounds allowed on small data."""
    made = []
    original = ki.BoundsSwitch.__init__
    monkeypatch.setattr(ki, "_BOUNDS_MIN_WORK", 0)  # these data are small

    def recording_init(self, bounds, allowed=True):
        original(self, bounds, allowed)
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


def test_the_bounds_are_built_only_where_the_sample_expects_little_doubt(monkeypatch, switches):
    # Asked after each step with fewer than 15 % moved, the sample's estimate
    # decides: above _BUILD_AT times the break-even never built, at it built
    # at once; on 5 separated blobs, the real estimate takes them up.
    X, C = cloud(), cloud()[:32]
    asked, real = [], hamerly.Bounds.doubt_ahead

    def estimate(value):
        def doubt_ahead(self, centers, previous):
            asked.append(len(switches[-1].history_))
            return value
        return doubt_ahead

    threshold = ki._BUILD_AT * hamerly.break_even(32, 4)  # 32 centres in 3 dimensions
    monkeypatch.setattr(hamerly.Bounds, "doubt_ahead", estimate(1.01 * threshold))
    fit(X, C)
    assert True not in switches[-1].history_ and len(asked) > 1
    monkeypatch.setattr(hamerly.Bounds, "doubt_ahead", estimate(threshold))
    fit(X, C)
    assert switches[-1].history_[asked[-1] + 1]  # built right after the step that asked
    monkeypatch.setattr(hamerly.Bounds, "doubt_ahead", real)
    fit(separated(), separated()[:5])
    assert True in switches[-1].history_


def test_the_bounds_are_not_built_for_the_last_few_steps(switches):
    # Building them costs about three plain steps, repaid over the steps after:
    # with fewer than _STEPS_TO_PAY steps left of max_iter, the plain assignment
    # stays; with that many, they are built at the same step as without a cap.
    X = separated()
    C = X[:5]
    fit(X, C)
    first = switches[-1].history_.index(True)  # the first step that ran with them
    for steps_left, built in ((ki._STEPS_TO_PAY - 1, False), (ki._STEPS_TO_PAY, True)):
        max_iter = first + steps_left
        centers, labels, inertia, n_iter = fit(X, C, max_iter)
        np.testing.assert_array_equal(labels, tb.lloyd(X, C, max_iter, 0.0)[1])
        assert (True in switches[-1].history_) == built
        if built:
            assert switches[-1].history_.index(True) == first


@pytest.mark.parametrize("data", [cloud, separated])
def test_the_doubt_ahead_is_the_doubt_the_bounds_meet_after_the_same_move_again(data):
    # With fewer rows than the sample, the sample is every row: build the bounds
    # at the centres, move them again as they just moved, and count the rows in
    # doubt; the estimate made before building must be that fraction.
    X = data()[:900]
    X = X - X.mean(axis=0)
    Xa, x_sq = with_ones(X), np.sum(X * X, axis=1)
    rng = np.random.default_rng(5)
    previous = X[rng.choice(900, 6, replace=False)]
    centers = previous + 0.05 * rng.normal(size=previous.shape)
    bounds = hamerly.Bounds(Xa, x_sq)
    expected = bounds.doubt_ahead(centers, previous)
    bounds.nearest(centers)
    bounds.nearest(2 * centers - previous)
    assert 0 < expected < 1
    assert abs(bounds.n_computed_ / 900 - expected) <= 2 / 900  # a row or two at the margin


@pytest.mark.parametrize("data", [cloud, separated])
def test_always_and_never_the_bounds_give_the_same_bits(monkeypatch, data):
    # The labels and the points that moved are the same either way, so the sums and
    # centres are made by the same additions in the same order.
    X = data()
    C = X[np.random.default_rng(3).choice(len(X), 8, replace=False)]
    monkeypatch.setattr(ki, "_BOUNDS_ON", 0.0)  # never taken up
    never = fit(X, C)
    monkeypatch.setattr(ki, "_BOUNDS_ON", 2.0)  # taken up at once...
    monkeypatch.setattr(ki, "_BUILD_AT", np.inf)
    monkeypatch.setattr(hamerly, "break_even", lambda k, d1: 2.0)  # ...and never dropped
    always = fit(X, C)
    np.testing.assert_array_equal(never[0], always[0])
    np.testing.assert_array_equal(never[1], always[1])
    assert never[2:] == always[2:]


@pytest.mark.parametrize("n_threads", [1, 3])
@pytest.mark.parametrize("d, scale", [(3, 1.0), (3, 1e16), (70, 1.0)])
def test_data_layouts_are_the_copies_made_one_after_another(monkeypatch, d, scale, n_threads):
    # Blocks of 7 rows (the loop runs several times, on one thread or shared by
    # three): the same bits as with_ones, the rows' squares, the transpose and its
    # float32 copy; none by columns past 64 columns, and no float32 copy where
    # float32 cannot hold the squares.
    monkeypatch.setattr(lloyd, "_COPY_ROWS", 7)
    rng = np.random.default_rng(d)
    X = rng.normal(size=(30, d)) * scale
    shift = X.mean(axis=0)
    Xa, x_sq, by_columns = ki.data_layouts(X, shift, n_threads)
    expected = with_ones(X, shift)
    np.testing.assert_array_equal(Xa, expected)
    np.testing.assert_array_equal(x_sq, np.einsum("ij,ij->i", expected[:, :-1], expected[:, :-1]))
    if d + 1 > ki._MAX_FEATURES_BY_COLUMNS:
        assert by_columns is None
        return
    XaT, XaT32 = by_columns
    np.testing.assert_array_equal(XaT, expected.T)
    if scale > 1e15:  # squares near 1e32: beyond what the float32 pass takes
        assert XaT32 is None
    else:
        np.testing.assert_array_equal(XaT32, expected.T.astype(np.float32))


@pytest.mark.parametrize("n, d, k, shared", [(20_000, 8, 32, False), (40_000, 32, 16, True)])
def test_the_steps_share_their_chunks_only_where_a_second_thread_pays(monkeypatch, n, d, k,
                                                                      shared):
    # Both fits cut their rows into two chunks at least; the 20,000 x 8 rows with 32
    # centres are too little work a step (n (k (d + 1) + 128) < 2^24) for the
    # hand-over to the pool, the 40,000 x 32 rows with 16 enough.
    from scratch_genmod.density.fast import nearest_centers
    threads = set()
    run = nearest_centers._Chunks.run

    def recording_run(self, part):
        threads.add(threading.get_ident())
        return run(self, part)

    monkeypatch.setattr(nearest_centers._Chunks, "run", recording_run)
    X = np.random.default_rng(0).normal(size=(n, d))
    C = X[:k].copy()
    ki.lloyd_iterations(with_ones(X), np.sum(X * X, axis=1), C, 2, 0.0, n_threads=2)
    assert (len(threads) > 1) == shared


@pytest.mark.parametrize("min_work, used", [(3000 * 5 * 4 + 1, False), (3000 * 5 * 4, True)])
def test_small_data_never_ask_about_the_bounds(monkeypatch, switches, min_work, used):
    # 3,000 rows of 3 features and 5 centres: a plain step's product has 60,000
    # multiply-adds. Below _BOUNDS_MIN_WORK no sample is drawn and no bounds are built
    # (the same fit); at it, the well-separated blobs take them up.
    monkeypatch.setattr(ki, "_BOUNDS_MIN_WORK", min_work)
    asked, real = [], hamerly.Bounds.doubt_ahead

    def counting(self, centers, previous):
        asked.append(1)
        return real(self, centers, previous)

    monkeypatch.setattr(hamerly.Bounds, "doubt_ahead", counting)
    X = separated()
    C = X[np.random.default_rng(2).choice(len(X), 5, replace=False)]
    got, ref = fit(X, C), tb.lloyd(X, C, 40, 0.0)
    np.testing.assert_array_equal(got[1], ref[1])
    assert (True in switches[-1].history_) == used and bool(asked) == used
