"""The first phase, shared by every command: load -> validate -> link -> score -> lint.

`roadmap check` runs this alone; `build` and `serve` render from its model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from .cache import Cache
from .config import CONFIG_FILE, load_config
from .content.disclosure import check_public_text
from .content.linking import link
from .content.loading import ContentTree, Kind, LoadMemo, SourceFile, discover, file_id, load_all
from .content.model import Roadmap
from .content.validation import ValidationMemo, lint, validate
from .diagnostics import Report
from .parallel import default_jobs
from .scoring.scores import Scores, score


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What the first phase produced."""

    roadmap: Roadmap | None
    """The linked model, or None when any error was found."""
    scores: Scores | None
    """Scores, demand and rankings of that model (None with it)."""
    report: Report
    """Every error and warning, from every file."""
    files_checked: int
    """Content files read (templates excluded)."""
    sources: Mapping[tuple[Kind, str], SourceFile] = field(default_factory=dict)
    """Every file read, by kind and id (for `roadmap serve` to build on)."""


@dataclass
class CheckMemo:
    """What `roadmap serve` keeps between rebuilds, so that unchanged files cost nothing.

    Valid for one roadmap.toml: start a new one when the settings change.
    """

    loaded: LoadMemo = field(default_factory=dict)
    validated: ValidationMemo = field(default_factory=dict)


def check(
    project: Path | ContentTree,
    jobs: int | None = None,
    memo: CheckMemo | None = None,
    cache: Cache | None = None,
) -> CheckResult:
    """Everything `roadmap check` does, for a folder or for files read from git.

    `cache` (for builds) holds frontmatter parsed before: the same text gives the same mapping.
    """
    tree = project if isinstance(project, ContentTree) else ContentTree(project)
    report = Report()
    try:
        config_bytes = tree.read(CONFIG_FILE)
    except OSError as exc:
        report.add(CONFIG_FILE, 1, 1, "E110", f"cannot read the file: {exc.strerror or exc}")
        config_bytes = None
    config = load_config(config_bytes, report)
    paths = discover(tree, report)
    known_ids: dict[Kind, set[str]] = {kind: set() for kind in Kind}
    for kind, path in paths:
        known_ids[kind].add(file_id(path))
    sources = load_all(tree, paths, report, jobs or default_jobs(), memo and memo.loaded, cache)
    valid = validate(sources, config, report, memo and memo.validated)
    roadmap = link(sources, valid, known_ids, config, report)
    scores = score(roadmap) if roadmap is not None else None
    by_key = MappingProxyType({(s.kind, s.id): s for s in sources})
    if roadmap is not None and scores is not None:
        check_public_text(roadmap, by_key, report)
        lint(roadmap, scores, by_key, report)
    if report.errors:  # e.g. a public file naming an account: nothing may be built from it
        return CheckResult(None, None, report, len(paths), by_key)
    return CheckResult(roadmap, scores, report, len(paths), by_key)
