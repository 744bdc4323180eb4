"""Rendered markdown and parsed frontmatter, cached on disk by content hash.

Markdown is most of a build's time; an unchanged body never needs rendering again,
and unchanged frontmatter never needs parsing again. The cache is one SQLite file
under `.cache/` (git-ignored). Its entries belong to a fingerprint of everything
that could change the output — this tool's version, markdown-it's, PyYAML's, the
parser options, the templates and roadmap.toml — and the cache empties itself when
the fingerprint changes.

Frontmatter is stored as JSON, never pickled: a cache restored from elsewhere (a CI
cache) can hold wrong values at worst, never code. Only documents whose every value
survives JSON exactly are stored (strings, numbers, booleans, null, lists, mappings
with string keys, and dates, which are tagged); anything else is parsed each time.

Workers (forked processes) each open their own connection: SQLite handles many
readers; only the parent writes, after the workers hand back what they rendered.

A cache is never worth a failed build: a file that is corrupt, not SQLite, or made
by something else is renamed aside (`markdown.sqlite3.unusable`, never deleted) and
a new one made; any later SQLite error turns the cache off for the rest of the run
and sets the file aside the same way, so the next run starts clean.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from markupsafe import Markup

from . import __version__

CACHE_DIR = ".cache"
CACHE_FILE = "markdown.sqlite3"


def fingerprint(project_files: Iterable[Path], options: str) -> str:
    """Hash of the tool versions, the markdown `options` and the given files' contents."""
    digest = hashlib.sha256()
    digest.update(versions(("markdown-it-py", "mdit-py-plugins", "PyYAML")).encode())
    digest.update(f"generator={__version__};{options}".encode())
    for path in sorted(project_files):
        if path.is_file():
            digest.update(path.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def versions(packages: Iterable[str]) -> str:
    """`name=version;` of each installed package (`name=?;` when it is not installed)."""
    from importlib.metadata import PackageNotFoundError, version  # 30 ms, for a build only

    found = []
    for package in packages:
        try:
            found.append(f"{package}={version(package)};")
        except PackageNotFoundError:
            found.append(f"{package}=?;")
    return "".join(found)


def _unset(text: str) -> Markup:
    raise RuntimeError("this cache was made without a markdown renderer")


class Cache:
    """`render(text)` with a disk cache; new entries are kept until `save()`.

    `renderer` is the markdown renderer whose output is cached: it must escape raw HTML
    (the cached text is trusted as safe markup when read back).
    """

    def __init__(
        self, path: Path | None, stamp: str, renderer: Callable[[str], Markup] = _unset
    ) -> None:
        self.path = path
        self.stamp = stamp
        self.renderer = renderer
        self.new: dict[str, str] = {}
        """Entries rendered in this process and not yet saved."""
        self.new_frontmatter: dict[str, str] = {}
        """Frontmatter parsed in this process and not yet saved, as JSON."""
        self.adopted: dict[str, str] = {}
        """Entries rendered by a worker ahead of the pages, saved with `new` (kept apart so
        that the page workers forked later do not hand them back again)."""
        self.hits = 0
        self.misses = 0
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._frontmatter: dict[str, str] | None = None
        """Every stored frontmatter entry, read in one query on the first lookup."""
        self._stored: set[str] | None = None
        """Keys of the stored markdown, read in one query on the first lookup: a body
        not among them is rendered without asking SQLite (every body, on a cold build)."""
        self.problem: str | None = None
        """Why the cache was set aside or turned off during this run, if it was."""
        if path is not None:
            self._open()

    def _open(self) -> None:
        assert self.path is not None
        if self.path.parent.is_symlink() or self.path.is_symlink():
            self.problem = f"{self.path} is a symbolic link: building without the cache"
            self.path = None  # never written through a link to who knows where
            return
        try:
            self._reset_if_stale()
        except sqlite3.Error as exc:
            self._set_aside(exc)
            try:
                self._reset_if_stale()
                self.problem = f"{self.problem}; a new cache was made"
            except sqlite3.Error as again:
                self._turn_off(again)
        except OSError as exc:  # .cache cannot be made: a read-only checkout
            self.problem = f"cannot use {self.path}: {exc.strerror or exc}"
            self.path = None

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
            db.execute("CREATE TABLE IF NOT EXISTS frontmatter (hash TEXT PRIMARY KEY, data TEXT)")
            # a table of the same name made by something else fails here, not mid-build
            for table, columns in _SCHEMA.items():
                db.execute(f"SELECT {columns} FROM {table} LIMIT 1").fetchall()
            row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            if row is None or row[0] != self.stamp:
                db.execute("DELETE FROM html")
                db.execute("DELETE FROM frontmatter")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (self.stamp,))
        self._connection, self._pid = None, 0  # reopen lazily, after any fork

    def _set_aside(self, exc: Exception) -> None:
        """Rename the cache file (and its journals) to `*.unusable`, replacing an older one."""
        assert self.path is not None
        self._drop_connection()
        for suffix in ("", "-journal", "-wal", "-shm"):
            # a journal left beside a new database would be replayed into it
            source = self.path.with_name(self.path.name + suffix)
            if source.exists() or source.is_symlink():
                os.replace(source, self.path.with_name(self.path.name + suffix + ".unusable"))
        self.problem = f"the cache {self.path} was unusable ({exc}) and was set aside as *.unusable"

    def _turn_off(self, exc: Exception) -> None:
        """No cache for the rest of this run; the next run starts from a new file."""
        if self.path is None:
            return
        with contextlib.suppress(OSError):  # else the next run meets it and tries again
            self._set_aside(exc)
        self.problem = f"the cache failed ({exc}): building without it"
        self.path = None
        self.new.clear()
        self.new_frontmatter.clear()
        self.adopted.clear()

    def _drop_connection(self) -> None:
        if self._connection is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
        self._connection, self._pid = None, 0

    def render(self, text: str) -> Markup:
        key = text_key(text)
        cached = self.new.get(key) or self.adopted.get(key)
        if cached is None and key in self._stored_keys() and (db := self._connect()) is not None:
            try:
                row = db.execute("SELECT html FROM html WHERE hash = ?", (key,)).fetchone()
            except sqlite3.Error as exc:
                self._turn_off(exc)
                row = None
            cached = row[0] if row and isinstance(row[0], str) else None
        if cached is not None:
            self.hits += 1
            return Markup(cached)  # rendered by the renderer, which escapes raw HTML
        self.misses += 1
        html = self.renderer(text)
        self.new[key] = str(html)
        return html

    def _stored_keys(self) -> set[str]:
        if self._stored is None:
            self._stored = set()
            if (db := self._connect()) is not None:
                try:
                    self._stored = {k for (k,) in db.execute("SELECT hash FROM html")}
                except sqlite3.Error as exc:
                    self._turn_off(exc)
        return self._stored

    def frontmatter(self, yaml_text: str) -> dict[str, Any] | None:
        """The mapping `yaml_text` parsed to when it was stored, or None."""
        if self._frontmatter is None:
            # a build looks up every file: one query beats one per file several times over
            self._frontmatter = {}
            if (db := self._connect()) is not None:
                try:
                    rows = db.execute("SELECT hash, data FROM frontmatter").fetchall()
                    self._frontmatter = {k: v for k, v in rows if isinstance(v, str)}
                except sqlite3.Error as exc:
                    self._turn_off(exc)
        if not self._frontmatter:
            return None  # a cold build: no hash to compute for each file
        stored = self._frontmatter.get(text_key(yaml_text))
        if stored is None:
            return None
        try:
            data = _DECODER.decode(stored)
        except ValueError:  # not what this tool writes: parse the text instead
            return None
        return data if isinstance(data, dict) else None

    def keep_frontmatter(self, yaml_text: str, data: dict[str, Any]) -> None:
        """Store a cleanly parsed mapping, when JSON can hold it exactly."""
        if _exact(data):
            self.new_frontmatter[text_key(yaml_text)] = _ENCODER.encode(data)

    def take_new(self) -> dict[str, str]:
        """Hand over the entries rendered here (from a worker to the parent)."""
        new, self.new = self.new, {}
        return new

    def adopt(self, entries: dict[str, str]) -> None:
        """Keep entries a worker rendered, to be saved by the next `save`."""
        self.adopted.update(entries)

    def take_new_frontmatter(self) -> dict[str, str]:
        new, self.new_frontmatter = self.new_frontmatter, {}
        return new

    def save(self, entries: dict[str, str] | None = None) -> None:
        """Write new entries (this process's, plus `entries` from workers)."""
        pending = {**self.adopted, **self.take_new(), **(entries or {})}
        self.adopted = {}
        parsed = self.take_new_frontmatter()
        db = self._connect()
        if db is None or not (pending or parsed):
            return
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO html VALUES (?, ?)", pending.items())
                db.executemany("INSERT OR REPLACE INTO frontmatter VALUES (?, ?)", parsed.items())
        except sqlite3.Error as exc:
            self._turn_off(exc)
            return
        if self._frontmatter is not None:
            self._frontmatter.update(parsed)
        if self._stored is not None:
            self._stored.update(pending)

    def close(self) -> None:
        self._drop_connection()


