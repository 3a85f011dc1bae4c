"""The README's examples run as written, and it stays a ten-minute read."""

import doctest
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
TEXT = README.read_text(encoding="utf-8")


def test_the_readme_examples_run():
    # the ```python blocks with a prompt, one doctest sharing its names, as a reader runs them
    blocks = [b for b in re.findall(r"```python\n(.*?)```", TEXT, re.S) if ">>>" in b]
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, "README.md", str(README), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    runner.run(test)
    assert len(blocks) >= 3 and runner.tries >= 10 and runner.failures == 0


def test_the_readme_is_short_and_names_real_files():
    assert len(TEXT.encode("utf-8")) <= 12 * 1024
    root = README.parent / "scratch_genmod"
    for family in ("bayes", "density", "markov", "nn", "embed"):
        section = TEXT[TEXT.index(f"(`{family}/`)"):].split("\n- **", 1)[0]
        for path in re.findall(r"`([\w/]+\.py)`", section):
            assert (root / family / path).is_file(), f"the README names {family}/{path}"
