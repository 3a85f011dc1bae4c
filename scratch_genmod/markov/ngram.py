"""Order-k n-gram text model: counted sparsely, smoothed, scored and sampled.

An order-k model (k = context length; order 1 = bigrams) predicts each token
from the k before it, p(w_t | w_{t-k} .. w_{t-1}), as an order-k Markov chain
over tokens. Its transition tensor would have V^(k+1) entries; we count
only the n-grams that occur (see :mod:`.fast.counting`) and smooth them (see
:mod:`.fast.smoothing`). :mod:`.textbook.ngram` computes the same probabilities
from dicts of counts, one at a time.

Padding: each sentence w_1..w_T is read as ``bos`` * k, w_1..w_T, ``eos``,
and the model scores the T + 1 tokens w_1..w_T, eos, each given its k
predecessors, so

    log P(w_1..w_T) = sum_{t=1}^{T+1} log p(w_t | w_{t-k}..w_{t-1})

(natural log). With ``bos=None`` / ``eos=None`` there is no padding on that
side; the first k tokens of a sentence then only serve as context.
"""

from itertools import repeat

import numpy as np

from scratch_genmod.core import (
    BaseEstimator, check_bool, check_choice, check_is_fitted, check_scalar,
)
from scratch_genmod.core.mixins import TextInputMixin
from scratch_genmod.core.warning import warn_user
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.core.state_checks import check_state_int, fitted_attributes
from scratch_genmod.markov.checks import check_count_tables
from scratch_genmod.markov.fast.counting import (
    build_vocabulary,
    count_windows,
    encode_tokens,
    lookup,
    padded_stream,
    window_codes,
)
from scratch_genmod.markov.generation_check import explain_transitions
from scratch_genmod.markov.generation import (
    check_generation, generate_ids, ids_to_text, warn_unseen_context,
)
from scratch_genmod.markov.fast.smoothing import SMOOTHINGS, conditional_probability, context_statistics
from scratch_genmod.markov.checks import check_special_tokens
from scratch_genmod.markov.tokenizer import LANGS, read_corpus

__all__ = ["NGramModel"]

TOKEN_KINDS = ("words", "chars")


