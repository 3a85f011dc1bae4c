"""Input checks shared by the Markov family: state sequences, stochastic matrices, laws, tokens,
and the stacked sequences of a hidden Markov model.

The textbook (:mod:`.textbook`), the estimators and the fast layer all call
these, so one bad input gets one message wherever it enters. Each error
names the argument, what was expected and what came.

>>> check_transition_matrix([[0.5, 0.5], [0.2, 0.8]], "P").tolist()
[[0.5, 0.5], [0.2, 0.8]]
>>> check_distribution([1.5, -0.5], "initial_distribution", 2)
Traceback (most recent call last):
...
ValueError: initial_distribution must be a distribution over the 2 states: 2 entries >= 0 summing to 1, got [1.5, -0.5]
>>> check_transition_matrix([[0.5, 0.5], [0.0, 0.0]], "transmat")
Traceback (most recent call last):
...
ValueError: transmat must be row-stochastic: entries >= 0 and rows summing to 1; state 1 has no transitions (a row of zeros)
>>> check_lengths([2, 3], 5).tolist()
[2, 3]
"""

from itertools import chain

import numbers

import numpy as np

from scratch_genmod.core import check_array, check_bool, check_choice, check_scalar
from scratch_genmod.core.state_checks import check_state_array, check_state_int, fitted_attributes
from scratch_genmod.core.sizes import check_size_budget

#: The values of every estimator's ``algorithm``: the fast path, or the textbook functions.
ALGORITHMS = ("fast", "textbook")
#: NGramModel's smoothings, ways of cutting raw text and languages.
SMOOTHINGS = ("mle", "add-k", "kneser-ney", "witten-bell")
TOKEN_KINDS = ("words", "chars")
LANGS = ("fr", "en")
#: Counting an order-k model reads (k + 1) windows per padded token: at most this many.
MAX_WINDOW_ENTRIES = 5 * 10**7

__all__ = ["ALGORITHMS", "check_sequences", "check_states", "check_transition_matrix", "check_distribution",
           "check_token_lists", "check_token_types", "check_special_tokens",
           "check_emission_matrix", "check_log_emissions", "check_lengths", "check_symbols",
           "check_count_tables", "check_text_or_tokens", "check_order", "check_ngram_params",
           "check_ngram_state", "MAX_WINDOW_ENTRIES", "SMOOTHINGS", "TOKEN_KINDS", "LANGS"]


def check_sequences(sequences, states=None):
    """Check state sequences as :meth:`MarkovChain.fit` takes them; each error names its argument.

    Parameters
    ----------
    sequences : sequence of sequences
        At least one of them with 2 states or more (one transition).
    states : sequence or None, default=None
        The state set, in this order, each state once; None: the sorted
        distinct states seen.

    Returns
    -------
    sequences : list of lists
    states : list
    """
    if isinstance(sequences, str) or not hasattr(sequences, "__len__"):
        raise TypeError("sequences must be a list of state sequences, "
                        f"got {type(sequences).__name__}")
    sequences = [list(s) for s in sequences]
    if not any(len(s) >= 2 for s in sequences):
        raise ValueError("sequences is empty: it needs a sequence of at least 2 states")
    seen = set(chain.from_iterable(sequences))
    if states is None:
        try:
            return sequences, sorted(seen)
        except TypeError:
            raise TypeError("sequences mixes states that cannot be sorted; "
                            "give the states explicitly") from None
    states = check_states(states)
    unknown = seen - set(states)
    if unknown:
        raise ValueError(f"sequences holds states not in states: {sorted(map(str, unknown))}")
    return sequences, states


def check_states(states, name="states"):
    """``states`` as a list of distinct, hashable names (a repeated state would get two rows)."""
    if isinstance(states, str) or not hasattr(states, "__iter__"):
        raise TypeError(f"{name} must be a sequence of state names, got {type(states).__name__}")
    states = list(states)
    try:
        distinct = set(states)
    except TypeError:
        raise TypeError(f"{name} must hold hashable names (str, int, ...)") from None
    if len(distinct) < len(states):
        repeated = sorted({repr(s) for s in states if states.count(s) > 1})
        raise ValueError(f"{name} must name each state once, but {', '.join(repeated)} "
                         f"appear(s) more than once in {states!r}")
    return states


