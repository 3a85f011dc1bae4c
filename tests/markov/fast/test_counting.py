"""markov/fast/counting.py gives the textbook's n-gram counts (textbook.ngram as reference)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scratch_genmod.markov.fast.counting import count_windows, padded_stream, window_codes
from scratch_genmod.markov.textbook import continuation_counts, lower_order_counts, ngram_counts

corpora = st.lists(st.lists(st.sampled_from(list("abcde")), min_size=0, max_size=8),
                   min_size=1, max_size=6).filter(lambda c: any(c))


@settings(max_examples=40)
@given(corpora, st.integers(1, 3))
def test_counts_match_the_textbook_counts(corpus, order):
    vocab = sorted({t for s in corpus for t in s} | {"<s>", "</s>"})
    index = {t: i for i, t in enumerate(vocab)}
    ids = np.array([index[t] for s in corpus for t in s], dtype=np.int64)
    lengths = np.array([len(s) for s in corpus])
    stream, position = padded_stream(ids, lengths, order, index["<s>"], index["</s>"])
    tables, codes = window_codes(stream, position, order + 1, len(vocab))
    counts, continuation = count_windows(tables, codes, position >= order)
    # the textbook's counts, from the longest n-grams down: c(g) and N1+(. g) per order
    expected = [ngram_counts(corpus, order)]
    while len(expected) < order + 1:
        expected.insert(0, lower_order_counts(expected[0]))
    before = [continuation_counts(higher) for higher in expected[1:]]
    flat = [{h + (w,): n for h, row in level.items() for w, n in row.items()} for level in expected]
    for m in range(1, order + 2):
        # decode every stored m-gram from its code chain, then compare counts
        grams = {}
        for t in np.flatnonzero(codes[m - 1] >= 0):
            grams[int(codes[m - 1][t])] = tuple(vocab[i] for i in stream[t - m + 1: t + 1])
        got = {grams[g]: int(n) for g, n in enumerate(counts[m - 1]) if n}
        assert got == flat[m - 1]
        if m <= order:
            got_cont = {grams[g]: int(n) for g, n in enumerate(continuation[m - 1]) if n}
            assert got_cont == {h + (w,): n for h, row in before[m - 1].items()
                                for w, n in row.items()}
