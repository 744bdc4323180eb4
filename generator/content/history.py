"""What git knows about each content file: who created and changed it, and when.

Plain data, made by :func:`generator.git.history` (the one module that runs git) and
read by the views, so that no phase below the commands depends on git itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit, as shown in history."""

    sha: str
    author: str
    date: str
    """Author date, `YYYY-MM-DD`."""
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:10]


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A commit that moved an item from one status to another."""

    commit: Commit
    old: str | None
    """Status before; None when the item was created by this commit."""
    new: str


@dataclass(frozen=True, slots=True)
class FileHistory:
    """The history of one content file, renames followed."""

    created: Commit
    last_changed: Commit
    commits: int
    status_changes: tuple[StatusChange, ...]
    """Oldest first."""


@dataclass(frozen=True, slots=True)
class History:
    """History of every content file, or why there is none."""

    files: Mapping[str, FileHistory]
    """By path relative to the project root, as at HEAD."""
    unavailable: str = ""
    """Why history is missing ("" when it is there)."""
