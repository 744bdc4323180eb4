"""The model presented to one audience: the read-only views templates receive.

What an audience sees is decided by :mod:`generator.site.audience`: which files
appear, and which fields of each view (every view built here goes through the
audience's `redact`). Links lead only to files the audience sees.

Views are built one at a time by :class:`Presenter`, so that `roadmap serve` can
build again only those whose inputs changed; :func:`present` builds them all, or
updates them after an edit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ..content.customers import outside
from ..content.frontmatter import REASONS
from ..content.history import History
from ..content.model import SETTLED, Item, Reach, Request, Roadmap, account_key
from ..formatting import fmt, money
from ..scoring.demand import Account, Stake
from ..scoring.models import MODELS, Score
from ..scoring.plan import item_effort
from ..scoring.scores import Scores, reached_accounts, reached_requests
from .audience import Audience
from .customers import account_details, profile_view, renewals, share
from .follow import account_feed, form_link, requester_feed, requester_slugs
from .strategy import item_theme, strategy_view
from .views import (
    RECENT_DAYS,
    AccountView,
    ChangedView,
    DecisionView,
    ItemView,
    Link,
    RecentChange,
    RequestView,
    ScoreView,
    Site,
    StakeView,
    StatusLogView,
)


class Presenter:
    """Builds the views of one model for one audience."""

    def __init__(self, roadmap: Roadmap, scores: Scores, audience: Audience, history: History):
        self.roadmap, self.scores, self.history = roadmap, scores, history
        self.audience = audience
        self.currency = roadmap.config.site.currency
        self.items: Mapping[str, Item] = roadmap.items if not audience.public_only else {
            i.id: i for i in roadmap.items.values() if audience.shows(i.meta.visibility)
        }  # fmt: skip
        """Visible items by id."""
        self.requests: Mapping[str, Request] = roadmap.requests if not audience.public_only else {
            r.id: r for r in roadmap.requests.values() if audience.shows(r.meta.visibility)
        }  # fmt: skip
        """Visible requests by id."""
        self.account_urls = scores.account_slugs
        self.requester_urls = requester_slugs(roadmap.requests.values())
        self.settings = roadmap.config.site
        self.category_labels = {c.id: c.label for c in roadmap.categories}
        """Investment category names by id (built once, not per item)."""

    def item(self, item_id: str) -> ItemView:
        item, scores, redact = self.roadmap.items[item_id], self.scores, self.audience.redact
        demand = scores.item_demand[item_id]
        link = item_link(item)
        decisions = tuple(
            redact(DecisionView(d.date.isoformat(), d.outcome, d.summary, link, d.by or "",
                                d.reason or "", REASONS.get(d.reason or "", "")))
            for d in sorted(item.meta.decisions, key=lambda d: d.date, reverse=True)
        )  # fmt: skip
        requests, meta = self.roadmap.requests, item.meta
        effort = item_effort(meta)
        category = self.category_labels.get(meta.category or "", "")
        return redact(
            ItemView(
                id=item.id,
                url=link.url,
                title=item.title,
                status=item.status,
                owner=item.meta.owner or "",
                target=item.meta.target or "",
                shipped=item.meta.shipped.isoformat() if item.meta.shipped else "",
                body=item.body,
                decisions=decisions,
                alternatives=item.meta.alternatives or "",
                tags=tuple(item.meta.tags),
                score=self._score(scores.items[item_id], scores.item_ranks[item_id]),
                requests=tuple(request_link(requests[r]) for r in demand.requests),
                accounts=self._stakes(demand.accounts),
                arr=money(demand.arr, self.currency),
                arr_value=demand.arr,
                changed=self._changed(item.path),
                status_log=self._status_log(item.path),
                profile_share=share(demand, self.currency) if self.roadmap.profile else None,
                outside_profile=demand.outside_profile,
                log_request=form_link(self.settings, item=item.id),
                category=category,
                effort=fmt(effort) if effort is not None else "",
                team=meta.team or "",
                **item_theme(self.roadmap, meta.theme, self.audience.public_only),
            )
        )

    def request(self, request_id: str) -> RequestView:
        request, scores = self.roadmap.requests[request_id], self.scores
        visible = self.requests
        demand = scores.request_demand[request_id]
        notes = {a.key: a.note or "" for a in reversed(request.accounts)}  # the first note
        own = [s for s in demand.accounts if account_key(s.name) in notes]
        fits = {s.fit for s in own}
        canonical = visible.get(request.canonical) if request.is_duplicate else None
        answering = self.items.get(request.item) if request.item else None
        # its family (itself and its duplicates, in id order) is the demand behind it
        duplicates = tuple(
            request_link(visible[r])
            for r in demand.requests
            if r != request_id and r in visible and visible[r].canonical == request_id
        )
        arr = sum(s.arr or 0 for s in own)
        return self.audience.redact(
            RequestView(
                id=request.id,
                url=f"requests/{request.id}.html",
                title=request.title,
                status=request.status,
                submitted=request.meta.submitted.isoformat(),
                requester=request.meta.requester,
                area=request.meta.area or "",
                tags=tuple(request.meta.tags),
                body=request.body,
                item=item_link(answering) if answering else None,
                canonical=request_link(canonical) if canonical else None,
                duplicates=duplicates,
                accounts=self._stakes(own, notes),
                account_notes=any(notes.values()),
                arr=money(arr, self.currency),
                arr_value=arr,
                score=self._score(scores.requests[request_id], scores.request_ranks[request_id]),
                changed=self._changed(request.path),
                outside_profile=outside(fits),
                requester_feed=requester_feed(
                    self.requester_urls[account_key(request.meta.requester)]
                ),
            )
        )

    def account(self, account: Account, requests: Mapping[str, RequestView]) -> AccountView:
        """An account's view, showing the given views of its requests."""
        shown = tuple(requests[r] for r in account.requests)
        record = self.roadmap.accounts.get(account.file) if account.file else None
        return self.audience.redact(
            AccountView(
                account.id,
                f"accounts/{account.id}.html",
                account.name,
                money(account.arr, self.currency),
                account.arr or 0.0,
                account.stage or "",
                shown,
                tuple(next((s.note for s in r.accounts if s.id == account.id), "") for r in shown),
                open_requests=sum(1 for r in shown if r.status not in SETTLED),
                feed=account_feed(account.id),
                log_request=form_link(self.settings, account=account.file or account.name),
                **account_details(self.roadmap, record),
            )
        )

    def site(
        self,
        items: Mapping[str, ItemView],
        requests: Mapping[str, RequestView],
        accounts: Iterable[AccountView],
        built: str,
        commit: str,
        today: dt.date,
    ) -> Site:
        """The site of these views, in id order (`items` and `requests` are in id order)."""
        decisions = sorted(
            (d for view in items.values() for d in view.decisions),
            key=lambda d: (d.date, d.item.id),
            reverse=True,
        )
        ranking = tuple(items[i] for i in self.scores.item_ranking if i in items)
        accounts = tuple(accounts)
        days = self.roadmap.config.accounts.renewal_days
        return self.audience.redact(
            Site(
                title=self.roadmap.config.site.title,
                audience=self.audience,
                built=built,
                commit=commit,
                model=self.scores.model,
                model_label=MODELS[self.scores.model].label,
                formula=self.scores.formula,
                currency=self.currency,
                items=tuple(items.values()),
                requests=tuple(requests.values()),
                accounts=accounts,
                decisions=tuple(decisions),
                ranking=ranking,
                item_index=MappingProxyType(dict(items)),
                recent=_recent(self.items.values(), items, self.history, today),
                history_note=self.history.unavailable,
                profile=profile_view(self.roadmap, self.scores, ranking, accounts, self.audience),
                renewals=renewals(accounts, today, days),
                renewal_days=days,
                log_request=form_link(self.settings),
                suggest=self.settings.public_intake_url if not self.audience.internal else "",
                strategy=strategy_view(self.roadmap, ranking, items, self.audience, today),
            )
        )

    def _changed(self, path: str) -> ChangedView | None:
        found = self.history.files.get(path)
        if found is None:
            return None
        first, last = found.created, found.last_changed
        return ChangedView(first.date, first.author, last.date, last.author, found.commits)

    def _status_log(self, path: str) -> tuple[StatusLogView, ...]:
        found = self.history.files.get(path)
        return tuple(
            StatusLogView(c.commit.date, c.commit.author, c.old or "", c.new, c.commit.short,
                          c.commit.subject)
            for c in (found.status_changes if found else ())
        )  # fmt: skip

    def _stakes(
        self, stakes: Iterable[Stake], notes: Mapping[str, str] | None = None
    ) -> tuple[StakeView, ...]:
        views = []
        for stake in stakes:
            key = account_key(stake.name)
            slug = self.account_urls[key]
            note = notes.get(key, "") if notes else ""
            views.append(StakeView(slug, stake.name, f"accounts/{slug}.html",
                                   money(stake.arr, self.currency), stake.stage or "",
                                   stake.fit, stake.strategic, note))  # fmt: skip
        return tuple(views)

    def _score(self, score: Score, rank: int | None) -> ScoreView | None:
        value = "unscored" if score.value is None else fmt(score.value)
        sort_key = -1.0 if score.value is None else score.value
        return ScoreView(value, rank, score.explanation, sort_key)


