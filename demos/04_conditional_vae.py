"""Section 4, draw me a 3: a conditional VAE, and whether it draws the digit asked for.

Runs the tour's section :mod:`scratch_genmod.tour.s04_cvae` alone, e.g.::

    python demos/04_conditional_vae.py --quick --out /tmp/s04_cvae

Figures go to --out, or to a new temporary folder (printed at the end).
"""

from scratch_genmod.tour import demo_main
from scratch_genmod.tour.s04_cvae import run

if __name__ == "__main__":
    demo_main(run)
