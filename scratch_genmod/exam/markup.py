"""The sheet's small Markdown, rendered as LaTeX (the ``.tex`` export) or HTML (Moodle's question text).

The sheet uses a fixed subset: ``#``/``##`` headings, paragraphs, tables of
``| a | b |`` rows, lists whose lines start with ``1.``, ``a.`` or ``-``,
``**bold**`` and ``*italics*``, and maths in LaTeX between ``$...$``, which
both renderers keep as LaTeX (HTML puts it in ``\\(...\\)`` for Moodle's
MathJax filter). Outside maths a backslash before ASCII punctuation makes it
a plain character (``\\$``, ``\\*``), as in CommonMark: that is how a user's
text (:func:`scratch_genmod.escaping.markdown_text`) reaches the sheet.

>>> to_latex("**Yes**: $p_{i,j} = 1/2$ & 50 %")
'\\\\textbf{Yes}: $p_{i,j} = 1/2$ \\\\& 50 \\\\%'
>>> to_html("a < b, $x < 1$")
'<p>a &lt; b, \\\\(x &lt; 1\\\\)</p>'
"""

import re

from scratch_genmod.escaping import html_text, latex_text

__all__ = ["blocks", "to_latex", "to_html", "latex_document"]

_LIST = re.compile(r"^(\d+\.|[a-e]\.|-) ")
_ESCAPED = r"\\[!-/:-@\[-`{-~]"  # a backslash before ASCII punctuation
_MATH = re.compile(_ESCAPED + r"|\$([^$]*)\$")
_EMPHASIS = re.compile("(" + _ESCAPED + r")|\*\*(.+?)\*\*|\*(.+?)\*")


def blocks(markdown):
    """Split Markdown into ``(kind, lines)`` blocks: "h1", "h2", "table", "list" or "para"."""
    out = []
    for chunk in re.split(r"\n\s*\n", markdown.strip()):
        lines = [ln.rstrip() for ln in chunk.strip().split("\n") if ln.strip()]
        if not lines:
            continue
        if lines[0].startswith("## "):
            out.append(("h2", [lines[0][3:]]))
            lines = lines[1:]
        elif lines[0].startswith("# "):
            out.append(("h1", [lines[0][2:]]))
            lines = lines[1:]
        if not lines:
            continue
        if all(ln.startswith("|") for ln in lines):
            out.append(("table", lines))
        elif all(_LIST.match(ln) for ln in lines):
            out.append(("list", lines))
        else:
            out.append(("para", [" ".join(lines)]))
    return out


def _cells(line):
    cells = re.split(r"(?<!\\)\|", line.strip()[1:-1])
    return [c.strip().replace("\\|", "|") for c in cells]


def _inline(text, escape, math, bold, italic):
    """One line of text: maths kept, escaped characters plain, emphasis marked, the rest escaped."""
    out, at = [], 0
    for m in _MATH.finditer(text):
        if m.group(1) is not None:  # maths (an escaped character stays in the text around it)
            out.append(_emphasis(text[at:m.start()], escape, bold, italic))
            out.append(math(m.group(1)))
            at = m.end()
    return "".join(out) + _emphasis(text[at:], escape, bold, italic)


def _emphasis(text, escape, bold, italic):
    out, at = [], 0
    for m in _EMPHASIS.finditer(text):
        out.append(escape(text[at:m.start()]))
        if m.group(1) is not None:
            out.append(escape(m.group(1)[1]))
        elif m.group(2) is not None:
            out.append(bold(_emphasis(m.group(2), escape, bold, italic)))
        else:
            out.append(italic(_emphasis(m.group(3), escape, bold, italic)))
        at = m.end()
    return "".join(out) + escape(text[at:])


def _latex_inline(text):
    return _inline(text, latex_text, lambda m: f"${m}$", lambda b: f"\\textbf{{{b}}}", lambda t: f"\\emph{{{t}}}")


def _html_inline(text):
    return _inline(text, html_text, lambda m: f"\\({html_text(m)}\\)", lambda b: f"<b>{b}</b>", lambda t: f"<i>{t}</i>")


def to_latex(markdown):
    """The body of a LaTeX document for ``markdown``."""
    out = []
    for kind, lines in blocks(markdown):
        if kind == "h1":
            out.append(f"\\section*{{{_latex_inline(lines[0])}}}")
        elif kind == "h2":
            out.append(f"\\subsection*{{{_latex_inline(lines[0])}}}")
        elif kind == "table":
            rows = [_cells(ln) for ln in lines if not re.fullmatch(r"\|(-+\|)+", ln.replace(" ", ""))]
            body = [" & ".join(_latex_inline(c) for c in row) + " \\\\" for row in rows]
            out.append("\\begin{center}\\begin{tabular}{" + "c" * len(rows[0]) + "}\n\\hline\n" + body[0]
                       + "\n\\hline\n" + "\n".join(body[1:]) + "\n\\hline\n\\end{tabular}\\end{center}")
        elif kind == "list":
            items = [f"\\item[{_LIST.match(ln).group(1)}] {_latex_inline(ln[_LIST.match(ln).end():])}"
                     for ln in lines]
            out.append("\\begin{itemize}\n" + "\n".join(items).replace("\\item[-]", "\\item") + "\n\\end{itemize}")
        else:
            out.append(_latex_inline(lines[0]))
    return "\n\n".join(out)


def to_html(markdown):
    """HTML for ``markdown`` (no headings expected: a question's text)."""
    out = []
    for kind, lines in blocks(markdown):
        if kind in ("h1", "h2"):
            out.append(f"<h{kind[1]}>{_html_inline(lines[0])}</h{kind[1]}>")
        elif kind == "table":
            rows = [_cells(ln) for ln in lines if not re.fullmatch(r"\|(-+\|)+", ln.replace(" ", ""))]
            head = "".join(f"<th>{_html_inline(c)}</th>" for c in rows[0])
            body = "".join("<tr>" + "".join(f"<td>{_html_inline(c)}</td>" for c in row) + "</tr>" for row in rows[1:])
            out.append(f'<table border="1"><tr>{head}</tr>{body}</table>')
        elif kind == "list":
            out.append("<p>" + "<br/>".join(_html_inline(ln) for ln in lines) + "</p>")
        else:
            out.append(f"<p>{_html_inline(lines[0])}</p>")
    return "\n".join(out)


def latex_document(markdown, lang):
    """A complete, compilable LaTeX document (pdflatex) for a sheet or key in Markdown."""
    babel = "french" if lang == "fr" else "english"
    return ("\\documentclass[11pt,a4paper]{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage[T1]{fontenc}\n"
            f"\\usepackage[{babel}]{{babel}}\n\\usepackage{{amsmath,amssymb}}\n"
            "\\usepackage[margin=2cm]{geometry}\n\\setlength{\\parindent}{0pt}\n\\setlength{\\parskip}{0.6em}\n"
            "\\begin{document}\n\n" + to_latex(markdown) + "\n\n\\end{document}\n")
