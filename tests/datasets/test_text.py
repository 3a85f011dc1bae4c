import pytest

from scratch_genmod.datasets import course_corpus, load_text, stdlib_corpus


def test_course_corpus_is_the_four_sentences():
    assert course_corpus().splitlines() == [
        "Ali est ici.", "Ali aime le bleu.", "Le vélo d'Ali est bleu.", "Qui est Ali ?"]


def test_stdlib_corpus_is_long_english_prose():
    text = stdlib_corpus()
    words = text.split()
    assert 50_000 < len(words) < 90_000
    assert words.count("the") > 1000
    assert "::=" not in text and "\n*****\n" not in text
    assert stdlib_corpus() == text


def test_stdlib_corpus_missing_module(monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "pydoc_data.topics", None)
    with pytest.raises(RuntimeError, match="pydoc_data.topics"):
        stdlib_corpus()


def test_load_text_round_trip(tmp_path):
    path = tmp_path / "book.txt"
    path.write_text("Le vélo d'Ali.\nDeux lignes.\n", encoding="utf-8")
    assert load_text(path) == "Le vélo d'Ali.\nDeux lignes.\n"
    path.write_bytes("café".encode("latin-1"))
    assert load_text(path, encoding="latin-1") == "café"


def test_load_text_undecodable_says_where(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"line one\nab\xffcd\n")
    with pytest.raises(ValueError, match=r"bad.txt is not valid utf-8: byte 0xff at offset 11 "
                                         r"\(line 2, column 3\)"):
        load_text(path)


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_load_text_empty(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="empty.txt holds no text"):
        load_text(path)


def test_load_text_missing_and_bad_encoding(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.txt"):
        load_text(tmp_path / "nope.txt")
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(ValueError, match="encoding 'klingon'"):
        load_text(tmp_path / "a.txt", encoding="klingon")
