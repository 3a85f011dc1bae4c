"""Section 3 - Markov chains and n-gram text generation.

A Markov chain is its transition matrix, p_{i,j} = P(X_{t+1} = j | X_t = i),
estimated by counting transitions. This demo prints the course's bigram
table (the row of "ali"), answers the course's quiz with ``can_generate``,
follows a three-state weather chain to its stationary distribution, shows
that greedy steps do not give the most probable sequence, then generates
text with a word trigram model and a character 5-gram model (the stdlib's
help text, or a book given with --text) and compares the smoothings by
their perplexity on held-out sentences.
"""

import warnings

import numpy as np

from scratch_genmod.datasets import course_corpus, stdlib_corpus
from scratch_genmod.exam.quizzes import ask, explain, generation_quiz
from scratch_genmod.markov import MarkovChain, NGramModel, sentences, tokenize
from scratch_genmod.viz import Figure, sparkline
from scratch_genmod.viz.axes import class_colour

TITLE = "Markov chains and n-gram text generation"

WEATHER_STATES = ["sun", "cloud", "rain"]
WEATHER = np.array([[0.7, 0.2, 0.1],
                    [0.3, 0.4, 0.3],
                    [0.2, 0.3, 0.5]])
# From A the likeliest step is B (0.6), but every path through B then has
# probability 0.6 / 3 = 0.2, while A C D has 0.4 x 1.
GREEDY_TRAP = [[0, 0.6, 0.4, 0], [0, 1 / 3, 1 / 3, 1 / 3], [0, 0, 0, 1], [0, 0, 0, 1]]
SMOOTHINGS = {"mle": {"smoothing": "mle"},
              "add-k (k=1)": {"smoothing": "add-k", "pseudo_count": 1.0},
              "add-k (k=0.01)": {"smoothing": "add-k", "pseudo_count": 0.01},
              "witten-bell": {"smoothing": "witten-bell"},
              "kneser-ney": {"smoothing": "kneser-ney"}}


def run(ctx):
    course_bigrams(ctx)
    weather_chain(ctx)
    greedy_versus_best_path(ctx)
    markov_quiz(ctx)
    text, name, lang = corpus(ctx)
    markov_quiz_on(ctx, text, name, lang)
    generate_words(ctx, text, name, lang)
    generate_characters(ctx, text, name)
    perplexities(ctx, text, name, lang)


def _reason(check):
    """The quiz's reason column: the bigram never seen, or that every one was."""
    if check:
        return "every bigram was seen"
    (previous,), token = check.missing
    return f"({previous}, {token}) never occurs"


def course_bigrams(ctx):
    """The course's four sentences, their order-1 (bigram) table and the quiz."""
    text = course_corpus()
    model = NGramModel(order=1, lowercase=True, random_state=ctx.seed).fit(text)
    for sentence in sentences(text, lowercase=True):
        ctx.say("  " + " | ".join(sentence))
    words = [w for w in model.vocabulary_.tolist() if w not in ("<unk>", "<s>", "</s>")]
    ctx.say(f"Vocabulary ({len(words)} tokens): {', '.join(words)}")
    columns = words + ["</s>"]
    rows = []
    for h in ["<s>"] + words:
        row = model.next_token_distribution([] if h == "<s>" else [h])
        rows.append([h] + [_fraction(row[w]) for w in columns])
    ctx.table(rows, header=["h \\ w"] + columns,
              title="Transition matrix p(w | h) of the course corpus, by counting (blank = 0)")
    ali = model.next_token_distribution(["ali"])
    ctx.table([["p(w | ali)"] + [ali[w] for w in columns]], header=["w"] + columns,
              title="The row of 'ali': est 2/4, aime 1/4, ? 1/4, everything else 0")

    quiz = [("qui est ici .", True), ("le vélo d'ali est ici .", True),
            ("ali aime le bleu .", True), ("ali est bleu .", True), ("ali bleu .", True),
            ("machine learning", False)]
    seen = {" ".join(s) for s in sentences(text, lowercase=True)}
    checks = [model.can_generate(tokenize(q, lowercase=True), complete=end, explain=True)
              for q, end in quiz]
    ctx.table([[q, "yes" if q in seen else "no", "yes" if check else "no", _reason(check)]
               for (q, _), check in zip(quiz, checks)],
              header=["sentence", "in the corpus?", "can be generated?", "why"],
              title="The quiz: an order-1 chain can generate any sentence whose bigrams were seen")
    ctx.say("'ali bleu' and 'machine learning' hold a bigram never seen in training: p = 0. "
            f"Greedy generation loops: {model.generate(max_tokens=8, strategy='greedy')!r}; "
            f"sampling gives e.g. {model.generate()!r} and {model.generate()!r}.")


def markov_quiz(ctx):
    """The course's quiz: which of its two sentences can a chain of the course corpus generate?"""
    quiz, checks = generation_quiz(course_corpus(), corpus_lang="fr")
    ctx.say("Quiz (the course's corpus above): " + ask(quiz, "en").replace("\n", " "))
    ctx.say("Answer, computed by can_generate: " + explain(quiz, "en"))


