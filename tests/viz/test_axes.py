"""Tick arithmetic of the SVG axes, checked against the definition of a "nice" step."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.viz.axes import PALETTE, class_colour, nice_ticks, padded_limits, tick_label


def is_nice(step):
    """step = m * 10**k with m in {1, 2, 5}."""
    k = math.floor(math.log10(step))
    mantissa = step / 10.0 ** k
    return any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1.0, 2.0, 5.0, 10.0))


@settings(max_examples=200)
@given(st.floats(-1e6, 1e6), st.floats(1e-3, 1e6), st.booleans())
def test_ticks_are_evenly_spaced_round_numbers_inside_the_range(lo, span, integer):
    hi = lo + span
    ticks = np.array(nice_ticks(lo, hi, integer=integer))
    assert len(ticks) >= 1
    slack = 1e-9 * max(abs(lo), abs(hi), 1.0)
    assert ticks.min() >= lo - slack and ticks.max() <= hi + slack
    if len(ticks) > 1:
        steps = np.diff(ticks)
        step = steps[0]
        np.testing.assert_allclose(steps, step, rtol=1e-6)
        assert is_nice(step)
        # every tick is a whole multiple of the step
        np.testing.assert_allclose(ticks / step, np.round(ticks / step), atol=1e-6)
        if integer and math.floor(hi) >= math.ceil(lo):
            assert step >= 1.0 and (ticks == np.round(ticks)).all()
        elif span > 1e-2:
            # about six ticks: a step a notch finer or coarser would be further from 6
            assert 2 <= len(ticks) <= 11


def test_ticks_by_hand():
    assert nice_ticks(0.0, 10.0) == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    assert nice_ticks(-1.0, 1.0) == [-1.0, -0.5, 0.0, 0.5, 1.0]
    assert nice_ticks(0.0, 0.03) == [0.0, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03]
    assert nice_ticks(1.0, 3.0, integer=True) == [1.0, 2.0, 3.0]
    # no whole number in [1.5, 1.75]: fractional ticks rather than none
    assert nice_ticks(1.5, 1.75, integer=True) == [1.5, 1.55, 1.6, 1.65, 1.7, 1.75]
    assert nice_ticks(2.0, 2.0) == [2.0]          # an empty range: one tick, no division by 0


def test_tick_labels_have_the_decimals_of_the_step():
    assert [tick_label(t, 0.5) for t in (-1.0, 0.0, 0.5)] == ["-1.0", "0", "0.5"]
    assert tick_label(3.0, 1.0) == "3" and tick_label(0.015, 0.005) == "0.015"
    assert tick_label(2e6, 1e6) == "2e+06" and tick_label(2e-5, 1e-5) == "2e-05"


def test_padded_limits():
    assert padded_limits(0.0, 10.0) == pytest.approx((-0.4, 10.4))
    assert padded_limits(0.0, 0.0) == (-0.5, 0.5)
    assert padded_limits(3.0, 3.0) == pytest.approx((2.7, 3.3))
    assert padded_limits(np.inf, -np.inf) == (0.0, 1.0)


def test_class_colours_cycle_after_ten():
    assert len(set(PALETTE)) == 10
    assert [class_colour(k) for k in (0, 10, np.int64(13))] == [PALETTE[0], PALETTE[0], PALETTE[3]]
