"""Section 3 - Markov chains and n-gram text generation.

Runs the tour's section :mod:`scratch_genmod.tour.s03_markov` alone, e.g.::

    python demos/03_markov_text.py --quick --out /tmp/s03_markov

Figures go to --out, or to a new temporary folder (printed at the end).
"""

from scratch_genmod.tour import demo_main
from scratch_genmod.tour.s03_markov import run

if __name__ == "__main__":
    demo_main(run)