@dataclass(frozen=True, slots=True)
class Remade:
    """The pages whose views an update made again (besides the index pages)."""

    items: frozenset[str]
    requests: frozenset[str]
    accounts: frozenset[str]


@dataclass(frozen=True, slots=True)
class Presented:
    """Every view of one model for one audience, and what it was made from."""

    site: Site
    roadmap: Roadmap
    scores: Scores
    history: History
    requests: Mapping[str, RequestView]
    """Views of the visible requests, by id."""
    accounts: Mapping[str, AccountView]
    """Views of the accounts, by slug (empty when the audience sees none)."""
    remade: Remade | None = None
    """What an update made again; None when every view was made."""


def present(
    roadmap: Roadmap,
    scores: Scores,
    audience: Audience,
    built: str,
    commit: str,
    history: History,
    today: dt.date,
    previous: Presented | None = None,
    reach: Reach | None = None,
) -> Presented:
    """All views for one audience.

    With `previous` and `reach` (the model was updated in place, `roadmap serve`), only
    the views an edit can change are made again: those of what it reaches, of entries
    whose rank moved, and of the pages that show a changed link; the rest are kept, the
    very same objects, so that the pages and rows made from them can be kept too.
    """
    views = Presenter(roadmap, scores, audience, history)
    shows_accounts = audience.shows_field(Site, "accounts")
    if previous is None or reach is None:
        items = {item_id: views.item(item_id) for item_id in views.items}
        requests = {request_id: views.request(request_id) for request_id in views.requests}
        accounts = {}
        if shows_accounts:
            accounts = {a.id: views.account(a, requests) for a in scores.accounts.values()}
        site = views.site(items, requests, accounts.values(), built, commit, today)
        return Presented(site, roadmap, scores, history, requests, accounts)
    old, old_scores = previous.roadmap, previous.scores
    view_requests = reached_requests(roadmap, reach) | _moved(
        old_scores.request_ranks, scores.request_ranks
    )
    view_items = set(reach.items) | _moved(old_scores.item_ranks, scores.item_ranks)
    for request_id in reach.requests:  # its link shows on its family's pages
        view_requests.update(scores.request_demand[roadmap.requests[request_id].canonical].requests)
    for item_id in reach.items:  # its link shows on the pages of its requests
        if _link_of(old.items[item_id]) != _link_of(roadmap.items[item_id]):
            view_requests.update(roadmap.items[item_id].requests)
    items = dict(previous.site.item_index)
    items.update({i: views.item(i) for i in sorted(view_items) if i in views.items})
    requests = dict(previous.requests)
    requests.update({r: views.request(r) for r in view_requests if r in views.requests})
    accounts = dict(previous.accounts)
    account_pages: set[str] = set()
    if shows_accounts:
        remake = reached_accounts(roadmap, old_scores, reach) | {
            views.account_urls[a.key]
            for r in view_requests for a in roadmap.requests[r].accounts
        }  # fmt: skip
        for slug in remake:
            accounts[slug] = views.account(scores.accounts[slug], requests)
        showing = {a.id for a in scores.accounts.values() if view_items.intersection(a.items)}
        account_pages = remake | showing
    site = views.site(items, requests, accounts.values(), previous.site.built,
                      previous.site.commit, today)  # fmt: skip
    shown_on_items = {r for i in view_items for r in roadmap.items[i].requests}
    remade = Remade(
        frozenset(i for i in view_items if i in items),
        frozenset(r for r in view_requests | shown_on_items if r in requests),
        frozenset(account_pages),
    )
    return Presented(site, roadmap, scores, history, requests, accounts, remade)


