"""Section 4: looking at a latent space - PCA projection vs autoencoder codes + t-SNE.

Runs the tour's section :mod:`scratch_genmod.tour.s04_latent` alone, e.g.::

    python demos/04_latent_space.py --quick --out /tmp/s04_latent

Figures go to --out, or to a new temporary folder (printed at the end).
"""

from scratch_genmod.tour import demo_main
from scratch_genmod.tour.s04_latent import run

if __name__ == "__main__":
    demo_main(run)
