"""The first phase, shared by every command: load -> validate -> link -> score -> lint.

`roadmap check` runs this alone; `build` and `serve` render from its model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from .cache import Cache
from .config import CONFIG_FILE, Config, load_config
from .content.disclosure import NameIndex, check_public_text, name_index
from .content.files import Kind, content_key, discover, file_id
from .content.frontmatter import ItemMeta, RequestMeta
from .content.linking import link
from .content.loading import LoadMemo, SourceFile, load_all, load_file
from .content.model import Item, Reach, Request, Roadmap
from .content.tree import ContentTree, MemoryTree
from .content.validation import Meta, ValidationMemo, ValidFile, validate, validate_one
from .diagnostics import Report
from .lint import PLAN_CODES, lint, lint_plan
from .parallel import default_jobs
from .progress import SILENT, Progress
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
    names: NameIndex | None = None
    """Account and requester names, for the public-text check of later edits."""
    reach: Reach | None = None
    """What changed since the previous result, when edits were applied to it in place;
    None when everything was checked afresh."""
    config_text: str = ""
    """roadmap.toml as read, for the lines of the warnings about capacity."""


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
    previous: CheckResult | None = None,
    edited: Iterable[str] | None = None,
    progress: Progress = SILENT,
) -> CheckResult:
    """Everything `roadmap check` does, for a folder or for files read from git.

    `cache` (for builds) holds frontmatter parsed before: the same text gives the same
    mapping. With a valid `previous` result and the paths `edited` since (`roadmap
    serve`), edits made in place are applied to it: each phase updates its previous
    result for what the edits reach (see `in_place`), and the result says what that is.
    """
    tree = project if isinstance(project, ContentTree) else ContentTree(project)
    report = Report()
    config, config_text = _config(tree, report)
    updated = (
        _apply_edits(previous, set(edited), tree, Report())
        if previous is not None and previous.roadmap is not None and edited is not None
        and previous.roadmap.config == config and not report.diagnostics
        else None
    )  # fmt: skip
    if updated is not None:
        return updated
    progress.phase("reading and parsing files")
    tree.scan_links("templates")  # rendered and copied into the site: reported here
    if not isinstance(tree, MemoryTree):  # a git revision is read, never rendered
        _check_templates(tree.root, report)
    paths = discover(tree, report)
    known_ids: dict[Kind, set[str]] = {kind: set() for kind in Kind}
    for kind, path in paths:
        known_ids[kind].add(file_id(path))
    memo_loaded, validated = (memo.loaded, memo.validated) if memo is not None else (None, None)
    sources = load_all(tree, paths, report, jobs or default_jobs(), memo_loaded, cache)
    progress.phase("validating")
    valid = validate(sources, config, report, validated)
    progress.phase("linking and scoring")
    linked = link(sources, valid, known_ids, config, report)
    by_key = MappingProxyType({(s.kind, s.id): s for s in sources})
    if linked is None:
        return CheckResult(None, None, report, len(paths), by_key)
    roadmap = linked.roadmap
    scores = score(roadmap)
    progress.phase("checking what the public build shows")
    names = name_index(roadmap)
    check_public_text(roadmap, by_key, report, names)
    lint(roadmap, scores, by_key, report)
    lint_plan(roadmap, by_key, report, config_text)
    if report.errors:  # e.g. a public file naming an account: nothing may be built from it
        return CheckResult(None, None, report, len(paths), by_key)
    return CheckResult(roadmap, scores, report, len(paths), by_key, names, None, config_text)


def _check_templates(root: Path, report: Report) -> None:
    """The project's own templates compile (E601); Jinja is imported only for those."""
    if (root / "templates").is_dir():
        from .site.theme import check_templates

        check_templates(root, report)


def _config(tree: ContentTree, report: Report) -> tuple[Config, str]:
    """The settings, and roadmap.toml's text ("" when absent)."""
    try:
        config_bytes = tree.read(CONFIG_FILE)
    except OSError as exc:
        report.add(CONFIG_FILE, 1, 1, "E110", f"cannot read the file: {exc.strerror or exc}")
        config_bytes = None
    text = config_bytes.decode("utf-8-sig", errors="replace") if config_bytes else ""
    return load_config(config_bytes, report), text


def _apply_edits(
    previous: CheckResult, edited: set[str], tree: ContentTree, report: Report
) -> CheckResult | None:
    """`previous` with the files at `edited` changed in place; None when only a full check
    can say (a file added or removed, or an edit that `in_place` refuses)."""
    assert previous.roadmap is not None and previous.scores is not None
    assert previous.names is not None
    changed: list[ValidFile] = []
    sources = dict(previous.sources)
    for path in sorted(edited):
        key = content_key(path)
        if key is None:
            continue  # a template file under content/, or something that is not content
        if key not in previous.sources or tree.stamp(path) is None:
            return None  # added or removed
        source = load_file(tree, key[0], path, report)
        if source is None:
            continue
        sources[key] = source
        meta = validate_one(source, previous.roadmap.config, report)
        if meta is not None:
            if not in_place(previous.roadmap, key, meta):
                return None
            changed.append(ValidFile(source, meta))
    by_key = MappingProxyType(sources)
    edited_sources = [by_key[(f.source.kind, f.source.id)] for f in changed]
    if report.errors:
        return CheckResult(None, None, report, previous.files_checked, by_key)
    known = {
        Kind.ITEM: previous.roadmap.items.keys(),
        Kind.REQUEST: previous.roadmap.requests.keys(),
        Kind.ACCOUNT: previous.roadmap.accounts.keys(),
    }
    linked = link(edited_sources, changed, known, previous.roadmap.config, report, previous.roadmap)
    if linked is None or linked.reach is None:
        return CheckResult(None, None, report, previous.files_checked, by_key)
    roadmap, reach = linked.roadmap, linked.reach
    check_public_text(
        roadmap, by_key, report, previous.names, {(Kind(k), i) for k, i in reach.files}
    )
    if report.errors:
        return CheckResult(None, None, report, previous.files_checked, by_key)
    scores = score(roadmap, previous.scores, reach)
    # warnings: those of the files the edit cannot reach stay; the others are found again
    items = {roadmap.items[i].path for i in reach.items}
    paths = {roadmap.requests[r].path for r in reach.requests} | items
    report.extend(
        w for w in previous.report.warnings if w.path not in paths and w.code not in PLAN_CODES
    )
    lint(roadmap, scores, by_key, report, requests=reach.requests, items=reach.items)
    lint_plan(roadmap, by_key, report, previous.config_text)  # a sum over every item
    return CheckResult(roadmap, scores, report, previous.files_checked, by_key, previous.names,
                       reach, previous.config_text)  # fmt: skip


def in_place(roadmap: Roadmap, key: tuple[Kind, str], meta: Meta) -> bool:
    """True when an edit leaves as it was what no phase can update in place: a request's
    duplicate chain (linking), its requester and account names (the names the public-text
    check looks for, and the accounts), a file's visibility (the files each audience sees);
    and an edit of an account file or the profile (every request may measure differently)."""
    kind, entry_id = key
    if not isinstance(meta, RequestMeta | ItemMeta):
        return False
    old: Item | Request = (roadmap.items if kind is Kind.ITEM else roadmap.requests)[entry_id]
    if meta.visibility != old.meta.visibility:
        return False
    if isinstance(meta, RequestMeta):
        before = old.meta
        assert isinstance(before, RequestMeta)
        return (
            meta.duplicate_of == before.duplicate_of
            and meta.requester == before.requester
            and [(a.account, a.name) for a in meta.accounts]
            == [(a.account, a.name) for a in before.accounts]
        )
    return True
