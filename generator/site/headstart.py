"""Markdown rendered from a build's first moment, on a core that would otherwise wait.

For a third of a second a build only imports its libraries, then its main process
reads, validates, links and scores the content and makes the views, on one core. A
worker forked as the command starts, before those imports, reads the content files
meanwhile and hands them to the build (`files`: each with the stamp taken before
reading it, so the build reads nothing twice), then renders their bodies (split
exactly as loading splits them), at the lowest priority (nice 19): it takes only
time no other process of the build wants, so the parse workers and the main process
go no slower for it. `finish` stops it and takes what it rendered by then, keyed by
the markdown cache's key of each body; the pages render what is left themselves, so
the output is the same bytes either way.

The files and the results travel through anonymous in-memory files the worker writes
and the parent reads: nothing to pump while it runs, and the pages of a memory file
count in no process's resident set.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import struct
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.files import CONTENT_DIRS, CONTENT_FILES
from ..content.tree import Stamp

if TYPE_CHECKING:
    from markupsafe import Markup

    from ..cache import Cache

#: Below this many content files, forking a worker costs more than it saves.
HEAD_START_FROM = 400
#: Markdown per result the worker writes, in characters (~40 short requests, ~10 roadmap
#: items, a few milliseconds of rendering): what stopping it can lose.
BATCH_CHARS = 15_000
#: The length of what follows it: each result; the files, where it is written last.
_LENGTH = struct.Struct("<Q")


class HeadStart:
    """A worker reading the project's content files (`files`), then rendering their
    markdown bodies until `finish` or `close`.

    Nothing is forked with one job (`jobs` None: one per CPU), without fork, or for
    fewer than `least` content files (then `finish` only gives the renderer). With
    `use_cache`, bodies the cache file already holds are skipped. A context manager:
    leaving it stops the worker.
    """

    def __init__(
        self, root: Path, use_cache: bool, jobs: int | None, least: int = HEAD_START_FROM
    ) -> None:
        self._pid = 0
        self._results = -1
        self._read = -1
        if not _spare_core(jobs) or not hasattr(os, "fork") or not _has_files(root, least):
            return
        self._results, self._read = _memory_file(), _memory_file()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the worker: never returns, never runs the parent's exit handlers
            try:
                _worker(root, use_cache, self._results, self._read, parent)
            finally:
                os._exit(0)
        self._pid = pid

    @property
    def pid(self) -> int:
        """The worker's process id; 0 when none was forked, and once it is stopped."""
        return self._pid

    def files(self) -> dict[str, tuple[Stamp, bytes]]:
        """The content files the worker read first, by path, with the stamps it took: empty
        when it has not read them all yet (the build reads them itself then). Once only."""
        if self._read < 0:
            return {}
        read, self._read = self._read, -1
        try:
            head = os.pread(read, _LENGTH.size, 0)
            # the length is written last: a length means every file before it is there
            length = _LENGTH.unpack(head)[0] if len(head) == _LENGTH.size else 0
            files = marshal.loads(os.pread(read, length, _LENGTH.size)) if length else {}
        finally:
            os.close(read)
        return files if isinstance(files, dict) else {}

    def finish(self, cache: Cache | None, wait: bool = False) -> Callable[[str], Markup]:
        """The markdown filter for the pages: what the worker rendered, else a render.

        The worker is stopped where it is (with `wait`, it is let finish first: tests);
        what it rendered joins `cache`, to be saved with the pages' own.
        """
        done = self._take(wait)
        if cache is not None:
            cache.adopt(done)  # looked up by `cache.render` before rendering
            return cache.render
        from markupsafe import Markup

        from ..cache import text_key
        from .markup import render

        def markdown(text: str) -> Markup:
            html = done.get(text_key(text))
            return Markup(html) if html is not None else render(text)

        return markdown

    def _take(self, wait: bool) -> dict[str, str]:
        """The worker's results, by key of the body; the worker is over after this."""
        if self._results < 0:
            return {}
        if wait and self._pid:
            os.waitpid(self._pid, 0)
            self._pid = 0
        self._stop()  # reaped: what it wrote is whole up to its last complete result
        done = _read_results(self._results)
        self.close()
        return done

    def _stop(self) -> None:
        if self._pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
            self._pid = 0

    def close(self) -> None:
        """Stop the worker now, whatever it is doing, and free its results."""
        self._stop()
        for handle in (self._results, self._read):
            if handle >= 0:
                os.close(handle)
        self._results = self._read = -1

    def __enter__(self) -> HeadStart:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _spare_core(jobs: int | None) -> bool:
    """Whether the build has a second process to give this work to."""
    from ..parallel import default_jobs

    return (jobs if jobs is not None else default_jobs()) > 1


