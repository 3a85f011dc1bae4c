"""The fast estimators against the textbook formulas, and the textbook against closed forms."""

import itertools
import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scratch_genmod.markov import MarkovChain, NGramModel
from scratch_genmod.markov.textbook import (
    add_k_probability,
    continuation_counts,
    count_transitions,
    greedy_path,
    kneser_ney_probability,
    lower_order_counts,
    mle_probability,
    most_probable_path,
    n_step_law,
    ngram_counts,
    stationary_distribution,
    transition_matrix,
    witten_bell_probability,
)

# Duplicated sentences, empty and one-token ones; contexts with unknown words and specials.
corpora = st.lists(st.lists(st.sampled_from(list("abcde")), min_size=0, max_size=7),
                   min_size=1, max_size=6).filter(lambda c: any(c))
contexts = st.lists(st.sampled_from(list("abcz") + ["<s>", "</s>", "<unk>"]), max_size=5)
paddings = st.sampled_from([("<s>", "</s>"), (None, "</s>"), ("<s>", None), (None, None)])


def textbook_probability(smoothing, counts, context, w, n_outcomes, k, d):
    if smoothing == "mle":
        return mle_probability(counts, context, w)
    if smoothing == "add-k":
        return add_k_probability(counts, context, w, k, n_outcomes)
    if smoothing == "witten-bell":
        return witten_bell_probability(counts, context, w, n_outcomes)
    return kneser_ney_probability(counts, context, w, d, n_outcomes)


def stochastic_matrix(seed, S, sparsity=0.0):
    M = np.random.default_rng(seed).random((S, S))
    M[M < sparsity] = 0.0
    M[np.arange(S), M.argmax(axis=1)] += 0.1  # no row of zeros
    return M / M.sum(axis=1, keepdims=True)


# -- n-grams -----------------------------------------------------------------------

@settings(max_examples=80, deadline=None)
@given(corpora, st.integers(1, 4), st.sampled_from(["mle", "add-k", "witten-bell", "kneser-ney"]),
       contexts, paddings, st.floats(0.01, 3.0), st.floats(0.05, 1.0))
def test_ngram_model_probabilities_are_the_textbook_formulas(corpus, order, smoothing, context,
                                                             padding, k, d):
    bos, eos = padding
    assume(any(len(s) + (eos is not None) > order * (bos is None) for s in corpus))
    model = NGramModel(order=order, smoothing=smoothing, pseudo_count=k, discount=d, bos=bos,
                       eos=eos).fit(corpus)
    counts = ngram_counts(corpus, order, bos=bos, eos=eos)
    outcomes = sorted({t for s in corpus for t in s}) + ["<unk>"] + ([eos] if eos else [])
    h = ([bos] * order if bos else []) + context  # the model pads a context with bos
    row = model.next_token_distribution(context)
    assert sorted(row) == sorted(outcomes)
    for w in outcomes:
        expected = textbook_probability(smoothing, counts, h, w, len(outcomes), k, d)
        assert math.isclose(row[w], expected, rel_tol=1e-12, abs_tol=1e-15), (h, w)
    assert math.isclose(model.prob("zz", context), textbook_probability(  # unknown: unk's
        smoothing, counts, h, "zz", len(outcomes), k, d), rel_tol=1e-12, abs_tol=1e-15)


@settings(max_examples=40, deadline=None)
@given(corpora, st.integers(1, 4), st.sampled_from(["mle", "add-k", "witten-bell", "kneser-ney"]),
       contexts)
def test_textbook_rows_sum_to_one(corpus, order, smoothing, context):
    counts = ngram_counts(corpus, order)
    outcomes = {t for s in corpus for t in s} | {"<unk>", "</s>"}
    h = ["<s>"] * order + context
    total = sum(textbook_probability(smoothing, counts, h, w, len(outcomes), 0.5, 0.75)
                for w in outcomes)
    assert math.isclose(total, 1.0, rel_tol=0, abs_tol=1e-12)


def test_ngram_counts_by_hand_and_their_marginals():
    counts = ngram_counts([["a", "b", "a"], ["b"]], order=2)
    assert counts == {("<s>", "<s>"): {"a": 1, "b": 1}, ("<s>", "a"): {"b": 1},
                      ("a", "b"): {"a": 1}, ("b", "a"): {"</s>": 1}, ("<s>", "b"): {"</s>": 1}}
    bigrams = lower_order_counts(counts)  # (a,): from (<s>, a) and (b, a); (b,): (a, b), (<s>, b)
    assert bigrams == {("<s>",): {"a": 1, "b": 1}, ("a",): {"b": 1, "</s>": 1},
                       ("b",): {"a": 1, "</s>": 1}}
    # a is seen after <s> and b, b after <s> and a, </s> after a and b
    assert continuation_counts(bigrams) == {(): {"a": 2, "b": 2, "</s>": 2}}
    assert lower_order_counts(bigrams) == {(): {"a": 2, "b": 2, "</s>": 2}}


