"""When Python's cycle collector runs: rarely during a run, not at all while the model is built.

A run builds one large model: millions of long-lived objects with next to no reference
cycles. The collector's default pace (a pass every 700 allocations) walks them again and
again for nothing; even at the raised pace of `tune`, building the model of 11,000 files
took 12 passes, 0.13 s, that freed a few hundred objects in all.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

#: Allocations between passes over the youngest objects, and the passes between older ones.
THRESHOLDS = (50_000, 20, 20)


def tune() -> None:
    """The pace of a command-line run: collecting every 700 allocations cost ~15% of a big
    check and found next to nothing."""
    gc.set_threshold(*THRESHOLDS)


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No cycle collection inside the block, and none over what it made afterwards.

    For the phases that build the model. On leaving, everything made is frozen
    (`gc.freeze`): merely enabling the collector again made its next pass walk every
    object of the model at once (0.12 s). Frozen objects are still freed when nothing
    refers to them; only cycles among them wait for `gc.unfreeze` (which
    `parallel.fork_map` calls after its workers). Forked workers collect as usual:
    their work makes garbage, not a model. Nested blocks act once, at the outermost.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()
