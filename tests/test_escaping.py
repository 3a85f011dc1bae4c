"""Tests of scratch_genmod/escaping.py: a user's text lands in every format as text, never as markup."""

import html
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from scratch_genmod.escaping import html_text, latex_text, markdown_text, xml_text
from scratch_genmod.exam.markup import to_html, to_latex

# Every character class that means something to one of the formats, and the rest of Unicode.
HOSTILE = st.text(st.one_of(st.sampled_from(list("\\{}$%&#_^~*|<>\"'`[]()!-+.=:;?\n\r\t\x00\x0b\u2028é≈\u202f")),
                            st.characters(codec="utf-8")), max_size=40)  # no lone surrogate: a file holds UTF-8

# How LaTeX reads back each escape latex_text writes, written out here independently.
_LATEX_READ = [("\\textbackslash{}", "\\"), ("\\{", "{"), ("\\}", "}"), ("\\%", "%"), ("\\&", "&"),
               ("\\#", "#"), ("\\_", "_"), ("\\^{}", "^"), ("\\~{}", "~"), ("\\$", "$"),
               ("$\\approx$", "≈"), ("\\,", "\u202f")]


def plain(text, keep=""):
    """The text as a format must show it: control characters and line breaks as spaces, but those in ``keep``."""
    hidden = "\u2028\u2029\ufffe\uffff"
    return "".join(ch if ch in keep else " " if ord(ch) < 32 or 0x7f <= ord(ch) < 0xa0 or ch in hidden else ch
                   for ch in text)


def read_latex(tex):
    """The characters a LaTeX reader sees; fails on any markup latex_text would not write."""
    out, i = [], 0
    while i < len(tex):
        for written, char in _LATEX_READ:
            if tex.startswith(written, i):
                out.append(char)
                i += len(written)
                break
        else:
            assert tex[i] not in "\\{}$%&#_^~", f"unescaped {tex[i]!r} in {tex!r}"
            out.append(tex[i])
            i += 1
    return "".join(out)


@given(HOSTILE)
def test_latex_text_reads_back_as_the_text(text):
    assert read_latex(latex_text(text)) == plain(text)


@given(HOSTILE)
def test_html_and_xml_text_read_back_as_the_text_and_hold_no_tag(text):
    for escaped in (html_text(text), xml_text(text)):
        assert "<" not in escaped and ">" not in escaped and '"' not in escaped
    lines = "\t\n\r\u2028\u2029"  # HTML and XML keep the lines (a <pre> block)
    assert html.unescape(html_text(text)) == plain(text, lines)
    # XML 1.0 cannot hold most control characters even escaped: xml_text makes them spaces
    element = ET.fromstring(f'<t a="{xml_text(text)}">{xml_text(text)}</t>')
    assert (element.text or "") == plain(text, lines) and element.get("a") == plain(text, lines)


@given(HOSTILE)
def test_markdown_text_renders_as_the_text_in_latex_and_html(text):
    """The sheet's Markdown, rendered, shows the user's text: no maths, bold, heading, list or table."""
    shown = plain(text).strip()
    if not shown:
        return
    markdown = "Name : " + markdown_text(text)
    assert "\n" not in markdown
    assert to_latex(markdown) == latex_text("Name : " + plain(text).rstrip())
    assert to_html(markdown) == f"<p>{html_text('Name : ' + plain(text).rstrip())}</p>"
    alone = markdown_text(text.strip())  # at the start of a line too: no heading, list or table
    assert to_html(alone) == f"<p>{html_text(shown)}</p>"


def test_the_issue_reproducer():
    name = "$\\input{/etc/passwd}$"
    assert latex_text(name) == "\\$\\textbackslash{}input\\{/etc/passwd\\}\\$"
    assert markdown_text(name) == "\\$\\\\input{/etc/passwd}\\$"
    assert to_latex("Student : " + markdown_text(name)) == "Student : " + latex_text(name)
    assert "\\input" not in to_latex(markdown_text(name))
    assert markdown_text("Ada\n# Heading") == "Ada # Heading"  # one line: no heading
    assert markdown_text("# Ada") == "\\# Ada" and markdown_text("- Ada") == "\\- Ada"
    assert markdown_text("1. Ada") == "1\\. Ada" and markdown_text("b. Ada") == "b\\. Ada"