def test_textbook_bad_input():
    counts = ngram_counts([["a", "b"]], order=1)
    with pytest.raises(ValueError, match="order must be >= 1"):
        ngram_counts([["a"]], order=0)
    with pytest.raises(TypeError, match="sentences"):
        ngram_counts([["a", 3]], order=1)
    with pytest.raises(ValueError, match="sentences is empty"):
        ngram_counts([[]], order=1)
    with pytest.raises(ValueError, match="no sentence long enough"):
        ngram_counts([["a", "b"]], order=3, bos=None, eos=None)
    with pytest.raises(TypeError, match="bos"):
        ngram_counts([["a"]], order=1, bos=0)
    with pytest.raises(TypeError, match="context"):
        mle_probability(counts, "a", "b")
    with pytest.raises(TypeError, match="token"):
        mle_probability(counts, ["a"], 3)
    with pytest.raises(TypeError, match="counts"):
        mle_probability({"a": 1}, ["a"], "b")
    with pytest.raises(ValueError, match="pseudo_count must be > 0"):
        add_k_probability(counts, ["a"], "b", 0.0, 3)
    with pytest.raises(ValueError, match="discount"):
        kneser_ney_probability(counts, ["a"], "b", 1.5, 3)
    with pytest.raises(ValueError, match="n_outcomes"):
        witten_bell_probability(counts, ["a"], "b", 0)
    with pytest.raises(ValueError, match="no lower order"):
        lower_order_counts(lower_order_counts(counts))


# -- Markov chains -----------------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 5), st.floats(0.0, 0.6), st.integers(0, 6),
       st.data())
def test_markov_chain_matches_the_textbook(seed, S, sparsity, n_steps, data):
    chain = MarkovChain.from_transition_matrix(stochastic_matrix(seed, S, sparsity))
    P = chain.transition_matrix_  # rows renormalised by the chain: the same floats for both
    start = data.draw(st.integers(0, S - 1))
    e = np.eye(S)[start]
    assert chain.sample(n_steps + 1, start=start, strategy="greedy") == greedy_path(P, start, n_steps)
    path, log_p = chain.most_probable_path(start, n_steps + 1)
    assert (path, log_p) == most_probable_path(P, e, n_steps)  # same sums, same ties
    np.testing.assert_allclose(chain.n_step(n_steps)[start], n_step_law(P, e, n_steps),
                               rtol=0, atol=1e-13)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 6), st.floats(0.0, 0.5))
def test_stationary_distributions_agree_and_are_invariant(seed, S, sparsity):
    P = stochastic_matrix(seed, S, sparsity)
    chain = MarkovChain.from_transition_matrix(P)
    try:
        pi = stationary_distribution(P)
    except ValueError:  # several closed classes: neither is unique
        with pytest.raises(ValueError, match="not unique"):
            chain.stationary_distribution()
        return
    np.testing.assert_allclose(pi @ P, pi, atol=1e-12)
    assert math.isclose(pi.sum(), 1.0, rel_tol=1e-12) and (pi >= 0).all()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # reducible, one closed class: a warning
        fast = chain.stationary_distribution()
    np.testing.assert_allclose(fast, pi, atol=1e-10)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), st.integers(2, 4), st.integers(0, 4))
def test_textbook_viterbi_is_the_best_of_all_paths(seed, S, n_steps):
    P = stochastic_matrix(seed, S, sparsity=0.3)
    pi0 = np.random.default_rng(seed + 1).dirichlet(np.ones(S))
    def prob(x):
        return pi0[x[0]] * np.prod([P[a, b] for a, b in zip(x, x[1:])])
    best = max(prob(x) for x in itertools.product(range(S), repeat=n_steps + 1))
    path, log_p = most_probable_path(P, pi0, n_steps)
    assert math.isclose(math.exp(log_p), best, rel_tol=1e-9)
    assert math.isclose(prob(path), best, rel_tol=1e-9)


def test_weather_chain_by_hand():
    # sun -> rain 1/2, rain -> sun 2/3: pi_rain = (1/2) / (1/2 + 2/3) = 3/7
    P = [[1 / 3, 2 / 3], [1 / 2, 1 / 2]]
    np.testing.assert_allclose(stationary_distribution(P), [3 / 7, 4 / 7], atol=1e-15)
    # from rain: 1/3 rain, then 1/3 * 1/3 + 2/3 * 1/2 = 4/9 rain
    np.testing.assert_allclose(n_step_law(P, [1, 0], 2), [4 / 9, 5 / 9], atol=1e-15)


def test_chain_textbook_bad_input():
    with pytest.warns(UserWarning, match=r"absorbing \(p_ii = 1\): \[2\]"):
        P = transition_matrix(count_transitions([["a", "b", "a", "c"]], ["a", "b", "c"]))
    assert P[2].tolist() == [0.0, 0.0, 1.0]
    with pytest.raises(ValueError, match="sequences holds states not in states"):
        count_transitions([["a", "b"]], ["a"])
    with pytest.raises(ValueError, match="sequences is empty"):
        count_transitions([["a"]], ["a"])
    with pytest.raises(ValueError, match="counts must be a square"):
        transition_matrix([[1, 2]])
    with pytest.raises(ValueError, match="P must be row-stochastic"):
        greedy_path([[0.5, 0.6], [1, 0]], 0, 2)
    with pytest.raises(ValueError, match="start must be <= 1"):
        greedy_path(np.eye(2), 2, 2)
    with pytest.raises(ValueError, match="n_steps must be >= 0"):
        most_probable_path(np.eye(2), [1, 0], -1)
    with pytest.raises(ValueError, match="pi0 must be a distribution"):
        n_step_law(np.eye(2), [0.5, 0.6], 1)
    with pytest.raises(ValueError, match="several closed classes"):
        stationary_distribution(np.eye(2))