def check_transition_matrix(matrix, name="P", n_states=None):
    """``matrix`` as a float64 row-stochastic square array, or ValueError naming ``name``.

    With ``n_states``, its shape must be (n_states, n_states). The message
    names the first bad row (a state with no transitions is a row of zeros).
    """
    M = check_array(matrix, name)
    if M.shape[0] != M.shape[1]:
        raise ValueError(f"{name} must be square, got shape {M.shape}")
    if n_states is not None and M.shape[0] != n_states:
        raise ValueError(f"{name} must have shape ({n_states}, {n_states}), got shape {M.shape}")
    return _check_rows(M, name)


def check_emission_matrix(B, name, n_states, n_symbols):
    """``B`` as an (n_states, n_symbols) float64 matrix of b_{i,k} >= 0 whose rows sum to 1."""
    B = check_array(B, name)
    if B.shape != (n_states, n_symbols):
        raise ValueError(f"{name} must have shape ({n_states}, {n_symbols}), one row per state "
                         f"and one column per symbol, got shape {B.shape}")
    return _check_rows(B, name)


def _check_rows(M, name):
    """Each row a probability law, or ValueError naming the first row that is not."""
    sums = M.sum(axis=1)
    bad = np.flatnonzero((M < 0).any(axis=1) | ~np.isclose(sums, 1.0, rtol=0, atol=1e-10))
    if bad.size:
        i = int(bad[0])
        what = ("has no transitions (a row of zeros)" if sums[i] == 0 and (M[i] == 0).all()
                else f"has an entry {M[i].min():.3g}" if (M[i] < 0).any()
                else f"has a row summing to {sums[i]:.6g}")
        raise ValueError(f"{name} must be row-stochastic: entries >= 0 and rows summing to 1; "
                         f"state {i} {what}")
    return M


def check_distribution(pi, name, n_states):
    """``pi`` as a float64 distribution over ``n_states`` states, or ValueError naming ``name``."""
    pi = check_array(pi, name, ndim=1)
    if len(pi) != n_states or (pi < 0).any() or not np.isclose(pi.sum(), 1.0, atol=1e-10):
        raise ValueError(f"{name} must be a distribution over the {n_states} states: "
                         f"{n_states} entries >= 0 summing to 1, got {pi.tolist()}")
    return pi


def check_token_lists(corpus, name="corpus", check_tokens=True):
    """Sentences already cut into tokens: a list (or tuple) of lists (or tuples) of str.

    ``check_tokens=False`` skips the per-token type check (``fit`` checks the
    distinct tokens instead, which is faster). Returns a list.
    """
    if isinstance(corpus, str):
        raise TypeError(f"{name} must be a list of token lists; raw text is cut into "
                        "them by scratch_genmod.markov.sentences(text)")
    if not isinstance(corpus, (list, tuple)):
        raise TypeError(f"{name} must be a str or a list of token lists, "
                        f"got {type(corpus).__name__}")
    containers = set(map(type, corpus))
    if not all(issubclass(c, (list, tuple)) for c in containers):
        odd = sorted(c.__name__ for c in containers if not issubclass(c, (list, tuple)))
        raise TypeError(f"{name} must be a list of token lists (list of list of str); "
                        f"it holds a {odd[0]}")
    if check_tokens:
        check_token_types(chain.from_iterable(corpus), name)
    return corpus if isinstance(corpus, list) else list(corpus)


def check_token_types(tokens, name):
    """Raise TypeError naming ``name`` unless every token is a str."""
    odd = sorted(t.__name__ for t in set(map(type, tokens)) if not issubclass(t, str))
    if odd:
        raise TypeError(f"{name}: every token must be a str, found {', '.join(odd)}")


def check_special_tokens(bos, eos, unk=None):
    """Raise unless ``bos`` and ``eos`` are str or None and ``unk`` a str (when given), all different."""
    for name, value in (("bos", bos), ("eos", eos)):
        if value is not None and not isinstance(value, str):
            raise TypeError(f"{name} must be a str or None, got {type(value).__name__}")
    if unk is not None and not isinstance(unk, str):
        raise TypeError(f"unk must be a str, got {type(unk).__name__}")
    given = [v for v in (unk, bos, eos) if v is not None]
    if len(set(given)) < len(given):
        raise ValueError("unk, bos and eos must be three different strings")


