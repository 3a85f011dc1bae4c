"""Exercises of section 3: Markov chains and n-grams."""

from fractions import Fraction

import numpy as np

from scratch_genmod.exam.exercise import Answer, Exercise, colon, fmt_decimal, fmt_number, graded, md_table, tr
from scratch_genmod.exam.quizzes import generation_quiz, quiz_exercise
from scratch_genmod.markov import MarkovChain, NGramModel
from scratch_genmod.markov.textbook import add_k_probability, mle_probability, ngram_counts, stationary_distribution

__all__ = ["bigram_row", "can_generate", "markov_quiz", "bigram_perplexity", "stationary", "MAKERS"]

_WORDS = {
    "fr": (["Ali", "Léa", "Tom"], ["aime", "voit", "dessine"], ["le", "un"], ["vélo", "chat", "bleu"]),
    "en": (["Ali", "Lea", "Tom"], ["likes", "sees", "draws"], ["the", "a"], ["bike", "cat", "sky"]),
}


def _corpus(rng, lang, n_sentences=4):
    """Short sentences "name verb article noun ." drawn from a small word bank."""
    names, verbs, articles, nouns = _WORDS[lang]
    pick = rng.choice
    return [[str(pick(names)), str(pick(verbs)), str(pick(articles)), str(pick(nouns)), "."]
            for _ in range(n_sentences)]


def _quote(tokens, lang):
    """A sentence (or a word) in the language's quotation marks."""
    return f"« {' '.join(tokens)} »" if lang == "fr" else f"“{' '.join(tokens)}”"


def _show(corpus, lang):
    return "\n".join(f"- {_quote(s, lang)}" for s in corpus)


def _p(word):
    """p(w | word) in LaTeX, the word set upright."""
    return f"$p(w \\mid \\text{{{word}}})$"


def bigram_row(rng, lang):
    """The row p(. | w) of an order-1 chain (bigram model) estimated by counting."""
    corpus = _corpus(rng, lang)
    counts = ngram_counts(corpus, order=1, bos=None, eos=None)  # {(v,): {w: c(v w)}}
    heads = sorted(h for (h,) in counts)
    # Ask for the word with the most varied continuations (ties: the first such word).
    word = heads[int(np.argmax([len(counts[(w,)]) for w in heads]))]
    row = {t: mle_probability(counts, [word], t) for t in sorted(counts[(word,)])}
    statement = tr(lang, "An order-1 Markov chain is estimated by counting on this corpus:",
                   "On estime une chaîne de Markov d'ordre 1 par comptage sur ce corpus :")
    statement += "\n\n" + _show(corpus, lang) + "\n\n" + tr(
        lang, f"Give the row of the transition matrix for {_quote([word], lang)}: {_p(word)} for every word $w$.",
        f"Donner la ligne de la matrice de transition pour {_quote([word], lang)} : {_p(word)} pour tout mot $w$.")
    answer = md_table(["$w$", _p(word)], [[t, fmt_number(p, lang)] for t, p in row.items()])
    answer += "\n\n" + tr(lang, "Every other word has probability 0 (count of the bigram / count of the word).",
                          "Tout autre mot a la probabilité 0 (nombre du bigramme / nombre du mot).")
    return Exercise("bigram_row", tr(lang, "A row of the transition matrix", "Une ligne de la matrice de transition"),
                    statement, answer, data={"corpus": corpus, "word": word}, solution={"row": row},
                    items=[graded(f"p({t}|{word})", p) for t, p in row.items()])


