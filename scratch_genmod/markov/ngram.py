"""Order-k n-gram text model: counted sparsely, smoothed, scored and sampled.

:class:`NGramModel` stands on two floors, one idea each:

* :mod:`.ngram_probability` - ``fit`` counts the n-grams of a corpus and
  smoothing turns the counts into p(w | h), the next-token distribution;
* :mod:`.ngram_scoring` - the probability of whole texts:
  log P(w_1..w_T) = sum_t log p(w_t | w_{t-k}..w_{t-1}), perplexity,
  cross-entropy, and whether a text can be generated at all;

and adds generation on top: the course's loop (pick w from p(. | h), slide
the context h, repeat; see :mod:`.generation`), and the most probable
sentence next to the greedy one (see :mod:`.sentence_search`).
"""

from scratch_genmod.core import check_bool, check_is_fitted, check_scalar
from scratch_genmod.core.registry import register_estimator
from scratch_genmod.markov.fast.queries import context_seen
from scratch_genmod.markov.generation import (
    check_generation, generate_ids, ids_to_text, warn_unseen_context,
)
from scratch_genmod.markov.ngram_scoring import NGramScoring
from scratch_genmod.markov.sentence_search import SentenceChoice, greedy_ids, most_probable_ids

__all__ = ["NGramModel"]


@register_estimator
class NGramModel(NGramScoring):
    """Order-k n-gram model of text, with MLE, add-k, Kneser-Ney or Witten-Bell smoothing.

    ``fit``, :meth:`next_token_distribution`, :meth:`prob` and
    :meth:`transition_tensor` come from
    :class:`~scratch_genmod.markov.ngram_probability.NGramProbability`;
    :meth:`log_prob`, :meth:`score`, :meth:`perplexity`, :meth:`cross_entropy`
    and :meth:`can_generate` from
    :class:`~scratch_genmod.markov.ngram_scoring.NGramScoring`; this class adds
    :meth:`generate` and :meth:`most_probable_sentence`.

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

    def _context_seen(self, ids):
        """Whether the last ``order`` of ``ids`` form a context seen in training, c(h) > 0."""
        if self._textbook():
            k = self.order
            return len(ids) < k or tuple(self.vocabulary_[ids[-k:]]) in self._textbook_counts()
        return context_seen(ids, self.order, self.tables_, self.context_stats_["total"][-1],
                            len(self.vocabulary_))
