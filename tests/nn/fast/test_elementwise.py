"""The fast sigmoid equals the textbook's, over the whole float range."""

import numpy as np
import pytest

from scratch_genmod.nn.fast.elementwise import logistic
from scratch_genmod.nn.textbook.layers import sigmoid


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-15), (np.float32, 1e-6)])
def test_logistic_is_the_textbook_sigmoid(dtype, rtol):
    x = np.concatenate([-np.logspace(-30, 3, 200), [0.0], np.logspace(-30, 3, 200)])
    x = x.astype(dtype)[None, :]
    with np.errstate(over="raise", invalid="raise"):   # nothing overflows, whatever x
        s = logistic(x)
    np.testing.assert_allclose(s, sigmoid(x), rtol=rtol, atol=0)
    assert s.dtype == dtype
