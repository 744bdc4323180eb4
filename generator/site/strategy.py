"""The strategy page: the vision, the themes with their items, the balance of investment
and the capacity of each quarter, as read-only views and build-time charts.

The public build sees the vision and the themes when the strategy is marked public
(themes marked internal stay out), with the public items under each; never effort,
capacity, the balance or a theme's weight (:mod:`generator.site.audience`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..content.frontmatter import STATUSES, quarter_key
from ..content.model import Roadmap
from ..formatting import fmt
from ..scoring.plan import UNCATEGORISED, WINDOW, Balance, Plan, plan, quarters_back
from .charts import Load, Stack, balance, capacity
from .views import ItemView, Link

if TYPE_CHECKING:
    from .audience import Audience

PAGE = "strategy.html"
#: No chart (an empty, immutable Markup: a safe default shared by every view).
NO_CHART = Markup()


@dataclass(frozen=True, slots=True)
class ThemeView:
    """A strategic theme, with the items that serve it."""

    id: str
    title: str
    goal: str
    measure: str
    """How we will know the goal is met."""
    url: str
    """Its place on the strategy page."""
    items: tuple[ItemView, ...]
    """Visible items naming it: rank order (internal), else by status and title."""
    weight: str = ""
    """Its weight for a custom scoring formula (internal build)."""


@dataclass(frozen=True, slots=True)
class PlannedView:
    """An item's effort in its target quarter (internal)."""

    item: Link
    effort: str
    category: str
    team: str


@dataclass(frozen=True, slots=True)
class QuarterView:
    """One quarter of the capacity table (internal)."""

    quarter: str
    planned: str
    capacity: str
    """"" when roadmap.toml declares none."""
    over: str
    """Person-months beyond capacity, "" when within it."""
    items: tuple[PlannedView, ...]
    """Biggest first."""
    teams: tuple[tuple[str, str, str, bool], ...]
    """(team, planned, capacity, over) when capacity is declared per team."""
    shares: tuple[str, ...]
    """Each category's share of its effort, in the order of `StrategyView.categories`."""


@dataclass(frozen=True, slots=True)
class StrategyView:
    """The strategy page. The public build shows only the title, vision and themes."""

    title: str
    vision: str
    """Markdown."""
    themes: tuple[ThemeView, ...]
    unthemed: tuple[ItemView, ...] = ()
    """Open items naming no theme of the strategy (internal)."""
    categories: tuple[tuple[str, str, str], ...] = ()
    """(name, target share or "", description), uncategorised last when any item is."""
    quarters: tuple[QuarterView, ...] = ()
    """The last four quarters and those after, with capacity or planned items."""
    window: tuple[str, ...] = ()
    """Each category's share over the last four quarters."""
    window_label: str = ""
    margin: int = 0
    """Points a share may stray from its target (`check.balance_margin`)."""
    balance_chart: Markup = NO_CHART
    capacity_chart: Markup = NO_CHART
    unplanned: tuple[Link, ...] = ()
    """Items in `now` that capacity cannot count (no target or no effort)."""


def item_theme(roadmap: Roadmap, theme: str | None, public_only: bool) -> dict[str, str]:
    """The theme fields of an item's view: its title, link and goal when the audience sees
    the theme (without a strategy, the free text as written)."""
    strategy = roadmap.strategy
    if not theme:
        return {"theme": ""}
    if strategy is None:
        return {"theme": theme}
    found = strategy.meta.theme(theme)
    if found is None or not strategy.meta.shows(found, public_only):
        return {"theme": ""}
    return {"theme": found.title, "theme_url": f"{PAGE}#theme-{found.id}", "goal": found.goal}


