"""The reading pool: workbooks read and parsed in worker processes.

Portable by construction: the workers are *spawned* (a fresh interpreter each, as on
Windows, where fork does not exist, and on macOS, where it is unsafe), so they
inherit no hidden state; what they need travels as arguments and comes back as the
parsed tables. Reading never imports pandas, so a worker starts in about 0.1 s.

Stopping cleanly:

- Ctrl-C reaches the whole process group; the workers ignore it, and the parent,
  which gets ``KeyboardInterrupt``, terminates them before it exits (130) — no
  deadlocked worker is left waiting on a queue nobody reads.
- If the parent dies without cleaning up (SIGKILL, a crash), each worker notices:
  a thread in it waits on the parent's sentinel and ends the worker at once.
- A worker that dies (a crash inside a native reader, an out-of-memory kill)
  breaks the pool (``BrokenProcessPool``); the caller reads what is left one file
  per process (:func:`run_isolated`) so the culprit is found and reported.

Caps (docs/hardening.md): each task a worker runs has a wall-clock limit
(``PEIXUN_READ_TIMEOUT`` seconds, 120 by default), enforced by a watchdog thread in
the worker — portable, it needs no signal — which ends the worker when a task
overruns; where the platform has ``resource`` (Linux, macOS) the worker's address
space is capped (``PEIXUN_READ_MEMORY_MB``, 2048 by default), so a runaway
allocation fails in that worker (a ``MemoryError`` there also ends it) instead of
swapping the machine or waking the kernel's OOM killer. Either way the pool breaks
and the file is reported as ``reader-crashed``; the other files are read. With
``--jobs 1`` the reading runs in the CLI's own process, where neither cap applies
(ending or starving the process would lose every result): there the bounded
front-end (load.sniff.check_zip) is what keeps a file from exhausting memory.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

# multiprocessing and concurrent.futures are imported where a pool is made: a command
# that reads in its own process (one workbook, --jobs 1, --help) never pays for them
# (docs/startup.md)
if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

R = TypeVar("R")

# spawn on every platform: the same behaviour (and tests) everywhere
START_METHOD = os.environ.get("PEIXUN_START_METHOD", "spawn")


def default_jobs() -> int:
    """``PEIXUN_JOBS`` when set (a positive integer), else the CPUs this process may
    run on."""
    configured = os.environ.get("PEIXUN_JOBS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


DEFAULT_TIMEOUT = 120.0  # seconds a worker may spend on one task (one file)
DEFAULT_MEMORY_MB = 2048  # address space of a worker, where the platform can cap it
EXIT_OVERRUN = 3  # how a worker ends when a task overruns its time or memory


def _setting(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def task_timeout() -> float:
    """Seconds one task may run in a worker: ``PEIXUN_READ_TIMEOUT``, else 120."""
    return _setting("PEIXUN_READ_TIMEOUT", DEFAULT_TIMEOUT)


def _cap_memory() -> None:
    """Cap this worker's address space (``PEIXUN_READ_MEMORY_MB``); a no-op where the
    platform has no ``resource`` module (Windows) or refuses the limit."""
    try:
        import resource
    except ImportError:
        return
    cap = int(_setting("PEIXUN_READ_MEMORY_MB", DEFAULT_MEMORY_MB) * (1 << 20))
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        if soft == resource.RLIM_INFINITY or soft > cap:
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError):  # a limit this platform does not support
        pass


_deadline: list[float] = []  # the running task's deadline (monotonic), if any


def _watchdog() -> None:
    """End the worker when its task overruns its deadline: the task may be stuck in
    native code, which no exception can interrupt."""
    while True:
        time.sleep(0.1)
        if _deadline and time.monotonic() > _deadline[0]:
            os._exit(EXIT_OVERRUN)


def _guarded(fn: Callable[..., R], *args: Any) -> R:
    """Run one task in a worker under its time cap; a ``MemoryError`` (the address
    space cap reached in Python code) ends the worker like a native allocation
    failure does, so the caller isolates and reports the file."""
    _deadline[:] = [time.monotonic() + task_timeout()]
    try:
        return fn(*args)
    except MemoryError:
        os._exit(EXIT_OVERRUN)
    finally:
        _deadline.clear()


def _end_with_parent() -> None:
    """Worker initialiser: ignore Ctrl-C (the parent decides), end when the parent
    ends, however it ends, and put the worker under its time and memory caps."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # started with SIGINT blocked: now ignored
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _cap_memory()
    threading.Thread(target=_watchdog, name="task-watchdog", daemon=True).start()
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()  # returns when the parent's sentinel closes: the parent is gone
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop every worker now and drop the queued work."""
    stop = getattr(pool, "terminate_workers", None)  # Python ≥ 3.14
    if stop is not None:
        stop()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=1)
        if process.is_alive():
            process.kill()
    # the pool's own thread sees the workers gone and releases its queues (their
    # semaphores), so nothing is left for the resource tracker to warn about
    thread = getattr(pool, "_executor_manager_thread", None)
    if thread is not None:
        thread.join(timeout=1)


@contextmanager
def worker_pool(jobs: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``jobs`` spawned workers that never outlive an interrupted or
    failed caller."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context(START_METHOD)
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_end_with_parent)
    try:
        yield pool
    except BaseException:
        _terminate(pool)
        raise
    # the workers are told to stop and end while the caller goes on (waiting for them
    # to exit took 0.04 s after a city-year); the pool's own thread reaps them, and a
    # worker still there when this process ends follows it (_end_with_parent)
    pool.shutdown(wait=False)


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Keep Ctrl-C from the workers being started, without losing it for this process.

    Where signals can be blocked (POSIX), SIGINT is blocked here while workers start: a
    child inherits the blocked signal from its first instruction (a worker interrupted
    while importing would print a traceback), and this process receives a Ctrl-C that
    came meanwhile as soon as it is unblocked. Elsewhere (Windows) the signal is
    ignored for that moment."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def early_pool(jobs: int) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of ``jobs`` workers that start now, so that their start (a fresh
    interpreter and its imports each) overlaps what this process does next; None when
    ``jobs`` ≤ 1 or when no worker can start (the caller reads in this process, or
    finds out for itself). Stopped when the block is left, however it is left."""
    if jobs <= 1:
        yield None
        return
    try:
        pool = worker_pool(jobs)
        executor = pool.__enter__()
        with _sigint_ignored():
            for _ in range(jobs):  # a spawned pool starts a worker per task submitted
                executor.submit(os.getpid)
    except OSError:  # processes refused here: pool_map meets the same and says so
        yield None
        return
    try:
        yield executor
    except BaseException as exc:
        pool.__exit__(type(exc), exc, exc.__traceback__)
        raise
    pool.__exit__(None, None, None)


