"""The course's multiple-choice quizzes, worded as the course words them.

Each quiz is a question, its options and the reason the right one is right,
in French and English. The exam draws them with the options shuffled (the
key gives the reason), and the tour asks them in sections 1, 3 and 4 with the
numbers that show the answer (:mod:`scratch_genmod.tour.s01_bayes`, ``s03_markov``,
``s04_autoencoder``). The Markov quiz's answer depends on the corpus the chain
is trained on: :func:`generation_quiz` computes it.

>>> quiz = QUIZZES["probability"]
>>> [option.id for option in quiz.options if option.right]
['cannot_tell']
>>> ask(quiz, "en").splitlines()[0]
'A model M returns a probability p for a data point. Is M generative or discriminative?'
"""

from dataclasses import dataclass

from scratch_genmod.exam.exercise import Answer, Exercise, colon, tr
from scratch_genmod.markov import NGramModel, tokenize

__all__ = ["Option", "Quiz", "QUIZZES", "ask", "explain", "probability_quiz", "capacity_quiz", "quiz_exercise",
           "GENERATION_SENTENCES", "generation_quiz"]


@dataclass(frozen=True)
class Option:
    """One option of a quiz: its id, its text in each language, whether it is right.

    >>> Option("generative", en="generative", fr="génératif").right
    False
    """

    id: str
    en: str
    fr: str
    right: bool = False


@dataclass(frozen=True)
class Quiz:
    """A question with its options and the reason for the answer, in both languages.

    >>> [option.fr for option in QUIZZES["probability"].options]
    ['discriminant', 'génératif', 'on ne peut pas savoir']
    """

    id: str
    title_en: str
    title_fr: str
    question_en: str
    question_fr: str
    options: tuple
    reason_en: str
    reason_fr: str


QUIZZES = {
    "probability": Quiz(
        "probability", "A probability p: generative or discriminative?",
        "Une probabilité p : génératif ou discriminant ?",
        "A model M returns a probability p for a data point. Is M generative or discriminative?",
        "Un modèle M renvoie une probabilité p pour une donnée. M est-il génératif ou discriminant ?",
        (Option("discriminative", "discriminative", "discriminant"),
         Option("generative", "generative", "génératif"),
         Option("cannot_tell", "one cannot tell", "on ne peut pas savoir", right=True)),
        "a discriminative model returns P(y | x) and a generative one P(x) or P(x | y): both are "
        "\"a probability for a data point\", so p alone does not tell which model gave it",
        "un modèle discriminant renvoie P(y | x) et un modèle génératif P(x) ou P(x | y) : les deux "
        "sont « une probabilité pour une donnée », p seul ne dit donc pas quel modèle l'a donnée"),
    "capacity": Quiz(
        "capacity", "The main advantage of an autoencoder over PCA",
        "Le principal avantage d'un autoencodeur sur l'ACP",
        "What is the main advantage of an autoencoder over PCA?",
        "Quel est le principal avantage d'un autoencodeur par rapport à l'ACP ?",
        (Option("faster", "it is faster", "il est plus rapide"),
         Option("capacity", "it has a larger capacity", "il a une plus grande capacité", right=True),
         Option("fewer_parameters", "it has fewer parameters", "il a moins de paramètres"),
         Option("better_reconstruction", "it always reconstructs better",
                "il reconstruit toujours mieux")),
        "its non-linear encoder and decoder can follow a curved manifold that no linear subspace "
        "holds; it is slower to train and has more parameters than PCA, and with identity "
        "activations it finds PCA's subspace and PCA's error, so a better reconstruction is not "
        "guaranteed",
        "son encodeur et son décodeur non linéaires peuvent suivre une variété courbe qu'aucun "
        "sous-espace linéaire ne contient ; il est plus lent à entraîner et a plus de paramètres "
        "que l'ACP, et avec des activations identité il trouve le sous-espace et l'erreur de "
        "l'ACP : une meilleure reconstruction n'est donc pas garantie"),
}


def ask(quiz, lang, options=None, marks="123456"):
    """The question and its options as text, one a line: ``(1) ...`` (``options``: an order)."""
    options = quiz.options if options is None else options
    lines = [tr(lang, quiz.question_en, quiz.question_fr)]
    lines += [f"({mark}) {tr(lang, o.en, o.fr)}" for mark, o in zip(marks, options)]
    return "\n".join(lines)


def explain(quiz, lang):
    """The right option and why, as one sentence."""
    right = next(o for o in quiz.options if o.right)
    return f"{tr(lang, right.en, right.fr)}{colon(lang)} {tr(lang, quiz.reason_en, quiz.reason_fr)}."


