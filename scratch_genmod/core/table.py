"""Aligned text tables, as a student would write them on paper.

>>> print(format_table([["ali", 0.5], ["est", 0.25]], header=["next", "p"]))
next     p
----  ----
ali    0.5
est   0.25
"""

import numbers

__all__ = ["format_table"]


def format_table(rows, header=None, floatfmt="{:.4g}", title=None):
    """Render ``rows`` (a list of lists) as an aligned plain-text table.

    Numbers are right-aligned and formatted with ``floatfmt``; everything
    else is left-aligned text. Returns the table as one string.

    Parameters
    ----------
    rows : list of sequences
    header : sequence of str or None, default=None
    floatfmt : str, default="{:.4g}"
        Format applied to non-integer numbers.
    title : str or None, default=None
        A line printed above the table.
    """
    rows = [list(r) for r in rows]
    width = max([len(r) for r in rows] + [len(header) if header else 0])
    cells = [[_cell(v, floatfmt) for v in r] + [""] * (width - len(r)) for r in rows]
    numeric = [all(_is_number(r[j]) for r in rows if j < len(r)) and bool(rows)
               for j in range(width)]
    head = [str(h) for h in header] + [""] * (width - len(header)) if header else None
    widths = [max([len(c[j]) for c in cells] + [len(head[j]) if head else 0])
              for j in range(width)]

    def render(line):
        return "  ".join(c.rjust(w) if num else c.ljust(w)
                         for c, w, num in zip(line, widths, numeric)).rstrip()

    lines = [title] if title else []
    if head:
        lines += [render(head), "  ".join("-" * w for w in widths)]
    lines += [render(c) for c in cells]
    return "\n".join(lines)


def _is_number(value):
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _cell(value, floatfmt):
    if _is_number(value) and not isinstance(value, numbers.Integral):
        return floatfmt.format(value)
    return str(value)
