"""The n-gram estimate: ``fit`` counts a corpus, smoothing turns counts into p(w | h).

An order-k model (k = context length; order 1 = bigrams) predicts each token
from the k before it, p(w_t | w_{t-k} .. w_{t-1}), as an order-k Markov chain
over tokens. Its transition tensor would have V^(k+1) entries; we count
only the n-grams that occur (see :mod:`.fast.counting`) and smooth them (see
:mod:`.fast.smoothing`). :mod:`.textbook.ngram` computes the same probabilities
from dicts of counts, one at a time; ``algorithm="textbook"`` runs the model
on those functions.

Padding: each sentence w_1..w_T is read as ``bos`` * k, w_1..w_T, ``eos``,
and the model predicts the T + 1 tokens w_1..w_T, eos, each given its k
predecessors. With ``bos=None`` / ``eos=None`` there is no padding on that
side; the first k tokens of a sentence then only serve as context.

This module is the first floor of :class:`~scratch_genmod.markov.NGramModel`:
:mod:`.ngram_scoring` adds the probability of whole texts on top of it and
:mod:`.ngram` the generation.
"""

from itertools import repeat

import numpy as np

from scratch_genmod.core import BaseEstimator, check_choice, check_is_fitted
from scratch_genmod.core.mixins import TextInputMixin
from scratch_genmod.markov import textbook
from scratch_genmod.markov.checks import (
    ALGORITHMS, check_ngram_params, check_ngram_state, check_order, check_text_or_tokens,
)
from scratch_genmod.markov.fast.counting import build_vocabulary, count_ngrams, decode_sentences
from scratch_genmod.markov.fast.queries import next_token_table
from scratch_genmod.markov.fast.smoothing import conditional_probability, context_statistics
from scratch_genmod.markov.tokenizer import guess_lang, read_corpus

__all__ = ["NGramProbability"]


