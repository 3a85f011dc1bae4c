"""Choosing the next token: greedy or sampled, with temperature and top-k.

Generation is the course's loop: from the current context take the
distribution p(. | h), pick a token, slide the context, repeat.

* greedy: w = argmax_w p(w | h) (ties go to the smallest id). Deterministic,
  and often stuck in a loop; see ``MarkovChain.most_probable_path`` for why
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

import warnings

import numpy as np

from scratch_genmod.core import check_choice, check_scalar, log_softmax
from scratch_genmod.markov.tokenizer import detokenize

__all__ = ["STRATEGIES", "check_generation", "adjust_distribution", "draw", "generate_text"]

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


def generate_text(model, prompt, max_tokens, strategy, temperature, top_k, rng, stop_at_eos):
    """The generation loop of :meth:`NGramModel.generate` (arguments already checked).

    ``prompt`` is a list of tokens; the context starts as ``bos`` * k followed
    by the prompt's ids (unknown words as unk) and slides by one token per
    step. At eos either stop or start a new sentence from ``bos`` * k.
    """
    index = model._index()
    start = [model.bos_id_] * model.order if model.bos is not None else []
    context = start + [index.get(t, model.unk_id_) for t in prompt]
    _warn_if_unseen(model, context, [t for t in prompt if t not in index])
    out = list(prompt)
    for _ in range(max_tokens):  # generation is sequential: one token per step
        p = adjust_distribution(model._distribution(context), temperature, top_k)
        token = draw(p, strategy, rng)
        if token == model.eos_id_:
            if stop_at_eos:
                break
            context = list(start)
            out.append("\n" if model.tokens == "chars" else "")
            continue
        context.append(token)
        out.append(str(model.vocabulary_[token]))
    if model.tokens == "chars":
        return "".join(out)
    return detokenize([t for t in out if t], model.lang)


def _warn_if_unseen(model, context, unknown):
    """Warn when the prompt leads to a context never seen in training."""
    k = model.order
    if len(context) < k:
        return
    stats = model.context_stats_["total"][-1]
    h = model._context_code(np.asarray(context[-k:], dtype=np.int64))
    if h < 0 or stats[h] == 0:
        said = f"unknown prompt words {unknown} read as {model.unk!r}; " if unknown else ""
        warnings.warn(f"{said}the context {model.vocabulary_[context[-k:]].tolist()} was never "
                      "seen in training, so it has no continuation of its own: the next token "
                      "comes from a shorter context", UserWarning, stacklevel=4)
