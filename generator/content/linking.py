"""Cross-references between files: links, duplicate chains and derived status.

All checks are linear in the number of files: ids are looked up in dicts, and each
duplicate chain is walked once thanks to memoisation.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Set
from types import MappingProxyType

from ..config import Config
from ..diagnostics import Report
from .frontmatter import ItemMeta, RequestMeta
from .loading import Kind, SourceFile
from .model import Item, Request, Roadmap, derived_status
from .validation import ValidFile


def link(
    sources: list[SourceFile],
    valid: list[ValidFile],
    known_ids: dict[Kind, set[str]],
    config: Config,
    report: Report,
) -> Roadmap | None:
    """Check every link and build the model; None if any error was reported so far.

    Links are checked on the raw frontmatter of every parsed file, valid or not, so
    that a broken link is reported in the same run as a type error beside it.
    """
    raw_requests = {s.id: s for s in sources if s.kind is Kind.REQUEST and s.data}
    _check_targets(raw_requests.values(), known_ids, report)
    canonical = _resolve_duplicates(raw_requests, report)
    if report.errors:
        return None
    requests = {f.source.id: f for f in valid if f.source.kind is Kind.REQUEST}
    items = {f.source.id: f for f in valid if f.source.kind is Kind.ITEM}

    answered_by: dict[str, list[str]] = defaultdict(list)
    built_requests = []
    for request_id, file in requests.items():
        meta = file.meta
        assert isinstance(meta, RequestMeta)
        root = canonical[request_id]
        item_id = requests[root].meta.roadmap
        if item_id is not None:
            answered_by[item_id].append(request_id)
        answering = items[item_id].meta.status if item_id is not None else None
        status = derived_status(answering, root != request_id)
        built_requests.append(
            Request(request_id, file.source.path, meta, file.source.body, root, item_id, status)
        )
    built_items = []
    for item_id, file in items.items():
        assert isinstance(file.meta, ItemMeta)
        linked = tuple(sorted(answered_by.get(item_id, ())))
        built_items.append(Item(item_id, file.source.path, file.meta, file.source.body, linked))
    return Roadmap.create(config, built_items, built_requests)


def relink(
    previous: Roadmap, changed: list[ValidFile], report: Report
) -> tuple[Roadmap, set[str], set[str]] | None:
    """`previous` with `changed` files edited in place; None if a link is broken.

    For `roadmap serve`. No file may have been added, removed or renamed, and no
    `duplicate_of` changed, so every duplicate chain still ends where it did. Returns
    the model and the ids of the requests and items whose linked form may differ.
    """
    known_ids = {Kind.ITEM: previous.items.keys(), Kind.REQUEST: previous.requests.keys()}
    edited_requests = {f.source.id: f for f in changed if f.source.kind is Kind.REQUEST}
    edited_items = {f.source.id: f for f in changed if f.source.kind is Kind.ITEM}
    _check_targets((f.source for f in edited_requests.values()), known_ids, report)
    if report.errors:
        return None

    def meta_of(request_id: str) -> RequestMeta:
        edited = edited_requests.get(request_id)
        return edited.meta if edited else previous.requests[request_id].meta  # type: ignore[return-value]

    def item_meta(item_id: str) -> ItemMeta:
        edited = edited_items.get(item_id)
        return edited.meta if edited else previous.items[item_id].meta  # type: ignore[return-value]

    touched = set(edited_requests)
    for request_id in edited_requests:  # a new `roadmap` moves its duplicates along
        if meta_of(request_id).roadmap != previous.requests[request_id].meta.roadmap:
            touched |= {r.id for r in previous.requests.values() if r.canonical == request_id}
    for item_id, file in edited_items.items():  # a new status reaches its requests
        if file.meta.status != previous.items[item_id].meta.status:  # type: ignore[union-attr]
            touched |= set(previous.items[item_id].requests)
    requests = dict(previous.requests)
    moved: dict[str, tuple[str | None, str | None]] = {}
    for request_id in touched:
        old = previous.requests[request_id]
        edited = edited_requests.get(request_id)
        meta = edited.meta if edited else old.meta
        item_id = meta_of(old.canonical).roadmap
        answering = item_meta(item_id).status if item_id is not None else None
        status = derived_status(answering, old.canonical != request_id)
        body = edited.source.body if edited else old.body
        requests[request_id] = Request(
            request_id,
            old.path,
            meta,
            body,
            old.canonical,
            item_id,
            status,  # type: ignore[arg-type]
        )
        if item_id != old.item:
            moved[request_id] = (old.item, item_id)
    items = dict(previous.items)
    relisted = {i for pair in moved.values() for i in pair if i is not None}
    for item_id in relisted | edited_items.keys():
        old_item = previous.items[item_id]
        linked = {r for r in old_item.requests if r not in moved} | {
            r for r, (_, new) in moved.items() if new == item_id
        }
        file = edited_items.get(item_id)
        meta, body = (file.meta, file.source.body) if file else (old_item.meta, old_item.body)
        items[item_id] = Item(item_id, old_item.path, meta, body, tuple(sorted(linked)))  # type: ignore[arg-type]
    roadmap = Roadmap(previous.config, MappingProxyType(items), MappingProxyType(requests))
    return roadmap, touched, relisted | edited_items.keys()


def _check_targets(
    sources: Iterable[SourceFile], known_ids: Mapping[Kind, Set[str]], report: Report
) -> None:
    for source in sources:
        for field, kind, code in (
            ("roadmap", Kind.ITEM, "E301"),
            ("duplicate_of", Kind.REQUEST, "E302"),
        ):
            target = _link(source, field)
            if target is None or target in known_ids[kind]:
                continue
            hint = difflib.get_close_matches(target, sorted(known_ids[kind]), n=1)
            noun = "roadmap item" if kind is Kind.ITEM else "request"
            folder = "content/roadmap" if kind is Kind.ITEM else "content/requests"
            advice = f" (did you mean `{hint[0]}`?)" if hint else ""
            line, col = source.position((field,))
            report.add(
                source.path,
                line,
                col,
                code,
                f"`{field}: {target}` links to a {noun} that does not exist "
                f"({folder}/{target}.md){advice}",
            )


def _link(source: SourceFile, field: str) -> str | None:
    """A link field's raw value, when it is a string (a wrong type is reported elsewhere)."""
    value = source.data.get(field) if source.data else None
    return value if isinstance(value, str) else None


def _resolve_duplicates(requests: dict[str, SourceFile], report: Report) -> dict[str, str]:
    """Canonical request of each request; loops are reported once per member."""
    canonical: dict[str, str] = {}
    for start in requests:
        path: list[str] = []
        on_path: set[str] = set()
        current = start
        while current not in canonical:
            if current in on_path:
                cycle = path[path.index(current) :]
                _report_loop(cycle, requests, report)
                for member in path:
                    canonical[member] = member  # keep going; the model is not built anyway
                break
            source = requests.get(current)
            target = _link(source, "duplicate_of") if source else None
            if target is None or target not in requests:
                canonical[current] = current
                break
            path.append(current)
            on_path.add(current)
            current = target
        root = canonical[current]
        for member in path:
            canonical.setdefault(member, root)
    return canonical


def _report_loop(cycle: list[str], requests: dict[str, SourceFile], report: Report) -> None:
    chain = " -> ".join([*cycle, cycle[0]])
    for member in cycle:
        source = requests[member]
        line, col = source.position(("duplicate_of",))
        report.add(source.path, line, col, "E303", f"duplicate_of chain loops: {chain}")
