"""Why a model can or cannot generate a sentence: its transitions one by one.

A sentence w_1..w_T can be generated when every transition h_t -> w_t it
takes has p(w_t | h_t) > 0 (h_t the k tokens before w_t, bos-padded). The
answer is either the first transition of probability 0, with its place in
the sentence, or the whole path with each transition's probability.

>>> check = explain_transitions(["ali", "bleu"], [-0.7, float("-inf")], order=1, bos="<s>")
>>> check.possible, check.missing, check.position
(False, (('ali',), 'bleu'), 1)
>>> print(check)
impossible: the transition ('ali',) -> 'bleu' (token 1) has probability 0
"""

from dataclasses import dataclass

import numpy as np

__all__ = ["GenerationCheck", "explain_transitions"]


@dataclass(frozen=True)
class GenerationCheck:
    """The answer of ``NGramModel.can_generate(..., explain=True)``.

    Attributes
    ----------
    possible : bool
        Whether every transition has p > 0.
    missing : (tuple of str, str) or None
        The first transition of probability 0, as (context h, token w).
    position : int or None
        Its index in the sentence (``len(tokens)`` for the end of sentence).
    path : list of (tuple of str, str, float)
        Every transition (h, w, p(w | h)) in order, up to and including the
        missing one.

    Examples
    --------
    >>> check = GenerationCheck(True, None, None, [((), "ali", 0.5), (("ali",), "est", 0.5)])
    >>> bool(check), str(check)
    (True, 'possible:  -> ali (0.5), ali -> est (0.5)')
    """

    possible: bool
    missing: tuple
    position: int
    path: list

    def __bool__(self):
        return self.possible

    def __str__(self):
        if self.possible:
            steps = ", ".join(f"{h[-1] if h else ''} -> {w} ({p:.3g})" for h, w, p in self.path)
            return f"possible: {steps}"
        context, token = self.missing
        return (f"impossible: the transition {context!r} -> {token!r} (token {self.position}) "
                "has probability 0")


def explain_transitions(tokens, log_probs, order, bos=None, eos=None):
    """The :class:`GenerationCheck` of one sentence from the log p of its transitions.

    Parameters
    ----------
    tokens : list of str
        The sentence, as the model reads it (tokenised, lowercased).
    log_probs : array-like of shape (n_transitions,)
        log p(w_t | h_t) of each predicted token, as the model scores them:
        ``len(tokens) - order`` without bos padding, ``+ order`` with it,
        ``+ 1`` with the end-of-sentence transition.
    order : int
        k, the context length.
    bos, eos : str or None, default=None
        The padding tokens (None: none on that side).

    Returns
    -------
    GenerationCheck
    """
    padded = [bos] * order * (bos is not None) + list(tokens)
    if len(log_probs) > len(padded) - order:  # the last transition is to eos
        padded.append(eos)
    path = []
    first = len(padded) - len(log_probs)  # index in padded of the first predicted token
    for t, log_p in enumerate(np.asarray(log_probs, dtype=float), start=first):
        context, token = tuple(padded[t - order:t]), padded[t]
        path.append((context, token, float(np.exp(log_p))))
        if log_p == -np.inf:
            position = t - order * (bos is not None)
            return GenerationCheck(False, (context, token), position, path)
    return GenerationCheck(True, None, None, path)
