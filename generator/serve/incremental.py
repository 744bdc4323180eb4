"""`roadmap serve`'s fast path: an edit applied to the last good model, not a rebuild.

A save usually edits one file in place. Rather than link, score and build the views
of the whole roadmap again, :func:`apply_edits` names everything the edit can reach
(the requests and items whose links, scores, ranks, views and pages may change),
builds those again with the very functions a full build uses, and keeps every other
object as it was, so that the pages and rows made from them are kept too.

An edit that could reach further takes the full path (`apply_edits` returns None):
a file added, removed or renamed, or a changed `duplicate_of`, `visibility`, account
name or requester. Templates, roadmap.toml and a moved git HEAD always take it.
Tests compare the two paths after each kind of edit, byte for byte.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ..content.disclosure import NameIndex, check_public_text, name_index
from ..content.frontmatter import RequestMeta
from ..content.linking import relink
from ..content.loading import ContentTree, Kind, SourceFile, content_key, load_file
from ..content.model import Item, Request, Roadmap
from ..content.validation import ValidFile, lint, validate_one
from ..diagnostics import Diagnostic, Report
from ..git import History
from ..pipeline import CheckResult
from ..scoring.demand import account_key
from ..scoring.scores import Scores, rescore
from ..site.audience import Audience
from ..site.present import Presenter, build_site
from ..site.rendering import Page, account_page, index_pages, item_page, pages, request_page
from ..site.views import AccountView, RequestView, Site


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The last good state of a served site, and everything it was made from."""

    sources: Mapping[tuple[Kind, str], SourceFile]
    """Every content file as read, by kind and id."""
    roadmap: Roadmap
    scores: Scores
    names: NameIndex
    """Account and requester names, for the public-text check."""
    warnings: Mapping[str, tuple[Diagnostic, ...]]
    """Warnings of each file that has some, by path."""
    history: History
    site: Site
    requests: Mapping[str, RequestView]
    """Views of the visible requests, by id."""
    accounts: Mapping[str, AccountView]
    """Views of the accounts, by slug (internal build only)."""
    pages: Mapping[str, Page]
    """Every page, by path."""


@dataclass(frozen=True, slots=True)
class Edit:
    """What applying edits produced."""

    snapshot: Snapshot | None
    """The new state, or None when the edits have errors."""
    pages: tuple[Page, ...]
    """Pages that may differ from the previous state's (compare their `deps`)."""
    report: Report
    """Errors of the edited files, or every warning of the new state."""


def snapshot(
    result: CheckResult, audience: Audience, history: History, site_stamps: tuple[str, str],
    today: dt.date,
) -> Snapshot:  # fmt: skip
    """The state after a full check and build of the views."""
    roadmap, scores = result.roadmap, result.scores
    assert roadmap is not None and scores is not None
    site = build_site(roadmap, scores, audience, *site_stamps, history, today)
    requests = {view.id: view for view in site.requests}
    accounts = {view.id: view for view in site.accounts}
    warnings: dict[str, list[Diagnostic]] = {}
    for diagnostic in result.report.warnings:
        warnings.setdefault(diagnostic.path, []).append(diagnostic)
    return Snapshot(
        result.sources, roadmap, scores, name_index(roadmap),
        {path: tuple(found) for path, found in warnings.items()}, history, site,
        MappingProxyType(requests), MappingProxyType(accounts),
        MappingProxyType({page.path: page for page in pages(site, scores)}),
    )  # fmt: skip


def apply_edits(
    previous: Snapshot, edited: Iterable[str], tree: ContentTree, today: dt.date
) -> Edit | None:
    """The state after `edited` paths changed, or None when only a full build can say."""
    report = Report()
    changed: list[ValidFile] = []
    for path in sorted(edited):
        key = content_key(path)
        if key is None:
            continue  # a template file under content/, or something that is not content
        if key not in previous.sources or tree.stamp(path) is None:
            return None  # added or removed
        source = load_file(tree, key[0], path, report)
        meta = validate_one(source, previous.roadmap.config, report) if source else None
        if source is not None and meta is not None:
            if not _same_reach(previous.roadmap, key, meta):
                return None
            changed.append(ValidFile(source, meta))
    if report.errors:
        return Edit(None, (), report)
    linked = relink(previous.roadmap, changed, report)
    if linked is None:
        return Edit(None, (), report)
    roadmap, touched_requests, touched_items = linked
    sources = dict(previous.sources)
    sources.update({(f.source.kind, f.source.id): f.source for f in changed})
    check_public_text(roadmap, sources, report, previous.names, _keys(changed))
    if report.errors:
        return Edit(None, (), report)

    old = previous.roadmap
    items = set(touched_items)
    for request_id in touched_requests:
        items.update(
            i for i in (old.requests[request_id].item, roadmap.requests[request_id].item) if i
        )
    requests = touched_requests | {roadmap.requests[r].canonical for r in touched_requests}
    slugs = {account_key(a.name): a.id for a in previous.scores.accounts.values()}
    accounts = {slugs[account_key(a.name)] for r in touched_requests for a in _accounts(roadmap, r)}
    scores = rescore(previous.scores, roadmap, items, requests, accounts)

    warnings = dict(previous.warnings)
    own = Report()
    lint(roadmap, scores, sources, own, requests=touched_requests, items=items)
    paths = [roadmap.requests[r].path for r in touched_requests]
    paths += [roadmap.items[i].path for i in items]
    for path in paths:
        warnings.pop(path, None)
    for diagnostic in own.diagnostics:
        warnings[diagnostic.path] = (*warnings.get(diagnostic.path, ()), diagnostic)
    for diagnostic_list in warnings.values():
        report.extend(diagnostic_list)

    state, changed_pages = _views(previous, roadmap, scores, touched_requests, items, requests,
                                  accounts, today)  # fmt: skip
    state = Snapshot(
        MappingProxyType(sources), roadmap, scores, previous.names, MappingProxyType(warnings),
        previous.history, *state,
    )  # fmt: skip
    return Edit(state, changed_pages, report)


