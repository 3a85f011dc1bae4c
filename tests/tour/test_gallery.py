"""The README's gallery is what the command that makes it writes, at the tour's default seed."""

import json
import re
from pathlib import Path

import pytest

from scratch_genmod.cli import build_parser
from scratch_genmod.outputs import OutputError
from scratch_genmod.tour import SectionResult
from scratch_genmod.tour.gallery import GALLERY, MANIFEST, file_sha256, write_gallery

ROOT = Path(__file__).resolve().parent.parent.parent
GALLERY_DIR = ROOT / "docs" / "gallery"


def test_the_gallery_comes_from_a_full_run_at_the_tours_default_seed():
    manifest = json.loads((GALLERY_DIR / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["seed"] == build_parser().parse_args(["tour"]).seed
    assert manifest["quick"] is False
    assert sorted(manifest["files"]) == sorted(GALLERY)
    assert sorted(p.name for p in GALLERY_DIR.iterdir()) == sorted(GALLERY + [MANIFEST, "index.md"])
    for name, digest in manifest["files"].items():  # no picture changed by hand since
        assert file_sha256(GALLERY_DIR / name) == digest, name


def test_every_picture_has_the_caption_its_run_wrote():
    index = (GALLERY_DIR / "index.md").read_text(encoding="utf-8")
    captions = {}
    for name in GALLERY:
        parts = index.split(f"![{name}]({name})\n\n", 1)
        assert len(parts) == 2, f"index.md does not show {name}"
        captions[name] = parts[1].split("\n", 1)[0]
        assert captions[name] and not captions[name].startswith("!["), name
    # the conditional VAE's picture: its caption gives the share the run's classifier recognised
    assert re.search(r"^Each row decodes \d+ draws z ~ N\(0, I\) with the label of one digit, "
                     r"0 at the top to 9 at the bottom; the classifier sees the digit asked for "
                     r"in \d{1,3}% of them\.$", captions["04_cvae_digits.png"])


def test_the_readme_shows_only_pictures_of_the_gallery():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = {part.split(")")[0] for part in readme.split("](docs/gallery/")[1:]}
    assert shown and shown <= set(GALLERY) | {"index.md"}


def _results():
    items = [("figure", name, f"caption of {name}.") for name in GALLERY]
    return [SectionResult("00", "all", "ok", 0.0, items)]


def test_write_gallery_copies_the_pictures_with_their_manifest_and_captions(tmp_path):
    tour_out = tmp_path / "tour"
    tour_out.mkdir()
    for k, name in enumerate(GALLERY):
        (tour_out / name).write_bytes(bytes([k]) * 10)
    (tour_out / "other.svg").write_text("not in the gallery")
    target = write_gallery(tour_out, tmp_path / "gallery", _results(), seed=3, quick=False)
    manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["seed"] == 3 and manifest["quick"] is False
    # the command that remakes the repository's gallery: no machine path in a committed file
    assert manifest["command"] == "python -m scratch_genmod tour --seed 3 --gallery docs/gallery"
    assert sorted(p.name for p in target.iterdir()) == sorted(GALLERY + [MANIFEST, "index.md"])
    for k, name in enumerate(GALLERY):
        assert (target / name).read_bytes() == bytes([k]) * 10
    index = (target / "index.md").read_text(encoding="utf-8")
    assert f"![{GALLERY[0]}]({GALLERY[0]})\n\ncaption of {GALLERY[0]}." in index


def test_write_gallery_refuses_a_run_that_lacks_a_picture_and_writes_nothing(tmp_path):
    results = _results()
    results[0].items.pop(3)
    with pytest.raises(OutputError, match=rf"the tour drew no {GALLERY[3]} .*nothing was written"):
        write_gallery(tmp_path, tmp_path / "gallery", results, seed=0, quick=False)
    assert not (tmp_path / "gallery").exists()
