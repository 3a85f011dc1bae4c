"""Choosing the next token: greedy or sampled, with temperature and top-k.

Generation is the course's loop: from the current context take the
distribution p(. | h), pick a token, slide the context, repeat.

* greedy: w = argmax_w p(w | h) (ties go to the smallest id). Deterministic,
  and often stuck in a loop; see ``textbook.most_probable_path`` for why
  greedy steps do not give the most probable *sequence* either.
* sample: w ~ p(. | h), with a temperature T: p_T(w) ∝ p(w)^(1/T)
  (T < 1 sharpens towards greedy, T > 1 flattens towards uniform), and
  optionally only the top_k most probable tokens kept.

>>> rng = np.random.default_rng(0)
>>> p = np.array([0.5, 0.3, 0.2, 0.0])
>>> int(draw(p, "greedy", rng))
0
>>> np.round(adjust_distribution(p, temperature=1.0, top_k=2), 3)
array([0.625, 0.375, 0.   , 0.   ])
"""

import numpy as np

from scratch_genmod.core import check_choice, check_scalar, log_softmax
from scratch_genmod.core.warning import warn_user
from scratch_genmod.markov.tokenizer import detokenize

__all__ = ["STRATEGIES", "check_generation", "adjust_distribution", "draw", "generate_ids",
           "ids_to_text", "warn_unseen_context"]

STRATEGIES = ("sample", "greedy")


def check_generation(max_tokens, strategy, temperature, top_k):
    """Validate generation arguments; each error names its argument."""
    check_scalar(max_tokens, "max_tokens", int, min_val=1)
    check_choice(strategy, "strategy", STRATEGIES)
    check_scalar(temperature, "temperature", float, min_val=0.0, include_min=False)
    if top_k is not None:
        check_scalar(top_k, "top_k", int, min_val=1)


def adjust_distribution(p, temperature=1.0, top_k=None):
    """Apply temperature and top-k to a distribution.

    Parameters
    ----------
    p : ndarray of shape (n_tokens,)
        Probabilities summing to 1.
    temperature : float, default=1.0
        p_T(w) = p(w)^(1/T) / sum_v p(v)^(1/T), computed in log space.
    top_k : int or None, default=None
        Keep only the ``top_k`` largest probabilities (all when None).

    Returns
    -------
    ndarray of shape (n_tokens,), summing to 1; zeros stay zero.
    """
    with np.errstate(divide="ignore"):
        log_p = np.log(p) / temperature
    if top_k is not None and top_k < len(p):
        cut = np.partition(log_p, len(p) - top_k)[len(p) - top_k]
        # Ties at the cut keep the smallest ids, so exactly top_k survive.
        above = log_p > cut
        at_cut = np.flatnonzero(log_p == cut)[: top_k - int(above.sum())]
        keep = above
        keep[at_cut] = True
        log_p = np.where(keep, log_p, -np.inf)
    return np.exp(log_softmax(log_p))


def draw(p, strategy, rng):
    """Index of the next token: argmax (greedy) or a draw from ``p`` (sample)."""
    if strategy == "greedy":
        return int(np.argmax(p))
    cumulative = np.cumsum(p)
    u = rng.random() * cumulative[-1]
    return int(min(np.searchsorted(cumulative, u, side="right"), len(p) - 1))


def generate_ids(distribution, context, restart, eos_id, max_tokens, strategy, temperature,
                 top_k, rng, stop_at_eos):
    """The generation loop: pick a token from p(. | h), slide the context h, repeat.

    Parameters
    ----------
    distribution : callable
        ``distribution(context)`` -> p(. | context), an ndarray of shape (V,),
        for a list of token ids (the model uses its last k).
    context : list of int
        The ids the generation continues (bos * k and the prompt).
    restart : list of int
        The context a new sentence starts from (bos * k), after eos.
    eos_id : int
        Id of eos (-1: none).
    max_tokens, strategy, temperature, top_k, stop_at_eos
        As :meth:`NGramModel.generate` (already checked).
    rng : numpy.random.Generator

    Returns
    -------
    ids : list of int
        The generated ids; eos (kept only with ``stop_at_eos=False``) marks
        where one sentence ended and the next began.
    """
    context, ids = list(context), []
    for _ in range(max_tokens):  # generation is sequential: one token per step
        token = draw(adjust_distribution(distribution(context), temperature, top_k), strategy, rng)
        if token == eos_id:
            if stop_at_eos:
                break
            context = list(restart)
        else:
            context.append(token)
        ids.append(token)
    return ids


def ids_to_text(prompt, ids, vocabulary, eos_id, tokens, lang):
    """The prompt and the generated ``ids`` as text: characters joined, words spaced.

    Parameters
    ----------
    prompt : list of str
    ids : list of int, from :func:`generate_ids`
    vocabulary : ndarray of shape (V,), str
    eos_id : int
        A sentence end: a newline between character paragraphs, nothing
        between word sentences (their punctuation ends them).
    tokens : {"words", "chars"}
    lang : {"fr", "en"}
    """
    pieces = list(prompt) + [("\n" if tokens == "chars" else "") if i == eos_id
                             else str(vocabulary[i]) for i in ids]
    if tokens == "chars":
        return "".join(pieces)
    return detokenize([t for t in pieces if t], lang)


def warn_unseen_context(context_tokens, unknown, unk):
    """Warn that generation starts from ``context_tokens``, a context never seen in training."""
    said = f"unknown prompt words {unknown} read as {unk!r}; " if unknown else ""
    warn_user(f"{said}the context {context_tokens} was never seen in training, so it has "
              "no continuation of its own: the next token comes from a shorter context",
              UserWarning)
