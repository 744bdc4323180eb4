"""Cross-references between files: links, duplicate chains and derived status.

All checks are linear in the number of files: ids are looked up in dicts, and each
duplicate chain is walked once thanks to memoisation.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, replace
from types import MappingProxyType

from ..config import Config
from ..diagnostics import Report
from .account_links import account_names, check_account_links, resolve
from .customers import AccountMeta, ProfileMeta, fit
from .files import Kind
from .frontmatter import Account, ItemMeta, RequestMeta
from .loading import SourceFile
from .model import (
    AccountRecord,
    AccountRef,
    Item,
    Profile,
    Reach,
    Request,
    Roadmap,
    Strategy,
    derived_status,
)
from .strategy import StrategyMeta, categories_of, unknown_id
from .validation import ValidFile


@dataclass(frozen=True, slots=True)
class Linked:
    """The linked model, and what an in-place update of the previous one reached."""

    roadmap: Roadmap
    reach: Reach | None
    """None when the model was linked afresh (everything may have changed)."""


def link(
    sources: Iterable[SourceFile],
    valid: list[ValidFile],
    known_ids: Mapping[Kind, Set[str]],
    config: Config,
    report: Report,
    previous: Roadmap | None = None,
) -> Linked | None:
    """Check the links of `sources` and build the model; None if any error was reported so far.

    Links are checked on the raw frontmatter of every parsed file, valid or not, so
    that a broken link is reported in the same run as a type error beside it.

    With `previous` (for `roadmap serve`), `sources` and `valid` are the files edited
    in place since then: no file was added, removed or renamed and no `duplicate_of`
    changed, so every duplicate chain still ends where it did. Only what the edits
    reach is linked again; every other request and item is kept as it was.
    """
    raw_requests = {s.id: s for s in sources if s.kind is Kind.REQUEST and s.data}
    _check_targets(raw_requests.values(), known_ids, report)
    names = (
        account_names((s for s in sources if s.kind is Kind.ACCOUNT and s.data), report)
        if previous is None
        else previous.account_names
    )
    check_account_links(raw_requests.values(), known_ids.get(Kind.ACCOUNT, set()), names, report)
    canonical = _resolve_duplicates(raw_requests, report) if previous is None else {}
    strategy = (
        next((Strategy(f.source.path, f.meta, f.source.body) for f in valid
              if f.source.kind is Kind.STRATEGY and isinstance(f.meta, StrategyMeta)), None)
        if previous is None
        else previous.strategy
    )  # fmt: skip
    if strategy is not None or not known_ids.get(Kind.STRATEGY):  # an invalid one: no guess
        raw_items = (s for s in sources if s.kind is Kind.ITEM and s.data)
        _check_strategy_links(raw_items, strategy.meta if strategy else None, report)
    if report.errors:
        return None
    if previous is not None:
        return _update(previous, valid)
    requests = {f.source.id: f for f in valid if f.source.kind is Kind.REQUEST}
    items = {f.source.id: f for f in valid if f.source.kind is Kind.ITEM}
    profile = next(
        (Profile(f.source.path, f.meta, f.source.body) for f in valid
         if f.source.kind is Kind.PROFILE and isinstance(f.meta, ProfileMeta)),
        None,
    )  # fmt: skip
    records = {
        f.source.id: AccountRecord(f.source.id, f.source.path, f.meta, f.source.body,
                                   fit(profile.meta, f.meta.attributes) if profile else None)
        for f in valid if f.source.kind is Kind.ACCOUNT and isinstance(f.meta, AccountMeta)
    }  # fmt: skip

    answered_by: dict[str, list[str]] = defaultdict(list)
    built_requests = []
    made: dict[Account, AccountRef] = {}  # one reference per distinct account entry
    for request_id, file in requests.items():
        meta = file.meta
        assert isinstance(meta, RequestMeta)
        root = canonical[request_id]
        item_id = _request_meta(requests[root]).roadmap
        if item_id is not None:
            answered_by[item_id].append(request_id)
        answering = _item_meta(items[item_id]).status if item_id is not None else None
        status = derived_status(answering, root != request_id)
        built_requests.append(
            Request(request_id, file.source.path, meta, file.source.body, root, item_id, status,
                    resolve(meta, records, names, profile, made))
        )  # fmt: skip
    built_items = []
    for item_id, file in items.items():
        linked = tuple(sorted(answered_by.get(item_id, ())))
        built_items.append(
            Item(item_id, file.source.path, _item_meta(file), file.source.body, linked)
        )
    roadmap = Roadmap.create(
        config, built_items, built_requests, list(records.values()), profile, names, strategy
    )
    return Linked(roadmap, None)


def _request_meta(file: ValidFile) -> RequestMeta:
    assert isinstance(file.meta, RequestMeta)
    return file.meta


def _item_meta(file: ValidFile) -> ItemMeta:
    assert isinstance(file.meta, ItemMeta)
    return file.meta


def _update(previous: Roadmap, changed: list[ValidFile]) -> Linked:
    """`previous` with `changed` files edited in place."""
    edited_requests = {f.source.id: f for f in changed if f.source.kind is Kind.REQUEST}
    edited_items = {f.source.id: f for f in changed if f.source.kind is Kind.ITEM}

    def meta_of(request_id: str) -> RequestMeta:
        edited = edited_requests.get(request_id)
        return _request_meta(edited) if edited else previous.requests[request_id].meta

    def item_meta(item_id: str) -> ItemMeta:
        edited = edited_items.get(item_id)
        return _item_meta(edited) if edited else previous.items[item_id].meta

    touched = set(edited_requests)
    for request_id in edited_requests:  # a new `roadmap` moves its duplicates along
        if meta_of(request_id).roadmap != previous.requests[request_id].meta.roadmap:
            touched |= {r.id for r in previous.requests.values() if r.canonical == request_id}
    for item_id in edited_items:  # a new status reaches its requests
        if item_meta(item_id).status != previous.items[item_id].meta.status:
            touched |= set(previous.items[item_id].requests)
    requests = dict(previous.requests)
    moved: dict[str, tuple[str | None, str | None]] = {}
    for request_id in touched:
        old = previous.requests[request_id]
        edited = edited_requests.get(request_id)
        answered_by = meta_of(old.canonical).roadmap
        status = derived_status(
            item_meta(answered_by).status if answered_by is not None else None,
            old.canonical != request_id,
        )
        body = edited.source.body if edited else old.body
        request_meta = meta_of(request_id)
        named = (
            resolve(request_meta, previous.accounts, previous.account_names, previous.profile)
            if edited
            else old.accounts
        )
        requests[request_id] = Request(
            request_id, old.path, request_meta, body, old.canonical, answered_by, status, named
        )
        if answered_by != old.item:
            moved[request_id] = (old.item, answered_by)
    items = dict(previous.items)
    relisted = {i for pair in moved.values() for i in pair if i is not None}
    for item_id in relisted | edited_items.keys():
        old_item = previous.items[item_id]
        linked = {r for r in old_item.requests if r not in moved} | {
            r for r, (_, new) in moved.items() if new == item_id
        }
        file = edited_items.get(item_id)
        meta = _item_meta(file) if file else old_item.meta
        body = file.source.body if file else old_item.body
        items[item_id] = Item(item_id, old_item.path, meta, body, tuple(sorted(linked)))
    roadmap = replace(previous, items=MappingProxyType(items), requests=MappingProxyType(requests))
    reached = set(edited_items) | relisted
    for request_id in touched:  # their demand reaches the items answering them, then and now
        then_and_now = (previous.requests[request_id].item, requests[request_id].item)
        reached.update(i for i in then_and_now if i)
    files = frozenset((f.source.kind.value, f.source.id) for f in changed)
    return Linked(roadmap, Reach(files, frozenset(touched), frozenset(reached)))


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


def _check_strategy_links(
    sources: Iterable[SourceFile], strategy: StrategyMeta | None, report: Report
) -> None:
    """E307 for a theme the strategy does not declare (only when there is a strategy: the
    theme is free text without one), E308 for an unknown investment category."""
    categories = categories_of(strategy)
    theme_titles = {t.id: t.title for t in strategy.themes} if strategy else None
    for source in sources:
        for field, code, known, noun, where in (
            ("theme", "E307", theme_titles, "theme", "content/strategy.md declares"),
            ("category", "E308", {c.id: c.label for c in categories}, "investment category",
             "content/strategy.md declares" if strategy else "the default categories are"),
        ):  # fmt: skip
            value = _link(source, field)
            if value is None or known is None or value in known:
                continue
            line, col = source.position((field,))
            report.add(source.path, line, col, code, unknown_id(value, known, noun, where))


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
