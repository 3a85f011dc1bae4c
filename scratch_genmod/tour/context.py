"""What a section of the tour receives (:class:`TourContext`) and what it gives back."""

import sys
from dataclasses import dataclass, field
from pathlib import Path

from scratch_genmod.core.table import format_table
from scratch_genmod.datasets import load_mnist, load_text

__all__ = ["TourContext", "SectionResult", "TourInputError"]


class TourInputError(ValueError):
    """Data given to the tour (``--mnist``, ``--text``) cannot be read; the message names it.

    >>> import tempfile
    >>> ctx = TourContext(tempfile.mkdtemp(), text="/nonexistent/book.txt")
    >>> try:
    ...     ctx.check_inputs()
    ... except TourInputError as error:
    ...     print(str(error).split(":")[0])
    --text /nonexistent/book.txt
    """


class TourContext:
    """What a section receives: options, an output folder, and a record for the report.

    Parameters
    ----------
    out_dir : str or path-like
        Folder where figures are written (created if needed).
    quick : bool, default=False
    seed : int, default=0
    mnist, text : str or path-like or None, default=None
    stream : file-like or None, default=None (sys.stdout)

    Attributes
    ----------
    out_dir : pathlib.Path
    quick : bool
        Short runs (smaller data, fewer epochs) for a smoke test.
    seed : int
        The one seed the whole tour is reproducible from.
    mnist, text : pathlib.Path or None
        Real data given on the command line, or None for embedded data; read
        once, by :meth:`check_inputs`, :meth:`mnist_data` or :meth:`text_data`.
    shared : dict
        Results a section leaves for later ones (e.g. a trained autoencoder).
    items : list of tuple
        ``("text", str)``, ``("chart", str)``, ``("table", title, str)`` and
        ``("figure", file name, caption)`` in the order they were made.

    Examples
    --------
    >>> import io, tempfile
    >>> ctx = TourContext(tempfile.mkdtemp(), quick=True, stream=io.StringIO())
    >>> ctx.say("EM climbs."); ctx.items
    [('text', 'EM climbs.')]
    """

    def __init__(self, out_dir, quick=False, seed=0, mnist=None, text=None, stream=None):
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.quick, self.seed = bool(quick), int(seed)
        self.mnist = Path(mnist) if mnist else None
        self.text = Path(text) if text else None
        self.stream = sys.stdout if stream is None else stream
        self.shared, self.items = {}, []
        self._loaded = {}

    def check_inputs(self):
        """Read ``--mnist`` and ``--text`` now, before any section runs.

        Raises
        ------
        TourInputError
            One line naming the option, the path and what is wrong with it.
        """
        if self.mnist is not None:
            self.mnist_data()
        if self.text is not None:
            self.text_data()

    def mnist_data(self):
        """``(X_train, y_train, X_test, y_test)`` of ``--mnist``, read once."""
        return self._load("mnist", load_mnist)

    def text_data(self):
        """The text of ``--text``, read once."""
        return self._load("text", load_text)

    def say(self, text):
        """Print a line of commentary and keep it for the report."""
        print(text, file=self.stream)
        self.items.append(("text", str(text)))

    def chart(self, text):
        """Print a text chart (bars, sparklines on several lines) and keep it preformatted."""
        print(text, file=self.stream)
        self.items.append(("chart", str(text)))

    def table(self, rows, header=None, title=None, floatfmt="{:.4g}"):
        """Print an aligned table (see :func:`format_table`) and keep it; returns its text."""
        text = format_table(rows, header=header, floatfmt=floatfmt)
        print(("\n" + title if title else "") + "\n" + text + "\n", file=self.stream)
        self.items.append(("table", title or "", text))
        return text

    def figure(self, name, caption):
        """Reserve ``out_dir/name`` for a figure with a one-sentence caption; returns the path."""
        path = self.out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        self.items.append(("figure", name, caption))
        return path

    def _load(self, option, loader):
        if option not in self._loaded:
            path = getattr(self, option)
            try:
                self._loaded[option] = loader(path)
            except (OSError, ValueError) as error:
                detail = str(error).splitlines()[0] if str(error) else type(error).__name__
                raise TourInputError(f"--{option} {path}: {detail}") from error
        return self._loaded[option]


@dataclass
class SectionResult:
    """How one section of the tour went.

    >>> SectionResult("03", "Markov chains", "ok", seconds=1.5).status
    'ok'
    """

    number: str
    title: str
    status: str  # "ok", "missing" or "failed"
    seconds: float = 0.0
    items: list = field(default_factory=list)
    error: str = ""
