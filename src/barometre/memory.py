"""Giving freed memory back to the system between the steps of a large computation.

Scoring a national wave frees arrays of hundreds of megabytes one after the other. glibc's
allocator keeps what is freed in its heap for later use (arrays of a few megabytes are not
given their own mapping once larger ones have been freed), so that the process's resident
memory stays near the sum of everything it ever held; Arrow's allocator keeps its pool
likewise. `release_free_memory` hands both back to the system, so that the peak is that of
one step. Elsewhere than on glibc it does what it can (Arrow's pool only).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import cache


def release_free_memory() -> None:
    """Give the memory freed so far back to the system (a few milliseconds)."""
    if "pyarrow" in sys.modules:  # not imported for this alone
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim():
    """glibc's `malloc_trim`, or None where there is none (macOS, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None
