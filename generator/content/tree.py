"""Where content files are read from: the working tree on disk, or a git revision in memory.

Symbolic links leading outside the project are never followed; both trees list,
read and stamp files the same way, so every phase works on either.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

Stamp = tuple[int, int, int]
"""(modification time in ns, size, inode) of a file: equal stamps mean an unchanged file."""


class ContentTree:
    """Files of a project, read from the working tree: the root folder on disk.

    Symbolic links that lead outside the root are never followed (a pull request must
    not be able to make CI read a runner's files into the site): they are listed in
    `refused`, for `discover` to report. Links that stay inside the root work.
    """

    def __init__(self, root: Path, held: dict[str, tuple[Stamp, bytes]] | None = None) -> None:
        self.root = root
        self.refused: dict[str, str] = {}
        """Paths (relative to the root) not followed, and where each leads."""
        self._real_root = os.path.realpath(root)
        self.stamps: dict[str, Stamp] = {}
        """(mtime, size, inode) of each file read, taken from the open file before reading
        it: an edit made after that gives the file another stamp."""
        self._held = held if held is not None else {}
        """Files another process of this run already read, by path, with their stamps:
        each is handed out once, as read then (an edit made since gives the next run
        another stamp, as for a file edited just after this one read it)."""

    def leads_out(self, relative: str) -> bool:
        """True (and remembered in `refused`) when `relative` resolves outside the root."""
        real = os.path.realpath(os.path.join(self.root, relative))
        if within(self._real_root, real):
            return False
        self.refused[relative] = real
        return True

    def scan_links(self, folder: str) -> None:
        """Remember (in `refused`) every link under `folder` that leads out of the root."""
        top = os.path.join(self.root, folder)
        if not os.path.lexists(top) or self.leads_out(folder):
            return
        for directory, folders, names in os.walk(top):  # links to folders are not entered
            for name in folders + names:
                path = os.path.join(directory, name)
                if os.path.islink(path):
                    self.leads_out(os.path.relpath(path, self.root).replace(os.sep, "/"))

    def names(self, folder: str) -> list[str]:
        """File names directly in `folder` (relative to the root)."""
        directory = os.path.join(self.root, folder)
        if not os.path.isdir(directory) or self.leads_out(folder):
            return []
        with os.scandir(directory) as entries:
            return [
                e.name for e in entries
                if _file_or_unreadable(e)
                and not (e.is_symlink() and self.leads_out(f"{folder}/{e.name}"))
            ]  # fmt: skip

    def read(self, relative: str) -> bytes | None:
        """The file's bytes; None when it is missing or a link leading out of the project.

        Raises OSError when it exists but cannot be read (permissions, a link loop).
        """
        held = self._held.pop(relative, None)
        if held is not None:
            self.stamps[relative] = held[0]
            return held[1]
        path = os.path.join(self.root, relative)
        try:  # one open, not pathlib's stat and open: this runs for every file
            handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError as exc:
            if exc.errno == errno.ELOOP and not self.leads_out(relative):
                handle = os.open(path, os.O_RDONLY)  # a link that stays inside the project
            elif exc.errno in (errno.ENOENT, errno.EISDIR, errno.ENOTDIR, errno.ELOOP):
                return None
            else:
                raise
        try:  # os.read, not a file object: that adds four system calls per file
            info = os.fstat(handle)
            size = info.st_size
            self.stamps[relative] = (info.st_mtime_ns, size, info.st_ino)
            parts = [os.read(handle, size + 1)]  # + 1: the file may have grown meanwhile
            while parts[-1]:
                parts.append(os.read(handle, max(size, 1 << 16)))
            return b"".join(parts)
        finally:
            os.close(handle)

    def stamp(self, relative: str) -> Stamp | None:
        """(mtime, size, inode) of a file: equal stamps mean an unchanged file."""
        return file_stamp(os.path.join(self.root, relative))  # not pathlib: once per file


def file_stamp(path: Path | str) -> Stamp | None:
    """(mtime in ns, size, inode) of the file at `path`; None when it cannot be read."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def _file_or_unreadable(entry: os.DirEntry[str]) -> bool:
    """A file, or a name that cannot be told apart (a link loop): reading says why (E110)."""
    try:
        return entry.is_file()
    except OSError:
        return True


def within(real_root: str, path: str) -> bool:
    """Whether `path` (a real path: links resolved) is `real_root` or inside it."""
    return path == real_root or path.startswith(real_root.rstrip(os.sep) + os.sep)


class MemoryTree(ContentTree):
    """Files of a project at a git revision, held in memory (nothing is checked out)."""

    def __init__(self, files: dict[str, bytes], refused: dict[str, str] | None = None) -> None:
        self.files = files
        self.refused = dict(refused or {})
        self.stamps = {}  # nothing is stamped: a revision is read once

    def names(self, folder: str) -> list[str]:
        prefix = folder.rstrip("/") + "/"
        return [
            p[len(prefix) :]
            for p in self.files
            if p.startswith(prefix) and "/" not in p[len(prefix) :]
        ]

    def read(self, relative: str) -> bytes | None:
        return self.files.get(relative)

    def scan_links(self, folder: str) -> None:
        pass  # git holds a link as its target's text: nothing here is followed

    def stamp(self, relative: str) -> Stamp | None:
        return None  # nothing to remember: a revision is read once
