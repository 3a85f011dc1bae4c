"""NGramProbability (ngram_probability.py): fit, p(w | h) and the transition tensor.

Expected values come from the textbook's formulas on dicts of counts and from
tables worked by hand.
"""

import itertools
import math

import numpy as np
import pytest

from scratch_genmod.core import NotFittedError, load, save
from scratch_genmod.datasets import course_corpus
from scratch_genmod.markov import MarkovChain, NGramModel, tokenize
from scratch_genmod.markov.textbook import (
    add_k_probability, kneser_ney_probability, mle_probability, ngram_counts, witten_bell_probability,
)
from tests.core.old_files import as_version_1

COURSE_VOCAB = {"ali", "est", "ici", ".", "aime", "le", "bleu", "vélo", "d'", "qui", "?"}
SPECIALS = {"<unk>", "<s>", "</s>"}


def test_course_vocabulary_and_ali_row(course):
    assert set(course.vocabulary_.tolist()) - SPECIALS == COURSE_VOCAB
    row = course.next_token_distribution("ali")
    assert set(row) == COURSE_VOCAB | {"<unk>", "</s>"}
    assert list(row.items())[:3] == [("est", 0.5), ("?", 0.25), ("aime", 0.25)]
    assert all(p == 0.0 for t, p in row.items() if t not in {"est", "aime", "?"})
    assert course.prob("aime", ["ali"]) == 0.25


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("order", [1, 2])
def test_transition_tensor_equals_the_textbook_mle(seed, order):
    rng = np.random.default_rng(seed)
    sentences = [list(rng.choice(list("abc"), rng.integers(1, 7))) for _ in range(5)]
    model = NGramModel(order=order).fit(sentences)
    vocab = model.vocabulary_.tolist()
    counts = ngram_counts(sentences, order)
    T = model.transition_tensor()
    for h in itertools.product(vocab, repeat=order):  # seen or not: unseen ones back off
        for w in vocab:
            expected = 0.0 if w == "<s>" else mle_probability(counts, h, w)
            assert T[tuple(vocab.index(t) for t in h) + (vocab.index(w),)] == expected
    np.testing.assert_allclose(T.sum(-1), 1.0, atol=1e-12)


@pytest.mark.filterwarnings("ignore:states never left:UserWarning")
def test_markov_chain_and_order_1_mle_agree():
    rng = np.random.default_rng(4)
    seqs = [list(rng.choice(list("xyzw"), rng.integers(2, 9))) for _ in range(8)]
    chain = MarkovChain().fit(seqs)
    model = NGramModel(order=1, bos=None, eos=None).fit(seqs)
    ids = [model.vocabulary_.tolist().index(s) for s in chain.states_]
    T = model.transition_tensor()[np.ix_(ids, ids)]
    left = chain.count_matrix_.sum(1) > 0
    np.testing.assert_allclose(T[left], chain.transition_matrix_[left], atol=1e-15)


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("smoothing", ["kneser-ney", "witten-bell"])
def test_interpolated_smoothings_match_their_formulas(order, smoothing):
    sentences = [s for s in (tokenize(x, lowercase=True) for x in course_corpus().split("\n"))]
    model = NGramModel(order=order, smoothing=smoothing, discount=0.6).fit(sentences)
    outcomes = sorted(COURSE_VOCAB) + ["<unk>", "</s>"]
    counts = ngram_counts(sentences, order)
    for context in (["<s>", "ali"], ["d'", "ali"], ["le", "bleu"], ["bleu", "ali"], ["x", "y"]):
        h = context[-order:]
        model_row = model.next_token_distribution(h)
        for w in outcomes:
            expected = (kneser_ney_probability(counts, h, w, 0.6, len(outcomes))
                        if smoothing == "kneser-ney"
                        else witten_bell_probability(counts, h, w, len(outcomes)))
            assert math.isclose(model_row[w], expected, rel_tol=1e-12, abs_tol=1e-15), (h, w)


def test_add_k_formula_and_limit_to_mle(course):
    V = len(COURSE_VOCAB) + 2  # + eos + unk
    model = NGramModel(order=1, smoothing="add-k", pseudo_count=0.5, lowercase=True).fit(course_corpus())
    assert math.isclose(model.prob("est", ["ali"]), (2 + 0.5) / (4 + 0.5 * V))
    assert math.isclose(model.prob("ici", ["vert"]), 1 / V)  # unseen context: uniform
    mle = course.next_token_distribution(["le"])
    small = model.set_params(pseudo_count=1e-9).next_token_distribution(["le"])
    assert max(abs(small[t] - mle[t]) for t in mle) < 1e-8


