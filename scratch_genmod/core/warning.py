"""Warnings that point at the user's line, however deep in the library they start.

``warnings.warn(..., stacklevel=k)`` needs the caller to count the frames
between it and the user: a count that goes stale whenever a function moves or
gains a wrapper (a warning of ``GaussianMixture.fit`` was reported at a line of
``core/base.py``). :func:`warn_user` counts them itself: it reports the first
frame outside the library's model code. The application side (the tour, the
exam) counts as a user: it calls the models as a script would.

>>> import warnings
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     warn_user("the chain is reducible")
>>> caught[0].message.args[0], caught[0].filename.startswith("<doctest")
('the chain is reducible', True)
"""

import os
import sys
import warnings

__all__ = ["warn_user", "ConvergenceWarning", "warn_not_converged"]

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
# folders of the package that use the models as a user's script does
_APPLICATION = tuple(_PACKAGE + name + os.sep for name in ("tour", "exam"))


class ConvergenceWarning(UserWarning):
    """An iterative fit (EM, Baum-Welch) stopped at ``max_iter`` before its criterion settled.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_user("EM did not converge in max_iter=5 iterations", ConvergenceWarning)
    >>> caught[0].category.__name__, issubclass(ConvergenceWarning, UserWarning)
    ('ConvergenceWarning', True)
    """


def warn_user(message, category=UserWarning):
    """Issue ``warnings.warn(message, category)`` at the first frame outside the library.

    Parameters
    ----------
    message : str
    category : type, default=UserWarning
        A subclass of Warning.
    """
    frame, level = sys._getframe(1), 2  # level 1 is this function's own call to warn
    while frame is not None and _in_library(frame.f_code.co_filename):
        frame, level = frame.f_back, level + 1
    if frame is None:  # called from the library with no user above it: its first caller
        level = 2
    warnings.warn(message, category, stacklevel=level)


def warn_not_converged(method, max_iter, tol):
    """The :class:`ConvergenceWarning` of an EM-like fit whose mean log-likelihood still moved.

    Parameters
    ----------
    method : str
        The fit's name in the message ("EM", "Baum-Welch").
    max_iter : int
        The iterations it was given, all used.
    tol : float
        The change of the mean log-likelihood per iteration it stops below.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_not_converged("Baum-Welch", 5, 1e-4)
    >>> print(caught[0].message)
    Baum-Welch did not converge in max_iter=5 iterations (last change of the mean log-likelihood above tol=0.0001); raise max_iter or tol
    """
    warn_user(f"{method} did not converge in max_iter={max_iter} iterations (last change of "
              f"the mean log-likelihood above tol={tol:g}); raise max_iter or tol",
              ConvergenceWarning)


def _in_library(filename):
    path = os.path.abspath(filename)
    return path.startswith(_PACKAGE) and not path.startswith(_APPLICATION)
