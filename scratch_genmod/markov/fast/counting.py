"""Counting n-grams with sorted integer arrays: no dict per context.

The course's order-k transition tensor has V^(k+1) entries, almost all zero
for text. We store only the n-grams that occur, as sorted integer keys.

Every token is first an integer id in ``0..V-1``. An m-gram (a window of m
tokens) gets a *code* by chaining from the left: its key is

    key(x_1 .. x_m) = code(x_1 .. x_{m-1}) * V + x_m,

and its code is the rank of that key in the sorted table of all keys of
m-grams seen in training (the code of the empty sequence is 0, so 1-gram
keys are the ids themselves). Codes stay below the number of distinct
windows, so keys fit in int64 whatever the order and the vocabulary size.

Sorted by key, the (m)-grams are grouped by their context (key // V, the
code of the first m - 1 tokens) and sorted by next token (key % V) inside
each group: the table *is* a CSR matrix whose row pointers are
``searchsorted(keys, h * V)``. Looking up many n-grams at once is one
``searchsorted`` per order.

>>> stream = np.array([0, 1, 2, 1, 2])            # "a b c b c"
>>> position = np.arange(5)                        # one sequence
>>> tables, codes = window_codes(stream, position, n_max=2, V=3)
>>> tables[1].tolist()                             # bigram keys a*3+b: ab, bc, cb
[1, 5, 7]
>>> codes[1].tolist()                              # code of the bigram ending at t
[-1, 0, 1, 2, 1]
"""

from itertools import chain, repeat

import numpy as np

from scratch_genmod.markov.checks import check_token_types
from scratch_genmod.markov.fast.smoothing import context_statistics

__all__ = ["count_ngrams", "build_vocabulary", "encode_tokens", "decode_sentences", "padded_stream", "window_codes", "unique_inverse", "lookup",
           "count_windows"]


def count_ngrams(ids, lengths, order, bos_id, eos_id, V):
    """The counted model: every m-gram's table, counts and context totals, m = 1 .. order + 1.

    Same numbers as :func:`scratch_genmod.markov.textbook.ngram_counts` of the
    padded sentences, then ``lower_order_counts`` and ``continuation_counts``
    order by order, as arrays indexed by n-gram code (see :func:`count_windows`).

    Parameters
    ----------
    ids, lengths : as :func:`encode_tokens`
    order : int
    bos_id, eos_id : int
        -1 for no padding on that side.
    V : int

    Returns
    -------
    tables, counts, continuation, stats
        As :func:`window_codes`, :func:`count_windows` and
        :func:`~.smoothing.context_statistics` return them.
    """
    stream, position = padded_stream(ids, lengths, order, bos_id, eos_id)
    tables, codes = window_codes(stream, position, order + 1, V)
    counts, continuation = count_windows(tables, codes, position >= order)
    return tables, counts, continuation, context_statistics(tables, counts, continuation, V)


def build_vocabulary(sentences, specials, min_count):
    """Vocabulary (specials first, then the words sorted) and the corpus as ids.

    Parameters
    ----------
    sentences : list of list of str
    specials : list of str
        unk first, then bos and eos when used; they get ids 0, 1, 2.
    min_count : int
        Words seen fewer times become unk (id 0).

    Returns
    -------
    vocabulary : ndarray of shape (V,), str
    ids, lengths : as :func:`encode_tokens`
    """
    distinct = set(chain.from_iterable(sentences))
    check_token_types(distinct, "corpus")
    words = sorted(distinct - set(specials))
    vocabulary = np.array(specials + words, dtype=str)
    index = dict(zip(vocabulary.tolist(), range(len(vocabulary))))
    ids, lengths = encode_tokens(sentences, index)
    if min_count > 1:
        keep = np.bincount(ids, minlength=len(vocabulary)) >= min_count
        keep[: len(specials)] = True
        new_id = np.where(keep, np.cumsum(keep) - 1, 0)  # rare words -> unk (id 0)
        ids, vocabulary = new_id[ids], vocabulary[keep]
    return vocabulary, ids, lengths


def encode_tokens(sentences, index, unk_id=None):
    """Map token lists to integer ids; a token missing from ``index`` gets ``unk_id``.

    Parameters
    ----------
    sentences : list of list of str
    index : dict str -> int
    unk_id : int or None, default=None
        None when every token is known (the faster path of ``fit``).

    Returns
    -------
    ids : ndarray of shape (n_tokens,), int64
        All sentences one after the other.
    lengths : ndarray of shape (n_sentences,), int64
    """
    lengths = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
    flat = chain.from_iterable(sentences)
    n = int(lengths.sum())
    to_id = map(index.__getitem__, flat) if unk_id is None else map(index.get, flat, repeat(unk_id))
    ids = np.fromiter(to_id, dtype=np.int64, count=n)
    return ids, lengths


def decode_sentences(ids, lengths, vocabulary):
    """The inverse of :func:`encode_tokens`: the sentences as lists of tokens.

    >>> decode_sentences(np.array([2, 0, 1]), np.array([2, 1]), np.array(["a", "b", "c"]))
    [['c', 'a'], ['b']]
    """
    tokens = vocabulary[ids].tolist()
    ends = np.cumsum(lengths).tolist()
    return [tokens[end - n:end] for end, n in zip(ends, lengths.tolist())]


