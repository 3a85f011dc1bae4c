"""An n-gram model's questions answered on its sorted tables, for a whole batch at once.

The counted model (:mod:`.counting`, :mod:`.smoothing`) is held as arrays
indexed by n-gram code. These functions take those arrays explicitly and
``probability(contexts, ngrams)``, p(w | h) for a batch of codes (the
model's :func:`.smoothing.conditional_probability` with its counts bound).

* :func:`target_log_probs`: log p(w_t | h_t) of every predicted token of a
  corpus, as :func:`scratch_genmod.markov.textbook.sentence_log_probs`
  sentence by sentence;
* :func:`next_token_table`: p(. | h) for many contexts h, as
  :func:`scratch_genmod.markov.textbook.smoothed_probability` token by token;
* :func:`context_seen`: whether c(h) > 0, as ``tuple(h) in counts``.
"""

import numpy as np

from scratch_genmod.markov.fast.counting import lookup, padded_stream, window_codes

__all__ = ["target_log_probs", "next_token_table", "context_seen"]


def target_log_probs(ids, lengths, order, bos_id, eos_id, tables, V, probability):
    """log p of every predicted token of the encoded sentences; shape (n_targets,).

    Parameters
    ----------
    ids, lengths : ndarray of int64
        The sentences as token ids, one after the other, and their lengths.
    order : int
        k.
    bos_id, eos_id : int
        -1 for no padding on that side.
    tables : list of order + 1 sorted int64 arrays
    V : int
        Vocabulary size.
    probability : callable (contexts, ngrams) -> ndarray of shape (n,)
    """
    stream, position = padded_stream(ids, lengths, order, bos_id, eos_id)
    _, codes = window_codes(stream, position, order + 1, V, tables)
    target = np.flatnonzero(position >= order)
    contexts = [np.zeros(len(target), dtype=np.int64)] + [c[target - 1] for c in codes[:-1]]
    p = probability(contexts, [c[target] for c in codes])
    with np.errstate(divide="ignore"):
        return np.log(p)


def next_token_table(contexts, tables, V, probability, bos_id):
    """p(. | h) for each row h of ``contexts``, shape (n, V); bos's column is 0.

    Parameters
    ----------
    contexts : ndarray of shape (n, k), int64
        Token ids, -1 for a missing token on the left (a context shorter than k).
    tables : list of k + 1 sorted int64 arrays
    V : int
        Vocabulary size.
    probability : callable (contexts, ngrams) -> ndarray
    bos_id : int
        -1 when there is no bos.
    """
    n, k = contexts.shape
    position = np.cumsum(contexts >= 0, axis=1) - 1
    _, codes = window_codes(contexts.ravel(), position.ravel(), k, V, tables)
    last = np.arange(n) * k + k - 1
    h = [np.zeros(n, dtype=np.int64)] + [c[last] for c in codes]
    w = np.arange(V)
    ngrams = [np.where(hj[:, None] >= 0, lookup(table, hj[:, None] * V + w), -1)
              for hj, table in zip(h, tables)]
    p = probability([np.repeat(hj[:, None], V, 1) for hj in h], ngrams)
    if bos_id >= 0:
        p[:, bos_id] = 0.0
    return p


def context_seen(ids, order, tables, context_totals, V):
    """Whether the last ``order`` of ``ids`` form a context seen in training, c(h) > 0.

    A context shorter than the order (no bos padding) counts as seen.
    ``context_totals`` is c(h) per context code of the top order.
    """
    k = order
    if len(ids) < k:
        return True
    _, codes = window_codes(np.asarray(ids[-k:], dtype=np.int64), np.arange(k), k, V, tables)
    h = int(codes[-1][-1])
    return h >= 0 and context_totals[h] > 0