#: The columns this tool reads from each table.
_SCHEMA = {"meta": "key, value", "html": "hash, html", "frontmatter": "hash, data"}


_DATE = "\0date"


def text_key(text: str) -> str:
    """The key of a text's entry: its hash."""
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def stored_markdown(path: Path) -> set[str]:
    """Keys of the markdown stored in the cache file at `path`, read without writing to it
    (an empty set when it is missing or unreadable). Whether the entries are current is
    for `Cache` to decide, on opening the file."""
    if not path.is_file() or path.is_symlink() or path.parent.is_symlink():
        return set()
    try:
        uri = f"{path.absolute().as_uri()}?mode=ro"  # read only: the build may be resetting it
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
            return {key for (key,) in db.execute("SELECT hash FROM html") if isinstance(key, str)}
    except sqlite3.Error:
        return set()


#: The types JSON (with tagged dates) gives back exactly, besides lists and mappings.
_EXACT_SCALARS = frozenset({str, int, float, bool, dt.date, type(None)})


def _exact(value: Any) -> bool:
    """True when JSON (with tagged dates) gives back exactly this value."""
    pending = [value]  # a walk without recursion: this runs for every file of a cold build
    while pending:
        found = pending.pop()
        kind = type(found)
        if kind in _EXACT_SCALARS:
            continue
        if kind is list:
            pending.extend(found)
        elif kind is dict and all(type(k) is str and not k.startswith("\0") for k in found):
            pending.extend(found.values())
        else:
            return False  # datetimes, sets, keys JSON would turn into text: parsed each time
    return True


def _tag(value: Any) -> dict[str, str]:
    if type(value) is dt.date:
        return {_DATE: value.isoformat()}
    raise TypeError(type(value).__name__)


def _untag(mapping: dict[str, Any]) -> Any:
    if len(mapping) == 1 and _DATE in mapping:
        return dt.date.fromisoformat(mapping[_DATE])
    return mapping


_DECODER = json.JSONDecoder(object_hook=_untag)
#: One encoder for every entry: `json.dumps` with a `default` makes a new one per call.
#: No check for reference cycles: YAML without aliases (refused) makes none.
_ENCODER = json.JSONEncoder(default=_tag, check_circular=False)
