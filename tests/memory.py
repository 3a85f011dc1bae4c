"""Peak memory of a call, as the tests bound it."""

import tracemalloc


def peak_bytes(function):
    """Peak bytes allocated during ``function()`` (NumPy reports its arrays to ``tracemalloc``)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
