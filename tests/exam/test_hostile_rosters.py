"""Any roster, however hostile: sheets that show the names as text and parse, or one clear error and no file."""

import csv
import io
import unicodedata
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scratch_genmod.escaping import html_text
from scratch_genmod.exam.markup import to_html
from scratch_genmod.exam.roster import RosterError
from scratch_genmod.exam.writer import write_exam
from tests.test_escaping import HOSTILE, plain, read_latex

IDS = st.text(st.one_of(st.sampled_from(list("abcXYZ019._-")), st.sampled_from(list("/\\ $\x00é\n"))),
              min_size=0, max_size=70)


def valid(sid, name):
    """The roster rules, written out again: what the reader must accept."""
    return (0 < len(sid) <= 64 and all(c.isascii() and (c.isalnum() or c in "._-") for c in sid)
            and len(name) <= 200 and not any(unicodedata.category(c) == "Cc" for c in name))


def roster_csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # so that a lone \r in a name is quoted too
    writer.writerow(["id", "name"])
    writer.writerows(rows)
    return buffer.getvalue()


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(sid=IDS, name=HOSTILE, fmt=st.sampled_from(["markdown", "latex", "moodle"]))
def test_any_roster_gives_sheets_showing_the_name_or_one_error_and_no_file(tmp_path_factory, sid, name, fmt):
    folder = tmp_path_factory.mktemp("class")
    path = folder / "class.csv"
    path.write_text(roster_csv([[sid, name]]), encoding="utf-8")
    out = folder / "out"
    sid_read, name_read = sid.strip(), name.strip()  # the reader strips the cells, as a spreadsheet shows them
    if not valid(sid_read, name_read):
        with pytest.raises(RosterError, match=r"class\.csv(, line 2: |: the roster has a header but no student)"):
            write_exam(out, seed=3, students=path, fmt=fmt)
        assert sorted(p.name for p in folder.iterdir()) == ["class.csv"]  # nothing written, nothing left
        return
    paths = write_exam(out, seed=3, students=path, fmt=fmt, lang="en")
    shown = f"{name_read} ({sid_read})" if name_read else sid_read
    if fmt == "moodle":  # names do not go into Moodle; the ids must still give a document that parses
        ET.parse(paths[0])
        return
    sheet = paths[0].read_text(encoding="utf-8")
    line = next(ln for ln in sheet.splitlines() if ln.startswith(("Student: ", "Student:")))
    if fmt == "latex":
        assert read_latex(line) == plain("Student: " + shown)
    else:
        assert to_html(line) == f"<p>{html_text(plain('Student: ' + shown).rstrip())}</p>"
    assert sorted(p.name for p in folder.iterdir()) == ["class.csv", "out"]


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(name=st.text(st.one_of(st.sampled_from(list("ab/.\x00 é-")), st.characters(codec="utf-8")), max_size=300)
       .filter(lambda n: ".." not in n.split("/")))
def test_any_out_folder_gets_every_file_or_one_line_and_nothing(tmp_path_factory, name, capsys):
    from scratch_genmod.cli import main

    folder = tmp_path_factory.mktemp("out")
    out = folder / ("o" + name)  # always under the test's folder: relative, no '..'
    code = main(["exam", "--count", "1", "--lang", "en", "--out", str(out)])
    err = capsys.readouterr().err
    if code == 0:
        assert sorted(p.name for p in out.iterdir()) == ["answers-1.md", "exam-1.md", "grading.csv"]
        assert all(p.read_text(encoding="utf-8") for p in out.iterdir())
    else:
        assert code == 2 and err.startswith("error: ") and err.count("\n") == 1, err
        assert list(folder.iterdir()) == []  # nothing written, nothing left beside it
