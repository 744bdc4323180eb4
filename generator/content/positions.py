"""Where each key and value of a frontmatter document is, for diagnostics.

Only needed when something is reported, so it is computed on demand (by
`SourceFile.position`), from a second, node-level parse of the frontmatter.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

#: YAML line 0 is file line 2: the opening fence is line 1.
YAML_OFFSET = 2

Loc = tuple[str | int, ...]
Position = tuple[int, int]


def children(node: yaml.Node, loc: Loc) -> Iterator[tuple[Loc, yaml.Node, yaml.Node | None]]:
    """(loc, child, key node) of a node; YAML keeps the last of duplicate keys."""
    if isinstance(node, yaml.MappingNode):
        last = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        for key, (key_node, value_node) in last.items():
            yield (*loc, key), value_node, key_node
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield (*loc, index), item, None


def positions(yaml_text: str) -> tuple[dict[Loc, Position], dict[Loc, Position]]:
    """(key positions, value positions) in the file, by location in the data."""
    keys: dict[Loc, Position] = {}
    values: dict[Loc, Position] = {}
    try:
        root = yaml.compose(yaml_text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return keys, values
    seen: set[int] = set()
    stack: list[tuple[Loc, yaml.Node, yaml.Node | None]] = [((), root, None)] if root else []
    while stack:
        loc, node, key_node = stack.pop()
        if key_node is not None:
            keys[loc] = (key_node.start_mark.line + YAML_OFFSET, key_node.start_mark.column + 1)
        values[loc] = (node.start_mark.line + YAML_OFFSET, node.start_mark.column + 1)
        if id(node) not in seen:  # an alias is not walked twice
            seen.add(id(node))
            stack.extend(children(node, loc))
    return keys, values
