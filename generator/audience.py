"""Views for one audience: where the public build leaves internal data out.

The public audience sees only files marked `visibility: public`, and never an
account, an ARR figure, a requester, a score built from internal requests, git
authors, or a link to anything internal. This is the one place that decides it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from .demand import account_key
from .git import History
from .model import Item, Request, Roadmap
from .scoring import Scores, fmt
from .views import (
    RECENT_DAYS,
    AccountView,
    Audience,
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


def build_site(
    roadmap: Roadmap,
    scores: Scores,
    audience: Audience,
    built: str,
    commit: str,
    history: History,
    today: dt.date,
) -> Site:
    """All views for one audience."""
    internal = audience == "internal"

    def changed(path: str) -> ChangedView | None:
        found = history.files.get(path) if internal else None
        if found is None:
            return None
        first, last = found.created, found.last_changed
        return ChangedView(first.date, first.author, last.date, last.author, found.commits)

    def status_log(path: str) -> tuple[StatusLogView, ...]:
        found = history.files.get(path) if internal else None
        return tuple(
            StatusLogView(c.commit.date, c.commit.author, c.old or "", c.new, c.commit.short,
                          c.commit.subject)
            for c in (found.status_changes if found else ())
        )  # fmt: skip

    config = roadmap.config
    currency = config.site.currency

    def money(value: float | None) -> str:
        return f"{fmt(value)} {currency}" if value else ""

    items = {i.id: i for i in roadmap.items.values() if internal or i.meta.visibility == "public"}
    requests = {
        r.id: r for r in roadmap.requests.values() if internal or r.meta.visibility == "public"
    }
    account_urls = {account_key(a.name): a.id for a in scores.accounts.values()}

    def stakes(stake_list) -> tuple[StakeView, ...]:
        if not internal:
            return ()
        return tuple(
            StakeView(
                account_urls[account_key(s.name)],
                s.name,
                f"accounts/{account_urls[account_key(s.name)]}.html",
                money(s.arr),
                s.stage or "",
            )
            for s in stake_list
        )

    def score_view(score, rank) -> ScoreView | None:
        if not internal:
            return None
        value = "unscored" if score.value is None else fmt(score.value)
        sort_key = -1.0 if score.value is None else score.value
        return ScoreView(value, rank, score.explanation, sort_key)

    def item_link(item: Item) -> Link:
        return Link(item.id, item.title, f"items/{item.id}.html", item.status)

    def request_link(request: Request) -> Link:
        return Link(request.id, request.title, f"requests/{request.id}.html", request.status)

    item_views: dict[str, ItemView] = {}
    for item in items.values():
        demand = scores.item_demand[item.id]
        link = item_link(item)
        decisions = tuple(
            DecisionView(d.date.isoformat(), d.outcome, d.summary, d.by or "", link)
            for d in sorted(item.meta.decisions, key=lambda d: d.date, reverse=True)
        )
        item_views[item.id] = ItemView(
            id=item.id,
            url=link.url,
            title=item.title,
            status=item.status,
            theme=item.meta.theme or "",
            owner=item.meta.owner or "",
            target=item.meta.target or "",
            shipped=item.meta.shipped.isoformat() if item.meta.shipped else "",
            body=item.body,
            decisions=decisions,
            alternatives=item.meta.alternatives or "",
            tags=tuple(item.meta.tags),
            score=score_view(scores.items[item.id], scores.item_ranks[item.id]),
            requests=tuple(request_link(roadmap.requests[r]) for r in demand.requests)
            if internal
            else (),
            accounts=stakes(demand.accounts),
            arr=money(demand.arr) if internal else "",
            arr_value=demand.arr if internal else 0.0,
            changed=changed(item.path),
            status_log=status_log(item.path),
        )

    duplicates: dict[str, list[Link]] = {}
    for request in requests.values():
        if request.is_duplicate and request.canonical in requests:
            duplicates.setdefault(request.canonical, []).append(request_link(request))
    request_views: dict[str, RequestView] = {}
    for request in requests.values():
        demand = scores.request_demand[request.id]
        own_keys = {account_key(a.name) for a in request.meta.accounts}
        own = [s for s in demand.accounts if account_key(s.name) in own_keys]
        canonical = requests.get(request.canonical) if request.is_duplicate else None
        answering = items.get(request.item) if request.item else None
        arr = sum(s.arr or 0 for s in own)
        request_views[request.id] = RequestView(
            id=request.id,
            url=f"requests/{request.id}.html",
            title=request.title,
            status=request.status,
            submitted=request.meta.submitted.isoformat(),
            requester=request.meta.requester if internal else "",
            area=request.meta.area or "",
            tags=tuple(request.meta.tags),
            body=request.body,
            item=item_link(answering) if answering else None,
            canonical=request_link(canonical) if canonical else None,
            duplicates=tuple(duplicates.get(request.id, ())),
            accounts=stakes(own),
            arr=money(arr) if internal else "",
            arr_value=arr if internal else 0.0,
            score=score_view(scores.requests[request.id], scores.request_ranks[request.id]),
            changed=changed(request.path),
        )

    account_views = ()
    if internal:
        account_views = tuple(
            AccountView(
                a.id,
                f"accounts/{a.id}.html",
                a.name,
                money(a.arr),
                a.arr or 0.0,
                a.stage or "",
                tuple(request_views[r] for r in a.requests),
            )
            for a in scores.accounts.values()
        )
    decisions = sorted(
        (d for view in item_views.values() for d in view.decisions),
        key=lambda d: (d.date, d.item.id),
        reverse=True,
    )
    ranking = tuple(item_views[i] for i in scores.item_ranking if i in item_views)
    return Site(
        title=config.site.title,
        audience=audience,
        internal=internal,
        built=built,
        commit=commit,
        model=scores.model,
        formula=scores.formula,
        currency=currency,
        items=tuple(item_views.values()),
        requests=tuple(request_views.values()),
        accounts=account_views,
        decisions=tuple(decisions),
        ranking=ranking if internal else (),
        item_index=MappingProxyType(item_views),
        recent=_recent(items.values(), item_views, history, today),
        history_note=history.unavailable,
    )


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
