"""Section 03: the course's Markov quiz answered from the run; tokens and vocabulary told apart."""

import re

import numpy as np

import pytest

from scratch_genmod.datasets import course_corpus, stdlib_corpus
from scratch_genmod.markov import sentences
from scratch_genmod.tour import s03_markov
from tests.tour.conftest import said


@pytest.fixture(scope="module")
def ctx(run_section):
    return run_section(s03_markov)


def test_the_courses_quiz_is_asked_with_its_two_sentences_and_four_options(ctx):
    text = said(ctx)
    assert ("Which of these sentences can it generate: \"j'aime l'intelligence artificielle\", "
            "\"machine learning\"? (1) both (2) only \"j'aime l'intelligence artificielle\" "
            "(3) only \"machine learning\" (4) neither") in text
    # neither first word is a word of the course's four sentences: no bigram from <s> to it
    words = {w.lower() for line in course_corpus().splitlines() for w in re.findall(r"[\w']+", line)}
    assert "machine" not in words and not any(w.startswith("j'") for w in words)
    assert ("Answer, computed by can_generate: neither: j' never occurs in the corpus; machine "
            "never occurs in the corpus.") in text


def test_the_word_model_counts_tokens_and_vocabulary_apart(ctx):
    text = said(ctx)
    found = re.search(r"Word trigram model .*?: ([\d,]+) tokens \(words and punctuation\) in "
                      r"([\d,]+) sentences, a vocabulary of ([\d,]+) distinct tokens", text)
    assert found, text
    n_tokens, n_sentences, n_types = (int(g.replace(",", "")) for g in found.groups())
    quarter = stdlib_corpus()[: len(stdlib_corpus()) // 4]  # the quick run's corpus
    sents = sentences(quarter, lang="en")
    assert (n_tokens, n_sentences) == (sum(len(s) for s in sents), len(sents))
    assert n_types == len({t for s in sents for t in s}) and n_types < n_tokens / 5


def test_the_weather_caption_says_when_the_law_from_rain_meets_pi(ctx):
    M = np.array(s03_markov.WEATHER)
    pi = np.linalg.matrix_power(M, 500)[0]  # every row of M^n tends to pi
    row, n = np.array([0.0, 0.0, 1.0]), 0  # from rain
    while np.abs(row - pi).max() >= 0.01:
        row, n = row @ M, n + 1
    text = next(item[2] for item in ctx.items if item[0] == "figure" and item[1] == "03_weather_n_step.svg")
    assert text.endswith(f"at n = {n}.") and "about 8 steps" not in text
