"""NGramModel (ngram.py): generation from a prompt, saved models, the language's spacing.

The most probable sentence has its own tests in test_sentence_search.py.
"""

import pytest

from scratch_genmod.core import load, save
from scratch_genmod.datasets import course_corpus
from scratch_genmod.markov import NGramModel


def test_characters():
    text = "abracadabra\n\nabracadabra cadabra"
    model = NGramModel(order=3, tokens="chars").fit(text)
    # "bra" is followed by c, </s>, c, " ", </s> in the two paragraphs
    assert model.prob("a", "abr") == 1.0 and model.prob("c", "bra") == 2 / 5
    assert model.prob("</s>", "bra") == 2 / 5 and model.prob("b", "bra") == 0.0
    # greedy: ties go to the smallest id, and </s> comes before every letter
    assert model.generate(max_tokens=40, strategy="greedy") == "abra"
    assert model.generate(max_tokens=40, prompt="abrac", strategy="greedy") == "abracadabra"


def test_save_load_round_trip(tmp_path):
    model = NGramModel(order=2, smoothing="kneser-ney", random_state=5,
                       lowercase=True).fit(course_corpus())
    again = load(save(model, tmp_path / "ngram"))
    assert again.next_token_distribution("le") == model.next_token_distribution("le")
    assert again.perplexity("Qui aime le vélo ?") == model.perplexity("Qui aime le vélo ?")
    assert again.generate(random_state=1) == model.generate(random_state=1)


def test_bad_generation_arguments(course):
    with pytest.raises(ValueError, match="temperature"):
        course.generate(temperature=0)
    with pytest.raises(ValueError, match="top_k"):
        course.generate(top_k=0)
    with pytest.raises(ValueError, match="max_tokens"):
        course.generate(max_tokens=0)
    with pytest.raises(TypeError, match="stop_at_eos must be True or False"):
        course.generate(stop_at_eos="no")
    with pytest.raises(TypeError, match="prompt must be raw text .*, got int 5"):
        course.generate(5, prompt=5)


# -- issue 28: the default keeps English text English ---------------------------------

ENGLISH = ("Note: you may copy it? Yes! It's free; don't worry. Note: you may copy it? Yes!")
FRENCH = ("Note : vous pouvez le copier ? Oui ! C'est libre ; l'ami d'Ali. "
          "Note : vous pouvez le copier ? Oui !")


def test_english_text_gets_english_spacing_by_default():
    model = NGramModel(order=2).fit(ENGLISH)
    assert model.lang_ == "en"
    assert model.generate(prompt="Note", strategy="greedy") == "Note: you may copy it?"
    assert "don't" in model.vocabulary_.tolist()  # English keeps contractions whole


def test_french_text_keeps_french_spacing_by_default():
    model = NGramModel(order=2).fit(FRENCH)
    assert model.lang_ == "fr"
    assert model.generate(prompt="Note", strategy="greedy") == "Note : vous pouvez le copier ?"
    assert {"l'", "d'"} <= set(model.vocabulary_.tolist())  # French splits elisions


def test_an_explicit_lang_wins_over_the_guess():
    model = NGramModel(order=2, lang="fr").fit(ENGLISH)
    assert model.lang_ == "fr"
    assert model.generate(prompt="Note", strategy="greedy") == "Note : you may copy it ?"
    with pytest.raises(ValueError, match="lang must be one of 'fr', 'en'; got 'de'"):
        NGramModel(lang="de").fit(ENGLISH)
