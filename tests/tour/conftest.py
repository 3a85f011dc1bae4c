"""Run one section of the tour, quick, and keep what it said and drew."""

import io

import pytest

from scratch_genmod.tour import TourContext


@pytest.fixture(scope="module")
def run_section(tmp_path_factory):
    """``run_section(module)`` -> the TourContext after ``module.run`` (quick, seed 0)."""
    done = {}

    def run(module):
        if module.__name__ not in done:
            ctx = TourContext(tmp_path_factory.mktemp(module.__name__.rsplit(".", 1)[-1]),
                              quick=True, seed=0, stream=io.StringIO())
            module.run(ctx)
            done[module.__name__] = ctx
        return done[module.__name__]

    return run


def said(ctx):
    """Everything the section said, one string."""
    return " ".join(item[1] for item in ctx.items if item[0] == "text")


def table(ctx, start):
    """(header, rows) of the table whose title starts with ``start``; cells split at 2+ spaces."""
    import re
    text = next(item[2] for item in ctx.items if item[0] == "table" and item[1].startswith(start))
    lines = text.splitlines()
    split = [re.split(r"\s{2,}", line.strip()) for line in lines]
    return split[0], split[2:]


def caption(ctx, name):
    return next(item[2] for item in ctx.items if item[0] == "figure" and item[1] == name)
