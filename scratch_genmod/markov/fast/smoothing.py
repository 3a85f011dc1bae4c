r"""Next-token probabilities p(w | h) from n-gram counts, for four smoothings.

Notation (the course's, with h a context of k tokens, w the next token):

* c(h w)    number of times w followed h in training; c(h) = sum_w c(h w);
* N1+(h .)  number of distinct tokens seen after h;
* h'        the context without its oldest token (one order lower);
* |V|       number of possible next tokens: vocabulary + eos + unk (bos is
  never predicted).

Each smoothing is a recursion from the empty context up to the full one,
computed for a whole batch of (h, w) pairs at once, one order per step:

MLE (maximum likelihood)
    p(w | h) = c(h w) / c(h).
    Unseen transitions get 0. A context never seen (c(h) = 0) has no MLE;
    we give it the MLE of its longest seen suffix h', h'', ... (the unigram
    frequencies at worst), so that every row is still a distribution.

add-k (Lidstone; k = 1 is Laplace)
    p(w | h) = (c(h w) + k) / (c(h) + k |V|).
    As k -> 0 it tends to the MLE wherever c(h) > 0.

Witten-Bell, interpolated
    p(w | h) = (c(h w) + N1+(h .) p(w | h')) / (c(h) + N1+(h .)),
    p(w | h) = p(w | h') when c(h) = 0, and p(w | order -1) = 1 / |V|.
    A context followed by many different tokens leaves much mass to h'.

Kneser-Ney, interpolated (absolute discount D, 0 < D <= 1)
    p(w | h) = max(c(h w) - D, 0) / c(h) + D N1+(h .) / c(h) * p_c(w | h'),
    and every lower order p_c uses *continuation counts* N1+(. h' w) (the
    number of distinct tokens seen before h' w) in place of c(h' w):
    p_c(w | h') = max(N1+(. h' w) - D, 0) / N1+(. h' .)
                  + D N1+(h' .) / N1+(. h' .) * p_c(w | h''),
    ending with p_c(w | order -1) = 1 / |V|. Unseen contexts pass on to h'.
    A word seen often but always after the same word ("Francisco") gets a
    small lower-order probability. Every token, unk included, keeps mass.

The same formulas one (h, w) pair at a time, on dicts of counts, are in
:mod:`..textbook.ngram`; here the counts are arrays indexed by n-gram code
(see :mod:`.counting`) and a whole batch of pairs is computed at once.
"""

import numpy as np

__all__ = ["context_statistics", "conditional_probability"]


def context_statistics(tables, counts, continuation, V):
    """Per-context totals each smoothing needs, for every order.

    Parameters
    ----------
    tables, counts, continuation : lists of arrays
        From :func:`counting.window_codes` and :func:`counting.count_windows`.
    V : int
        Vocabulary size (the key radix).

    Returns
    -------
    dict of lists, indexed by m - 1 (m = n-gram length; context length m - 1):
        "total": c(h); "types": N1+(h .); "continuation_total": N1+(. h .)
        (orders below the top only). Arrays are float64, indexed by the
        context's code (a single entry for the empty context).
    """
    stats = {"total": [], "types": [], "continuation_total": []}
    for m, (table, count) in enumerate(zip(tables, counts), start=1):
        context = table // V
        n_contexts = 1 if m == 1 else len(tables[m - 2])
        stats["total"].append(np.bincount(context, weights=count, minlength=n_contexts))
        stats["types"].append(np.bincount(context, weights=count > 0, minlength=n_contexts))
        if m <= len(continuation):
            stats["continuation_total"].append(
                np.bincount(context, weights=continuation[m - 1], minlength=n_contexts))
    return stats


def conditional_probability(contexts, ngrams, smoothing, counts, continuation, stats,
                            n_outcomes, pseudo_count=1.0, discount=0.75):
    """p(w | h) for a batch of (h, w) pairs, by the recursion of the module docstring.

    Same numbers as ``textbook.mle_probability``, ``add_k_probability``,
    ``witten_bell_probability`` and ``kneser_ney_probability``, one pair at
    a time. The recursion runs from the empty context up, one order per step,
    over the whole batch: where an order's context was never seen (code -1,
    or c(h) = 0) the lower order's value stands.

    Parameters
    ----------
    contexts : list of order + 1 int arrays of shape (n,)
        ``contexts[m - 1]``: code of the last m - 1 tokens of h (-1: unseen).
    ngrams : list of order + 1 int arrays of shape (n,)
        ``ngrams[m - 1]``: code of those m - 1 tokens followed by w.
    smoothing : {"mle", "add-k", "kneser-ney", "witten-bell"}
    counts, continuation : lists of int64 arrays
        c(g) and N1+(. g) per n-gram code, from :func:`counting.count_windows`.
    stats : dict of lists of float64 arrays
        From :func:`context_statistics`.
    n_outcomes : int
        |V|.
    pseudo_count : float, default=1.0
        k of add-k.
    discount : float, default=0.75
        D of Kneser-Ney.

    Returns
    -------
    p : ndarray of shape (n,), float64
    """
    top = len(ngrams)
    if smoothing == "add-k":
        c_hw = _take(counts[-1], ngrams[-1])
        c_h = _take(stats["total"][-1], contexts[-1])
        return (c_hw + pseudo_count) / (c_h + pseudo_count * n_outcomes)
    p = np.full(np.shape(ngrams[0]), 0.0 if smoothing == "mle" else 1.0 / n_outcomes)
    for m in range(1, top + 1):
        # Kneser-Ney's lower orders count the distinct tokens before the n-gram,
        # N1+(. h w), instead of its occurrences.
        use_continuation = smoothing == "kneser-ney" and m < top
        c_hw = _take((continuation if use_continuation else counts)[m - 1], ngrams[m - 1])
        totals = stats["continuation_total" if use_continuation else "total"][m - 1]
        c_h = _take(totals, contexts[m - 1])
        n_types = _take(stats["types"][m - 1], contexts[m - 1])
        seen = c_h > 0
        c_h = np.where(seen, c_h, 1.0)  # unseen contexts keep the lower order: no 0/0
        if smoothing == "mle":
            estimate = c_hw / c_h
        elif smoothing == "witten-bell":
            estimate = (c_hw + n_types * p) / (c_h + n_types)
        else:  # kneser-ney
            estimate = (np.maximum(c_hw - discount, 0.0) + discount * n_types * p) / c_h
        p = np.where(seen, estimate, p)
    return p


def _take(values, codes):
    """``values[codes]`` with 0 where the code is -1 (an n-gram never seen)."""
    return np.where(codes >= 0, values[np.maximum(codes, 0)], 0)
