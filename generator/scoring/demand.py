"""Demand: who asks for what, and how much revenue stands behind it.

An account is matched across requests by its name, case-insensitively, and counted
once per item with the largest ARR any request states for it. Nothing here knows
about HTML or the terminal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from ..content.model import Request, Roadmap
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


@dataclass(frozen=True, slots=True)
class Demand:
    """The requests and distinct accounts behind an item or a request."""

    requests: tuple[str, ...]
    """Request ids, duplicates included, in id order."""
    accounts: tuple[Stake, ...]
    """Distinct accounts, largest ARR first, then by name."""

    @property
    def arr(self) -> float:
        """Total ARR of the distinct accounts."""
        return sum(stake.arr or 0 for stake in self.accounts)


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


@lru_cache(maxsize=1 << 16)  # the same few hundred names come back for every request
def account_key(name: str) -> str:
    """How accounts are matched: case-insensitively, ignoring surrounding spaces."""
    return " ".join(name.split()).casefold()


def demand_of(requests: Iterable[Request]) -> Demand:
    """Distinct accounts behind `requests`, each with its largest stated ARR."""
    ordered = sorted(requests, key=_by_id)
    stakes = _stakes(ordered)
    accounts = sorted(stakes, key=lambda key: (-(stakes[key].arr or 0), key))
    return Demand(tuple(r.id for r in ordered), tuple(stakes[key] for key in accounts))


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
    for request in ordered:
        for account in request.meta.accounts:
            key = account_key(account.name)
            if only is not None and key not in only:
                continue
            arr = account.arr
            if key not in names:
                names[key], arrs[key] = account.name, arr  # named as first written
            elif arr is not None and ((known := arrs[key]) is None or arr > known):
                arrs[key] = arr
            if account.stage is not None:
                when = (request.meta.submitted, request.id)
                if key not in stages or when > stages[key][0]:
                    stages[key] = (when, account.stage)  # the latest request's stage
    return {
        key: Stake(name, arrs[key], stages[key][1] if key in stages else None)
        for key, name in names.items()
    }


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
    """Every account named in any request, by slug, in name order."""
    ordered = sorted(roadmap.requests.values(), key=_by_id)
    grouped = _grouped(ordered)
    stakes = _stakes(ordered)
    result: dict[str, Account] = {}
    for key in sorted(grouped):
        slug = _unique(slugify(stakes[key].name, "account"), result)
        result[slug] = _account(slug, stakes[key], grouped[key])
    return MappingProxyType(dict(sorted(result.items(), key=lambda kv: account_key(kv[1].name))))


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
        for key in dict.fromkeys(account_key(a.name) for a in request.meta.accounts):
            if only is None or key in only:
                grouped.setdefault(key, []).append(request)
    return grouped


def _account(slug: str, stake: Stake, requests: list[Request]) -> Account:
    items = sorted({r.item for r in requests if r.item is not None})
    return Account(
        slug, stake.name, stake.arr, stake.stage, tuple(r.id for r in requests), tuple(items)
    )


def _unique(slug: str, taken: Mapping[str, object]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate
