"""Section 1: generative vs discriminative models.

Runs the tour's section :mod:`scratch_genmod.tour.s01_bayes` alone, e.g.::

    python demos/01_generative_vs_discriminative.py --quick --out /tmp/s01_bayes

Figures go to --out, or to a new temporary folder (printed at the end).
"""

from scratch_genmod.tour import demo_main
from scratch_genmod.tour.s01_bayes import run

if __name__ == "__main__":
    demo_main(run)
