r"""Order-k n-grams as the course writes them: counts in dicts of tuples, four smoothings.

An order-k n-gram model is an order-k Markov chain over tokens: p(w | h) for
a context h of k tokens. Each sentence w_1..w_T is read as bos * k,
w_1..w_T, eos (the padding of :class:`NGramModel`); every token after the
bos (eos included) is predicted from the k before it. Notation (that of
:mod:`..fast.smoothing`):

* c(h w)    times w followed h; c(h) = sum_w c(h w);
* N1+(h .)  distinct tokens seen after h; N1+(. h w) distinct tokens seen before h w;
* h'        the context without its oldest token (one order lower);
* |V|       the possible next tokens: the corpus's distinct tokens + eos +
  unk (bos is never predicted); :attr:`NGramModel.n_outcomes_`.

A token never seen in training has count 0 everywhere, as the model's unk
(with ``min_count=1``, unk never occurs in training). :mod:`..fast.counting` and
:mod:`..fast.smoothing` compute the same numbers with integer arrays, for a whole
batch of (h, w) pairs at once; the tests check that they do.

The toy corpus of the examples is "a b" and "b", order 1, |V| = 4 (a, b,
</s>, <unk>); the course's row of "ali":

>>> from scratch_genmod.datasets import course_corpus
>>> from scratch_genmod.markov import sentences
>>> counts = ngram_counts(sentences(course_corpus(), lowercase=True), order=1)
>>> counts[("ali",)]                  # Ali est / aime / est / ?
{'est': 2, 'aime': 1, '?': 1}
>>> mle_probability(counts, ["ali"], "est")
0.5
"""

import math

from scratch_genmod.core import check_scalar
from scratch_genmod.markov.checks import check_special_tokens, check_token_lists, check_token_types

__all__ = ["ngram_counts", "lower_order_counts", "continuation_counts",
           "mle_probability", "add_k_probability", "witten_bell_probability",
           "kneser_ney_probability", "smoothed_probability", "next_token_probabilities",
           "sentence_log_probs"]


def ngram_counts(sentences, order, bos="<s>", eos="</s>"):
    """c(h w) for every context h of ``order`` tokens and next token w of the corpus.

    Parameters
    ----------
    sentences : sequence of sequences of str
        Token lists (cut raw text first with
        :func:`scratch_genmod.markov.sentences`).
    order : int
        k, the context length (1: bigrams), >= 1.
    bos, eos : str or None, default="<s>", "</s>"
        Padding: bos * k before each sentence, eos after it (None: none).

    Returns
    -------
    counts : dict {h: {w: c(h w)}}
        h a tuple of ``order`` tokens; only counts > 0 are stored.

    Examples
    --------
    >>> ngram_counts([["a", "b"], ["b"]], order=1)
    {('<s>',): {'a': 1, 'b': 1}, ('a',): {'b': 1}, ('b',): {'</s>': 2}}
    """
    order = check_scalar(order, "order", int, min_val=1)
    check_special_tokens(bos, eos)
    sentences = check_token_lists(sentences, "sentences")
    if not any(sentences):
        raise ValueError("sentences is empty: it holds no token")
    counts = {}
    for sentence in sentences:
        padded = [bos] * order * (bos is not None) + list(sentence) + [eos] * (eos is not None)
        for t in range(order, len(padded)):  # every token with k tokens before it
            row = counts.setdefault(tuple(padded[t - order:t]), {})
            row[padded[t]] = row.get(padded[t], 0) + 1
    if not counts:
        raise ValueError(f"sentences has no sentence long enough for an order-{order} "
                         "model: every sentence is shorter than its context")
    return counts


