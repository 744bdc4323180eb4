"""Swapping a finished site into place in one step, and telling live builds from dead ones.

`exchange` swaps two folders atomically with Linux's `renameat2(RENAME_EXCHANGE)`: at
every instant the site's path holds a complete site, the old one or the new one.
Where the system has no such call, two renames stand in for it (the site's path is
briefly empty, and the next build tidies up whatever a kill left behind).

A running build holds an advisory lock (`flock`) on its staging folder, so that
another build tidying up leftovers never removes a folder still being written.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
from collections.abc import Callable, Iterator
from pathlib import Path

_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2


def _load_renameat2() -> Callable[[int, bytes, int, bytes, int], int] | None:
    try:
        found: Callable[[int, bytes, int, bytes, int], int] = ctypes.CDLL(
            None, use_errno=True
        ).renameat2
        return found
    except (OSError, AttributeError):  # not glibc 2.28+ (or not Linux)
        return None


_renameat2 = _load_renameat2()


def _rename2(source: Path, target: Path, flags: int) -> None:
    if _renameat2 is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    done = _renameat2(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags)
    if done != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(target))


_UNSUPPORTED = (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP)


def exchange(staging: Path, target: Path, replace: bool = True) -> None:
    """Put the folder `staging` at `target`; the folder that was at `target` ends at `staging`.

    With `replace=False` (no site yet) `staging` simply moves, unless another build
    put a site at `target` in the meantime: then the two are exchanged.
    """
    for _ in range(5):  # concurrent builds can make the target appear or vanish between tries
        try:
            _rename2(staging, target, _RENAME_EXCHANGE if replace else _RENAME_NOREPLACE)
            return
        except OSError as exc:
            if exc.errno in _UNSUPPORTED:
                _two_renames(staging, target)
                return
            if replace and exc.errno == errno.ENOENT and staging.exists():
                replace = False  # the target vanished: move into its place
            elif not replace and exc.errno in (errno.EEXIST, errno.ENOTEMPTY):
                replace = True  # a site appeared: exchange with it
            else:
                raise
    raise OSError(errno.EBUSY, "the site folder kept changing under concurrent builds", str(target))


def _two_renames(staging: Path, target: Path) -> None:
    if not target.exists():
        os.rename(staging, target)
        return
    retired = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.rename(target, retired)
    os.rename(staging, target)
    os.rename(retired, staging)


def try_lock(folder: Path) -> int:
    """Lock `folder` for this build (blocking briefly if another build is looking at it)."""
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        if os.stat(folder).st_ino != os.fstat(handle).st_ino:
            raise FileNotFoundError(errno.ENOENT, "staging folder removed", str(folder))
    except BaseException:
        os.close(handle)
        raise
    return handle


def unlock(handle: int) -> None:
    os.close(handle)  # closing releases the lock


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[bool]:
    """Whether `folder` is free (no build holds its lock); it stays locked inside the block."""
    try:
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(handle)
