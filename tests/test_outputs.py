"""Tests of scratch_genmod/outputs.py: a command writes all of its files or none."""

import errno
import os

import pytest

from scratch_genmod import outputs
from scratch_genmod.outputs import OutputError, check_out_dir, staged_folder, write_files


def snapshot(folder):
    """Every file under ``folder`` (relative name -> bytes) and every folder name."""
    files, dirs = {}, []
    for root, subdirs, names in os.walk(folder):
        dirs += [os.path.relpath(os.path.join(root, d), folder) for d in subdirs]
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as fh:
                files[os.path.relpath(path, folder)] = fh.read()
    return files, sorted(dirs)


def test_a_new_folder_gets_every_file(tmp_path):
    out = tmp_path / "deep" / "out"
    paths = write_files(out, {"a.md": "é\n", "sub/b.bin": b"\x00\x01"})
    assert paths == [out / "a.md", out / "sub" / "b.bin"]
    assert (out / "a.md").read_bytes() == "é\n".encode("utf-8") and (out / "sub" / "b.bin").read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep"]  # no temporary folder left
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["out"]


def test_an_existing_folder_keeps_its_other_files(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    (out / "a.md").write_text("old")
    write_files(out, {"a.md": "new", "b.md": "b"})
    assert snapshot(out) == ({"keep.txt": b"mine", "a.md": b"new", "b.md": b"b"}, [])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_folder_where_a_file_goes_changes_nothing(tmp_path):
    """The issue's case: out/answers-2.md is a folder; exam-1.md and answers-1.md must stay old."""
    out = tmp_path / "out"
    (out / "answers-2.md").mkdir(parents=True)
    for name in ("exam-1.md", "answers-1.md"):
        (out / name).write_text("old")
    before = snapshot(out)
    files = {"exam-1.md": "new", "answers-1.md": "new", "exam-2.md": "new", "answers-2.md": "new"}
    with pytest.raises(OutputError, match=r"answers-2\.md: is a folder, not a file"):
        write_files(out, files)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_failure_while_moving_puts_every_old_file_back(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("1.md", "2.md", "3.md"):
        (out / name).write_text("old " + name)
    before = snapshot(out)
    real_replace, calls = os.replace, []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 5:  # 1.md aside, 1.md in, 2.md aside, 2.md in, then 3.md fails
            raise OSError(errno.ENOSPC, "No space left on device", str(src))
        return real_replace(src, dst)

    monkeypatch.setattr(outputs.os, "replace", failing_replace)
    with pytest.raises(OutputError, match="No space left on device"):
        write_files(out, {"1.md": "new", "2.md": "new", "3.md": "new", "4.md": "new"})
    monkeypatch.setattr(outputs.os, "replace", real_replace)
    assert len(calls) >= 5
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_error_inside_the_block_leaves_nothing(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="boom"):
        with staged_folder(out) as tmp:
            (tmp / "a.md").write_text("half")
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_out_is_a_file(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("x")
    with pytest.raises(OutputError, match=rf"^--out {path}: is a file, not a folder"):
        check_out_dir(path)
    with pytest.raises(OutputError, match=r"^--out .*report\.txt/sub: .*report\.txt is a file"):
        check_out_dir(path / "sub")
    assert path.read_text() == "x"


def test_a_name_too_long_for_the_file_system(tmp_path):
    with pytest.raises(OutputError, match=r"^--out .*: the name 'x{300}' is 300 bytes long; at most 255"):
        check_out_dir(tmp_path / ("x" * 300))
    with pytest.raises(OutputError, match=r"^file name 'y{300}\.md' is 303 bytes long; at most 255"):
        write_files(tmp_path / "out", {"y" * 300 + ".md": "z"})
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["", ".", "..", "../x", "/etc/x", "a\x00b", "a/../b"])
def test_file_names_stay_inside_the_folder(tmp_path, name):
    with pytest.raises(OutputError, match="file name"):
        write_files(tmp_path / "out", {name: "z"})
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value, message", [("", "--out: an empty path"), ("a\x00b", "--out 'a\\\\x00b': a NUL")])
def test_bad_out_values(value, message):
    with pytest.raises(OutputError, match=message):
        check_out_dir(value)
    with pytest.raises(TypeError, match="out must be a str or path, got int"):
        check_out_dir(3)


def test_an_operating_system_error_is_one_line_naming_the_path(tmp_path, monkeypatch):
    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "locked"))

    monkeypatch.setattr(outputs, "_make_temporary", denied)
    with pytest.raises(OutputError) as info:
        write_files(tmp_path / "locked" / "out", {"a.md": "z"})
    assert str(info.value) == f"cannot write {tmp_path / 'locked'}: Permission denied"
    assert list(tmp_path.iterdir()) == []  # the parent made for it is gone too


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(OutputError, match=rf"{locked}.*not writable"):
            check_out_dir(locked / "out")
    finally:
        locked.chmod(0o700)
