"""All-or-nothing outputs: a staged folder moves in whole, or the target stays as it was."""

import errno
import os

import pytest

from scratch_genmod.outputs import OutputError, StagedFolder, check_output_folder, write_files


def _tree(folder):
    """{relative path: text} of every file under ``folder``."""
    return {p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()}


def test_a_new_target_appears_whole_with_its_subfolders_and_nothing_is_left_beside_it(tmp_path):
    target = tmp_path / "a" / "b" / "out"
    with StagedFolder(target) as folder:
        (folder / "one.txt").write_text("1")
        (folder / "sub").mkdir()
        (folder / "sub" / "two.txt").write_text("2")
        assert not target.exists()
    assert _tree(target) == {"one.txt": "1", "sub/two.txt": "2"}
    assert sorted(p.name for p in (tmp_path / "a" / "b").iterdir()) == ["out"]


def test_an_existing_target_keeps_its_other_files_and_gets_the_new_ones(tmp_path):
    target = tmp_path / "out"
    (target / "sub").mkdir(parents=True)
    (target / "keep.txt").write_text("mine")
    (target / "one.txt").write_text("old")
    with StagedFolder(target) as folder:
        (folder / "one.txt").write_text("new")
        (folder / "sub").mkdir()
        (folder / "sub" / "two.txt").write_text("2")
    assert _tree(target) == {"keep.txt": "mine", "one.txt": "new", "sub/two.txt": "2"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_error_while_writing_leaves_the_target_untouched_and_names_the_final_path(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "one.txt").write_text("old")
    with pytest.raises(OutputError, match=r"^cannot write .*out[/\\]deep[/\\]x\.txt: No such file"):
        with StagedFolder(target) as folder:
            (folder / "one.txt").write_text("new")
            (folder / "deep" / "x.txt").write_text("no parent folder")
    assert _tree(target) == {"one.txt": "old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_any_exception_discards_the_stage_and_the_parents_it_made(tmp_path):
    target = tmp_path / "new" / "out"
    with pytest.raises(KeyError):
        with StagedFolder(target) as folder:
            (folder / "one.txt").write_text("1")
            raise KeyError("boom")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_in_the_way_of_a_file_is_found_before_anything_moves(tmp_path):
    # the exam's case: out/answers-2.md is a folder; exam-1.md must not be replaced
    target = tmp_path / "out"
    (target / "answers-2.md").mkdir(parents=True)
    (target / "exam-1.md").write_text("old")
    with pytest.raises(OutputError, match=r"answers-2\.md: a folder of that name is in the way"):
        with StagedFolder(target) as folder:
            for name in ["exam-1.md", "answers-1.md", "exam-2.md", "answers-2.md"]:
                (folder / name).write_text("new")
    assert _tree(target) == {"exam-1.md": "old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_file_where_a_subfolder_is_needed_is_found_before_anything_moves(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "a.txt").write_text("old")
    (target / "sub").write_text("a file")
    with pytest.raises(OutputError, match=r"sub is a file"):
        with StagedFolder(target) as folder:
            (folder / "a.txt").write_text("new")
            (folder / "sub").mkdir()
            (folder / "sub" / "b.txt").write_text("new")
    assert _tree(target) == {"a.txt": "old", "sub": "a file"}


@pytest.mark.parametrize("where", ["itself", "parent"])
def test_a_file_given_as_the_folder_is_refused_in_one_line_naming_it(tmp_path, where):
    path = tmp_path / "report.html"
    path.write_text("x")
    target = path if where == "itself" else path / "out"
    with pytest.raises(OutputError) as caught:
        StagedFolder(target, argument="--out")
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"--out {target}: ")
    expected = "is a file, not a folder" if where == "itself" else f"lies under {path}, which is a file"
    assert expected in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_folder_is_refused_naming_it(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        with pytest.raises(OutputError, match=r"cannot write into .*locked \(permission denied\)"):
            check_output_folder(locked / "out")
    finally:
        locked.chmod(0o755)


def test_a_read_only_folder_is_refused_naming_it_even_for_root(tmp_path, monkeypatch):
    # root passes every permission check, so the check's answer is simulated here
    locked = tmp_path / "locked"
    locked.mkdir()
    monkeypatch.setattr(os, "access", lambda path, mode: os.fspath(path) != os.fspath(locked))
    with pytest.raises(OutputError, match=r"^--out .*out: cannot write into .*locked \(permission denied\)$"):
        check_output_folder(locked / "out")


@pytest.mark.parametrize("bad", [None, "", 3])
def test_a_target_that_is_not_a_path_is_refused(bad):
    with pytest.raises(OutputError, match=r"--out must be a folder path, got"):
        check_output_folder(bad)


def test_a_failing_move_removes_the_stage_and_says_which_file(tmp_path, monkeypatch):
    target = tmp_path / "out"
    target.mkdir()
    real_replace = os.replace

    def replace(source, dest):
        if str(dest).endswith("b.txt"):
            raise PermissionError(13, "Permission denied", str(dest))
        real_replace(source, dest)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OutputError, match=r"^cannot write .*out[/\\]b\.txt: Permission denied$"):
        with StagedFolder(target) as folder:
            (folder / "a.txt").write_text("1")
            (folder / "b.txt").write_text("2")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_move_failing_half_way_puts_every_old_file_back(tmp_path, monkeypatch):
    target = tmp_path / "out"
    target.mkdir()
    for name in ("1.md", "2.md", "3.md"):
        (target / name).write_text("old " + name)
    real_replace, calls = os.replace, []

    def replace(source, dest):
        calls.append(dest)
        if len(calls) == 5:  # 1.md aside, 1.md in, 2.md aside, 2.md in, then 3.md fails
            raise OSError(errno.ENOSPC, "No space left on device", str(dest))
        real_replace(source, dest)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OutputError, match="No space left on device"):
        write_files(target, {"1.md": "new", "2.md": "new", "3.md": "new", "4.md": "new", "d/5.md": "new"})
    assert len(calls) > 5  # the undo ran
    assert _tree(target) == {"1.md": "old 1.md", "2.md": "old 2.md", "3.md": "old 3.md"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_write_files_writes_text_as_utf8_and_bytes_as_given(tmp_path):
    target = tmp_path / "deep" / "out"
    paths = write_files(target, {"a.md": "é\n", "sub/b.bin": b"\x00\x01"})
    assert paths == [target / "a.md", target / "sub" / "b.bin"]
    assert (target / "a.md").read_bytes() == "é\n".encode("utf-8")
    assert (target / "sub" / "b.bin").read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["out"]


def test_a_name_too_long_for_the_file_system_is_refused_before_anything(tmp_path):
    with pytest.raises(OutputError, match=r"^--out .*: the name 'x{300}' is 300 bytes long; at most 255$"):
        check_output_folder(tmp_path / ("x" * 300))
    with pytest.raises(OutputError, match=r"^file name 'y{300}\.md' is 303 bytes long; at most 255$"):
        write_files(tmp_path / "out", {"y" * 300 + ".md": "z"})
    with pytest.raises(OutputError, match=r"^--out 'a\\x00b': a path cannot hold a NUL character$"):
        check_output_folder("a\x00b")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["", ".", "..", "../x", "/etc/x", "a\x00b", "a/../b", "a\\b"])
def test_file_names_stay_inside_the_folder(tmp_path, name):
    with pytest.raises(OutputError, match=r"^file name .*: must be a relative path of plain names inside"):
        write_files(tmp_path / "out", {name: "z"})
    assert list(tmp_path.iterdir()) == []
