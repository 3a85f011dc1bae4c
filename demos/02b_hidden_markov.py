"""Section 2b - Hidden Markov models: the fair and the loaded die.

Runs the tour's section :mod:`scratch_genmod.tour.s02_hmm` alone, e.g.::

    python demos/02b_hidden_markov.py --quick --out /tmp/s02_hmm

Figures go to --out, or to a new temporary folder (printed at the end).
"""

from scratch_genmod.tour import demo_main
from scratch_genmod.tour.s02_hmm import run

if __name__ == "__main__":
    demo_main(run)