@register_estimator
class NGramModel(TextInputMixin, BaseEstimator):
    """Order-k n-gram model of text, with MLE, add-k, Kneser-Ney or Witten-Bell smoothing.

    Parameters
    ----------
    order : int, default=2
        Markov order k, the context length (1: bigrams, 2: trigrams).
    smoothing : {"mle", "add-k", "kneser-ney", "witten-bell"}, default="mle"
        See :mod:`scratch_genmod.markov.fast.smoothing` for the formulas. With
        "mle" an unseen transition has probability 0 (and a text containing
        one has infinite perplexity).
    pseudo_count : float, default=1.0
        Pseudo-count added to every count by "add-k" (1 is Laplace's rule); > 0.
    discount : float, default=0.75
        Kneser-Ney's absolute discount D, in (0, 1].
    min_count : int, default=1
        Tokens seen fewer times in training are replaced by ``unk``.
    unk, bos, eos : str, default="<unk>", "<s>", "</s>"
        Unknown word, sentence start (padding, never predicted) and sentence
        end. ``bos``/``eos`` may be None for no padding on that side.
    tokens : {"words", "chars"}, default="words"
        How raw text is cut: sentences of words and punctuation, or
        paragraphs of characters.
    lowercase : bool, default=False
        Lowercase raw text before cutting it.
    lang : {"fr", "en"}, default="fr"
        Language of raw text (elisions, spacing of the generated text).
    random_state : None, int or numpy.random.Generator, default=None
        Seeds :meth:`generate`.
    k : None
        Renamed ``pseudo_count`` (the course's k is the order); ``fit`` refuses it.

    Attributes
    ----------
    vocabulary_ : ndarray of shape (V,), str
        Token of each id: ``unk``, then ``bos`` and ``eos`` (if not None),
        then the training words in sorted order.
    n_outcomes_ : int
        |V| of the smoothing formulas: the tokens that can come next
        (vocabulary + eos + unk, without bos).
    tables_ : list of order + 1 int64 arrays
        ``tables_[m - 1]``: sorted keys of the distinct m-grams (see
        :mod:`.fast.counting`); a CSR matrix from context code to next token.
    counts_ : list of order + 1 int64 arrays
        ``counts_[m - 1][g]`` = c(g) for the m-gram of code g.
    continuation_counts_ : list of order int64 arrays
        N1+(. g): distinct tokens seen before the m-gram g (Kneser-Ney).
    context_stats_ : dict of lists of float64 arrays
        c(h), N1+(h .) and N1+(. h .) per context code and order.

    Examples
    --------
    >>> model = NGramModel(order=1, lowercase=True).fit("Ali est ici. Ali aime le bleu.")
    >>> round(model.prob("est", ["ali"]), 3)
    0.5
    >>> model.can_generate(["ali", "aime", "le", "bleu", "."]), model.can_generate(["le", "ali"])
    (True, False)
    >>> model.generate(strategy="greedy")
    'ali aime le bleu.'
    """

    _renamed_params = {"k": "pseudo_count"}  # old name: new name, for files saved before

    def __init__(self, order=2, smoothing="mle", pseudo_count=1.0, discount=0.75, min_count=1,
                 unk="<unk>", bos="<s>", eos="</s>", tokens="words", lowercase=False,
                 lang="fr", random_state=None, k=None):
        self.order = order
        self.smoothing = smoothing
        self.pseudo_count = pseudo_count
        self.k = k
        self.discount = discount
        self.min_count = min_count
        self.unk = unk
        self.bos = bos
        self.eos = eos
        self.tokens = tokens
        self.lowercase = lowercase
        self.lang = lang
        self.random_state = random_state

    def fit(self, corpus):
        """Count the n-grams of ``corpus`` (raw text, or a list of token lists); returns self."""
        self._check_params()
        sentences = self._read(corpus, "corpus", check_tokens=False)  # checked on the vocabulary
        if not any(sentences):
            raise ValueError("corpus is empty: it holds no token")
        specials = [s for s in (self.unk, self.bos, self.eos) if s is not None]
        vocabulary, ids, lengths = build_vocabulary(sentences, specials, self.min_count)
        self.vocabulary_ = vocabulary
        self.unk_id_ = 0
        self.bos_id_ = 1 if self.bos is not None else -1
        self.eos_id_ = specials.index(self.eos) if self.eos is not None else -1
        self.n_outcomes_ = len(vocabulary) - (self.bos is not None)
        self.__dict__.pop("_token_ids", None)
        stream, position = padded_stream(ids, lengths, self.order, self.bos_id_, self.eos_id_)
        is_target = position >= self.order
        if not is_target.any():
            raise ValueError(f"corpus has no sentence long enough for an order-{self.order} "
                             "model: every sentence is shorter than its context")
        V = len(vocabulary)
        self.tables_, codes = window_codes(stream, position, self.order + 1, V)
        self.counts_, self.continuation_counts_ = count_windows(self.tables_, codes, is_target)
        self.context_stats_ = context_statistics(
            self.tables_, self.counts_, self.continuation_counts_, V)
        return self

    # -- probabilities -----------------------------------------------------------------

    def next_token_distribution(self, context=()):
        """p(. | context) as a dict token -> probability, most probable first.

        Parameters
        ----------
        context : str or sequence of str, default=()
            Its last ``order`` tokens are used; a shorter context is padded
            with ``bos`` on the left, as at the start of a sentence. Unknown
            tokens count as ``unk``.

        Returns
        -------
        dict
            Every possible next token (vocabulary + eos + unk); sums to 1.
        """
        check_is_fitted(self, "next_token_distribution")
        p = self._distribution(self._context_ids(context, "context"))
        order = np.lexsort((np.arange(len(p)), -p))
        keep = order[np.arange(len(p))[order] != self.bos_id_]
        return dict(zip(self.vocabulary_[keep].tolist(), p[keep].tolist()))

    def prob(self, token, context=()):
        """p(token | context) (see :meth:`next_token_distribution`)."""
        check_is_fitted(self, "prob")
        if not isinstance(token, str):
            raise TypeError(f"token must be a str, got {type(token).__name__}")
        p = self._distribution(self._context_ids(context, "context"))
        return float(p[self._index().get(token, self.unk_id_)])

    def log_prob(self, tokens):
        """Natural-log probability of one sentence, bos/eos padding included.

        Parameters
        ----------
        tokens : str or sequence of str
            A token list, or raw text (all its sentences, summed).

        Returns
        -------
        float
            -inf when a transition has probability 0 (possible with "mle").
        """
        check_is_fitted(self, "log_prob")
        corpus = [list(tokens)] if not isinstance(tokens, str) else tokens
        return float(np.sum(self._target_log_probs(self._read(corpus, "tokens"))))

    def score(self, corpus):
        """Mean natural-log probability per predicted token (eos included) of ``corpus``."""
        check_is_fitted(self, "score")
        return float(np.mean(self._target_log_probs(self._read(corpus, "corpus"))))

    def perplexity(self, corpus):
        """exp(- mean log p) over every predicted token of ``corpus`` (eos included).

        This is also 2 ** :meth:`cross_entropy`, the base-2 form NLTK uses.
        Under "mle" a text with an unseen transition has perplexity inf: a
        warning says so.
        """
        check_is_fitted(self, "perplexity")
        log_p = self._target_log_probs(self._read(corpus, "corpus"))
        if np.isneginf(log_p).any():
            warn_user(f"{int(np.isneginf(log_p).sum())} of {log_p.size} tokens have "
                      f"probability 0 under {self.smoothing!r}: perplexity is inf; "
                      "use a smoothing such as 'kneser-ney'", UserWarning)
            return float("inf")
        return float(np.exp(-np.mean(log_p)))

    def cross_entropy(self, corpus):
        """Mean -log2 p per predicted token, in bits (NLTK's ``entropy``)."""
        check_is_fitted(self, "cross_entropy")
        return float(-np.mean(self._target_log_probs(self._read(corpus, "corpus"))) / np.log(2))

    def can_generate(self, tokens, complete=False, explain=False):
        """Whether the model can produce ``tokens`` from a sentence start (every p > 0).

        An order-1 MLE model can generate a sentence never seen whole when each
        of its bigrams was seen. ``complete=True`` also requires the step to eos.
        ``explain=True`` returns a :class:`GenerationCheck`: the first missing
        transition (context, token) and its position, or the whole path.
        """
        check_is_fitted(self, "can_generate")
        sentence = self._read([list(tokens)] if not isinstance(tokens, str) else tokens, "tokens")
        log_p = self._target_log_probs(sentence, add_eos=complete)
        if not check_bool(explain, "explain"):
            return bool(np.all(log_p > -np.inf))
        if len(sentence) != 1:
            raise ValueError(f"tokens must be one sentence to explain, got {len(sentence)}")
        return explain_transitions(sentence[0], log_p, self.order, self.bos, self.eos)

    def transition_tensor(self, max_entries=10**7):
        """The dense tensor T[i_1, .., i_k, j] = p(j | i_1 .. i_k), shape (V,) * (k + 1).

        Axes are indexed by the ids of ``vocabulary_`` (the bos column is 0).
        Raises ValueError when V^(k+1) > ``max_entries``, saying how much it
        would take: this is why the model stores only the n-grams seen.
        """
        check_is_fitted(self, "transition_tensor")
        V, k = len(self.vocabulary_), self.order
        entries = float(V) ** (k + 1)
        if entries > max_entries:
            raise ValueError(
                f"transition tensor for order {k} over {V:,} tokens needs {entries:.3g} "
                f"entries ({8 * entries:.3g} bytes), more than max_entries={max_entries:g}; "
                "use next_token_distribution or prob (the sparse model)")
        contexts = np.indices((V,) * k).reshape(k, -1).T
        p = self._distribution_batch(contexts)
        return p.reshape((V,) * (k + 1))

    # -- generation --------------------------------------------------------------------

    def generate(self, max_tokens=50, prompt=None, strategy="sample", temperature=1.0,
                 top_k=None, random_state=None, stop_at_eos=True):
        """Generate text, token by token, optionally continuing a ``prompt``.

        Parameters
        ----------
        max_tokens : int, default=50
            Tokens generated at most (the prompt not included).
        prompt : str, sequence of str or None, default=None
            The beginning (the course's "accroche"); unknown words become
            ``unk``, with a warning when the context reached was never seen.
        strategy : {"sample", "greedy"}, default="sample"
        temperature : float, default=1.0
            > 0; see :func:`generation.adjust_distribution`.
        top_k : int or None, default=None
        random_state : None, int or numpy.random.Generator, default=None
            Overrides the model's own generator for this call.
        stop_at_eos : bool, default=True
            Stop at the end of the sentence; otherwise start a new one.

        Returns
        -------
        text : str
            Prompt and continuation, spaced as the language writes them.
        """
        check_is_fitted(self, "generate")
        check_generation(max_tokens, strategy, temperature, top_k)
        check_bool(stop_at_eos, "stop_at_eos")
        words = [] if prompt is None else self._read(
            [list(prompt)] if not isinstance(prompt, str) else prompt, "prompt")
        prompt = [t for sentence in words for t in sentence]
        context = self._context_ids(prompt, "prompt")  # bos * k, then the prompt's ids
        if not self._context_seen(context):
            warn_unseen_context(self.vocabulary_[context[-self.order:]].tolist(),
                                [t for t in prompt if t not in self._index()], self.unk)
        restart = [self.bos_id_] * self.order if self.bos is not None else []
        ids = generate_ids(self._distribution, context, restart, self.eos_id_, max_tokens,
                           strategy, temperature, top_k, self._random_generator(random_state),
                           stop_at_eos)
        return ids_to_text(prompt, ids, self.vocabulary_, self.eos_id_, self.tokens, self.lang)

    # -- helpers -----------------------------------------------------------------------

    def _check_params(self):
        if self.k is not None:
            raise TypeError(f"k was renamed pseudo_count (in the course k is the order); use "
                            f"NGramModel(pseudo_count={self.k!r}) for add-k smoothing")
        check_scalar(self.order, "order", int, min_val=1)
        check_choice(self.smoothing, "smoothing", SMOOTHINGS)
        check_scalar(self.pseudo_count, "pseudo_count", float, min_val=0.0, include_min=False)
        check_scalar(self.discount, "discount", float, min_val=0.0, max_val=1.0,
                     include_min=False)
        check_scalar(self.min_count, "min_count", int, min_val=1)
        check_choice(self.tokens, "tokens", TOKEN_KINDS)
        check_choice(self.lang, "lang", LANGS)
        check_bool(self.lowercase, "lowercase")
        if not isinstance(self.unk, str):
            raise TypeError(f"unk must be a str, got {type(self.unk).__name__}")
        check_special_tokens(self.bos, self.eos, self.unk)

    def _read(self, corpus, name, check_tokens=True):
        return read_corpus(corpus, name, self.tokens, self.lowercase, self.lang, check_tokens)

    def _index(self):
        """token -> id, rebuilt from ``vocabulary_`` (after load, or a new fit)."""
        if "_token_ids" not in self.__dict__:
            self._token_ids = dict(zip(self.vocabulary_.tolist(), range(len(self.vocabulary_))))
        return self._token_ids

    def _context_ids(self, context, name):
        if isinstance(context, str):
            context = [t for s in self._read(context, name) for t in s]
        tokens = self._read([list(context)], name)[0]
        start = [self.bos_id_] * self.order if self.bos is not None else []
        return start + list(map(self._index().get, tokens, repeat(self.unk_id_)))

    def _target_log_probs(self, sentences, add_eos=True):
        """log p of every predicted token of ``sentences``; shape (n_targets,)."""
        self._check_params()
        ids, lengths = encode_tokens(sentences, self._index(), self.unk_id_)
        eos_id = self.eos_id_ if add_eos else -1
        stream, position = padded_stream(ids, lengths, self.order, self.bos_id_, eos_id)
        _, codes = window_codes(stream, position, self.order + 1, len(self.vocabulary_),
                                self.tables_)
        target = np.flatnonzero(position >= self.order)
        contexts = [np.zeros(len(target), dtype=np.int64)] + [c[target - 1] for c in codes[:-1]]
        p = self._probability(contexts, [c[target] for c in codes])
        with np.errstate(divide="ignore"):
            return np.log(p)

    def _context_seen(self, ids):
        """Whether the last ``order`` of ``ids`` form a context seen in training, c(h) > 0.

        A context shorter than the order (no bos padding) counts as seen: it
        is not warned about.
        """
        k = self.order
        if len(ids) < k:
            return True
        _, codes = window_codes(np.asarray(ids[-k:], dtype=np.int64), np.arange(k), k,
                                len(self.vocabulary_), self.tables_)
        h = int(codes[-1][-1])
        return h >= 0 and self.context_stats_["total"][-1][h] > 0

    def _distribution(self, context_ids):
        """p(. | last ``order`` ids) over all V ids, shape (V,)."""
        k = self.order
        row = np.full(k, -1, dtype=np.int64)
        tail = np.asarray(context_ids[-k:] if k else [], dtype=np.int64)
        row[k - len(tail):] = tail
        return self._distribution_batch(row[None, :])[0]

    def _distribution_batch(self, contexts):
        """p(. | h) for each row h of ``contexts`` (n, k) (-1 = missing, left); (n, V)."""
        n, k = contexts.shape
        V = len(self.vocabulary_)
        position = np.cumsum(contexts >= 0, axis=1) - 1
        _, codes = window_codes(contexts.ravel(), position.ravel(), k, V, self.tables_)
        last = np.arange(n) * k + k - 1
        h = [np.zeros(n, dtype=np.int64)] + [c[last] for c in codes]
        w = np.arange(V)
        ngrams = [np.where(hj[:, None] >= 0, lookup(table, hj[:, None] * V + w), -1)
                  for hj, table in zip(h, self.tables_)]
        p = self._probability([np.repeat(hj[:, None], V, 1) for hj in h], ngrams)
        if self.bos_id_ >= 0:
            p[:, self.bos_id_] = 0.0
        return p

    def _probability(self, contexts, ngrams):
        """p(w | h) for a batch of n-gram codes (see :func:`smoothing.conditional_probability`)."""
        return conditional_probability(
            contexts, ngrams, self.smoothing, self.counts_, self.continuation_counts_,
            self.context_stats_, self.n_outcomes_, pseudo_count=self.pseudo_count,
            discount=self.discount)

    def _check_fitted_state(self):
        """Called by ``load``: hyper-parameters, vocabulary, count tables, their statistics."""
        self._check_params()
        names = ["vocabulary_", "unk_id_", "bos_id_", "eos_id_", "n_outcomes_", "tables_",
                 "counts_", "continuation_counts_", "context_stats_"]
        if fitted_attributes(self, names):
            check_count_tables(self.vocabulary_, self.tables_, self.counts_,
                               self.continuation_counts_, self.order)
            V = len(self.vocabulary_)
            for name in names[1:5]:
                check_state_int(getattr(self, name), name, min_val=-1, max_val=V)
            stats = context_statistics(self.tables_, self.counts_, self.continuation_counts_, V)
            stored = self.context_stats_
            if not (isinstance(stored, dict) and stored.keys() == stats.keys() and all(
                    len(stored[k]) == len(stats[k]) and all(map(np.array_equal, stored[k], stats[k]))
                    for k in stats)):
                raise ValueError("context_stats_ does not match the counts")

