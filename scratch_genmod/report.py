"""The tour's report: one static HTML page, a heading per section.

Each section shows its figures with their captions, the tables it printed and
the time it took. No JavaScript; images are referenced by relative paths, so
the folder can be zipped and sent as it is.
"""

import datetime
from pathlib import Path

from scratch_genmod import __version__
from scratch_genmod.escaping import html_text

__all__ = ["write_report"]

_STYLE = """
body { font-family: Georgia, serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.45; }
h1 { border-bottom: 2px solid #444; }
h2 { margin-top: 2.5rem; border-bottom: 1px solid #bbb; }
.time { color: #777; font-size: 0.9rem; font-weight: normal; }
figure { margin: 1.5rem 0; }
figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { font-style: italic; color: #444; margin-top: 0.3rem; }
pre { background: #f6f6f2; padding: 0.6rem 0.8rem; overflow-x: auto; font-size: 0.85rem; }
.missing { color: #888; } .failed { color: #a00; }
table.summary td, table.summary th { padding: 0.1rem 0.8rem; text-align: left; }
"""


def write_report(out_dir, results, seed=0, quick=False):
    """Write ``out_dir/index.html`` from the tour's section results; returns its path.

    Parameters
    ----------
    out_dir : str or path-like
        The tour's output folder (figures are already in it).
    results : list of scratch_genmod.tour.SectionResult
    seed : int, default=0
    quick : bool, default=False
    """
    out_dir = Path(out_dir)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    total = sum(r.seconds for r in results)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>scratch_genmod: a tour of generative models</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>A tour of generative models</h1>",
        f"<p>scratch_genmod {__version__}, seed {seed}{', quick run' if quick else ''}, "
        f"{stamp}; {total:.1f} s in all.</p>",
        _summary(results),
    ]
    for result in results:
        parts.append(_section(result))
    parts.append("</body></html>")
    path = out_dir / "index.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def _summary(results):
    rows = "".join(
        f'<tr><td><a href="#s{r.number}">{html_text(r.title)}</a></td>'
        f'<td class="{r.status}">{r.status}</td><td>{r.seconds:.1f} s</td></tr>'
        for r in results
    )
    return ('<table class="summary"><tr><th>section</th><th>status</th><th>time</th></tr>'
            f"{rows}</table>")


def _section(result):
    heading = (f'<h2 id="s{result.number}">{html_text(result.title)} '
               f'<span class="time">({result.seconds:.1f} s)</span></h2>')
    if result.status == "missing":
        return heading + '<p class="missing">Not available yet.</p>'
    body = []
    for item in result.items:
        kind = item[0]
        if kind == "text":
            body.append(f"<p>{html_text(item[1])}</p>")
        elif kind == "chart":  # bars and columns keep their lines and widths
            body.append(f'<pre class="chart">{html_text(item[1])}</pre>')
        elif kind == "table":
            title = f"<p><strong>{html_text(item[1])}</strong></p>" if item[1] else ""
            body.append(f"{title}<pre>{html_text(item[2])}</pre>")
        elif kind == "figure":
            src = html_text(Path(item[1]).as_posix())
            body.append(f'<figure><img src="{src}" alt="{html_text(item[2])}">'
                        f"<figcaption>{html_text(item[2])}</figcaption></figure>")
    if result.status == "failed":
        body.append(f'<p class="failed">This section failed:</p><pre>{html_text(result.error)}</pre>')
    return heading + "\n".join(body)
