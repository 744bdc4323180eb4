"""What a public file may say: no account or requester names in its text.

`visibility: public` is a promise that the file can be shown to customers. The
public build leaves out the structured internal fields, but free text (title,
body, alternatives, decisions) is shown as written, so it must not name an
account or a requester. This is an error, pointing at the line, so that the
promise is kept before anything is published.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from ..diagnostics import Report
from .loading import Kind, SourceFile
from .model import Roadmap
from .positions import Loc

MIN_NAME_LENGTH = 3  # shorter names match inside too many ordinary words


_WORD = re.compile(r"\w+")
#: Characters to the branches that follow them; "" marks the end of a word.
Trie = dict[str, "Trie"]


@dataclass(frozen=True, slots=True)
class NameIndex:
    """Names as word sequences, indexed by their first word: matching is linear in the text."""

    by_first: dict[str, list[tuple[str, ...]]]
    """Casefolded word sequences by their first word, longest first."""
    first_words: re.Pattern[str] | None
    """Any first word as a whole word: one regex pass rules out most texts (None when the
    words nest too deep for a regex; then texts are split into words instead)."""


def name_index(roadmap: Roadmap) -> NameIndex:
    """Every account and requester name of the roadmap, ready for `check_public_text`."""
    names = {a.name for r in roadmap.requests.values() for a in r.meta.accounts}
    names |= {r.meta.requester.split(" (")[0] for r in roadmap.requests.values()}
    return index_names(names)


def index_names(names: Iterable[str]) -> NameIndex:
    """`names` (accounts, requesters), ready for `check_public_text`."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for name in names:
        words = tuple(w.casefold() for w in _WORD.findall(name))
        if words and len(" ".join(words)) >= MIN_NAME_LENGTH:
            by_first.setdefault(words[0], []).append(words)
    for candidates in by_first.values():
        candidates.sort(key=len, reverse=True)  # "Globex Corporation" before "Globex"
    try:
        pattern = _trie(sorted(by_first)) if by_first else "(?!)"  # "(?!)" matches nothing
        first_words = re.compile(rf"\b{pattern}\b")
    except (RecursionError, re.error, OverflowError):  # e.g. "a", "aa", "aaa"... nest per word
        first_words = None
    return NameIndex(by_first, first_words)


def _trie(words: list[str]) -> str:
    """A regex matching exactly `words`, as a trie: Python's re would try a flat
    alternation word by word at every position of the text."""
    tree: Trie = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: Trie) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in node.items() if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return pattern(tree)


def check_public_text(
    roadmap: Roadmap,
    sources: Mapping[tuple[Kind, str], SourceFile],
    report: Report,
    names: NameIndex | None = None,
    only: Iterable[tuple[Kind, str]] | None = None,
) -> None:
    """E403 for each name in a public file; `only` these files when given."""
    index = name_index(roadmap) if names is None else names
    if only is None:
        keys = [(Kind.ITEM, i) for i in roadmap.items] + [
            (Kind.REQUEST, r) for r in roadmap.requests
        ]
    else:
        keys = list(only)
    for kind, entry_id in keys:
        entry = (roadmap.items if kind is Kind.ITEM else roadmap.requests)[entry_id]
        if entry.meta.visibility != "public":
            continue
        source = sources[(kind, entry_id)]
        for name, loc, text in _texts(source):
            for start, found in _find_names(text, index):
                line = source.body_line if loc is None else source.position(loc)[0]
                report.add(
                    source.path,
                    line + text.count("\n", 0, start),
                    1,
                    "E403",
                    f"public file names '{found}' (an account or requester) in "
                    f"`{name}`: reword it, or make the file `visibility: internal`",
                )


def _find_names(text: str, index: NameIndex) -> Iterator[tuple[int, str]]:
    """(offset, text as written) of each name in `text`, whole words, any case."""
    if index.first_words is not None:
        if not index.first_words.search(text.casefold()):
            return  # the common case, decided at C speed
    elif index.by_first.keys().isdisjoint(_WORD.findall(text.casefold())):
        return
    by_first = index.by_first
    # offsets come from the text as written: casefolding can change its length
    matches = list(_WORD.finditer(text))
    words = [m.group(0).casefold() for m in matches]
    n = 0
    while n < len(words):
        for candidate in by_first.get(words[n], ()):
            if tuple(words[n : n + len(candidate)]) == candidate:
                start, end = matches[n].start(), matches[n + len(candidate) - 1].end()
                yield start, text[start:end]
                n += len(candidate) - 1
                break
        n += 1


def _texts(source: SourceFile) -> Iterator[tuple[str, Loc | None, str]]:
    """(field, its location or None for the body, text) of what is shown publicly.

    Positions are looked up only when a name is found: finding them costs a parse.
    """
    data = source.data or {}
    for key in ("title", "alternatives", "theme", "area"):
        if isinstance(data.get(key), str):
            yield key, (key,), data[key]
    for n, decision in enumerate(data.get("decisions") or []):
        if isinstance(decision, dict) and isinstance(decision.get("summary"), str):
            yield f"decisions[{n}].summary", ("decisions", n, "summary"), decision["summary"]
    yield "body", None, source.body
