"""`roadmap digest`: what changed since a date for the requests someone follows.

An e-mail-ready summary for sales and customer success. Like "What changed", it is
made from git: the roadmap as it was at the last commit before the date is compared
with the roadmap now (both through `roadmap check`'s first phase), and the dates of
status moves come from the history of the item files. For each request followed (all,
an account's, or a requester's): when it was logged, status moves (including being
linked to an item), decisions on the item that answers it, with their summary, and new
alternatives ("what to offer instead").
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass

from markupsafe import escape

from .content.history import History
from .content.model import Item, Request, Roadmap, account_key

#: The kinds of update, in the order a request's updates are listed.
KINDS = ("logged", "status", "decision", "alternatives")


@dataclass(frozen=True, slots=True)
class Update:
    """One thing that changed for one request."""

    request: str
    """Id of the request."""
    kind: str
    """logged, status, decision or alternatives."""
    date: str
    """YYYY-MM-DD; "" when git does not date it (a status moved by several commits)."""
    text: str
    """One line for people."""
    item: str | None = None
    """Id of the roadmap item it comes from."""


@dataclass(frozen=True, slots=True)
class RequestNews:
    """A request with what changed for it."""

    id: str
    title: str
    status: str
    """Where it stands now."""
    accounts: tuple[str, ...]
    """Names of the accounts behind it."""
    updates: tuple[Update, ...]


@dataclass(frozen=True, slots=True)
class Digest:
    since: str
    """YYYY-MM-DD: updates on or after this day."""
    base: str | None
    """The commit compared against (last before `since`); None when none is that old."""
    scope: str
    """Whose requests: "all requests", "account Globex", "requests logged by Sam"."""
    followed: int
    """Requests in scope now."""
    requests: tuple[RequestNews, ...]
    """Those with updates, most recent update first."""

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(u.kind for r in self.requests for u in r.updates)
        return {kind: found.get(kind, 0) for kind in KINDS}


def in_scope(roadmap: Roadmap, account: str | None, requester: str | None) -> list[Request]:
    """The requests followed: an account's (by file id, name or alias), a requester's, or all."""
    requests = list(roadmap.requests.values())
    if account is not None:
        key = account_key(account)
        file_id = roadmap.account_names.get(key) or (
            account if account in roadmap.accounts else None
        )
        requests = [
            r for r in requests
            if any(a.key == key or (file_id and a.account == file_id) for a in r.accounts)
        ]  # fmt: skip
    if requester is not None:
        key = account_key(requester)
        requests = [r for r in requests if account_key(r.meta.requester) == key]
    return requests


def _decisions(before: Item | None, after: Item, since: str) -> list[Update]:
    """Decisions on `after` that `before` did not have (by date and outcome), or all those
    dated on or after `since` when the item is new."""
    had = {(d.date, d.outcome) for d in before.meta.decisions} if before else set()
    return [
        Update("", "decision", d.date.isoformat(),
               f"{d.outcome}: {d.summary}" + (f" ({d.by})" if d.by else ""), after.id)
        for d in sorted(after.meta.decisions, key=lambda d: d.date)
        if (d.date, d.outcome) not in had and (before is not None or d.date.isoformat() >= since)
    ]  # fmt: skip


def _status_date(history: History, item: Item | None, status: str, since: str) -> str:
    """Date of the last commit since `since` that moved `item` to `status`, or ""."""
    found = history.files.get(item.path) if item else None
    moves = [c.commit.date for c in (found.status_changes if found else ())
             if c.new == status and c.commit.date >= since]  # fmt: skip
    return moves[-1] if moves else ""


def _news(
    request: Request, old: Roadmap | None, new: Roadmap, history: History, since: str
) -> list[Update]:
    before = old.requests.get(request.id) if old else None
    item = new.items.get(request.item) if request.item else None
    old_item = old.items.get(request.item) if old and request.item else None
    updates: list[Update] = []
    submitted = request.meta.submitted.isoformat()
    if old is None:  # no commit that old: only what is dated tells what is new
        if submitted >= since:
            updates.append(Update("", "logged", submitted, f"logged by {request.meta.requester}"))
        found = history.files.get(item.path) if item else None
        if item is not None and found is not None:
            updates += [
                Update("", "status", c.commit.date, f"{c.old} -> {c.new} ({item.title})", item.id)
                for c in found.status_changes
                if c.old and c.commit.date >= since
            ]
    elif before is None:
        updates.append(Update("", "logged", submitted, f"logged by {request.meta.requester}"))
    elif before.status != request.status or before.item != request.item:
        text = f"{before.status} -> {request.status}"
        if item is not None:  # newly linked items are named as such
            linked = before.item != request.item
            text += f": now answered by {item.title}" if linked else f" ({item.title})"
        updates.append(Update("", "status", _status_date(history, item, request.status, since),
                              text, request.item))  # fmt: skip
    if item is not None:
        updates += _decisions(old_item, item, since)
        alternatives = item.meta.alternatives or ""
        if (
            old is not None
            and alternatives
            and alternatives != ((old_item.meta.alternatives or "") if old_item else "")
        ):
            updates.append(Update("", "alternatives", "", f"what to offer instead: {alternatives}",
                                  item.id))  # fmt: skip
    return [Update(request.id, u.kind, u.date, u.text, u.item) for u in updates]


def digest(
    old: Roadmap | None,
    new: Roadmap,
    history: History,
    since: str,
    base: str | None,
    account: str | None = None,
    requester: str | None = None,
) -> Digest:
    """What changed for the requests in scope between `old` (None: nothing) and `new`."""
    followed = in_scope(new, account, requester)
    news = []
    for request in followed:
        updates = _news(request, old, new, history, since)
        if updates:
            names = tuple(a.name for a in request.accounts)
            news.append(RequestNews(request.id, request.title, request.status, names,
                                    tuple(updates)))  # fmt: skip
    news.sort(key=lambda r: (max(u.date for u in r.updates), r.id), reverse=True)
    if account is not None:
        file_id = new.account_names.get(account_key(account))
        name = new.accounts[file_id].name if file_id and file_id in new.accounts else account
        scope = f"account {name}"
    elif requester is not None:
        scope = f"requests logged by {followed[0].meta.requester if followed else requester}"
    else:
        scope = "all requests"
    return Digest(since, base, scope, len(followed), tuple(news))


def render(result: Digest, fmt: str, title: str) -> str:
    """The digest as markdown (chat, e-mail), HTML (an e-mail body) or JSON."""
    if fmt == "json":
        document = {"since": result.since, "base": result.base, "scope": result.scope,
                    "followed": result.followed, "counts": result.counts,
                    "requests": [asdict(r) for r in result.requests]}  # fmt: skip
        return json.dumps(document, indent=2, ensure_ascii=False)
    counts = result.counts
    figures = (
        f"{result.followed} requests followed, {len(result.requests)} with news: "
        f"{counts['logged']} logged, {counts['status']} status moves, "
        f"{counts['decision']} decisions, {counts['alternatives']} new alternatives."
    )
    heading = f"{title}: what changed since {result.since} ({result.scope})"
    if fmt == "html":
        parts = [f"<h1>{escape(heading)}</h1>", f"<p>{escape(figures)}</p>"]
        for r in result.requests:
            parts.append(f"<h2>{escape(r.title)} <small>({escape(r.status)})</small></h2>")
            if r.accounts:
                parts.append(f"<p>For {escape(', '.join(r.accounts))}</p>")
            parts.append("<ul>" + "".join(
                f"<li>{escape(_when(u))}{escape(u.kind)}: {escape(u.text)}</li>" for u in r.updates
            ) + "</ul>")  # fmt: skip
        if not result.requests:
            parts.append("<p>Nothing changed for these requests.</p>")
        return "\n".join(parts) + "\n"
    lines = [f"# {heading}", "", figures, ""]
    for r in result.requests:
        lines.append(f"## {r.title} ({r.status})")
        if r.accounts:
            lines.append(f"For {', '.join(r.accounts)}")
        lines.append("")
        lines += [f"- {_when(u)}{u.kind}: {u.text}" for u in r.updates]
        lines.append("")
    if not result.requests:
        lines.append("Nothing changed for these requests.")
    return "\n".join(lines).rstrip("\n") + "\n"


def _when(update: Update) -> str:
    return f"{update.date} " if update.date else ""
