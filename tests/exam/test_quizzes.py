"""The course's two quizzes: worded as the course words them, options shuffled, keys that explain."""

import re

import numpy as np
import pytest

from scratch_genmod.exam import make_exercises
from scratch_genmod.exam import sheet
from scratch_genmod.exam.exact import verify
from scratch_genmod.exam.quizzes import QUIZZES, ask, capacity_quiz, explain, generation_quiz, probability_quiz

# The course's options and answers, typed from the course.
COURSE = {
    "probability": (["discriminative", "generative", "one cannot tell"], "one cannot tell"),
    "capacity": (["it is faster", "it has a larger capacity", "it has fewer parameters",
                  "it always reconstructs better"], "it has a larger capacity"),
}


@pytest.mark.parametrize("name", sorted(COURSE))
def test_the_quiz_has_the_courses_options_and_answer(name):
    options, answer = COURSE[name]
    quiz = QUIZZES[name]
    assert [o.en for o in quiz.options] == options
    assert [o.en for o in quiz.options if o.right] == [answer]
    text = ask(quiz, "en")
    assert all(f"({k}) {o}" in text for k, o in enumerate(options, start=1))
    assert explain(quiz, "en").startswith(answer + ":")


@pytest.mark.parametrize("make, name", [(probability_quiz, "probability"), (capacity_quiz, "capacity")])
def test_exam_options_are_shuffled_and_the_key_gives_the_reason(make, name):
    quiz = QUIZZES[name]
    orders = set()
    for seed in range(40):
        for lang in ("en", "fr"):
            ex = make(np.random.default_rng(seed), lang)
            verify(ex)
            (item,) = ex.items
            right = next(o for o in quiz.options if o.right)
            assert item.value == (right.en if lang == "en" else right.fr)
            assert sorted(item.choices) == sorted(o.en if lang == "en" else o.fr for o in quiz.options)
            assert [ok for _, ok in ex.quiz] == [c == item.value for c in item.choices]
            assert (quiz.reason_en if lang == "en" else quiz.reason_fr) in ex.answer
            orders.add(tuple(ex.data["options"]))
    assert len(orders) > 2  # the options really move


def test_the_quizzes_are_on_every_sheet_in_the_courses_sections():
    kinds = [ex.kind for ex in make_exercises(seed=5, lang="fr")]
    assert kinds.index("probability_quiz") < kinds.index("kde_value")      # section 1
    assert kinds.index("autoencoder_vs_pca") < kinds.index("capacity_quiz")   # section 4


def test_a_types_numbers_do_not_depend_on_which_other_types_are_on_the_sheet(monkeypatch):
    before = {ex.kind: ex.statement for ex in make_exercises(seed=7, lang="en")}
    makers = sheet.exercise_types()
    monkeypatch.setattr(sheet, "exercise_types", lambda: makers[3:][::-1])
    after = {ex.kind: ex.statement for ex in make_exercises(seed=7, lang="en")}
    assert len(after) == len(before) - 3 and all(after[kind] == before[kind] for kind in after)


@pytest.mark.parametrize("corpus, right, reason_en", [
    ("Ali est ici. Ali aime le bleu.", "neither",
     "j' never occurs in the corpus; machine never occurs in the corpus"),
    ("Machine learning est ici.", "second",
     "j' never occurs in the corpus; each of its transitions occurs in the corpus"),
    ("J'aime l'intelligence artificielle. Machine learning.", "both",
     "each of its transitions occurs in the corpus; each of its transitions occurs in the corpus"),
    # every word is known, but "aime" is never followed by "l'", nor is a sentence opened by "learning"
    ("J'aime ali. L'intelligence artificielle. Le machine learning.", "neither",
     "the transition aime -> l' never occurs in the corpus; the transition <s> -> machine never "
     "occurs in the corpus"),
])
def test_generation_quiz_answers_from_the_bigrams_of_the_corpus(corpus, right, reason_en):
    quiz, checks = generation_quiz(corpus)
    assert [o.id for o in quiz.options] == ["both", "first", "second", "neither"]
    assert [o.id for o in quiz.options if o.right] == [right]
    assert quiz.reason_en == reason_en
    assert [bool(c) for c in checks] == [right in ("both", "first"), right in ("both", "second")]
    assert "« j'aime l'intelligence artificielle », « machine learning » ?" in quiz.question_fr


def test_generation_quiz_refuses_other_than_two_sentences():
    with pytest.raises(ValueError, match=r"sentences must be two non-empty strings, got \('a',\)"):
        generation_quiz("a b.", sentences=("a",))


# The course's Markov quiz: its two sentences and four options, typed from the course.
MARKOV_SENTENCES = ["j'aime l'intelligence artificielle", "machine learning"]


def _bigrams_seen(corpus):
    """Every (previous, next) pair of the corpus, sentence start included, by a tokenizer written here."""
    seen = set()
    for sentence in corpus:
        words = re.findall(r"[a-zàâçéèêëîïôûùüœ]+'|[a-zàâçéèêëîïôûùüœ]+|[.!?,]", sentence.lower())
        seen |= set(zip(["<s>"] + words, words))
    return seen


def test_the_markov_quiz_asks_the_courses_sentences_and_its_answer_follows_the_corpus():
    answers = set()
    for seed in range(60):
        for lang in ("fr", "en"):
            ex = next(e for e in make_exercises(seed, lang) if e.kind == "generation_quiz")
            verify(ex)
            assert all(s in ex.statement for s in MARKOV_SENTENCES)
            assert all(f"« {s} »" in ex.statement or f"“{s}”" in ex.statement for s in ex.data["corpus"])
            assert len(ex.quiz) == 4 and sum(ok for _, ok in ex.quiz) == 1
            seen = _bigrams_seen(ex.data["corpus"])
            first = {("<s>", "j'"), ("j'", "aime"), ("aime", "l'"), ("l'", "intelligence"),
                     ("intelligence", "artificielle")} <= seen
            second = {("<s>", "machine"), ("machine", "learning")} <= seen
            right = {(True, True): "both", (True, False): "first", (False, True): "second",
                     (False, False): "neither"}[first, second]
            assert ex.data["options"][ex.solution["right"]] == right
            answers.add(right)
    assert answers == {"both", "first", "second", "neither"}  # every option is right on some sheet