class NGramProbability(TextInputMixin, BaseEstimator):
    """Fit an order-k n-gram model and give p(w | h), the next-token probabilities.

    The parameters, attributes and smoothings are documented on
    :class:`~scratch_genmod.markov.NGramModel`, the class to use: it is this
    one plus scoring (:class:`~scratch_genmod.markov.ngram_scoring.NGramScoring`)
    and generation.

    Examples
    --------
    After "a", the corpus below goes on with "b" once, "a" once and ends once:

    >>> model = NGramProbability(order=1).fit([["a", "b"], ["a", "a"]])
    >>> round(model.prob("b", ["a"]), 4), round(model.prob("</s>", ["a"]), 4)
    (0.3333, 0.3333)
    >>> model.transition_tensor().shape   # <unk>, <s>, </s>, a, b
    (5, 5)
    """

    def __init__(self, order=2, smoothing="mle", pseudo_count=1.0, discount=0.75, min_count=1,
                 unk="<unk>", bos="<s>", eos="</s>", tokens="words", lowercase=False,
                 lang=None, random_state=None, algorithm="fast"):
        self.order = order
        self.smoothing = smoothing
        self.pseudo_count = pseudo_count
        self.discount = discount
        self.min_count = min_count
        self.unk = unk
        self.bos = bos
        self.eos = eos
        self.tokens = tokens
        self.lowercase = lowercase
        self.lang = lang
        self.random_state = random_state
        self.algorithm = algorithm

    def fit(self, corpus):
        """Count the n-grams of ``corpus`` (raw text, or a list of token lists); returns self."""
        self._check_params()
        # Token lists are guessed from their vocabulary below: one pass over the corpus fewer.
        self.lang_ = self.lang or (guess_lang(corpus) if isinstance(corpus, str) else None)
        sentences = self._read(corpus, "corpus", check_tokens=False)  # checked on the vocabulary
        if not any(sentences):
            raise ValueError("corpus is empty: it holds no token")
        check_order(self.order, sentences, self.bos is not None)
        n_padding = self.order * (self.bos is not None) + (self.eos is not None)
        if not any(len(sentence) + n_padding > self.order for sentence in sentences):
            raise ValueError(f"corpus has no sentence long enough for an order-{self.order} "
                             "model: every sentence is shorter than its context")
        specials = [s for s in (self.unk, self.bos, self.eos) if s is not None]
        vocabulary, ids, lengths = build_vocabulary(sentences, specials, self.min_count)
        self.vocabulary_ = vocabulary
        self.lang_ = self.lang_ or guess_lang([vocabulary.tolist()])
        self.unk_id_ = 0
        self.bos_id_ = 1 if self.bos is not None else -1
        self.eos_id_ = specials.index(self.eos) if self.eos is not None else -1
        self.n_outcomes_ = len(vocabulary) - (self.bos is not None)
        for cached in ("_token_ids", "_counts"):
            self.__dict__.pop(cached, None)
        if self._textbook():
            self.corpus_ids_, self.sentence_lengths_ = ids, lengths
            self._textbook_counts()
            return self
        (self.tables_, self.counts_, self.continuation_counts_,
         self.context_stats_) = count_ngrams(ids, lengths, self.order, self.bos_id_,
                                             self.eos_id_, len(vocabulary))
        return self

    # -- probabilities -----------------------------------------------------------------

    def next_token_distribution(self, context=()):
        """p(. | context) as a dict token -> probability over every possible next token
        (vocabulary + eos + unk), most probable first; it sums to 1.

        ``context`` (raw text or a list of str) is read by its last ``order``
        tokens; a shorter one is padded with ``bos`` on the left, as at the
        start of a sentence; unknown tokens count as ``unk``.
        """
        check_is_fitted(self, "next_token_distribution", ["vocabulary_"])
        p = self._distribution(self._context_ids(context, "context"))
        order = np.lexsort((np.arange(len(p)), -p))
        keep = order[np.arange(len(p))[order] != self.bos_id_]
        return dict(zip(self.vocabulary_[keep].tolist(), p[keep].tolist()))

    def prob(self, token, context=()):
        """p(token | context) (see :meth:`next_token_distribution`)."""
        check_is_fitted(self, "prob", ["vocabulary_"])
        if not isinstance(token, str):
            raise TypeError(f"token must be a str, got {type(token).__name__}")
        p = self._distribution(self._context_ids(context, "context"))
        return float(p[self._index().get(token, self.unk_id_)])

    def transition_tensor(self, max_entries=10**7):
        """The dense tensor T[i_1, .., i_k, j] = p(j | i_1 .. i_k), shape (V,) * (k + 1).

        Axes are indexed by the ids of ``vocabulary_`` (the bos column is 0).
        Raises ValueError when V^(k+1) > ``max_entries``, saying how much it
        would take: this is why the model stores only the n-grams seen.
        """
        check_is_fitted(self, "transition_tensor", ["vocabulary_"])
        V, k = len(self.vocabulary_), self.order
        entries = float(V) ** (k + 1)
        if entries > max_entries:
            raise ValueError(
                f"transition tensor for order {k} over {V:,} tokens needs {entries:.3g} "
                f"entries ({8 * entries:.3g} bytes), more than max_entries={max_entries:g}; "
                "use next_token_distribution or prob (the sparse model)")
        contexts = np.indices((V,) * k).reshape(k, -1).T
        if self._textbook():
            p = np.array([self._distribution(list(row)) for row in contexts])
        else:
            p = next_token_table(contexts, self.tables_, V, self._probability, self.bos_id_)
        return p.reshape((V,) * (k + 1))

    # -- helpers -----------------------------------------------------------------------

    def _check_params(self):
        check_ngram_params(**{name: getattr(self, name) for name in self._param_names()
                              if name != "random_state"})

    def _textbook(self):
        """Whether to run on the textbook functions; checks ``algorithm``."""
        return check_choice(self.algorithm, "algorithm", ALGORITHMS) == "textbook"

    def _read(self, corpus, name, check_tokens=True):
        return read_corpus(corpus, name, self.tokens, self.lowercase, self.lang_, check_tokens)

    def _sentences(self, tokens, name):
        """One sentence from a token list, or the sentences of raw text."""
        tokens = check_text_or_tokens(tokens, name)
        return self._read([tokens] if isinstance(tokens, list) else tokens, name)

    def _index(self):
        """token -> id, rebuilt from ``vocabulary_`` (after load, or a new fit)."""
        if "_token_ids" not in self.__dict__:
            self._token_ids = dict(zip(self.vocabulary_.tolist(), range(len(self.vocabulary_))))
        return self._token_ids

    def _context_ids(self, context, name):
        tokens = [t for s in self._sentences(context, name) for t in s]
        start = [self.bos_id_] * self.order if self.bos is not None else []
        return start + list(map(self._index().get, tokens, repeat(self.unk_id_)))

    def _distribution(self, context_ids):
        """p(. | last ``order`` ids) over all V ids, shape (V,)."""
        k = self.order
        tail = list(context_ids[-k:])
        if self._textbook():
            return np.array(textbook.next_token_probabilities(
                self._textbook_counts(), self.vocabulary_[tail].tolist(),
                self.vocabulary_.tolist(), self._textbook_probability, self.bos))
        row = np.full(k, -1, dtype=np.int64)
        row[k - len(tail):] = tail
        return next_token_table(row[None, :], self.tables_, len(self.vocabulary_),
                                self._probability, self.bos_id_)[0]

    def _distributions(self, contexts):
        """p(. | h) for each row h of ``contexts`` (n, k), -1 = missing on the left; (n, V)."""
        if self._textbook():
            return np.stack([self._distribution([i for i in h if i >= 0])
                             for h in contexts.tolist()])
        return next_token_table(contexts, self.tables_, len(self.vocabulary_),
                                self._probability, self.bos_id_)

    def _probability(self, contexts, ngrams):
        """p(w | h) for a batch of n-gram codes (see :func:`smoothing.conditional_probability`)."""
        return conditional_probability(
            contexts, ngrams, self.smoothing, self.counts_, self.continuation_counts_,
            self.context_stats_, self.n_outcomes_, pseudo_count=self.pseudo_count,
            discount=self.discount)

    def _textbook_probability(self, counts, context, token):
        """p(w | h) by :func:`textbook.smoothed_probability`, this model's smoothing."""
        return textbook.smoothed_probability(counts, context, token, self.smoothing,
                                             self.n_outcomes_, self.pseudo_count, self.discount)

    def _textbook_counts(self):
        """c(h w) by :func:`textbook.ngram_counts` of the training corpus, counted once."""
        if "_counts" not in self.__dict__:
            sentences = decode_sentences(self.corpus_ids_, self.sentence_lengths_,
                                         self.vocabulary_)
            self._counts = textbook.ngram_counts(sentences, self.order, self.bos, self.eos)
        return self._counts

    def _check_fitted_state(self):
        """Called by ``load``: the hyper-parameters, then :func:`checks.check_ngram_state`."""
        self._check_params()
        check_ngram_state(self, self.order, self._textbook(), context_statistics)
