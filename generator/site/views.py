"""Read-only views: all that templates receive.

Templates get no model objects, only these, built for one audience by
:mod:`generator.site.present`; so a template change cannot show what a view left out.
A field that an audience may not see has a default: its empty value, which
:meth:`generator.site.audience.Audience.redact` puts in its place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..content.frontmatter import STATUSES, quarter_key

if TYPE_CHECKING:
    from .audience import Audience
    from .strategy import StrategyView

RECENT_SHIPPED = 6
RECENT_DAYS = 90


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
    fit: str = ""
    """`in`, `out` or `unknown` against the target customer profile; "" without one."""
    strategic: bool = False
    note: str = ""
    """What the request says about this account in particular (request pages)."""


@dataclass(frozen=True, slots=True)
class FitView:
    """How an account measures against the target customer profile (internal only)."""

    verdict: str
    """`in`, `out` or `unknown`."""
    met: tuple[str, ...]
    """Criteria met, in words."""
    missed: tuple[str, ...]
    unknown: tuple[str, ...]
    """Criteria it cannot be measured on (the attribute is not stated)."""


@dataclass(frozen=True, slots=True)
class ShareView:
    """The part of an item's demand from accounts in the target customer profile."""

    requests: int
    """Requests naming at least one in-profile account."""
    of_requests: int
    accounts: int
    """In-profile accounts."""
    of_accounts: int
    arr: str
    """Their ARR, formatted."""
    percent: int
    """Their share of the item's ARR, 0-100 (of its requests when no ARR is stated)."""
    strategic: int
    """Strategic accounts behind the item."""


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
class ChangedView:
    """When a file was created and last changed, and by whom (from git)."""

    created: str
    created_by: str
    changed: str
    changed_by: str
    commits: int


@dataclass(frozen=True, slots=True)
class StatusLogView:
    """A commit that moved an item's status."""

    date: str
    author: str
    old: str
    new: str
    commit: str
    subject: str


@dataclass(frozen=True, slots=True)
class RecentChange:
    """A line of the "What changed" page: a decision or a status move."""

    date: str
    item: Link
    kind: str
    """`decision` or `status`."""
    text: str


@dataclass(frozen=True, slots=True)
class DecisionView:
    date: str
    outcome: str
    summary: str
    item: Link
    by: str = ""
    """Who decided, person or forum (internal build only)."""
    reason: str = ""
    """Why not: capacity, strategy, fit, demand, technical, compliance, or ""."""
    reason_label: str = ""
    """The reason in words ("no capacity in the quarter")."""


@dataclass(frozen=True, slots=True)
class ItemView:
    id: str
    url: str
    title: str
    status: str
    theme: str
    target: str
    shipped: str
    body: str
    """Markdown source; templates render it with the `markdown` filter."""
    decisions: tuple[DecisionView, ...]
    """Newest first."""
    alternatives: str
    tags: tuple[str, ...]
    owner: str = ""
    """Accountable product manager (internal build only)."""
    score: ScoreView | None = None
    """None in the public build."""
    requests: tuple[Link, ...] = ()
    """Linked requests, duplicates included (internal build only)."""
    accounts: tuple[StakeView, ...] = ()
    """Distinct accounts behind it (internal build only)."""
    arr: str = ""
    """Total ARR of those accounts, formatted ("" in the public build)."""
    arr_value: float = 0.0
    changed: ChangedView | None = None
    """Created and last changed, from git (internal build, when history is available)."""
    status_log: tuple[StatusLogView, ...] = ()
    """Commits that changed the status, oldest first (internal build, from git)."""
    profile_share: ShareView | None = None
    """Demand from in-profile accounts (internal build, when there is a profile)."""
    outside_profile: bool = False
    """Accounts stand behind it and none is in the target profile (internal build)."""
    log_request: str = ""
    """Link to the request form naming this item ("" without `site.repository`)."""
    theme_url: str = ""
    goal: str = ""
    """Its theme's link and goal, when the strategy declares the theme and the audience sees it."""
    category: str = ""
    effort: str = ""
    team: str = ""
    """Investment category, person-months and team, for capacity (internal build)."""

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
    area: str
    tags: tuple[str, ...]
    body: str
    """Markdown source; templates render it with the `markdown` filter."""
    item: Link | None
    """The answering item, when visible in this audience."""
    canonical: Link | None
    """The request this one duplicates, when visible."""
    duplicates: tuple[Link, ...]
    requester: str = ""
    """Who logged it (internal build only)."""
    accounts: tuple[StakeView, ...] = ()
    account_notes: bool = False
    """Some of `accounts` has a note (its table then has a column for them)."""
    arr: str = ""
    arr_value: float = 0.0
    score: ScoreView | None = None
    changed: ChangedView | None = None
    """Created and last changed, from git (internal build, when history is available)."""
    outside_profile: bool = False
    """Its accounts are all outside the target profile, or unknown (internal build)."""
    requester_feed: str = ""
    """Atom feed of the updates on the requests its requester logged (internal build)."""