@contextmanager
def pool_map(
    fn: Callable[..., R],
    *iterables: Iterable[Any],
    jobs: int,
    chunksize: int = 1,
    pool: ProcessPoolExecutor | None = None,
    weights: list[float] | None = None,
) -> Iterator[Iterator[R]]:
    """``map(fn, *iterables)`` in ``jobs`` worker processes, results in order; in this
    process when ``jobs`` ≤ 1. The workers start on entering the block and are stopped
    when it is left, however it is left; or, given ``pool`` (:func:`early_pool`), its
    workers do the work and its owner stops them.

    ``weights`` (an item's expected cost, e.g. its file's size) lets the heavy items
    start first (:func:`schedule`): a city-year's one big central workbook, last in
    path order, was read by one worker after the other had finished and sat idle.
    The results still come in the items' order."""
    if jobs <= 1:
        yield map(fn, *iterables)
        return
    task = partial(_guarded, fn)  # every task under the worker's time and memory caps
    if weights is None:
        if pool is not None:
            yield pool.map(task, *iterables, chunksize=chunksize)
            return
        with worker_pool(jobs) as pool:
            with _sigint_ignored():  # submitting the work starts the workers
                results = pool.map(task, *iterables, chunksize=chunksize)
            yield results
        return
    items = list(zip(*iterables, strict=True))
    chunks, order = schedule(weights, jobs, chunksize)
    if pool is not None:
        yield _submitted(pool, task, items, chunks, order)
        return
    with worker_pool(jobs) as pool:
        with _sigint_ignored():
            results = _submitted(pool, task, items, chunks, order)
        yield results


