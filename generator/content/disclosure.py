"""What a public file may say: no account or requester name in the text customers see.

`visibility: public` is a promise that the file can be shown to customers. The public
site leaves out the internal fields (owner, who decided, requester, accounts: see
:mod:`generator.site.audience`); every field it does show is checked here, and a
name in one is an error at its line (E403), before anything is published.

The check reads the text as customers will see it, not as it is written: HTML entities
are decoded, markdown emphasis, code and link markup is dropped, invisible characters
(zero-width spaces, soft hyphens) are removed, and letters are folded to one width and
case. A name is found as whole words; so is the first word of a longer name and a
requester's first name, unless it is a common word (`common_words.py`), as written
with its capital; names under three characters, and one-word names that are common
words, are found only as written.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from ..diagnostics import Report
from .common_words import COMMON_WORDS
from .files import Kind
from .loading import SourceFile
from .model import Roadmap
from .positions import Loc

SHORT_NAME = 3  # names shorter than this are found only as written (case and all)

#: The fields of each kind that the public site shows, as text: what is checked.
PUBLIC_TEXT_FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.ITEM: ("title", "theme", "alternatives", "tags", "decisions.summary"),
    Kind.REQUEST: ("title", "area", "tags"),
    Kind.PROFILE: ("title",),  # and its body: the free text, when the profile is public
    # and its body, the vision; themes marked internal are not shown, so not checked
    Kind.STRATEGY: ("title", "themes.id", "themes.title", "themes.goal", "themes.measure"),
}

_WORD = re.compile(r"\w+")
_MARKUP = re.compile(r"[*_~`\\]|\]\([^)\n]*\)|\]\[[^\]\n]*\]")
#: Invisible characters that are not format characters (Cf): fillers, variation selectors.
_INVISIBLE = re.compile("[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f]")
#: Characters to the branches that follow them; "" marks the end of a word.
Trie = dict[str, "Trie"]


def visible(text: str) -> str:
    """`text` as a reader sees it, on the same lines: entities decoded, markup and
    invisible characters dropped, letters in one width (NFKC)."""
    if "&" in text:
        text = html.unescape(text)
    text = _MARKUP.sub("", text)
    if not text.isascii():
        text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
        text = "".join(c for c in text if c == "\n" or unicodedata.category(c) != "Cf")
    return text


@dataclass(frozen=True, slots=True)
class Name:
    """A name, or a part of one, to look for."""

    words: tuple[str, ...]
    """Its words, folded."""
    cased: tuple[str, ...] | None
    """Its words as written, when they must match as written; None: any case."""
    shown: str
    """The whole name it comes from, for the message."""


@dataclass(frozen=True, slots=True)
class NameIndex:
    """Names as word sequences, indexed by their first word: matching is linear in the text."""

    by_first: dict[str, list[Name]]
    """Names by their first folded word, longest first."""
    first_words: re.Pattern[str] | None
    """Any first word as a whole word: one regex pass rules out most texts (None when the
    words nest too deep for a regex; then texts are split into words instead)."""


def name_index(roadmap: Roadmap) -> NameIndex:
    """Every account name (as written on requests, and each account file's name and
    aliases) and every person's (requesters, account managers), for `check_public_text`."""
    accounts = {a.name for r in roadmap.requests.values() for a in r.meta.accounts if a.name}
    accounts |= {a.name for r in roadmap.requests.values() for a in r.accounts}
    for record in roadmap.accounts.values():
        accounts |= {record.meta.name, *record.meta.aliases}
    people = {r.meta.requester.split(" (")[0] for r in roadmap.requests.values()}
    people |= {a.meta.owner.split(" (")[0] for a in roadmap.accounts.values() if a.meta.owner}
    return index_names(accounts | people)


