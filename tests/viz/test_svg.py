import xml.etree.ElementTree as ET

import numpy as np
import pytest

from scratch_genmod.viz import Figure, density_contours, line_plot, read_png, scatter

NS = "{http://www.w3.org/2000/svg}"


def parse(fig):
    return ET.fromstring(fig.to_string())


def texts(root):
    return [t.text for t in root.iter(NS + "text")]


def test_scatter_has_one_circle_per_point_and_a_legend_per_class():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(57, 2))
    labels = rng.integers(0, 3, size=57)
    fig = scatter(X, labels, label_names=["a", "b", "c"], title="T", xlabel="xx", ylabel="yy")
    root = parse(fig)
    circles = list(root.iter(NS + "circle"))
    assert len(circles) == 57
    words = texts(root)
    assert {"T", "xx", "yy", "a", "b", "c"} <= set(words)
    # each class drawn in its own colour group, with its own count of points
    groups = [g for g in root.iter(NS + "g") if g.get("class") == "scatter"]
    assert len({g.get("fill") for g in groups}) == 3
    assert sorted(len(g) for g in groups) == sorted(np.bincount(labels))


def test_points_land_where_the_axes_say():
    fig = Figure(xlim=(0, 10), ylim=(0, 10)).scatter([[0, 0], [10, 10], [5, 2]])
    root = parse(fig)
    frame = [r for r in root.iter(NS + "rect") if r.get("fill") == "none"][0]
    left, top = float(frame.get("x")), float(frame.get("y"))
    w, h = float(frame.get("width")), float(frame.get("height"))
    centres = [(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(NS + "circle")]
    expected = [(left, top + h), (left + w, top), (left + w / 2, top + h * 0.8)]
    np.testing.assert_allclose(centres, expected, atol=0.06)
    # ticks at 0, 2, ..., 10 are labelled
    assert {"0", "2", "4", "6", "8", "10"} <= set(texts(root))


def test_line_plot_one_polyline_per_series_with_legend():
    fig = line_plot({"train": [3, 2, 1], "test": (np.array([0, 2, 4]), [4, 3, 2.5]), "x": [1, 1]},
                    title="Loss")
    root = parse(fig)
    lines = [p for p in root.iter(NS + "polyline") if p.get("class") == "series"]
    assert len(lines) == 3
    assert len({p.get("stroke") for p in lines}) == 3
    assert len(lines[1].get("points").split()) == 3
    assert {"train", "test", "x"} <= set(texts(root))
    assert len(list(parse(line_plot([1.0, 2.0])).iter(NS + "polyline"))) == 1
    with pytest.raises(ValueError, match="series must hold at least one curve"):
        line_plot({})


def test_a_legend_draws_each_line_as_the_line_is_drawn_dashed_or_solid():
    # the weather figure's pi(...) lines are dashed: their legend swatches must be too
    fig = Figure().line([0, 1], [0, 1], label="sun").line([0, 1], [0.5, 0.5], label="pi(sun)",
                                                           dashed=True)
    root = parse(fig)
    dashes = {p.get("stroke-dasharray") for p in root.iter(NS + "polyline") if p.get("class") == "series"}
    [legend] = [g for g in root.iter(NS + "g") if g.get("class") == "legend"]
    swatches = [line.get("stroke-dasharray") for line in legend.iter(NS + "line")]
    assert len(dashes) == 2 and None in dashes
    assert swatches == [None, next(d for d in dashes if d is not None)]


def test_whole_number_x_gets_whole_number_ticks():
    root = parse(line_plot({"loss": ([1, 2, 3], [0.9, 0.5, 0.4])}))
    labels = [t.text for t in root.iter(NS + "text") if t.get("text-anchor") == "middle"]
    assert labels == ["1", "2", "3"]
    root = parse(line_plot({"loss": ([1.0, 1.5, 3.0], [0.9, 0.5, 0.4])}))
    assert "1.5" in [t.text for t in root.iter(NS + "text")]


def test_ellipses_pass_through_the_two_sigma_points():
    fig = Figure(xlim=(-10, 10), ylim=(-10, 10))
    fig.ellipses([[1.0, 2.0]], [[[4.0, 0.0], [0.0, 1.0]]], n_std=2.0)
    root = parse(fig)
    [path] = [p for p in root.iter(NS + "path") if p.get("class") == "ellipse"]
    frame = [r for r in root.iter(NS + "rect") if r.get("fill") == "none"][0]
    left, top = float(frame.get("x")), float(frame.get("y"))
    w, h = float(frame.get("width")), float(frame.get("height"))
    pts = np.array([p.split(",") for p in path.get("d").strip("MZ ").split()], float)
    x = (pts[:, 0] - left) / w * 20 - 10
    y = 10 - (pts[:, 1] - top) / h * 20
    # (x-1)^2 / 4 + (y-2)^2 / 1 = 2^2 on the ellipse
    np.testing.assert_allclose((x - 1) ** 2 / 4 + (y - 2) ** 2, 4.0, rtol=0.03)


def test_density_contours_over_points_and_heatmap():
    xs, ys = np.linspace(-3, 3, 40), np.linspace(-2, 2, 30)
    X, Y = np.meshgrid(xs, ys)
    Z = np.exp(-(X ** 2 + Y ** 2) / 2)
    pts = np.random.default_rng(1).normal(size=(20, 2))
    root = parse(density_contours(xs, ys, Z, X=pts, levels=[0.2, 0.5, 0.8], heatmap=True))
    assert len([p for p in root.iter(NS + "path") if p.get("class") == "contour"]) == 3
    assert len(list(root.iter(NS + "circle"))) == 20
    [image] = list(root.iter(NS + "image"))
    import base64
    import io
    png = base64.b64decode(image.get("href").split(",", 1)[1])
    assert read_png(io.BytesIO(png)).shape == (30, 40, 3)
    assert "density" in texts(root)


def test_rgb_image_keeps_its_pixels_upper_origin():
    import base64
    import io
    rgb = np.zeros((2, 3, 3), np.uint8)
    rgb[0, 0] = [255, 0, 0]
    root = parse(Figure().image(rgb, origin="upper"))
    [image] = list(root.iter(NS + "image"))
    back = read_png(io.BytesIO(base64.b64decode(image.get("href").split(",", 1)[1])))
    np.testing.assert_array_equal(back, rgb)
    lower = parse(Figure().image(rgb))                      # origin="lower": rows flipped
    [image] = list(lower.iter(NS + "image"))
    back = read_png(io.BytesIO(base64.b64decode(image.get("href").split(",", 1)[1])))
    np.testing.assert_array_equal(back, rgb[::-1])


def test_titles_are_escaped_and_file_is_written(tmp_path):
    fig = Figure(title="a < b & c", xlabel="p(x | θ)")
    fig.line([0, 1], [0, 1], label="<y>")
    path = fig.save(tmp_path / "f.svg")
    root = ET.parse(path).getroot()
    assert {"a < b & c", "p(x | θ)", "<y>"} <= set(texts(root))


def test_equal_aspect_keeps_units_square():
    fig = Figure(aspect="equal", width=800, height=400).scatter([[0, 0], [1, 1]])
    root = parse(fig)
    (x0, y0), (x1, y1) = [(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(NS + "circle")]
    assert abs(abs(x1 - x0) - abs(y1 - y0)) < 0.2


@pytest.mark.parametrize("call, exc, pattern", [
    (lambda f: f.scatter(np.zeros((3, 3))), ValueError, "X must have 2 columns"),
    (lambda f: f.scatter(np.zeros((3, 2)), labels=[0, 1]), ValueError, r"labels must have shape \(3,\)"),
    (lambda f: f.line([0, 1], [0, 1, 2]), ValueError, "x and y must have the same length"),
    (lambda f: f.line([0, np.nan]), ValueError, "x contains 1 NaN|y contains 1 NaN"),
    (lambda f: f.ellipses([[0, 0]], [[[1, 0], [0, -1]]]), ValueError, r"covariances\[0\] is not positive"),
    (lambda f: f.image(np.zeros((2, 2)), extent=(1, 0, 0, 1)), ValueError, "extent must be"),
    (lambda f: f.image(np.zeros((2, 2)), extent=(0, 1, 0)), ValueError, "extent must be"),
    (lambda f: f.image(np.zeros((2, 2)), extent=(0, 1, 0, np.inf)), ValueError,
     "extent must be finite"),
    (lambda f: f.image(np.zeros((2, 2)), origin="top"), ValueError, "origin must be one of"),
    (lambda f: f.contours([0, 1], [0, 1], np.zeros((2, 2)), levels=0), ValueError, "levels must be >= 1"),
])
def test_bad_input_names_the_argument(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call(Figure())


def test_bad_figure_arguments():
    with pytest.raises(ValueError, match="aspect must be one of"):
        Figure(aspect="square")
    with pytest.raises(ValueError, match="width must be >= 200"):
        Figure(width=10)
    with pytest.raises(ValueError, match=r"xlim must be \(low, high\) with low < high"):
        Figure(xlim=(1, 1))
    with pytest.raises(ValueError, match=r"xlim must be \(low, high\) with low < high, got 5"):
        Figure(xlim=5)                                  # a number is no range (not a TypeError)
    with pytest.raises(ValueError, match="ylim must be a number, got NaN"):
        Figure(ylim=(float("nan"), 1))
