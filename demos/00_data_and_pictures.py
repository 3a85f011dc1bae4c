"""Section 00 - the data every later demo uses, and the pictures it is shown with.

Runs the tour's section :mod:`scratch_genmod.tour.s00_data` alone, e.g.::

    python demos/00_data_and_pictures.py --quick --out /tmp/s00_data

Figures go to --out, or to a new temporary folder (printed at the end).
"""

from scratch_genmod.tour import demo_main
from scratch_genmod.tour.s00_data import run

if __name__ == "__main__":
    demo_main(run)
