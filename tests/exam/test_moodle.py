"""Moodle's multiple-choice questions: feedback right whatever order a student sees the options in."""

import re
import xml.etree.ElementTree as ET

import pytest

from scratch_genmod.exam.markup import to_html
from scratch_genmod.exam.moodle import moodle_xml
from scratch_genmod.exam.sheet import make_exercises

# The verdict each kind of option gets, right and wrong (the course's words, both languages).
RIGHT = {"génératif", "generative", "vrai", "true", "oui", "yes", "juste", "right"}
WRONG = {"discriminant", "discriminative", "faux", "false", "non", "no"}
# A reference to an option by its place: "a. ...", "(b)", "option c" - wrong once Moodle shuffles.
LETTER = re.compile(r"(^|<p>|<br/>)[\s-]*\(?[a-e][.)]\s|\boption [a-e]\b|\([a-e]\)")


def questions(lang, seeds=range(6)):
    variants = [(f"s{seed}", make_exercises(seed, lang)) for seed in seeds]
    root = ET.fromstring(moodle_xml(variants, lang, seed=0))
    return [q for q in root.iter("question") if q.get("type") == "multichoice"]


def verdict(html):
    """The first bold word of a feedback: its verdict."""
    match = re.search(r"<b>([^<]+)</b>", html)
    return match.group(1).strip().lower() if match else None


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_multichoice_feedback_names_options_by_their_text_and_each_option_has_its_own(lang):
    found = questions(lang)
    assert len(found) >= 6 * 5  # every quiz type of six sheets
    for q in found:
        assert q.findtext("shuffleanswers") == "true"
        general = q.find("generalfeedback").findtext("text")
        assert not LETTER.search(general), f"{q.findtext('name/text')}: a letter in {general!r}"
        for answer in q.findall("answer"):
            option = re.sub(r"</?p>", "", answer.findtext("text"))
            assert option in general  # the key names each option by its text
            feedback = answer.find("feedback")
            assert feedback is not None, f"{q.findtext('name/text')}: no feedback for {option!r}"
            said = verdict(feedback.findtext("text"))
            right = float(answer.get("fraction")) > 0
            assert said in (RIGHT if right else WRONG), f"{option!r}: fraction {answer.get('fraction')}, says {said!r}"
            assert not LETTER.search(feedback.findtext("text"))


def test_the_paper_key_keeps_its_letters():
    """On paper the order is fixed, so the key may name options by letter; only Moodle shuffles."""
    ex = next(e for e in make_exercises(1, "en") if e.kind == "generative_or_discriminative")
    assert ex.answer.startswith("a. **")
    assert len(ex.option_feedback) == len(ex.quiz) == 5
    assert to_html(ex.option_feedback[0]).startswith("<p><b>")
