"""Shrink every block, chunk and part of embed/fast so that each loop over them runs many times.

Under the defaults a test's few dozen points fit in one block, and a bug in the
accumulation across blocks (one block's product dropped, a sum assigned instead of
added) would pass unseen. ``small_blocks()`` makes blocks of 3 rows (1 for the
neighbour search), chunks of 3 rows and parts of 5 pairs.
"""

import contextlib

from scratch_genmod.embed.fast import dense_gradient, neighbors, principal_axes, sparse_gradient

SMALL = {
    (dense_gradient, "BLOCK_ENTRIES"): 1,        # block_rows(n) = MIN_BLOCK_ROWS
    (dense_gradient, "MIN_BLOCK_ROWS"): 3,
    (neighbors, "BLOCK_BYTES"): 1,               # row_chunk(n) = 1 row
    (principal_axes, "CHUNK_ROWS"): 3,
    (sparse_gradient, "PAIRS_PER_PART"): 5,
}


@contextlib.contextmanager
def small_blocks(active=True):
    """Within the block, every blocked loop of embed/fast takes small steps (if ``active``)."""
    saved = {key: getattr(*key) for key in SMALL}
    try:
        if active:
            for (module, name), value in SMALL.items():
                setattr(module, name, value)
        yield
    finally:
        for (module, name), value in saved.items():
            setattr(module, name, value)