def padded_stream(ids, lengths, n_bos, bos_id, eos_id):
    """Put every sentence between ``n_bos`` bos ids and one eos id, all in one array.

    ``bos_id`` / ``eos_id`` of -1 mean no padding on that side.

    Returns
    -------
    stream : ndarray of shape (n_padded,), int64
    position : ndarray of shape (n_padded,), int64
        Index of each entry inside its padded sentence; a window of m tokens
        ending at t lies inside one sentence exactly when position[t] >= m - 1.
    """
    n_bos = n_bos if bos_id >= 0 else 0
    n_eos = 1 if eos_id >= 0 else 0
    padded_lengths = lengths + n_bos + n_eos
    starts = np.cumsum(padded_lengths) - padded_lengths
    stream = np.full(int(padded_lengths.sum()), bos_id, dtype=np.int64)
    shift = np.repeat(starts + n_bos - (np.cumsum(lengths) - lengths), lengths)
    stream[shift + np.arange(len(ids))] = ids
    if n_eos:
        stream[starts + n_bos + lengths] = eos_id
    position = np.arange(len(stream)) - np.repeat(starts, padded_lengths)
    return stream, position


def window_codes(stream, position, n_max, V, tables=None):
    """Codes of the windows of 1..n_max tokens ending at each position.

    Parameters
    ----------
    stream, position : ndarray of shape (n,)
        From :func:`padded_stream`.
    n_max : int
        Longest window (the n of the n-grams, order + 1).
    V : int
        Vocabulary size.
    tables : list of ndarray or None, default=None
        None (fit): the tables are built from the windows of ``stream``.
        Otherwise (scoring): windows are looked up in them, and a window not
        in the table gets code -1, as does every window extending it.

    Returns
    -------
    tables : list of n_max sorted int64 arrays
        ``tables[m - 1]`` holds the keys of the distinct m-grams.
    codes : list of n_max int64 arrays of shape (n,)
        ``codes[m - 1][t]``: code of the m-gram ending at t, -1 if the window
        crosses a sentence start (or is unseen, when scoring).
    """
    building = tables is None
    tables = [] if building else tables
    codes = []
    previous = np.zeros(len(stream), dtype=np.int64)  # code of the empty window
    for m in range(1, n_max + 1):
        valid = position >= m - 1
        if m > 1:
            valid[1:] &= previous[:-1] >= 0
        key = np.roll(previous, 1)[valid] * V + stream[valid]
        code = np.full(len(stream), -1, dtype=np.int64)
        if building:
            table, code[valid] = unique_inverse(key)
            tables.append(table)
        else:
            code[valid] = lookup(tables[m - 1], key)
        codes.append(code)
        previous = code
    return tables, codes


def unique_inverse(keys):
    """``np.unique(keys, return_inverse=True)`` for non-negative int64 keys, faster.

    np.unique's inverse needs an argsort (a sort that carries the indices
    along), costlier than a plain sort of the values. So: small key ranges are ranked by
    counting (no sort at all); otherwise each key is packed with its
    position into one int64, ``key << b | position``, sorted, and unpacked.
    Keys too large to pack go to np.unique.

    >>> table, inverse = unique_inverse(np.array([7, 3, 7, 10**9]))
    >>> table.tolist(), inverse.tolist()
    ([3, 7, 1000000000], [1, 0, 1, 2])
    """
    n = len(keys)
    top = int(keys.max()) + 1 if n else 0
    if top <= 4 * n + 1024:
        present = np.bincount(keys, minlength=top) > 0
        rank = np.cumsum(present) - 1
        return np.flatnonzero(present), rank[keys]
    b = max(n - 1, 1).bit_length()
    if top.bit_length() + b > 62:
        return np.unique(keys, return_inverse=True)
    packed = np.sort((keys << b) | np.arange(n))
    sorted_keys, order = packed >> b, packed & ((1 << b) - 1)
    first = np.empty(n, dtype=bool)
    first[:1] = True
    first[1:] = sorted_keys[1:] != sorted_keys[:-1]
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    return sorted_keys[first], inverse


def lookup(table, keys):
    """Rank of each key in the sorted ``table``, or -1 where it is absent.

    >>> lookup(np.array([2, 5, 9]), np.array([5, 3, 9, 10])).tolist()
    [1, -1, 2, -1]
    """
    if len(table) == 0:
        return np.full(np.shape(keys), -1, dtype=np.int64)
    rank = np.minimum(np.searchsorted(table, keys), len(table) - 1)
    return np.where(table[rank] == keys, rank, -1)


def count_windows(tables, codes, is_target):
    """Occurrence counts and continuation counts of every stored n-gram.

    Only windows ending at a target position (a token the model predicts,
    i.e. with a full context) are counted, so the counts of shorter windows
    are the marginals of the longest ones: c(h' w) = sum_x c(x h' w).
    Same numbers as `textbook.ngram_counts` (the longest), then
    `textbook.lower_order_counts` and `textbook.continuation_counts` order by
    order, as arrays indexed by n-gram code.

    Returns
    -------
    counts : list of int64 arrays
        ``counts[m - 1][g]`` = c(m-gram g).
    continuation : list of int64 arrays (one shorter)
        ``continuation[m - 1][g]`` = N1+(. g): the number of distinct tokens
        seen just before the m-gram g (Kneser-Ney's continuation count).
    """
    counts = [np.bincount(code[is_target], minlength=len(table))
              for table, code in zip(tables, codes)]
    continuation = []
    for m in range(1, len(tables)):
        longer, shorter = codes[m][is_target], codes[m - 1][is_target]
        suffix_of = np.zeros(len(tables[m]), dtype=np.int64)
        suffix_of[longer] = shorter  # an (m+1)-gram has one suffix: repeats agree
        # N1+(. g) = how many distinct (m+1)-grams x g were seen: one per stored
        # (m+1)-gram with a count, added to its suffix g.
        seen = counts[m] > 0
        continuation.append(np.bincount(suffix_of[seen], minlength=len(tables[m - 1])))
    return counts, continuation
