"""Files a command writes: all of them or none, and errors that name the path.

A command (``tour``, ``exam``) writes its files into a staging folder beside
its target, on the same file system, and moves them into place only once every
file is written; an error on the way leaves the target as it was::

    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "sheets"
    >>> with StagedFolder(target) as folder:
    ...     _ = (folder / "exam.md").write_text("# Exam", encoding="utf-8")
    ...     (target / "exam.md").exists()      # not yet: still staged
    False
    >>> (target / "exam.md").read_text(encoding="utf-8")
    '# Exam'

A target that does not exist yet is the staging folder renamed (one atomic
step). Into a folder that exists, each file replaces its namesake and the
folder's other files stay; every clash (a file where a folder is needed, or
the reverse) is found before the first file moves, and each file replaced is
first moved aside, so that a move failing half-way puts every old file back.

:func:`write_files` is the short way for a command whose outputs are texts
in memory (``exam``): names checked, then written through a staged folder.

Every operating-system error becomes an :class:`OutputError`, one line naming
the path as the user gave it (not the staging folder's).
"""

import os
import secrets
import shutil
from pathlib import Path, PurePosixPath

__all__ = ["OutputError", "StagedFolder", "check_output_folder", "check_file_name", "write_files", "NAME_MAX"]

NAME_MAX = 255  # bytes in one file name: the limit of ext4, XFS and APFS (NTFS: 255 UTF-16 units)


class OutputError(ValueError):
    """A command's outputs cannot be written where it was asked; the message names the path.

    >>> import pathlib, tempfile
    >>> a_file = pathlib.Path(tempfile.mkdtemp()) / "notes.txt"
    >>> _ = a_file.write_text("", encoding="utf-8")
    >>> try:
    ...     check_output_folder(a_file)
    ... except OutputError as error:
    ...     print(str(error).startswith(f"--out {a_file}"))
    True
    """


