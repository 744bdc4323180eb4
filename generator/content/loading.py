"""Reading content files: decoding, splitting off the frontmatter, parsing it.

Frontmatter is untrusted: it is parsed by :mod:`generator.safe_yaml`. The line of
every key and value can be recovered so that later phases can point at it; since
that is only needed when something is reported, it is computed on first use,
keeping the common path as cheap as a plain YAML load.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from ..cache import Cache
from ..diagnostics import Diagnostic, Report
from ..parallel import fork_map
from .files import Kind, file_id, split_frontmatter
from .positions import Loc, Position, positions
from .safe_yaml import UNUSABLE, load_yaml, too_big
from .tree import ContentTree

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One content file after reading and YAML parsing, before validation."""

    kind: Kind
    """Request or roadmap item, from the folder it lives in."""
    id: str
    """File name without `.md`."""
    path: str
    """Path relative to the project root, with `/`, as shown in diagnostics."""
    data: dict[str, Any] | None
    """The frontmatter mapping, or None when it could not be read."""
    body: str
    """Markdown after the frontmatter, with `\\n` line endings."""
    body_line: int
    """1-based line of the file where the body starts."""
    yaml_text: str = ""
    """The frontmatter as written, kept to find positions when they are needed."""
    _positions: dict[str, dict[Loc, Position]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """Cache: key and value positions, filled on the first call to `position`."""

    def position(self, loc: Loc, *, key: bool = False) -> Position:
        """Best (line, col) for `loc`: the deepest known prefix of it, else the fence."""
        if not self._positions:
            keys, values = positions(self.yaml_text)
            self._positions.update(keys=keys, values=values)
        keys, values = self._positions["keys"], self._positions["values"]
        for end in range(len(loc), 0, -1):
            prefix = loc[:end]
            table = keys if key and end == len(loc) else values
            found = table.get(prefix) or keys.get(prefix)
            if found:
                return found
        return (1, 1)


def load_file(
    tree: ContentTree, kind: Kind, shown: str, report: Report, cache: Cache | None = None
) -> SourceFile | None:
    """Read one file; problems go to `report`. None when nothing usable was read."""
    return _completed(_read(tree, kind, shown, report, cache), report, cache)


def _read(
    tree: ContentTree, kind: Kind, shown: str, report: Report, cache: Cache | None
) -> SourceFile | None:
    """Read, decode and split a file; its data is None when the frontmatter is still to parse."""
    entry_id = file_id(shown)
    if not ID_PATTERN.match(entry_id):
        report.add(
            shown,
            1,
            1,
            "E108",
            f"invalid id '{entry_id}': file names must be lowercase letters, digits and "
            "hyphens, start with a letter or digit, at most 80 characters",
        )
    try:
        raw = tree.read(shown) or b""
    except OSError as exc:
        report.add(shown, 1, 1, "E110", f"cannot read the file: {exc.strerror or exc}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        report.add(shown, line, col, "E101", f"invalid UTF-8 byte 0x{raw[exc.start]:02x}")
        return None
    return _split(kind, entry_id, shown, text, report, cache)


#: Below this many files to read, a process pool costs more than it saves.
PARALLEL_FROM = 2000
#: Frontmatter documents handed to a worker at a time.
BATCH = 500


#: What `load_all` remembers between runs (for `roadmap serve`): by path, the file's
#: stamp, what was read from it and the problems found.
LoadMemo = dict[str, tuple[tuple[int, int, int], "SourceFile | None", list[Diagnostic]]]


def load_all(
    tree: ContentTree,
    paths: list[tuple[Kind, str]],
    report: Report,
    jobs: int,
    memo: LoadMemo | None = None,
    cache: Cache | None = None,
) -> list[SourceFile]:
    """Every readable file of `paths`, in order.

    Files are read and split here; frontmatter not found in `cache` is parsed on
    `jobs` processes when there are many files (YAML is the costly part): batches go
    to the workers as they are read, so reading and parsing overlap, and only the
    frontmatter text and the parsed mappings cross processes. With a `memo`, files
    whose stamp is unchanged since the last call are not read again.
    """
    stamps = {path: tree.stamp(path) for _, path in paths} if memo is not None else {}
    todo = [
        (kind, path) for kind, path in paths
        if memo is None or stamps[path] is None or memo.get(path, ((),))[0] != stamps[path]
    ]  # fmt: skip
    found = Report()
    read: dict[str, SourceFile | None] = {}
    pending: list[SourceFile] = []  # read and split, the frontmatter still to parse
    jobs = jobs if len(todo) >= PARALLEL_FROM else 1

    def batches() -> Iterator[_Batch]:
        handed = 0
        for kind, path in todo:
            source = read[path] = _read(tree, kind, path, found, cache)
            if source is not None and source.data is None:
                pending.append(source)
                if len(pending) - handed == BATCH:
                    yield _batch(pending[handed:])
                    handed = len(pending)
        if handed and handed < len(pending):  # the rest joins the workers already started
            yield _batch(pending[handed:])

    # the workers are forked with the first batch; with one job, each batch is parsed here
    results = fork_map(_parse_batch, cache, batches(), jobs)
    covered = sum(len(datas) for datas, _, _ in results)
    if covered < len(pending):  # fewer than a batch (a warm cache, a small tree): parse here
        results.append(_parse_batch(cache, _batch(pending[covered:])))
    parsed = (data for datas, _, _ in results for data in datas)
    for split, data in zip(pending, parsed, strict=True):
        read[split.path] = None if data is None else replace(split, data=data)
    for _, diagnostics, frontmatter in results:
        if cache is not None:
            cache.new_frontmatter.update(frontmatter)  # saved by the parent
        found.extend(diagnostics)
    problems: dict[str, list[Diagnostic]] = {}
    for diagnostic in found.diagnostics:  # a file's read problems come before its YAML's
        problems.setdefault(diagnostic.path, []).append(diagnostic)
    loaded = []
    for _, path in paths:
        if path in read:
            source, diagnostics = read[path], problems.get(path, [])
            if memo is not None and (stamp := stamps[path]) is not None:
                memo[path] = (stamp, source, diagnostics)
        else:
            assert memo is not None  # only a memo lets a path go unread
            _, source, diagnostics = memo[path]
        report.extend(diagnostics)
        if source is not None:
            loaded.append(source)
    if memo is not None:
        for gone in memo.keys() - stamps.keys():
            del memo[gone]
    return loaded


#: Frontmatter to parse, as (path, text): what a worker is handed.
_Batch = list[tuple[str, str]]


def _batch(sources: list[SourceFile]) -> _Batch:
    return [(source.path, source.yaml_text) for source in sources]


def _parse_batch(
    cache: Cache | None, batch: _Batch
) -> tuple[list[dict[str, Any] | None], list[Diagnostic], dict[str, str]]:
    report = Report()
    results = [_parse(path, text, report, cache) for path, text in batch]
    return results, report.diagnostics, cache.take_new_frontmatter() if cache else {}


def parse_text(
    kind: Kind, entry_id: str, shown: str, text: str, report: Report, cache: Cache | None = None
) -> SourceFile | None:
    """Split and parse a decoded file (frontmatter parsed before is taken from `cache`)."""
    return _completed(_split(kind, entry_id, shown, text, report, cache), report, cache)


def _completed(source: SourceFile | None, report: Report, cache: Cache | None) -> SourceFile | None:
    """`source` with its frontmatter parsed (unless the cache gave it), or None."""
    if source is None or source.data is not None:
        return source
    data = _parse(source.path, source.yaml_text, report, cache)
    return None if data is None else replace(source, data=data)


def _split(
    kind: Kind, entry_id: str, shown: str, text: str, report: Report, cache: Cache | None
) -> SourceFile | None:
    """Frontmatter and body of a decoded file; the mapping when `cache` knows it, else None."""
    parts = split_frontmatter(text)
    if parts == "E102":
        message = "missing frontmatter: the file must start with a `---` line"
        report.add(shown, 1, 1, "E102", message)
        return None
    if parts == "E103":
        message = "unterminated frontmatter: add a `---` line after the last field"
        report.add(shown, 1, 1, "E103", message)
        return None
    yaml_text = parts.yaml_text
    if problem := too_big(yaml_text):
        report.add(shown, 2, 1, "E104", problem)
        return None
    known = cache.frontmatter(yaml_text) if cache is not None else None
    return SourceFile(kind, entry_id, shown, known, parts.body, parts.body_line, yaml_text)


def _parse(path: str, yaml_text: str, report: Report, cache: Cache | None) -> dict[str, Any] | None:
    """The frontmatter mapping of a split file, or None after reporting why there is none."""
    problems = len(report.diagnostics)
    data = load_yaml(yaml_text, path, report)
    if data is UNUSABLE:
        return None
    if not isinstance(data, dict):
        kind_name = "empty" if data is None else f"a {type(data).__name__}"
        report.add(
            path,
            2 if data is not None else 1,
            1,
            "E105",
            f"frontmatter must be a mapping of `field: value` lines, not {kind_name}",
        )
        return None
    if cache is not None and len(report.diagnostics) == problems:
        cache.keep_frontmatter(yaml_text, data)
    return data
