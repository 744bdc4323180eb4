"""Rendered markdown, cached on disk by content hash.

Markdown is most of a build's time; an unchanged body never needs rendering again.
The cache is one SQLite file under `.cache/` (git-ignored). Its entries belong to
a fingerprint of everything that could change the output — this tool's version,
markdown-it's, the parser options, the templates and roadmap.toml — and the
cache empties itself when the fingerprint changes.

Workers (forked processes) each open their own connection: SQLite handles many
readers; only the parent writes, after the workers hand back what they rendered.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from markupsafe import Markup

from . import __version__, markup

CACHE_DIR = ".cache"
CACHE_FILE = "markdown.sqlite3"


def fingerprint(project_files: Iterable[Path]) -> str:
    """Hash of the tool versions, the parser options and the given files' contents."""
    digest = hashlib.sha256()
    for package in ("markdown-it-py", "mdit-py-plugins"):
        try:
            digest.update(f"{package}={version(package)};".encode())
        except PackageNotFoundError:
            digest.update(f"{package}=?;".encode())
    digest.update(f"generator={__version__};{markup.OPTIONS!r}".encode())
    for path in sorted(project_files):
        if path.is_file():
            digest.update(path.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class MarkdownCache:
    """`render(text)` with a disk cache; new entries are kept until `save()`."""

    def __init__(self, path: Path | None, stamp: str) -> None:
        self.path = path
        self.stamp = stamp
        self.new: dict[str, str] = {}
        """Entries rendered in this process and not yet saved."""
        self.hits = 0
        self.misses = 0
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        if path is not None:
            self._reset_if_stale()

    def _connect(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        if self._connection is None or self._pid != os.getpid():  # one per process
            self._connection = sqlite3.connect(self.path, timeout=30)
            self._pid = os.getpid()
        return self._connection

    def _reset_if_stale(self) -> None:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = self._connect()
        assert db is not None
        with db:
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS html (hash TEXT PRIMARY KEY, html TEXT)")
            row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            if row is None or row[0] != self.stamp:
                db.execute("DELETE FROM html")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (self.stamp,))
        self._connection, self._pid = None, 0  # reopen lazily, after any fork

    def render(self, text: str) -> Markup:
        key = hashlib.blake2b(text.encode(), digest_size=20).hexdigest()
        cached = self.new.get(key)
        if cached is None:
            db = self._connect()
            row = (
                db.execute("SELECT html FROM html WHERE hash = ?", (key,)).fetchone()
                if db
                else None
            )
            cached = row[0] if row else None
        if cached is not None:
            self.hits += 1
            return Markup(cached)  # rendered by markup.render, which escapes raw HTML
        self.misses += 1
        html = markup.render(text)
        self.new[key] = str(html)
        return html

    def take_new(self) -> dict[str, str]:
        """Hand over the entries rendered here (from a worker to the parent)."""
        new, self.new = self.new, {}
        return new

    def save(self, entries: dict[str, str] | None = None) -> None:
        """Write new entries (this process's, plus `entries` from workers)."""
        pending = {**self.take_new(), **(entries or {})}
        db = self._connect()
        if db is None or not pending:
            return
        with db:
            db.executemany("INSERT OR REPLACE INTO html VALUES (?, ?)", pending.items())

    def close(self) -> None:
        if self._connection is not None and self._pid == os.getpid():
            self._connection.close()
        self._connection = None
