"""The quick tour end to end: every section runs, every promised file is written.

One quick run of the tour and its report is shared by the tests of this
module (``.ci/run`` also runs ``python -m scratch_genmod tour --quick`` itself);
they check the report against the files on disk, not against the demos' own
bookkeeping alone.
"""

import io
import re
from collections import Counter
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from scratch_genmod.report import write_report
from scratch_genmod.tour import SECTIONS, run_tour
from scratch_genmod.viz import read_png
from tests.test_report import parse


@pytest.fixture(scope="module")
def tour(tmp_path_factory):
    out = tmp_path_factory.mktemp("tour")
    printed = io.StringIO()
    TOUR_SHARED.clear()
    results = run_tour(out, quick=True, seed=0, stream=printed, shared=TOUR_SHARED)
    write_report(out, results, seed=0, quick=True)
    return out, results, printed.getvalue()


TOUR_SHARED = {}  # what the sections left for each other: the models and maps they made


def test_every_section_runs_and_says_so(tour):
    _, results, printed = tour
    assert [r.number for r in results] == [number for number, _, _ in SECTIONS]
    for r in results:
        assert r.status == "ok", r.error
        assert r.title in printed
    assert "not available" not in printed


def test_report_references_every_figure_and_every_figure_is_a_real_picture(tour):
    out, _, _ = tour
    report = parse(out / "index.html")
    assert report.scripts == 0
    assert len(report.images) >= 2 * len(SECTIONS)
    for src in report.images:
        assert not src.startswith(("/", "http")), src  # relative: the folder can be zipped
        path = out / src
        assert path.is_file() and path.stat().st_size > 0, src
        if path.suffix == ".png":
            image = read_png(path)
            assert image.shape[0] > 8 and image.shape[1] > 8
        else:
            assert path.suffix == ".svg", src
            root = ET.parse(path).getroot()
            assert root.tag.endswith("svg") and len(root) > 3


def test_every_section_contributes_a_figure_and_a_table(tour):
    out, results, _ = tour
    for r in results:
        kinds = {item[0] for item in r.items}
        assert {"figure", "table"} <= kinds, (r.title, kinds)
        for item in r.items:
            if item[0] == "figure":
                assert (out / item[1]).is_file(), item
                assert item[2].strip().endswith("."), item  # a sentence saying what to look at


def test_the_courses_two_quizzes_are_asked_and_answered_with_the_reason(tour):
    _, results, printed = tour
    said = {r.number: " ".join(item[1] for item in r.items if item[0] == "text") for r in results}
    assert "Quiz: A model M returns a probability p" in said["01"]
    assert "(3) one cannot tell" in said["01"]
    assert "Answer: one cannot tell: a discriminative model returns P(y | x)" in said["01"]
    assert "Quiz: What is the main advantage of an autoencoder over PCA?" in said["04"]
    assert "Answer: it has a larger capacity:" in said["04"]
    # the numbers behind the second answer are this run's: more parameters than PCA
    table = next(item[2] for r in results for item in r.items
                 if item[0] == "table" and item[1].startswith("An autoencoder and PCA"))
    ae_row, pca_row = (line.split() for line in table.splitlines()[2:4])
    assert int(ae_row[1]) > int(pca_row[3])


def test_the_quick_autoencoder_beats_the_mean_image(tour):
    # A learner's first run is often the quick one: its autoencoder must have learnt more
    # than the average digit (after 2 epochs on 1,700 digits it had not: 0.0744 vs 0.0699).
    _, _, printed = tour
    found = re.search(r"Mean squared error per pixel on \d+ unseen digits: ([\d.]+) "
                      r"\(predicting the mean image: ([\d.]+)\)", printed)
    assert found, "the autoencoder's test error is not printed"
    test_mse, mean_image = map(float, found.groups())
    assert test_mse < 0.8 * mean_image


