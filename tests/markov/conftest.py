"""The course's toy corpus fitted once, shared by the n-gram tests."""

import pytest

from scratch_genmod.datasets import course_corpus
from scratch_genmod.markov import NGramModel


@pytest.fixture(scope="module")
def course():
    """Order-1 MLE model of the course's corpus, lowercased."""
    return NGramModel(order=1, lowercase=True).fit(course_corpus())