def strategy_view(
    roadmap: Roadmap,
    ranking: Sequence[ItemView],
    items: Mapping[str, ItemView],
    audience: Audience,
    today: dt.date,
) -> StrategyView | None:
    """The strategy page's view; None when this audience has none to see."""
    strategy = roadmap.strategy
    if audience.public_only:
        if strategy is None or strategy.meta.visibility != "public":
            return None
        order = {s: n for n, s in enumerate(STATUSES)}
        listed = sorted(items.values(), key=lambda i: (order[i.status], i.title, i.id))
    elif strategy is None and not roadmap.config.capacity:
        return None
    else:
        listed = list(ranking)
    meta = strategy.meta if strategy else None
    themes = tuple(
        audience.redact(ThemeView(
            t.id, t.title, t.goal, t.measure or "", f"{PAGE}#theme-{t.id}",
            tuple(i for i in listed if roadmap.items[i.id].meta.theme == t.id), fmt(t.weight),
        ))
        for t in (meta.themes if meta else ())
        if meta is None or meta.shows(t, audience.public_only)
    )  # fmt: skip
    known = {t.id for t in meta.themes} if meta else set()
    unthemed = tuple(
        i for i in listed
        if i.status not in ("shipped", "declined") and roadmap.items[i.id].meta.theme not in known
    )  # fmt: skip
    view = StrategyView(meta.title if meta else "Strategy", strategy.body if strategy else "",
                        themes, unthemed)  # fmt: skip
    return audience.redact(_planning(view, roadmap, plan(roadmap, today), items))


def _planning(
    view: StrategyView, roadmap: Roadmap, found: Plan, items: Mapping[str, ItemView]
) -> StrategyView:
    """`view` with the balance and the capacity of each quarter (internal)."""
    categories = roadmap.categories
    ids = [c.id for c in categories]
    since = quarter_key(quarters_back(found.current, WINDOW)[0])
    quarters = [q for q in found.quarters if quarter_key(q.quarter) >= since]
    uncategorised = any(q.balance.effort.get(UNCATEGORISED) for q in quarters)
    keys = [*ids, *([UNCATEGORISED] if uncategorised else [])]
    names = [c.label for c in categories]

    def shares(b: Balance) -> tuple[float, ...]:
        return tuple(b.share(k) for k in keys)

    def shown(b: Balance) -> tuple[str, ...]:
        return tuple(f"{round(s * 100)}%" for s in shares(b))

    stacks = [Stack(q.quarter, shares(q.balance), f"{fmt(q.planned)} person-mo") for q in quarters]
    window_label = f"Last {WINDOW} quarters"
    stacks.append(Stack(window_label, shares(found.window), f"{fmt(found.window.total)} person-mo"))
    targets = {c.id: c.target for c in categories if c.target is not None}
    if targets:
        stacks.append(Stack("Target", tuple(targets.get(k, 0.0) for k in keys)))
    loads = [
        Load(q.quarter, q.planned, q.capacity,
             ", ".join(f"{items[p.item].title if p.item in items else p.item} ({fmt(p.effort)})"
                       for p in q.items) or "nothing planned")
        for q in quarters
    ]  # fmt: skip
    label = {c.id: c.label for c in categories}
    views = tuple(
        QuarterView(
            q.quarter, fmt(q.planned), fmt(q.capacity) if q.capacity is not None else "",
            fmt(q.over) if q.over else "",
            tuple(PlannedView(items[p.item].link, fmt(p.effort), label.get(p.category, ""),
                              p.team) for p in q.items if p.item in items),
            tuple((t, fmt(planned), fmt(cap) if cap is not None else "",
                   cap is not None and planned > cap + 1e-9)
                  for t, planned, cap in q.team_load()) if q.teams else (),
            shown(q.balance),
        )
        for q in quarters
    )  # fmt: skip
    rows = [(c.label, f"{round(c.target * 100)}%" if c.target is not None else "",
             c.description or "") for c in categories]  # fmt: skip
    if uncategorised:
        rows.append(("Uncategorised", "", "Items that name no category."))
    return replace(
        view,
        categories=tuple(rows),
        quarters=views,
        window=shown(found.window),
        window_label=window_label,
        margin=roadmap.config.check.balance_margin,
        balance_chart=balance(names, stacks, "Share of planned effort by category"),
        capacity_chart=capacity(loads, "Planned effort against capacity per quarter"),
        unplanned=tuple(items[i].link for i in found.unplanned if i in items),
    )
