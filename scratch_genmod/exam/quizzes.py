"""The course's two multiple-choice quizzes, worded as the course words them.

Each quiz is a question, its options and the reason the right one is right,
in French and English. The exam draws them with the options shuffled (the
key gives the reason), and the tour asks them in sections 1 and 4 with the
numbers that show the answer (``demos/01_*.py``, ``demos/04_autoencoder.py``).

>>> quiz = QUIZZES["probability"]
>>> [option.id for option in quiz.options if option.right]
['cannot_tell']
>>> ask(quiz, "en").splitlines()[0]
'A model M returns a probability p for a data point. Is M generative or discriminative?'
"""

from dataclasses import dataclass

from scratch_genmod.exam.exercise import Answer, Exercise, colon, tr

__all__ = ["Option", "Quiz", "QUIZZES", "ask", "explain", "probability_quiz", "capacity_quiz"]


@dataclass(frozen=True)
class Option:
    """One option of a quiz: its id, its text in each language, whether it is right."""

    id: str
    en: str
    fr: str
    right: bool = False


@dataclass(frozen=True)
class Quiz:
    """A question with its options and the reason for the answer, in both languages."""

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


def _quiz_exercise(quiz, rng, lang):
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
    instead = tr(lang, f"the answer is “{texts[right]}”, since", f"la réponse est « {texts[right]} », car")
    feedback = [f"**{v}**{colon(lang)} {'' if o.right else instead + ' '}{reason}." for v, o in zip(verdicts, options)]
    return Exercise(f"{quiz.id}_quiz", tr(lang, quiz.title_en, quiz.title_fr), statement, answer,
                    data={"options": [o.id for o in options]}, solution={"right": right},
                    items=[Answer("answer", texts[right], 0.0, texts)],
                    quiz=[(text, o.right) for text, o in zip(texts, options)], option_feedback=feedback)


def probability_quiz(rng, lang):
    """The course's quiz: a model returns a probability p; generative or discriminative?"""
    return _quiz_exercise(QUIZZES["probability"], rng, lang)


def capacity_quiz(rng, lang):
    """The course's quiz: the main advantage of an autoencoder over PCA."""
    return _quiz_exercise(QUIZZES["capacity"], rng, lang)
