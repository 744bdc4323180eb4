"""Work spread over forked processes: both cores for loading and rendering.

Forking hands each worker the parent's objects (the views, the Jinja environment)
without pickling them; only the small tasks and their results cross processes.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from .signals import check_stop, die_with

Task = TypeVar("Task")
Result = TypeVar("Result")

# Set once in each worker by its initializer; the parent process never sets it.
_worker: tuple[Callable[[Any, Any], Any], Any] | None = None

#: Seconds this process's main thread runs before it lets another thread take the GIL,
#: while workers run. A pool's threads hand out tasks and take in results here; at
#: Python's default (5 ms) each hand-over waits for the main thread, busy reading the
#: next files (it left a worker fed tasks of ~5 ms idle a third of the time).
SWITCH_INTERVAL = 0.0005


@contextlib.contextmanager
def _responsive() -> Iterator[None]:
    """The pool's threads get the GIL within `SWITCH_INTERVAL` inside the block."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(min(previous, SWITCH_INTERVAL))
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


def default_jobs() -> int:
    """Processes to use: the CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def fork_map(
    work: Callable[[Any, Task], Result],
    state: Any,
    tasks: Iterable[Task],
    jobs: int,
    done: Callable[[Task], None] | None = None,
) -> list[Result]:
    """`[work(state, task) for task in tasks]`, on `jobs` forked processes, in order.

    `tasks` may be made while the first ones run (a generator doing work between them):
    the workers are forked when the first is handed out, so they see `state` as it is
    then and what later tasks need must travel in the tasks. `done(task)` is called in
    this process as each task finishes (for progress).
    """
    import multiprocessing  # here: what only counts cores (the head start) stays light
    from concurrent.futures import ProcessPoolExecutor, as_completed

    one = isinstance(tasks, Sequence) and len(tasks) <= 1
    if jobs <= 1 or one or "fork" not in multiprocessing.get_all_start_methods():
        results = []
        for task in tasks:
            results.append(work(state, task))
            check_stop()
            if done is not None:
                done(task)
        return results
    context = multiprocessing.get_context("fork")
    # Frozen objects are skipped by the workers' garbage collector, which would
    # otherwise walk (and so copy, page by page) the whole inherited model.
    gc.freeze()
    with _responsive():
        pool = ProcessPoolExecutor(
            jobs, context, initializer=_start_worker, initargs=(work, state, os.getpid())
        )
        try:
            # submit, not map: map cancels what is left when interrupted, which races with the
            # pool failing the same tasks once its workers are stopped (CPython 3.11 then
            # prints an InvalidStateError from its manager thread)
            futures = {pool.submit(_run, task): task for task in tasks}
            check_stop()  # a signal that came during the forks may have been dropped there
            for future in as_completed(futures):
                future.result()  # a failed task stops the rest now
                check_stop()
                if done is not None:
                    done(futures[future])
            results = [future.result() for future in futures]
        except BaseException:
            # interrupted (Ctrl-C, SIGTERM) or failed: stop the workers now, not after every
            # queued task has run. Never wait for the pool then: a worker stopped halfway
            # through sending a result leaves its manager thread reading forever (the caller
            # that is exiting must leave with os._exit, see commands.site)
            for child in multiprocessing.active_children():
                child.terminate()
            pool.shutdown(wait=False)
            gc.unfreeze()
            raise
        pool.shutdown(wait=True)
    gc.unfreeze()
    return results


def chunks(count: int, jobs: int) -> list[range]:
    """Interleaved index ranges, several per job so that a slow one does not hold the rest."""
    parts = min(count, jobs * 8)
    return [range(start, count, parts) for start in range(parts)]


def _start_worker(work: Callable[[Any, Any], Any], state: Any, parent: int) -> None:
    global _worker
    _worker = (work, state)
    gc.enable()  # forked while the parent builds its model with the collector paused
    # Ctrl-C reaches the whole process group: the parent alone handles it, and stops
    # the workers; SIGTERM (from the parent) ends a worker at once, quietly
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with(parent)


def _run(task: Any) -> Any:
    assert _worker is not None
    work, state = _worker
    return work(state, task)
