"""NGramModel.most_probable_sentence: brute force over every sentence, greedy's loop, errors."""

import itertools

import numpy as np
import pytest

from scratch_genmod.datasets import course_corpus
from scratch_genmod.markov import NGramModel


def words(model):
    specials = {model.unk, model.bos, model.eos}
    return [w for w in model.vocabulary_.tolist() if w not in specials]


@pytest.mark.parametrize("order, smoothing", [(1, "mle"), (1, "add-k"), (2, "kneser-ney")])
def test_the_most_probable_sentence_beats_every_other_one(order, smoothing):
    model = NGramModel(order=order, smoothing=smoothing, lowercase=True).fit(course_corpus())
    vocabulary = words(model)
    best = max((model.log_prob(list(s)), s) for n in range(0, 4)
               for s in itertools.product(vocabulary, repeat=n))
    found = model.most_probable_sentence(max_length=3)
    assert found.log_prob == pytest.approx(best[0], rel=1e-12)


def test_greedy_loops_where_the_most_probable_sentence_ends():
    # The course's point: greedy repeats "ali est ..." and never ends; "ali ?" is more probable.
    model = NGramModel(order=1, lowercase=True).fit(course_corpus())
    found = model.most_probable_sentence(max_length=20)
    assert found.text == "ali ?"
    p_ali = model.prob("ali", [])
    assert found.log_prob == pytest.approx(np.log(p_ali * model.prob("?", ["ali"])
                                                  * model.prob("</s>", ["?"])), rel=1e-12)
    assert not found.greedy_complete
    assert found.greedy_text.startswith("ali est ali est")
    assert found.greedy_log_prob < found.log_prob


def test_a_prompt_conditions_the_continuation_and_a_narrow_beam_may_miss():
    model = NGramModel(order=1, lowercase=True).fit(course_corpus())
    found = model.most_probable_sentence("ali", max_length=5)
    assert found.text.startswith("ali")
    expected = model.log_prob(found.text.split()) - np.log(model.prob("ali", []))
    assert found.log_prob == pytest.approx(expected, rel=1e-12)
    narrow = model.most_probable_sentence("ali", max_length=5, beam_width=3)
    assert narrow.log_prob <= found.log_prob + 1e-12
    # A beam of one follows the single best context, "ali est ali ...": it never ends.
    with pytest.raises(ValueError, match="no sentence of at most max_length=5 tokens ends"):
        model.most_probable_sentence("ali", max_length=5, beam_width=1)


def test_bad_arguments_are_refused():
    model = NGramModel(order=1).fit(course_corpus())
    with pytest.raises(ValueError, match="max_length must be >= 1"):
        model.most_probable_sentence(max_length=0)
    with pytest.raises(ValueError, match="beam_width must be >= 1"):
        model.most_probable_sentence(beam_width=0)
    with pytest.raises(ValueError, match="this model has eos=None"):
        NGramModel(order=1, eos=None).fit(course_corpus()).most_probable_sentence()


def test_the_textbook_algorithm_finds_the_same_sentences():
    for order, smoothing in [(1, "mle"), (2, "kneser-ney")]:
        fast, book = (NGramModel(order=order, smoothing=smoothing, lowercase=True,
                                 algorithm=a).fit(course_corpus()) for a in ("fast", "textbook"))
        a = fast.most_probable_sentence("ali", max_length=6)
        b = book.most_probable_sentence("ali", max_length=6)
        assert (a.text, a.greedy_text, a.greedy_complete) == (b.text, b.greedy_text,
                                                              b.greedy_complete)
        assert a.log_prob == pytest.approx(b.log_prob, rel=1e-12)