def check_output_folder(target, argument="--out"):
    """Refuse, before any work, a target that cannot become a folder of outputs.

    Parameters
    ----------
    target : str or path-like
        The folder a command will write into (created if missing).
    argument : str, default="--out"
        The option the path came from, named in the error.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    OutputError
        When ``target`` (or one of its parents) is a file, or a folder that
        cannot be written to.
    """
    if not isinstance(target, (str, os.PathLike)) or str(target) == "":
        raise OutputError(f"{argument} must be a folder path, got {target!r}")
    if "\x00" in os.fspath(target):
        raise OutputError(f"{argument} {os.fspath(target)!r}: a path cannot hold a NUL character")
    path = Path(target)
    for part in path.parts:
        size = len(os.fsencode(part))
        if size > NAME_MAX:
            raise OutputError(f"{argument} {path}: the name {part!r} is {size} bytes long; at most {NAME_MAX}")
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        what = "is a file" if existing == path else f"lies under {existing}, which is a file"
        raise OutputError(f"{argument} {path}: {what}, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"{argument} {path}: cannot write into {existing} (permission denied)")
    return path


class StagedFolder:
    """A staging folder beside ``target`` whose files move into ``target`` at :meth:`commit`.

    Parameters
    ----------
    target : str or path-like
        The folder the outputs belong in; created (with its parents) at commit
        when missing, kept with its other files when it exists.
    argument : str, default="--out"
        The option the path came from, named in errors.

    Attributes
    ----------
    target : pathlib.Path
    path : pathlib.Path
        The staging folder to write into (hidden, ``.<name>.partial-<hex>``).

    As a context manager it yields :attr:`path`, commits when the block ends
    normally and discards the staging folder when it raises; an ``OSError``
    raised in the block becomes an :class:`OutputError` naming the file under
    its final name.

    An error in the block leaves an existing target as it was:

    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (target / "key.md").write_text("old", encoding="utf-8")
    >>> try:
    ...     with StagedFolder(target) as folder:
    ...         _ = (folder / "key.md").write_text("new", encoding="utf-8")
    ...         raise RuntimeError("the second sheet failed")
    ... except RuntimeError:
    ...     pass
    >>> (target / "key.md").read_text(encoding="utf-8"), sorted(p.name for p in target.iterdir())
    ('old', ['key.md'])
    """

    def __init__(self, target, argument="--out"):
        self.target = check_output_folder(target, argument)
        self.argument = argument
        self._made_parents = _make_parents(self.target.parent, argument)
        self.path = self._make_stage()

    def __enter__(self):
        return self.path

    def __exit__(self, kind, error, tb):
        if kind is None:
            self.commit()
            return False
        self.discard()
        if isinstance(error, OSError) and not isinstance(error, OutputError):
            raise OutputError(self._say(error)) from error
        return False

    def commit(self):
        """Move every staged file into :attr:`target`; returns the target's path."""
        try:
            if not self.target.exists():
                os.rename(self.path, self.target)  # one step: the whole folder appears at once
                return self.target
            _move_all(self._plan_moves(), self.path)
        except OutputError:
            self.discard()
            raise
        except OSError as error:
            self.discard()
            raise OutputError(self._say(error)) from error
        self.discard()
        return self.target

    def discard(self):
        """Remove the staging folder (and the parents this object created) with its files."""
        shutil.rmtree(self.path, ignore_errors=True)
        for parent in self._made_parents:  # deepest first; only while still empty
            try:
                parent.rmdir()
            except OSError:
                break

    def _make_stage(self):
        # Beside the target, so the final moves are renames; inside it when only it is writable.
        home = self.target.parent
        if self.target.is_dir() and not os.access(home, os.W_OK | os.X_OK):
            home = self.target
        for _ in range(100):
            path = home / f".{self.target.name or 'out'}.partial-{secrets.token_hex(4)}"
            try:
                path.mkdir()  # mode 0o777 less the umask, as the target would get
                return path
            except FileExistsError:
                continue
            except OSError as error:
                raise OutputError(f"{self.argument} {self.target}: cannot create a folder in "
                                  f"{home} ({error.strerror or error})") from error
        raise OutputError(f"{self.argument} {self.target}: no free staging name in {home}")

    def _plan_moves(self):
        """(staged file, destination) pairs, after checking that none of them clashes."""
        moves = []
        for source in sorted(p for p in self.path.rglob("*") if not p.is_dir()):
            dest = self.target / source.relative_to(self.path)
            for parent in reversed(dest.relative_to(self.target).parents[:-1]):
                if (self.target / parent).exists() and not (self.target / parent).is_dir():
                    raise OutputError(f"cannot write {dest}: {self.target / parent} is a file")
            if dest.is_dir():
                raise OutputError(f"cannot write {dest}: a folder of that name is in the way")
            moves.append((source, dest))
        return moves

    def _say(self, error):
        """An OSError as one line naming its path as the user knows it."""
        name = error.filename if error.filename is not None else self.target
        shown = str(name).replace(str(self.path), str(self.target))
        return f"cannot write {shown}: {error.strerror or error}"


def check_file_name(name):
    """A file's name relative to an output folder (``/``-separated), refused if it would leave the folder.

    >>> check_file_name("keys/answers-12.md").parts
    ('keys', 'answers-12.md')
    """
    parts = name.split("/") if isinstance(name, str) else None
    if (not parts or "\x00" in name or "\\" in name or any(p in ("", ".", "..") for p in parts)):
        raise OutputError(f"file name {name!r}: must be a relative path of plain names inside the folder")
    for part in parts:
        size = len(part.encode("utf-8"))
        if size > NAME_MAX:
            raise OutputError(f"file name {part!r} is {size} bytes long; at most {NAME_MAX}")
    return PurePosixPath(name)


def write_files(target, files, argument="--out"):
    """Write ``files`` into the folder ``target``, all or none; returns their paths.

    Parameters
    ----------
    target : str or path-like
    files : dict of {str: str or bytes}
        Relative name (``/``-separated) -> content; text is written as UTF-8 with the line ends it holds.
    argument : str, default="--out"
        The option the path came from, named in errors.

    Returns
    -------
    list of pathlib.Path, in the order of ``files``
    """
    names = [check_file_name(name) for name in files]
    target = check_output_folder(target, argument)
    with StagedFolder(target, argument) as folder:
        for name, content in zip(names, files.values()):
            path = folder.joinpath(*name.parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode("utf-8") if isinstance(content, str) else bytes(content))
    return [target.joinpath(*name.parts) for name in names]


def _move_all(moves, stage):
    """Move each (staged file, destination); on any error put every old file back, then raise."""
    aside = stage / ".replaced"  # the files replaced wait here until every move is done
    moved, kept, made = [], [], []
    try:
        for source, dest in moves:
            made += _missing_folders(dest.parent)
            dest.parent.mkdir(parents=True, exist_ok=True)
            if dest.exists() or dest.is_symlink():
                old = aside / source.relative_to(stage)
                old.parent.mkdir(parents=True, exist_ok=True)
                os.replace(dest, old)
                kept.append((old, dest))
            os.replace(source, dest)
            moved.append((source, dest))
    except BaseException:
        for source, dest in moved:
            os.replace(dest, source)
        for old, dest in kept:
            os.replace(old, dest)
        for folder in reversed(made):
            folder.rmdir()
        raise


def _missing_folders(folder):
    """The folders ``mkdir -p folder`` would create, outermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    return missing[::-1]


def _make_parents(folder, argument):
    """Create ``folder``'s missing parents; returns those created, deepest first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        try:
            path.mkdir()
        except OSError as error:
            raise OutputError(f"{argument}: cannot create {path} "
                              f"({error.strerror or error})") from error
    return missing
