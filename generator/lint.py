"""Warnings: content that is valid but that a reviewer should look at.

The last step of the first phase: it reads the linked model and its scores (an item
in `now` that cannot be scored is worth a warning), so it runs after scoring.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .clock import today
from .config import CONFIG_FILE, toml_line
from .content.files import Kind
from .content.loading import SourceFile
from .content.model import UNTRIAGED, Request, Roadmap
from .diagnostics import Report
from .formatting import fmt
from .scoring.plan import Plan, QuarterPlan, item_effort, plan
from .scoring.scores import Scores

#: The warnings about the plan as a whole: found again after every edit.
PLAN_CODES = frozenset({"W106", "W107", "W108"})


def lint(
    roadmap: Roadmap,
    scores: Scores,
    sources: Mapping[tuple[Kind, str], SourceFile],
    report: Report,
    requests: Iterable[str] | None = None,
    items: Iterable[str] | None = None,
) -> None:
    """Warnings: valid content that a reviewer should look at (only these ids when given)."""
    limit = roadmap.config.check.untriaged_days
    now = today()
    for request_id in roadmap.requests if requests is None else requests:
        request = roadmap.requests[request_id]
        source = sources[(Kind.REQUEST, request.id)]
        age = (now - request.meta.submitted).days
        if request.status == UNTRIAGED and age > limit:
            line, col = source.position(("submitted",), key=True)
            report.add(
                request.path,
                line,
                col,
                "W101",
                f"untriaged for {age} days (limit {limit}): link it to a roadmap item "
                "or mark it as a duplicate",
            )
        if roadmap.accounts:  # only account files can contradict a request
            _lint_account_arr(roadmap, request, sources, report)
        _lint_body(source, report)
    for item_id in roadmap.items if items is None else items:
        item = roadmap.items[item_id]
        source = sources[(Kind.ITEM, item.id)]
        if item.status == "now" and item.meta.owner is None:
            line, col = source.position(("status",), key=True)
            report.add(item.path, line, col, "W102", "item is in `now` but has no `owner`")
        score = scores.items[item.id]
        if item.status in ("now", "next") and not score.scored:
            line, col = source.position(("status",), key=True)
            message = f"item is in `{item.status}` but {score.explanation}"
            report.add(item.path, line, col, "W104", message)
        _lint_body(source, report)


def _lint_body(source: SourceFile, report: Report) -> None:
    if not source.body.strip():
        what = "customer need" if source.kind is Kind.REQUEST else "problem and rationale"
        report.add(source.path, source.body_line - 1, 1, "W103", f"empty body: describe the {what}")


def _lint_account_arr(
    roadmap: Roadmap,
    request: Request,
    sources: Mapping[tuple[Kind, str], SourceFile],
    report: Report,
) -> None:
    """W105: an ARR written on a request that its account file contradicts (both lines)."""
    source = sources[(Kind.REQUEST, request.id)]
    pairs = zip(request.meta.accounts, request.accounts, strict=True)
    for n, (entry, resolved) in enumerate(pairs):
        if entry.arr is None or resolved.account is None:
            continue
        record = roadmap.accounts[resolved.account]
        if record.meta.arr is None or record.meta.arr == entry.arr:
            continue
        line, col = source.position(("accounts", n, "arr"))
        file_line, _ = sources[(Kind.ACCOUNT, record.id)].position(("arr",))
        report.add(request.path, line, col, "W105",
                   f"ARR {fmt(entry.arr)} for {record.name} differs from {record.path}:"
                   f"{file_line} (arr: {fmt(record.meta.arr)}), which every request uses: "
                   "drop `arr` here, or update the account file")  # fmt: skip


def lint_plan(
    roadmap: Roadmap,
    sources: Mapping[tuple[Kind, str], SourceFile],
    report: Report,
    config_text: str,
) -> Plan:
    """W106 a quarter (or a team in it) over capacity, W107 a `now` item capacity cannot
    count, W108 a category off its target share; the plan they were found on."""
    found = plan(roadmap, today())
    if roadmap.config.capacity:
        for quarter in found.ahead:
            _lint_capacity(quarter, report, config_text)
        for item_id in found.unplanned:
            item = roadmap.items[item_id]
            missing = [w for w, absent in (("target quarter (`target`)", item.meta.target is None),
                       ("effort (`effort`, or `rice.effort`)", item_effort(item.meta) is None))
                       if absent]  # fmt: skip
            line, col = sources[(Kind.ITEM, item_id)].position(("status",), key=True)
            report.add(item.path, line, col, "W107", f"item is in `now` but has no "
                       f"{' and no '.join(missing)}: capacity cannot count it")  # fmt: skip
    strategy = roadmap.strategy
    targets = strategy.meta.targets if strategy else {}
    if strategy is None or not targets:
        return found
    margin = roadmap.config.check.balance_margin / 100
    source = sources[(Kind.STRATEGY, "strategy")]
    judged = [q.balance for q in found.ahead if q.capacity is not None]
    for balance in [*judged, found.window]:
        for category, share, target in balance.off_target(targets, margin):
            n = next(i for i, c in enumerate(strategy.meta.categories) if c.id == category)
            line, col = source.position(("categories", n, "target"))
            effort = balance.effort.get(category, 0.0)
            report.add(source.path, line, col, "W108",
                       f"{balance.label}: {category} is {round(share * 100)}% of planned effort "
                       f"({fmt(effort)} of {fmt(balance.total)} person-months), target "
                       f"{round(target * 100)}% within {round(margin * 100)} points")  # fmt: skip
    return found


def _lint_capacity(quarter: QuarterPlan, report: Report, config_text: str) -> None:
    if quarter.capacity is None:
        return
    loads: list[tuple[str | None, float, float]] = []
    if quarter.over:
        loads.append((None, quarter.planned, quarter.capacity))
    loads += [(team, planned, capacity) for team, planned, capacity in quarter.team_load()
              if capacity is not None and planned > capacity + 1e-9]  # fmt: skip
    for team, planned, capacity in loads:
        over = planned - capacity
        excess = quarter.excess(over, team)
        named = ", ".join(f"`{p.item}` ({fmt(p.effort)})" for p in excess)
        count = sum(1 for p in quarter.items if team is None or p.team == team)
        rest = f", and {count - len(excess)} smaller" if count > len(excess) else ""
        who = f"{quarter.quarter}, team {team}," if team else quarter.quarter
        loc = ("capacity", quarter.quarter, *([team] if team else []))
        report.add(CONFIG_FILE, toml_line(config_text, loc), 1, "W106",
                   f"{who} is over capacity: {fmt(planned)} of {fmt(capacity)} person-months "
                   f"planned, {fmt(over)} over; biggest first: {named}{rest}")  # fmt: skip
