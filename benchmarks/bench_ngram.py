"""Benchmark: scratch_genmod's NGramModel against nltk.lm and a plain Counter.

Run from the repository root, one benchmark at a time on the shared cores:

    OMP_NUM_THREADS=2 flock /tmp/bench.lock python benchmarks/bench_ngram.py [BOOK] [--quick]

BOOK defaults to ../shared/data/text/en_austen_pride_and_prejudice.txt (the
stdlib help text when it is absent). The book is cut into sentences by
``scratch_genmod.markov.sentences(lang="en")``; every 10th sentence is held
out. Both libraries get the same token lists. Order 2 (trigrams).
``--quick`` uses the first fifth of the book and fewer NLTK Kneser-Ney calls.

Issue 7's targets: fit >= 30x faster than ``nltk.lm.MLE`` (ratio <= 0.033,
aim 0.02) and faster than a Counter of trigram tuples; 1M tokens fitted in
under 2 s; Kneser-Ney scoring of 10,000 held-out trigrams in under 0.1 s,
with a finite perplexity despite unknown words (NLTK's is inf there);
Laplace / Lidstone probabilities and perplexities equal to NLTK's.

NLTK correspondence (checked below): NLTK pads each sentence with n-1 "<s>"
and n-1 "</s>" (``pad_both_ends``), builds its vocabulary from the padded
text (so "<s>" and "</s>" count in |V|, plus "<UNK>"; cutoff 1), and scores
the trigrams of the padded sentences. The same numbers come from
NGramModel(order=2, bos=None, eos=None, unk="<UNK>") fitted on the same
pre-padded sentences: its |V| = distinct tokens + unk, and its trigram
counts are NLTK's. NLTK's perplexity is 2 ** (mean -log2 p), ours
exp(mean -ln p): the same number.
"""

import argparse
from collections import Counter

import numpy as np
from _bench import SHARED_DATA, best_time, peak_memory, ratio, report

from scratch_genmod.datasets import load_text, stdlib_corpus
from scratch_genmod.markov import NGramModel, sentences

DEFAULT_BOOK = SHARED_DATA / "text" / "en_austen_pride_and_prejudice.txt"
HEADER = ("measure", "ours", "peer", "peer figure", "ratio ours/peer")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book", nargs="?", default=str(DEFAULT_BOOK))
    parser.add_argument("--quick", action="store_true", help="a fifth of the book")
    args = parser.parse_args()
    train, held, source = read_book(args.book, args.quick)
    n_train = sum(map(len, train))
    print(f"text: {source}; train {len(train):,} sentences, {n_train:,} tokens; held-out "
          f"{sum(map(len, held)):,} tokens; order 2 (trigrams)\n")
    rows, ours = our_figures(train, held)
    try:
        import nltk
    except ImportError:
        print("peer not installed: nltk (pip install nltk)")
        nltk = None
    if nltk is not None:
        print(f"nltk {nltk.__version__}")
        rows += nltk_figures(train, held, ours, n_kn_sample=10 if args.quick else 30)
    report(f"NGramModel vs nltk.lm and Counter, order 2, {source}", rows, header=HEADER)


