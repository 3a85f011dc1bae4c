import pytest

from scratch_genmod.datasets import course_corpus
from scratch_genmod.markov import detokenize, sentences, tokenize
from scratch_genmod.markov import tokenizer
from scratch_genmod.markov.tokenizer import read_corpus


def test_french_elisions_keep_apostrophe_on_the_left():
    assert tokenize("Le vélo d'Ali") == ["Le", "vélo", "d'", "Ali"]
    assert tokenize("l’intelligence artificielle") == ["l'", "intelligence", "artificielle"]
    assert tokenize("Qu'est-ce qu'il dit aujourd'hui ?") == [
        "Qu'", "est-ce", "qu'", "il", "dit", "aujourd'hui", "?"]


def test_english_keeps_inner_apostrophes():
    assert tokenize("I don't know Mr. Darcy's aunt.", lang="en") == [
        "I", "don't", "know", "Mr", ".", "Darcy's", "aunt", "."]


def test_punctuation_numbers_and_lowercase():
    assert tokenize("« Oui ! » dit-il, 3,5 km...", lowercase=True) == [
        "«", "oui", "!", "»", "dit-il", ",", "3", ",", "5", "km", "..."]


def test_dialogue_dash_is_one_token():
    assert tokenize("-- Oui, dit-il -- non.") == ["--", "Oui", ",", "dit-il", "--", "non", "."]
    assert detokenize(tokenize("-- Oui.")) == "-- Oui."


def test_course_corpus_sentences():
    got = sentences(course_corpus(), lowercase=True)
    assert got == [["ali", "est", "ici", "."], ["ali", "aime", "le", "bleu", "."],
                   ["le", "vélo", "d'", "ali", "est", "bleu", "."], ["qui", "est", "ali", "?"]]


def test_sentence_ends_closing_quotes_and_paragraphs():
    text = "« Viens-tu ? » Il part.\n\nCHAPITRE II\n\nFin"
    assert sentences(text) == [["«", "Viens-tu", "?", "»"], ["Il", "part", "."],
                               ["CHAPITRE", "II"], ["Fin"]]
    assert sentences("Quoi ?! Non...") == [["Quoi", "?", "!"], ["Non", "..."]]
    assert sentences("") == [] and tokenize("  \n ") == []


def test_detokenize_french_and_english_spacing():
    assert detokenize(["«", "Qui", "est", "là", "?", "»", "dit", "Ali", "."]) == \
        "« Qui est là ? » dit Ali."
    assert detokenize(["Le", "vélo", "d'", "Ali", ":", "bleu", "!"]) == "Le vélo d'Ali : bleu !"
    assert detokenize(["Who", "is", "it", "?", "(", "Ali", ")", ";", "yes", "."], lang="en") == \
        "Who is it? (Ali); yes."
    assert detokenize([]) == ""


@pytest.mark.parametrize("text", ["Ali est ici.", "Le vélo d'Ali est bleu.", "Qui est Ali ?",
                                  "« Qui ? » Moi, l'ami d'Ali !"])
def test_round_trip(text):
    assert detokenize(tokenize(text)) == text


def test_bad_input_names_argument():
    with pytest.raises(TypeError, match="text"):
        tokenize(["a"])
    with pytest.raises(ValueError, match="lang"):
        tokenize("a", lang="de")
    with pytest.raises(TypeError, match="lowercase must be True or False"):
        tokenize("A", lowercase="no")
    with pytest.raises(TypeError, match="tokens"):
        detokenize(["a", 1])
    with pytest.raises(TypeError, match="corpus"):
        read_corpus([["a", 1]])
    with pytest.raises(TypeError, match="corpus"):
        read_corpus(["ab", ["c"]])
    with pytest.raises(TypeError, match="corpus"):
        read_corpus(42)


def test_characters_are_cut_into_paragraphs():
    assert read_corpus("ab c\nd\n\n e", tokens="chars") == [list("ab c d"), ["e"]]


@pytest.mark.parametrize("word", ["d", "l", "qu", "j", "n", "s", "c", "D", "Qu", "jusqu", "lorsqu"])
def test_trailing_elision_is_one_token_as_inside_a_sentence(word):
    """A prompt ending in an elision ("Le vélo d'") keeps "d'" whole, as "d'Ali" does."""
    inside = tokenize(f"Le vélo {word}'Ali")
    assert inside == ["Le", "vélo", f"{word}'", "Ali"]
    assert tokenize(f"Le vélo {word}'") == inside[:3]
    assert tokenize(f"Le vélo {word}’  ") == inside[:3]         # typographic apostrophe, spaces
    assert tokenize(f"Le vélo {word}' .") == inside[:3] + ["."]


def test_an_apostrophe_that_elides_nothing_stays_punctuation():
    assert tokenize("les amis' vélos") == ["les", "amis", "'", "vélos"]
    assert tokenize("l'", lang="en") == ["l", "'"]              # English has no elisions


def test_guess_lang_reads_the_first_guess_chars_of_raw_text(monkeypatch):
    # French signs (a space before "?", an elision) after English ones: read
    # whole, the text is French; read up to its English part alone, English.
    english, french = "Who is it? It's me. ", "Qui est-ce ? C'est l'ami ; oui ! "
    text = english + french * 3
    assert tokenizer.guess_lang(text) == "fr"
    monkeypatch.setattr(tokenizer, "GUESS_CHARS", len(english))
    assert tokenizer.guess_lang(text) == "en"
    assert tokenizer.guess_lang([["l'", "ami"]] * 3 + [["it's"]]) == "fr"  # token lists: all read