def markov_quiz_on(ctx, text, name, lang):
    """The same quiz for a chain of this run's corpus: the answer is the corpus's."""
    quiz, _ = generation_quiz(text, corpus_lang=lang)
    ctx.say(f"The same quiz for an order-1 chain of {name}: {explain(quiz, 'en')}")


def weather_chain(ctx):
    """A three-state chain: its stationary law, M^n converging to it, estimation by counting."""
    chain = MarkovChain.from_transition_matrix(WEATHER, WEATHER_STATES, random_state=ctx.seed)
    pi = chain.stationary_distribution()
    ctx.table([[s] + WEATHER[i].tolist() for i, s in enumerate(WEATHER_STATES)]
              + [["pi (stationary)"] + pi.tolist()],
              header=["from \\ to"] + WEATHER_STATES, floatfmt="{:.4f}",
              title="Weather chain: transition matrix M and its stationary distribution pi")
    ctx.say(f"pi M = pi up to {np.abs(pi @ WEATHER - pi).max():.1e}; irreducible: "
            f"{chain.is_irreducible()}, period {chain.period()} (aperiodic), so every row of "
            "M^n tends to pi.")
    n_max = 15
    steps = np.arange(n_max + 1)
    powers = np.stack([chain.n_step(int(n)) for n in steps])  # (n_max + 1, 3, 3)
    distance = np.abs(powers - pi).sum(axis=2).max(axis=1) / 2  # worst start, total variation
    ctx.say(f"max_i TV(M^n[i], pi) for n = 0..{n_max}: {sparkline(np.log10(distance))} "
            f"(log scale; from {distance[0]:.2f} to {distance[-1]:.1e})")
    from_rain = np.abs(powers[:, 2, :] - pi).max(axis=1)
    settled = int(np.argmax(from_rain < 0.01)) if (from_rain < 0.01).any() else f"> {n_max}"
    path = ctx.figure("03_weather_n_step.svg",
                      "Starting from rain, P(X_n = j) for each weather j (solid) comes within "
                      f"0.01 of the stationary probability pi_j (dashed) at n = {settled}.")
    fig = Figure(title="n-step distribution from rain, rows of M^n", xlabel="n (steps)",
                 ylabel="P(X_n = j | X_0 = rain)", ylim=(0.0, 1.0))
    _curves_towards_pi(fig, steps, powers[:, 2, :], pi).save(path)

    n = 2_000 if ctx.quick else 20_000
    walk = chain.sample(n, start="sun")
    fitted = MarkovChain(states=WEATHER_STATES).fit([walk])
    days = np.array([WEATHER_STATES.index(s) for s in walk])
    shares = np.cumsum(days[:, None] == np.arange(3), axis=0) / np.arange(1, n + 1)[:, None]
    ctx.say(f"Counting the transitions of a {n:,}-step walk gives back M to within "
            f"{np.abs(fitted.transition_matrix_ - WEATHER).max():.3f}; the share of days "
            f"per weather is {np.round(shares[-1], 3)} against pi = {np.round(pi, 3)}.")
    path = ctx.figure("03_weather_long_run.svg",
                      "Along one sampled walk, the share of days of each weather so far "
                      "(solid) against the stationary probability (dashed); after "
                      f"{n:,} days the largest gap is {np.abs(shares[-1] - pi).max():.3f}.")
    t = np.unique(np.geomspace(1, n, 300).astype(int))
    fig = Figure(title=f"One walk of {n:,} days from sun", xlabel="log10 t (days)",
                 ylabel="share of the first t days", ylim=(0.0, 1.0))
    _curves_towards_pi(fig, np.log10(t), shares[t - 1], pi).save(path)


def greedy_versus_best_path(ctx):
    """Greedy argmax steps, the most probable path (Viterbi) and sampled paths."""
    rows = []
    for name, chain, start, length in (
            ("A-B-C-D", MarkovChain.from_transition_matrix(GREEDY_TRAP, list("ABCD"),
                                                           random_state=ctx.seed), "A", 3),
            ("weather", MarkovChain.from_transition_matrix(WEATHER, WEATHER_STATES,
                                                           random_state=ctx.seed), "cloud", 5)):
        greedy = chain.sample(length, start=start, strategy="greedy")
        best, log_p = chain.most_probable_path(start, length)
        rows.append([name, "greedy", " ".join(greedy), np.exp(chain.log_prob(greedy))])
        rows.append([name, "most probable path", " ".join(best), np.exp(log_p)])
        for _ in range(2):
            drawn = chain.sample(length, start=start)
            rows.append([name, "sampled", " ".join(drawn), np.exp(chain.log_prob(drawn))])
    ctx.table(rows, header=["chain", "strategy", "sequence", "probability"], floatfmt="{:.4f}",
              title="Greedy steps are not the most probable sequence (dynamic programming is)")
    ctx.say("From A the greedy walk takes B (0.6) but then has three states at 1/3: 0.2 in "
            "all, while A C D has 0.4. From cloud, greedy stays (0.4 a day) while the best "
            "path pays 0.3 once to reach sun, then keeps 0.7 a day.")


