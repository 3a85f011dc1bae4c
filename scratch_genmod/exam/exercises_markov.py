"""Exercises of section 3: Markov chains and n-grams."""

import numpy as np

from scratch_genmod.exam.exercise import Exercise, colon, fmt_number, md_table, tr
from scratch_genmod.markov import MarkovChain, NGramModel

__all__ = ["bigram_row", "can_generate", "stationary", "MAKERS"]

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


def _show(corpus):
    return "\n".join(f"- « {' '.join(s)} »" for s in corpus)


def bigram_row(rng, lang):
    """The row p(. | w) of an order-1 chain (bigram model) estimated by counting."""
    corpus = _corpus(rng, lang)
    model = NGramModel(order=1, bos=None, eos=None).fit(corpus)
    heads = sorted({s[i] for s in corpus for i in range(len(s) - 1)})
    # Ask for the word with the most varied continuations (ties: the first such word).
    variety = [len({s[i + 1] for s in corpus for i in range(len(s) - 1) if s[i] == w}) for w in heads]
    word = heads[int(np.argmax(variety))]
    row = {t: p for t, p in model.next_token_distribution([word]).items() if p > 0}
    statement = tr(lang, "An order-1 Markov chain is estimated by counting on this corpus:",
                   "On estime une chaîne de Markov d'ordre 1 par comptage sur ce corpus :")
    statement += "\n\n" + _show(corpus) + "\n\n" + tr(
        lang, f"Give the row of the transition matrix for « {word} »: p({word} -> w) for every word w.",
        f"Donner la ligne de la matrice de transition pour « {word} » : p({word} -> w) pour tout mot w.")
    answer = md_table(["w", f"p({word} -> w)"], [[t, fmt_number(p)] for t, p in row.items()])
    answer += "\n\n" + tr(lang, "Every other word has probability 0 (count of the bigram / count of the word).",
                          "Tout autre mot a la probabilité 0 (nombre du bigramme / nombre du mot).")
    return Exercise("bigram_row", tr(lang, "A row of the transition matrix", "Une ligne de la matrice de transition"),
                    statement, answer, data={"corpus": corpus, "word": word}, solution={"row": row})


def can_generate(rng, lang):
    """The course's quiz: which sentences can an order-1 chain trained on a corpus generate?"""
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
    letters = "abc"
    statement = tr(lang, "An order-1 chain (bigrams, with sentence start and end) is trained on:",
                   "Une chaîne d'ordre 1 (bigrammes, avec début et fin de phrase) est apprise sur :")
    statement += "\n\n" + _show(corpus) + "\n\n" + tr(
        lang, "Which of these sentences can it generate? Say why.",
        "Lesquelles de ces phrases peut-elle générer ? Justifier.")
    statement += "\n\n" + "\n".join(f"{c}. « {' '.join(s)} »" for c, s in zip(letters, candidates))
    lines = []
    for c, s, ok in zip(letters, candidates, verdicts):
        if ok:
            why = tr(lang, "every bigram of it occurs in the corpus", "chacun de ses bigrammes figure dans le corpus")
        else:
            pairs = list(zip(["<s>"] + s, s + ["</s>"]))
            missing = next(f"({u}, {v})" for u, v in pairs if model.prob(v, [u]) == 0.0)
            why = tr(lang, f"the bigram {missing} never occurs", f"le bigramme {missing} n'apparaît jamais")
        verdict = tr(lang, "yes" if ok else "no", "oui" if ok else "non")
        lines.append(f"{c}. **{verdict}**{colon(lang)} {why}.")
    return Exercise("can_generate", tr(lang, "What can a Markov chain generate?", "Que peut générer une chaîne de Markov ?"),
                    statement, "\n".join(lines), data={"corpus": corpus, "candidates": candidates},
                    solution={"can_generate": verdicts})


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
    pi = chain.stationary_distribution()
    table = md_table([""] + states, [[s] + [fmt_number(p) for p in row] for s, row in zip(states, M)])
    statement = tr(lang, "The weather follows a Markov chain with transition matrix M (row: today, column: tomorrow):",
                   "La météo suit une chaîne de Markov de matrice de transition M (ligne : aujourd'hui, colonne : demain) :")
    statement += "\n\n" + table + "\n\n" + tr(
        lang, "Find its stationary distribution pi (pi M = pi, sum of pi = 1).",
        "Trouver sa loi stationnaire pi (pi M = pi, somme de pi = 1).")
    answer = "pi = (" + ", ".join(f"{s} {fmt_number(p)}" for s, p in zip(states, pi)) + ").\n\n"
    answer += tr(lang, "Solve pi M = pi with sum pi = 1; check: pi M gives pi back.",
                 "Résoudre pi M = pi avec somme pi = 1 ; vérification : pi M redonne pi.")
    return Exercise("stationary", tr(lang, "Stationary distribution", "Loi stationnaire"),
                    statement, answer, data={"matrix": M, "states": states}, solution={"pi": pi})


MAKERS = [bigram_row, can_generate, stationary]
