"""Give freed memory back to the system between the audit's steps, and keep the cyclic
garbage collector out of the steps that make many objects and no cycles.

Loading and attendance free hundreds of megabytes of short-lived arrays and lists on a
province's data; glibc's allocator keeps much of it (its heap grows for arrays of a
few megabytes once bigger ones were freed) and the next step's peak stacks on top.
``release`` asks it to return what is free (``malloc_trim``): 30 MB a city-year after
loading, as much after attendance (docs/MEMORY.md). Elsewhere (macOS, Windows,
musl) it does nothing."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_trim: Callable[[int], int] | None = None
# set by keep_to_the_end(): what a paused step leaves alive is frozen when it ends
_steps_kept = False


def release() -> None:
    global _trim
    if not sys.platform.startswith("linux"):
        return
    if _trim is None:
        import ctypes  # not at the top: a reading worker imports this module (paused)

        try:
            _trim = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError):  # not glibc
            _trim = lambda _pad: 0  # noqa: E731
    _trim(0)


@contextmanager
def paused() -> Iterator[None]:
    """The cyclic garbage collector off for one step: a step that makes many objects
    and no cycles (the cells and rows of a file read; the students' rows of the audit and
    its report) pays for each of the collector's passes over them, and for the full
    passes over everything alive, yet nothing there is freed by them. Reference counting
    still frees everything; the few cycles made (a city-year's audit and report leave
    2,400 objects in cycles) are collected once the step is over. Nested pauses end with
    the outermost."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if _steps_kept:
            gc.freeze()
        gc.enable()


def keep_to_the_end() -> None:
    """For a process that ends as soon as its one command is done, without tearing the
    interpreter down (the CLI: ``os._exit``). What is alive now (the modules) and what
    each paused step leaves alive (the dataset, the result, the report's rows) lives
    to the end: each is moved out of the collector's sight (``gc.freeze``) instead of
    walked by it. Else the first pass after a step walked every object the step had
    made and kept: a city-year's dataset, result and document, 0.03 s of passes that
    find nothing. A cycle frozen is never collected: harmless in a process about to
    end, and why a library caller (the tests, a service) does not call this."""
    global _steps_kept
    _steps_kept = True
    gc.freeze()
