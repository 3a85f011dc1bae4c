import io

import pytest

from scratch_genmod.core.progress import ProgressBar, track


class FakeClock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


class TTY(io.StringIO):
    def isatty(self):
        return True


def test_rate_eta_and_summary():
    clock, out = FakeClock(), io.StringIO()
    bar = ProgressBar(10, desc="EM", unit="iter", enabled="always", file=out, clock=clock, min_interval=0)
    clock.t = 2.0
    bar.update(4, ll=-1.5)
    line = out.getvalue().split("\r")[-1]
    assert "[#########" in line and " 4/10 iter" in line and "2.0 iter/s" in line
    assert "ETA 0:03" in line and "ll=-1.5" in line  # 6 left at 2 per second
    clock.t = 5.0
    bar.update(6)
    bar.close()
    bar.close()  # idempotent
    final = out.getvalue().rstrip("\n").split("\r")[-1].replace("\x1b[K", "")
    assert final == "EM: 10 iter in 5.0 s (2.0 iter/s), ll=-1.5"
    assert out.getvalue().count("\n") == 1


def test_silent_when_not_a_terminal_unless_forced():
    quiet = io.StringIO()
    with ProgressBar(3, file=quiet) as bar:
        bar.update(3)
    assert quiet.getvalue() == ""
    tty = TTY()
    with ProgressBar(3, file=tty) as bar:
        bar.update(3)
    assert "3/3" in tty.getvalue()
    off = TTY()
    with ProgressBar(3, file=off, enabled=False) as bar:
        bar.update(3)
    assert off.getvalue() == ""


def test_redraws_are_throttled():
    clock, out = FakeClock(), io.StringIO()
    bar = ProgressBar(None, enabled="always", file=out, clock=clock, min_interval=1.0)
    for _ in range(100):
        bar.update()  # no time passes: at most the first draw
    assert out.getvalue().count("\r") == 0
    clock.t = 1.5
    bar.update()
    assert out.getvalue().count("\r") == 1 and "101 it" in out.getvalue()


def test_track_and_bad_arguments():
    out = io.StringIO()
    assert list(track([5, 6], enabled="always", file=out, desc="t")) == [5, 6]
    assert "t: 2 it in" in out.getvalue()
    with pytest.raises(ValueError, match="enabled must be True, False or 'always'"):
        ProgressBar(enabled="yes")
    with pytest.raises(ValueError, match="total must be None or a non-negative int"):
        ProgressBar(total=-1)
