"""The sheet's small Markdown, rendered as LaTeX (the ``.tex`` export) or HTML (Moodle's question text).

The sheet uses a fixed subset: ``#``/``##`` headings, paragraphs, tables of
``| a | b |`` rows, lists whose lines start with ``1.``, ``a.`` or ``-``,
``**bold**`` and ``*italics*``, and maths in LaTeX between ``$...$``, which
both renderers keep as LaTeX (HTML puts it in ``\\(...\\)`` for Moodle's
MathJax filter).

>>> to_latex("**Yes**: $p_{i,j} = 1/2$ & 50 %")
'\\\\textbf{Yes}: $p_{i,j} = 1/2$ \\\\& 50 \\\\%'
>>> to_html("a < b, $x < 1$")
'<p>a &lt; b, \\\\(x &lt; 1\\\\)</p>'
"""

import html
import re

__all__ = ["blocks", "to_latex", "to_html", "latex_document"]

_LIST = re.compile(r"^(\d+\.|[a-e]\.|-) ")
_LATEX_SPECIALS = {"\\": "\\textbackslash{}", "{": "\\{", "}": "\\}", "%": "\\%", "&": "\\&", "#": "\\#",
                   "_": "\\_", "^": "\\^{}", "~": "\\~{}", "$": "\\$", "\u202f": "\\,", "≈": "$\\approx$"}


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
    pieces = text.split("$")
    out = []
    for i, piece in enumerate(pieces):
        if i % 2:
            out.append(math(piece))
        else:
            piece = escape(piece)
            piece = re.sub(r"\*\*(.+?)\*\*", lambda m: bold(m.group(1)), piece)
            out.append(re.sub(r"\*(.+?)\*", lambda m: italic(m.group(1)), piece))
    return "".join(out)


def _latex_inline(text):
    return _inline(text, lambda s: "".join(_LATEX_SPECIALS.get(ch, ch) for ch in s),
                   lambda m: f"${m}$", lambda b: f"\\textbf{{{b}}}", lambda t: f"\\emph{{{t}}}")


def _html_inline(text):
    return _inline(text, html.escape, lambda m: f"\\({html.escape(m)}\\)",
                   lambda b: f"<b>{b}</b>", lambda t: f"<i>{t}</i>")


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