def _link_of(item: Item) -> tuple[str, str]:
    """What a link to an item shows."""
    return item.title, item.status


def _moved(before: Mapping[str, int | None], after: Mapping[str, int | None]) -> set[str]:
    """Ids whose rank differs (none when the ranking was kept)."""
    if before is after:
        return set()
    return {entry_id for entry_id, rank in after.items() if before.get(entry_id) != rank}


def item_link(item: Item) -> Link:
    return Link(item.id, item.title, f"items/{item.id}.html", item.status)


def request_link(request: Request) -> Link:
    return Link(request.id, request.title, f"requests/{request.id}.html", request.status)


def _recent(
    items: Iterable[Item], views: Mapping[str, ItemView], history: History, today: dt.date
) -> tuple[RecentChange, ...]:
    """Decisions (from content) and status moves (from git) of the last RECENT_DAYS days.

    Status moves carry only dates and statuses, so they are safe for the public build.
    """
    since = (today - dt.timedelta(days=RECENT_DAYS)).isoformat()
    recent = []
    for item in items:
        link = views[item.id].link
        for decision in item.meta.decisions:
            if decision.date.isoformat() >= since:
                text = f"{decision.outcome}: {decision.summary}"
                recent.append(RecentChange(decision.date.isoformat(), link, "decision", text))
        found = history.files.get(item.path)
        for change in found.status_changes if found else ():
            if change.old and change.commit.date >= since:
                text = f"{change.old} -> {change.new}"
                recent.append(RecentChange(change.commit.date, link, "status", text))
    return tuple(sorted(recent, key=lambda r: (r.date, r.item.id, r.kind), reverse=True))
