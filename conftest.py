"""Test-wide settings: the hypothesis profile CI runs with.

With ``CI=true`` (as ``.ci/run`` is called) hypothesis is derandomized, so a
red run can be replayed exactly; locally it explores new examples each run.
Neither profile has a deadline: timing belongs in ``benchmarks/``.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI", "").lower() == "true" else "dev")
