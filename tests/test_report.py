from html.parser import HTMLParser

from scratch_genmod.report import write_report
from scratch_genmod.tour import SectionResult


class Collector(HTMLParser):
    """Collects image sources and checks that every opened tag is closed in order."""

    VOID = {"meta", "img", "br", "hr", "link"}

    def __init__(self):
        super().__init__()
        self.stack, self.images, self.scripts = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs)["src"])
        if tag == "script":
            self.scripts += 1
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()


def parse(path):
    parser = Collector()
    parser.feed(path.read_text(encoding="utf-8"))
    assert parser.stack == []
    return parser


def test_report_is_well_formed_static_and_relative(tmp_path):
    (tmp_path / "a.png").write_bytes(b"")
    results = [
        SectionResult("01", "Bayes <rule>", "ok", 1.25,
                      [("text", "x < y & z"), ("table", "P(Y|X)", "a  1"), ("figure", "a.png", "Look at <this>.")]),
        SectionResult("02", "Density", "missing"),
        SectionResult("03", "Markov", "failed", 0.5, [], "Traceback: boom"),
    ]
    path = write_report(tmp_path, results, seed=3, quick=True)
    page = parse(path)
    assert page.images == ["a.png"] and page.scripts == 0
    assert all((tmp_path / src).exists() for src in page.images)
    text = path.read_text(encoding="utf-8")
    assert "Bayes &lt;rule&gt;" in text and "x &lt; y &amp; z" in text
    assert "(1.2 s)" in text or "(1.3 s)" in text
    assert "Not available yet" in text and "Traceback: boom" in text and "seed 3" in text
