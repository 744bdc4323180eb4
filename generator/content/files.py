"""Where content files live, which names are content, and where a file's frontmatter ends:
the layout every reader shares.

Kept apart from :mod:`generator.content.loading` and its parsers, so that what only
needs to find the files (git, the editor support, a worker that starts before the
rest of the tool is imported) does not import them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from .tree import ContentTree

if TYPE_CHECKING:
    from ..diagnostics import Report


class Kind(StrEnum):
    REQUEST = "request"
    ITEM = "item"
    ACCOUNT = "account"
    PROFILE = "profile"
    STRATEGY = "strategy"


#: Where each kind of document lives, relative to the project root: one file per document.
CONTENT_DIRS: dict[Kind, str] = {
    Kind.REQUEST: "content/requests",
    Kind.ITEM: "content/roadmap",
    Kind.ACCOUNT: "content/accounts",
}
#: The kinds held in one file, and where (its id is its name without `.md`).
CONTENT_FILES: dict[Kind, str] = {
    Kind.PROFILE: "content/profile.md",
    Kind.STRATEGY: "content/strategy.md",
}
#: Every content path (folders and single files), for git to list.
CONTENT_PATHS: tuple[str, ...] = (*CONTENT_DIRS.values(), *CONTENT_FILES.values())


def is_hidden(name: str) -> bool:
    """Names starting with `_` or `.` are templates and scratch files, never content or output."""
    return name[:1] in ("_", ".")


def file_id(path: str) -> str:
    """A content file's id: its name without `.md`."""
    return path.rsplit("/", 1)[-1].removesuffix(".md")


def content_key(path: str) -> tuple[Kind, str] | None:
    """(kind, id) of a content file path relative to the root, or None when it is not one.

    A file's id is its name without `.md` (whether the id is valid is checked on load).
    """
    for kind, single in CONTENT_FILES.items():
        if path == single:
            return kind, file_id(path)
    folder, _, name = path.rpartition("/")
    for kind, content_dir in CONTENT_DIRS.items():
        if folder == content_dir and name.endswith(".md") and not is_hidden(name):
            return kind, file_id(name)
    return None


def discover(tree: ContentTree, report: Report | None = None) -> list[tuple[Kind, str]]:
    """Content files in a stable order; names starting with `_` or `.` are templates.

    Symbolic links leading outside the project are reported (E109) and left out.
    """
    found: list[tuple[Kind, str]] = []
    for kind, folder in CONTENT_DIRS.items():
        names = sorted(n for n in tree.names(folder) if n.endswith(".md") and not is_hidden(n))
        found.extend((kind, f"{folder}/{name}") for name in names)
    for kind, single in CONTENT_FILES.items():
        folder, _, name = single.rpartition("/")
        if name in tree.names(folder):
            found.append((kind, single))
    if report is not None:
        for path, target in sorted(tree.refused.items()):
            report.add(path, 1, 1, "E109", f"symbolic link to {target}, outside the project: "
                       "not read (a link must stay inside the project folder)")  # fmt: skip
    return found


_OPENING_FENCE = re.compile(r"---[ \t]*")
_CLOSING_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Parts:
    """A content file split at its frontmatter fences."""

    yaml_text: str
    """The frontmatter, between the fences."""
    body: str
    """Markdown after the closing fence, with `\\n` line endings."""
    body_line: int
    """1-based line of the file where the body starts."""


def split_frontmatter(text: str) -> Parts | Literal["E102", "E103"]:
    """The frontmatter and body of a decoded file, or the code of what is missing: E102
    when the file does not start with a `---` line, E103 when no line closes it."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    first_end = text.find("\n")
    if not _OPENING_FENCE.fullmatch(text[: first_end if first_end >= 0 else len(text)]):
        return "E102"
    closing = _CLOSING_FENCE.search(text, first_end + 1) if first_end >= 0 else None
    if closing is None:
        return "E103"
    yaml_text = text[first_end + 1 : closing.start()]
    body_line = text.count("\n", 0, closing.start()) + 2
    return Parts(yaml_text, text[closing.end() + 1 :], body_line)
