"""markov/fast/queries.py answers as the textbook does (textbook.ngram as reference)."""

import functools
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.markov.fast.counting import count_ngrams, encode_tokens
from scratch_genmod.markov.fast.queries import context_seen, next_token_table, target_log_probs
from scratch_genmod.markov.fast.smoothing import conditional_probability
from scratch_genmod.markov.textbook import (
    ngram_counts, next_token_probabilities, sentence_log_probs, smoothed_probability,
)

VOCAB = ["<unk>", "<s>", "</s>", "a", "b", "c"]
INDEX = {t: i for i, t in enumerate(VOCAB)}
corpora = st.lists(st.lists(st.sampled_from("abc"), min_size=1, max_size=6), min_size=1,
                   max_size=5)


def both(corpus, order, smoothing):
    """The fast model's probability function and the textbook's, on one corpus."""
    ids, lengths = encode_tokens(corpus, INDEX)
    tables, counts, continuation, stats = count_ngrams(ids, lengths, order, 1, 2, len(VOCAB))
    fast = functools.partial(conditional_probability, smoothing=smoothing, counts=counts,
                             continuation=continuation, stats=stats, n_outcomes=5,
                             pseudo_count=0.5, discount=0.5)
    book = functools.partial(smoothed_probability, smoothing=smoothing, n_outcomes=5,
                             pseudo_count=0.5, discount=0.5)
    return tables, stats, fast, book, ngram_counts(corpus, order)


@settings(max_examples=40, deadline=None)
@given(corpora, st.integers(1, 3), st.sampled_from(["mle", "add-k", "kneser-ney", "witten-bell"]),
       st.lists(st.lists(st.sampled_from(["a", "b", "c", "<unk>"]), max_size=5), min_size=1,
                max_size=3))
def test_queries_give_the_textbook_numbers(corpus, order, smoothing, scored):
    tables, stats, fast, book, counts = both(corpus, order, smoothing)
    ids, lengths = encode_tokens(scored, INDEX)
    got = target_log_probs(ids, lengths, order, 1, 2, tables, len(VOCAB), fast)
    expected = [v for s in scored for v in sentence_log_probs(counts, s, order, book)]
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    contexts = np.array([[INDEX[t] for t in (["<s>"] * order + s)[-order:]] for s in scored])
    table = next_token_table(contexts, tables, len(VOCAB), fast, bos_id=1)
    for row, s in zip(table, scored):
        context = (["<s>"] * order + s)[-order:]
        np.testing.assert_allclose(row, next_token_probabilities(counts, context, VOCAB, book),
                                   rtol=1e-12, atol=1e-15)
        assert math.isclose(row.sum(), 1.0, rel_tol=1e-12)
        assert context_seen([INDEX[t] for t in context], order, tables, stats["total"][-1],
                            len(VOCAB)) == (tuple(context) in counts)