def schedule(weights: list[float], jobs: int, chunksize: int) -> tuple[list[range], list[int]]:
    """Chunks of consecutive items (at most ``chunksize`` each) and the order to submit
    them in. An item heavy enough to hold up the end (an eighth of a worker's share of
    the total weight or more) is a chunk of its own and starts first, heaviest first;
    the other chunks follow in the items' order, so their results arrive about when
    they are wanted."""
    total = sum(weights)
    heavy = {i for i, w in enumerate(weights) if total > 0 and w * 8 * jobs >= total}
    if len(heavy) == len(weights):
        heavy = set()  # all alike: nothing to bring forward
    chunks: list[range] = []
    start = 0  # the first item of the chunk being filled
    for i in range(len(weights)):
        if i in heavy or i - start == max(chunksize, 1):
            if i > start:
                chunks.append(range(start, i))
            start = i
        if i in heavy:
            chunks.append(range(i, i + 1))
            start = i + 1
    if start < len(weights):
        chunks.append(range(start, len(weights)))
    first = sorted(
        (k for k, c in enumerate(chunks) if c.start in heavy),
        key=lambda k: -weights[chunks[k].start],
    )
    rest = [k for k, c in enumerate(chunks) if c.start not in heavy]
    return chunks, first + rest


def _run_chunk(fn: Callable[..., R], items: list[tuple[Any, ...]]) -> list[R]:
    return [fn(*item) for item in items]


def _submitted(
    pool: ProcessPoolExecutor,
    fn: Callable[..., R],
    items: list[tuple[Any, ...]],
    chunks: list[range],
    order: list[int],
) -> Iterator[R]:
    """Submit the chunks in ``order`` now; the results, lazily, in the items' order."""
    futures: list[Any] = [None] * len(chunks)
    for k in order:
        futures[k] = pool.submit(_run_chunk, fn, [items[i] for i in chunks[k]])

    def results() -> Iterator[R]:
        for k in range(len(futures)):
            done = futures[k].result()
            futures[k] = None  # the parent keeps no result it has handed on
            yield from done

    return results()


def one_by_one(
    fn: Callable[..., R], items: list[tuple[Any, ...]]
) -> Iterator[tuple[bool, R | None]]:
    """``fn(*item)`` for each item, in order, in one worker process that is replaced
    when it dies: yields ``(True, result)``, or ``(False, None)`` for the item its
    worker died on. A single worker takes the items in order, so the first unfinished
    item is the one that killed it; this costs one process start per death, not one
    per item."""
    from concurrent.futures.process import BrokenProcessPool

    start = 0
    while start < len(items):
        try:
            with worker_pool(1) as pool:
                with _sigint_ignored():
                    futures = [pool.submit(_guarded, fn, *item) for item in items[start:]]
                for future in futures:
                    result = future.result()
                    start += 1
                    yield True, result
        except BrokenProcessPool:
            start += 1
            yield False, None


def run_isolated(fn: Callable[..., R], *args: Any) -> R:
    """``fn(*args)`` in a worker process of its own; raises ``BrokenProcessPool`` if
    that process dies."""
    with worker_pool(1) as pool:
        with _sigint_ignored():
            future = pool.submit(_guarded, fn, *args)
        return future.result()


def workers_start() -> bool:
    """Whether a worker process can be started and answer at all."""
    try:
        return run_isolated(os.getpid) != os.getpid()
    except Exception:  # BrokenProcessPool, OSError: no usable worker here
        return False


def stop_helpers() -> None:
    """Stop multiprocessing's resource tracker, a helper process the spawned pool
    starts (it would end by itself a moment after this process; ending it now leaves
    nothing running once the command returns); nothing to do where no pool was made."""
    if "multiprocessing.resource_tracker" not in sys.modules:
        return
    try:
        from multiprocessing import resource_tracker

        stop = getattr(resource_tracker._resource_tracker, "_stop", None)
        if stop is not None:
            stop()
    except Exception:  # a private helper: if its shape changes, it still ends by itself
        pass
