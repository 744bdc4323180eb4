"""Read-only views that templates receive, with the audience applied once, here.

The public audience sees only files marked `visibility: public`, and never an
account, an ARR figure, a requester, a score built from internal requests, or a
link to anything internal. Templates cannot reach past these views: they get no
model objects, so a template change cannot leak what the view left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from .demand import account_key
from .model import Item, Request, Roadmap
from .schema import STATUSES, quarter_key
from .scoring import Scores, fmt

Audience = Literal["internal", "public"]
BOARD_COLUMNS = ("now", "next", "later")
RECENT_SHIPPED = 6


@dataclass(frozen=True, slots=True)
class Link:
    """A link to a page of the site, relative to the site root."""

    id: str
    title: str
    url: str
    status: str


@dataclass(frozen=True, slots=True)
class StakeView:
    """An account behind an item or request (internal only)."""

    id: str
    """Slug of the account page."""
    name: str
    url: str
    arr: str
    stage: str


@dataclass(frozen=True, slots=True)
class ScoreView:
    """A score as shown (internal only)."""

    value: str
    """Formatted score, or `unscored`."""
    rank: int | None
    explanation: str
    sort_key: float
    """Number for client-side sorting; -1 when unscored."""


@dataclass(frozen=True, slots=True)
class DecisionView:
    date: str
    outcome: str
    summary: str
    by: str
    item: Link


@dataclass(frozen=True, slots=True)
class ItemView:
    id: str
    url: str
    title: str
    status: str
    theme: str
    owner: str
    target: str
    shipped: str
    body: str
    """Markdown source; templates render it with the `markdown` filter."""
    decisions: tuple[DecisionView, ...]
    """Newest first."""
    alternatives: str
    tags: tuple[str, ...]
    score: ScoreView | None
    """None in the public build."""
    requests: tuple[Link, ...]
    """Linked requests, duplicates included (internal build only)."""
    accounts: tuple[StakeView, ...]
    """Distinct accounts behind it (internal build only)."""
    arr: str
    """Total ARR of those accounts, formatted ("" in the public build)."""
    arr_value: float
    history: tuple = ()
    """Filled from git when available (see generator.git)."""

    @property
    def link(self) -> Link:
        return Link(self.id, self.title, self.url, self.status)


@dataclass(frozen=True, slots=True)
class RequestView:
    id: str
    url: str
    title: str
    status: str
    submitted: str
    requester: str
    area: str
    tags: tuple[str, ...]
    body: str
    """Markdown source; templates render it with the `markdown` filter."""
    item: Link | None
    """The answering item, when visible in this audience."""
    canonical: Link | None
    """The request this one duplicates, when visible."""
    duplicates: tuple[Link, ...]
    accounts: tuple[StakeView, ...]
    arr: str
    arr_value: float
    score: ScoreView | None


@dataclass(frozen=True, slots=True)
class AccountView:
    id: str
    url: str
    name: str
    arr: str
    arr_value: float
    stage: str
    requests: tuple[RequestView, ...]


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the templates may show, for one audience."""

    title: str
    audience: Audience
    internal: bool
    built: str
    commit: str
    model: str
    formula: str
    currency: str
    items: tuple[ItemView, ...]
    """Visible items in id order."""
    requests: tuple[RequestView, ...]
    """Visible requests in id order."""
    accounts: tuple[AccountView, ...]
    """Accounts in name order (empty in the public build)."""
    decisions: tuple[DecisionView, ...]
    """Every decision of every visible item, newest first."""
    ranking: tuple[ItemView, ...]
    """Visible items in rank order (internal build only)."""
    item_index: Mapping[str, ItemView]
    """Visible items by id."""

    def column(self, status: str) -> tuple[ItemView, ...]:
        """Items of a board column, best ranked first (by title in the public build)."""
        chosen = [i for i in self.items if i.status == status]
        if self.internal:
            order = {item.id: n for n, item in enumerate(self.ranking)}
            return tuple(sorted(chosen, key=lambda i: order[i.id]))
        return tuple(sorted(chosen, key=lambda i: (i.target or "9999", i.title)))

    @property
    def recently_shipped(self) -> tuple[ItemView, ...]:
        shipped = [i for i in self.items if i.status == "shipped"]
        return tuple(sorted(shipped, key=lambda i: (i.shipped, i.id), reverse=True))[
            :RECENT_SHIPPED
        ]

    @property
    def declined(self) -> tuple[ItemView, ...]:
        return tuple(i for i in self.items if i.status == "declined")

    @property
    def quarters(self) -> tuple[tuple[str, tuple[ItemView, ...]], ...]:
        """Items by target quarter, in time order; items without a target last."""
        groups: dict[str, list[ItemView]] = {}
        for item in self.items:
            groups.setdefault(item.target or "", []).append(item)
        ordered = sorted((q for q in groups if q), key=quarter_key)
        result = [(q, tuple(groups[q])) for q in ordered]
        if "" in groups:
            result.append(("Not scheduled", tuple(groups[""])))
        return tuple(result)

    @property
    def statuses(self) -> tuple[str, ...]:
        present = {r.status for r in self.requests}
        return tuple(s for s in (*STATUSES, "duplicate", "untriaged") if s in present)

    @property
    def areas(self) -> tuple[str, ...]:
        return tuple(sorted({r.area for r in self.requests if r.area}))

    @property
    def outcomes(self) -> tuple[str, ...]:
        return tuple(sorted({d.outcome for d in self.decisions}))


def build_site(
    roadmap: Roadmap,
    scores: Scores,
    audience: Audience,
    built: str,
    commit: str,
) -> Site:
    """All views for one audience."""
    internal = audience == "internal"
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
    )
