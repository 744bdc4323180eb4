"""Progress on the terminal, with rich: shown only to a person watching.

Nothing is shown when stderr is not a terminal (a pipe, a file, CI logs), when `CI` is
set to a true value (the variable every CI service sets), with `--quiet`, or when the
output is for a machine (`--format json` or `github`). The display is transient, on
stderr, and redrawn at most four times a second.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from ..progress import SILENT, Progress

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID


def wanted(quiet: bool = False, fmt: str = "text") -> bool:
    """Whether progress should be shown for this run."""
    in_ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return not quiet and fmt == "text" and not in_ci and sys.stderr.isatty()


def progress_for(quiet: bool = False, fmt: str = "text") -> Progress:
    """A terminal display when :func:`wanted`, else :data:`SILENT`."""
    return TerminalProgress() if wanted(quiet, fmt) else SILENT


class TerminalProgress(Progress):
    """One line on stderr: a spinner, the phase, a bar and a count when the total is known."""

    def __init__(self) -> None:
        # imported here: only a run on a terminal pays for rich
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.progress import Progress as RichProgress

        self._display: RichProgress = RichProgress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
            refresh_per_second=4,
        )
        self._task: TaskID | None = None
        self._display.start()

    def phase(self, name: str, total: int | None = None) -> None:
        if self._task is not None:
            self._display.remove_task(self._task)
        self._task = self._display.add_task(name, total=total)

    def advance(self, steps: int = 1) -> None:
        if self._task is not None:
            self._display.advance(self._task, steps)

    def close(self) -> None:
        self._display.stop()