def lower_order_counts(counts):
    """c(h' w) = sum_x c(x h' w): the counts one order lower, h' = h without its oldest token.

    Parameters
    ----------
    counts : dict {h: {w: c(h w)}}, from :func:`ngram_counts` (or this function)

    Returns
    -------
    dict {h': {w: c(h' w)}}, h' one token shorter

    Examples
    --------
    >>> lower_order_counts(ngram_counts([["a", "b"], ["b"]], order=1))
    {(): {'a': 1, 'b': 2, '</s>': 2}}
    """
    _check_counts(counts, lowest=1)
    lower = {}
    for h, row in counts.items():
        lower_row = lower.setdefault(h[1:], {})
        for w, c in row.items():
            lower_row[w] = lower_row.get(w, 0) + c
    return lower


def continuation_counts(counts):
    """N1+(. h' w) = |{x : c(x h' w) > 0}|, the distinct tokens seen before h' w (Kneser-Ney).

    Parameters
    ----------
    counts : dict {h: {w: c(h w)}}, from :func:`ngram_counts` (or :func:`lower_order_counts`)

    Returns
    -------
    dict {h': {w: N1+(. h' w)}}, h' one token shorter

    Examples
    --------
    >>> continuation_counts(ngram_counts([["a", "b"], ["b"]], order=1))   # b after <s> and a
    {(): {'a': 1, 'b': 2, '</s>': 1}}
    """
    _check_counts(counts, lowest=1)
    continuation = {}
    for h, row in counts.items():
        lower_row = continuation.setdefault(h[1:], {})
        for w in row:  # a stored (x, h', w) is one more distinct x before h' w
            lower_row[w] = lower_row.get(w, 0) + 1
    return continuation


# -- smoothed probabilities --------------------------------------------------------

def mle_probability(counts, context, token):
    """p(w | h) = c(h w) / c(h), maximum likelihood.

    A context never seen (c(h) = 0) takes the MLE of its longest seen suffix
    h', h'', ... (the unigram frequency at worst), as :class:`NGramModel` does.

    Parameters
    ----------
    counts : dict, from :func:`ngram_counts`
    context : sequence of str
        h; its last k tokens are used (pad a sentence start with bos).
    token : str
        w.

    Returns
    -------
    float

    Examples
    --------
    >>> counts = ngram_counts([["a", "b"], ["b"]], order=1)
    >>> mle_probability(counts, ["<s>"], "a"), mle_probability(counts, ["z"], "b")  # 1/2, 2/5
    (0.5, 0.4)
    """
    context = _check_query(context, token)
    p = 0.0
    for level in _levels(counts):  # the empty context first, then longer ones
        row = _row(level, context)
        if row:  # c(h) > 0; else the lower order stands
            p = row.get(token, 0) / sum(row.values())
    return p


def add_k_probability(counts, context, token, pseudo_count, n_outcomes):
    """p(w | h) = (c(h w) + k) / (c(h) + k |V|), k = ``pseudo_count`` (1: Laplace).

    Parameters
    ----------
    counts, context, token : as :func:`mle_probability`
    pseudo_count : float, > 0
    n_outcomes : int
        |V|, the possible next tokens (:attr:`NGramModel.n_outcomes_`).

    Returns
    -------
    float

    Examples
    --------
    >>> counts = ngram_counts([["a", "b"], ["b"]], order=1)
    >>> add_k_probability(counts, ["a"], "b", pseudo_count=1.0, n_outcomes=4)   # (1 + 1) / (1 + 4)
    0.4
    """
    _check_counts(counts)
    row = _row(counts, _check_query(context, token))  # {} for a context never seen: 1 / |V|
    k = check_scalar(pseudo_count, "pseudo_count", float, min_val=0.0, include_min=False)
    n_outcomes = check_scalar(n_outcomes, "n_outcomes", int, min_val=1)
    return (row.get(token, 0) + k) / (sum(row.values()) + k * n_outcomes)