def _has_files(root: Path, least: int) -> bool:
    """Whether the content folders hold at least `least` entries (counted, not read)."""
    found = sum((root / single).is_file() for single in CONTENT_FILES.values())
    for folder in CONTENT_DIRS.values():
        with contextlib.suppress(OSError), os.scandir(root / folder) as entries:
            for _ in entries:
                found += 1
                if found >= least:
                    return True
    return found >= least


def _memory_file() -> int:
    """A file descriptor for the results: an anonymous memory file, else an unlinked one."""
    if hasattr(os, "memfd_create"):
        with contextlib.suppress(OSError):
            return os.memfd_create("roadmap-markdown", os.MFD_CLOEXEC)
    import tempfile

    handle, path = tempfile.mkstemp(prefix="roadmap-markdown-")
    os.unlink(path)
    return handle


def _read_results(handle: int) -> dict[str, str]:
    """Every whole result in the file: a result cut short by the stop is left out."""
    done: dict[str, str] = {}
    offset, size = 0, os.fstat(handle).st_size
    while offset + _LENGTH.size <= size:
        (length,) = _LENGTH.unpack(os.pread(handle, _LENGTH.size, offset))
        offset += _LENGTH.size
        if offset + length > size:
            break
        done.update(marshal.loads(os.pread(handle, length, offset)))
        offset += length
    return done


def _worker(root: Path, use_cache: bool, results: int, read: int, parent: int) -> None:
    """Read the project's content files into `read`, then render every distinct body
    into `results`."""
    from ..signals import die_with

    # Ctrl-C reaches the whole process group: the parent handles it and stops this one
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with(parent)
    with contextlib.suppress(OSError):
        os.nice(19)  # only the time no other process of the build wants

    from ..content.files import discover, split_frontmatter
    from ..content.tree import ContentTree

    tree = ContentTree(root)  # the links it refuses to follow are refused here too
    files: dict[str, tuple[Stamp, bytes]] = {}
    for _, path in discover(tree):
        with contextlib.suppress(OSError):  # loading reads it again, and reports it
            if (raw := tree.read(path)) is not None:
                files[path] = (tree.stamps[path], raw)
    data = marshal.dumps(files)
    _write_all(read, bytes(_LENGTH.size) + data)
    os.pwrite(read, _LENGTH.pack(len(data)), 0)  # last: the files are all there

    from ..cache import CACHE_DIR, CACHE_FILE, stored_markdown, text_key
    from .markup import render

    seen = stored_markdown(root / CACHE_DIR / CACHE_FILE) if use_cache else set()
    batch: dict[str, str] = {}
    size = 0
    for _, raw in files.values():
        try:
            parts = split_frontmatter(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            continue  # loading reports it
        if isinstance(parts, str) or not parts.body.strip():
            continue
        key = text_key(parts.body)
        if key in seen:
            continue
        seen.add(key)
        batch[key] = str(render(parts.body))
        size += len(parts.body)
        if size >= BATCH_CHARS:
            _write(results, batch)
            batch, size = {}, 0
    if batch:
        _write(results, batch)


def _write(handle: int, batch: dict[str, str]) -> None:
    data = marshal.dumps(batch)
    _write_all(handle, _LENGTH.pack(len(data)) + data)


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view) :]
