"""Writing the site: beside the old one, swapped in only when complete.

A failed build leaves the previous site exactly as it was (Lektor's `atomic_open`
idea, applied to the whole folder): files go to a sibling temp folder, and only
after the last one is written is the old folder renamed away and the new one
renamed into place.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType


class UnsafePathError(ValueError):
    """An output path would land outside the site folder."""


def write_into(folder: Path, relative: str, data: bytes) -> int:
    """Write `data` at `relative` under `folder`, never outside it; returns its size."""
    path = (folder / relative).resolve()
    if not path.is_relative_to(folder) or path == folder:
        raise UnsafePathError(f"refusing to write outside the site folder: {relative!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)


class SiteWriter:
    """`with SiteWriter(site_dir) as out: out.write("a/b.html", data)`; swapped in on success."""

    def __init__(self, target: Path) -> None:
        self.target = target.resolve()
        self.staging: Path | None = None
        self.count = 0
        self.bytes = 0

    def __enter__(self) -> SiteWriter:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        prefix = f".{self.target.name}.new-"
        self.staging = Path(tempfile.mkdtemp(prefix=prefix, dir=self.target.parent))
        return self

    def write(self, relative: str, data: bytes) -> None:
        assert self.staging is not None
        self.record(1, write_into(self.staging, relative, data))

    def record(self, files: int, size: int) -> None:
        """Count files written into the staging folder by other processes."""
        self.count += files
        self.bytes += size

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self.staging is not None
        if exc_type is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            return
        self.staging.chmod(0o755)  # mkdtemp makes it private; a site is meant to be served
        retired = None
        if self.target.exists():
            retired = self.target.with_name(f".{self.target.name}.old-{os.getpid()}")
            shutil.rmtree(retired, ignore_errors=True)
            self.target.rename(retired)
        self.staging.rename(self.target)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