def witten_bell_probability(counts, context, token, n_outcomes):
    """p(w | h) = (c(h w) + N1+(h .) p(w | h')) / (c(h) + N1+(h .)), interpolated.

    The recursion starts from p(w | order -1) = 1 / |V|; a context never seen
    keeps p(w | h'). A context followed by many different tokens leaves
    much mass to h'.

    Parameters
    ----------
    counts, context, token : as :func:`mle_probability`
    n_outcomes : int
        |V|, as in :func:`add_k_probability`.

    Returns
    -------
    float

    Examples
    --------
    >>> counts = ngram_counts([["a", "b"], ["b"]], order=1)
    >>> witten_bell_probability(counts, ["a"], "b", n_outcomes=4)  # p(b) = (2 + 3/4) / 8
    0.671875
    """
    context = _check_query(context, token)
    n_outcomes = check_scalar(n_outcomes, "n_outcomes", int, min_val=1)
    p = 1.0 / n_outcomes
    for level in _levels(counts):
        row = _row(level, context)
        if row:
            c_h, types = sum(row.values()), len(row)
            p = (row.get(token, 0) + types * p) / (c_h + types)
    return p


def kneser_ney_probability(counts, context, token, discount, n_outcomes):
    """Interpolated Kneser-Ney p(w | h), with absolute discount D = ``discount``.

    At the top order: p(w | h) = max(c(h w) - D, 0) / c(h) + D N1+(h .) / c(h) p_c(w | h');
    every lower order uses the continuation counts N1+(. h' w) in place of
    c(h' w), and the recursion starts from p_c(w | order -1) = 1 / |V|:

        p_c(w | h') = max(N1+(. h' w) - D, 0) / N1+(. h' .)
                      + D N1+(h' .) / N1+(. h' .) p_c(w | h'').

    A word seen often but always after the same word ("Francisco") gets a
    small lower-order probability. A context never seen keeps the lower order.

    Parameters
    ----------
    counts, context, token : as :func:`mle_probability`
    discount : float, in (0, 1]
    n_outcomes : int
        |V|, as in :func:`add_k_probability`.

    Returns
    -------
    float

    Examples
    --------
    >>> counts = ngram_counts([["a", "b"], ["b"]], order=1)
    >>> # p_c(b) = (2 - 1/2) / 4 + 1/2 * 3/4 * 1/4 = 15/32; p(b | a) = 1/2 + 1/2 * 15/32
    >>> kneser_ney_probability(counts, ["a"], "b", discount=0.5, n_outcomes=4)
    0.734375
    """
    context = _check_query(context, token)
    d = check_scalar(discount, "discount", float, min_val=0.0, max_val=1.0, include_min=False)
    n_outcomes = check_scalar(n_outcomes, "n_outcomes", int, min_val=1)
    levels = _levels(counts)
    # Below the top order, the count of h' w is N1+(. h' w), read off the order above.
    levels = [continuation_counts(higher) for higher in levels[1:]] + [levels[-1]]
    p = 1.0 / n_outcomes
    for level in levels:
        row = _row(level, context)
        if row:
            c_h, types = sum(row.values()), len(row)
            p = (max(row.get(token, 0) - d, 0.0) + d * types * p) / c_h
    return p


def smoothed_probability(counts, context, token, smoothing, n_outcomes, pseudo_count=1.0,
                         discount=0.75):
    """p(w | h) by the named smoothing: one of the four functions above.

    Parameters
    ----------
    counts, context, token : as :func:`mle_probability`
    smoothing : {"mle", "add-k", "kneser-ney", "witten-bell"}
    n_outcomes : int
        |V|.
    pseudo_count, discount : float, default=1.0, 0.75
        k of add-k, D of Kneser-Ney.

    Examples
    --------
    >>> counts = ngram_counts([["a", "b"], ["b"]], order=1)
    >>> smoothed_probability(counts, ["a"], "b", "add-k", n_outcomes=4)      # (1 + 1) / (1 + 4)
    0.4
    """
    if smoothing == "mle":
        return mle_probability(counts, context, token)
    if smoothing == "add-k":
        return add_k_probability(counts, context, token, pseudo_count, n_outcomes)
    if smoothing == "witten-bell":
        return witten_bell_probability(counts, context, token, n_outcomes)
    if smoothing == "kneser-ney":
        return kneser_ney_probability(counts, context, token, discount, n_outcomes)
    raise ValueError(f"smoothing must be one of 'mle', 'add-k', 'kneser-ney', 'witten-bell'; "
                     f"got {smoothing!r}")


