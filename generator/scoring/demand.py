"""Demand: who asks for what, and how much revenue stands behind it.

An account is matched across requests by its name, case-insensitively (an account
file's name and aliases all lead to it), and counted once per item with the largest
ARR any request states for it (an account file's ARR, when it has one). Demand is
split by the target customer profile: in-profile accounts, and strategic ones.
Nothing here knows about HTML or the terminal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ..content.customers import outside
from ..content.model import AccountRecord, AccountRef, Request, Roadmap, account_key
from ..formatting import slugify


@dataclass(frozen=True, slots=True)
class Stake:
    """One account behind a set of requests."""

    name: str
    """Display name: as first written, in request id order."""
    arr: float | None
    """Largest ARR stated for it in these requests; None if none states one."""
    stage: str | None
    """Stage stated on the most recently submitted of these requests that states one."""
    account: str | None = None
    """Id of its account file; None for an account named only inline."""
    fit: str = ""
    """Against the target customer profile: `in`, `out`, `unknown`; "" without a profile."""
    strategic: bool = False
    """Marked strategic in its account file."""


@dataclass(frozen=True, slots=True)
class Demand:
    """The requests and distinct accounts behind an item or a request."""

    requests: tuple[str, ...]
    """Request ids, duplicates included, in id order."""
    accounts: tuple[Stake, ...]
    """Distinct accounts, largest ARR first, then by name."""
    requests_in_profile: int = 0
    """How many of `requests` name at least one account in the target customer profile."""

    @property
    def arr(self) -> float:
        """Total ARR of the distinct accounts."""
        return sum(stake.arr or 0 for stake in self.accounts)

    @property
    def in_profile(self) -> tuple[Stake, ...]:
        """The accounts in the target customer profile."""
        return tuple(s for s in self.accounts if s.fit == "in")

    @property
    def arr_in_profile(self) -> float:
        """Total ARR of the accounts in the target customer profile."""
        return sum(stake.arr or 0 for stake in self.in_profile)

    @property
    def strategic(self) -> tuple[Stake, ...]:
        """The strategic accounts."""
        return tuple(s for s in self.accounts if s.strategic)

    @property
    def outside_profile(self) -> bool:
        """True when accounts stand behind it and none is in the profile, and one is out."""
        return outside(s.fit for s in self.accounts)


@dataclass(frozen=True, slots=True)
class Account:
    """Everything one account asked for, across the roadmap."""

    id: str
    """URL-safe slug of the name, unique among accounts."""
    name: str
    """Display name."""
    arr: float | None
    """Largest ARR stated for it in any request."""
    stage: str | None
    """Stage on its most recent request that states one."""
    requests: tuple[str, ...]
    """Ids of the requests it is named on."""
    items: tuple[str, ...]
    """Ids of the roadmap items answering those requests."""
    file: str | None = None
    """Id of its account file (then `id` is the same); None when named only inline."""
    fit: str = ""
    """Against the target customer profile: `in`, `out`, `unknown`; "" without a profile."""
    strategic: bool = False
    """Marked strategic in its account file."""


def demand_of(requests: Iterable[Request]) -> Demand:
    """Distinct accounts behind `requests`, each with its largest stated ARR."""
    ordered = sorted(requests, key=_by_id)
    stakes = _stakes(ordered)
    accounts = sorted(stakes, key=lambda key: (-(stakes[key].arr or 0), key))
    in_profile = (
        sum(1 for r in ordered if any(a.fit == "in" for a in r.accounts))
        if any(stake.fit == "in" for stake in stakes.values())
        else 0
    )
    return Demand(tuple(r.id for r in ordered), tuple(stakes[key] for key in accounts), in_profile)


def _by_id(request: Request) -> str:
    return request.id


def _stakes(ordered: list[Request], only: Container[str] | None = None) -> dict[str, Stake]:
    """Each account (by key) named on `ordered` requests (in id order); `only` these.

    One pass over every account entry: a request may name thousands of accounts, so
    nothing here may walk a request once per account it names.
    """
    names: dict[str, str] = {}
    arrs: dict[str, float | None] = {}
    stages: dict[str, tuple[tuple[dt.date, str], str]] = {}
    first: dict[str, AccountRef] = {}
    for request in ordered:
        for account in request.accounts:
            key = account.key
            if only is not None and key not in only:
                continue
            arr = account.arr
            if key not in names:
                names[key], arrs[key] = account.name, arr  # named as first written
                first[key] = account
            elif arr is not None and ((known := arrs[key]) is None or arr > known):
                arrs[key] = arr
            if account.stage is not None:
                when = (request.meta.submitted, request.id)
                if key not in stages or when > stages[key][0]:
                    stages[key] = (when, account.stage)  # the latest request's stage
    return {
        key: Stake(
            name, arrs[key], stages[key][1] if key in stages else None,
            first[key].account, first[key].fit, first[key].strategic,
        )
        for key, name in names.items()
    }  # fmt: skip


def item_demand(roadmap: Roadmap) -> Mapping[str, Demand]:
    """Demand behind each roadmap item: its requests, duplicates included."""
    return MappingProxyType(
        {
            item_id: demand_of(roadmap.requests[r] for r in item.requests)
            for item_id, item in roadmap.items.items()
        }
    )


def request_demand(roadmap: Roadmap) -> Mapping[str, Demand]:
    """Demand behind each request: itself and the requests that duplicate it."""
    family: dict[str, list[Request]] = {r: [] for r in roadmap.requests}
    for request in roadmap.requests.values():
        family[request.id].append(request)
        if request.canonical != request.id:
            family[request.canonical].append(request)
    return MappingProxyType({rid: demand_of(members) for rid, members in family.items()})


def accounts(roadmap: Roadmap) -> Mapping[str, Account]:
    """Every account file, and every account named in any request, by slug (an account
    file's slug is its id), in name order."""
    ordered = sorted(roadmap.requests.values(), key=_by_id)
    grouped = _grouped(ordered)
    stakes = _stakes(ordered)
    result: dict[str, Account] = {
        record.id: _account(record.id, _file_stake(record), []) for record in
        roadmap.accounts.values()
    }  # fmt: skip
    for key in sorted(grouped):
        stake = stakes[key]
        slug = stake.account or _unique(slugify(stake.name, "account"), roadmap.accounts, result)
        result[slug] = _account(slug, stake, grouped[key])
    return MappingProxyType(dict(sorted(result.items(), key=lambda kv: account_key(kv[1].name))))


def _file_stake(record: AccountRecord) -> Stake:
    """An account file as the stake of an account no request names."""
    meta = record.meta
    verdict = record.fit.verdict if record.fit else ""
    return Stake(meta.name, meta.arr, meta.stage, record.id, verdict, meta.strategic)


def some_accounts(slugs: Mapping[str, str], requests: Iterable[Request]) -> dict[str, Account]:
    """The accounts `slugs` (key -> slug) again, from `requests`, which hold every request
    naming any of them (others are ignored); by slug."""
    ordered = sorted(requests, key=_by_id)
    grouped = _grouped(ordered, slugs)
    stakes = _stakes(ordered, only=slugs)
    return {slug: _account(slug, stakes[key], grouped[key]) for key, slug in slugs.items()}


def _grouped(
    ordered: list[Request], only: Container[str] | None = None
) -> dict[str, list[Request]]:
    """The requests naming each account (by key), in id order; `only` these accounts."""
    grouped: dict[str, list[Request]] = {}
    for request in ordered:
        for key in dict.fromkeys(a.key for a in request.accounts):
            if only is None or key in only:
                grouped.setdefault(key, []).append(request)
    return grouped


def _account(slug: str, stake: Stake, requests: list[Request]) -> Account:
    items = sorted({r.item for r in requests if r.item is not None})
    return Account(
        slug, stake.name, stake.arr, stake.stage, tuple(r.id for r in requests), tuple(items),
        stake.account, stake.fit, stake.strategic,
    )  # fmt: skip


def _unique(slug: str, *taken: Mapping[str, object]) -> str:
    """`slug`, or `slug-2`, `slug-3`... : the first that none of `taken` holds."""
    candidate, n = slug, 2
    while any(candidate in t for t in taken):
        candidate, n = f"{slug}-{n}", n + 1
    return candidate
