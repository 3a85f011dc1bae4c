"""Text corpora: the course's toy example, the standard library's help, any file.

>>> course_corpus().split("\\n")[0]
'Ali est ici.'
>>> len(course_corpus().split("\\n"))
4
"""

import re
from pathlib import Path

__all__ = ["course_corpus", "stdlib_corpus", "load_text"]

# The four sentences of the course's Markov-chain example, one per line.
_COURSE_SENTENCES = (
    "Ali est ici.",
    "Ali aime le bleu.",
    "Le vélo d'Ali est bleu.",
    "Qui est Ali ?",
)

# reStructuredText heading underlines ("*****", "=====") carry no words.
_UNDERLINE = re.compile(r"^[*=\-~^#]+$")


def course_corpus():
    """The four sentences of the course's Markov-chain example, one per line.

    Returns
    -------
    text : str
        « Ali est ici. », « Ali aime le bleu. », « Le vélo d'Ali est bleu. »,
        « Qui est Ali ? », joined by newlines.
    """
    return "\n".join(_COURSE_SENTENCES)


def stdlib_corpus():
    """English prose from Python's own help text (``pydoc_data.topics``).

    About 65,000 words of technical English that every CPython install ships,
    so text models have a real corpus without any download. The topics are
    joined in sorted order (so the text is the same on every run of one
    Python version); heading underlines and grammar rules (``::=``) are dropped.

    Returns
    -------
    text : str

    Raises
    ------
    RuntimeError
        If this Python build was made without ``pydoc_data`` (some minimal
        distributions strip it); pass a text file to :func:`load_text` instead.
    """
    try:
        from pydoc_data.topics import topics
    except ImportError:
        raise RuntimeError(
            "stdlib_corpus needs the module pydoc_data.topics, which this Python build "
            "lacks; use load_text(path) with any UTF-8 book instead"
        ) from None
    kept = []
    for key in sorted(topics):
        for line in topics[key].splitlines():
            stripped = line.strip()
            if _UNDERLINE.match(stripped) or "::=" in line:
                continue
            kept.append(line.rstrip())
        kept.append("")
    return "\n".join(kept).strip() + "\n"


def load_text(path, encoding="utf-8"):
    """Read a whole text file, failing clearly on undecodable bytes or no text.

    Parameters
    ----------
    path : str or os.PathLike
    encoding : str, default="utf-8"

    Returns
    -------
    text : str

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the bytes are not valid ``encoding`` (the message gives the byte
        offset, line and column of the first bad byte), or the file holds no
        text (empty or only whitespace).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"load_text: path {str(path)!r} is not a file")
    data = path.read_bytes()
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ValueError(
            f"{path} is not valid {encoding}: byte {data[exc.start]:#04x} at offset "
            f"{exc.start} (line {line}, column {column}) cannot be decoded; "
            f"pass encoding= (e.g. 'latin-1') if the file uses another encoding"
        ) from None
    except LookupError:
        raise ValueError(f"encoding {encoding!r} is not known to Python") from None
    if not text.strip():
        raise ValueError(f"{path} holds no text (it is empty or only whitespace)")
    return text
