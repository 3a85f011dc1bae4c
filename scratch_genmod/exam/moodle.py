"""Moodle XML export: one question category per exercise type, one question per variant.

Moodle's "random question" then draws one variant of each category per
student. An exercise with one number is a ``numerical`` question (with its
tolerance); a quiz (which models are generative, what a chain can generate,
autoencoder or PCA) a ``multichoice`` question with several right options;
any other exercise (tables, several numbers) a ``cloze`` question with one
embedded ``NUMERICAL`` or ``MULTICHOICE`` answer per value asked. Answers are
written with a decimal point; Moodle reads a student's ``0,25`` as well when
the course's language uses the decimal comma. The answer key goes into each
question's general feedback. Moodle shuffles a multichoice question's options
for each student, so there each option carries its own feedback and the
general feedback names the options by their text, never by a letter.

Fractions of a multichoice question are among the values Moodle accepts:
``100 / r`` for each of the ``r`` right options (r <= 5) and ``-100 / w`` for
each of the ``w`` wrong ones.
"""

from fractions import Fraction

from scratch_genmod.escaping import xml_text
from scratch_genmod.exam.exercise import tr
from scratch_genmod.exam.markup import to_html

__all__ = ["moodle_xml", "machine_number"]


def machine_number(value):
    """A number as Moodle and the grading CSV read it: a decimal point, 10 significant digits.

    >>> machine_number(Fraction(1, 3)), machine_number(2.0), machine_number(-0.0)
    ('0.3333333333', '2', '0')
    """
    text = f"{float(value):.10g}"
    return "0" if text == "-0" else text


def moodle_xml(variants, lang, seed):
    """The Moodle XML document for a class.

    Parameters
    ----------
    variants : list of (student_id, list of Exercise)
        Every variant has the same exercise types in the same order.
    lang : {"fr", "en"}
    seed : int
        The sheet seed (named in the category path).

    Returns
    -------
    str
    """
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    top = f"$course$/top/scratch_genmod {tr(lang, 'seed', 'sujet')} {seed}"
    for number, first in enumerate(variants[0][1], start=1):
        out += ['  <question type="category">',
                f"    <category><text>{xml_text(f'{top}/{number:02d} {first.title}')}</text></category>",
                "  </question>"]
        for student, exercises in variants:
            out += _question(exercises[number - 1], f"{number:02d} {first.kind} {student}", lang)
    return "\n".join(out + ["</quiz>", ""])


def _question(ex, name, lang):
    feedback = ex.answer
    if ex.quiz is not None:
        kind, text, answers = "multichoice", _without_options(ex.statement), _choices(ex.quiz, ex.option_feedback)
        # the options are shuffled for each student: the key names them by their text, never by a letter
        feedback = "\n".join(f"- {option} — {said}" for (option, _), said in zip(ex.quiz, ex.option_feedback))
    elif len(ex.items) == 1 and not ex.items[0].choices:
        item = ex.items[0]
        kind, text = "numerical", ex.statement
        answers = [f'    <answer fraction="100" format="moodle_auto_format"><text>{machine_number(item.value)}</text>'
                   f"<tolerance>{machine_number(item.tolerance)}</tolerance></answer>"]
    else:
        kind, text, answers = "cloze", ex.statement + "\n\n" + _cloze(ex.items, lang), []
    lines = [f'  <question type="{kind}">', f"    <name><text>{xml_text(name)}</text></name>",
             f'    <questiontext format="html"><text><![CDATA[{to_html(text)}]]></text></questiontext>',
             f'    <generalfeedback format="html"><text><![CDATA[{to_html(feedback)}]]></text></generalfeedback>',
             "    <defaultgrade>1</defaultgrade>", "    <penalty>0.3333333</penalty>", "    <hidden>0</hidden>"]
    if kind == "multichoice":  # one right option: a radio button; several: check boxes
        single = "true" if sum(ok for _, ok in ex.quiz) == 1 else "false"
        lines += [f"    <single>{single}</single>", "    <shuffleanswers>true</shuffleanswers>",
                  "    <answernumbering>abc</answernumbering>"]
    return lines + answers + ["  </question>"]


def _without_options(statement):
    """The statement without its lettered options (they become the question's answers)."""
    return "\n".join(ln for ln in statement.split("\n") if not (len(ln) > 2 and ln[1:3] == ". " and ln[0] in "abcde"))


def _choices(quiz, feedback):
    """One ``<answer>`` per option, each with its own feedback (what the key says of that option)."""
    if feedback is None or len(feedback) != len(quiz):
        raise ValueError(f"a quiz needs one feedback per option: {len(quiz)} options, "
                         f"{'no' if feedback is None else len(feedback)} feedback")
    right = sum(ok for _, ok in quiz)
    wrong = len(quiz) - right
    out = []
    for (text, ok), said in zip(quiz, feedback):  # a wrong tick costs only where several options are right
        fraction = _fraction(100 / right) if ok else _fraction(-100 / wrong if right > 1 else 0)
        out.append(f'    <answer fraction="{fraction}" format="html"><text><![CDATA[{to_html(text)}]]></text>'
                   f'<feedback format="html"><text><![CDATA[{to_html(said)}]]></text></feedback></answer>')
    return out


def _fraction(value):
    """A percentage written as Moodle's own list writes it (5 decimals at most, no trailing zeros)."""
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _cloze(items, lang):
    """One line per graded value, each with its embedded answer."""
    lines = [tr(lang, "*Answers (decimal point):*", "*Réponses (virgule ou point décimal) :*"), ""]
    for item in items:
        if item.choices:
            options = "~".join(("=" if c == item.value else "") + _cloze_escape(c) for c in item.choices)
            blank = f"{{1:MULTICHOICE:{options}}}"
        else:
            blank = f"{{1:NUMERICAL:={machine_number(item.value)}:{machine_number(item.tolerance)}}}"
        lines.append(f"- {item.label} = {blank}")
    return "\n".join(lines)


def _cloze_escape(text):
    for ch in "\\}#~/\"":
        text = text.replace(ch, "\\" + ch)
    return text