def test_nltk_convention_on_prepadded_sentences():
    # NLTK pads with n-1 "<s>" and n-1 "</s>" and counts "<s>", "</s>" and "<UNK>" in |V|.
    # The same sentences given pre-padded with bos=None, eos=None give NLTK's Laplace.
    raw = [["a", "b", "c"], ["b", "c"], ["c", "a"]]
    padded = [["<s>", "<s>"] + s + ["</s>", "</s>"] for s in raw]
    model = NGramModel(order=2, smoothing="add-k", pseudo_count=1.0, bos=None, eos=None,
                       unk="<UNK>").fit(padded)
    trigrams = ngram_counts(padded, order=2, bos=None, eos=None)  # NLTK's trigram counts
    V = len({t for s in padded for t in s}) + 1
    for (x, y, z) in [("<s>", "<s>", "a"), ("a", "b", "c"), ("b", "c", "</s>"), ("c", "c", "a")]:
        assert math.isclose(model.prob(z, [x, y]), add_k_probability(trigrams, [x, y], z, 1.0, V),
                            rel_tol=1e-12)
    # by hand: "<s> <s>" is followed by a, b, c once each; V = a, b, c, <s>, </s>, <UNK>
    assert V == 6 and math.isclose(model.prob("a", ["<s>", "<s>"]), (1 + 1) / (3 + 6),
                                   rel_tol=1e-12)


def test_min_count_maps_rare_words_to_unk():
    model = NGramModel(order=1, min_count=2, lowercase=True).fit(course_corpus())
    assert set(model.vocabulary_.tolist()) - SPECIALS == {"ali", "est", "le", "bleu", "."}
    # unk stands for ici, aime, vélo, d', qui, ? (once each), followed by
    # ".", le, unk (d'), ali, est, </s>: p(unk | unk) = 1/6, whatever the rare word was
    assert model.prob("<unk>", ["qui"]) == model.prob("d'", ["vélo"]) == 1 / 6


def test_bad_fit_parameters_and_probability_arguments(course):
    with pytest.raises(NotFittedError):
        NGramModel().prob("a")
    with pytest.raises(ValueError, match="order must be >= 1"):
        NGramModel(order=0).fit("a b")
    with pytest.raises(TypeError, match="order"):
        NGramModel(order=1.5).fit("a b")
    for empty in ("", "  ", [], [[]]):
        with pytest.raises(ValueError, match="corpus is empty"):
            NGramModel().fit(empty)
    with pytest.raises(TypeError, match="corpus"):
        NGramModel().fit([["a", 3]])
    with pytest.raises(ValueError, match="smoothing"):
        NGramModel(smoothing="kneser").fit("a")
    with pytest.raises(ValueError, match="discount"):
        NGramModel(discount=1.5).fit("a")
    with pytest.raises(ValueError, match="pseudo_count must be > 0"):
        NGramModel(pseudo_count=0).fit("a")
    with pytest.raises(TypeError, match="token"):
        course.prob(3)
    with pytest.raises(ValueError, match=r"order 1 over 14 tokens needs 196 entries \(1\.57e\+03 bytes\)"):
        course.transition_tensor(max_entries=100)
    with pytest.raises(ValueError, match="different"):
        NGramModel(bos="<unk>").fit("a")
    with pytest.raises(TypeError, match="lowercase must be True or False"):
        NGramModel(lowercase="no").fit("a")
    with pytest.raises(ValueError, match="no sentence long enough"):
        NGramModel(order=3, bos=None, eos=None).fit([["a", "b"]])
    with pytest.raises(TypeError, match="context must be raw text .*, got int 5"):
        course.next_token_distribution(5)


# -- issue 27: bad orders ------------------------------------------------------------

def test_an_order_beyond_the_budget_is_refused_up_front():
    words = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen ."
    for order in (10**4, 10**18, 10**400):
        with pytest.raises(ValueError, match=r"order=\d+ is too large for this corpus: counting "
                                             r"its windows .*would need .* numbers .* its "
                                             r"longest sentence has 15 tokens, .* use order <= 15"):
            NGramModel(order=order).fit(words)
    # the limit is the budget, not the sentence: a long order on a short text still fits
    assert NGramModel(order=20).fit(words).generate(strategy="greedy") == words[:-2] + "."


def test_a_file_saved_with_the_old_k_parameter_fails_naming_its_format(tmp_path):
    model = NGramModel(order=1, smoothing="add-k", pseudo_count=0.5).fit("a b")
    path = save(model, tmp_path / "ngram")
    data = dict(np.load(path, allow_pickle=False))
    # what 0.x wrote: the pseudo-count under its old name k (the course's k is the order)
    meta = as_version_1(str(data["__meta__"])).replace('"pseudo_count"', '"k"')
    assert '"k": 0.5' in meta
    data["__meta__"] = np.array(meta)
    np.savez(tmp_path / "old.npz", **data)
    with pytest.raises(ValueError, match=r"old.npz: it has format version 1, saved by an older "
                                         r"scratch_genmod: NGramModel has no parameter 'k' any "
                                         r"more; fit the model again and save it"):
        load(tmp_path / "old.npz")
    with pytest.raises(TypeError, match="unexpected keyword argument 'k'"):
        NGramModel(k=0.5)
