"""A user's text (a student's name, an id, a title) put into a file as text, never as markup.

One function per format a command writes, used everywhere that format is
written: :func:`latex_text`, :func:`markdown_text` (the exam's Markdown, which
the exam renders to LaTeX and HTML in turn), :func:`html_text` and
:func:`xml_text`. File names are not escaped but checked
(:func:`scratch_genmod.outputs.check_file_name`): two different ids must not
become one file.

Control characters (NUL, escape, ...) become spaces in every format: XML
cannot hold most of them even escaped, and a terminal or TeX would act on
them. Line breaks and tabs stay in HTML and XML (a ``<pre>`` block keeps its
lines); in LaTeX and Markdown text they become spaces too, since there a line
break can end a heading or a paragraph.

>>> latex_text("$\\\\input{/etc/passwd}$ & 50 %")
'\\\\$\\\\textbackslash{}input\\\\{/etc/passwd\\\\}\\\\$ \\\\& 50 \\\\%'
>>> markdown_text("**Ada**\\n# Lovelace")
'\\\\*\\\\*Ada\\\\*\\\\* # Lovelace'
>>> html_text('<b>"Ada"</b>'), xml_text("a\\x00b & c\\n")
('&lt;b&gt;&quot;Ada&quot;&lt;/b&gt;', 'a b &amp; c&#10;')
"""

import html
import re

__all__ = ["latex_text", "markdown_text", "html_text", "xml_text", "one_line"]

# LaTeX's special characters, each written so that it prints as itself (the documents
# use T1 fonts, which print < > | as they are), and two the sheets use outside maths.
_LATEX = {"\\": "\\textbackslash{}", "{": "\\{", "}": "\\}", "%": "\\%", "&": "\\&", "#": "\\#", "_": "\\_",
          "^": "\\^{}", "~": "\\~{}", "$": "\\$", "\u202f": "\\,", "≈": "$\\approx$"}
# Markdown's inline markup (CommonMark lets a backslash escape any ASCII punctuation).
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>$|~&])")
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_LINE_BREAKS = re.compile("[\t\n\r\u2028\u2029]")


def one_line(text):
    """``text`` with control characters, tabs and line breaks as spaces.

    >>> one_line("Ada\\r\\nLovelace\\x00")
    'Ada  Lovelace '
    """
    return _LINE_BREAKS.sub(" ", _visible(text))


def _visible(text):
    return _INVISIBLE.sub(" ", str(text))


def latex_text(text):
    """``text`` as LaTeX that prints it as it is (outside maths)."""
    return "".join(_LATEX.get(ch, ch) for ch in one_line(text))


def markdown_text(text):
    """``text`` as Markdown that shows it as it is: no maths, emphasis, link, tag, heading, list or table."""
    text = _MARKDOWN_INLINE.sub(r"\\\1", one_line(text))
    text = re.sub(r"^(\s*)([#+-])", r"\1\\\2", text)  # '# x' -> '\# x': not a heading or a list
    return re.sub(r"^(\s*)(\d+|[a-e])\.", r"\1\2\\.", text)  # '1. x' -> '1\. x': not a numbered list


def html_text(text):
    """``text`` as HTML text or attribute value (``<``, ``>``, ``&`` and both quotes escaped; lines kept)."""
    return html.escape(_visible(text), quote=True)


def xml_text(text):
    """``text`` as XML 1.0 text or attribute value (lines kept; the characters XML cannot hold become spaces)."""
    text = html.escape(_visible(text), quote=True).replace("&#x27;", "&apos;")
    # as character references, line breaks and tabs survive an XML parser's normalisation
    return text.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")
