"""What a change does to the strategy and the plan, for `roadmap diff`.

Themes added, removed or reworded; items moved between themes; category targets and
declared capacity changed; and what the plan makes of it: a quarter going over capacity
("2027-Q1 goes over capacity by 3 person-months with this change") or back within it,
and a category moving off its target share or back on it.
"""

from __future__ import annotations

from .change import Change
from .clock import today
from .content.model import Roadmap
from .formatting import fmt
from .scoring.plan import Balance, Plan, plan

#: `roadmap diff`'s section for these changes, in the order they are listed.
KINDS = (
    "theme-added", "theme-removed", "theme", "item-theme", "category", "capacity",
    "over-capacity", "balance",
)  # fmt: skip

_THEME_FIELDS = (("title", "title"), ("goal", "goal"), ("measure", "measure"),
                 ("weight", "weight"), ("visibility", "visibility"))  # fmt: skip


def strategy_changes(old: Roadmap, new: Roadmap) -> list[Change]:
    day = today()
    return [
        *_themes(old, new),
        *_categories(old, new),
        *_capacity(old, new, plan(old, day), plan(new, day)),
        *_balance(new, plan(old, day), plan(new, day)),
    ]


def _themes(old: Roadmap, new: Roadmap) -> list[Change]:
    before = {t.id: t for t in old.strategy.meta.themes} if old.strategy else {}
    after = {t.id: t for t in new.strategy.meta.themes} if new.strategy else {}
    changes = []
    for theme_id in sorted(before.keys() | after.keys()):
        was, now = before.get(theme_id), after.get(theme_id)
        if was is None and now is not None:
            changes.append(Change("theme-added", theme_id, now.title, None, now.title,
                                  f"new theme: {now.goal}"))  # fmt: skip
        elif now is None and was is not None:
            changes.append(Change("theme-removed", theme_id, was.title, was.title, None,
                                  "theme removed"))  # fmt: skip
        elif was is not None and now is not None:
            moves = [
                f"{label} {fmt_value(getattr(was, name))} -> {fmt_value(getattr(now, name))}"
                for name, label in _THEME_FIELDS
                if getattr(was, name) != getattr(now, name)
            ]
            if moves:
                changes.append(Change("theme", theme_id, now.title, None, None, "; ".join(moves)))
    for item in new.items.values():
        was_item = old.items.get(item.id)
        if was_item is not None and was_item.meta.theme != item.meta.theme:
            changes.append(Change("item-theme", item.id, item.title, was_item.meta.theme,
                                  item.meta.theme, f"theme {was_item.meta.theme or 'none'} -> "
                                  f"{item.meta.theme or 'none'}"))  # fmt: skip
    return changes


def fmt_value(value: object) -> str:
    if value is None:
        return "none"
    return fmt(value) if isinstance(value, int | float) else f'"{value}"'


def _percent(share: float | None) -> str:
    return "none" if share is None else f"{round(share * 100)}%"


def _categories(old: Roadmap, new: Roadmap) -> list[Change]:
    before = {c.id: c for c in old.categories}
    after = {c.id: c for c in new.categories}
    changes = []
    for category_id in sorted(before.keys() | after.keys()):
        was, now = before.get(category_id), after.get(category_id)
        if was is None or now is None:
            what = "new investment category" if now is not None else "investment category removed"
            chosen = now or was
            assert chosen is not None
            changes.append(Change("category", category_id, chosen.label, None, None, what))
        elif was.target != now.target:
            text = f"target share {_percent(was.target)} -> {_percent(now.target)}"
            changes.append(Change("category", category_id, now.label, _percent(was.target),
                                  _percent(now.target), text))  # fmt: skip
    return changes


def _capacity(old: Roadmap, new: Roadmap, before: Plan, after: Plan) -> list[Change]:
    changes = []
    declared = old.config.capacity, new.config.capacity
    for quarter in sorted(declared[0].keys() | declared[1].keys()):
        was, now = (_total(d.get(quarter)) for d in declared)
        if was != now:
            text = f"{quarter}: capacity {fmt_value(was)} -> {fmt_value(now)} person-months"
            changes.append(Change("capacity", quarter, quarter, fmt_value(was), fmt_value(now),
                                  text))  # fmt: skip
    for q in after.ahead:
        old_q = before.quarter(q.quarter)
        was_over = old_q.over if old_q is not None else 0.0
        if abs(q.over - was_over) < 1e-9:
            continue
        assert q.capacity is not None or not q.over
        shown = f"{fmt(q.planned)} of {fmt(q.capacity)} planned" if q.capacity is not None else ""
        if q.over and not was_over:
            text = f"{q.quarter} goes over capacity by {fmt(q.over)} person-months with this change"
        elif q.over:
            text = f"{q.quarter} is {fmt(q.over)} person-months over capacity (was {fmt(was_over)})"
        else:
            text = f"{q.quarter} is back within capacity"
        changes.append(Change("over-capacity", q.quarter, q.quarter, fmt(was_over), fmt(q.over),
                              f"{text} ({shown})" if shown else text))  # fmt: skip
    return changes


def _total(declared: float | dict[str, float] | None) -> float | None:
    return sum(declared.values()) if isinstance(declared, dict) else declared


def _balance(new: Roadmap, before: Plan, after: Plan) -> list[Change]:
    strategy = new.strategy
    targets = strategy.meta.targets if strategy else {}
    if not targets:
        return []
    margin = new.config.check.balance_margin / 100
    changes = []
    pairs: list[tuple[Balance, Balance | None]] = [(after.window, before.window)]
    for q in after.ahead:
        if q.capacity is not None:
            old_q = before.quarter(q.quarter)
            pairs.append((q.balance, old_q.balance if old_q else None))
    for balance, was in pairs:
        off_now = {c: share for c, share, _ in balance.off_target(targets, margin)}
        off_before = {c for c, _, _ in was.off_target(targets, margin)} if was else set()
        for category in targets:
            if (category in off_now) == (category in off_before):
                continue
            share = _percent(balance.share(category))
            state = "goes off target" if category in off_now else "is back on target"
            text = (f"{balance.label}: {category} {state} with this change: {share} of planned "
                    f"effort, target {_percent(targets[category])}")  # fmt: skip
            changes.append(Change("balance", balance.label, balance.label, None, share, text))
    return changes
