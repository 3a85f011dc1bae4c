"""``python -m scratch_genmod``: see :mod:`scratch_genmod.cli`."""

from scratch_genmod.cli import main

raise SystemExit(main())
