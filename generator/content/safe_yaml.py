"""Parsing untrusted YAML: the C safe loader, limits, no aliases, duplicate keys reported.

Frontmatter is untrusted. It is parsed with PyYAML's C safe loader only; anchors
and aliases are refused (they buy nothing in frontmatter and are the vector for
"billion laughs" documents); duplicate keys are reported rather than silently
collapsed; documents too big or nested too deep for the C parser are refused
before it sees them.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..diagnostics import Report
from .positions import YAML_OFFSET, Loc, children

if not getattr(yaml, "__with_libyaml__", False):  # pragma: no cover - depends on the wheel
    raise ImportError("PyYAML was built without libyaml; reinstall PyYAML from a binary wheel")

#: Limits that keep hostile frontmatter from exhausting the C parser (it recurses per
#: nesting level and crashes past a few tens of thousands of levels).
MAX_FRONTMATTER_BYTES = 512 * 1024
MAX_FLOW_DEPTH = 64


class _Loader(yaml.CSafeLoader):
    """C safe loader that reports duplicate keys and keeps invalid dates as text."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, yaml.Mark, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    self.duplicates.append(
                        (key_node.value, key_node.start_mark, seen[key_node.value])
                    )
                seen[key_node.value] = key_node.start_mark.line
        return super().construct_mapping(node, deep)


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return str(node.value)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


#: What `load_yaml` returns after reporting why a document cannot be used.
UNUSABLE = object()


def load_yaml(text: str, path: str, report: Report) -> Any:
    """The constructed document, or UNUSABLE after reporting why (as lines of `path`)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        # anchors need `&` and aliases `*`: only then is the tree walked for them
        if ("*" in text or "&" in text) and not _no_aliases(node, path, report):
            return UNUSABLE
        data = loader.construct_document(node)
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


def _no_aliases(root: yaml.Node, path: str, report: Report) -> bool:
    """Report every alias (a node reached twice); True when there is none."""
    seen: set[int] = set()
    ok = True
    stack: list[tuple[Loc, yaml.Node, yaml.Node | None]] = [((), root, None)]
    while stack:
        loc, node, key_node = stack.pop()
        if id(node) in seen:
            mark = (key_node or node).start_mark
            line, col = mark.line + YAML_OFFSET, mark.column + 1
            report.add(path, line, col, "E107", "YAML aliases (`*name`) are not allowed")
            ok = False
            continue
        seen.add(id(node))
        stack.extend(children(node, loc))
    return ok
