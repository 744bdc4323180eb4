"""`roadmap diff`: what a change does to the roadmap, not only to the files.

Both sides go through the same first phase as `roadmap check`; the comparison is
of the two models: items added, removed or renamed, status and target moves, new
decisions, requests added, linked, declined or marked duplicate, and score and
rank changes beyond a threshold, each with the demand behind it; and what it does to the
strategy and the plan (themes, category targets, capacity, balance: `strategy_diff`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from .change import Change
from .content.model import Roadmap
from .formatting import fmt, money, plain
from .pipeline import CheckResult
from .scoring.demand import Demand
from .scoring.scores import Scores
from .strategy_diff import KINDS as STRATEGY_KINDS
from .strategy_diff import strategy_changes


@dataclass(frozen=True, slots=True)
class Diff:
    base: str
    head: str
    changes: tuple[Change, ...]
    errors: dict[str, list[str]] = field(default_factory=dict)
    """Problems on either side, by side name ("base", "head")."""

    @property
    def valid(self) -> bool:
        return not self.errors


def compare(
    base: CheckResult,
    head: CheckResult,
    base_name: str,
    head_name: str,
    threshold: float = 0.10,
    rank_threshold: int = 2,
) -> Diff:
    errors = {
        side: [d.text() for d in result.report.sorted() if d.severity == "error"]
        for side, result in (("base", base), ("head", head))
        if result.roadmap is None
    }
    if errors:
        return Diff(base_name, head_name, (), errors)
    assert base.roadmap and base.scores and head.roadmap and head.scores
    changes = _items(base.roadmap, base.scores, head.roadmap, head.scores)
    changes += _requests(base.roadmap, head.roadmap, head.scores, base.scores)
    changes += _scores(base.scores, head.roadmap, head.scores, threshold, rank_threshold)
    changes += _accounts(base.roadmap, base.scores, head.roadmap, head.scores)
    changes += strategy_changes(base.roadmap, head.roadmap)
    return Diff(base_name, head_name, tuple(changes))


#: What `roadmap diff` compares of an account file, and how each value reads.
_ACCOUNT_FIELDS: tuple[tuple[str, str], ...] = (
    ("arr", "ARR"), ("stage", "stage"), ("strategic", "strategic"), ("owner", "owner"),
    ("renewal", "renewal"),
)  # fmt: skip


def _accounts(old: Roadmap, old_scores: Scores, new: Roadmap, scores: Scores) -> list[Change]:
    """Account files added, removed or changed, each with the items its requests lead to."""
    changes: list[Change] = []
    for account_id in sorted(old.accounts.keys() | new.accounts.keys()):
        before, after = old.accounts.get(account_id), new.accounts.get(account_id)
        side = scores if after is not None else old_scores
        found = side.accounts.get(account_id)
        items = found.items if found else ()
        asked = len(found.requests) if found else 0
        affects = f"; affects {', '.join(f'`{i}`' for i in items)}" if items else ""
        if before is None or after is None:
            record = after or before
            assert record is not None
            kind = "account-added" if after is not None else "account-removed"
            summary = "new account file" if after is not None else "account file removed"
            changes.append(Change(kind, account_id, record.name, None, None, summary + affects,
                                  asked, 1, record.meta.arr or 0.0, items))  # fmt: skip
            continue
        moves = [
            f"{label} {plain(getattr(before.meta, name), 'none')} -> "
            f"{plain(getattr(after.meta, name), 'none')}"
            for name, label in _ACCOUNT_FIELDS
            if getattr(before.meta, name) != getattr(after.meta, name)
        ]
        fit_before = before.fit.verdict if before.fit else "-"
        fit_after = after.fit.verdict if after.fit else "-"
        if fit_before != fit_after:
            moves.append(f"profile fit {fit_before} -> {fit_after}")
        if moves:
            changes.append(Change("account", account_id, after.name, None, None,
                                  "; ".join(moves) + affects, asked, 1, after.meta.arr or 0.0,
                                  items))  # fmt: skip
    return changes


def _figures(demand: Demand) -> dict[str, Any]:
    """The demand fields of a Change."""
    return {"requests": len(demand.requests), "accounts": len(demand.accounts), "arr": demand.arr}


def _renames(old: Roadmap, new: Roadmap) -> dict[str, str]:
    """old id -> new id, for items removed and added with the same title."""
    removed = {i.title: i.id for i in old.items.values() if i.id not in new.items}
    added = [i for i in new.items.values() if i.id not in old.items]
    return {removed[i.title]: i.id for i in added if i.title in removed}


def _items(old: Roadmap, old_scores: Scores, new: Roadmap, scores: Scores) -> list[Change]:
    changes: list[Change] = []
    renames = _renames(old, new)
    renamed_to = set(renames.values())
    for item in new.items.values():
        if item.id not in old.items and item.id not in renamed_to:
            changes.append(
                Change("item-added", item.id, item.title, None, item.status,
                       f"new item in {item.status}", **_figures(scores.item_demand[item.id]))
            )  # fmt: skip
    for item in old.items.values():
        if item.id not in new.items and item.id not in renames:
            changes.append(
                Change("item-removed", item.id, item.title, item.status, None,
                       f"removed (was {item.status})", **_figures(old_scores.item_demand[item.id]))
            )  # fmt: skip
    pairs = [(i, new.items[i]) for i in sorted(old.items) if i in new.items]
    pairs += [(o, new.items[n]) for o, n in sorted(renames.items())]
    for old_id, item in pairs:
        before = old.items[old_id]
        demand = _figures(scores.item_demand[item.id])
        if old_id != item.id:
            changes.append(
                Change("item-renamed", item.id, item.title, old_id, item.id,
                       f"renamed from `{old_id}`", **demand)
            )  # fmt: skip
        if before.status != item.status:
            changes.append(
                Change("status", item.id, item.title, before.status, item.status,
                       f"{before.status} -> {item.status}", **demand)
            )  # fmt: skip
        if before.meta.target != item.meta.target:
            changes.append(
                Change("target", item.id, item.title, before.meta.target, item.meta.target,
                       f"target {before.meta.target or 'none'} -> {item.meta.target or 'none'}",
                       **demand)
            )  # fmt: skip
        known = {(d.date, d.outcome, d.summary) for d in before.meta.decisions}
        for d in item.meta.decisions:
            if (d.date, d.outcome, d.summary) not in known:
                changes.append(
                    Change("decision", item.id, item.title, None, d.outcome,
                           f"new decision {d.date.isoformat()}, {d.outcome}: {d.summary}",
                           **demand)
                )  # fmt: skip
    return changes


def _requests(old: Roadmap, new: Roadmap, scores: Scores, old_scores: Scores) -> list[Change]:
    changes: list[Change] = []
    for request in new.requests.values():
        demand = _figures(scores.request_demand[request.id])
        before = old.requests.get(request.id)
        if before is None:
            where = f"linked to `{request.item}`" if request.item else request.status
            changes.append(
                Change("request-added", request.id, request.title, None, request.status,
                       f"new request ({where})", **demand)
            )  # fmt: skip
            continue
        if request.item and request.item != before.item and not request.is_duplicate:
            was = f", was `{before.item}`" if before.item else ""
            changes.append(
                Change("request-linked", request.id, request.title, before.item, request.item,
                       f"linked to `{request.item}`{was}", **demand)
            )  # fmt: skip
        if request.is_duplicate and not before.is_duplicate:
            changes.append(
                Change("request-duplicate", request.id, request.title, None, request.canonical,
                       f"marked duplicate of `{request.canonical}`", **demand)
            )  # fmt: skip
        if request.status == "declined" and before.status != "declined":
            changes.append(
                Change("request-declined", request.id, request.title, before.status, "declined",
                       f"declined (was {before.status})", **demand)
            )  # fmt: skip
    for request in old.requests.values():
        if request.id not in new.requests:
            changes.append(
                Change("request-removed", request.id, request.title, request.status, None,
                       "removed", **_figures(old_scores.request_demand[request.id]))
            )  # fmt: skip
    return changes


def _scores(
    old: Scores, new: Roadmap, scores: Scores, threshold: float, rank_threshold: int
) -> list[Change]:
    changes: list[Change] = []
    for item_id in scores.item_ranking:
        if item_id not in old.items:
            continue
        title, demand = new.items[item_id].title, _figures(scores.item_demand[item_id])
        before, after = old.items[item_id].value, scores.items[item_id].value
        moved = (before is None) != (after is None) or (
            before is not None and after is not None
            and abs(after - before) > threshold * max(abs(before), 1e-9)
        )  # fmt: skip
        if moved:
            shown_before = "unscored" if before is None else fmt(before)
            shown_after = "unscored" if after is None else fmt(after)
            changes.append(
                Change("score", item_id, title, shown_before, shown_after,
                       f"score {shown_before} -> {shown_after}", **demand)
            )  # fmt: skip
        old_rank, new_rank = old.item_ranks[item_id], scores.item_ranks[item_id]
        if old_rank and new_rank and abs(new_rank - old_rank) >= rank_threshold:
            changes.append(
                Change("rank", item_id, title, str(old_rank), str(new_rank),
                       f"rank {old_rank} -> {new_rank}", **demand)
            )  # fmt: skip
    return changes


SECTIONS = {
    "Roadmap items": ("item-added", "item-removed", "item-renamed", "status", "target", "decision"),
    "Requests": ("request-added", "request-linked", "request-duplicate", "request-declined",
                 "request-removed"),
    "Scores and ranks": ("score", "rank"),
    "Accounts": ("account-added", "account-removed", "account"),
    "Strategy and capacity": STRATEGY_KINDS,
}  # fmt: skip


def _demand_text(change: Change, currency: str) -> str:
    if not change.requests and not change.accounts:
        return ""
    arr = f", {money(change.arr, currency)}" if change.arr else ""
    noun = "request" if change.requests == 1 else "requests"
    accounts = "account" if change.accounts == 1 else "accounts"
    return f" ({change.requests} {noun}, {change.accounts} {accounts}{arr})"


def render(diff: Diff, fmt_name: str, currency: str = "USD") -> str:
    """The diff as `text`, `markdown` (for a pull-request comment) or `json`."""
    if fmt_name == "json":
        document = {
            "base": diff.base,
            "head": diff.head,
            "valid": diff.valid,
            "errors": diff.errors,
            "changes": [asdict(c) for c in diff.changes],
        }
        return json.dumps(document, indent=2, ensure_ascii=False)
    markdown = fmt_name == "markdown"
    title = f"Roadmap changes: {diff.base} -> {diff.head}"
    lines = [f"### {title}" if markdown else title, ""]
    if not diff.valid:
        for side, errors in diff.errors.items():
            name = diff.base if side == "base" else diff.head
            lines.append(
                f"The {side} ({name}) has {len(errors)} error(s); fix them to see the diff:"
            )
            lines += ["```text", *errors, "```"] if markdown else [f"  {e}" for e in errors]
        return "\n".join(lines)
    if not diff.changes:
        return f"No roadmap changes between {diff.base} and {diff.head}."
    for section, kinds in SECTIONS.items():
        chosen = [c for c in diff.changes if c.kind in kinds]
        if not chosen:
            continue
        lines.append(f"#### {section}" if markdown else f"{section}:")
        for change in sorted(chosen, key=lambda c: (kinds.index(c.kind), c.id)):
            if change.title == change.id:  # a quarter: its summary names it
                lines.append(f"- {change.summary}")
                continue
            name = (
                f"**{change.title}** (`{change.id}`)"
                if markdown
                else f"{change.title} ({change.id})"
            )
            lines.append(f"- {name}: {change.summary}{_demand_text(change, currency)}")
        lines.append("")
    return "\n".join(lines).rstrip()
