"""Writing the site: beside the old one, swapped in only when complete.

A failed build leaves the previous site exactly as it was (Lektor's `atomic_open`
idea, applied to the whole folder): files go to a sibling temp folder, and only
after the last one is written is the old folder renamed away and the new one
renamed into place.

A file whose bytes equal the previous site's at the same path is hard-linked from
there instead of written again: a rebuild writes only what changed, and unchanged
files keep their modification time, so a sync to a web host sends only the changes.

The old folder is replaced only after :mod:`generator.outfolder` has shown it to be
a site (or empty, or forced), and the swap is one atomic exchange of the two folders
where the system has one (Linux's `renameat2`): a build killed at any moment leaves
either the old site or the new one in place, never neither. What a killed build
leaves beside the site (its staging folder) is removed by the next build, once a
lock shows that no running build owns it.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from pathlib import Path
from types import TracebackType

from ..content.tree import Stamp
from .outfolder import MARKER, check_output, is_site, marker
from .swap import exchange, locked, try_lock, unlock


class UnsafePathError(ValueError):
    """An output path would land outside the site folder."""


def write_into(
    folder: Path,
    relative: str,
    data: bytes,
    previous: Path | None = None,
    made: set[str] | None = None,
) -> os.stat_result:
    """Write `data` at `relative` under `folder`, never outside it; returns the file's
    status, as it was written.

    When `previous` holds a regular file with the same bytes at `relative`, that file
    is hard-linked instead (where the file system allows). `made` remembers the
    folders already created, to save a system call per file.
    """
    parts = relative.split("/")
    if "\0" in relative or any(part in ("", ".", "..") for part in parts):
        # checked on the text: the staging folder is new and holds no symbolic links,
        # so a path without empty, `.` or `..` parts cannot leave it
        raise UnsafePathError(f"refusing to write outside the site folder: {relative!r}")
    path = os.path.join(folder, relative)
    parent = relative.rpartition("/")[0]
    if parent and (made is None or parent not in made):
        os.makedirs(os.path.join(folder, parent), exist_ok=True)
        if made is not None:
            made.add(parent)
    if previous is not None:
        old = os.path.join(previous, relative)
        if _holds(old, data):
            try:
                os.link(old, path, follow_symlinks=False)
                return os.lstat(path)
            except OSError:
                pass  # another file system, or no hard links there: write it
    try:
        return _write_new(path, data)
    except FileExistsError:  # written twice: replace the file, never write through it,
        os.unlink(path)  # as it may be a link to the old site's
        return _write_new(path, data)


def _write_new(path: str, data: bytes) -> os.stat_result:
    """Create `path` (never through an existing file) holding `data`; its status."""
    # os.write, not a file object: that adds three system calls per page
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
        return os.fstat(handle)
    finally:
        os.close(handle)


#: Bytes compared first, from the end of a file.
TAIL = 1024


def _holds(path: str, data: bytes) -> bool:
    """True when `path` is a regular file (not a link to one) holding exactly `data`."""
    try:
        if not stat.S_ISREG((info := os.lstat(path)).st_mode) or info.st_size != len(data):
            return False
        with open(path, "rb") as handle:
            # the end first: a page's footer holds the build time, which changes most often
            tail = max(len(data) - TAIL, 0)
            handle.seek(tail)
            if handle.read() != data[tail:]:
                return False
            handle.seek(0)
            return handle.read(tail) == data[:tail]
    except OSError:
        return False


class SiteWriter:
    """`with SiteWriter(site_dir, root) as out: out.write("a/b.html", data)`; swapped in on success.

    Raises OutputRefused (before writing anything) when the folder may not be replaced,
    and OSError when the system refuses a write (full disk, read-only folder).
    """

    def __init__(self, target: Path, root: Path, force: bool = False) -> None:
        self.target = Path(os.path.realpath(target))
        """The real folder: a symbolic link to a site keeps pointing at the new one."""
        self.root = root
        self.force = force
        self.staging: Path | None = None
        self.previous: Path | None = None
        """The site being replaced, when there is one: unchanged files are linked from it."""
        self._made: set[str] = set()
        """Folders made in the staging folder (by this process: each worker has a copy)."""
        self._lock: int | None = None
        self.count = 0
        self.bytes = 0
        self.stamps: dict[str, Stamp] = {}
        """Every file written, with its stamp (a record of the site without walking it);
        files written by other processes come with `record`."""

    def __enter__(self) -> SiteWriter:
        check_output(self.target, self.root, self.force)
        remove_leftovers(self.target)
        for _ in range(3):
            self.staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(self.target),
                                                 dir=self.target.parent))  # fmt: skip
            try:
                self._lock = try_lock(self.staging)  # shows other builds it is in use
                break
            except FileNotFoundError:
                continue  # another build took it for a leftover before it was locked
        else:
            raise OSError(errno.EBUSY, "cannot claim a staging folder", str(self.target.parent))
        try:
            # first: a leftover folder then shows it is ours
            self._stamp(MARKER, write_into(self.staging, MARKER, marker(self.target, self.root)))
        except BaseException:
            self._discard()
            raise
        self.previous = self.target if is_site(self.target) else None
        return self

    def write(self, relative: str, data: bytes) -> None:
        self.record(1, self.put(relative, data))

    def put(self, relative: str, data: bytes) -> int:
        """Write one file into the staging folder, from any process; returns its size.

        A worker hands the stamps of what it wrote to its parent (`take_stamps`)."""
        assert self.staging is not None
        return self._stamp(relative, write_into(self.staging, relative, data, self.previous,
                                                self._made))  # fmt: skip

    def _stamp(self, relative: str, status: os.stat_result) -> int:
        self.stamps[relative] = (status.st_mtime_ns, status.st_size, status.st_ino)
        return status.st_size

    def take_stamps(self) -> dict[str, Stamp]:
        """The stamps of the files this process wrote since the last call."""
        taken, self.stamps = self.stamps, {}
        return taken

    def record(self, files: int, size: int, stamps: dict[str, Stamp] | None = None) -> None:
        """Count files written into the staging folder by other processes."""
        self.count += files
        self.bytes += size
        self.stamps.update(stamps or {})

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self.staging is not None
        if exc_type is not None:
            self._discard()
            return
        try:
            self.staging.chmod(0o755)  # mkdtemp makes it private; a site is meant to be served
            check_output(self.target, self.root, self.force)  # it may have changed meanwhile
            if self.target.exists():
                exchange(self.staging, self.target)  # the old site now sits at staging
            else:
                exchange(self.staging, self.target, replace=False)
        except BaseException:
            self._discard()
            raise
        self._discard()  # the old site, proven ours before the exchange

    def _discard(self) -> None:
        """Remove the staging folder (a half-written site, or the old one after the swap)."""
        assert self.staging is not None
        shutil.rmtree(self.staging, ignore_errors=True)
        if self._lock is not None:
            unlock(self._lock)
            self._lock = None


def _staging_prefix(target: Path) -> str:
    return f".{target.name}.new-"


def remove_leftovers(target: Path) -> list[Path]:
    """Remove what killed builds left beside `target`; returns what was removed.

    Only folders named as this writer names them, that no running build holds the lock
    of, and that are empty or hold the site marker: nothing else is ever touched.
    """
    removed: list[Path] = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    for name in sorted(names):
        if not name.startswith((_staging_prefix(target), f".{target.name}.old-")):
            continue
        path = target.parent / name
        if path.is_symlink() or not path.is_dir():
            continue
        with locked(path) as free:
            if free and (is_site(path) or not any(path.iterdir())):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed
