"""A dependency-free progress bar for long loops: epochs, EM iterations, tokens.

    EM      [#########...............]  38/100 iter   41.2 iter/s  ETA 0:01  ll=-2.871

It draws on one line of stderr, redrawn at most every ``min_interval``
seconds, and closes with a summary line. By default (``enabled=True``) it is
drawn only when stderr is a terminal, so logs and test output stay clean;
``enabled="always"`` forces it (e.g. into a file), ``enabled=False``
silences it. Estimators expose this as their ``progress`` parameter.

>>> import io
>>> out = io.StringIO()
>>> with ProgressBar(3, desc="fit", unit="epoch", enabled="always", file=out) as bar:
...     for epoch in range(3):
...         bar.update(loss=1.0 / (epoch + 1))
>>> out.getvalue().splitlines()[-1].split(" in ")[0]
'fit: 3 epoch'
"""

import sys
import time

__all__ = ["ProgressBar", "track", "check_progress"]


class ProgressBar:
    """Progress of a loop of ``total`` steps (``None`` when unknown).

    Parameters
    ----------
    total : int or None, default=None
        Number of steps expected; without it no bar or ETA is drawn.
    desc : str, default=""
        Label at the start of the line.
    unit : str, default="it"
        Name of one step, for the counts and the rate.
    enabled : bool or "always", default=True
        True: draw only if ``file`` is a terminal; "always": draw anyway;
        False: draw nothing.
    file : text stream or None, default=None
        Where to draw; None means ``sys.stderr``.
    min_interval : float, default=0.1
        Minimum seconds between two redraws.
    clock : callable, default=time.monotonic
        Source of time in seconds (tests pass a fake clock).

    >>> import io
    >>> out, now = io.StringIO(), iter([0.0, 1.0, 2.0, 2.0, 2.0])
    >>> bar = ProgressBar(2, desc="EM", unit="iter", enabled="always", file=out,
    ...                   clock=lambda: next(now))
    >>> bar.update(); bar.update(); bar.close()
    >>> out.getvalue().splitlines()[-1].startswith("EM: 2 iter in")
    True
    """

    def __init__(self, total=None, desc="", unit="it", enabled=True, file=None,
                 min_interval=0.1, clock=time.monotonic):
        check_progress(enabled, "enabled")
        if total is not None and (not isinstance(total, int) or total < 0):
            raise ValueError(f"total must be None or a non-negative int, got {total!r}")
        self.total, self.desc, self.unit = total, desc, unit
        self.file = sys.stderr if file is None else file
        self.enabled = enabled == "always" or (enabled and _is_terminal(self.file))
        self.min_interval, self.clock = min_interval, clock
        self.n, self.metrics, self.closed = 0, {}, False
        self.start = self._last_draw = clock()

    def update(self, n=1, **metrics):
        """Advance by ``n`` steps and record the latest metrics (e.g. ``loss=0.1``)."""
        self.n += n
        self.metrics.update(metrics)
        now = self.clock()
        if self.enabled and (now - self._last_draw >= self.min_interval or self.n == self.total):
            self._last_draw = now
            self.file.write("\r" + self.line(now) + "\x1b[K")
            self.file.flush()

    def line(self, now=None):
        """The text of the bar at time ``now``."""
        elapsed = max((self.clock() if now is None else now) - self.start, 1e-12)
        rate = self.n / elapsed
        parts = [self.desc] if self.desc else []
        if self.total:
            filled = min(24, int(24 * self.n / self.total))
            parts.append("[" + "#" * filled + "." * (24 - filled) + "]")
            parts.append(f"{self.n:>{len(str(self.total))}}/{self.total} {self.unit}")
        else:
            parts.append(f"{self.n} {self.unit}")
        parts.append(f"{rate:7.1f} {self.unit}/s")
        if self.total and rate > 0 and self.n < self.total:
            parts.append("ETA " + _clock_time((self.total - self.n) / rate))
        parts += [f"{k}={_fmt(v)}" for k, v in self.metrics.items()]
        return "  ".join(parts)

    def summary(self):
        """One closing line: steps done, time taken, rate and last metrics."""
        elapsed = max(self.clock() - self.start, 1e-12)
        text = (f"{self.desc + ': ' if self.desc else ''}{self.n} {self.unit} in "
                f"{elapsed:.1f} s ({self.n / elapsed:.1f} {self.unit}/s)")
        metrics = ", ".join(f"{k}={_fmt(v)}" for k, v in self.metrics.items())
        return text + (", " + metrics if metrics else "")

    def close(self):
        """Replace the bar by the summary line (once)."""
        if self.enabled and not self.closed:
            self.file.write("\r" + self.summary() + "\x1b[K\n")
            self.file.flush()
        self.closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
        return False



def check_progress(value, name="progress"):
    """Check an estimator's ``progress`` (or the bar's ``enabled``): True, False or "always".

    Estimators call it at the door, so that a bad value fails before a long fit.

    >>> check_progress("yes")
    Traceback (most recent call last):
    ...
    ValueError: progress must be True, False or 'always', got 'yes'
    """
    if value not in (True, False, "always"):
        raise ValueError(f"{name} must be True, False or 'always', got {value!r}")
    return value

def track(iterable, total=None, **kwargs):
    """Iterate over ``iterable`` with a :class:`ProgressBar` (keywords as there).

    >>> [x * x for x in track(range(4), enabled=False)]
    [0, 1, 4, 9]
    """
    if total is None and hasattr(iterable, "__len__"):
        total = len(iterable)
    with ProgressBar(total, **kwargs) as bar:
        for item in iterable:
            yield item
            bar.update()


def _is_terminal(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _clock_time(seconds):
    minutes, secs = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _fmt(value):
    return f"{value:.4g}" if isinstance(value, float) else str(value)
