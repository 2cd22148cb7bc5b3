"""Process pools for the two parallel steps: reading workbooks and running rules.

Both use ``fork`` where the platform has it: a forked worker inherits the loaded
modules (no second 0.5 s import) and, for the rules, the whole rule context without
pickling it. Where fork is missing (Windows) the work runs in this process; where
it is not the default (macOS, Python ≥ 3.14) it is asked for explicitly.
``benchmarks/RESULTS.md`` has the measured gain on 2 cores.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def pool_map(
    fn: Callable[..., R], *iterables: Iterable[Any], jobs: int, chunksize: int = 1
) -> Iterator[R]:
    """``map(fn, *iterables)`` in ``jobs`` forked processes, results in order; in this
    process when ``jobs`` ≤ 1 or fork is unavailable."""
    if jobs <= 1 or not can_fork():
        yield from map(fn, *iterables)
        return
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(fn, *iterables, chunksize=chunksize)


@contextmanager
def fork_pool(jobs: int) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of ``jobs`` forked workers, or None when ``jobs`` ≤ 1 or fork is
    unavailable. The workers are forked at the first ``submit``: they see the parent's
    memory as it is then."""
    if jobs <= 1 or not can_fork():
        yield None
        return
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        yield pool


def run_isolated(fn: Callable[..., R], *args: Any) -> R:
    """``fn(*args)`` in a forked process of its own; raises ``BrokenProcessPool`` if
    that process dies. Only called after a pool broke, so fork is available."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        return pool.submit(fn, *args).result()
