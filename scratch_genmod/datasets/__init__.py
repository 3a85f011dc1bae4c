"""Data that ships with the package, and loaders for real data.

Synthetic sets with a known truth (``make_mixture``, ``make_blobs``,
``make_moons``, ``make_rings``), generated digit images (``make_digits``),
the course's corpora (``course_corpus``, ``stdlib_corpus``), ``load_text``
for any UTF-8 book, and real images through ``load_idx``, ``load_mnist`` and
``fetch_mnist``.
"""

from scratch_genmod.datasets.digits import make_digits
from scratch_genmod.datasets.idx import load_idx
from scratch_genmod.datasets.mnist import fetch_mnist, load_mnist
from scratch_genmod.datasets.synthetic import make_blobs, make_mixture, make_moons, make_rings
from scratch_genmod.datasets.text import course_corpus, load_text, stdlib_corpus

__all__ = [
    "make_mixture", "make_blobs", "make_moons", "make_rings",
    "make_digits",
    "load_idx", "load_mnist", "fetch_mnist",
    "course_corpus", "stdlib_corpus", "load_text",
]
