"""Section 4: an autoencoder H = D o E trained by hand-written backpropagation.

Runs the tour's section :mod:`scratch_genmod.tour.s04_autoencoder` alone, e.g.::

    python demos/04_autoencoder.py --quick --out /tmp/s04_autoencoder

Figures go to --out, or to a new temporary folder (printed at the end).
"""

from scratch_genmod.tour import demo_main
from scratch_genmod.tour.s04_autoencoder import run

if __name__ == "__main__":
    demo_main(run)
