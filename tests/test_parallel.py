"""Work on forked processes: `fork_map` for loading and for the pages."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time

from generator.parallel import SWITCH_INTERVAL, fork_map


def slow_square(state: float, task: int) -> tuple[int, int]:
    time.sleep(state)
    return task * task, os.getpid()


def test_fork_map_keeps_task_order_and_uses_other_processes():
    results = fork_map(slow_square, 0.01, list(range(12)), 2)
    assert [square for square, _ in results] == [n * n for n in range(12)]
    assert os.getpid() not in {pid for _, pid in results}


def test_fork_map_takes_tasks_made_while_the_first_ones_run():
    made = []

    def tasks():  # the caller's own work between tasks, as loading reads files
        for n in range(10):
            made.append((n, time.monotonic()))
            yield n
            time.sleep(0.02)

    results = fork_map(slow_square, 0.05, tasks(), 2)
    assert [square for square, _ in results] == [n * n for n in range(10)]
    assert os.getpid() not in {pid for _, pid in results}
    assert len({pid for _, pid in results}) == 2
    assert multiprocessing.active_children() == []


def test_fork_map_of_no_tasks_starts_nothing():
    assert fork_map(slow_square, 0.0, iter(()), 2) == []
    assert multiprocessing.active_children() == []


def test_while_workers_run_this_process_lets_their_threads_in_often():
    """A pool's threads (handing out tasks, taking in results) need the GIL of this
    process, which goes on with its own work; the usual interval comes back after."""
    usual = sys.getswitchinterval()
    assert usual > SWITCH_INTERVAL
    during: list[float] = []
    fork_map(slow_square, 0.01, list(range(4)), 2, lambda _: during.append(sys.getswitchinterval()))
    assert during == [SWITCH_INTERVAL] * 4 and sys.getswitchinterval() == usual
