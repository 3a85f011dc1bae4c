"""Probability tables counted from paired samples.

From n observed pairs (x_k, y_k) of discrete values the empirical laws are
frequencies:

    P(X=x, Y=y) = #{k : x_k = x, y_k = y} / n                (joint)
    P(X=x)      = sum_y P(X=x, Y=y)                          (marginal)
    P(Y=y | X=x) = P(X=x, Y=y) / P(X=x)                      (conditional)

(Bayes' rule on such tables, :func:`~scratch_genmod.bayes.bayes_rule.bayes_posterior`,
turns a likelihood table and a prior into a posterior.) The same numbers as
:func:`~scratch_genmod.bayes.textbook.count_pairs`, ``joint``, ``y_given_x``,
``x_given_y`` and ``marginal_x``, with labels attached.

x may be one discrete value or a row of several (x1, x2, ...): a row is then
one outcome. Only outcomes that occur in the data get a row or column; a value
never seen is not invented, and looking it up raises ``KeyError``.

Layout: a joint table has one row per x and one column per y; a conditional
table has one row per value of the *given* variable, so every row sums to 1.

>>> P = conditional_table([1, 1, 2, 2], [0, 0, 0, 1])
>>> print(P)
P(Y | X)
x  y=0  y=1
-  ---  ---
1    1    0
2  0.5  0.5
>>> float(P[2, 1])
0.5
"""

import numpy as np

from scratch_genmod.core.validation import check_choice, check_same_length
from scratch_genmod.bayes.checks import check_discrete
from scratch_genmod.core.table import format_table

__all__ = ["ProbabilityTable", "joint_table", "conditional_table", "marginal_table"]


class ProbabilityTable:
    """A table of probabilities with the labels of its rows and columns.

    Parameters
    ----------
    values : ndarray of shape (n_rows, n_columns) or (n_rows,)
        The probabilities; 1-D for a marginal law.
    row_labels : list
        One label per row: a value, or a tuple when the variable is a row of
        several values.
    column_labels : list or None, default=None
        One label per column; None for a 1-D (marginal) table.
    row_names : list of str, default=("x",)
        Names of the row variable's components (``["x1", "x2"]`` for a pair).
    column_name : str, default="y"
        Name of the column variable.
    title : str, default=""
        What the table is, e.g. ``"P(Y | X)"``.

    Attributes
    ----------
    values : ndarray
        A read-only copy of the probabilities.

    Notes
    -----
    ``table[row]`` gives a row (an array, or a float for a 1-D table) and
    ``table[row, column]`` one probability, looked up by label.

    Examples
    --------
    >>> P = ProbabilityTable([[0.5, 0.0], [0.25, 0.25]], ["x1", "x2"], [0, 1], title="P(X, Y)")
    >>> P["x2", 1], P["x1"].tolist()
    (0.25, [0.5, 0.0])
    """

    def __init__(self, values, row_labels, column_labels=None, row_names=("x",),
                 column_name="y", title=""):
        values = np.array(values, dtype=np.float64)
        values.flags.writeable = False
        self.values = values
        self.row_labels = list(row_labels)
        self.column_labels = None if column_labels is None else list(column_labels)
        self.row_names = list(row_names)
        self.column_name = column_name
        self.title = title
        self._row_index = {label: i for i, label in enumerate(self.row_labels)}
        self._column_index = {label: j for j, label in enumerate(self.column_labels or [])}

    def __getitem__(self, key):
        is_cell = (self.column_labels is not None and isinstance(key, tuple) and len(key) == 2
                   and _hashable(key[0]) and key[0] in self._row_index)
        if is_cell:
            row, column = key
            if column not in self._column_index:
                raise KeyError(f"{self.column_name}={column!r} is not a column of {self.title}; "
                               f"its columns are {self.column_labels}")
            return float(self.values[self._row_index[row], self._column_index[column]])
        if not _hashable(key) or key not in self._row_index:
            raise KeyError(f"{_row_title(self.row_names)}={key!r} is not a row of {self.title} "
                           f"(it never occurs in the data); its rows are {self.row_labels}")
        row = self.values[self._row_index[key]]
        return float(row) if self.values.ndim == 1 else row

    def to_rows(self):
        """``(header, rows)`` as written on paper: one column per component of the row label.

        What :meth:`to_text` renders; also what a report's table (e.g. the
        tour's ``ctx.table``) takes.
        """
        rows = [list(label) if isinstance(label, tuple) else [label]
                for label in self.row_labels]
        if self.values.ndim == 1:
            header = self.row_names + [self.title]
            rows = [r + [float(v)] for r, v in zip(rows, self.values)]
        else:
            header = self.row_names + [f"{self.column_name}={c}" for c in self.column_labels]
            rows = [r + [float(v) for v in vals] for r, vals in zip(rows, self.values)]
        return header, rows

    def to_text(self, floatfmt="{:.4g}"):
        """The table as aligned text (see :func:`~scratch_genmod.core.table.format_table`)."""
        header, rows = self.to_rows()
        return format_table(rows, header=header, floatfmt=floatfmt, title=self.title or None)

    def __str__(self):
        return self.to_text()

    def __repr__(self):
        return f"<ProbabilityTable {self.title} of shape {self.values.shape}>"


