"""Progress of a long command: the phases report it, the command line decides how it shows.

A phase says what it is doing (`phase`) and how far it got (`advance`); nothing here
prints. The default, :data:`SILENT`, is what library calls, `serve` and every run that
is not on a terminal get.
"""

from __future__ import annotations


class Progress:
    """Progress that goes nowhere; subclasses show it."""

    def phase(self, name: str, total: int | None = None) -> None:
        """A new phase begins: `name` for people, `total` steps when known."""

    def advance(self, steps: int = 1) -> None:
        """`steps` more of the current phase's `total` are done."""

    def close(self) -> None:
        """The command is done: take the display away."""


SILENT = Progress()
