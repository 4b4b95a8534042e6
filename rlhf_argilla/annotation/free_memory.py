"""Hand memory a finished step of a pull freed back to the operating system.

Two allocators keep freed memory for later reuse instead of returning it: Arrow's pool (pandas'
string columns, every parquet read and write) and the C library's ``malloc`` (NumPy arrays, Python
objects). A pull's steps each free tens of MiB of working tables that the next step, with other
sizes, reuses only in part, so without this the resident size climbs step after step to well
above what is live (at 100k records: ~100 MiB after the reliability step alone, measured with
``tests/benchmarks/bench_scale.py --offline``). :func:`release_freed` between steps makes each
step start from its live data.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable
from functools import lru_cache

__all__ = ["release_freed"]


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (macOS, musl, Windows)."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def release_freed() -> None:
    """Return the freed memory both allocators keep to the operating system (live data is untouched).

    Example:
        >>> release_freed()  # safe anywhere; does nothing where neither allocator can
    """
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