def can_generate(rng, lang):
    """The course's quiz: which sentences can an order-1 chain trained on a corpus generate?"""
    for _ in range(100):  # redraw (bounded) until the answers are not all the same
        corpus = _corpus(rng, lang, n_sentences=3)
        model = NGramModel(order=1, bos="<s>", eos="</s>").fit(corpus)
        # A walk along seen bigrams (maybe never seen as a whole), a sentence of
        # the word bank, and a corpus sentence with two words swapped.
        walk, word = [], "<s>"
        while word != "</s>" and len(walk) < 8:
            nexts = [t for t, p in model.next_token_distribution([word]).items() if p > 0]
            word = str(nexts[int(rng.integers(len(nexts)))])
            walk.append(word)
        swapped = list(corpus[int(rng.integers(len(corpus)))])
        swapped[2], swapped[3] = swapped[3], swapped[2]
        candidates = [walk[:-1], _corpus(rng, lang, 1)[0], swapped]
        candidates = [candidates[i] for i in rng.permutation(len(candidates))]
        verdicts = [model.can_generate(c, complete=True) for c in candidates]
        if len(set(verdicts)) == 2:
            break
    letters = "abc"
    statement = tr(lang, "An order-1 chain (bigrams, with sentence start and end) is trained on:",
                   "Une chaîne d'ordre 1 (bigrammes, avec début et fin de phrase) est apprise sur :")
    statement += "\n\n" + _show(corpus, lang) + "\n\n" + tr(
        lang, "Which of these sentences can it generate?", "Lesquelles de ces phrases peut-elle générer ?")
    statement += "\n\n" + "\n".join(f"{c}. {_quote(s, lang)}" for c, s in zip(letters, candidates))
    lines = []
    for c, s, ok in zip(letters, candidates, verdicts):
        if ok:
            why = tr(lang, "every bigram of it occurs in the corpus", "chacun de ses bigrammes figure dans le corpus")
        else:
            pairs = list(zip(["<s>"] + s, s + ["</s>"]))
            missing = next(f"({u}, {v})" for u, v in pairs if model.prob(v, [u]) == 0.0)
            why = tr(lang, f"the bigram {missing} never occurs", f"le bigramme {missing} n'apparaît jamais")
        verdict = tr(lang, "yes" if ok else "no", "oui" if ok else "non")
        lines.append(f"**{verdict}**{colon(lang)} {why}.")
    yes_no = tr(lang, ("yes", "no"), ("oui", "non"))
    return Exercise("can_generate", tr(lang, "What can a Markov chain generate?", "Que peut générer une chaîne de Markov ?"),
                    statement, "\n".join(f"{c}. {line}" for c, line in zip(letters, lines)),
                    data={"corpus": corpus, "candidates": candidates},
                    solution={"can_generate": verdicts},
                    items=[Answer(c, yes_no[0] if ok else yes_no[1], 0.0, yes_no) for c, ok in zip(letters, verdicts)],
                    quiz=[(_quote(s, lang), ok) for s, ok in zip(candidates, verdicts)], option_feedback=lines)


# Sentences the quiz's chain is trained on, each holding some transitions of the course's two
# sentences (in the comments), so that each of the four options is right for some corpora.
_QUIZ_CORPUS = [
    "J'aime le vélo.",                            # <s> j', j' aime
    "Ali aime l'intelligence artificielle.",       # aime l', l' intelligence, intelligence artificielle
    "L'intelligence artificielle aime le bleu.",   # l' intelligence, intelligence artificielle
    "J'aime l'intelligence.",                      # <s> j', j' aime, aime l', l' intelligence
    "Le machine learning est bleu.",               # machine learning
    "Machine et vélo sont ici.",                   # <s> machine
    "J'aime le machine learning.",                 # <s> j', j' aime, machine learning
    "Machine, l'intelligence est ici.",            # <s> machine, l' intelligence
]


def markov_quiz(rng, lang):
    """The course's Markov quiz: which of its two sentences can a chain trained on this corpus generate?"""
    # four of the eight: each option is then right for 5 to 24 of the 70 corpora
    corpus = [_QUIZ_CORPUS[i] for i in sorted(rng.choice(len(_QUIZ_CORPUS), size=4, replace=False))]
    quiz, _ = generation_quiz(" ".join(corpus), corpus_lang="fr")
    ex = quiz_exercise(quiz, rng, lang)
    ex.statement = (tr(lang, "The chain is trained on this corpus (lowercased, no smoothing):",
                       "La chaîne est estimée sur ce corpus (en minuscules, sans lissage) :")
                    + "\n\n" + _show([[s] for s in corpus], lang) + "\n\n" + ex.statement)
    ex.data["corpus"] = corpus
    return ex


