"""SIGINT and SIGTERM as a clean stop: KeyboardInterrupt in the process that asked.

The interrupt can be lost: CPython runs a Python signal handler between bytecodes, and
when that is inside an at-fork hook (logging's lock release, run at every fork) the
exception is printed as "ignored" and dropped: serve then ran on after SIGINT (the
intermittent hang). So the request is also remembered, and the long loops (serve's
poll, every parallel phase) call :func:`check_stop` to act on it.

A forked worker inherits the handler, and can even inherit a signal that arrived in
the parent just before the fork and was not yet handled there (CPython runs Python
handlers later, between bytecodes). In a worker the handler therefore ends the
worker at once instead: its parent is the one that stops, cleans up and reports.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading

_owner = 0
_requested = False


def _interrupt(signum: int, frame: object) -> None:
    global _requested
    if os.getpid() != _owner:
        os._exit(128 + signum)  # a worker: no cleanup of its own, no traceback
    _requested = True
    raise KeyboardInterrupt


def check_stop() -> None:
    """Raise KeyboardInterrupt if a stop was asked for and its first raise was lost.

    Only in the main thread, where the interrupt belongs: another thread (serve's
    rebuilds) would die of it with a traceback while the main thread stops anyway.
    """
    if (
        _requested
        and os.getpid() == _owner
        and threading.current_thread() is threading.main_thread()
    ):
        raise KeyboardInterrupt


def stop_on_signals() -> None:
    """SIGTERM stops as cleanly as Ctrl-C, and Ctrl-C works even in a background job,
    which a shell starts with SIGINT ignored. Only from the main thread."""
    global _owner
    _owner = os.getpid()
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, _interrupt)
    sys.unraisablehook = _quiet_when_stopping


def _quiet_when_stopping(unraisable: sys.UnraisableHookArgs) -> None:
    """A dropped interrupt is acted on (check_stop), not printed as a traceback."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt) and _requested:
        return
    sys.__unraisablehook__(unraisable)


#: prctl(2) option: the signal a process gets when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1


def die_with(parent: int) -> None:
    """End this worker (a forked process) when `parent` ends, however it ends.

    A parent that stops mid-fork cannot terminate a worker it has not registered yet,
    and such a worker, holding both ends of its task pipe, would wait for a task
    forever (seen as orphans after a serve stopped during its first build).
    """
    if sys.platform.startswith("linux"):
        import ctypes  # here: most commands never fork

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)
