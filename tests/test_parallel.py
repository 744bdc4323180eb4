"""Work on forked processes: `fork_map` for the pages, `Spare` for work done ahead."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time

from generator.parallel import SWITCH_INTERVAL, Spare, fork_map


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


def test_spare_gives_what_it_finished_and_cancels_the_rest():
    with Spare(slow_square, 0.05, list(range(40)), 2) as spare:
        time.sleep(0.6)  # this process's own work meanwhile
        done = spare.take()
    # one worker, tasks in order: a prefix of them, each result its own task's
    assert 3 <= len(done) < 40
    assert [task for task, _ in done] == list(range(len(done)))
    assert all(square == task * task for task, (square, _) in done)
    assert {pid for _, (_, pid) in done} != {os.getpid()}
    assert multiprocessing.active_children() == []  # the worker is gone, not left running


def test_spare_does_nothing_on_one_core_or_without_tasks():
    for spare in (Spare(slow_square, 0.0, [1, 2], 1), Spare(slow_square, 0.0, [], 2)):
        assert spare.take() == []
        assert multiprocessing.active_children() == []


def test_leaving_the_block_stops_a_spare_worker_midway():
    started = time.perf_counter()
    with Spare(slow_square, 0.5, list(range(20)), 2):
        time.sleep(0.2)
    assert multiprocessing.active_children() == []
    assert time.perf_counter() - started < 2  # not after the 10 s its tasks would take


def fails_on_two(state: None, task: int) -> int:
    if task == 2:
        raise ValueError("task 2")
    return task


def test_a_failed_spare_task_counts_as_not_done():
    with Spare(fails_on_two, None, [0, 1, 2, 3], 2) as spare:
        time.sleep(0.5)
        assert spare.take() == [(0, 0), (1, 1), (3, 3)]


def test_while_workers_run_this_process_lets_their_threads_in_often():
    """A pool's threads (handing out tasks, taking in results) need the GIL of this
    process, which goes on with its own work; the usual interval comes back after."""
    usual = sys.getswitchinterval()
    assert usual > SWITCH_INTERVAL
    with Spare(slow_square, 0.01, list(range(5)), 2) as spare:
        assert sys.getswitchinterval() == SWITCH_INTERVAL
        spare.take()
    assert sys.getswitchinterval() == usual
    with Spare(slow_square, 0.01, list(range(5)), 2):
        pass  # closed, not taken
    assert sys.getswitchinterval() == usual
    during: list[float] = []
    fork_map(slow_square, 0.01, list(range(4)), 2, lambda _: during.append(sys.getswitchinterval()))
    assert during == [SWITCH_INTERVAL] * 4 and sys.getswitchinterval() == usual