def bigram_perplexity(rng, lang):
    """Perplexity of a short sentence under an add-k bigram model (with sentence start and end).

    p(w | v) = (c(v, w) + k) / (c(v) + k |V|), and the perplexity of the
    T + 1 predicted tokens is (prod_t p(w_t | w_{t-1}))^(-1 / (T + 1)).
    """
    corpus = _corpus(rng, lang, n_sentences=3)
    k = Fraction(*[(1, 1), (1, 2)][int(rng.integers(2))])
    model = NGramModel(order=1, smoothing="add-k", pseudo_count=float(k)).fit(corpus)
    counts, V = ngram_counts(corpus, order=1), int(model.n_outcomes_)
    # Each word taken from the corpus at the same place in a sentence drawn anew: every word
    # is known (no <unk>), while the bigrams between them may be unseen (add-k gives them k / ...).
    sentence = [corpus[int(i)][place] for place, i in enumerate(rng.integers(len(corpus), size=5))]
    padded = ["<s>"] + sentence + ["</s>"]
    probs = [add_k_probability(counts, [v], w, float(k), V) for v, w in zip(padded[:-1], padded[1:])]
    ppl = model.perplexity([sentence])
    statement = tr(lang, "A bigram model (order-1 chain with sentence start <s> and end </s>) is trained on:",
                   "Un modèle bigramme (chaîne d'ordre 1 avec début de phrase <s> et fin </s>) est appris sur :")
    statement += "\n\n" + _show(corpus, lang) + "\n\n" + tr(
        lang,
        f"It is smoothed by add-$k$ with $k = {k}$: $p(w \\mid v) = \\frac{{c(v, w) + k}}{{c(v) + k |V|}}$ with "
        f"$|V| = {V}$ possible next tokens (the words, </s> and the unknown word). Compute each "
        f"$p(w_t \\mid w_{{t-1}})$ and the perplexity $\\left(\\prod_t p(w_t \\mid w_{{t-1}})\\right)^{{-1/(T+1)}}$ "
        f"of the sentence {_quote(sentence, lang)} ($T + 1 = {len(padded) - 1}$ predicted tokens, </s> included).",
        f"Il est lissé par add-$k$ avec $k = {k}$ : $p(w \\mid v) = \\frac{{c(v, w) + k}}{{c(v) + k |V|}}$ avec "
        f"$|V| = {V}$ symboles suivants possibles (les mots, </s> et le mot inconnu). Calculer chaque "
        f"$p(w_t \\mid w_{{t-1}})$ et la perplexité $\\left(\\prod_t p(w_t \\mid w_{{t-1}})\\right)^{{-1/(T+1)}}$ "
        f"de la phrase {_quote(sentence, lang)} ($T + 1 = {len(padded) - 1}$ symboles prédits, </s> compris).",
    )
    rows = [[v, w, fmt_number(p, lang)] for v, w, p in zip(padded[:-1], padded[1:], probs)]
    answer = md_table(["$w_{t-1}$", "$w_t$", "$p(w_t \\mid w_{t-1})$"], rows)
    answer += "\n\n" + tr(lang, "Perplexity", "Perplexité") + f"{colon(lang)} {fmt_decimal(ppl, lang)}."
    items = [graded(f"p({w}|{v})", p) for v, w, p in zip(padded[:-1], padded[1:], probs)]
    items.append(graded("perplexity", ppl))
    return Exercise("bigram_perplexity", tr(lang, "Perplexity under add-k smoothing", "Perplexité avec lissage add-k"),
                    statement, answer, data={"corpus": corpus, "sentence": sentence, "k": k, "V": V},
                    solution={"probs": probs, "perplexity": ppl}, items=items)


_ROWS = {2: [(1, 0), (3, 1), (1, 1), (1, 3), (1, 2), (2, 1)],  # weights, normalised below
         3: [(2, 1, 1), (1, 2, 1), (1, 1, 2), (0, 1, 1), (1, 0, 1), (1, 1, 0), (2, 0, 2), (1, 2, 1)]}


def stationary(rng, lang):
    """The stationary distribution pi = pi M of a 2- or 3-state chain."""
    S = int(rng.choice([2, 3]))
    states = tr(lang, ["sun", "cloud", "rain"], ["soleil", "nuage", "pluie"])[:S]
    for _ in range(100):  # draw rows until the chain is irreducible and aperiodic (bounded)
        rows = np.array([_ROWS[S][i] for i in rng.integers(len(_ROWS[S]), size=S)], dtype=float)
        M = rows / rows.sum(axis=1, keepdims=True)
        chain = MarkovChain.from_transition_matrix(M, states=states)
        if chain.is_irreducible() and chain.period() == 1:
            break
    pi = stationary_distribution(M)
    table = md_table([""] + states, [[s] + [fmt_number(p, lang) for p in row] for s, row in zip(states, M)])
    statement = tr(lang, "The weather follows a Markov chain with transition matrix $M = (p_{i,j})$ "
                         "(row $i$: today, column $j$: tomorrow):",
                   "La météo suit une chaîne de Markov de matrice de transition $M = (p_{i,j})$ "
                   "(ligne $i$ : aujourd'hui, colonne $j$ : demain) :")
    statement += "\n\n" + table + "\n\n" + tr(
        lang, "Find its stationary distribution $\\pi$ ($\\pi M = \\pi$, $\\sum_i \\pi_i = 1$).",
        "Trouver sa loi stationnaire $\\pi$ ($\\pi M = \\pi$, $\\sum_i \\pi_i = 1$).")
    sep = " ; " if lang == "fr" else ", "
    answer = "$\\pi$ = (" + sep.join(f"{s} {fmt_number(p, lang)}" for s, p in zip(states, pi)) + ").\n\n"
    answer += tr(lang, "Solve $\\pi M = \\pi$ with $\\sum_i \\pi_i = 1$; check: $\\pi M$ gives $\\pi$ back.",
                 "Résoudre $\\pi M = \\pi$ avec $\\sum_i \\pi_i = 1$ ; vérification : $\\pi M$ redonne $\\pi$.")
    return Exercise("stationary", tr(lang, "Stationary distribution", "Loi stationnaire"),
                    statement, answer, data={"matrix": M, "states": states}, solution={"pi": pi},
                    items=[graded(f"pi({s})", p) for s, p in zip(states, pi)])


MAKERS = [bigram_row, can_generate, markov_quiz, bigram_perplexity, stationary]
