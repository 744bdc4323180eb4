"""The site `roadmap serve` serves: kept in memory, rebuilt on each save.

Each rebuild produces a new mapping of path to bytes and swaps it in whole, so a
request is answered from one complete site, never a half-written one. A save is
given to the same phases a build runs, with their previous results: an edit made in
place is applied to the last good model (each phase makes again only what the edit
reaches), anything else is checked afresh; either way only the pages whose inputs
changed are rendered, and the rest keep their bytes.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from ..build import build_time, markdown_cache
from ..cache import Cache
from ..clock import today
from ..content.history import History
from ..diagnostics import Diagnostic
from ..git import commit_stamp, head, history
from ..parallel import default_jobs
from ..pipeline import CheckMemo, CheckResult, check
from ..site import exports, rendering, theme
from ..site.audience import AUDIENCES, AudienceName
from ..site.present import Presented, present
from ..site.rendering import Page


@dataclass
class Outcome:
    """What a rebuild did."""

    changed: list[str]
    """Paths whose bytes changed (empty when nothing did, or on errors)."""
    errors: list[Diagnostic]
    """Errors found: the previous site is still being served."""
    warnings: list[Diagnostic]
    rendered: int
    """Pages rendered this time."""
    seconds: float
    incremental: bool = False
    """True when the fast path applied the edit to the last good model."""


@dataclass
class _Session:
    """What stays valid until templates or roadmap.toml change."""

    built: str
    """Build time shown on every page: fixed, or every page would change on each save."""
    commit: str
    cache: Cache
    env: Environment
    fragments: rendering.Fragments = field(default_factory=rendering.Fragments)
    rows: exports.Rows = field(default_factory=exports.Rows)
    memo: CheckMemo = field(default_factory=CheckMemo)
    history: tuple[str | None, History] | None = None
    """History and the HEAD it was read at: it only changes when HEAD moves."""


@dataclass(frozen=True, slots=True)
class _Served:
    """The last good state: what the served files were made from."""

    result: CheckResult
    presented: Presented
    pages: dict[str, Page]
    """Every page, by path."""


@dataclass
class LiveSite:
    """The site being served, rebuilt from the project on demand."""

    root: Path
    audience: AudienceName
    jobs: int = field(default_factory=default_jobs)
    files: dict[str, bytes] = field(default_factory=dict)
    """The complete site as served; replaced whole, never changed in place."""
    errors: list[Diagnostic] = field(default_factory=list)
    version: int = 0
    _state: _Served | None = None
    """The last good state the served files were made from."""
    _edited: set[str] = field(default_factory=set)
    """Paths (relative to the root) saved since that state."""
    _session: _Session | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def state(self) -> Presented | None:
        """The last good state: the model, scores and views the served files show."""
        return self._state.presented if self._state is not None else None

    def rebuild(self, edited: Iterable[str] | None = None, full: bool = False) -> Outcome:
        """Bring the site up to date; `edited` names the paths saved since the last call.

        Without `edited` (or with `full`) every file is checked again.
        """
        started = time.perf_counter()
        with self._lock:
            if full or self._session is None:
                self._start_session()
            session = self._session
            assert session is not None
            if edited is not None:
                self._edited.update(self._relative(edited))
            current, last = self._history(), self._state
            previous = last if last and not full and current is last.presented.history else None
            result = check(
                self.root, self.jobs, session.memo, session.cache,
                previous.result if previous else None, self._edited if previous else None,
            )  # fmt: skip
            if result.roadmap is None or result.scores is None:
                return self._failed(result.report.errors, result.report.warnings, started)
            update = previous if result.reach is not None else None
            presented = present(
                result.roadmap, result.scores, AUDIENCES[self.audience], session.built,
                session.commit, current, today(), update.presented if update else None,
                result.reach,
            )  # fmt: skip
            candidates = list(rendering.pages(presented.site, result.scores, presented.remade))
            pages = {**update.pages} if update else {}
            pages.update((page.path, page) for page in candidates)
            state = _Served(result, presented, pages)
            rendered, count = self._render(state, candidates, full_site=update is None)
            changed = sorted(p for p, data in rendered.items() if self.files.get(p) != data)
            files = {**self.files, **rendered} if update is not None else rendered
            changed += sorted(p for p in self.files if p not in files)
            self.files, self.errors, self._state, self._edited = files, [], state, set()
            self.version += 1
            seconds = time.perf_counter() - started
            warnings = result.report.warnings
            return Outcome(changed, [], warnings, count, seconds, update is not None)

    def _render(
        self, state: _Served, candidates: list[Page], full_site: bool
    ) -> tuple[dict[str, bytes], int]:
        """Bytes of the pages that changed and of the exports (of every file, for `full_site`)."""
        session = self._session
        assert session is not None
        old_pages = self._state.pages if self._state is not None else {}
        stale = [p for p in candidates if p.path not in self.files or old_pages.get(p.path) is None
                 or old_pages[p.path].deps != p.deps]  # fmt: skip
        env, cache = session.env, session.cache
        # the long index pages render here, in this process, so their rows stay cached
        whole = [p for p in stale if p.lists_everything]
        site = state.presented.site
        rendered = {p.path: rendering.render(env, site, p) for p in whole}
        rest = [p for p in stale if not p.lists_everything]
        rendered.update(rendering.render_pages(env, site, rest, self.jobs, cache))
        model, scores = state.presented.roadmap, state.presented.scores
        rendered.update(exports.exports(env, site, model, scores, session.rows))
        session.fragments.done()
        cache.save()
        cache.close()
        if full_site:
            kept = {p: self.files[p] for p in state.pages if p in self.files and p not in rendered}
            rendered = {**kept, **rendered, **dict(theme.assets(self.root))}
        # The model and site now live until the next save: freezing them keeps the
        # collector from walking millions of objects on every rebuild. Young garbage
        # is collected first, so that no cycle is frozen in.
        gc.collect(1)
        gc.freeze()
        return rendered, len(stale)

    def _start_session(self) -> None:
        cache = markdown_cache(self.root)
        fragments = rendering.Fragments()
        env = rendering.environment(self.root, cache.render, fragments)
        self._session = _Session(build_time(), commit_stamp(self.root), cache, env, fragments)
        self._state, self._edited = None, set()

    def _history(self) -> History:
        session = self._session
        assert session is not None
        current = head(self.root)
        if session.history is None or session.history[0] != current:
            session.history = (current, history(self.root))
        return session.history[1]

    def _failed(
        self, errors: list[Diagnostic], warnings: list[Diagnostic], started: float
    ) -> Outcome:
        self.errors = errors
        return Outcome([], errors, warnings, 0, time.perf_counter() - started)

    def _relative(self, paths: Iterable[str]) -> set[str]:
        found = set()
        for raw in paths:
            path = Path(raw)
            try:
                found.add((path.relative_to(self.root) if path.is_absolute() else path).as_posix())
            except ValueError:
                continue
        return found