def read_book(path, quick):
    """Sentences of the book (or of the stdlib help text), split 9:1 into train / held-out."""
    try:
        text, source = load_text(path), path.rsplit("/", 1)[-1]
    except FileNotFoundError:
        text, source = stdlib_corpus(), "stdlib_corpus() (book not found)"
    sents = sentences(text, lang="en")
    if quick:
        sents = sents[: len(sents) // 5]
        source += " (first fifth)"
    return ([s for i, s in enumerate(sents) if i % 10],
            [s for i, s in enumerate(sents) if i % 10 == 0], source)


def counter_fit(sents):
    """The plain-Python reference: a Counter of padded trigram tuples."""
    counts = Counter()
    for s in sents:
        padded = ["<s>", "<s>"] + s + ["</s>"]
        counts.update(zip(padded, padded[1:], padded[2:]))
    return counts


def first_tokens(sents, n_tokens):
    """The first sentences holding n_tokens predicted tokens (eos included)."""
    ends = np.cumsum([len(s) + 1 for s in sents])
    return sents[: int(np.searchsorted(ends, n_tokens)) + 1]


def our_figures(train, held):
    n_train = sum(map(len, train))
    # Fits of one book take ~50 ms: best of 7 to see through the machine's noise.
    t_ours, _ = best_time(lambda: NGramModel(order=2).fit(train), repeat=7)
    t_counter, _ = best_time(lambda: counter_fit(train), repeat=7)
    mem_ours, _ = peak_memory(lambda: NGramModel(order=2).fit(train))
    mem_counter, _ = peak_memory(lambda: counter_fit(train))
    times = int(np.ceil(1_000_000 / n_train))
    big = train * times
    t_big, _ = best_time(lambda: NGramModel(order=2).fit(big), repeat=2)
    t_counter_big, _ = best_time(lambda: counter_fit(big), repeat=2)

    kn = NGramModel(order=2, smoothing="kneser-ney").fit(train)
    held_10k = first_tokens(held, 10_000)
    n_scored = sum(len(s) + 1 for s in held_10k)
    t_score, ppl_kn = best_time(lambda: kn.perplexity(held_10k), repeat=5)
    known = set(kn.vocabulary_.tolist())
    unknown = sum(t not in known for s in held_10k for t in s)
    stored = sum(a.nbytes for group in (kn.tables_, kn.counts_, kn.continuation_counts_)
                 for a in group) + sum(a.nbytes for v in kn.context_stats_.values() for a in v)
    n_grams = sum(len(t) for t in kn.tables_)
    print(f"ours Kneser-Ney: perplexity {ppl_kn:.2f} ({np.log2(ppl_kn):.3f} bits) on "
          f"{n_scored:,} held-out tokens holding {unknown} unknown words")
    print(f"stored model: {stored / 1e6:.2f} MB for {len(kn.tables_[-1]):,} distinct trigrams "
          f"and {n_grams:,} distinct 1-, 2-, 3-grams")
    rows = [
        ["fit trigrams (s)", t_ours, "Counter of tuples", t_counter, ratio(t_ours, t_counter)],
        ["fit peak memory (MB)", mem_ours / 1e6, "Counter of tuples", mem_counter / 1e6,
         ratio(mem_ours, mem_counter)],
        [f"fit {sum(map(len, big)):,} tokens, text x{times} (s, target < 2)", t_big,
         "Counter of tuples", t_counter_big, ratio(t_big, t_counter_big)],
        [f"KN score {n_scored:,} tokens (s, target < 0.1)", t_score, None, None, None],
        ["KN held-out perplexity", ppl_kn, None, None, None],
        ["stored bytes per distinct n-gram", stored / n_grams, None, None, None],
    ]
    return rows, {"fit": t_ours, "mem": mem_ours, "kn": kn, "known": known,
                  "held_10k": held_10k, "score": t_score}


def nltk_figures(train, held, ours, n_kn_sample):
    from nltk.lm import MLE, KneserNeyInterpolated, Laplace, Lidstone
    from nltk.lm.preprocessing import pad_both_ends, padded_everygram_pipeline
    from nltk.util import ngrams

    def nltk_fit(cls, *args):
        lm = cls(*args, order=3) if args else cls(3)
        grams, vocab = padded_everygram_pipeline(3, train)
        lm.fit(grams, vocab)
        return lm

    t_mle, _ = best_time(lambda: nltk_fit(MLE), repeat=1)
    mem_mle, _ = peak_memory(lambda: nltk_fit(MLE))
    rows = [["fit trigrams (s)", ours["fit"], "nltk.lm.MLE", t_mle, ratio(ours["fit"], t_mle)],
            ["fit peak memory (MB)", ours["mem"] / 1e6, "nltk.lm.MLE", mem_mle / 1e6,
             ratio(ours["mem"], mem_mle)]]

    # Kneser-Ney: NLTK scores one trigram at a time, slowly: time a sample that
    # includes unknown words, and extrapolate to the 10,000 tokens.
    kn, held_10k = ours["kn"], ours["held_10k"]
    nltk_kn = nltk_fit(KneserNeyInterpolated)
    trigrams = [g for s in held_10k for g in ngrams(["<s>", "<s>"] + s + ["</s>"], 3)]
    is_unknown = np.array([g[-1] not in ours["known"] for g in trigrams])
    rng = np.random.default_rng(0)
    pick = np.r_[rng.choice(np.flatnonzero(~is_unknown), n_kn_sample - 3, replace=False),
                 rng.choice(np.flatnonzero(is_unknown), min(3, is_unknown.sum()), replace=False)]
    sample = [trigrams[i] for i in pick]
    seconds, scores = best_time(lambda: [nltk_kn.score(g[-1], g[:-1]) for g in sample], repeat=1)
    per_trigram = seconds / len(sample)
    rows.append([f"KN score {len(trigrams):,} trigrams (s)", ours["score"],
                 f"nltk KN, {per_trigram * 1e3:.0f} ms x {len(trigrams):,}",
                 per_trigram * len(trigrams), ratio(ours["score"], per_trigram * len(trigrams))])
    rows.append([f"KN perplexity, {len(sample)} trigrams ({int(is_unknown[pick].sum())} unknown)",
                 sample_perplexity(kn, sample), "nltk KN", nltk_kn.perplexity(sample), None])
    print(f"nltk Kneser-Ney: {sum(p == 0 for p in scores)} of {len(sample)} sampled trigrams "
          "have probability 0 (unknown words), so its perplexity is inf")

    # Laplace / Lidstone: the same numbers as NLTK on the same padded sentences.
    padded_train = [list(pad_both_ends(s, n=3)) for s in train]
    padded_held = [list(pad_both_ends(s, n=3)) for s in held]
    all_held = [g for s in padded_held for g in ngrams(s, 3)]
    check = [all_held[i] for i in np.random.default_rng(1).choice(len(all_held), 500, False)]
    for name, cls, args, k in (("Laplace", Laplace, (), 1.0), ("Lidstone", Lidstone, (0.1,), 0.1)):
        lm = nltk_fit(cls, *args)
        mine = NGramModel(order=2, smoothing="add-k", pseudo_count=k, bos=None, eos=None,
                          unk="<UNK>").fit(padded_train)
        if len(mine.vocabulary_) != len(lm.vocab):
            raise RuntimeError(f"|V| differs: ours {len(mine.vocabulary_)}, nltk {len(lm.vocab)}")
        gap = max(abs(mine.prob(g[-1], list(g[:-1])) - lm.score(g[-1], g[:-1])) for g in check)
        t_theirs, ppl_theirs = best_time(lambda: lm.perplexity(all_held), repeat=1)
        t_mine, ppl_mine = best_time(lambda: mine.perplexity(padded_held))
        print(f"{name}: max |p_ours - p_nltk| over {len(check)} held-out trigrams = {gap:.1e}; "
              f"perplexity ours {ppl_mine:.12g}, nltk {ppl_theirs:.12g} (relative difference "
              f"{abs(ppl_mine / ppl_theirs - 1):.1e})")
        rows += [[f"{name} perplexity {len(all_held):,} trigrams (s)", t_mine, f"nltk.lm.{name}",
                  t_theirs, ratio(t_mine, t_theirs)],
                 [f"{name} held-out perplexity", ppl_mine, f"nltk.lm.{name}", ppl_theirs,
                  ratio(ppl_mine, ppl_theirs)]]
    return rows


def sample_perplexity(model, trigrams):
    """Our perplexity of single trigrams (w1, w2, w3): each read as context + next token."""
    log_p = [np.log(model.prob(g[-1], [t for t in g[:-1] if t != "<s>"])) for g in trigrams]
    return float(np.exp(-np.mean(log_p)))


if __name__ == "__main__":
    main()