@dataclass(frozen=True, slots=True)
class AccountView:
    id: str
    url: str
    name: str
    arr: str
    arr_value: float
    stage: str
    requests: tuple[RequestView, ...]
    request_notes: tuple[str, ...] = ()
    """Its note on each of `requests`, in the same order ("" where it has none)."""
    has_file: bool = False
    """It has an account file (else it is only named on requests)."""
    owner: str = ""
    """Account manager."""
    renewal: str = ""
    """Next renewal date, YYYY-MM-DD."""
    strategic: bool = False
    fit: FitView | None = None
    """Against the target customer profile; None without one."""
    attributes: tuple[tuple[str, str], ...] = ()
    """Declared attributes (segment, seats...) as (name, value shown)."""
    aliases: tuple[str, ...] = ()
    notes: str = ""
    """Markdown of the account file's body."""
    open_requests: int = 0
    """Requests neither shipped nor declined."""
    feed: str = ""
    """Atom feed of the updates on its requests (internal build)."""
    log_request: str = ""
    """Link to the request form with this account filled in ("" without `site.repository`)."""


@dataclass(frozen=True, slots=True)
class CriterionView:
    text: str
    """The criterion in words."""
    why: str


@dataclass(frozen=True, slots=True)
class ProfileItemView:
    """An item on the profile page, with the part of its demand from the profile."""

    item: ItemView
    share: ShareView


@dataclass(frozen=True, slots=True)
class ProfileView:
    """The target customer profile; the public build shows only its free text, if public."""

    title: str
    body: str
    """Markdown: what makes a good fit and a bad one."""
    criteria: tuple[CriterionView, ...] = ()
    items: tuple[ProfileItemView, ...] = ()
    """Items with demand, in rank order."""
    accounts: tuple[tuple[str, int], ...] = ()
    """(verdict, how many accounts) for in, out and unknown."""


@dataclass(frozen=True, slots=True)
class RenewalView:
    """An account renewing soon with requests still open (for customer success)."""

    account: AccountView
    date: str
    days: int
    """Days from the build's day to the renewal."""
    open_requests: tuple[RequestView, ...]


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the templates may show, for one audience."""

    title: str
    audience: Audience
    """Who the site is for, and everything that follows from it."""
    built: str
    commit: str
    model: str
    model_label: str
    """How people call the scoring model: RICE, ICE, WSJF, custom formula."""
    formula: str
    currency: str
    items: tuple[ItemView, ...]
    """Visible items in id order."""
    requests: tuple[RequestView, ...]
    """Visible requests in id order."""
    decisions: tuple[DecisionView, ...]
    """Every decision of every visible item, newest first."""
    item_index: Mapping[str, ItemView]
    """Visible items by id."""
    recent: tuple[RecentChange, ...]
    """Decisions and status moves of the last RECENT_DAYS days, newest first."""
    history_note: str
    """Why git history is missing, or ""."""
    accounts: tuple[AccountView, ...] = ()
    """Accounts in name order (internal build only)."""
    ranking: tuple[ItemView, ...] = ()
    """Visible items in rank order (internal build only)."""
    profile: ProfileView | None = None
    """The target customer profile, when there is one this audience may see."""
    renewals: tuple[RenewalView, ...] = ()
    """Renewals in the next `renewal_days` with open requests, soonest first (internal)."""
    renewal_days: int = 0
    log_request: str = ""
    """Link to the customer-request form ("" without `site.repository`; internal build)."""
    suggest: str = ""
    """Where customers may suggest a feature (`site.public_intake_url`; public build)."""
    strategy: StrategyView | None = None
    """The strategy page, when there is one this audience may see."""

    @property
    def internal(self) -> bool:
        return self.audience.internal

    @property
    def shows_deciders(self) -> bool:
        """Whether decisions show who took them (the public site does not)."""
        return self.audience.shows_field(DecisionView, "by")

    @property
    def constants(self) -> tuple[object, ...]:
        """What every page shows of the site as a whole (header, footer, banner)."""
        return (self.title, self.audience, self.built, self.commit, self.model, self.currency)

    def column(self, status: str) -> tuple[ItemView, ...]:
        """Items of a board column, best ranked first (by title in the public build)."""
        chosen = [i for i in self.items if i.status == status]
        if self.audience.board_by_rank:
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

    @property
    def reasons(self) -> tuple[tuple[str, str], ...]:
        """(reason, in words) of the decisions that give one."""
        return tuple(sorted({(d.reason, d.reason_label) for d in self.decisions if d.reason}))