def index_names(names: Iterable[str]) -> NameIndex:
    """`names` (accounts, requesters), with their distinctive first words, to look for."""
    found: dict[str, dict[Name, None]] = {}  # by first word, in order, each name once

    def add(words: list[str], cased: bool, shown: str) -> None:
        folded = tuple(w.casefold() for w in words)
        found.setdefault(folded[0], {})[Name(folded, tuple(words) if cased else None, shown)] = None

    for name in names:
        words = _WORD.findall(visible(name))
        if not words:
            continue
        short = len(" ".join(words)) < SHORT_NAME
        common = len(words) == 1 and words[0].casefold() in COMMON_WORDS
        add(words, short or common, name)
        first = words[0]
        if len(words) > 1 and len(first) >= SHORT_NAME and first.casefold() not in COMMON_WORDS:
            add([first], True, name)  # "Globex" of "Globex Corporation", "Maya" of "Maya Chen"
    by_first = {  # longest match first
        first: sorted(names, key=lambda n: len(n.words), reverse=True)
        for first, names in found.items()
    }
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
        if roadmap.profile is not None and roadmap.profile.meta.visibility == "public":
            keys.append((Kind.PROFILE, "profile"))
        if roadmap.strategy is not None and roadmap.strategy.meta.visibility == "public":
            keys.append((Kind.STRATEGY, "strategy"))
    else:
        keys = [(kind, i) for kind, i in only if kind in (Kind.ITEM, Kind.REQUEST)]
    for kind, entry_id in keys:
        if kind not in (Kind.PROFILE, Kind.STRATEGY):
            entry = (roadmap.items if kind is Kind.ITEM else roadmap.requests)[entry_id]
            if entry.meta.visibility != "public":
                continue
        source = sources[(kind, entry_id)]
        for field, loc, text in _texts(source):
            # a file's id is in its public address: any case counts there
            for lines_before, found in _find_names(text, index, any_case=field == "id"):
                if field == "id":
                    line = 1
                else:
                    line = source.body_line if loc is None else source.position(loc)[0]
                report.add(
                    source.path,
                    line + lines_before,
                    1,
                    "E403",
                    f"public file names '{found}' (an account or requester) in "
                    f"`{field}`: reword it, or make the file `visibility: internal`",
                )


def _find_names(text: str, index: NameIndex, any_case: bool = False) -> Iterator[tuple[int, str]]:
    """(lines before it, name as it reads) of each name in `text`, as a reader sees it."""
    text = visible(text)
    folded = text.casefold()
    if index.first_words is not None:
        if not index.first_words.search(folded):
            return  # the common case, decided at C speed
    elif index.by_first.keys().isdisjoint(_WORD.findall(folded)):
        return
    by_first = index.by_first
    # offsets come from the visible text: casefolding can change its length
    matches = list(_WORD.finditer(text))
    words = [m.group(0) for m in matches]
    keys = [w.casefold() for w in words]
    n = 0
    while n < len(words):
        for name in by_first.get(keys[n], ()):
            end = n + len(name.words)
            if tuple(keys[n:end]) != name.words:
                continue
            if name.cased is not None and not any_case and tuple(words[n:end]) != name.cased:
                continue
            start, stop = matches[n].start(), matches[end - 1].end()
            yield text.count("\n", 0, start), text[start:stop]
            n = end - 1
            break
        n += 1


def _texts(source: SourceFile) -> Iterator[tuple[str, Loc | None, str]]:
    """(field, its location or None for the body, text) of what the public site shows.

    Positions are looked up only when a name is found: finding them costs a parse.
    """
    data = source.data or {}
    yield "id", None, source.id.replace("-", " ")
    for key in PUBLIC_TEXT_FIELDS[source.kind]:
        field, _, part = key.partition(".")
        value = data.get(field)
        if isinstance(value, str):
            yield field, (field,), value
        elif isinstance(value, list):
            for n, entry in enumerate(value):
                if isinstance(entry, dict) and entry.get("visibility") == "internal":
                    continue  # a theme kept off the public site
                text = entry.get(part) if part and isinstance(entry, dict) else entry
                if isinstance(text, str):
                    suffix = f".{part}" if part else ""
                    yield f"{field}[{n}]{suffix}", (field, n, *([part] if part else [])), text
    yield "body", None, source.body