def _views(
    previous: Snapshot,
    roadmap: Roadmap,
    scores: Scores,
    touched_requests: set[str],
    items: set[str],
    requests: set[str],
    accounts: set[str],
    today: dt.date,
) -> tuple[tuple[Site, Mapping[str, RequestView], Mapping[str, AccountView], Mapping[str, Page]],
           tuple[Page, ...]]:  # fmt: skip
    """Views and pages again for what changed; the rest kept as they were."""
    old, old_site = previous.roadmap, previous.site
    views = Presenter(roadmap, scores, old_site.audience, previous.history)
    view_requests = set(requests) | _moved(previous.scores.request_ranks, scores.request_ranks)
    view_items = set(items) | _moved(previous.scores.item_ranks, scores.item_ranks)
    for request_id in touched_requests:  # its link shows on its family's pages
        canonical = roadmap.requests[request_id].canonical
        view_requests.update(scores.request_demand[canonical].requests)
    for item_id in items:  # its link shows on the pages of its requests
        if _item_link(old.items[item_id]) != _item_link(roadmap.items[item_id]):
            view_requests.update(roadmap.items[item_id].requests)

    item_views = dict(old_site.item_index)
    item_views.update({i: views.item(i) for i in sorted(view_items) if i in views.items})
    request_views = dict(previous.requests)
    request_views.update({r: views.request(r) for r in view_requests if r in views.requests})
    account_views = dict(previous.accounts)
    if views.audience.shows_field(Site, "accounts"):
        slugs = views.account_urls
        accounts = accounts | {
            slugs[account_key(a.name)] for r in view_requests for a in _accounts(roadmap, r)
        }
        for slug in accounts:
            account_views[slug] = views.account(scores.accounts[slug], request_views)
    site = views.site(item_views, request_views, account_views.values(), old_site.built,
                      old_site.commit, today)  # fmt: skip

    candidates = index_pages(site, scores)
    candidates += [item_page(site, item_views[i]) for i in view_items if i in item_views]
    on_item_pages = {r for i in view_items for r in roadmap.items[i].requests}
    candidates += [
        request_page(site, request_views[r])
        for r in view_requests | on_item_pages
        if r in request_views
    ]
    if views.audience.shows_field(Site, "accounts"):
        showing = {a.id for a in scores.accounts.values() if view_items.intersection(a.items)}
        candidates += [account_page(site, account_views[a]) for a in accounts | showing]
    all_pages = dict(previous.pages)
    all_pages.update({page.path: page for page in candidates})
    state = (site, MappingProxyType(request_views), MappingProxyType(account_views),
             MappingProxyType(all_pages))  # fmt: skip
    return state, tuple(candidates)


def _same_reach(roadmap: Roadmap, key: tuple[Kind, str], meta: object) -> bool:
    """True when an edit leaves what the fast path cannot follow as it was."""
    kind, entry_id = key
    old: Item | Request = (roadmap.items if kind is Kind.ITEM else roadmap.requests)[entry_id]
    if meta.visibility != old.meta.visibility:  # type: ignore[attr-defined]
        return False
    if isinstance(meta, RequestMeta):
        before = old.meta
        assert isinstance(before, RequestMeta)
        return (
            meta.duplicate_of == before.duplicate_of
            and meta.requester == before.requester
            and [a.name for a in meta.accounts] == [a.name for a in before.accounts]
        )
    return True


def _keys(files: list[ValidFile]) -> set[tuple[Kind, str]]:
    return {(f.source.kind, f.source.id) for f in files}


def _accounts(roadmap: Roadmap, request_id: str) -> Iterable:
    return roadmap.requests[request_id].meta.accounts


def _item_link(item: Item) -> tuple[str, str]:
    return item.title, item.status


def _moved(before: Mapping[str, int | None], after: Mapping[str, int | None]) -> set[str]:
    """Ids whose rank differs (none when the ranking was kept)."""
    if before is after:
        return set()
    return {entry_id for entry_id, rank in after.items() if before.get(entry_id) != rank}
