"""Section 02 says what its run shows, with one numbering of the components throughout."""

import ast
import re

import numpy as np
import pytest

from scratch_genmod.datasets import make_mixture
from scratch_genmod.density import GaussianMixture
from scratch_genmod.tour import s02_density
from tests.tour.conftest import caption, said, table


@pytest.fixture(scope="module")
def ctx(run_section):
    return run_section(s02_density)


def test_every_table_and_sentence_numbers_the_components_as_the_fitted_model_does(ctx):
    _, em_rows = table(ctx, "EM on ")
    fitted = {int(row[0]): ast.literal_eval(row[4]) for row in em_rows}
    # equation (1) puts each of these points in the component whose fitted mean is nearest
    _, rows = table(ctx, "Classification by equation (1)")
    for x in ([0.0, 0.0], [4.0, 1.0], [1.0, 4.0]):
        row = next(r for r in rows if ast.literal_eval(r[0]) == x)
        nearest = min(fitted, key=lambda j: np.sum((np.array(fitted[j]) - x) ** 2))
        assert int(row[-2]) == nearest, (x, row, fitted)
    # sample(component=k) quotes mu_k: the EM table's row k
    found = re.search(r"component=(\d+)\) has mean \[[^]]*\] \(mu_\d+ = (\[[^]]*\])\)", said(ctx))
    assert found and ast.literal_eval(found.group(2)) == fitted[int(found.group(1))]


def test_the_log_likelihood_caption_says_where_the_rise_starts_and_ends(ctx):
    X, _ = make_mixture(500, s02_density.WEIGHTS, s02_density.MEANS, s02_density.COVARIANCES,
                        random_state=0)
    history = GaussianMixture(3, init_params="random", tol=1e-6, max_iter=500,
                              random_state=0).fit(X).log_likelihood_history_
    gains = [h - history[0] for h in history]
    start = next(t for t, g in enumerate(gains, start=1) if g >= 0.1 * gains[-1])
    end = next(t for t, g in enumerate(gains, start=1) if g >= 0.9 * gains[-1])
    text = caption(ctx, "02_em_log_likelihood.svg")
    assert f"between iterations {start} and {end}" in text
    assert f"over EM's {len(history)} iterations" in text
    if start > 3:  # this run: the random start makes EM wait before it climbs
        assert f"stays nearly flat for {start - 1} iterations" in text
    assert "fast at first" not in text


def _modes(curve):
    """Local maxima of a sampled curve, by walking it (plateaus once)."""
    values = [v for k, v in enumerate(curve) if k == 0 or v != curve[k - 1]]
    count = 0
    for k, v in enumerate(values):
        left = values[k - 1] if k > 0 else -np.inf
        right = values[k + 1] if k + 1 < len(values) else -np.inf
        count += v > left and v > right
    return count


def test_the_kde_caption_counts_the_modes_of_each_curve(ctx):
    rng = np.random.default_rng(0)  # the quick run's 200 points
    weights, means, stds = s02_density.TRUE_1D
    component = rng.choice(2, size=200, p=weights)
    x = rng.normal(np.take(means, component), np.take(stds, component))
    grid = np.linspace(-4.0, 6.0, 500)

    def kde(h):  # the Gaussian KDE by its formula
        return np.exp(-0.5 * ((grid[:, None] - x) / h) ** 2).sum(axis=1)

    narrow = np.geomspace(0.02, 2.0, 13)[1]
    truth = sum(w * np.exp(-0.5 * ((grid - m) / s) ** 2) / s for w, m, s in zip(weights, means, stds))
    text = caption(ctx, "02_kde_bandwidths.svg")
    assert f"the too narrow KDE {_modes(kde(narrow))}," in text
    assert f"the too wide one {_modes(kde(1.5))};" in text
    assert f"the dashed truth has {_modes(truth)}." in text and _modes(truth) == 2


def test_the_bic_caption_names_the_m_of_the_lowest_bic_in_the_table(ctx):
    _, rows = table(ctx, "Choosing the number of components by BIC")
    lowest = min(rows, key=lambda row: float(row[1]))[0]
    assert f"lowest at m = {lowest}," in caption(ctx, "02_bic.svg")
