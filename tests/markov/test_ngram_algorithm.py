"""NGramModel(algorithm="textbook") gives the fast model's numbers, through the textbook functions."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.markov import NGramModel

SMOOTHINGS = ["mle", "add-k", "kneser-ney", "witten-bell"]
# Repeated tokens, one-token sentences, empty sentences, tokens that look like the specials.
corpora = st.lists(st.lists(st.sampled_from(list("aab") + ["c c", "<S>", "'"]), max_size=7),
                   min_size=1, max_size=5).filter(lambda c: any(len(s) >= 1 for s in c))
texts = st.lists(st.sampled_from(list("abcz") + ["<unk>", "'"]), max_size=5)


@settings(max_examples=40, deadline=None)
@given(corpora, st.integers(1, 3), st.sampled_from(SMOOTHINGS), st.integers(1, 2),
       st.sampled_from([("<s>", "</s>"), (None, "</s>"), ("<s>", None)]), texts,
       st.integers(0, 2**32 - 1))
def test_textbook_algorithm_gives_the_same_numbers(corpus, order, smoothing, min_count, pads,
                                                   text, seed):
    bos, eos = pads
    params = dict(order=order, smoothing=smoothing, pseudo_count=0.3, discount=0.6,
                  min_count=min_count, bos=bos, eos=eos, random_state=seed)
    try:
        fast = NGramModel(**params).fit(corpus)
    except ValueError as error:  # too short for the order without bos: both refuse
        with pytest.raises(ValueError, match=str(error)[:30]):
            NGramModel(algorithm="textbook", **params).fit(corpus)
        return
    book = NGramModel(algorithm="textbook", **params).fit(corpus)
    assert book.vocabulary_.tolist() == fast.vocabulary_.tolist()
    for context in ([], text, text[:1]):
        got, expected = book.next_token_distribution(context), fast.next_token_distribution(context)
        assert got.keys() == expected.keys()
        assert all(math.isclose(got[w], p, rel_tol=1e-12, abs_tol=1e-15) for w, p in expected.items())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # inf perplexity, unseen prompt
        np.testing.assert_allclose(book.log_prob(text), fast.log_prob(text), rtol=1e-12)
        scored = [text, ["a", "b", "a"]]
        for method in ("score", "perplexity", "cross_entropy"):
            np.testing.assert_allclose(getattr(book, method)(scored),
                                       getattr(fast, method)(scored), rtol=1e-12)
        assert book.can_generate(text) == fast.can_generate(text)
        assert str(book.can_generate(text, explain=True)) == str(fast.can_generate(text,
                                                                                  explain=True))
        for strategy in ("greedy", "sample"):
            assert (book.generate(8, prompt=text, strategy=strategy, random_state=seed)
                    == fast.generate(8, prompt=text, strategy=strategy, random_state=seed))
    if len(fast.vocabulary_) ** (order + 1) <= 4000:
        np.testing.assert_allclose(book.transition_tensor(), fast.transition_tensor(),
                                   rtol=1e-12, atol=1e-15)


def test_textbook_model_saves_and_loads(tmp_path):
    from scratch_genmod.core import load, save
    model = NGramModel(order=1, smoothing="kneser-ney", algorithm="textbook").fit("a b a c. b a.")
    again = load(save(model, tmp_path / "book"))
    assert again.next_token_distribution(["a"]) == model.next_token_distribution(["a"])
    assert again.generate(5, random_state=0) == model.generate(5, random_state=0)


def test_algorithm_is_checked():
    with pytest.raises(ValueError, match="algorithm must be one of 'fast', 'textbook'; got 'slow'"):
        NGramModel(algorithm="slow").fit("a b")