def check_log_emissions(log_Phi, n_states, name="log_Phi"):
    """``log Phi_i(x_t)`` as a float64 array of shape (T, n_states), T >= 1, never NaN or +inf.

    -inf is allowed: an observation that state i cannot emit.
    """
    log_Phi = check_array(log_Phi, name, allow_nonfinite=True)
    if log_Phi.shape[1] != n_states:
        raise ValueError(f"{name} must have shape (T, {n_states}), one column per state, "
                         f"got shape {log_Phi.shape}")
    if np.isnan(log_Phi).any() or np.isposinf(log_Phi).any():
        raise ValueError(f"{name} must hold log-densities (finite or -inf), got NaN or +inf")
    return log_Phi


def check_lengths(lengths, n_samples, name="lengths"):
    """Lengths of the sequences stacked in X as an int64 array, each >= 1, summing to n_samples.

    None means one sequence of length ``n_samples``.
    """
    if lengths is None:
        return np.array([n_samples], dtype=np.int64)
    values = np.asarray(lengths)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of ints, got shape "
                         f"{values.shape}")
    if not all(isinstance(v, numbers.Integral) and not isinstance(v, bool)
               for v in values.tolist()):
        raise TypeError(f"{name} must hold ints, got dtype {values.dtype}")
    values = values.astype(np.int64)
    if (values < 1).any():
        i = int(np.flatnonzero(values < 1)[0])
        raise ValueError(f"{name} must hold sequence lengths >= 1; sequence {i} has length "
                         f"{values[i]}")
    if values.sum() != n_samples:
        raise ValueError(f"{name} must sum to the number of rows of X ({n_samples}), "
                         f"got a sum of {int(values.sum())}")
    return values


def check_symbols(X, n_symbols=None, name="X"):
    """Categorical observations as an int64 vector of symbols 0..n_symbols-1.

    ``X`` is of shape (n_samples,) or (n_samples, 1) (hmmlearn's shape). A
    symbol >= ``n_symbols`` (one never seen in training) is named.
    """
    X = check_array(X, name, ndim=(1, 2), dtype=None)
    if X.ndim == 2 and X.shape[1] != 1:
        raise ValueError(f"{name} must hold one symbol per row, shape (n_samples, 1), got "
                         f"shape {X.shape}")
    x = X.ravel()
    if (x != np.round(x)).any() or (x < 0).any():
        raise ValueError(f"{name} must hold symbols as integers 0, 1, 2, ..., got "
                         f"{x[(x != np.round(x)) | (x < 0)][0]!r}")
    x = x.astype(np.int64)
    if n_symbols is not None and x.size and x.max() >= n_symbols:
        raise ValueError(f"{name} holds symbol {int(x.max())}, but the model knows only the "
                         f"symbols 0..{n_symbols - 1} (n_symbols={n_symbols})")
    return x


def check_text_or_tokens(value, name, allow_corpus=False):
    """Raw text (a str) or one sentence's tokens (a list of str), or TypeError naming ``name``.

    With ``allow_corpus`` a list of token lists (several sentences) is accepted too.
    Returns the str, or a list.
    """
    if isinstance(value, str):
        return value
    if not isinstance(value, (list, tuple, np.ndarray)):
        what = "raw text (a str), a list of str tokens" + (
            " or a list of token lists" if allow_corpus else "")
        raise TypeError(f"{name} must be {what}, got {type(value).__name__} {value!r:.60}")
    value = list(value)
    if allow_corpus and value and all(isinstance(v, (list, tuple)) for v in value):
        return value  # token lists: read_corpus checks their tokens, once
    check_token_types(value, name)
    return value


def check_order(order, sentences, bos_padding):
    """Refuse, before any counting, an order whose windows would exceed :data:`MAX_WINDOW_ENTRIES`.

    Counting keeps one int64 code per window: order + 1 windows at each of
    the padded tokens (each sentence gets ``order`` bos in front with
    ``bos_padding``), and its time grows alike (11 s for order 10**4 on 15 words).
    """
    n_tokens = sum(map(len, sentences))
    padded = n_tokens + len(sentences) * (order * bos_padding + 1)
    longest = max(map(len, sentences))
    check_size_budget((order + 1) * padded, 8,
                      f"order={order} is too large for this corpus: counting its windows "
                      f"((order + 1) x {padded:,} padded tokens)" if padded < 10**15 else
                      f"order={order} is too large for this corpus: counting its windows",
                      f"its longest sentence has {longest} tokens, and a context longer than "
                      f"that sees nothing more: use order <= {longest}",
                      budget=8 * MAX_WINDOW_ENTRIES)


