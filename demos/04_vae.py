"""Section 4, beyond the autoencoder: a variational autoencoder, and how good a generator is.

Runs the tour's section :mod:`scratch_genmod.tour.s04_vae` alone, e.g.::

    python demos/04_vae.py --quick --out /tmp/s04_vae

Figures go to --out, or to a new temporary folder (printed at the end).
"""

from scratch_genmod.tour import demo_main
from scratch_genmod.tour.s04_vae import run

if __name__ == "__main__":
    demo_main(run)
