"""The one-call plots and the parts of a Figure the other SVG tests do not reach:
mixture ellipses in ``scatter``, contour levels and legends, the colour bar,
class names from dicts and strings, far-away points."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from scratch_genmod.viz import Figure, density_contours, scatter
from scratch_genmod.viz.axes import PALETTE
from tests.viz.test_svg import NS, parse, texts


def paths(root, kind):
    return [p for p in root.iter(NS + "path") if p.get("class") == kind]


def test_scatter_of_a_mixture_draws_one_ellipse_and_one_mean_per_component():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    means = np.array([[0.0, 0.0], [3.0, 1.0], [-2.0, 2.0]])
    covariances = np.array([np.eye(2), [[2.0, 0.5], [0.5, 1.0]], 0.3 * np.eye(2)])
    root = parse(scatter(X, rng.integers(0, 3, 30), means=means, covariances=covariances,
                         n_std=1.5))
    ellipses = paths(root, "ellipse")
    assert len(ellipses) == 3 and len(paths(root, "mean")) == 3
    # component i in the colour of class i
    assert [e.get("stroke") for e in ellipses] == list(PALETTE[:3])
    assert "1.5-sigma ellipses" in texts(root)
    [legend] = [g for g in root.iter(NS + "g") if g.get("class") == "legend"]
    assert len(list(legend.iter(NS + "ellipse"))) == 1        # the ring swatch
    assert len(list(root.iter(NS + "circle"))) == 30


def test_mixture_arguments_are_checked():
    X = np.zeros((3, 2))
    with pytest.raises(ValueError, match="covariances must be given with means"):
        scatter(X, means=[[0.0, 0.0]])
    with pytest.raises(ValueError, match=r"means must have shape \(k, 2\) and covariances"):
        Figure().ellipses([[0.0, 0.0]], np.ones((2, 2, 2)))
    with pytest.raises(ValueError, match="n_std must be > 0"):
        Figure().ellipses([[0.0, 0.0]], [np.eye(2)], n_std=0.0)


def test_a_number_of_levels_is_spread_evenly_inside_the_range():
    xs, ys = np.linspace(-1, 1, 21), np.linspace(-1, 1, 21)
    X, Y = np.meshgrid(xs, ys)
    Z = X + 2.0                                             # a plane from 1 to 3
    root = parse(Figure().contours(xs, ys, Z, levels=3, label="iso-lines"))
    contours = paths(root, "contour")
    assert len(contours) == 3
    # levels 1.5, 2, 2.5 are the vertical lines x = -0.5, 0, 0.5: read them back in data units
    frame = [r for r in root.iter(NS + "rect") if r.get("fill") == "none"][-1]
    left, width = float(frame.get("x")), float(frame.get("width"))
    found = []
    for path in contours:
        pts = np.array([p.split(",") for p in path.get("d").replace("M", "").split()], float)
        assert np.ptp(pts[:, 0]) < 0.11                    # one vertical line
        found.append(-1 + 2 * (pts[0, 0] - left) / width)
    np.testing.assert_allclose(sorted(found), [-0.5, 0.0, 0.5], atol=0.01)
    assert "iso-lines" in texts(root)


def test_a_level_outside_the_data_draws_nothing_and_a_fixed_colour_is_kept():
    xs = ys = np.linspace(0, 1, 5)
    Z = np.add.outer(ys, xs)
    root = parse(Figure().contours(xs, ys, Z, levels=[0.5, 7.0], color="#123456"))
    [contour] = paths(root, "contour")
    assert contour.get("stroke") == "#123456"


def test_density_contours_over_labelled_points_uses_dark_lines():
    xs, ys = np.linspace(-2, 2, 25), np.linspace(-2, 2, 25)
    X, Y = np.meshgrid(xs, ys)
    Z = np.exp(-(X ** 2 + Y ** 2))
    pts = np.array([[0.0, 0.0], [1.0, 1.0], [-1.0, 0.5]])
    root = parse(density_contours(xs, ys, Z, X=pts, labels=[0, 1, 1], levels=4,
                                  label_names={0: "zero", 1: "one"}))
    contours = paths(root, "contour")
    assert len(contours) == 4 and {c.get("stroke") for c in contours} == {"#222222"}
    assert {"zero", "one"} <= set(texts(root))
    assert not list(root.iter(NS + "image"))               # no heat-map unless asked


def test_colour_bar_spans_the_values_with_its_label():
    Z = np.linspace(0.0, 4.0, 12).reshape(3, 4)
    root = parse(Figure().image(Z, colorbar=True, colorbar_label="log p(x)"))
    words = texts(root)
    assert "log p(x)" in words
    assert {"0", "4"} <= set(words)                         # the end values are ticks
    bands = [r for r in root.iter(NS + "rect") if (r.get("fill") or "").startswith("rgb(")]
    assert len(bands) == 64
    assert bands[0].get("fill") == "rgb(253,231,37)"       # top: the highest value, yellow
    assert bands[-1].get("fill") == "rgb(68,1,84)"         # bottom: the lowest, dark violet
    # a constant image still gets a colour bar and a finite layout
    assert "nan" not in Figure().image(np.ones((2, 2)), colorbar=True).to_string()


def test_class_names_from_a_dict_or_strings_and_colours_by_position():
    X = np.arange(8.0).reshape(4, 2)
    root = parse(Figure().scatter(X, labels=["b", "a", "b", "c"]))
    groups = [g for g in root.iter(NS + "g") if g.get("class") == "scatter"]
    assert [g.get("fill") for g in groups] == list(PALETTE[:3])   # a, b, c in sorted order
    assert {"a", "b", "c"} <= set(texts(root))
    root = parse(Figure().scatter(X, labels=[5, 7, 5, 7], label_names={5: "five"}))
    assert {"five", "7"} <= set(texts(root))                # a name missing from the dict: the value
    root = parse(Figure().scatter(X, labels=[0, 1, 0, 9], label_names=["zero", "one"]))
    assert {"zero", "one", "9"} <= set(texts(root))


def test_points_far_outside_fixed_limits_stay_finite_and_are_clipped():
    fig = Figure(xlim=(0, 1), ylim=(0, 1)).line([0.0, 1e300], [0.0, 1.0])
    svg = fig.to_string()
    [line] = [p for p in ET.fromstring(svg).iter(NS + "polyline")]
    coords = np.array([p.split(",") for p in line.get("points").split()], float)
    assert np.isfinite(coords).all() and np.abs(coords).max() <= 1e5
    assert 'clip-path="url(#plot-area)"' in svg


def test_jupyter_shows_the_same_svg_and_an_empty_figure_is_valid():
    fig = Figure("x").line([1.0, 2.0])
    assert fig._repr_svg_() == fig.to_string()
    root = parse(Figure())
    assert root.tag == NS + "svg" and not list(root.iter(NS + "circle"))
