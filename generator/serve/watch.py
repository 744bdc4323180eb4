"""Watching the project for saves: content/, templates/ and roadmap.toml."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import CONFIG_FILE

if TYPE_CHECKING:
    from watchdog.observers.api import ObservedWatch

WATCHED_FOLDERS = ("content", "templates")
WRITE_EVENTS = frozenset({"created", "modified", "deleted", "moved", "closed"})


class Watcher:
    """Watch content/, templates/ and roadmap.toml; call `on_change` once per burst.

    A watched folder that is deleted and made again (a `git checkout`, a restore from
    a backup) is watched again: the root's own watch sees it come back.
    """

    def __init__(self, root: Path, on_change: Callable[[set[str]], None], debounce: float = 0.04):
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        self.root, self.on_change, self.debounce = root, on_change, debounce
        self._pending: set[str] = set()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._watches: dict[str, ObservedWatch] = {}
        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                # watchdog also reports files being opened and closed unwritten: a
                # rebuild reads every file, and must not trigger the next one
                if event.event_type not in WRITE_EVENTS:
                    return
                for raw in (event.src_path, getattr(event, "dest_path", "")):
                    if raw and watcher.relevant(str(raw)):
                        watcher._pending.add(str(raw))
                        watcher._wake.set()

        self._handler = Handler()
        self.observer = Observer()
        for folder in WATCHED_FOLDERS:
            self._watch(folder)
        self.observer.schedule(self._handler, str(root), recursive=False)
        self.thread = threading.Thread(target=self._run, name="roadmap-watch", daemon=True)

    def _watch(self, folder: str) -> None:
        """(Re)start the recursive watch of `folder`, when it is a folder."""
        if folder in self._watches:
            with contextlib.suppress(KeyError, OSError):
                self.observer.unschedule(self._watches.pop(folder))
        if (self.root / folder).is_dir():
            with contextlib.suppress(OSError):  # gone again already: the next event retries
                watch = self.observer.schedule(
                    self._handler, str(self.root / folder), recursive=True
                )
                self._watches[folder] = watch

    def relevant(self, raw: str) -> bool:
        path = Path(raw)
        try:
            relative = path.relative_to(self.root).as_posix()
        except ValueError:
            return False
        name = path.name
        if name.startswith((".#", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp")):
            return False  # editor scratch files
        return (
            relative == CONFIG_FILE
            or relative in WATCHED_FOLDERS
            or relative.startswith(tuple(f"{folder}/" for folder in WATCHED_FOLDERS))
        )

    def start(self) -> None:
        self.observer.start()
        self.thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self._wake.wait(timeout=0.5):
                continue
            # a save arrives as several events within a millisecond: wait for quiet
            while self._wake.is_set():
                self._wake.clear()
                time.sleep(self.debounce)
            batch, self._pending = self._pending, set()
            for folder in WATCHED_FOLDERS:
                if str(self.root / folder) in batch:  # the folder itself came or went
                    self._watch(folder)
            if batch and not self._stop.is_set():
                self.on_change(batch)

    def stop(self) -> None:
        """Stop watching; safe at any moment, even before `start` ran (a Ctrl-C can come
        between making the watcher and starting it)."""
        self._stop.set()
        self._wake.set()
        self.observer.stop()
        if self.observer.ident is not None:  # joining a thread never started raises
            self.observer.join(timeout=0.5)  # its threads are daemons: never wait long


def needs_full_rebuild(root: Path, changed: set[str]) -> bool:
    """Templates and settings change every page; content changes only some, unless a
    whole folder came or went (its files may have arrived unseen)."""
    templates = str(root / "templates")
    folders = {str(root / folder) for folder in WATCHED_FOLDERS}
    return any(p.startswith(templates) or p.endswith(CONFIG_FILE) or p in folders for p in changed)