def corpus(ctx):
    """The book of --text (language guessed) or the stdlib's English help text."""
    if ctx.text is not None:
        text, name = ctx.text_data(), ctx.text.name
        lang = "fr" if text.count(" le ") + text.count(" la ") > text.count(" the ") else "en"
    else:
        text, name, lang = stdlib_corpus(), "stdlib_corpus()", "en"
    if ctx.quick:
        text = text[: len(text) // 4]
        name += " (first quarter)"
    return text, name, lang


def generate_words(ctx, text, name, lang):
    """A word trigram model (order 2, Kneser-Ney): greedy, then sampled at several temperatures."""
    model = NGramModel(order=2, smoothing="kneser-ney", lang=lang,
                       random_state=ctx.seed).fit(text)
    prompt = "Le" if lang == "fr" else "The"
    sents = sentences(text, lang=lang)  # the model's own tokenizer: words and punctuation
    V = len(model.vocabulary_)
    distinct = len({t for s in sents for t in s})
    ctx.say(f"Word trigram model (order 2, Kneser-Ney) of {name}: {sum(map(len, sents)):,} "
            f"tokens (words and punctuation) in {len(sents):,} sentences, a vocabulary of "
            f"{distinct:,} distinct tokens (and <s>, </s>, <unk>), "
            f"{len(model.tables_[-1]):,} distinct trigrams stored (a dense tensor would hold "
            f"V^3 = {float(V) ** 3:.2g} entries).")
    rows = [["greedy", model.generate(max_tokens=30, prompt=prompt, strategy="greedy")]]
    for temperature in (0.5, 1.0, 1.5):
        rows.append([f"T = {temperature}", model.generate(
            max_tokens=30, prompt=prompt, temperature=temperature, stop_at_eos=False)])
    rows.append(["T = 1, top_k = 5", model.generate(max_tokens=30, prompt=prompt, top_k=5,
                                                    stop_at_eos=False)])
    ctx.table([[k, v.replace("\n", " ")] for k, v in rows], header=["strategy", "generated text"],
              title=f"Word trigrams continuing the prompt {prompt!r} (the 'accroche')")


def generate_characters(ctx, text, name):
    """A character 5-gram model: five characters of context are enough to make words."""
    model = NGramModel(order=5, tokens="chars", smoothing="kneser-ney",
                       random_state=ctx.seed).fit(text)
    ctx.say(f"Character 5-gram model of {name}: {len(model.vocabulary_)} characters, "
            f"{len(model.tables_[-1]):,} distinct 6-grams.")
    for temperature in (0.5, 1.0):
        sample = model.generate(max_tokens=200, temperature=temperature, stop_at_eos=False)
        ctx.say(f"T = {temperature}: " + " / ".join(line for line in sample.split("\n") if line))


def perplexities(ctx, text, name, lang):
    """Held-out perplexity per smoothing and order: what smoothing is for."""
    sents = sentences(text, lang=lang)
    train = [s for i, s in enumerate(sents) if i % 10]
    held = [s for i, s in enumerate(sents) if i % 10 == 0]
    known = {t for s in train for t in s}
    unknown = sum(t not in known for s in held for t in s)
    orders = [1, 2, 3] if ctx.quick else [1, 2, 3, 4]
    rows = []
    for label, params in SMOOTHINGS.items():
        values = []
        for order in orders:
            model = NGramModel(order=order, lang=lang, **params).fit(train)
            with warnings.catch_warnings():  # MLE: inf perplexity, said in the table
                warnings.simplefilter("ignore", UserWarning)
                values.append(model.perplexity(held))
        finite = np.isfinite(values)
        rows.append([label] + values + [sparkline(np.array(values)) if finite.all() else ""])
    ctx.table(rows, header=["smoothing"] + [f"order {k}" for k in orders] + ["over orders"],
              floatfmt="{:.1f}",
              title=f"Perplexity exp(-mean ln p) on held-out sentences of {name} "
                    f"({sum(map(len, held)):,} tokens, {unknown} never seen in training)")
    best = min((row[j + 1], row[0], order) for row in rows for j, order in enumerate(orders))
    ctx.say("MLE gives an unseen transition probability 0, so any held-out text has infinite "
            "perplexity. Add-k spreads too much mass over the whole vocabulary, more at each "
            "order; Witten-Bell and Kneser-Ney back off to shorter contexts. Lowest perplexity: "
            f"{best[0]:.1f} ({best[1]}, order {best[2]}): a longer context helps only while "
            "the corpus holds enough examples of it.")


def _curves_towards_pi(fig, x, curves, pi):
    """One solid curve per weather (columns of ``curves``) and its pi_j as a dashed line."""
    for j, state in enumerate(WEATHER_STATES):
        fig.line(x, curves[:, j], label=state, color=class_colour(j))
        fig.line([x[0], x[-1]], [pi[j], pi[j]], label=f"pi({state})", color=class_colour(j),
                 width=1.0, dashed=True)
    return fig


def _fraction(p):
    """A probability of the course table as a short string; blank for 0."""
    return "" if p == 0 else f"{p:.3g}"