def quiz_exercise(quiz, rng, lang):
    """The quiz as an exercise: options shuffled, the key naming the right one and why."""
    options = [quiz.options[i] for i in rng.permutation(len(quiz.options))]
    texts = tuple(tr(lang, o.en, o.fr) for o in options)
    right = next(k for k, o in enumerate(options) if o.right)
    question = tr(lang, quiz.question_en, quiz.question_fr)
    letters = "abcdef"
    statement = question + "\n\n" + "\n".join(f"{c}. {t}" for c, t in zip(letters, texts))
    reason = tr(lang, quiz.reason_en, quiz.reason_fr)
    answer = f"{letters[right]}. **{texts[right]}**{colon(lang)} {reason}."
    # Moodle shows each option's own feedback: its verdict, then why the right one is right
    verdicts = [tr(lang, "right", "juste") if o.right else tr(lang, "no", "non") for o in options]
    instead = tr(lang, f"the answer is *{texts[right]}*, since", f"la réponse est *{texts[right]}*, car")
    feedback = [f"**{v}**{colon(lang)} {'' if o.right else instead + ' '}{reason}." for v, o in zip(verdicts, options)]
    return Exercise(f"{quiz.id}_quiz", tr(lang, quiz.title_en, quiz.title_fr), statement, answer,
                    data={"options": [o.id for o in options]}, solution={"right": right},
                    items=[Answer("answer", texts[right], 0.0, texts)],
                    quiz=[(text, o.right) for text, o in zip(texts, options)], option_feedback=feedback)


def probability_quiz(rng, lang):
    """The course's quiz: a model returns a probability p; generative or discriminative?"""
    return quiz_exercise(QUIZZES["probability"], rng, lang)


def capacity_quiz(rng, lang):
    """The course's quiz: the main advantage of an autoencoder over PCA."""
    return quiz_exercise(QUIZZES["capacity"], rng, lang)


GENERATION_SENTENCES = ("j'aime l'intelligence artificielle", "machine learning")


def generation_quiz(corpus, corpus_lang="fr", sentences=GENERATION_SENTENCES):
    """The course's Markov quiz, answered for a chain trained on ``corpus``.

    An order-1 chain (bigrams, p_{i,j} = N_{i,j} / N_i by counting, no
    smoothing) generates a sentence when every transition along it, from the
    sentence start, was seen: p > 0 at each step. The options are the course's
    four: both sentences, only the first, only the second, neither.

    Parameters
    ----------
    corpus : str or list of list of str
        The training text (the course's: :func:`scratch_genmod.datasets.course_corpus`).
    corpus_lang : {"fr", "en"}, default="fr"
        The corpus's language, for its tokenizer.
    sentences : tuple of two str, default=GENERATION_SENTENCES
        The course's "j'aime l'intelligence artificielle" and "machine learning".

    Returns
    -------
    quiz : Quiz
        Its right option computed; its reason names, for each sentence, the
        first transition never seen (or says that every one was).
    checks : list of GenerationCheck
        ``NGramModel.can_generate(..., explain=True)`` for each sentence.

    Examples
    --------
    >>> quiz, checks = generation_quiz("Ali est ici. Ali aime le bleu.")
    >>> [o.id for o in quiz.options if o.right], [bool(c) for c in checks]
    (['neither'], [False, False])
    >>> explain(quiz, "en")
    "neither: j' never occurs in the corpus; machine never occurs in the corpus."
    """
    if len(sentences) != 2 or not all(isinstance(t, str) and t.strip() for t in sentences):
        raise ValueError(f"sentences must be two non-empty strings, got {sentences!r}")
    model = NGramModel(order=1, smoothing="mle", lowercase=True, lang=corpus_lang).fit(corpus)
    words = set(model.vocabulary_.tolist())
    checks = [model.can_generate(tokenize(t, lowercase=True), explain=True) for t in sentences]
    first, second = (bool(c) for c in checks)
    right = {(True, True): "both", (True, False): "first", (False, True): "second",
             (False, False): "neither"}[first, second]
    a, b = sentences
    options = (Option("both", "both", "les deux", right == "both"),
               Option("first", f'only "{a}"', f"seulement « {a} »", right == "first"),
               Option("second", f'only "{b}"', f"seulement « {b} »", right == "second"),
               Option("neither", "neither", "aucune des deux", right == "neither"))
    reasons = [_why(c, words) for c in checks]
    quiz = Quiz(
        "generation", "What a Markov chain can generate", "Ce qu'une chaîne de Markov peut générer",
        f'A Markov chain of order 1 (bigrams) is trained on a corpus by counting. Which of these '
        f'sentences can it generate: "{a}", "{b}"?',
        f"Une chaîne de Markov d'ordre 1 (bigrammes) est estimée sur un corpus par comptage. "
        f"Laquelle de ces phrases peut-elle générer : « {a} », « {b} » ?",
        options, "; ".join(en for en, _ in reasons), " ; ".join(fr for _, fr in reasons))
    return quiz, checks


def _why(check, words):
    """(en, fr): why a sentence can or cannot be generated, from its GenerationCheck."""
    if check:
        return ("each of its transitions occurs in the corpus",
                "chacune de ses transitions apparaît dans le corpus")
    (previous,), token = check.missing
    if token not in words:
        return f"{token} never occurs in the corpus", f"« {token} » n'apparaît jamais dans le corpus"
    return (f"the transition {previous} -> {token} never occurs in the corpus",
            f"la transition {previous} -> {token} n'apparaît jamais dans le corpus")
