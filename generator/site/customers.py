"""The customer side of the site: account files, the target customer profile, renewals.

Views only, built for :mod:`generator.site.present`; what each audience may see of
them is decided by :mod:`generator.site.audience` (the public build sees, at most,
the profile's free text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..content.customers import Fit
from ..content.model import SETTLED, AccountRecord, Roadmap
from ..formatting import money, plain
from ..scoring.demand import Demand
from ..scoring.scores import Scores
from .audience import Audience
from .views import (
    AccountView,
    CriterionView,
    FitView,
    ItemView,
    ProfileItemView,
    ProfileView,
    RenewalView,
    ShareView,
)


def fit_view(fit: Fit | None) -> FitView | None:
    if fit is None:
        return None
    return FitView(fit.verdict, fit.met, fit.missed, fit.unknown)


def share(demand: Demand, currency: str) -> ShareView:
    """The part of `demand` from accounts in the target customer profile."""
    arr, total = demand.arr_in_profile, demand.arr
    if total:
        percent = round(100 * arr / total)
    else:
        percent = round(100 * demand.requests_in_profile / max(len(demand.requests), 1))
    return ShareView(
        requests=demand.requests_in_profile,
        of_requests=len(demand.requests),
        accounts=len(demand.in_profile),
        of_accounts=len(demand.accounts),
        arr=money(arr, currency),
        percent=percent,
        strategic=len(demand.strategic),
    )


def account_details(roadmap: Roadmap, record: AccountRecord | None) -> dict[str, Any]:
    """The fields of an AccountView that its account file gives (none without a file)."""
    if record is None:
        return {}
    meta = record.meta
    extra = meta.model_extra or {}
    declared = roadmap.config.accounts.attributes
    attributes = tuple((name, plain(extra[name])) for name in declared if name in extra)
    return {
        "has_file": True,
        "owner": meta.owner or "",
        "renewal": meta.renewal.isoformat() if meta.renewal else "",
        "strategic": meta.strategic,
        "fit": fit_view(record.fit),
        "attributes": attributes,
        "aliases": tuple(meta.aliases),
        "notes": record.body,
    }


def profile_view(
    roadmap: Roadmap,
    scores: Scores,
    ranking: Iterable[ItemView],
    accounts: Iterable[AccountView],
    audience: Audience,
) -> ProfileView | None:
    """The profile page's view: None when there is no profile or the audience may not
    see it (the public build sees a profile marked public, and only its free text)."""
    profile = roadmap.profile
    if profile is None or not audience.shows(profile.meta.visibility):
        return None
    criteria = tuple(CriterionView(c.describe(), c.why or "") for c in profile.meta.criteria)
    items = tuple(
        ProfileItemView(item, item.profile_share)
        for item in ranking
        if item.profile_share is not None and scores.item_demand[item.id].accounts
    )
    counts: dict[str, int] = {"in": 0, "out": 0, "unknown": 0}
    for account in accounts:
        if account.fit is not None:
            counts[account.fit.verdict] += 1
    return audience.redact(
        ProfileView(profile.meta.title, profile.body, criteria, items, tuple(counts.items()))
    )


def renewals(accounts: Iterable[AccountView], today: dt.date, days: int) -> tuple[RenewalView, ...]:
    """Accounts renewing within `days` of `today` with requests still open, soonest first."""
    found = []
    for account in accounts:
        if not account.renewal:
            continue
        left = (dt.date.fromisoformat(account.renewal) - today).days
        still_open = tuple(r for r in account.requests if r.status not in SETTLED)
        if 0 <= left <= days and still_open:
            found.append(RenewalView(account, account.renewal, left, still_open))
    return tuple(sorted(found, key=lambda r: (r.date, r.account.name)))
