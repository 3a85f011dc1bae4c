"""The README's gallery: pictures of one tour run, copied with a manifest of that run.

``python -m scratch_genmod tour --gallery docs/gallery`` runs the whole tour
(seed 0 unless ``--seed`` says otherwise) and copies :data:`GALLERY` into the
folder, with ``MANIFEST.json`` (the seed, whether the run was quick, each
file's SHA-256) and ``index.md`` (each picture with the caption the run gave
it). A test compares the manifest with the tour's default seed and the files
with their checksums, so the gallery cannot silently drift from the command
that makes it.
"""

import hashlib
import json
import shutil
from pathlib import Path

from scratch_genmod.outputs import OutputError, StagedFolder

__all__ = ["GALLERY", "MANIFEST", "REPOSITORY_FOLDER", "write_gallery", "file_sha256"]

# the pictures of the README's gallery, in the course's order
GALLERY = ["00_generated_digits.png", "01_moons_boundaries.svg", "02_kde_bandwidths.svg",
           "02_mixture_fit.svg", "03_weather_n_step.svg", "04_ae_reconstructions.png",
           "04_ae_interpolation.png", "04_ae_generated.png", "04_latent_pca.svg",
           "04_latent_tsne.svg", "04_cvae_digits.png"]
MANIFEST = "MANIFEST.json"
REPOSITORY_FOLDER = "docs/gallery"  # where the README looks; the command the manifest records


def write_gallery(tour_out, target, results, seed, quick, argument="--gallery"):
    """Copy the gallery's pictures of a finished tour into ``target``, with their manifest.

    Parameters
    ----------
    tour_out : path-like
        The tour's output folder (its figures are read from there).
    target : path-like
        The gallery folder (e.g. ``docs/gallery``), written all at once.
    results : list of SectionResult
        The run's sections: each picture's caption is taken from them.
    seed : int
    quick : bool

    Returns
    -------
    pathlib.Path
        ``target``.

    Raises
    ------
    OutputError
        When a picture of :data:`GALLERY` is missing from ``results``, or the
        folder cannot be written.
    """
    captions = {item[1]: item[2] for r in results for item in r.items if item[0] == "figure"}
    missing = [name for name in GALLERY if name not in captions]
    if missing:
        raise OutputError(f"{argument} {target}: the tour drew no {', '.join(missing)} (a "
                          "failed section leaves its pictures out); nothing was written")
    stage = StagedFolder(target, argument)
    with stage as folder:
        files = {}
        for name in GALLERY:
            shutil.copyfile(Path(tour_out) / name, folder / name)
            files[name] = file_sha256(folder / name)
        manifest = {"seed": int(seed), "quick": bool(quick),
                    "command": f"python -m scratch_genmod tour --seed {seed}"
                               f"{' --quick' if quick else ''} --gallery {REPOSITORY_FOLDER}",
                    "files": files}
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        lines = [f"# The tour's pictures, seed {seed}{' (quick run)' if quick else ''}", "",
                 f"Made by `{manifest['command']}`; each caption is the one the run wrote.", ""]
        for name in GALLERY:
            lines += [f"![{name}]({name})", "", captions[name], ""]
        (folder / "index.md").write_text("\n".join(lines), encoding="utf-8")
    return stage.target


def file_sha256(path):
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
