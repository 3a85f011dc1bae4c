"""Order-k n-gram text model: counted sparsely, smoothed, scored and sampled.

An order-k model (k = context length; order 1 = bigrams) predicts each token
from the k before it, p(w_t | w_{t-k} .. w_{t-1}), as an order-k Markov chain
over tokens. Its transition tensor would have V^(k+1) entries; we count
only the n-grams that occur (see :mod:`.fast.counting`) and smooth them (see
:mod:`.fast.smoothing`). :mod:`.textbook.ngram` computes the same probabilities
from dicts of counts, one at a time; ``algorithm="textbook"`` runs the model
on those functions.

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
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.core.warning import warn_user
from scratch_genmod.markov import textbook
from scratch_genmod.markov.checks import (
    ALGORITHMS, check_ngram_params, check_ngram_state, check_order, check_text_or_tokens,
)
from scratch_genmod.markov.fast.counting import (
    build_vocabulary, count_ngrams, decode_sentences, encode_tokens,
)
from scratch_genmod.markov.fast.queries import context_seen, next_token_table, target_log_probs
from scratch_genmod.markov.fast.smoothing import conditional_probability, context_statistics
from scratch_genmod.markov.generation import (
    check_generation, generate_ids, ids_to_text, warn_unseen_context,
)
from scratch_genmod.markov.generation_check import explain_transitions
from scratch_genmod.markov.sentence_search import SentenceChoice, greedy_ids, most_probable_ids
from scratch_genmod.markov.tokenizer import guess_lang, read_corpus

__all__ = ["NGramModel"]


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
    lang : {None, "fr", "en"}, default=None
        Language of raw text: how it is cut (French elisions) and how the
        generated text is spaced (French puts a space before ``; : ! ?``).
        None guesses it from the training text (``lang_``): its spacing
        before ``? ! : ;``, its elisions and contractions; English when
        nothing tells.
    random_state : None, int or numpy.random.Generator, default=None
        Seeds :meth:`generate`.
    algorithm : {"fast", "textbook"}, default="fast"
        "textbook" counts with :func:`~scratch_genmod.markov.textbook.ngram_counts`
        and computes every probability with the textbook's formulas, one
        (h, w) pair at a time (step through them in a debugger; slow on a
        book); "fast" gives the same numbers with :mod:`.fast`.

    Attributes
    ----------
    lang_ : {"fr", "en"}
        The language used: ``lang``, or the one guessed from the training text.
    vocabulary_ : ndarray of shape (V,), str
        Token of each id: ``unk``, then ``bos`` and ``eos`` (if not None),
        then the training words in sorted order.
    n_outcomes_ : int
        |V| of the smoothing formulas: the tokens that can come next
        (vocabulary + eos + unk, without bos).
    tables_, counts_, continuation_counts_, context_stats_ : lists of arrays
        ``algorithm="fast"``: per order m, the sorted keys of the m-grams seen
        (a CSR matrix from context to next token), c(g), N1+(. g), and c(h),
        N1+(h .), N1+(. h .) per context (see :mod:`.fast.counting`).
    corpus_ids_, sentence_lengths_ : ndarray of int64
        ``algorithm="textbook"``: the training corpus as ids, from which
        :func:`~scratch_genmod.markov.textbook.ngram_counts` counts.

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
                      "use a smoothing such as 'kneser-ney'", UserWarning)
            return float("inf")
        return float(np.exp(-np.mean(log_p)))

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
            Prompt and continuation, spaced as the language ``lang_`` writes them.
        """
        check_is_fitted(self, "generate", ["vocabulary_"])
        check_generation(max_tokens, strategy, temperature, top_k)
        check_bool(stop_at_eos, "stop_at_eos")
        words = [] if prompt is None else self._sentences(prompt, "prompt")
        prompt = [t for sentence in words for t in sentence]
        context = self._context_ids(prompt, "prompt")  # bos * k, then the prompt's ids
        if not self._context_seen(context):
            warn_unseen_context(self.vocabulary_[context[-self.order:]].tolist(),
                                [t for t in prompt if t not in self._index()], self.unk)
        restart = [self.bos_id_] * self.order if self.bos is not None else []
        ids = generate_ids(self._distribution, context, restart, self.eos_id_, max_tokens,
                           strategy, temperature, top_k, self._random_generator(random_state),
                           stop_at_eos)
        return ids_to_text(prompt, ids, self.vocabulary_, self.eos_id_, self.tokens, self.lang_)

    def most_probable_sentence(self, prompt=None, max_length=20, beam_width=None):
        """The most probable sentence continuing ``prompt`` (Viterbi over contexts), and greedy's.

        Returns a :class:`~scratch_genmod.markov.sentence_search.SentenceChoice`:
        ``text`` and ``log_prob`` (natural log of p(continuation, eos | prompt)) of
        the most probable sentence of at most ``max_length`` tokens, next to ``greedy_text``,
        ``greedy_log_prob`` and ``greedy_complete`` (whether greedy reached eos).
        ``beam_width`` keeps that many contexts per length (None: exact).
        """
        check_is_fitted(self, "most_probable_sentence", ["vocabulary_"])
        max_length = check_scalar(max_length, "max_length", int, min_val=1)
        if beam_width is not None:
            check_scalar(beam_width, "beam_width", int, min_val=1)
        if self.eos is None:
            raise ValueError("most_probable_sentence needs sentence ends: this model has eos=None")
        words = [] if prompt is None else self._sentences(prompt, "prompt")
        prompt = [t for sentence in words for t in sentence]
        context = self._context_ids(prompt, "prompt")
        found = [search(self._distributions, context, self.order, self.eos_id_, max_length,
                        *extra) for search, extra in ((most_probable_ids, (beam_width,)),
                                                      (greedy_ids, ()))]
        text = [ids_to_text(prompt, ids, self.vocabulary_, self.eos_id_, self.tokens, self.lang_)
                for ids in (found[0][0], found[1][0])]
        return SentenceChoice(text[0], found[0][1], text[1], found[1][1], found[1][2])

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

    def _scored(self, corpus):
        """log p of every predicted token of ``corpus``; at least one, or ValueError."""
        log_p = self._target_log_probs(self._read(check_text_or_tokens(corpus, "corpus", True),
                                                  "corpus"))
        if log_p.size == 0:
            raise ValueError(f"corpus holds no token to score (got {corpus!r}); give at least "
                             "one sentence")
        return log_p

    def _index(self):
        """token -> id, rebuilt from ``vocabulary_`` (after load, or a new fit)."""
        if "_token_ids" not in self.__dict__:
            self._token_ids = dict(zip(self.vocabulary_.tolist(), range(len(self.vocabulary_))))
        return self._token_ids

    def _context_ids(self, context, name):
        tokens = [t for s in self._sentences(context, name) for t in s]
        start = [self.bos_id_] * self.order if self.bos is not None else []
        return start + list(map(self._index().get, tokens, repeat(self.unk_id_)))

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

    def _context_seen(self, ids):
        """Whether the last ``order`` of ``ids`` form a context seen in training, c(h) > 0."""
        if self._textbook():
            k = self.order
            return len(ids) < k or tuple(self.vocabulary_[ids[-k:]]) in self._textbook_counts()
        return context_seen(ids, self.order, self.tables_, self.context_stats_["total"][-1],
                            len(self.vocabulary_))

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
