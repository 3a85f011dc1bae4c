"""Files a command writes (``exam``, ``tour``): all of them or none, and errors that name the path.

A command checks its output folder before any work (:func:`check_out_dir`),
writes everything into a temporary folder beside it (:func:`staged_folder`)
and moves the files in only once all are written:

* a target that does not exist yet is the temporary folder renamed, in one step;
* into an existing target, each file that would be replaced is first moved
  aside, so that an error while moving puts every old file back; files of the
  target with other names are kept.

Every operating-system error becomes one :class:`OutputError` line naming the
path (the command line prints it and exits with code 2).

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "sheets"
>>> [p.name for p in write_files(out, {"exam.md": "# Exam\\n", "keys/answers.md": "42\\n"})]
['exam.md', 'answers.md']
>>> (out / "keys" / "answers.md").read_text()
'42\\n'
"""

import os
import secrets
import shutil
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

__all__ = ["OutputError", "check_out_dir", "check_file_name", "staged_folder", "write_files", "NAME_MAX"]

NAME_MAX = 255  # bytes in one file name: the limit of ext4, XFS, APFS and NTFS (in UTF-16 units there)


class OutputError(ValueError):
    """An output that cannot be written; the message is one line naming the path."""


def check_out_dir(out, what="--out"):
    """The output folder ``out`` as a Path, refused now if it could never be written.

    Parameters
    ----------
    out : str or os.PathLike
        A folder, created (with its parents) when written if missing.
    what : str, default="--out"
        How messages name it (the command-line option).

    Returns
    -------
    Path
    """
    if not isinstance(out, (str, os.PathLike)):
        raise TypeError(f"{what.lstrip('-')} must be a str or path, got {type(out).__name__}")
    text = os.fspath(out)
    if text == "":
        raise OutputError(f"{what}: an empty path; give a folder name")
    if "\x00" in text:
        raise OutputError(f"{what} {text!r}: a NUL character cannot be in a path")
    out = Path(text)
    for part in out.parts:
        size = len(os.fsencode(part))
        if size > NAME_MAX:
            raise OutputError(f"{what} {out}: the name {part!r} is {size} bytes long; at most {NAME_MAX}")
    if out.exists() and not out.is_dir():
        raise OutputError(f"{what} {out}: is a file, not a folder; give a folder's name")
    existing = out
    while not existing.exists():  # the nearest folder that exists decides whether we may create ``out``
        if existing.is_symlink():
            raise OutputError(f"{what} {out}: {existing} is a broken link")
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"{what} {out}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"{what} {out}: {existing} is not writable")
    return out


def check_file_name(name):
    """A file's name relative to the output folder, as a PurePosixPath; refuses names leaving it."""
    path = PurePosixPath(name)
    parts = str(name).split("/")
    if (not name or path.is_absolute() or "\x00" in name or "\\" in name
            or any(p in ("", ".", "..") for p in parts)):
        raise OutputError(f"file name {name!r}: must be a relative path of plain names inside the folder")
    for part in parts:
        size = len(part.encode("utf-8"))
        if size > NAME_MAX:
            raise OutputError(f"file name {part!r} is {size} bytes long; at most {NAME_MAX}")
    return path


def write_files(out, files, what="--out"):
    """Write ``files`` into the folder ``out``, all or none; returns their paths.

    Parameters
    ----------
    out : str or os.PathLike
    files : dict of {str: str or bytes}
        Relative name (``/``-separated) -> content; text is written as UTF-8 with ``\\n`` line ends.
    what : str, default="--out"

    Returns
    -------
    list of Path, in the order of ``files``
    """
    names = [check_file_name(name) for name in files]
    out = check_out_dir(out, what)
    with staged_folder(out, what) as tmp:
        for name, content in zip(names, files.values()):
            target = tmp.joinpath(*name.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
            with open(target, "wb") as fh:
                fh.write(data)
    return [out.joinpath(*name.parts) for name in names]


@contextmanager
def staged_folder(out, what="--out"):
    """A temporary folder beside ``out``; its files are moved into ``out`` when the block ends without error.

    An exception in the block leaves ``out`` as it was (and the temporary
    folder is removed); an operating-system error is raised as :class:`OutputError`.
    """
    out = check_out_dir(out, what)
    created = []
    tmp = None
    try:
        try:
            parent = out.absolute().parent
            created = _make_folders(parent)
            tmp = _make_temporary(parent, out.name)
        except OSError as err:
            raise OutputError(_one_line(err, out)) from None
        yield tmp
        try:
            if out.exists():
                _move_into(tmp, out)
            else:
                os.rename(tmp, out)
                created = []
        except OSError as err:
            raise OutputError(_one_line(err, out)) from None
    except BaseException:
        for folder in reversed(created):  # folders made for ``out`` go too: nothing is left behind
            _remove_empty(folder)
        raise
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _make_folders(folder):
    """``mkdir -p folder``, returning the folders created, outermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
    return missing[::-1]


def _make_temporary(parent, name):
    """A new folder ``.<name>.partial-<random>`` in ``parent`` (mode from the umask, as ``mkdir``)."""
    for _ in range(100):
        path = parent / f".{name[:200]}.partial-{secrets.token_hex(4)}"
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue
    raise OutputError(f"cannot make a temporary folder in {parent}")


def _staged_files(tmp):
    """The files under ``tmp``, as relative paths, sorted."""
    return sorted(path.relative_to(tmp) for path in tmp.rglob("*") if not path.is_dir())


def _move_into(tmp, out):
    """Move every file of ``tmp`` into the existing folder ``out``, putting everything back on error."""
    names = _staged_files(tmp)
    for name in names:  # refuse before moving anything
        for ancestor in list(reversed(name.parents))[1:]:
            if (out / ancestor).exists() and not (out / ancestor).is_dir():
                raise OutputError(f"cannot write {out / name}: {out / ancestor} is a file, not a folder")
        if (out / name).is_dir() and not (out / name).is_symlink():
            raise OutputError(f"cannot write {out / name}: is a folder, not a file; remove it or choose "
                              "another output folder")
    if not os.access(out, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write into {out}: the folder is not writable")
    aside = _make_temporary(out.absolute().parent, out.name + ".old")
    moved, kept, created = [], [], []
    try:
        for name in names:
            target = out / name
            created += _make_folders(target.parent)
            if target.exists() or target.is_symlink():
                (aside / name).parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, aside / name)
                kept.append(name)
            os.replace(tmp / name, target)
            moved.append(name)
    except BaseException:
        for name in moved:  # undo in any order: each old file goes back to its own place
            os.replace(out / name, tmp / name)
        for name in kept:
            os.replace(aside / name, out / name)
        for folder in reversed(created):
            _remove_empty(folder)
        raise
    finally:
        shutil.rmtree(aside, ignore_errors=True)


def _remove_empty(folder):
    try:
        folder.rmdir()
    except OSError:
        pass


def _one_line(err, out):
    """An operating-system error as one line naming its path."""
    path = err.filename if err.filename is not None else out
    return f"cannot write {path}: {err.strerror or err}"
