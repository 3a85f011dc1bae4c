r"""The most probable sentence of an n-gram model, next to the greedy one.

Greedy generation takes w_t = argmax_w p(w | h_{t-1}) at each step; the
course contrasts it with the most probable *sentence*,

    argmax_{w_1..w_T, eos} p(w_1 | h_0) p(w_2 | h_1) ... p(eos | h_T),

which greedy steps need not reach (a likely first word may lead nowhere
likely, and greedy may loop and never end). An order-k model is a Markov
chain over contexts h = the last k tokens, so Viterbi's programme finds it:
at each length keep, for every context, only the most probable way to reach
it (two sentences that end in the same context continue alike). Every step
multiplies by a p <= 1, so once a finished sentence is more probable than
every unfinished one, nothing can beat it: the search stops there.
``beam_width`` keeps only that many contexts per length (then the answer is
the most probable among those kept).
"""

from collections import namedtuple

import numpy as np

__all__ = ["SentenceChoice", "most_probable_ids", "greedy_ids"]

#: The answer of :meth:`NGramModel.most_probable_sentence`.
SentenceChoice = namedtuple("SentenceChoice", "text log_prob greedy_text greedy_log_prob "
                                              "greedy_complete")

#: A search over more (context, token) pairs than this at one length asks for a beam.
MAX_ENTRIES = 10**7


def most_probable_ids(distribution_batch, context, order, eos_id, max_length, beam_width=None):
    """Viterbi over contexts: the most probable ids ending with eos, and their log-probability.

    Parameters
    ----------
    distribution_batch : callable
        ``distribution_batch(contexts)`` -> p(. | h) of shape (n, V) for an
        int array of contexts (n, k), -1 for a missing token on the left.
    context : list of int
        The ids the sentence continues (bos padding and the prompt).
    order : int
        k, the context length.
    eos_id : int
    max_length : int
        Tokens before eos, at most.
    beam_width : int or None, default=None
        Contexts kept per length; None keeps all (exact).

    Returns
    -------
    ids : list of int, ending with eos_id
    log_prob : float
    """
    start = tuple(([-1] * order + list(context))[-order:])
    V = distribution_batch(np.array([start], dtype=np.int64)).shape[1]
    live = {start: (0.0, [])}
    best_log_p, best_ids = -np.inf, None
    for length in range(max_length + 1):
        states = list(live)
        if len(states) * V > MAX_ENTRIES:
            raise ValueError(f"the search holds {len(states):,} contexts at length {length}; "
                             "give beam_width (e.g. 100) to keep only the most probable")
        with np.errstate(divide="ignore"):
            log_p = np.log(distribution_batch(np.array(states, dtype=np.int64)))
        log_p += np.array([live[s][0] for s in states])[:, None]
        i = int(np.argmax(log_p[:, eos_id]))
        if log_p[i, eos_id] > best_log_p:
            best_log_p, best_ids = float(log_p[i, eos_id]), live[states[i]][1] + [eos_id]
        log_p[:, eos_id] = -np.inf
        if length == max_length:
            break
        live = _extend(states, live, log_p, beam_width)
        if not live or best_log_p >= max(v[0] for v in live.values()):
            break  # every unfinished sentence is already less probable than the best finished
    if best_ids is None:
        raise ValueError(f"no sentence of at most max_length={max_length} tokens ends with a "
                         "probability > 0; raise max_length")
    return best_ids, best_log_p


def _extend(states, live, log_p, beam_width):
    """The best way into each new context (its last k ids): Viterbi's max, then the beam."""
    order_of_rows = np.argsort(-log_p, axis=None, kind="stable")
    finite = order_of_rows[np.isfinite(log_p.ravel()[order_of_rows])]
    new = {}
    V = log_p.shape[1]
    for flat in finite:  # most probable first: the first way into a context is its best
        row, w = divmod(int(flat), V)
        key = states[row][1:] + (w,)
        if key not in new:
            new[key] = (float(log_p[row, w]), live[states[row]][1] + [w])
            if beam_width is not None and len(new) == beam_width:
                break
    return new


def greedy_ids(distribution_batch, context, order, eos_id, max_length):
    """argmax_w p(w | h) at each step (ties to the smallest id), until eos or max_length tokens.

    Returns
    -------
    ids : list of int
    log_prob : float
    complete : bool
        Whether eos was reached (greedy may loop and never end).
    """
    state, ids, total = list(([-1] * order + list(context))[-order:]), [], 0.0
    for _ in range(max_length + 1):
        p = distribution_batch(np.array([state], dtype=np.int64))[0]
        w = int(np.argmax(p))
        total += float(np.log(p[w]))
        ids.append(w)
        if w == eos_id:
            return ids, total, True
        state = state[1:] + [w]
    return ids[:-1], total - float(np.log(p[w])), False

