"""Work spread over forked processes: both cores for loading and rendering.

Forking hands each worker the parent's objects (the views, the Jinja environment)
without pickling them; only the small tasks and their results cross processes.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")

# Set once in each worker by its initializer; the parent process never sets it.
_worker: tuple[Callable[[Any, Any], Any], Any] | None = None


def default_jobs() -> int:
    """Processes to use: the CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def fork_map(
    work: Callable[[Any, Task], Result], state: Any, tasks: Sequence[Task], jobs: int
) -> list[Result]:
    """`[work(state, task) for task in tasks]`, on `jobs` forked processes, in order."""
    if jobs <= 1 or len(tasks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [work(state, task) for task in tasks]
    context = multiprocessing.get_context("fork")
    # Frozen objects are skipped by the workers' garbage collector, which would
    # otherwise walk (and so copy, page by page) the whole inherited model.
    gc.freeze()
    pool = ProcessPoolExecutor(jobs, context, initializer=_start_worker, initargs=(work, state))
    try:
        # submit, not map: map cancels what is left when interrupted, which races with the
        # pool failing the same tasks once its workers are stopped (CPython 3.11 then
        # prints an InvalidStateError from its manager thread)
        futures = [pool.submit(_run, task) for task in tasks]
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


def _start_worker(work: Callable[[Any, Any], Any], state: Any) -> None:
    global _worker
    _worker = (work, state)
    # Ctrl-C reaches the whole process group: the parent alone handles it, and stops
    # the workers; SIGTERM (from the parent) ends a worker at once, quietly
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run(task: Any) -> Any:
    assert _worker is not None
    work, state = _worker
    return work(state, task)
