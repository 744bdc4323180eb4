"""Test helpers: small content trees as real files, and the `roadmap` command as a process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from generator.pipeline import CheckResult

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

ITEM = """\
---
title: An item
status: later
---
Body.
"""

REQUEST = """\
---
title: A request
submitted: 2026-01-05
requester: Ann (AE)
---
Body.
"""


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (path -> text or bytes) under root; text is dedented."""
    (root / "content" / "requests").mkdir(parents=True, exist_ok=True)
    (root / "content" / "roadmap").mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


def problems(result: CheckResult) -> list[tuple[str, int, str]]:
    """(path, line, code) of every diagnostic, sorted."""
    return sorted((d.path, d.line, d.code) for d in result.report.diagnostics)


#: 2026-01-10: a fixed "today" so age-based warnings do not depend on the calendar.
FIXED_EPOCH = "1768003200"


def roadmap(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd or REPO,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def site_files(folder: Path) -> dict[str, bytes]:
    """Every file of a built site by relative path, except the marker `roadmap build` leaves
    (a served site, kept in memory, has no use for it)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".roadmap-site"
    }
