"""Ways in and ways to follow: links to the request form, and Atom feeds per account
and per requester (internal build only).

The form links open the GitHub issue form `roadmap intake` reads, prefilled through
its query parameters (the form's field ids). A feed carries the updates on the
requests someone cares about: when each was logged, and the decisions and status
moves of the item that answers it; the same facts the pages show, so a feed reader
or a mail rule brings them instead of a visit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from operator import itemgetter
from urllib.parse import urlencode

from jinja2 import Environment

from ..config import SiteSettings
from ..content.model import Request, account_key
from ..content.safe_yaml import CONTROL
from ..formatting import slugify
from .views import DecisionView, ItemView, RequestView, Site, StatusLogView

FORM_TEMPLATE = "customer-request.yml"  # intake.form.FORM_FILE: the site may not import it
#: Entries per feed, newest first: a feed reader keeps what it has seen, so a feed needs
#: only the recent past (a requester with hundreds of requests would otherwise make
#: thousands of entries on every build).
FEED_ENTRIES = 50


def form_link(settings: SiteSettings, **prefill: str) -> str:
    """The request form's address with these answers filled in; "" without a repository."""
    if not settings.repository_url:
        return ""
    query = urlencode({"template": FORM_TEMPLATE, **{k: v for k, v in prefill.items() if v}})
    return f"{settings.repository_url}/issues/new?{query}"


def requester_slugs(requests: Iterable[Request]) -> dict[str, str]:
    """Feed slug by `account_key` of each requester's name: readable, and unique (a name
    whose slug another name shares gets a number, in name order)."""
    names = sorted({account_key(r.meta.requester): r.meta.requester for r in requests}.items())
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for key, name in names:
        base = slugify(name, "requester")
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs[key] = slug
    return slugs


def requester_feed(slug: str) -> str:
    return f"feeds/requesters/{slug}.xml"


def xml_bytes(text: str) -> bytes:
    """A rendered feed as UTF-8, without the characters XML forbids: content cannot hold
    them (E111), but settings and commit text might."""
    if text.isascii():  # the common case: one pass in C over the bytes
        return text.encode().translate(None, _ASCII_CONTROLS)
    return CONTROL.sub("", text).encode()


#: The ASCII characters of `CONTROL`.
_ASCII_CONTROLS = bytes(c for c in range(128) if CONTROL.match(chr(c)))


def account_feed(slug: str) -> str:
    return f"feeds/accounts/{slug}.xml"


@dataclass(frozen=True, slots=True)
class Entry:
    """One update in a feed."""

    id: str
    date: str
    title: str
    summary: str
    url: str
    category: str
    """logged, decision or status."""


#: An update before it is made an entry: (date, entry id, request, item, decision or move).
_Update = tuple[str, str, RequestView, ItemView | None, DecisionView | StatusLogView | None]


def _entries(requests: Iterable[RequestView], items: Mapping[str, ItemView]) -> list[Entry]:
    """The newest `FEED_ENTRIES` updates on `requests`, by date then id, newest first.

    Only the updates kept are made into entries: a requester's feed may have thousands
    of updates for its fifty entries.
    """
    updates: list[_Update] = []
    for request in requests:
        updates.append((request.submitted, f"{request.id}/logged", request, None, None))
        item = items.get(request.item.id) if request.item else None
        if item is None:
            continue
        for d in item.decisions:
            entry_id = f"{request.id}/decision/{item.id}/{d.date}/{d.outcome}"
            updates.append((d.date, entry_id, request, item, d))
        for move in item.status_log:
            if move.old:
                entry_id = f"{request.id}/status/{item.id}/{move.commit}/{move.new}"
                updates.append((move.date, entry_id, request, item, move))
    updates.sort(key=_date_and_id, reverse=True)
    return [_entry(*update) for update in updates[:FEED_ENTRIES]]


_date_and_id = itemgetter(0, 1)


def _entry(
    date: str,
    entry_id: str,
    request: RequestView,
    item: ItemView | None,
    update: DecisionView | StatusLogView | None,
) -> Entry:
    if item is None:
        return Entry(entry_id, date, f"Logged: {request.title}",
                     f"Logged by {request.requester}.", request.url, "logged")  # fmt: skip
    if isinstance(update, DecisionView):
        by = f" ({update.by})" if update.by else ""
        return Entry(entry_id, date, f"{request.title}: {update.outcome} ({item.title})",
                     f"{update.summary}{by}", item.url, "decision")  # fmt: skip
    assert update is not None
    return Entry(
        entry_id, date, f"{request.title}: {update.old} -> {update.new} ({item.title})",
        f"{item.title} moved from {update.old} to {update.new}.", item.url, "status",
    )  # fmt: skip


def feeds(
    env: Environment, site: Site, kept: dict[str, tuple[object, bytes]]
) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of every account and requester feed; none for the public build.

    Links are relative to the feed (`site.base_url` is the public site's address, and
    these feeds are internal): a feed reader resolves them against where it found it.

    `kept` holds each feed with what it was made from, between rebuilds of `roadmap
    serve`: a feed whose views are the same objects is not made again.
    """
    if not site.audience.internal:
        return
    template = env.get_template("follow.xml")
    wanted: list[tuple[str, str, str, tuple[RequestView, ...]]] = [
        (account_feed(a.id), f"{a.name}: requests", a.url, a.requests) for a in site.accounts
    ]
    by_requester: dict[str, list[RequestView]] = {}
    for request in site.requests:
        if request.requester_feed:
            by_requester.setdefault(request.requester_feed, []).append(request)
    wanted += [
        (path, f"Requests logged by {requests[0].requester}", "requests.html", tuple(requests))
        for path, requests in sorted(by_requester.items())
    ]
    used: dict[str, tuple[object, bytes]] = {}
    base, site_slug = "../../", slugify(site.title, "roadmap", 200)
    for path, title, page, requests in wanted:
        answering = tuple(site.item_index.get(r.item.id) if r.item else None for r in requests)
        inputs = (title, page, site.title, requests, answering)
        found = kept.get(path)
        if found is None or found[0] != inputs:
            entries = _entries(requests, site.item_index)
            feed_id = f"urn:roadmap:{site_slug}:{path}"
            updated = f"{entries[0].date}T00:00:00Z" if entries else "1970-01-01T00:00:00Z"
            text = template.render(site=site, title=title, entries=entries, base=base,
                                   name=path.rsplit("/", 1)[-1], page=page, feed_id=feed_id,
                                   updated=updated)  # fmt: skip
            found = (inputs, xml_bytes(text))
        used[path] = found
        yield path, found[1]
    kept.clear()
    kept.update(used)
