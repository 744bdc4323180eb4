"""What git knows about the content: the commit a build comes from."""

from __future__ import annotations

import subprocess
from pathlib import Path


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def commit_stamp(root: Path) -> str:
    """Short commit id of HEAD, marked when content differs from it; "" outside git."""
    head = _git(root, "rev-parse", "--short=12", "HEAD")
    if not head:
        return ""
    dirty = _git(root, "status", "--porcelain", "--", "content", "roadmap.toml", "templates")
    return f"{head} (with uncommitted changes)" if dirty else head
