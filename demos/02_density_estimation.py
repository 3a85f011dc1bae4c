"""Section 2: density estimation, non-parametric (kernels) then parametric (a mixture by EM).

Runs the tour's section :mod:`scratch_genmod.tour.s02_density` alone, e.g.::

    python demos/02_density_estimation.py --quick --out /tmp/s02_density

Figures go to --out, or to a new temporary folder (printed at the end).
"""

from scratch_genmod.tour import demo_main
from scratch_genmod.tour.s02_density import run

if __name__ == "__main__":
    demo_main(run)
