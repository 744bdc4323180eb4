"""What fits in a quarter: planned effort against capacity, and the balance of investment.

An item counts toward the quarter it targets with its effort (`effort`, else RICE
`effort`), unless it is declined: shipped items used the capacity too. The balance is
each investment category's share of that effort, per quarter and over the last four
quarters (the current one and the three before), against the strategy's targets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ..content.frontmatter import ItemMeta, quarter_key
from ..content.model import Roadmap

UNCATEGORISED = ""
"""The category key of items that name none."""
WINDOW = 4
"""Quarters in the balance window, the current one included."""


def item_effort(meta: ItemMeta) -> float | None:
    """Person-months of an item: its `effort`, else its RICE effort; None when unknown."""
    if meta.effort is not None:
        return meta.effort
    return meta.rice.effort if meta.rice is not None else None


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarters_back(quarter: str, count: int) -> list[str]:
    """`count` quarters ending with `quarter`, oldest first."""
    year, number = quarter_key(quarter)
    index = year * 4 + number - 1
    return [f"{i // 4}-Q{i % 4 + 1}" for i in range(index - count + 1, index + 1)]


@dataclass(frozen=True, slots=True)
class Planned:
    """An item's effort in the quarter it targets."""

    item: str
    """Item id."""
    effort: float
    """Person-months."""
    category: str
    """Its investment category, or UNCATEGORISED."""
    team: str
    """Its team, or ""."""


@dataclass(frozen=True, slots=True)
class Balance:
    """Effort by investment category over one quarter or several."""

    label: str
    """`2027-Q1`, or `last 4 quarters`."""
    effort: Mapping[str, float]
    """Person-months by category id (UNCATEGORISED for items naming none)."""

    @property
    def total(self) -> float:
        return sum(self.effort.values())

    def share(self, category: str) -> float:
        """Share of the total effort, 0 to 1 (0 when nothing is planned)."""
        total = self.total
        return self.effort.get(category, 0.0) / total if total else 0.0

    def off_target(
        self, targets: Mapping[str, float], margin: float
    ) -> list[tuple[str, float, float]]:
        """(category, share, target) of each category further than `margin` from its target."""
        if not self.total:
            return []
        found = []
        for category, target in targets.items():
            share = self.share(category)
            if abs(share - target) > margin + 1e-9:
                found.append((category, share, target))
        return found


@dataclass(frozen=True, slots=True)
class QuarterPlan:
    """One quarter: its capacity and the items targeted at it."""

    quarter: str
    """`YYYY-Qn`."""
    capacity: float | None
    """Person-months it can take; None when roadmap.toml declares none."""
    teams: Mapping[str, float]
    """Capacity by team, when declared per team (their sum is `capacity`)."""
    items: tuple[Planned, ...]
    """Items targeted at it, biggest first (effort, then id)."""

    @property
    def planned(self) -> float:
        return sum(p.effort for p in self.items)

    @property
    def over(self) -> float:
        """Person-months beyond capacity (0 when within it or not declared)."""
        return max(self.planned - self.capacity, 0.0) if self.capacity is not None else 0.0

    @property
    def balance(self) -> Balance:
        return Balance(self.quarter, _by_category(self.items))

    def team_load(self) -> list[tuple[str, float, float | None]]:
        """(team, planned, capacity) for every declared team and every team items name;
        items without a team are under ""."""
        planned: dict[str, float] = dict.fromkeys(self.teams, 0.0)
        for p in self.items:
            planned[p.team] = planned.get(p.team, 0.0) + p.effort
        order = [*self.teams, *sorted(t for t in planned if t not in self.teams)]
        return [(t, planned[t], self.teams.get(t)) for t in order if planned[t] or t in self.teams]

    def excess(self, over: float, team: str | None = None) -> tuple[Planned, ...]:
        """The biggest items whose effort makes up `over` (of one team, when given)."""
        chosen: list[Planned] = []
        total = 0.0
        for p in self.items:
            if team is not None and p.team != team:
                continue
            if total >= over - 1e-9:
                break
            chosen.append(p)
            total += p.effort
        return tuple(chosen)


@dataclass(frozen=True, slots=True)
class Plan:
    """Every quarter with capacity or planned items, and the balance over the last four."""

    quarters: tuple[QuarterPlan, ...]
    """In time order."""
    current: str
    """The quarter of the build's day."""
    window: Balance
    """Effort by category over the last four quarters (the current one included)."""
    unplanned: tuple[str, ...]
    """Ids of items in `now` without a target quarter or an effort."""

    def quarter(self, quarter: str) -> QuarterPlan | None:
        return next((q for q in self.quarters if q.quarter == quarter), None)

    @property
    def ahead(self) -> tuple[QuarterPlan, ...]:
        """The current quarter and those after it."""
        now = quarter_key(self.current)
        return tuple(q for q in self.quarters if quarter_key(q.quarter) >= now)


def plan(roadmap: Roadmap, today: dt.date) -> Plan:
    """The plan of a valid roadmap as of `today`."""
    by_quarter: dict[str, list[Planned]] = {q: [] for q in roadmap.config.capacity}
    unplanned = []
    for item in roadmap.items.values():
        meta = item.meta
        effort = item_effort(meta)
        if item.status == "now" and (meta.target is None or effort is None):
            unplanned.append(item.id)
        if item.status == "declined" or meta.target is None or effort is None:
            continue
        by_quarter.setdefault(meta.target, []).append(
            Planned(item.id, effort, meta.category or UNCATEGORISED, meta.team or "")
        )
    quarters = []
    for quarter in sorted(by_quarter, key=quarter_key):
        declared = roadmap.config.capacity.get(quarter)
        teams = declared if isinstance(declared, dict) else {}
        capacity = sum(teams.values()) if isinstance(declared, dict) else declared
        items = sorted(by_quarter[quarter], key=lambda p: (-p.effort, p.item))
        quarters.append(QuarterPlan(quarter, capacity, MappingProxyType(teams), tuple(items)))
    current = quarter_of(today)
    window = set(quarters_back(current, WINDOW))
    in_window = (p for q in quarters if q.quarter in window for p in q.items)
    return Plan(
        tuple(quarters),
        current,
        Balance(f"last {WINDOW} quarters", _by_category(in_window)),
        tuple(unplanned),
    )


def _by_category(planned: Iterable[Planned]) -> Mapping[str, float]:
    effort: dict[str, float] = {}
    for p in planned:
        effort[p.category] = effort.get(p.category, 0.0) + p.effort
    return MappingProxyType(effort)