def check_ngram_params(order, smoothing, pseudo_count, discount, min_count, unk, bos, eos,
                       tokens, lowercase, lang, algorithm):
    """Check :class:`NGramModel`'s hyper-parameters; each error names its parameter."""
    check_scalar(order, "order", int, min_val=1)
    check_choice(smoothing, "smoothing", SMOOTHINGS)
    check_scalar(pseudo_count, "pseudo_count", float, min_val=0.0, include_min=False)
    check_scalar(discount, "discount", float, min_val=0.0, max_val=1.0, include_min=False)
    check_scalar(min_count, "min_count", int, min_val=1)
    check_choice(tokens, "tokens", TOKEN_KINDS)
    if lang is not None:
        check_choice(lang, "lang", LANGS)
    check_bool(lowercase, "lowercase")
    if not isinstance(unk, str):
        raise TypeError(f"unk must be a str, got {type(unk).__name__}")
    check_special_tokens(bos, eos, unk)
    check_choice(algorithm, "algorithm", ALGORITHMS)


def check_count_tables(vocabulary, tables, counts, continuation, order):
    """Check n-gram tables read from a model file (as :func:`window_codes` and
    :func:`count_windows` return them); raises ValueError naming the attribute.

    ``vocabulary`` holds V distinct tokens; ``tables[m - 1]`` the sorted,
    distinct codes of the m-grams (0 <= code < V^m), ``counts[m - 1]`` their
    counts (>= 0, one per code), ``continuation`` one array per shorter order.
    """
    vocabulary = check_state_array(vocabulary, "vocabulary_", kind="U", ndim=1)
    V = len(vocabulary)
    if V < 1 or len(np.unique(vocabulary)) != V:
        raise ValueError("vocabulary_ must hold distinct tokens")
    for name, value, n in (("tables_", tables, order + 1), ("counts_", counts, order + 1),
                           ("continuation_counts_", continuation, order)):
        if not isinstance(value, list) or len(value) != n:
            raise ValueError(f"{name} must be a list of {n} arrays (order={order})")
    for m, (table, count) in enumerate(zip(tables, counts), start=1):
        table = check_state_array(table, f"tables_[{m - 1}]", kind="i", ndim=1, min_val=0)
        if table.size and (np.any(np.diff(table) <= 0) or int(table[-1]) >= V ** m):
            raise ValueError(f"tables_[{m - 1}] must hold distinct sorted {m}-gram codes "
                             f"below V^{m}")
        check_state_array(count, f"counts_[{m - 1}]", kind="i", shape=table.shape, min_val=0)
        if m <= order:
            check_state_array(continuation[m - 1], f"continuation_counts_[{m - 1}]", kind="i",
                              shape=table.shape, min_val=0)


def check_ngram_state(model, order, textbook, context_statistics):
    """Check an NGramModel's fitted attributes as ``load`` reads them; ValueError names the attribute.

    The fast model holds count tables (:func:`check_count_tables`) and the
    context statistics they imply (recomputed by ``context_statistics``, the
    fast layer's function); the textbook model holds its training corpus as
    ids, each below V.
    """
    names = ["vocabulary_", "unk_id_", "bos_id_", "eos_id_", "n_outcomes_"]
    own = ["corpus_ids_", "sentence_lengths_"] if textbook else [
        "tables_", "counts_", "continuation_counts_", "context_stats_"]
    if not fitted_attributes(model, names + own):
        return
    V = len(check_state_array(model.vocabulary_, "vocabulary_", kind="U", ndim=1))
    for name in names[1:]:
        check_state_int(getattr(model, name), name, min_val=-1, max_val=V)
    if textbook:
        ids = check_state_array(model.corpus_ids_, "corpus_ids_", kind="i", ndim=1, min_val=0)
        lengths = check_state_array(model.sentence_lengths_, "sentence_lengths_", kind="i",
                                    ndim=1, min_val=0)
        if (ids.size and int(ids.max()) >= V) or int(lengths.sum()) != ids.size:
            raise ValueError("corpus_ids_ must hold ids below V, as many as the "
                             "sentence_lengths_ add up to")
        return
    check_count_tables(model.vocabulary_, model.tables_, model.counts_,
                       model.continuation_counts_, order)
    stats = context_statistics(model.tables_, model.counts_, model.continuation_counts_, V)
    stored = model.context_stats_
    if not (isinstance(stored, dict) and stored.keys() == stats.keys() and all(
            len(stored[k]) == len(stats[k]) and all(map(np.array_equal, stored[k], stats[k]))
            for k in stats)):
        raise ValueError("context_stats_ does not match the counts")