def next_token_probabilities(counts, context, vocabulary, probability, bos="<s>"):
    """p(w | h) for every token w of ``vocabulary``, in its order; 0 for bos (never predicted).

    Examples
    --------
    >>> counts = ngram_counts([["a", "b"], ["b"]], order=1)
    >>> next_token_probabilities(counts, ["<s>"], ["<s>", "a", "b", "</s>"], mle_probability)
    [0.0, 0.5, 0.5, 0.0]
    """
    return [0.0 if w == bos else probability(counts, context, w) for w in vocabulary]


def sentence_log_probs(counts, sentence, order, probability, bos="<s>", eos="</s>"):
    """log p(w_t | h_t) of every predicted token of one sentence, bos * k ... eos padded.

    log P(w_1..w_T) is their sum (natural logs; -inf for a token of probability 0).

    Parameters
    ----------
    counts : dict, from :func:`ngram_counts`
    sentence : sequence of str
    order : int
        k.
    probability : callable (counts, context, token) -> float
        E.g. :func:`mle_probability`.
    bos, eos : str or None, default="<s>", "</s>"

    Returns
    -------
    list of float
        One per token after the first k of the padded sentence.

    Examples
    --------
    >>> counts = ngram_counts([["a", "b"], ["b"]], order=1)
    >>> [round(math.exp(v), 3) for v in sentence_log_probs(counts, ["a", "b"], 1, mle_probability)]
    [0.5, 1.0, 1.0]
    """
    padded = [bos] * order * (bos is not None) + list(sentence) + [eos] * (eos is not None)
    values = []
    for t in range(order, len(padded)):
        p = probability(counts, padded[t - order:t], padded[t])
        values.append(math.log(p) if p > 0 else -math.inf)
    return values


# -- helpers -----------------------------------------------------------------------

def _levels(counts):
    """[counts of order 0, 1, .., k]: the lower orders by :func:`lower_order_counts`."""
    _check_counts(counts)
    levels = [counts]
    while len(next(iter(levels[0]))) > 0:
        levels.insert(0, lower_order_counts(levels[0]))
    return levels


def _row(level, context):
    """{w: count} after the last m tokens of ``context``, m = the level's context length.

    {} when the context was never seen, or has fewer than m tokens.
    """
    m = len(next(iter(level)))
    return level.get(context[len(context) - m:], {}) if len(context) >= m else {}


def _check_query(context, token):
    """``context`` as a tuple of str; TypeError naming the argument otherwise."""
    if isinstance(context, str) or not hasattr(context, "__len__"):
        raise TypeError(f"context must be a sequence of str tokens, got {type(context).__name__}")
    if not isinstance(token, str):
        raise TypeError(f"token must be a str, got {type(token).__name__}")
    context = tuple(context)
    check_token_types(context, "context")
    return context


def _check_counts(counts, lowest=0):
    """Raise unless ``counts`` is a dict {h: {w: count}} with contexts of >= ``lowest`` tokens."""
    if not isinstance(counts, dict) or not counts or not all(
            isinstance(h, tuple) and isinstance(row, dict) for h, row in counts.items()):
        raise TypeError("counts must be the dict {context tuple: {token: count}} "
                        "of ngram_counts")
    if len({len(h) for h in counts}) > 1:
        raise ValueError("counts mixes contexts of different lengths")
    if len(next(iter(counts))) < lowest:
        raise ValueError("counts are of order 0 (the empty context): there is no lower order")
