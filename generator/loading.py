"""Reading content files: decoding, splitting frontmatter, safe YAML with positions.

Frontmatter is untrusted. It is parsed with PyYAML's C safe loader only; anchors
and aliases are refused (they buy nothing in frontmatter and are the vector for
"billion laughs" documents); duplicate keys are reported rather than silently
collapsed. Every key and value keeps its line in the file so that later phases
can point at it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Report

if not getattr(yaml, "__with_libyaml__", False):  # pragma: no cover - depends on the wheel
    raise ImportError("PyYAML was built without libyaml; reinstall PyYAML from a binary wheel")

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_FENCE = re.compile(r"^---[ \t]*$")
_CLOSING_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")

#: Limits that keep hostile frontmatter from exhausting the C parser (it recurses per
#: nesting level and crashes past a few tens of thousands of levels).
MAX_FRONTMATTER_BYTES = 512 * 1024
MAX_FLOW_DEPTH = 64

Loc = tuple[str | int, ...]
Position = tuple[int, int]


class Kind(StrEnum):
    REQUEST = "request"
    ITEM = "item"


#: Where each kind of document lives, relative to the project root.
CONTENT_DIRS: dict[Kind, str] = {Kind.REQUEST: "content/requests", Kind.ITEM: "content/roadmap"}


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
    key_positions: dict[Loc, Position] = field(default_factory=dict)
    """(line, col) of each mapping key, by its location in the data."""
    value_positions: dict[Loc, Position] = field(default_factory=dict)
    """(line, col) of each value, by its location in the data."""
    frontmatter_line: int = 1
    """Line of the opening `---`: where problems without a better place point."""

    def position(self, loc: Loc, *, key: bool = False) -> Position:
        """Best position for `loc`: the deepest known prefix of it, else the fence."""
        for end in range(len(loc), 0, -1):
            prefix = loc[:end]
            table = self.key_positions if key and end == len(loc) else self.value_positions
            found = table.get(prefix) or self.key_positions.get(prefix)
            if found:
                return found
        return (self.frontmatter_line, 1)


class _Loader(yaml.CSafeLoader):
    """C safe loader that keeps an invalid date as its text for validation to report."""


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return str(node.value)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def discover(root: Path) -> Iterator[tuple[Kind, Path]]:
    """Content files in a stable order; names starting with `_` or `.` are templates."""
    for kind, folder in CONTENT_DIRS.items():
        directory = root / folder
        if not directory.is_dir():
            continue
        with os.scandir(directory) as entries:
            names = sorted(
                e.name
                for e in entries
                if e.name.endswith(".md") and e.name[0] not in "_." and e.is_file()
            )
        for name in names:
            yield kind, directory / name


def load_file(root: Path, kind: Kind, path: Path, report: Report) -> SourceFile | None:
    """Read one file; problems go to `report`. None when nothing usable was read."""
    shown = path.relative_to(root).as_posix()
    file_id = path.name[: -len(".md")]
    if not ID_PATTERN.match(file_id):
        report.add(
            shown,
            1,
            1,
            "E108",
            f"invalid id '{file_id}': file names must be lowercase letters, digits and "
            "hyphens, start with a letter or digit, at most 80 characters",
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        report.add(shown, line, col, "E101", f"invalid UTF-8 byte 0x{raw[exc.start]:02x}")
        return None
    return parse_text(kind, file_id, shown, text, report)


def parse_text(
    kind: Kind, file_id: str, shown: str, text: str, report: Report
) -> SourceFile | None:
    """Split and parse a decoded file."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        report.add(
            shown, 1, 1, "E102", "missing frontmatter: the file must start with a `---` line"
        )
        return None
    closing = next((i for i in range(1, len(lines)) if _CLOSING_FENCE.match(lines[i])), None)
    if closing is None:
        report.add(
            shown,
            1,
            1,
            "E103",
            "unterminated frontmatter: add a `---` line after the last field",
        )
        return None
    yaml_text = "\n".join(lines[1:closing]) + "\n"
    if problem := _too_big(yaml_text):
        report.add(shown, 2, 1, "E104", problem)
        return None
    body = "\n".join(lines[closing + 1 :])
    offset = 2  # YAML line 0 is file line 2: the opening fence is line 1
    source = SourceFile(kind, file_id, shown, None, body, closing + 2)
    try:
        loader = _Loader(yaml_text)
        try:
            node = loader.get_single_node()
            if node is not None and not _walk(node, source, offset, report):
                return None
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + offset, mark.column + 1) if mark else (1, 1)
        code = "E107" if isinstance(exc, yaml.constructor.ConstructorError) else "E104"
        problem = exc.problem or str(exc)
        context = f" ({exc.context})" if exc.context and exc.context != problem else ""
        report.add(shown, line, col, code, f"{problem}{context}")
        return None
    except (yaml.YAMLError, RecursionError) as exc:
        report.add(shown, 2, 1, "E104", f"cannot parse frontmatter: {exc}")
        return None
    if not isinstance(data, dict):
        kind_name = "empty" if data is None else f"a {type(data).__name__}"
        report.add(
            shown,
            2 if data is not None else 1,
            1,
            "E105",
            f"frontmatter must be a mapping of `field: value` lines, not {kind_name}",
        )
        return None
    return SourceFile(
        kind,
        file_id,
        shown,
        data,
        body,
        closing + 2,
        source.key_positions,
        source.value_positions,
    )


def _too_big(yaml_text: str) -> str | None:
    """Why the frontmatter is refused before parsing, or None."""
    if len(yaml_text) > MAX_FRONTMATTER_BYTES:
        return f"frontmatter larger than {MAX_FRONTMATTER_BYTES // 1024} KiB"
    if yaml_text.count("[") + yaml_text.count("{") <= MAX_FLOW_DEPTH:
        return None  # the common case, decided at C speed
    depth = deepest = 0
    for char in yaml_text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
    if deepest > MAX_FLOW_DEPTH:
        return f"frontmatter nested deeper than {MAX_FLOW_DEPTH} levels"
    return None


def _walk(root: yaml.Node, source: SourceFile, offset: int, report: Report) -> bool:
    """Record positions, refuse aliases and find duplicate keys. False if unusable."""
    seen: set[int] = set()
    ok = True
    stack: list[tuple[Loc, yaml.Node]] = [((), root)]
    while stack:
        loc, node = stack.pop()
        position = (node.start_mark.line + offset, node.start_mark.column + 1)
        if id(node) in seen:
            line, col = source.key_positions.get(loc, position)
            report.add(source.path, line, col, "E107", "YAML aliases (`*name`) are not allowed")
            ok = False
            continue
        seen.add(id(node))
        source.value_positions[loc] = position
        if isinstance(node, yaml.MappingNode):
            # YAML keeps the last of duplicate keys, so positions follow the last one too
            last: dict[Any, tuple[yaml.Node, yaml.Node]] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue  # complex keys fail validation as the wrong type of key
                key = key_node.value
                if key in last:
                    first_line = last[key][0].start_mark.line + offset
                    report.add(
                        source.path,
                        key_node.start_mark.line + offset,
                        key_node.start_mark.column + 1,
                        "E106",
                        f"duplicate key '{key}' (first defined on line {first_line})",
                    )
                last[key] = (key_node, value_node)
            for key, (key_node, value_node) in last.items():
                child = (*loc, key)
                source.key_positions[child] = (
                    key_node.start_mark.line + offset,
                    key_node.start_mark.column + 1,
                )
                stack.append((child, value_node))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(((*loc, i), item) for i, item in enumerate(node.value))
    return ok