def test_the_digit_counts_chart_keeps_its_lines_in_a_preformatted_block(tour):
    out, _, _ = tour
    page = (out / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<pre class="chart">(.*?)</pre>', page, re.S)
    assert found, "the bar chart is not preformatted"
    lines = found.group(1).strip("\n").splitlines()
    assert [line.split()[0] for line in lines] == [str(d) for d in range(10)]


def _caption(results, name):
    return next(item[2] for r in results for item in r.items if item[0] == "figure" and item[1] == name)


def test_the_tsne_caption_says_which_digits_share_a_region_of_this_run(tour):
    _, results, _ = tour
    maps = TOUR_SHARED["maps"]
    Y, labels = maps["t-SNE"], np.asarray(maps["labels"])
    # each point's 10 nearest others, by sorting all distances
    D = np.sqrt(((Y[:, None, :] - Y[None, :, :]) ** 2).sum(axis=2))
    np.fill_diagonal(D, np.inf)
    nearest = np.argsort(D, axis=1, kind="stable")[:, :10]
    shares = {}
    for c in range(10):
        counts = Counter(labels[nearest[labels == c]].ravel().tolist())
        shares[c] = {d: counts[d] / (10 * np.sum(labels == c)) for d in range(10)}
    same = np.mean([shares[c][c] for c in range(10)])
    text = _caption(results, "04_latent_tsne.svg")
    assert "one island per digit" not in text and "each digit gathers" not in text
    assert f"{100 * same:.0f} % on average are the same digit" in text
    # groups: digits linked when one has >= 20 % of its neighbours in the other
    linked = {c: {d for d in range(10) if d != c and max(shares[c][d], shares[d][c]) >= 0.2}
              for c in range(10)}
    groups, seen = [], set()
    for c in range(10):
        if c in seen or not linked[c]:
            continue
        group, todo = set(), [c]
        while todo:
            d = todo.pop()
            if d not in group:
                group.add(d)
                todo.extend(linked[d])
        seen |= group
        groups.append("/".join(map(str, sorted(group))))
    if groups:
        assert f"in the other): {', '.join(groups)}." in text
    else:
        assert "Sharing a region" not in text


def test_the_vae_interpolation_caption_states_the_measured_distances(tour):
    _, results, _ = tour
    ae, vae = TOUR_SHARED["autoencoder"], TOUR_SHARED["vae"]
    X, y = TOUR_SHARED["digits"]
    X_train, y_train = X[:-300], y[:-300]  # the quick run holds out its last 300 digits
    firsts = [int(np.flatnonzero(y_train == c)[0]) for c in range(6)]
    farthest = {"autoencoder": [], "VAE": []}
    for a, b in [(0, 1), (2, 3), (4, 5)]:
        for name, model in (("autoencoder", ae), ("VAE", vae)):
            frames = model.interpolate(X_train[firsts[a]], X_train[firsts[b]], 10)
            gaps = np.linalg.norm(frames[:, None, :].astype(np.float64)
                                  - X_train[None, :, :].astype(np.float64), axis=2)
            farthest[name].append(gaps.min(axis=1).max())
    text = _caption(results, "04_vae_interpolation.png")
    assert "stays among digit-like images" not in text
    for name, values in farthest.items():
        assert f"{name} {', '.join(f'{d:.1f}' for d in values)}" in text, (name, values, text)


def test_draw_me_a_digit_is_recognised_and_the_caption_says_the_runs_figure(tour):
    _, results, printed = tour
    found = re.search(r"sees the digit asked for in (\d+)% of the (\d+) samples \(([^)]*)\)",
                      printed)
    assert found, "the conditional VAE's recognition is not printed"
    overall, n = int(found.group(1)), int(found.group(2))
    per_digit = [int(share) for share in re.findall(r"\d: (\d+)%", found.group(3))]
    assert len(per_digit) == 10 and n == 100
    # the overall share is the mean of the ten rows of ten (rounding aside)
    assert abs(overall - sum(per_digit) / 10) <= 1
    assert overall >= 50, "the conditional VAE does not draw the digit asked for"
    caption = next(item[2] for r in results for item in r.items
                   if item[0] == "figure" and item[1] == "04_cvae_digits.png")
    assert f"in {overall}% of them" in caption
