"""Give freed memory back to the system between the audit's steps.

Loading and attendance free hundreds of megabytes of short-lived arrays and lists on a
province's data; glibc's allocator keeps much of it (its heap grows for arrays of a
few megabytes once bigger ones were freed) and the next step's peak stacks on top.
``release`` asks it to return what is free (``malloc_trim``): 30 MB a city-year after
loading, as much after attendance (docs/MEMORY.md). Elsewhere (macOS, Windows,
musl) it does nothing."""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

_trim: Callable[[int], int] | None = None


def release() -> None:
    global _trim
    if not sys.platform.startswith("linux"):
        return
    if _trim is None:
        try:
            _trim = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError):  # not glibc
            _trim = lambda _pad: 0  # noqa: E731
    _trim(0)
