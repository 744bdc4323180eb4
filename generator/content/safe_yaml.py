"""Parsing untrusted YAML: the C safe loader, limits, no aliases, duplicate keys reported.

Frontmatter is untrusted. It is parsed with PyYAML's C safe loader only; anchors
and aliases are refused (they buy nothing in frontmatter and are the vector for
"billion laughs" documents); duplicate keys are reported rather than silently
collapsed; documents too big or nested too deep for the C parser are refused
before it sees them.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import Report
from .positions import YAML_OFFSET

if not getattr(yaml, "__with_libyaml__", False):  # pragma: no cover - depends on the wheel
    raise ImportError("PyYAML was built without libyaml; reinstall PyYAML from a binary wheel")

#: Limits that keep hostile frontmatter from exhausting the C parser: PyYAML builds
#: its tree recursively, one C stack frame per nesting level, and crashes (SIGSEGV) past
#: a few tens of thousands of levels, block (`- - - …`) or flow (`[[[…`) alike.
MAX_FRONTMATTER_BYTES = 512 * 1024
MAX_DEPTH = 64
#: Python refuses to turn more digits than this into an int (CPython's own limit is 4,300).
MAX_INT_DIGITS = 100

#: Block levels open only by indentation or by `- `/`? `/`: ` indicators, at most two
#: per column, so a document whose lines never start with this many such characters
#: cannot reach MAX_DEPTH; only the others get the exact, event-based measure.
_DEEP_LINE = re.compile(rf"^[ \t\-?:]{{{MAX_DEPTH // 4}}}", re.MULTILINE)
#: Text that can hold an anchor, alias, tag or merge key, or an escaped character
#: (`"\\e"`); anything else needs no scan.
_MARKERS = ("&", "*", "!", "<<", "\\")
#: Characters no text field may hold: C0 and C1 controls but tab and newline, DEL,
#: lone surrogates and non-characters. They make feed.xml ill-formed, cannot be
#: written as UTF-8, or hide text from readers.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class NumberTooLong(yaml.MarkedYAMLError):
    """An integer with more digits than any field can use (and than Python will convert)."""


_STR, _MAP, _SEQ = (f"tag:yaml.org,2002:{name}" for name in ("str", "map", "seq"))
#: Plain scalars up to this long have their implicit tag remembered (see `_implicit_tag`).
_REMEMBERED_LENGTH = 24


class _Loader(yaml.CSafeLoader):
    """C safe loader that reports duplicate keys, keeps invalid dates as text, and builds
    the usual document (strings, mappings, sequences) directly: see `build`."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, yaml.Mark, int]] = []

    def build(self, node: Node) -> Any:
        """The value of `node`, as `construct_document` gives it, in half the time.

        PyYAML's constructors handle every tag, recursion through generators and
        aliases, all in Python; frontmatter is strings, mappings with plain keys and
        lists (anchors and aliases are refused before parsing), built here by a plain
        walk. Any other node goes to PyYAML's own constructors, unchanged.
        """
        kind = node.__class__
        if kind is ScalarNode:
            return node.value if node.tag == _STR else self.construct_object(node, deep=True)
        if kind is SequenceNode and node.tag == _SEQ:
            return [self.build(item) for item in node.value]
        pairs = node.value
        if (
            kind is not MappingNode
            or node.tag != _MAP
            or any(key.__class__ is not ScalarNode for key, _ in pairs)
        ):
            return self.construct_object(node, deep=True)
        self._note_duplicates(node)
        return {self.build(key): self.build(value) for key, value in pairs}

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self._note_duplicates(node)
        return super().construct_mapping(node, deep)

    def _note_duplicates(self, node: Node) -> None:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    self.duplicates.append(
                        (key_node.value, key_node.start_mark, seen[key_node.value])
                    )
                seen[key_node.value] = key_node.start_mark.line

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode and implicit[0] and len(value) <= _REMEMBERED_LENGTH:
            return _implicit_tag(value, implicit[1])
        return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]

    # No path resolvers are registered: PyYAML's bookkeeping of the path is wasted.
    def descend_resolver(self, current_node: Node | None, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


_RESOLVER = yaml.resolver.Resolver()


@functools.lru_cache(maxsize=4096)
def _implicit_tag(value: str, quoted_implicit: bool) -> str:
    """The tag a short plain scalar resolves to: field names, numbers, dates and states
    repeat in every file, and matching each against the resolvers' regular expressions
    again was a fifth of parsing. A pure function of its arguments: safe to remember."""
    tag = _RESOLVER.resolve(ScalarNode, value, (True, quoted_implicit))  # type: ignore[no-untyped-call]
    return str(tag)


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return str(node.value)


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> Any:
    if len(node.value) > MAX_INT_DIGITS:
        raise NumberTooLong(
            None, None, f"number with more than {MAX_INT_DIGITS} digits", node.start_mark
        )
    return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


#: What `load_yaml` returns after reporting why a document cannot be used.
UNUSABLE = object()


def load_yaml(text: str, path: str, report: Report) -> Any:
    """The constructed document, or UNUSABLE after reporting why (as lines of `path`)."""
    if _needs_scan(text) and not _plain(text, path, report):
        return UNUSABLE
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        data = loader.build(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + YAML_OFFSET, mark.column + 1) if mark else (1, 1)
        code = "E107" if isinstance(exc, yaml.constructor.ConstructorError) else "E104"
        problem = exc.problem or str(exc)
        context = f" ({exc.context})" if exc.context and exc.context != problem else ""
        report.add(path, line, col, code, f"{problem}{context}")
        return UNUSABLE
    except (yaml.YAMLError, RecursionError) as exc:
        report.add(path, 2, 1, "E104", f"cannot parse frontmatter: {exc}")
        return UNUSABLE
    finally:
        loader.dispose()
    for key, mark, first_line in loader.duplicates:
        report.add(
            path,
            mark.line + YAML_OFFSET,
            mark.column + 1,
            "E106",
            f"duplicate key '{key}' (first defined on line {first_line + YAML_OFFSET})",
        )
    return data


def too_big(yaml_text: str) -> str | None:
    """Why the frontmatter is refused before it is even scanned, or None."""
    if len(yaml_text) > MAX_FRONTMATTER_BYTES:
        return f"frontmatter larger than {MAX_FRONTMATTER_BYTES // 1024} KiB"
    return None


def _needs_scan(text: str) -> bool:
    """Whether `text` could nest too deep or hold what plain YAML refuses (cheap, C speed)."""
    return (
        any(marker in text for marker in _MARKERS)
        or text.count("[") + text.count("{") > MAX_DEPTH
        or _DEEP_LINE.search(text) is not None
    )


def _plain(text: str, path: str, report: Report) -> bool:
    """Report nesting too deep, anchors, aliases, tags and merge keys; True if none.

    Read from libyaml's events, which are produced without recursion, so a document
    that would crash the tree builder is stopped at its 65th level, in microseconds.
    """
    depth = 0
    ok = True

    def refuse(event: yaml.Event, code: str, message: str) -> None:
        nonlocal ok
        mark = event.start_mark
        assert mark is not None  # libyaml marks every event
        report.add(path, mark.line + YAML_OFFSET, mark.column + 1, code, message)
        ok = False

    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    refuse(event, "E104", f"frontmatter nested deeper than {MAX_DEPTH} levels")
                    return False
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if isinstance(event, yaml.AliasEvent):
                refuse(event, "E107", "YAML aliases (`*name`) are not allowed")
            elif isinstance(event, yaml.NodeEvent) and event.anchor is not None:
                refuse(event, "E107", f"YAML anchors (`&{event.anchor}`) are not allowed")
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)) and event.tag:
                refuse(event, "E107", f"YAML tags (`{event.tag}`) are not allowed")
            if not isinstance(event, yaml.ScalarEvent):
                continue
            if event.value == "<<" and event.implicit[0]:
                refuse(event, "E107", "YAML merge keys (`<<`) are not allowed")
            if found := CONTROL.search(event.value):
                code = f"U+{ord(found.group()):04X}"
                refuse(event, "E111", f"control character {code} in text: remove it")
    except yaml.YAMLError:
        return True  # a syntax error: the parser proper reports it, with its position
    return ok
