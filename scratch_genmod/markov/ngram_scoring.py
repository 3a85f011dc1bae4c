"""Scoring text with an n-gram model: log P of a sentence, perplexity, cross-entropy.

A sentence w_1..w_T is read with its padding (see :mod:`.ngram_probability`)
and its T + 1 predicted tokens w_1..w_T, eos are scored, so

    log P(w_1..w_T) = sum_{t=1}^{T+1} log p(w_t | w_{t-k}..w_{t-1})

(natural log). Over a corpus of N predicted tokens, ``score`` is the mean
(1/N) sum log p, perplexity exp(-score), and cross-entropy -score / log 2
bits. The model can *generate* a text when every one of its transitions has
p > 0 (:meth:`NGramScoring.can_generate`).
"""

import numpy as np

from scratch_genmod.core import check_bool, check_is_fitted
from scratch_genmod.core.warning import warn_user
from scratch_genmod.markov import textbook
from scratch_genmod.markov.checks import check_text_or_tokens
from scratch_genmod.markov.fast.counting import decode_sentences, encode_tokens
from scratch_genmod.markov.fast.queries import target_log_probs
from scratch_genmod.markov.generation_check import explain_transitions
from scratch_genmod.markov.ngram_probability import NGramProbability

__all__ = ["NGramScoring"]


class NGramScoring(NGramProbability):
    """An n-gram model that scores text: log P, perplexity, cross-entropy, can_generate.

    The parameters are those of :class:`~scratch_genmod.markov.NGramModel`,
    which is this class plus generation.

    Examples
    --------
    Bigrams with padding: <s> a, a b, b </s>, <s> a, a a, a b, b </s>, so
    p(a | <s>) = 1, p(b | a) = 2/3, p(a | a) = 1/3 and p(</s> | b) = 1:

    >>> model = NGramScoring(order=1).fit([["a", "b"], ["a", "a", "b"]])
    >>> round(model.log_prob(["a", "a", "b"]), 4)   # log(1/3) + log(2/3)
    -1.5041
    >>> model.can_generate(["b", "a"]), model.can_generate(["a", "a", "a", "b"])
    (False, True)
    """

    def log_prob(self, tokens):
        """Natural-log probability of ``tokens``, one sentence (raw text: its sentences summed).

        bos/eos padding included; -inf when a transition has probability 0 (with "mle").
        """
        check_is_fitted(self, "log_prob", ["vocabulary_"])
        return float(np.sum(self._target_log_probs(self._sentences(tokens, "tokens"))))

    def score(self, corpus):
        """Mean natural-log probability per predicted token (eos included) of ``corpus``."""
        check_is_fitted(self, "score", ["vocabulary_"])
        return float(np.mean(self._scored(corpus)))

    def perplexity(self, corpus):
        """exp(- mean log p) over every predicted token of ``corpus`` (eos included).

        This is also 2 ** :meth:`cross_entropy`, the base-2 form NLTK uses.
        Under "mle" a text with an unseen transition has perplexity inf: a
        warning says so.
        """
        check_is_fitted(self, "perplexity", ["vocabulary_"])
        log_p = self._scored(corpus)
        if np.isneginf(log_p).any():
            warn_user(f"{int(np.isneginf(log_p).sum())} of {log_p.size} tokens have "
                      f"probability 0 under {self.smoothing!r}: perplexity is inf; "
                      f"{self._zero_probability_remedy()}", UserWarning)
            return float("inf")
        return float(np.exp(-np.mean(log_p)))

    def _zero_probability_remedy(self):
        """What to change when a smoothed model still gives an event probability 0."""
        if self.smoothing == "mle":  # no mass kept for unseen events at all
            return "use a smoothing such as 'kneser-ney'"
        setting = {"add-k": "pseudo_count", "kneser-ney": "discount"}.get(self.smoothing)
        if setting is None:
            return "the mass kept for unseen events underflows float64"
        return (f"with {setting}={getattr(self, setting):g} the mass kept for unseen events "
                f"underflows float64: use a larger {setting}")

    def cross_entropy(self, corpus):
        """Mean -log2 p per predicted token, in bits (NLTK's ``entropy``)."""
        check_is_fitted(self, "cross_entropy", ["vocabulary_"])
        return float(-np.mean(self._scored(corpus)) / np.log(2))

    def can_generate(self, tokens, complete=False, explain=False):
        """Whether the model can produce ``tokens`` from a sentence start (every p > 0).

        An order-1 MLE model can generate a sentence never seen whole when each
        of its bigrams was seen. ``complete=True`` also requires the step to eos.
        ``explain=True`` returns a :class:`GenerationCheck`: the first missing
        transition (context, token) and its position, or the whole path.
        """
        check_is_fitted(self, "can_generate", ["vocabulary_"])
        sentence = self._sentences(tokens, "tokens")
        log_p = self._target_log_probs(sentence, add_eos=check_bool(complete, "complete"))
        if not check_bool(explain, "explain"):
            return bool(np.all(log_p > -np.inf))
        if len(sentence) != 1:
            raise ValueError(f"tokens must be one sentence to explain, got {len(sentence)}")
        return explain_transitions(sentence[0], log_p, self.order, self.bos, self.eos)

    # -- helpers -----------------------------------------------------------------------

    def _scored(self, corpus):
        """log p of every predicted token of ``corpus``; at least one, or ValueError."""
        log_p = self._target_log_probs(self._read(check_text_or_tokens(corpus, "corpus", True),
                                                  "corpus"))
        if log_p.size == 0:
            raise ValueError(f"corpus holds no token to score (got {corpus!r}); give at least "
                             "one sentence")
        return log_p

    def _target_log_probs(self, sentences, add_eos=True):
        """log p of every predicted token of ``sentences``; shape (n_targets,)."""
        self._check_params()
        ids, lengths = encode_tokens(sentences, self._index(), self.unk_id_)
        if self._textbook():
            eos = self.eos if add_eos else None
            return np.array([log_p for sentence in decode_sentences(ids, lengths, self.vocabulary_)
                             for log_p in textbook.sentence_log_probs(
                                 self._textbook_counts(), sentence, self.order,
                                 self._textbook_probability, self.bos, eos)], dtype=np.float64)
        eos_id = self.eos_id_ if add_eos else -1
        return target_log_probs(ids, lengths, self.order, self.bos_id_, eos_id, self.tables_,
                                len(self.vocabulary_), self._probability)
