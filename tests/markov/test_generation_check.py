"""can_generate(..., explain=True): the first missing transition, or the whole path."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.markov import NGramModel, sentences
from scratch_genmod.markov.textbook import mle_probability, ngram_counts


def test_the_missing_bigram_and_its_place(course):
    # "bleu" follows only "le" and "est" in the course corpus; never "ali"
    check = course.can_generate(["ali", "bleu", "."], explain=True)
    assert not check and check.possible is False
    assert check.missing == (("ali",), "bleu") and check.position == 1
    assert [(h, w) for h, w, _ in check.path] == [(("<s>",), "ali"), (("ali",), "bleu")]
    assert check.path[-1][2] == 0.0
    assert "('ali',) -> 'bleu' (token 1)" in str(check)


def test_a_sentence_never_seen_whole_and_the_path_that_makes_it(course):
    # "qui est ici ." is not in the corpus; each of its bigrams is (p from the counts by hand)
    check = course.can_generate("Qui est ici.", complete=True, explain=True)
    assert check.possible and check.missing is None and check.position is None
    expected = [(("<s>",), "qui", 1 / 4), (("qui",), "est", 1), (("est",), "ici", 1 / 3),
                (("ici",), ".", 1), ((".",), "</s>", 1)]
    assert [(h, w) for h, w, _ in check.path] == [(h, w) for h, w, _ in expected]
    assert [p for _, _, p in check.path] == pytest.approx([p for _, _, p in expected], rel=1e-12)
    assert str(check).startswith("possible: ")


def test_the_end_of_sentence_transition_is_named_when_it_is_missing(course):
    check = course.can_generate(["qui", "est"], complete=True, explain=True)
    assert check.missing == (("est",), "</s>") and check.position == 2
    assert course.can_generate(["qui", "est"], explain=True).possible


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=6), st.integers(1, 3),
       st.lists(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=5),
                min_size=1, max_size=6))
def test_the_explanation_agrees_with_the_textbook_counts(tokens, order, corpus):
    model = NGramModel(order=order).fit(corpus)
    counts = ngram_counts(corpus, order)
    check = model.can_generate(tokens, explain=True)
    assert check.possible == model.can_generate(tokens)
    padded = ["<s>"] * order + tokens
    for t, (h, w, p) in enumerate(check.path, start=order):
        assert (h, w) == (tuple(padded[t - order:t]), padded[t])
        assert p == pytest.approx(mle_probability(counts, h, w), rel=1e-12)
    if not check.possible:
        assert check.path[-1][2] == 0 and all(p > 0 for _, _, p in check.path[:-1])
        assert check.missing == check.path[-1][:2] and tokens[check.position] == check.missing[1]
    else:
        assert len(check.path) == len(tokens)


def test_explain_needs_one_sentence_and_a_bool(course):
    with pytest.raises(ValueError, match="tokens must be one sentence to explain, got 2"):
        course.can_generate("Ali est ici. Qui est Ali ?", explain=True)
    with pytest.raises(TypeError, match="explain"):
        course.can_generate(["ali"], explain="yes")
