"""NGramScoring (ngram_scoring.py): log P, score, perplexity, cross-entropy, can_generate.

Expected values are worked by hand from the bigram counts of tiny corpora.
"""

import math

import numpy as np
import pytest

from scratch_genmod.datasets import course_corpus
from scratch_genmod.markov import NGramModel, tokenize


def test_quiz_can_generate(course):
    # never seen as a whole, but every bigram was: it can be generated
    assert course.can_generate(["qui", "est", "ici", "."], complete=True)
    assert course.can_generate(tokenize("Le vélo d'Ali est ici.", lowercase=True), complete=True)
    assert not course.can_generate(["machine", "learning"])
    assert not course.can_generate(["ali", "bleu"])  # the bigram (ali, bleu) never occurs
    assert not course.can_generate(["ali", "aime"], complete=True)  # "aime" never ends one


def test_mle_perplexity_by_hand():
    corpus = [["a", "b"], ["a", "a", "b"]]
    model = NGramModel(order=1).fit(corpus)
    # bigram counts with <s> ... </s>: <s>a 2, ab 2, b</s> 2, aa 1  => p(a|a)=1/3, p(b|a)=2/3
    log_ps = [math.log(1), math.log(2 / 3), math.log(1),
              math.log(1), math.log(1 / 3), math.log(2 / 3), math.log(1)]
    assert math.isclose(model.perplexity(corpus), math.exp(-np.mean(log_ps)), rel_tol=1e-12)
    assert math.isclose(model.cross_entropy(corpus), -np.mean(log_ps) / math.log(2))
    assert math.isclose(model.score(corpus), np.mean(log_ps))
    assert math.isclose(model.log_prob(["a", "a", "b"]), sum(log_ps[3:]))


def test_mle_unseen_gives_inf_perplexity_with_a_warning(course):
    with pytest.warns(UserWarning, match="perplexity is inf"):
        assert course.perplexity("Ali est vert.") == math.inf
    assert course.log_prob(["ali", "bleu"]) == -math.inf


def test_kneser_ney_perplexity_finite_with_unknown_words():
    model = NGramModel(order=2, smoothing="kneser-ney", lowercase=True).fit(course_corpus())
    assert math.isfinite(model.perplexity("Machine learning est ici."))
    assert model.prob("<unk>", ["est"]) > 0


# -- issue 27: empty text, non-text arguments -----------------------------------------

@pytest.mark.parametrize("method", ["score", "perplexity", "cross_entropy"])
@pytest.mark.parametrize("empty", ["", "   ", []])
def test_scoring_nothing_is_an_error_not_nan(course, method, empty):
    with pytest.raises(ValueError, match="corpus holds no token to score"):
        getattr(course, method)(empty)


def test_arguments_that_are_not_text_name_themselves(course):
    with pytest.raises(TypeError, match="tokens must be raw text .*, got NoneType None"):
        course.can_generate(None)
    with pytest.raises(TypeError, match="tokens: every token must be a str, found int"):
        course.log_prob(["ali", 3])
    with pytest.raises(TypeError, match="corpus must be raw text .* or a list of token lists"):
        course.score(3.5)


@pytest.mark.parametrize("smoothing, setting, value", [("kneser-ney", "discount", 1e-300),
                                                       ("add-k", "pseudo_count", 5e-324)])
def test_a_smoothing_too_small_to_hold_its_mass_names_the_setting_to_raise(smoothing, setting,
                                                                          value):
    # The mass kept for unseen events underflows float64: the advice is to raise
    # that setting, not to use the smoothing already in use.
    model = NGramModel(order=2, smoothing=smoothing, **{setting: value}).fit(course_corpus())
    with pytest.warns(UserWarning, match=rf"underflow.*use a larger {setting}") as record:
        assert model.perplexity("Ali est vert.") == math.inf
    assert "such as 'kneser-ney'" not in str(record[0].message)
