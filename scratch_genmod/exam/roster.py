"""A class roster: the CSV file a teacher exports, read with errors that name the file and line.

The file is UTF-8 (a byte-order mark, as spreadsheets write, is allowed),
comma-separated, with a header row holding at least the columns ``id`` and
``name`` (others are ignored). Ids must be unique and are used in file
names, so they hold only letters, digits, ``-``, ``_`` and ``.``, at most
64 of them; a name is one line of at most 200 characters, without control
characters. Quotes follow the CSV rules strictly: a quote left open is an
error naming its line, not two students joined into one.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "class.csv"
>>> _ = path.write_text("id,name\\n12,Ada Lovelace\\n7,Alan Turing\\n", encoding="utf-8")
>>> read_roster(path)
[('12', 'Ada Lovelace'), ('7', 'Alan Turing')]
"""

import csv
import io
import os
import re
import unicodedata
from pathlib import Path

__all__ = ["read_roster", "RosterError", "count_roster", "REQUIRED_COLUMNS", "MAX_ID", "MAX_NAME", "MAX_STUDENTS"]

REQUIRED_COLUMNS = ("id", "name")
MAX_ID = 64  # an id goes into file names (``answers-<id>.tex``), which hold at most 255 bytes
MAX_NAME = 200
MAX_STUDENTS = 2000  # a class: about 0.1 s a sheet, so a few minutes at most
_ID = re.compile(r"[A-Za-z0-9._-]+")


class RosterError(ValueError):
    """A roster that cannot be read; the message names the file and the line.

    >>> import pathlib, tempfile
    >>> roster = pathlib.Path(tempfile.mkdtemp()) / "class.csv"
    >>> _ = roster.write_text('id,name\\n1,"Ada\\n', encoding="utf-8")   # a quote never closed
    >>> try:
    ...     read_roster(roster)
    ... except RosterError as error:
    ...     print(str(error).startswith(str(roster)))
    True
    """


def read_roster(path):
    """The students of a roster CSV, in file order.

    Parameters
    ----------
    path : str or os.PathLike
        The roster's file (errors name it ``students``, the option it comes from).

    Returns
    -------
    students : list of (id, name) tuples of str
    """
    if not isinstance(path, (str, os.PathLike)) or isinstance(path, bytes):
        raise TypeError(f"students must be the path of a roster CSV (str or path), got {type(path).__name__}")
    if "\x00" in os.fspath(path) or os.fspath(path) == "":
        raise RosterError(f"students {os.fspath(path)!r}: not a file name (empty, or holding a NUL character)")
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise RosterError(f"roster {path}: cannot be read ({err.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        raise RosterError(f"{path}, line {line}: not UTF-8 (byte 0x{raw[err.start]:02x}); "
                          "save the roster as CSV UTF-8") from None
    rows = _rows(path, text)
    if not rows:
        raise RosterError(f"{path}: the roster is empty (expected a header line with "
                          f"{', '.join(REQUIRED_COLUMNS)}, then one line per student)")
    header_line, header = rows[0]
    columns = [c.strip().lower() for c in header]
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            raise RosterError(f"{path}, line {header_line}: missing column {name!r} "
                              f"(the header has {', '.join(repr(c) for c in columns)}; "
                              f"needed: {', '.join(REQUIRED_COLUMNS)})")
    at = {name: columns.index(name) for name in REQUIRED_COLUMNS}
    students, first_line = [], {}
    for line, row in rows[1:]:
        if len(row) != len(header):
            raise RosterError(f"{path}, line {line}: {len(row)} fields, the header has {len(header)}")
        sid, name = row[at["id"]].strip(), row[at["name"]].strip()
        if len(sid) > MAX_ID:
            raise RosterError(f"{path}, line {line}: id {sid!r} is {len(sid)} characters long; at most {MAX_ID} "
                              "(ids go into file names)")
        if not _ID.fullmatch(sid):
            raise RosterError(f"{path}, line {line}: id {sid!r} must be non-empty letters, digits, '-', '_' or '.'")
        _check_name(path, line, name)
        if sid in first_line:
            raise RosterError(f"{path}, line {line}: duplicate id {sid!r} (already on line {first_line[sid]})")
        first_line[sid] = line
        students.append((sid, name))
    if not students:
        raise RosterError(f"{path}: the roster has a header but no student")
    if len(students) > MAX_STUDENTS:
        raise RosterError(f"{path}: {len(students)} students; at most {MAX_STUDENTS} (one sheet each): "
                          "split the roster")
    return students


def _rows(path, text):
    """``[(line, cells), ...]`` of the non-blank records, ``line`` where each starts; CSV errors name it."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, start = [], 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as err:
            raise RosterError(f"{path}, line {start}: {_csv_problem(str(err))}") from None
        if any(cell.strip() for cell in row):
            rows.append((start, row))
        start = reader.line_num + 1


def _csv_problem(message):
    """The csv module's complaint, said for a roster."""
    if message.startswith("unexpected end of data"):
        return ('the quote " opened on this line is never closed (it would join every line after it '
                "into one field); close it or remove it")
    if message.startswith("field larger than field limit"):
        return (f"a field longer than {csv.field_size_limit()} characters; a roster holds short ids and "
                "names (is this the right file?)")
    return message


def _check_name(path, line, name):
    if len(name) > MAX_NAME:
        raise RosterError(f"{path}, line {line}: the name is {len(name)} characters long; at most {MAX_NAME}")
    for ch in name:
        if unicodedata.category(ch) == "Cc":
            hint = " (a quote left open joins lines)" if ch in "\r\n" else ""
            raise RosterError(f"{path}, line {line}: the name holds the control character U+{ord(ch):04X}; "
                              f"a name is one line of text{hint}")


def count_roster(count):
    """``count`` anonymous students with ids ``1`` .. ``count`` (and no names)."""
    return [(str(i), "") for i in range(1, count + 1)]