def joint_table(x, y, x_name="x", y_name="y"):
    """Empirical joint law P(X, Y) of paired samples.

    Same numbers as ``textbook.joint(textbook.count_pairs(x, y))``.

    Parameters
    ----------
    x : array-like of shape (n_samples,) or (n_samples, n_components)
        Discrete values (numbers or strings); a 2-D row is one outcome.
    y : array-like of shape (n_samples,)
        Discrete values paired with ``x``.
    x_name, y_name : str, default="x", "y"
        Names used in the rendering; a 2-D x gets components ``x1, x2, ...``.

    Returns
    -------
    ProbabilityTable
        Shape (n_distinct_x, n_distinct_y); all entries sum to 1.

    >>> print(joint_table([1, 1, 2, 2], [0, 0, 0, 1]))
    P(X, Y)
    x   y=0   y=1
    -  ----  ----
    1   0.5     0
    2  0.25  0.25
    """
    x_labels, x_index, y_labels, y_index, names = _encode_pairs(x, y, x_name)
    counts = np.zeros((len(x_labels), len(y_labels)))
    np.add.at(counts, (x_index, y_index), 1.0)
    return ProbabilityTable(counts / len(x_index), x_labels, y_labels, names, y_name,
                            f"P({x_name.upper()}, {y_name.upper()})")


def conditional_table(x, y, given="x", x_name="x", y_name="y"):
    """Empirical conditional law: P(Y | X) with ``given="x"``, P(X | Y) with ``given="y"``.

    Each row is the law of the other variable given the row's value, so each
    row sums to 1: P(Y=y | X=x) = #{x, y} / #{x}. Same numbers as
    :func:`scratch_genmod.bayes.textbook.y_given_x` (``given="x"``) and
    :func:`~scratch_genmod.bayes.textbook.x_given_y` (``given="y"``) of the joint.

    Parameters
    ----------
    x, y, x_name, y_name
        As in :func:`joint_table`.
    given : {"x", "y"}, default="x"
        The conditioning variable, whose values label the rows.

    Returns
    -------
    ProbabilityTable
        Shape (n_distinct_x, n_distinct_y) for ``given="x"``, its transpose
        for ``given="y"``.
    """
    given = check_choice(given, "given", ["x", "y"])
    joint = joint_table(x, y, x_name, y_name)
    X, Y = x_name.upper(), y_name.upper()
    if given == "x":
        values = joint.values / joint.values.sum(axis=1, keepdims=True)
        return ProbabilityTable(values, joint.row_labels, joint.column_labels,
                                joint.row_names, y_name, f"P({Y} | {X})")
    values = joint.values.T / joint.values.T.sum(axis=1, keepdims=True)
    return ProbabilityTable(values, joint.column_labels, joint.row_labels, [y_name],
                            x_name, f"P({X} | {Y})")


def marginal_table(x, x_name="x"):
    """Empirical marginal law P(X): the frequency of each distinct value (or row).

    Same numbers as :func:`scratch_genmod.bayes.textbook.marginal_x` of the joint.

    Parameters
    ----------
    x : array-like of shape (n_samples,) or (n_samples, n_components)
    x_name : str, default="x"

    Returns
    -------
    ProbabilityTable
        1-D, one entry per distinct value; the entries sum to 1.

    >>> float(marginal_table(["a", "b", "b", "b"])["b"])
    0.75
    """
    x = check_discrete(x, "x")
    joint = joint_table(x, np.zeros(len(x), dtype=int), x_name)
    return ProbabilityTable(joint.values[:, 0], joint.row_labels, None, joint.row_names,
                            title=f"P({x_name.upper()})")


def _encode_pairs(x, y, x_name):
    """Distinct x (rows) and y values, and each sample's index into them."""
    x = check_discrete(x, "x")
    y = check_discrete(y, "y", ndim=1)
    check_same_length(x=x, y=y)
    x_unique, x_index = np.unique(x, axis=0, return_inverse=True)
    y_unique, y_index = np.unique(y, return_inverse=True)
    if x.ndim == 2:
        x_labels = [tuple(row) for row in x_unique.tolist()]
        names = [f"{x_name}{j + 1}" for j in range(x.shape[1])]
    else:
        x_labels, names = x_unique.tolist(), [x_name]
    return x_labels, x_index.ravel(), y_unique.tolist(), y_index.ravel(), names


def _row_title(names):
    return names[0] if len(names) == 1 else "(" + ", ".join(names) + ")"


def _hashable(key):
    try:
        hash(key)
    except TypeError:
        return False
    return True
