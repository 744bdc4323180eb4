"""Warnings: content that is valid but that a reviewer should look at.

The last step of the first phase: it reads the linked model and its scores (an item
in `now` that cannot be scored is worth a warning), so it runs after scoring.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .clock import today
from .content.loading import Kind, SourceFile
from .content.model import UNTRIAGED, Request, Roadmap
from .diagnostics import Report
from .formatting import fmt
from .scoring.scores import Scores


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
