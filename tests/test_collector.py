"""The cycle collector: paused while the model is built, then kept off it."""

from __future__ import annotations

import gc
import weakref

import pytest

from generator import collector
from generator.parallel import fork_map


@pytest.fixture(autouse=True)
def _restore_collector():
    enabled, thresholds = gc.isenabled(), gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)
    (gc.enable if enabled else gc.disable)()


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_no_collection_inside_and_the_model_frozen_after():
    gc.enable()
    gc.unfreeze()
    passes = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            passes.append(info["generation"])

    gc.callbacks.append(count)
    try:
        with collector.paused():
            assert not gc.isenabled()
            model = [Node() for _ in range(200_000)]  # far past any threshold
            assert passes == []
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(model)  # never walked again by a pass
    finally:
        gc.callbacks.remove(count)


def test_objects_made_inside_are_still_freed_when_dropped():
    gc.enable()
    with collector.paused():
        plain, cyclic = Node(), Node()
        cyclic.other = cyclic
        gone = [weakref.ref(plain), weakref.ref(cyclic)]
    del plain, cyclic
    assert gone[0]() is None  # by reference counting, frozen or not
    assert gone[1]() is not None  # a cycle waits for the collector...
    gc.unfreeze()  # ...which fork_map hands everything back to after its workers
    gc.collect()
    assert gone[1]() is None


def test_nested_blocks_act_once_at_the_outermost():
    gc.enable()
    gc.unfreeze()
    with collector.paused():
        with collector.paused():
            kept = [Node() for _ in range(100)]
        assert not gc.isenabled() and gc.get_freeze_count() == 0
    assert gc.isenabled() and gc.get_freeze_count() >= len(kept)


def test_a_disabled_collector_stays_disabled():
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()


def _collector_on(state: None, task: int) -> bool:
    return gc.isenabled()


def test_workers_forked_while_paused_collect_as_usual():
    gc.enable()
    with collector.paused():
        assert fork_map(_collector_on, None, [1, 2, 3, 4], 2) == [True] * 4


def test_tune_sets_the_command_line_pace():
    collector.tune()
    assert gc.get_threshold() == collector.THRESHOLDS
